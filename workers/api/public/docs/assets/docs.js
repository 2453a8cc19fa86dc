// Starts Swagger UI on the platform's OpenAPI document. Kept out of the HTML so the page needs no
// inline script (Content-Security-Policy: script-src 'self').
window.addEventListener("load", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
  });
});
