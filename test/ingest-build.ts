/**
 * Global setup of the vitest project "workers": bundles the ingest Worker (workers/ingest, the host of
 * the per-user `UserWriter` Durable Objects) with `wrangler deploy --dry-run --outdir`, the very bundle
 * `wrangler deploy` would upload, into .wrangler/test-build/ingest-<pid>-<time>/ (one directory per run:
 * several runs at once must not overwrite each other's bundle), and provides the script's path as
 * `ingestScriptPath`. vitest.config.ts runs it as the
 * auxiliary Worker `dfda-ingest`, so the API Worker's cross-script binding
 * (`USER_WRITER`, `script_name = "dfda-ingest"` in the root wrangler.toml) reaches the one real
 * `UserWriter` class, as in production. Auxiliary Workers take a built script, not a wrangler file
 * (https://developers.cloudflare.com/workers/testing/vitest-integration/configuration/).
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled ingest Worker (`index.js`), run as the auxiliary Worker `dfda-ingest`. */
    ingestScriptPath: string;
  }
}

const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  const outdir = here(`../.wrangler/test-build/ingest-${process.pid}-${Date.now().toString(36)}`);
  try {
    await run(
      process.execPath,
      [wrangler, "deploy", "--dry-run", "--outdir", outdir, "-c", here("../workers/ingest/wrangler.toml")],
      { env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" }, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`Building the ingest Worker failed:\n${stdout}\n${stderr}`);
  }
  // The bundle is `<outdir>/<main's base name>.js`: workers/ingest/wrangler.toml has main = src/index.ts.
  project.provide("ingestScriptPath", `${outdir}/index.js`);
  return async () => {
    await rm(outdir, { recursive: true, force: true });
  };
}
