import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { api, BASE, expectProblem, json } from "../test/helpers";
import { authed } from "../test/identity";
import { newApp } from "./app";
import type { HealthResponse } from "./routes/health";

describe("errors are RFC 9457 problem details", () => {
  it("404s an unknown route", async () => {
    const problem = await expectProblem(await api("/v1/nope"), 404, "route_not_found");
    expect(problem.instance).toBe("/v1/nope");
  });

  it("405s a known route with the wrong method and lists the allowed ones", async () => {
    const res = await api("/v1/variables", { method: "DELETE" });
    await expectProblem(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("hides the internals of an unexpected error and logs them with the request id", async () => {
    const app = newApp();
    app.get("/boom", () => {
      throw new Error("secret table name users_private");
    });
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    const res = await app.request("/boom", { headers: { "X-Request-Id": "req-123" } }, env, ctx);
    await waitOnExecutionContext(ctx);
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(text).not.toContain("secret");
    expect(JSON.parse(text)).toMatchObject({ code: "internal_error", request_id: "req-123" });
    expect(log).toHaveBeenCalledWith(expect.stringContaining("secret table name"));
    expect(log).toHaveBeenCalledWith(expect.stringContaining("req-123"));
    log.mockRestore();
  });

  it("answers 503 with Retry-After when the database is down, on data routes and on health", async () => {
    const app = newApp();
    const down = {
      ...env,
      HYPERDRIVE: { ...env.HYPERDRIVE, connectionString: "postgres://postgres@127.0.0.1:1/none" },
    };
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const path of ["/v1/variables", "/health"]) {
      const ctx = createExecutionContext();
      // A bearer token makes even the token check need the database.
      const res = await app.request(path, { headers: { Authorization: "Bearer abc.def.ghi" } }, down, ctx);
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toMatchObject({ code: "service_unavailable" });
    }
    log.mockRestore();
  });

  it("documents every problem type at its type URI", async () => {
    const problem = await expectProblem(await authed("/v1/variables?limit=abc"), 400, "validation_failed");
    const res = await api(new URL(problem.type).pathname);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: "validation_failed", status: 400 });
    await expectProblem(await api("/problems/no_such_code"), 404, "not_found");
  });
});

describe("request ids", () => {
  it("echoes a safe incoming X-Request-Id and replaces an unsafe one", async () => {
    const echoed = await api("/problems/not_found", { headers: { "X-Request-Id": "trace-abc.1" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-abc.1");
    const replaced = await api("/problems/not_found", { headers: { "X-Request-Id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("GET /health", () => {
  it("checks the database and reports the migrations applied", async () => {
    const res = await api("/health");
    expect(res.status).toBe(200);
    const body = await json<HealthResponse>(res);
    expect(body.status).toBe("ok");
    expect(body.checks.database.status).toBe("ok");
    expect(body.checks.database.migrations).toBeGreaterThanOrEqual(2);
  });
});

describe("API reference", () => {
  it("serves the OpenAPI 3.1 document with every route", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = await json<{ openapi: string; paths: Record<string, unknown>; servers: Array<{ url: string }> }>(res);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]?.url).toBe(BASE);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/.well-known/jwks.json",
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
        "/.well-known/smart-configuration",
        "/health",
        "/oauth/authorize",
        "/oauth/consent",
        "/oauth/device",
        "/oauth/device/decision",
        "/oauth/device_authorization",
        "/oauth/forgot-password",
        "/oauth/introspect",
        "/oauth/login",
        "/oauth/logout",
        "/oauth/mfa",
        "/oauth/mfa/enrol",
        "/oauth/register",
        "/oauth/reset-password",
        "/oauth/revoke",
        "/oauth/signup",
        "/oauth/token",
        "/oauth/userinfo",
        "/oauth/verify-email",
        "/oauth/verify-email/resend",
        "/problems/{code}",
        "/v1/admin/audit/checkpoints",
        "/v1/admin/audit/verify",
        "/v1/admin/code-mappings",
        "/v1/admin/custodian-links",
        "/v1/admin/groups",
        "/v1/admin/groups/{id}/members/{user_id}",
        "/v1/admin/plugins",
        "/v1/admin/plugins/{id}",
        "/v1/admin/retention",
        "/v1/admin/unmapped-codes",
        "/v1/analyses",
        "/v1/analyses/{id}",
        "/v1/connectors",
        "/v1/connectors/{id}/callback",
        "/v1/connectors/{id}/webhook",
        "/v1/consents",
        "/v1/consents/{id}",
        "/v1/files",
        "/v1/files/{id}",
        "/v1/files/{id}/columns",
        "/v1/files/{id}/content",
        "/v1/files/{id}/reprocess",
        "/v1/ingest/files",
        "/v1/ingest/jobs/{id}",
        "/v1/ingest/observations",
        "/v1/me",
        "/v1/me/access-log",
        "/v1/me/apps",
        "/v1/me/apps/{client_id}",
        "/v1/me/connections",
        "/v1/me/connections/{id}",
        "/v1/me/connections/{id}/sync",
        "/v1/me/exports",
        "/v1/me/exports/{id}",
        "/v1/me/exports/{id}/download",
        "/v1/me/mfa/recovery-codes",
        "/v1/me/mfa/totp",
        "/v1/me/mfa/totp/confirm",
        "/v1/me/notices",
        "/v1/me/notices/{id}/read",
        "/v1/me/observations",
        "/v1/me/security",
        "/v1/me/sessions",
        "/v1/me/sessions/{id}",
        "/v1/me/stats",
        "/v1/observations",
        "/v1/observations/summary",
        "/v1/plugins",
        "/v1/studies",
        "/v1/studies/{id}/members",
        "/v1/studies/{id}/observations",
        "/v1/units",
        "/v1/uploads",
        "/v1/uploads/{id}",
        "/v1/variable-categories",
        "/v1/variables",
        "/v1/variables/{id}",
        "/v1/visualizations/{kind}",
        "/v1/webhooks",
        "/v1/webhooks/{id}",
        "/v1/webhooks/{id}/deliveries",
        "/v1/webhooks/{id}/deliveries/{delivery_id}/replay",
        "/v1/webhooks/{id}/rotate-secret",
      ].sort(),
    );
  });

  it("serves Swagger UI at /docs from the Worker's own assets", async () => {
    const res = await api("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<div id="swagger-ui">');
    expect(html).toContain("/docs/assets/vendor/swagger-ui-bundle.js");
    // Static assets are served by the assets layer in front of the Worker (wrangler.toml [assets]).
    const init = await env.ASSETS.fetch(new Request(`${BASE}/docs/assets/docs.js`));
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('url: "/openapi.json"');
    const bundle = await env.ASSETS.fetch(new Request(`${BASE}/docs/assets/vendor/swagger-ui-bundle.js`));
    expect(bundle.status).toBe(200);
    await bundle.body?.cancel();
  });
});

describe("CORS", () => {
  it("answers a preflight from a browser app", async () => {
    const res = await api("/v1/variables", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});
