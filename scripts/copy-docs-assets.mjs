// Copies Swagger UI (swagger-ui-dist, Apache-2.0) into the API Worker's static assets so /docs works
// offline and without a CDN. Runs on `npm install` (postinstall); the copies are git-ignored.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const source = dirname(require.resolve("swagger-ui-dist/package.json"));
const target = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "workers",
  "api",
  "public",
  "docs",
  "assets",
  "vendor",
);
mkdirSync(target, { recursive: true });
for (const file of [
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "favicon-32x32.png",
  // The page the authorization server redirects to after "Authorize" (OAuth 2.0 with PKCE) in /docs.
  "oauth2-redirect.html",
  "oauth2-redirect.js",
  "LICENSE",
  "NOTICE",
]) {
  copyFileSync(join(source, file), join(target, file));
}
