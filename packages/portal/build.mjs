// Builds the owner's portal (docs/portal.md) into the API Worker's static assets: one script and one
// stylesheet under workers/api/public/app/assets/, served at /app/assets/ (the page itself is the Worker's
// route workers/api/src/routes/app_portal.ts, which sets the Content-Security-Policy). Runs on
// `npm install` (postinstall) and on `npm start`; the output is git-ignored, so a clean clone builds it.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "workers", "api", "public", "app", "assets");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, "src", "main.ts")],
  outfile: join(out, "portal.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  // Browsers of the last few years; nothing is polyfilled.
  target: ["es2022"],
  minify: true,
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync(join(here, "src", "portal.css"), join(out, "portal.css"));
