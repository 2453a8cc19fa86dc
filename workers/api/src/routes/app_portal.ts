import { ApiError } from "@dfda/core";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../lib/types";

/**
 * The owner's portal (packages/portal, docs/portal.md): one HTML page for `/app` and every deep link under
 * it (`/app/upload`, `/app/sharing`, …), so a reload or a bookmarked page opens the same app, which then
 * routes on the path (History API). The script and stylesheet are this Worker's static assets
 * (`/app/assets/…`, built from packages/portal on install and by `npm start`), matched before the Worker
 * runs; an asset path that reaches this route does not exist and is a 404, never the page.
 *
 * Content-Security-Policy (CSP Level 3): no inline script or style, everything from this origin, the API
 * reached only here (`connect-src 'self'`), charts as `blob:` images, no framing, no `<base>` and forms
 * only to this origin. Referrer-Policy `no-referrer`: the sign-in's redirect lands on `/app/callback` with
 * the authorization code in its query (RFC 6749 §10.5: keep the code out of referrers).
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const PORTAL_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Your health data</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/app/assets/portal.css">
  <script src="/app/assets/portal.js" defer></script>
</head>
<body>
  <div id="app"><p class="loading" role="status">Loading…</p></div>
  <noscript>The portal needs JavaScript. Everything it does is also in the API: <a href="/docs">/docs</a>.</noscript>
</body>
</html>`;

export function register(app: OpenAPIHono<AppEnv>) {
  const page = (c: Context<AppEnv>) => {
    if (c.req.path.startsWith("/app/assets/")) {
      throw new ApiError("route_not_found", { detail: `No portal asset at ${c.req.path}.` });
    }
    return c.html(PORTAL_HTML, 200, {
      "Content-Security-Policy": PORTAL_CSP,
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-cache",
    });
  };
  app.get("/app", page);
  app.get("/app/*", page);
}
