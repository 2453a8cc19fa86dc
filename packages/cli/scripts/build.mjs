#!/usr/bin/env node
// Builds dist/dfda.mjs: the whole `dfda` command in one ES module for Node 20+, run with plain `node`
// (no tsx at run time), so the package installs outside this repository (`npm pack`, then
// `npm install -g` of the tarball). The workspace packages and the pure-JavaScript libraries are bundled;
// `pg` stays external (declared in dependencies): the operator commands load it from node_modules.
import { chmod, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
const outfile = join(root, "dist/dfda.mjs");

await build({
  entryPoints: [join(root, "src/bin.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: Object.keys(pkg.dependencies ?? {}),
  // Bundled CommonJS modules (papaparse, drizzle's helpers) call require(): give the ES module one.
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __dfdaCreateRequire } from "node:module";',
      "const require = __dfdaCreateRequire(import.meta.url);",
    ].join("\n"),
  },
  legalComments: "linked",
  logLevel: "warning",
});
await chmod(outfile, 0o755);
