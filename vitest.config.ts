import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const resolve = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The shared third-party corpus (../shared/corpus beside the repository; DFDA_CORPUS_DIR overrides):
 * Workers-runtime tests import its files as `@corpus/<path>?raw` (they cannot read the disk).
 */
const corpusDir =
  [process.env.DFDA_CORPUS_DIR, resolve("../shared/corpus"), "/work/shared/corpus"].find(
    (dir): dir is string => typeof dir === "string" && dir !== "" && existsSync(`${dir}/README.md`),
  ) ?? resolve("../shared/corpus");

/**
 * pg requires `pg-protocol` and `pg-cloudflare` with CommonJS `require`; inside workerd their
 * package exports would hand it ESM builds (or an empty stub), so both resolve to their CommonJS
 * `dist/index.js`.
 */
/**
 * The plugin Workers the API binds (test/plugin-build.ts bundles them), run as auxiliary Workers of the
 * "workers" project under the names their wrangler.toml gives them. A plugin whose source is not there
 * (yet) is left out; a call through its binding then fails as an unreachable plugin.
 */
const pluginWorkers = [
  { folder: "template", name: "dfda-plugin-template", binding: "PLUGIN_TEMPLATE" },
  { folder: "n-of-1", name: "dfda-plugin-n-of-1", binding: "PLUGIN_N_OF_1" },
  { folder: "charts", name: "dfda-plugin-charts", binding: "PLUGIN_CHARTS" },
];
const apiPlugins = pluginWorkers.filter((p) => existsSync(resolve(`./plugins/${p.folder}/src/index.ts`)));
/** workerd refuses to start with a binding to a Worker it does not have: a missing plugin's binding answers 503. */
const absentPluginBindings = Object.fromEntries(
  pluginWorkers
    .filter((p) => !apiPlugins.includes(p))
    .map((p) => [p.binding, () => new Response(`${p.name} is not built`, { status: 503 })]),
);

const pgAliases = {
  "pg-protocol": resolve("./node_modules/pg-protocol/dist/index.js"),
  "pg-cloudflare": resolve("./node_modules/pg-cloudflare/dist/index.js"),
};

export default defineConfig({
  resolve: { alias: pgAliases },
  test: {
    // Signing people in goes through scrypt and the real pages; with every project running at once on
    // a two-core machine a first sign-in takes seconds. Generous limits, not timed assertions.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A socket the runtime closes after a test ends may reject a pending read with "Stream was
    // cancelled"; it is harmless and must not fail the run (see docs/testing.md).
    onUnhandledError: (error) => !/Stream was cancelled/.test(String((error as { message?: string }).message ?? error)),
    projects: [
      {
        // Code that runs in a Worker is tested inside the real Workers runtime (workerd).
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
              // The test run's own master key (the AUTH_MASTER_KEYS secret in production), made once in
              // the global setup: every test file's isolate must open what another one sealed.
              // FUZZ_SEED and FUZZ_RUNS reach the OpenAPI fuzzer (workers/api/test/fuzz) from the shell.
              bindings: {
                AUTH_MASTER_KEYS: inject("authMasterKeys"),
                MAX_UPLOAD_BYTES: "12000000",
                FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
                // A client id for the Oura connector, so its routes can be connected (docs/connectors.md);
                // Garmin's too, whose notifications name it in their garmin-client-id header.
                CONNECTOR_CLIENT_IDS: JSON.stringify({ oura: "test-oura-client", garmin: "test-garmin-client" }),
                CONNECTOR_BASE_URLS: JSON.stringify({
                  oura: { auth: "https://oura.fake.test", api: "https://api.oura.fake.test" },
                  garmin: { auth: "https://connect.garmin.fake.test", api: "https://apis.garmin.fake.test" },
                }),
                // The keys vendors' notifications are checked with, so the webhook routes can verify them
                // (Oura's and Fitbit's: their client secrets; Withings': the source of its URL token; Garmin's,
                // which signs nothing: the key in the notification URL registered at Garmin).
                CONNECTOR_WEBHOOK_SECRETS: JSON.stringify({
                  oura: "test-oura-webhook-secret",
                  fitbit: "test-fitbit-client-secret",
                  withings: "test-withings-webhook-secret",
                  garmin: "test-garmin-webhook-key",
                }),
                // The code Fitbit shows the operator for its subscriber verification (`?verify=`).
                CONNECTOR_WEBHOOK_VERIFICATION_CODES: JSON.stringify({ fitbit: "test-fitbit-verify-code" }),
              },
              // The API's limits (wrangler.toml, docs/operations.md) raised out of reach: test files call far
              // faster than any client, and a 429 must come only from the test that asks for one. That test
              // (workers/api/src/lib/rate-limit.test.ts) swaps in RATE_LIMIT_TEST_LIMITER, limit 3.
              ratelimits: {
                API_TOKEN_LIMITER: { namespace_id: "1003", simple: { limit: 1_000_000_000, period: 60 } },
                API_CLIENT_LIMITER: { namespace_id: "1004", simple: { limit: 1_000_000_000, period: 60 } },
                API_IP_LIMITER: { namespace_id: "1005", simple: { limit: 1_000_000_000, period: 60 } },
                API_GRANTEE_LIMITER: { namespace_id: "1006", simple: { limit: 1_000_000_000, period: 60 } },
                API_LOOKUP_LIMITER: { namespace_id: "1007", simple: { limit: 1_000_000_000, period: 60 } },
                RATE_LIMIT_TEST_LIMITER: { namespace_id: "1999", simple: { limit: 3, period: 60 } },
              },
              // The ingest Worker, bundled by test/ingest-build.ts, as the auxiliary Worker `dfda-ingest`:
              // the API's `USER_WRITER` binding (script_name = "dfda-ingest") reaches the real UserWriter
              // class it hosts, as in production. No queue consumers: API tests see their queued messages.
              workers: [
                {
                  name: "dfda-ingest",
                  modules: true,
                  scriptPath: inject("ingestScriptPath"),
                  compatibilityDate: "2026-04-01",
                  compatibilityFlags: ["nodejs_compat"],
                  durableObjects: { USER_WRITER: { className: "UserWriter", useSQLite: true } },
                  hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
                  // Every access decision written as it happens: these tests assert the access log attempt by
                  // attempt. Coalescing (60 s by default) is tested where its clock can be set, beside the
                  // writer (durable-objects/user-writer/src/user-writer.test.ts).
                  bindings: {
                    AUTH_MASTER_KEYS: inject("authMasterKeys"),
                    AUTH_MASTER_KEY_ID: "k1",
                    AUDIT_COALESCE_SECONDS: "0",
                  },
                },
                ...apiPlugins.map((p) => ({
                  name: p.name,
                  modules: true,
                  scriptPath: inject("pluginScriptPaths")[p.folder] ?? "",
                  compatibilityDate: "2026-04-01",
                })),
              ],
              // The template plugin (plugins/template), bound for the tests only: the registry's and the
              // analyses' tests register and run it like any plugin (docs/plugins.md).
              serviceBindings: {
                PLUGIN_TEMPLATE: { name: "dfda-plugin-template", entrypoint: "TemplatePlugin" },
                ...absentPluginBindings,
              },
            },
          })),
        ],
        resolve: { alias: { ...pgAliases, "@corpus": corpusDir } },
        server: { fs: { allow: [resolve("."), corpusDir] } },
        test: {
          name: "workers",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          // `*.workers.test.ts` in shared packages: code that runs in Workers, tested where it runs.
          include: ["workers/api/**/*.test.ts", "packages/**/*.workers.test.ts"],
          globalSetup: ["./test/global-setup.ts", "./test/ingest-build.ts", "./test/plugin-build.ts"],
        },
      },
      {
        // The ingest Worker (queue consumer) and the per-user writer Durable Object it hosts.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./workers/ingest/wrangler.toml" },
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
              bindings: { AUTH_MASTER_KEYS: inject("authMasterKeys") },
            },
          })),
        ],
        resolve: { alias: pgAliases },
        test: {
          name: "ingest",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          include: ["workers/ingest/**/*.test.ts", "durable-objects/**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts"],
        },
      },
      {
        // The file path end to end: the mapper Worker's handler, and the ingest Worker consuming the
        // commit it queues (test/pipeline.wrangler.toml joins their bindings in one runtime).
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./test/pipeline.wrangler.toml" },
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
              bindings: { AUTH_MASTER_KEYS: inject("authMasterKeys") },
            },
          })),
        ],
        resolve: { alias: { ...pgAliases, "@corpus": corpusDir } },
        server: { fs: { allow: [resolve("."), corpusDir] } },
        test: {
          name: "pipeline",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          include: ["workers/mapper/**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts"],
        },
      },
      {
        // Scripts, migrations, seed data and the OpenAPI document are checked in Node.
        test: {
          name: "node",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          environment: "node",
          include: ["packages/**/*.test.ts", "scripts/**/*.test.ts", "test/node/**/*.test.ts"],
          exclude: ["**/*.workers.test.ts", "**/node_modules/**", "packages/sdk/test/**"],
          globalSetup: ["./test/global-setup.ts"],
        },
      },
      {
        // Mapper plugin Workers (plugins/*), in workerd. The test Worker is bound to them as the mapper
        // Worker is (plugins/example-mapper/test/wrangler.toml: [[services]] with an entrypoint); the
        // plugins run as auxiliary Workers, bundled by `wrangler deploy --dry-run` in the global setup
        // (auxiliary Workers take a built script, not a wrangler file).
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./plugins/example-mapper/test/wrangler.toml" },
            miniflare: {
              workers: [
                {
                  name: "dfda-plugin-example-mapper",
                  modules: true,
                  scriptPath: resolve("./plugins/example-mapper/.wrangler/test-build/example-mapper/index.js"),
                  compatibilityDate: "2026-04-01",
                },
                {
                  name: "dfda-plugin-test-fixtures",
                  modules: true,
                  scriptPath: resolve("./plugins/example-mapper/.wrangler/test-build/fixtures/fixtures.js"),
                  compatibilityDate: "2026-04-01",
                },
                {
                  name: "dfda-plugin-charts",
                  modules: true,
                  scriptPath: resolve("./plugins/charts/.wrangler/test-build/index.js"),
                  compatibilityDate: "2026-04-01",
                },
                {
                  name: "dfda-plugin-n-of-1",
                  modules: true,
                  scriptPath: resolve("./plugins/example-mapper/.wrangler/test-build/n-of-1/index.js"),
                  compatibilityDate: "2026-04-01",
                },
              ],
            },
          }),
        ],
        test: {
          name: "plugins",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          include: ["plugins/**/*.test.ts"],
          globalSetup: ["./plugins/example-mapper/test/build.ts"],
        },
      },
      {
        // The connectors Worker (Cron and queue consumer, issue 13) with its own bindings; its USER_WRITER
        // (script_name = "dfda-ingest") reaches the real UserWriter in the bundled ingest Worker, run as
        // an auxiliary Worker as in the "workers" project. Vendors are local fakes the tests hand in.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./workers/connectors/wrangler.toml" },
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
              bindings: {
                AUTH_MASTER_KEYS: inject("authMasterKeys"),
                CONNECTOR_CLIENT_IDS: JSON.stringify({ oura: "test-oura-client" }),
                CONNECTOR_CLIENT_SECRETS: JSON.stringify({ oura: "test-oura-secret" }),
                CONNECTOR_BASE_URLS: JSON.stringify({
                  oura: { auth: "https://oura.fake.test", api: "https://api.oura.fake.test" },
                }),
              },
              workers: [
                {
                  name: "dfda-ingest",
                  modules: true,
                  scriptPath: inject("ingestScriptPath"),
                  compatibilityDate: "2026-04-01",
                  compatibilityFlags: ["nodejs_compat"],
                  durableObjects: { USER_WRITER: { className: "UserWriter", useSQLite: true } },
                  hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
                  bindings: { AUTH_MASTER_KEYS: inject("authMasterKeys"), AUTH_MASTER_KEY_ID: "k1" },
                },
              ],
            },
          })),
        ],
        resolve: { alias: pgAliases },
        test: {
          name: "connectors",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          include: ["workers/connectors/**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts", "./test/ingest-build.ts"],
        },
      },
      {
        // The exporter Worker (queue consumer and Cron), with its own bindings: the observations it reads
        // (Hyperdrive), the originals (FILES) and the encrypted exports it writes (EXPORTS).
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./workers/exporter/wrangler.toml" },
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
              bindings: { AUTH_MASTER_KEYS: inject("authMasterKeys") },
            },
          })),
        ],
        resolve: { alias: pgAliases },
        test: {
          name: "exporter",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          include: ["workers/exporter/**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts"],
        },
      },
      {
        // The analysis Worker (queue consumer and Cron, issue 14) with its own bindings: the database and its
        // own queue (the sweep re-queues there). The plugin Workers run as auxiliary Workers, as in the
        // "workers" project; PLUGIN_TEMPLATE is bound for the tests only.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./workers/analysis/wrangler.toml" },
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
              workers: apiPlugins.map((p) => ({
                name: p.name,
                modules: true,
                scriptPath: inject("pluginScriptPaths")[p.folder] ?? "",
                compatibilityDate: "2026-04-01",
              })),
              serviceBindings: {
                PLUGIN_TEMPLATE: { name: "dfda-plugin-template", entrypoint: "TemplatePlugin" },
                ...absentPluginBindings,
              },
            },
          })),
        ],
        resolve: { alias: pgAliases },
        test: {
          name: "analysis",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          include: ["workers/analysis/**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts", "./test/plugin-build.ts"],
        },
      },
      {
        // The whole platform started once (test/platform/global-setup.ts: scripts/start.ts, every Worker
        // under one wrangler dev) and driven over HTTP by the SDKs, the CLI and the examples.
        test: {
          name: "platform",
          include: ["test/platform/**/*.test.ts", "packages/sdk/test/**/*.test.ts", "examples/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["./test/platform/global-setup.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
