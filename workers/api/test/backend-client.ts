/**
 * Test fixtures for SMART Backend Services clients: a confidential client registered with a JWK Set
 * (private_key_jwt, RFC 7523 §2.2), its signed client assertions, and tokens from the real token
 * endpoint with the client credentials grant.
 */

import { randomToken } from "@dfda/auth";
import { createClient } from "@dfda/db/repositories/identity";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { deviceIp } from "./browser";
import { api, BASE, testDb } from "./helpers";
import type { TestTenant } from "./identity";

export type AssertionAlg = "RS384" | "ES384";

export interface BackendClient {
  clientId: string;
  kid: string;
  alg: AssertionAlg;
  privateKey: CryptoKey;
}

/** The token endpoint's URL: the `aud` of every assertion (SMART Backend Services). */
export const TOKEN_URL = `${BASE}/oauth/token`;

/** A key pair of `alg`, its public half as a JWK with a `kid`. */
export async function keyPair(alg: AssertionAlg): Promise<{ kid: string; privateKey: CryptoKey; jwk: object }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `k-${randomToken(6)}`;
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** A client registered with one public key, allowed `scopes` with client credentials only. */
export async function makeBackendClient(
  tenant: TestTenant,
  options: { alg?: AssertionAlg; scopes?: string[] } = {},
): Promise<BackendClient> {
  const alg = options.alg ?? "RS384";
  const { kid, privateKey, jwk } = await keyPair(alg);
  const clientId = `backend_${randomToken(9)}`;
  const handle = await testDb();
  try {
    await createClient(handle.db, {
      tenantId: tenant.id,
      clientId,
      name: "Backend service",
      clientType: "confidential",
      secretHash: null,
      redirectUris: [],
      allowedScopes: options.scopes ?? ["observations:read"],
      grantTypes: ["client_credentials"],
      jwks: { keys: [jwk as Record<string, unknown>] },
    });
  } finally {
    await handle.close();
  }
  return { clientId, kid, alg, privateKey };
}

/** A client assertion (RFC 7523 §3) as SMART Backend Services asks for it; `overrides` changes claims. */
export async function clientAssertion(
  client: BackendClient,
  overrides: { claims?: JWTPayload; omit?: ReadonlyArray<keyof JWTPayload>; key?: CryptoKey; kid?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: client.clientId,
    sub: client.clientId,
    aud: TOKEN_URL,
    exp: now + 240,
    jti: crypto.randomUUID(),
    ...overrides.claims,
  };
  for (const name of overrides.omit ?? []) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: client.alg, kid: overrides.kid ?? client.kid, typ: "JWT" })
    .sign(overrides.key ?? client.privateKey);
}

/** POSTs the client credentials grant with an assertion. */
export function assertionGrant(assertion: string, scope?: string): Promise<Response> {
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
  if (scope !== undefined) body.set("scope", scope);
  return api("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": deviceIp() },
    body,
  });
}

/** An access token for the backend client (client credentials with a fresh assertion). */
export async function backendToken(client: BackendClient, scope = "system/*.rs"): Promise<string> {
  const res = await assertionGrant(await clientAssertion(client), scope);
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
