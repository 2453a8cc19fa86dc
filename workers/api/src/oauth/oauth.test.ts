/**
 * The authorization server driven by a real OAuth 2.0 / OpenID Connect client library
 * (oauth4webapi) through the real Worker, with tokens verified by jose from the published JWKS.
 */
import { createRemoteJWKSet, decodeProtectedHeader, customFetch as joseFetch, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm } from "../../test/browser";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  makeClient,
  makeTenant,
  makeUser,
  resetPassword,
  type TestClient,
  type TestTenant,
  type TestUser,
} from "../../test/identity";

/** oauth4webapi and jose fetch through the Worker itself; http is fine on the loopback test origin. */
function viaWorker(url: string, init: { method?: string; headers?: HeadersInit; body?: unknown }): Promise<Response> {
  const request: RequestInit = { headers: init.headers ?? {}, redirect: "manual" };
  if (init.method !== undefined) request.method = init.method;
  // oauth4webapi sends URLSearchParams or strings; both are valid fetch bodies.
  if (init.body !== undefined && init.body !== null) request.body = init.body as BodyInit;
  return api(url, request);
}
const options = { [oauth.customFetch]: viaWorker, [oauth.allowInsecureRequests]: true } as const;

let as: oauth.AuthorizationServer;
let tenant: TestTenant;
let user: TestUser;
let publicClient: TestClient;
let confidential: TestClient;

beforeAll(async () => {
  as = await oauth.processDiscoveryResponse(
    new URL(BASE),
    await oauth.discoveryRequest(new URL(BASE), { ...options, algorithm: "oauth2" }),
  );
  tenant = await makeTenant();
  user = await makeUser(tenant);
  publicClient = await makeClient(tenant, { type: "public" });
  confidential = await makeClient(tenant, { type: "confidential" });
});

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  url: URL;
}

async function startFlow(client: TestClient, scope: string, extra: Record<string, string> = {}): Promise<Flow> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint ?? "");
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...extra,
  }).toString();
  return { verifier, state, nonce, url };
}

/** Runs the whole code flow for `who` and returns the token response and the client's view. */
async function codeFlow(
  client: TestClient,
  who: TestUser,
  scope = "openid email profile offline_access observations:read",
) {
  const flow = await startFlow(client, scope);
  const browser = new Browser(client.redirectUri);
  const end = await browser.signIn(await browser.open(flow.url.toString()), who.email, who.password);
  expect(end.location).not.toBeNull();
  const oauthClient: oauth.Client = { client_id: client.clientId };
  const auth = client.clientSecret === null ? oauth.None() : oauth.ClientSecretBasic(client.clientSecret);
  const params = oauth.validateAuthResponse(as, oauthClient, new URL(end.location ?? ""), flow.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    oauthClient,
    auth,
    params,
    client.redirectUri,
    flow.verifier,
    options,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, oauthClient, response, {
    expectedNonce: flow.nonce,
    requireIdToken: scope.includes("openid"),
  });
  return { tokens, oauthClient, auth, params, flow, browser };
}

function userinfo(accessToken: string): Promise<Response> {
  return api("/oauth/userinfo", { headers: { Authorization: `Bearer ${accessToken}` } });
}

/** The token endpoint refuses the refresh token: `invalid_grant` (RFC 6749 §5.2). */
async function expectRefreshRefused(client: oauth.Client, auth: oauth.ClientAuth, refreshToken: string): Promise<void> {
  await expect(
    oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, options),
    ),
  ).rejects.toMatchObject({ error: "invalid_grant" });
}

/** The UserInfo endpoint refuses the token as RFC 6750 §3.1 says: 401, `invalid_token`. */
async function expectRefused(accessToken: string): Promise<void> {
  const res = await userinfo(accessToken);
  expect(res.status).toBe(401);
  expect(await json<{ error: string }>(res)).toMatchObject({ error: "invalid_token" });
}

describe("discovery", () => {
  it("publishes RFC 8414 and OpenID metadata with PKCE S256 only", async () => {
    expect(as.issuer).toBe(BASE);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]),
    );
    const oidc = await json<Record<string, unknown>>(await api("/.well-known/openid-configuration"));
    expect(oidc).toEqual(await json(await api("/.well-known/oauth-authorization-server")));
    expect(oidc.id_token_signing_alg_values_supported).toEqual(["ES256"]);
  });
});

describe("authorization code flow with PKCE", () => {
  it("issues ES256 JWTs that verify against the JWKS, with the platform's claims", async () => {
    const { tokens, flow } = await codeFlow(publicClient, user);
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ""), { [joseFetch]: viaWorker });
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: BASE,
      audience: `${BASE}/v1`,
      typ: "at+jwt",
    });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload).toMatchObject({
      sub: user.id,
      tenant: tenant.id,
      client_id: publicClient.clientId,
      roles: ["data_owner"],
    });
    expect(String(payload.scope).split(" ").sort()).toEqual([
      "email",
      "observations:read",
      "offline_access",
      "openid",
      "profile",
    ]);
    expect(typeof payload.jti).toBe("string");
    expect(Number(payload.exp) - Number(payload.iat)).toBeLessThanOrEqual(15 * 60);
    const id = await jwtVerify(tokens.id_token ?? "", jwks, { issuer: BASE, audience: publicClient.clientId });
    expect(id.payload).toMatchObject({
      sub: user.id,
      nonce: flow.nonce,
      email: user.email,
      email_verified: true,
      amr: ["pwd"],
    });
    expect(tokens.refresh_token).toBeTruthy();
  });

  it("serves userinfo for the access token", async () => {
    const { tokens, oauthClient } = await codeFlow(publicClient, user);
    const res = await oauth.userInfoRequest(as, oauthClient, tokens.access_token, options);
    const info = await oauth.processUserInfoResponse(as, oauthClient, user.id, res);
    expect(info).toMatchObject({ sub: user.id, email: user.email });
  });

  it("skips the consent screen once the scopes are granted", async () => {
    const first = await codeFlow(publicClient, user, "openid observations:read");
    const flow = await startFlow(publicClient, "openid observations:read");
    const page = await first.browser.open(flow.url.toString());
    expect(page.location).toMatch(/[?&]code=/);
  });

  it("rotates refresh tokens and revokes the family when an old one is reused", async () => {
    const { tokens, oauthClient, auth } = await codeFlow(confidential, user);
    const first = tokens.refresh_token ?? "";
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      oauthClient,
      await oauth.refreshTokenGrantRequest(as, oauthClient, auth, first, options),
    );
    const second = refreshed.refresh_token ?? "";
    expect(second).not.toBe(first);
    // Reuse of the first token: refused, and the family (so the second token too) is revoked.
    await expectRefreshRefused(oauthClient, auth, first);
    await expectRefreshRefused(oauthClient, auth, second);
  });

  it("narrows scope on refresh but never widens it", async () => {
    const { tokens, oauthClient, auth } = await codeFlow(confidential, user);
    const narrowed = await oauth.processRefreshTokenResponse(
      as,
      oauthClient,
      await oauth.refreshTokenGrantRequest(as, oauthClient, auth, tokens.refresh_token ?? "", {
        ...options,
        additionalParameters: { scope: "observations:read" },
      }),
    );
    expect(narrowed.scope).toBe("observations:read");
    await expect(
      oauth.processRefreshTokenResponse(
        as,
        oauthClient,
        await oauth.refreshTokenGrantRequest(as, oauthClient, auth, narrowed.refresh_token ?? "", {
          ...options,
          additionalParameters: { scope: "files:read" },
        }),
      ),
    ).rejects.toMatchObject({ error: "invalid_scope" });
  });

  it("refuses a replayed code and revokes what the first redemption issued", async () => {
    const { tokens, oauthClient, auth, params, flow } = await codeFlow(confidential, user);
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    const again = await oauth.authorizationCodeGrantRequest(
      as,
      oauthClient,
      auth,
      params,
      confidential.redirectUri,
      flow.verifier,
      options,
    );
    await expect(
      oauth.processAuthorizationCodeResponse(as, oauthClient, again, { expectedNonce: flow.nonce }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
    await expectRefreshRefused(oauthClient, auth, tokens.refresh_token ?? "");
    // RFC 6749 §4.1.2: the access token the code bought is revoked too, not only the refresh family.
    await expectRefused(tokens.access_token);
  });

  it("refuses a PKCE verifier that does not match", async () => {
    const flow = await startFlow(publicClient, "openid");
    const browser = new Browser(publicClient.redirectUri);
    const end = await browser.signIn(await browser.open(flow.url.toString()), user.email, user.password);
    const oauthClient = { client_id: publicClient.clientId };
    const params = oauth.validateAuthResponse(as, oauthClient, new URL(end.location ?? ""), flow.state);
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      oauthClient,
      oauth.None(),
      params,
      publicClient.redirectUri,
      oauth.generateRandomCodeVerifier(),
      options,
    );
    await expect(oauth.processAuthorizationCodeResponse(as, oauthClient, res)).rejects.toMatchObject({
      error: "invalid_grant",
    });
  });

  it("refuses a redirect URI that differs from the registered one, on a page and not by redirecting", async () => {
    const flow = await startFlow(publicClient, "openid", { redirect_uri: "https://app.example/callback/../evil" });
    const page = await new Browser(publicClient.redirectUri).open(flow.url.toString());
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.html).toContain("not registered");
  });

  it("refuses a redirect URI at the token endpoint that differs from the authorization request", async () => {
    const flow = await startFlow(publicClient, "openid");
    const browser = new Browser(publicClient.redirectUri);
    const end = await browser.signIn(await browser.open(flow.url.toString()), user.email, user.password);
    const code = new URL(end.location ?? "").searchParams.get("code") ?? "";
    const res = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: publicClient.clientId,
        redirect_uri: "http://127.0.0.1:8976/callback",
        code_verifier: flow.verifier,
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("requires PKCE, and S256", async () => {
    for (const extra of [{ code_challenge: "" }, { code_challenge_method: "plain" }]) {
      const flow = await startFlow(publicClient, "openid", extra);
      const page = await new Browser(publicClient.redirectUri).open(flow.url.toString());
      const redirect = new URL(page.location ?? "");
      expect(redirect.searchParams.get("error")).toBe("invalid_request");
      expect(redirect.searchParams.get("state")).toBe(flow.state);
      expect(redirect.searchParams.get("iss")).toBe(BASE);
    }
  });

  it("refuses scopes the client may not ask for", async () => {
    const narrow = await makeClient(tenant, { type: "public", scopes: ["openid"] });
    const flow = await startFlow(narrow, "openid observations:write");
    const page = await new Browser(narrow.redirectUri).open(flow.url.toString());
    expect(new URL(page.location ?? "").searchParams.get("error")).toBe("invalid_scope");
  });

  it("sends access_denied when the user denies consent", async () => {
    const flow = await startFlow(publicClient, "openid files:read");
    const browser = new Browser(publicClient.redirectUri);
    const end = await browser.signIn(await browser.open(flow.url.toString()), user.email, user.password, "deny");
    expect(new URL(end.location ?? "").searchParams.get("error")).toBe("access_denied");
  });

  it("refuses a disabled user's refresh", async () => {
    const other = await makeUser(tenant);
    const { tokens, oauthClient, auth } = await codeFlow(confidential, other);
    const handle = await testDb();
    await handle.client.query("update users set status = 'disabled' where id = $1", [other.id]);
    await handle.close();
    await expectRefreshRefused(oauthClient, auth, tokens.refresh_token ?? "");
  });
});

describe("password reset", () => {
  it("ends every session and revokes every token and code issued before it", async () => {
    const victim = await makeUser(tenant);
    const { tokens, oauthClient, auth, browser } = await codeFlow(confidential, victim);
    // A code the session obtained but nobody has redeemed yet.
    const pending = await startFlow(confidential, "openid observations:read");
    const issued = await browser.open(pending.url.toString());
    expect(issued.location).toMatch(/[?&]code=/);
    expect((await userinfo(tokens.access_token)).status).toBe(200);

    await resetPassword(publicClient, victim, "a brand new password");

    // RFC 9700 §4.13 / OWASP Forgot Password Cheat Sheet: whoever held the account before the reset
    // keeps nothing: the access token, the refresh token, the browser session and the unredeemed code.
    await expectRefused(tokens.access_token);
    await expectRefreshRefused(oauthClient, auth, tokens.refresh_token ?? "");
    const again = await browser.open((await startFlow(confidential, "openid observations:read")).url.toString());
    expect(again.location).toBeNull();
    expect(again.html).toContain('action="/oauth/login"');
    const params = oauth.validateAuthResponse(as, oauthClient, new URL(issued.location ?? ""), pending.state);
    await expect(
      oauth.processAuthorizationCodeResponse(
        as,
        oauthClient,
        await oauth.authorizationCodeGrantRequest(
          as,
          oauthClient,
          auth,
          params,
          confidential.redirectUri,
          pending.verifier,
          options,
        ),
        { expectedNonce: pending.nonce },
      ),
    ).rejects.toMatchObject({ error: "invalid_grant" });

    // The new password works, and what it signs in to is not caught by the revocation.
    const fresh = await codeFlow(confidential, { ...victim, password: "a brand new password" });
    expect((await userinfo(fresh.tokens.access_token)).status).toBe(200);
  });
});

describe("client credentials, revocation and introspection", () => {
  it("issues a token to a confidential client for itself", async () => {
    const client = { client_id: confidential.clientId };
    const auth = oauth.ClientSecretBasic(confidential.clientSecret ?? "");
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        new URLSearchParams({ scope: "observations:read" }),
        options,
      ),
    );
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header.typ).toBe("at+jwt");
    expect(tokens.scope).toBe("observations:read");
  });

  it("refuses client credentials to public clients and wrong secrets", async () => {
    const res = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: publicClient.clientId }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "unauthorized_client" });
    const wrong = await api("/oauth/token", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${btoa(`${confidential.clientId}:nope`)}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });
  });

  it("introspects active tokens, and inactive ones after revocation (RFC 7009, RFC 7662)", async () => {
    const { tokens } = await codeFlow(confidential, user);
    const client = { client_id: confidential.clientId };
    const auth = oauth.ClientSecretBasic(confidential.clientSecret ?? "");
    const active = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, options),
    );
    expect(active).toMatchObject({ active: true, sub: user.id, client_id: confidential.clientId });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.access_token, options),
    );
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, options),
    );
    expect(after.active).toBe(false);
    // The revoked token no longer opens the API.
    const res = await api("/v1/variables?limit=1", { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    await expectProblem(res, 401, "unauthorized");
    // Revoking the refresh token ends its family.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.refresh_token ?? "", options),
    );
    const refresh = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.refresh_token ?? "", options),
    );
    expect(refresh.active).toBe(false);
  });

  it("does not introspect another tenant's tokens", async () => {
    const { tokens } = await codeFlow(confidential, user);
    const foreign = await makeClient(await makeTenant());
    const client = { client_id: foreign.clientId };
    const result = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(
        as,
        client,
        oauth.ClientSecretBasic(foreign.clientSecret ?? ""),
        tokens.access_token,
        options,
      ),
    );
    expect(result.active).toBe(false);
  });
});

describe("login protection", () => {
  it("locks an account after five failed passwords, even for the right password", async () => {
    const victim = await makeUser(tenant);
    const flow = await startFlow(publicClient, "openid");
    const browser = new Browser(publicClient.redirectUri);
    let page = await browser.open(flow.url.toString());
    for (let i = 0; i < 5; i++) {
      page = await browser.submit(findForm(page.html, "/oauth/login"), {
        email: victim.email,
        password: "wrong password!",
      });
      expect(page.status).toBe(401);
    }
    page = await browser.submit(findForm(page.html, "/oauth/login"), {
      email: victim.email,
      password: victim.password,
    });
    expect(page.status).toBe(403);
    expect(page.html).toContain("locked");
  });

  it("answers 429 with Retry-After when one address hammers the token endpoint", async () => {
    // The limiter counts in fixed windows aligned to the clock (60 per 60 s), so a run that straddles a
    // window boundary can spread 70 requests over two windows without tripping it. 2 × 60 + 1 requests
    // always put 61 in one window as long as the loop lasts less than a minute; it stops at the first 429.
    let last: Response | null = null;
    for (let i = 0; i < 121; i++) {
      last = await api("/oauth/token", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "192.0.2.99" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: "nobody" }),
      });
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(last?.headers.get("retry-after")).toBe("60");
    expect(last?.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("loopback redirect URIs (RFC 8252 §7.3)", () => {
  it("accept any port for a registered loopback IP URI, but not another path or host", async () => {
    const ok = await startFlow(publicClient, "openid", { redirect_uri: "http://127.0.0.1:49152/callback" });
    const browser = new Browser("http://127.0.0.1:49152/callback");
    const end = await browser.signIn(await browser.open(ok.url.toString()), user.email, user.password);
    expect(end.location).toMatch(/^http:\/\/127\.0\.0\.1:49152\/callback\?code=/);
    for (const uri of [
      "http://127.0.0.1:49152/other",
      "http://localhost:49152/callback",
      "http://127.0.0.2:8976/callback",
    ]) {
      const flow = await startFlow(publicClient, "openid", { redirect_uri: uri });
      const page = await new Browser(uri).open(flow.url.toString());
      expect(page.status).toBe(400);
      expect(page.location).toBeNull();
    }
  });
});
