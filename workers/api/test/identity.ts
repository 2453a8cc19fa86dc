/**
 * Test fixtures for identity: tenants, users and OAuth clients made through the same repository
 * functions the `dfda` CLI uses, and tokens obtained from the real token endpoint.
 */

import { hashPassword, randomToken, sha256Hex, totp } from "@dfda/auth";
import type { RoleName } from "@dfda/core";
import { createClient, createTenant, createUser } from "@dfda/db/repositories/identity";
import { Browser, deviceIp, findForm } from "./browser";
import { api, BASE, testDb } from "./helpers";

export interface TestTenant {
  id: string;
  slug: string;
}

export interface TestClient {
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export async function makeTenant(settings: Record<string, unknown> = {}): Promise<TestTenant> {
  const handle = await testDb();
  try {
    const slug = `t-${randomToken(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "x")}`;
    return await createTenant(handle.db, { slug, name: `Tenant ${slug}`, settings });
  } finally {
    await handle.close();
  }
}

export async function makeUser(
  tenant: TestTenant,
  roles: RoleName[] = ["data_owner"],
  password = "correct horse battery staple",
): Promise<TestUser> {
  const handle = await testDb();
  try {
    const email = `${randomToken(6)}@example.org`.toLowerCase();
    const { id } = await createUser(handle.db, {
      tenantId: tenant.id,
      email,
      passwordHash: await hashPassword(password),
      roles,
      emailVerified: true,
    });
    return { id, email, password };
  } finally {
    await handle.close();
  }
}

/**
 * An OAuth client, third-party unless `firstParty` (the operator's mark, `dfda client create
 * --first-party`): only a first-party client's fresh sign-in may call the operations that need the
 * person themselves (erasure, second-factor changes, bulk deletes; docs/identity.md). Those tests get
 * their token right before the call (`userToken`, a real sign-in), so its `auth_time` is recent.
 */
export async function makeClient(
  tenant: TestTenant,
  options: {
    type?: "public" | "confidential";
    scopes?: string[];
    grantTypes?: string[];
    redirectUri?: string;
    firstParty?: boolean;
  } = {},
): Promise<TestClient> {
  const type = options.type ?? "confidential";
  const clientId = `test_${randomToken(9)}`;
  const clientSecret = type === "confidential" ? randomToken(32) : null;
  const redirectUri = options.redirectUri ?? "https://app.example/callback";
  const handle = await testDb();
  try {
    await createClient(handle.db, {
      tenantId: tenant.id,
      clientId,
      name: "Test app",
      clientType: type,
      secretHash: clientSecret === null ? null : await sha256Hex(clientSecret),
      redirectUris: [redirectUri, "http://127.0.0.1:8976/callback"],
      allowedScopes: options.scopes ?? [
        "openid",
        "profile",
        "email",
        "offline_access",
        "observations:read",
        "observations:write",
        "files:read",
        "clients:manage",
      ],
      grantTypes:
        options.grantTypes ??
        (type === "confidential"
          ? ["authorization_code", "refresh_token", "client_credentials"]
          : ["authorization_code", "refresh_token"]),
      firstParty: options.firstParty ?? false,
    });
    return { clientId, clientSecret, redirectUri };
  } finally {
    await handle.close();
  }
}

/** A token from the client credentials grant (RFC 6749 §4.4) at the real token endpoint. */
export async function clientToken(client: TestClient, scope?: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (scope) body.set("scope", scope);
  const res = await api("/oauth/token", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret ?? ""}`)}`,
      "CF-Connecting-IP": deviceIp(),
    },
    body,
  });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The RFC 7636 Appendix B verifier and its S256 challenge, for flows whose PKCE is not under test. */
export const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
export const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** A user's access token from the real authorization-code flow: sign-in page, consent, token endpoint. */
export async function userToken(client: TestClient, user: TestUser, scope: string): Promise<string> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  const browser = new Browser(client.redirectUri);
  const end = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), user.email, user.password);
  const code = new URL(end.location ?? "").searchParams.get("code");
  if (!code) throw new Error(`no code: ${end.location} ${end.html.slice(0, 500)}`);
  return exchangeCode(client, code);
}

/**
 * `userToken` for a person with a second factor: signs in with the password, then answers the second
 * step with `code` (a TOTP code or a recovery code), so the token's `amr` holds `otp` (RFC 8176).
 */
export async function userTokenWithSecondFactor(
  client: TestClient,
  user: TestUser,
  scope: string,
  code: string,
): Promise<string> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  const browser = new Browser(client.redirectUri);
  const mfa = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), user.email, user.password, null);
  let end = await browser.submit(findForm(mfa.html, "/oauth/mfa"), { code });
  if (end.location === null && end.html.includes('action="/oauth/consent"'))
    end = await browser.submit(findForm(end.html, "/oauth/consent"), { decision: "approve" });
  const issued = new URL(end.location ?? "").searchParams.get("code");
  if (!issued) throw new Error(`no code after the second step: ${end.location} ${end.html.slice(0, 500)}`);
  return exchangeCode(client, issued);
}

/**
 * Resets a user's password the way the person would: "forgot password" from the sign-in page, then
 * the link from the e-mail the outbox holds, in a browser of its own.
 */
export async function resetPassword(client: TestClient, user: TestUser, password: string): Promise<void> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid",
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  const browser = new Browser(client.redirectUri);
  const login = await browser.open(`/oauth/authorize?${q}`);
  const forgotLink = /href="(\/oauth\/forgot-password\?[^"]+)"/.exec(login.html)?.[1]?.replace(/&amp;/g, "&") ?? "";
  const forgot = await browser.open(forgotLink);
  await browser.submit(findForm(forgot.html, "/oauth/forgot-password"), { email: user.email });
  const handle = await testDb();
  const { rows } = await handle.client.query<{ payload: { link: string } }>(
    "select payload from outbox where recipient = $1 and kind = 'reset_password' order by created_at desc limit 1",
    [user.email],
  );
  await handle.close();
  const link = new URL(rows[0]?.payload.link ?? "");
  const form = await browser.open(link.pathname + link.search);
  const done = await browser.submit(findForm(form.html, "/oauth/reset-password"), { password });
  if (!done.html.includes("Password changed")) throw new Error(`reset refused: ${done.html.slice(0, 500)}`);
}

/**
 * An administrator's access token: administrators must enrol in two-step verification (TOTP, RFC
 * 6238) at their first sign-in, so this enrols through the real pages, then consents.
 */
export async function adminToken(client: TestClient, user: TestUser, scope: string): Promise<string> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  const browser = new Browser(client.redirectUri);
  const enrol = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), user.email, user.password, null);
  const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(enrol.html)?.[1];
  if (!secret) throw new Error(`no enrolment page: ${enrol.html.slice(0, 500)}`);
  const codes = await browser.submit(findForm(enrol.html, "/oauth/mfa/enrol"), {
    code: await totp(secret, Date.now()),
  });
  const next = /<a href="([^"]+)">Continue<\/a>/.exec(codes.html)?.[1]?.replace(/&amp;/g, "&");
  if (!next) throw new Error(`no recovery codes page: ${codes.html.slice(0, 500)}`);
  let page = await browser.open(next);
  if (page.location === null && page.html.includes('action="/oauth/consent"')) {
    page = await browser.submit(findForm(page.html, "/oauth/consent"), { decision: "approve" });
  }
  const code = new URL(page.location ?? "", BASE).searchParams.get("code");
  if (!code) throw new Error(`no code: ${page.location} ${page.html.slice(0, 500)}`);
  return exchangeCode(client, code);
}

/** The token endpoint's whole answer (RFC 6749 §5.1), for tests of refresh tokens and ID tokens. */
export interface TestTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  scope: string;
}

/** Redeems an authorization code made with the fixed PKCE pair (`CHALLENGE`) for an access token. */
export async function exchangeCode(client: TestClient, code: string): Promise<string> {
  return (await exchangeCodeForTokens(client, code)).access_token;
}

/** Redeems an authorization code (fixed PKCE pair) and returns every token the endpoint issued. */
export async function exchangeCodeForTokens(client: TestClient, code: string): Promise<TestTokens> {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: client.redirectUri,
    code_verifier: VERIFIER,
    client_id: client.clientId,
  });
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    "CF-Connecting-IP": deviceIp(),
  };
  if (client.clientSecret !== null)
    headers.Authorization = `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`;
  const res = await api("/oauth/token", { method: "POST", headers, body });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TestTokens;
}

/** The payload of a JWT, unverified: for asserting the claims the server put in its own tokens. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const json = atob(
    part
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(part.length / 4) * 4, "="),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

let shared: Promise<string> | null = null;

/** One data owner's token with every scope a person grants, for tests that need a signed-in caller. */
export function sharedToken(): Promise<string> {
  shared ??= (async () => {
    const tenant = await makeTenant();
    const client = await makeClient(tenant, { type: "public", scopes: ALL_USER_SCOPES });
    return userToken(client, await makeUser(tenant), ALL_USER_SCOPES.join(" "));
  })();
  return shared;
}

let ownApp: Promise<{ tenant: TestTenant; client: TestClient }> | null = null;

/**
 * A fresh sign-in of a new data owner through a first-party client, with every scope a person grants:
 * what an operation that needs the person themselves (`x-dfda-person-present`) lets through. Each call
 * signs in now, so the token's `auth_time` is recent whatever ran before.
 */
export async function personPresentToken(): Promise<string> {
  ownApp ??= (async () => {
    const tenant = await makeTenant();
    return { tenant, client: await makeClient(tenant, { type: "public", scopes: ALL_USER_SCOPES, firstParty: true }) };
  })();
  const { tenant, client } = await ownApp;
  return userToken(client, await makeUser(tenant), ALL_USER_SCOPES.join(" "));
}

let ownAdminApp: Promise<{ tenant: TestTenant; client: TestClient }> | null = null;

/**
 * `personPresentToken` for an administrator's operation: a new administrator of a tenant, signed in
 * now through a first-party client with their second factor (enrolled at this first sign-in).
 */
export async function personPresentAdminToken(scope = "tenant:manage audit:read"): Promise<string> {
  ownAdminApp ??= (async () => {
    const tenant = await makeTenant();
    const scopes = ["openid", "tenant:manage", "audit:read"];
    return { tenant, client: await makeClient(tenant, { type: "public", scopes, firstParty: true }) };
  })();
  const { tenant, client } = await ownAdminApp;
  return adminToken(client, await makeUser(tenant, ["admin", "data_owner"]), scope);
}

const ALL_USER_SCOPES = [
  "openid",
  "profile",
  "email",
  "offline_access",
  "observations:read",
  "observations:write",
  "files:read",
  "files:write",
  "consents:read",
  "consents:manage",
  "profile:write",
  "webhooks:manage",
];

/** `api()` with the shared bearer token. */
export async function authed(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${await sharedToken()}`);
  return api(path, { ...init, headers });
}
