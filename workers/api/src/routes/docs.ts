import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../lib/types";

/**
 * The interactive API reference: Swagger UI, served from this Worker's static assets
 * (`/docs/assets/vendor`, copied from swagger-ui-dist on install) and pointed at `/openapi.json`.
 */
const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>dFDA health-data platform: API reference</title>
  <link rel="icon" type="image/png" href="/docs/assets/vendor/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/vendor/swagger-ui.css">
</head>
<body>
  <noscript>The interactive reference needs JavaScript. The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/vendor/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/docs.js"></script>
</body>
</html>`;

export function register(app: OpenAPIHono<AppEnv>) {
  app.get("/docs", (c) =>
    c.html(DOCS_HTML, 200, {
      "Content-Security-Policy":
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'",
      "Cache-Control": "public, max-age=300",
    }),
  );
}
