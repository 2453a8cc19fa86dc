/**
 * Global setup of the vitest project "workers": bundles the analysis and visualization plugin Workers the
 * API calls (plugins/template, plugins/n-of-1, plugins/charts: those whose src/index.ts exists) with
 * `wrangler deploy --dry-run --outdir`, the very bundle `wrangler deploy` would upload, into
 * .wrangler/test-build/plugins-<pid>-<time>/<plugin>/ (one directory per run, as test/ingest-build.ts
 * does), and provides their paths as `pluginScriptPaths`. vitest.config.ts runs each as the auxiliary
 * Worker its wrangler.toml names (`dfda-plugin-<plugin>`), so the API's service bindings (`PLUGIN_N_OF_1`,
 * `PLUGIN_CHARTS` in the root wrangler.toml, and the test-only `PLUGIN_TEMPLATE`) reach the real
 * entrypoints over Workers RPC, as in production.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Plugin folder name → its bundled Worker (`index.js`). */
    pluginScriptPaths: Record<string, string>;
  }
}

/** The plugin Workers the API binds (folder names under plugins/); each is built when its source exists. */
export const API_PLUGINS = ["template", "n-of-1", "charts"] as const;

const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  const root = here(`../.wrangler/test-build/plugins-${process.pid}-${Date.now().toString(36)}`);
  const paths: Record<string, string> = {};
  // One after the other: each build is a wrangler process, and the machine is shared.
  for (const plugin of API_PLUGINS) {
    if (!existsSync(here(`../plugins/${plugin}/src/index.ts`))) continue;
    const outdir = `${root}/${plugin}`;
    try {
      await run(
        process.execPath,
        [wrangler, "deploy", "--dry-run", "--outdir", outdir, "-c", here(`../plugins/${plugin}/wrangler.toml`)],
        { env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" }, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      throw new Error(`Building plugins/${plugin} failed:\n${stdout}\n${stderr}`);
    }
    // Every plugin's wrangler.toml has main = src/index.ts: the bundle is index.js.
    paths[plugin] = `${outdir}/index.js`;
  }
  project.provide("pluginScriptPaths", paths);
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}
