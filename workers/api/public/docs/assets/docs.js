// Starts Swagger UI on the platform's OpenAPI document. Kept out of the HTML so the page needs no
// inline script (Content-Security-Policy: script-src 'self').
//
// "Authorize" signs in for real through the platform's authorization server: the document's `oauth2`
// scheme (authorization code with PKCE, RFC 7636 S256), as the public client `dfda-api-docs` that
// `npm start` creates in the local tenant (scripts/start.ts). The redirect page is Swagger UI's own
// oauth2-redirect.html, registered as that client's redirect URI.
window.addEventListener("load", () => {
  const ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    oauth2RedirectUrl: `${window.location.origin}/docs/assets/vendor/oauth2-redirect.html`,
    // Keeps the token across reloads of this page (this origin's localStorage).
    persistAuthorization: true,
  });
  ui.initOAuth({
    clientId: "dfda-api-docs",
    appName: "dFDA API reference",
    usePkceWithAuthorizationCodeGrant: true,
    scopes: ["openid"],
  });
  window.ui = ui;
});
