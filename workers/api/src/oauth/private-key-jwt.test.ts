/**
 * `private_key_jwt` client authentication (RFC 7523 §2.2, §3) as SMART Backend Services profiles it:
 * registration with an inline JWK Set, the client credentials grant with a signed assertion (RS384 and
 * ES384), `system/*.rs` scopes, and every refusal as RFC 6749 §5.2 `invalid_client` with a 401.
 */

import { beforeAll, describe, expect, it } from "vitest";
import {
  assertionGrant,
  type BackendClient,
  clientAssertion,
  keyPair,
  makeBackendClient,
  TOKEN_URL,
} from "../../test/backend-client";
import { api, json } from "../../test/helpers";
import { jwtClaims, makeClient, makeTenant, makeUser, type TestTenant, userToken } from "../../test/identity";

let tenant: TestTenant;
let rsClient: BackendClient;
let ecClient: BackendClient;

beforeAll(async () => {
  tenant = await makeTenant();
  [rsClient, ecClient] = await Promise.all([
    makeBackendClient(tenant, { alg: "RS384" }),
    makeBackendClient(tenant, { alg: "ES384" }),
  ]);
});

async function expectInvalidClient(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toContain('error="invalid_client"');
  const body = await json<{ error: string; error_description: string }>(res);
  expect(body).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
}

describe("private_key_jwt at the token endpoint", () => {
  it("issues a token for a good RS384 or ES384 assertion, answering in the system scopes asked", async () => {
    for (const client of [rsClient, ecClient]) {
      const res = await assertionGrant(await clientAssertion(client), "system/*.rs");
      expect(res.status).toBe(200);
      const body = await json<{ access_token: string; scope: string; token_type: string }>(res);
      expect(body.token_type).toBe("Bearer");
      expect(body.scope).toBe("system/*.rs");
      const claims = jwtClaims(body.access_token);
      expect(claims.sub).toBe(client.clientId);
      expect(claims.client_id).toBe(client.clientId);
      expect(String(claims.scope)).toBe("observations:read");
    }
  });

  it("refuses an assertion signed with another key, or naming an unknown kid", async () => {
    const other = await keyPair("RS384");
    await expectInvalidClient(await assertionGrant(await clientAssertion(rsClient, { key: other.privateKey })));
    await expectInvalidClient(
      await assertionGrant(await clientAssertion(rsClient, { key: other.privateKey, kid: other.kid })),
    );
  });

  it("refuses an expired assertion and one that lives longer than five minutes", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidClient(await assertionGrant(await clientAssertion(rsClient, { claims: { exp: now - 120 } })));
    await expectInvalidClient(await assertionGrant(await clientAssertion(rsClient, { claims: { exp: now + 3600 } })));
  });

  it("refuses a replayed jti, even within the assertion's lifetime", async () => {
    const assertion = await clientAssertion(rsClient);
    expect((await assertionGrant(assertion)).status).toBe(200);
    await expectInvalidClient(await assertionGrant(assertion));
    // The same jti in a new assertion is a replay too.
    const jti = crypto.randomUUID();
    expect((await assertionGrant(await clientAssertion(rsClient, { claims: { jti } }))).status).toBe(200);
    await expectInvalidClient(await assertionGrant(await clientAssertion(rsClient, { claims: { jti } })));
  });

  it("refuses a wrong aud, iss or sub, and an assertion without jti", async () => {
    await expectInvalidClient(
      await assertionGrant(await clientAssertion(rsClient, { claims: { aud: "https://elsewhere.example/token" } })),
    );
    await expectInvalidClient(
      await assertionGrant(await clientAssertion(rsClient, { claims: { aud: `${TOKEN_URL}/x` } })),
    );
    await expectInvalidClient(await assertionGrant(await clientAssertion(rsClient, { claims: { sub: "someone" } })));
    // iss names the other client: its key does not verify this signature.
    await expectInvalidClient(
      await assertionGrant(await clientAssertion(rsClient, { claims: { iss: ecClient.clientId } })),
    );
    await expectInvalidClient(await assertionGrant(await clientAssertion(rsClient, { omit: ["jti"] })));
  });

  it("refuses a wrong assertion type, two methods at once, and a secret for a key client", async () => {
    const assertion = await clientAssertion(rsClient);
    const res = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
        client_assertion: assertion,
      }),
    });
    expect(res.status).toBe(400);
    expect((await json<{ error: string }>(res)).error).toBe("invalid_request");
    const both = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${btoa("a:b")}` },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      }),
    });
    expect(both.status).toBe(400);
    const secret = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: rsClient.clientId,
        client_secret: "anything",
      }),
    });
    await expectInvalidClient(secret);
  });

  it("refuses a system scope the client was not registered for", async () => {
    const narrow = await makeBackendClient(tenant, { scopes: ["files:read"] });
    const res = await assertionGrant(await clientAssertion(narrow), "system/Observation.rs");
    expect(res.status).toBe(400);
    expect((await json<{ error: string }>(res)).error).toBe("invalid_scope");
  });

  it("is advertised in the authorization server metadata", async () => {
    const meta = await json<Record<string, unknown>>(await api("/.well-known/oauth-authorization-server"));
    expect(meta.token_endpoint_auth_methods_supported).toContain("private_key_jwt");
    expect(meta.token_endpoint_auth_signing_alg_values_supported).toEqual(["RS384", "ES384"]);
  });
});

describe("registering a private_key_jwt client (RFC 7591)", () => {
  async function developerToken(): Promise<string> {
    const publicClient = await makeClient(tenant, { type: "public" });
    const dev = await makeUser(tenant, ["app_developer"]);
    return userToken(publicClient, dev, "clients:manage");
  }

  function register(token: string, metadata: unknown): Promise<Response> {
    return api("/oauth/register", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(metadata),
    });
  }

  it("registers a backend service with its keys, which then authenticates with them", async () => {
    const token = await developerToken();
    const { kid, privateKey, jwk } = await keyPair("ES384");
    const res = await register(token, {
      client_name: "Research backend",
      token_endpoint_auth_method: "private_key_jwt",
      jwks: { keys: [jwk] },
      scope: "observations:read",
    });
    expect(res.status).toBe(201);
    const info = await json<Record<string, unknown>>(res);
    expect(info.client_secret).toBeUndefined();
    expect(info.grant_types).toEqual(["client_credentials"]);
    expect(info.token_endpoint_auth_method).toBe("private_key_jwt");
    const client: BackendClient = { clientId: String(info.client_id), kid, alg: "ES384", privateKey };
    const granted = await assertionGrant(await clientAssertion(client), "system/Observation.rs");
    expect(granted.status).toBe(200);
  });

  it("refuses jwks_uri, private keys, missing kid, other algorithms and jwks without private_key_jwt", async () => {
    const token = await developerToken();
    const { jwk } = await keyPair("RS384");
    const base = { client_name: "Backend", token_endpoint_auth_method: "private_key_jwt", scope: "observations:read" };
    const refused = async (metadata: unknown, text: string) => {
      const res = await register(token, metadata);
      expect(res.status).toBe(400);
      const body = await json<{ error: string; error_description: string }>(res);
      expect(body.error).toBe("invalid_client_metadata");
      expect(body.error_description).toContain(text);
    };
    await refused({ ...base, jwks_uri: "https://backend.example/jwks.json" }, "jwks_uri");
    await refused(base, "jwks");
    await refused({ ...base, jwks: { keys: [{ ...jwk, d: "AAAA" }] } }, "public keys only");
    await refused({ ...base, jwks: { keys: [{ ...jwk, kid: undefined }] } }, "kid");
    await refused({ ...base, jwks: { keys: [{ ...jwk, alg: "RS256" }] } }, "RS384 or ES384");
    await refused(
      { client_name: "Web", redirect_uris: ["https://app.example/cb"], jwks: { keys: [jwk] } },
      "only for token_endpoint_auth_method private_key_jwt",
    );
  });
});
