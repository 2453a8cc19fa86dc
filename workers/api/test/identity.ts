/**
 * Test fixtures for identity: tenants, users and OAuth clients made through the same repository
 * functions the `dfda` CLI uses, and tokens obtained from the real token endpoint.
 */

import { hashPassword, randomToken, sha256Hex } from "@dfda/auth";
import type { RoleName } from "@dfda/core";
import { createClient, createTenant, createUser } from "@dfda/db/repositories/identity";
import { api, testDb } from "./helpers";

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

export async function makeClient(
  tenant: TestTenant,
  options: { type?: "public" | "confidential"; scopes?: string[]; grantTypes?: string[]; redirectUri?: string } = {},
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
      "CF-Connecting-IP": "198.51.100.1",
    },
    body,
  });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

let shared: Promise<string> | null = null;

/** One client-credentials token for tests that only need to be a known caller (reference data). */
export function sharedToken(): Promise<string> {
  shared ??= (async () => clientToken(await makeClient(await makeTenant())))();
  return shared;
}

/** `api()` with the shared bearer token. */
export async function authed(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${await sharedToken()}`);
  return api(path, { ...init, headers });
}
