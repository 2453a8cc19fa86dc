/**
 * Global setup of the vitest project "plugins": bundles the plugin Workers with
 * `wrangler deploy --dry-run --outdir` (the very bundle `wrangler deploy` would upload) into
 * plugins/example-mapper/.wrangler/test-build/, where vitest.config.ts runs them as auxiliary Workers.
 * Auxiliary Workers cannot be read from a wrangler file or compiled by Vite, hence the build
 * (https://developers.cloudflare.com/workers/testing/vitest-integration/configuration/).
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Config → output directory; the bundle is `<outdir>/<main's base name>.js` (index.js, fixtures.js). */
const BUILDS = [
  { config: here("../wrangler.toml"), outdir: here("../.wrangler/test-build/example-mapper") },
  { config: here("./fixtures.wrangler.toml"), outdir: here("../.wrangler/test-build/fixtures") },
  { config: here("../../charts/wrangler.toml"), outdir: here("../../charts/.wrangler/test-build") },
  // The N-of-1 analysis plugin (plugins/n-of-1), bound as PLUGIN_N_OF_1 in ./wrangler.toml.
  { config: here("../../n-of-1/wrangler.toml"), outdir: here("../.wrangler/test-build/n-of-1") },
];

export default async function setup(): Promise<void> {
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  await Promise.all(
    BUILDS.map(async ({ config, outdir }) => {
      await rm(outdir, { recursive: true, force: true });
      try {
        await run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir, "-c", config], {
          env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
          maxBuffer: 16 * 1024 * 1024,
        });
      } catch (error) {
        const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
        throw new Error(`Building ${config} failed:\n${stdout}\n${stderr}`);
      }
    }),
  );
}
