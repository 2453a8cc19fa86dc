/**
 * /docs signs in for real: what Swagger UI does on "Authorize" with the document's `oauth2` scheme
 * and docs.js's settings (authorization code with PKCE, RFC 7636 S256, as a public client, redirected
 * to Swagger UI's oauth2-redirect.html), against the platform's own authorization server, and the
 * token it gets is accepted by an operation that names the scope.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser } from "../../test/browser";
import { api, BASE, json } from "../../test/helpers";
import { CHALLENGE, makeClient, makeTenant, makeUser, VERIFIER } from "../../test/identity";

interface Flows {
  authorizationCode: { authorizationUrl: string; tokenUrl: string; scopes: Record<string, string> };
}

describe("signing in from /docs", () => {
  it("gets a token with the oauth2 scheme's authorization code flow and PKCE, and uses it", async () => {
    const doc = await json<{
      servers: Array<{ url: string }>;
      components: { securitySchemes: { oauth2: { flows: Flows } } };
    }>(await api("/openapi.json"));
    const flow = doc.components.securitySchemes.oauth2.flows.authorizationCode;
    const server = doc.servers[0]?.url ?? BASE;
    // Relative URLs resolve against the server (OpenAPI 3.1.0 §4.6), as Swagger UI resolves them.
    const authorizationUrl = new URL(flow.authorizationUrl, server);
    const tokenUrl = new URL(flow.tokenUrl, server);
    expect(flow.scopes["observations:read"]).toBeDefined();

    // Swagger UI's settings: the redirect page it is configured with, and that page is served.
    const script = await (await env.ASSETS.fetch(new Request(`${BASE}/docs/assets/docs.js`))).text();
    expect(script).toContain("usePkceWithAuthorizationCodeGrant: true");
    const redirectPath = /oauth2RedirectUrl: `\$\{window\.location\.origin\}([^`]+)`/.exec(script)?.[1];
    expect(redirectPath).toBe("/docs/assets/vendor/oauth2-redirect.html");
    const redirectUri = `${BASE}${redirectPath}`;
    const page = await env.ASSETS.fetch(new Request(redirectUri));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("oauth2-redirect.js");

    // The local tenant's docs client (scripts/start.ts) is a public client with that redirect URI.
    const tenant = await makeTenant();
    const user = await makeUser(tenant);
    const client = await makeClient(tenant, { type: "public", redirectUri });
    const query = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: redirectUri,
      scope: "openid observations:read",
      state: "swagger-state",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    });
    const browser = new Browser(redirectUri);
    const end = await browser.signIn(
      await browser.open(`${authorizationUrl.pathname}?${query}`),
      user.email,
      user.password,
    );
    const back = new URL(end.location ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get("state")).toBe("swagger-state");
    const code = back.searchParams.get("code");
    expect(code).toBeTruthy();

    // Swagger UI's token request for a public client: client_id in the body, the PKCE verifier, no secret.
    const res = await api(tokenUrl.pathname, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code ?? "",
        client_id: client.clientId,
        redirect_uri: redirectUri,
        code_verifier: VERIFIER,
      }),
    });
    expect(res.status).toBe(200);
    const token = await json<{ access_token: string; scope: string }>(res);
    expect(token.scope.split(" ")).toContain("observations:read");

    const stats = await api("/v1/me/stats", { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(stats.status).toBe(200);
  });
});
