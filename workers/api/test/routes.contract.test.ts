/**
 * Checks every operation of the OpenAPI document must pass, so a new route cannot skip them. Contract:
 * it answers with a request id, refuses other methods with a 405 problem, documents its errors as
 * problem+json, and names a malformed parameter. Security: an operation is public only if listed
 * here; every other one refuses a missing, malformed, unsigned, forged, expired, mis-addressed,
 * revoked or disabled-user token with a 401 problem and an RFC 6750 challenge, and a token without
 * its scopes with a 403.
 */
import { env } from "cloudflare:workers";
import { type Database, users } from "@dfda/db";
import { eq } from "drizzle-orm";
import { base64url, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authConfig } from "../src/oauth/config";
import { currentSigningKey } from "../src/oauth/keys";
import { api, BASE, expectProblem, json, testDb } from "./helpers";
import { adminToken, authed, clientToken, makeClient, makeTenant, makeUser, type TestClient } from "./identity";

/** Operations that answer without a token (issue: health, docs, OpenAPI, discovery, problem types). */
const PUBLIC_OPERATIONS = new Set(["health", "getProblemType", "downloadMyExport"]);

interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: { type?: string | string[] } }>;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Doc = { security?: Array<Record<string, string[]>>; paths: Record<string, Record<string, Operation>> };

const doc = await json<Doc>(await api("/openapi.json"));
const EXAMPLE_PATH_VALUES: Record<string, string> = { id: "4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e", code: "not_found" };
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    path,
    /** Every method the path has (a 405 probe must use another one). */
    pathMethods: Object.keys(methods).map((m) => m.toUpperCase()),
    url: path.replace(/\{(\w+)\}/g, (_, name: string) => EXAMPLE_PATH_VALUES[name] ?? name),
    method: method.toUpperCase(),
    op,
    security: op.security ?? doc.security ?? [],
  })),
);

/** Operations for a tenant's administrators: probed with an administrator's token (after TOTP enrolment). */
const ADMIN_OPERATIONS = new Set([
  "listCodeMappings",
  "putCodeMapping",
  "deleteCodeMapping",
  "verifyAuditChain",
  "listAuditCheckpoints",
  "getRetention",
  "putRetention",
  "createStudy",
  "addStudyMember",
  "createCustodianLink",
  "deleteCustodianLink",
  "createGroup",
  "addGroupMember",
  "removeGroupMember",
]);
let adminBearer: Promise<string> | null = null;

/** A request with a token that has what the operation needs: an administrator's, or a data owner's. */
function authorized(operationId: string, url: string, init: RequestInit): Promise<Response> {
  if (!ADMIN_OPERATIONS.has(operationId)) return authed(url, init);
  adminBearer ??= (async () => {
    const tenant = await makeTenant();
    const adminClient = await makeClient(tenant, { type: "public", scopes: ["openid", "tenant:manage", "audit:read"] });
    return adminToken(adminClient, await makeUser(tenant, ["admin", "data_owner"]), "tenant:manage audit:read");
  })();
  return adminBearer.then((token) =>
    api(url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } }),
  );
}

describe.each(operations)("$method $path ($op.operationId)", ({ url, method, op, security, pathMethods }) => {
  it("answers with a request id and without a server error", async () => {
    const res = await authorized(op.operationId, url, { method });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("refuses other methods with a 405 problem", async () => {
    const other = ["PATCH", "GET", "POST", "PUT", "DELETE"].find((m) => !pathMethods.includes(m)) ?? "PATCH";
    const res = await api(url, { method: other });
    const problem = await expectProblem(res, 405, "method_not_allowed");
    expect(problem.detail).toContain(method);
    expect(res.headers.get("allow")).toContain(method);
  });

  it("documents its error responses, each as problem+json", () => {
    expect(Object.keys(op.responses).some((status) => Number(status) >= 400)).toBe(true);
    for (const [status, response] of Object.entries(op.responses)) {
      if (Number(status) >= 400) expect(Object.keys(response.content ?? {})).toEqual(["application/problem+json"]);
    }
  });

  it("is public only if it is meant to be", () => {
    expect(security.length === 0).toBe(PUBLIC_OPERATIONS.has(op.operationId));
  });
});

const withIntegerParams = operations.flatMap(({ op, url, method, path }) =>
  (op.parameters ?? [])
    .filter((p) => p.in === "query" && p.schema?.type === "integer")
    .map((p) => ({ url, method, path, name: p.name, op })),
);

describe.each(withIntegerParams)("$method $path ?$name", ({ url, method, name, op }) => {
  it("rejects a malformed integer with a problem naming it", async () => {
    const res = await authorized(op.operationId, `${url}?${name}=not-a-number`, { method });
    const problem = await expectProblem(res, 400, "validation_failed");
    expect(problem.errors?.map((e) => e.path)).toContain(name);
  });
});

// ---- security ---------------------------------------------------------------------------------

let db: Database;
let close: () => Promise<void>;
let client: TestClient;
const config = authConfig(env, BASE);

/** Signs claims with the platform's real current key, for tokens that are valid but for one defect. */
async function signReal(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const key = await currentSigningKey(db, config.master);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant: "x", client_id: client.clientId, scope: "", roles: [], ...claims })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt", ...header })
    .setIssuer(String(claims.iss ?? config.issuer))
    .setAudience(String(claims.aud ?? config.audience))
    .setSubject(String(claims.sub ?? "nobody"))
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(Number(claims.exp ?? now + 600))
    .sign(key.privateKey);
}

beforeAll(async () => {
  const handle = await testDb();
  db = handle.db;
  close = handle.close;
  const tenant = await makeTenant();
  client = await makeClient(tenant);
  const user = await makeUser(tenant);
  // Disable the user after signing: the token is well-formed and unexpired, but its user is not active.
  disabledUserToken = await signReal({
    tenant: tenant.id,
    sub: user.id,
    scope: "observations:read",
    roles: ["data_owner"],
  });
  await db.update(users).set({ status: "disabled" }).where(eq(users.id, user.id));
  const otherClient = await makeClient(await makeTenant());
  revocable = { token: await clientToken(otherClient), client: otherClient };
  await api("/oauth/revoke", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${btoa(`${otherClient.clientId}:${otherClient.clientSecret}`)}`,
    },
    body: new URLSearchParams({ token: revocable.token, token_type_hint: "access_token" }),
  });
});
afterAll(async () => close());

let disabledUserToken = "";
let revocable: { token: string; client: TestClient };

/** Each defective token, made lazily once the fixtures exist. */
const badTokens: Array<[string, () => Promise<string>]> = [
  [
    "alg none (RFC 7519 §6 unsecured JWT)",
    async () => {
      const header = base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt" }));
      const payload = base64url.encode(
        JSON.stringify({ iss: config.issuer, aud: config.audience, sub: "x", exp: 9999999999 }),
      );
      return `${header}.${payload}.`;
    },
  ],
  ["wrong audience", () => signReal({ aud: "https://other.example/v1" })],
  ["wrong issuer", () => signReal({ iss: "https://evil.example" })],
  ["expired", () => signReal({ exp: Math.floor(Date.now() / 1000) - 60 })],
  ["wrong typ (an ID token used as access token)", () => signReal({}, { typ: "JWT" })],
  [
    "tampered signature",
    async () => {
      const token = await signReal({});
      const [h, p, s] = token.split(".");
      return `${h}.${p}.${(s ?? "").slice(0, -4)}AAAA`;
    },
  ],
  [
    "tampered payload",
    async () => {
      const token = await signReal({});
      const [h, , s] = token.split(".");
      const forged = base64url.encode(
        JSON.stringify({
          iss: config.issuer,
          aud: config.audience,
          sub: "admin",
          scope: "tenant:manage",
          exp: 9999999999,
        }),
      );
      return `${h}.${forged}.${s}`;
    },
  ],
  [
    "unknown kid (signed by a key the platform never published)",
    async () => {
      const { privateKey } = await generateKeyPair("ES256");
      return new SignJWT({ tenant: "x", client_id: "x", scope: "", roles: [] })
        .setProtectedHeader({ alg: "ES256", kid: "attacker", typ: "at+jwt" })
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setSubject("x")
        .setJti("j")
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey);
    },
  ],
  ["revoked (RFC 7009)", async () => revocable.token],
  ["disabled user", async () => disabledUserToken],
  ["not a JWT", async () => "abc"],
];

const protectedOperations = operations.filter((o) => o.security.length > 0);

describe.each(protectedOperations)("security of $method $path", ({ url, method, security, op }) => {
  it("refuses a request without a token: 401 with a Bearer challenge", async () => {
    const res = await api(url, { method });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="dfda"/);
  });

  it("refuses a malformed Authorization header", async () => {
    const res = await api(url, { method, headers: { Authorization: "Bearer" } });
    await expectProblem(res, 401, "unauthorized");
  });

  it.each(badTokens)("refuses a token that is %s", async (_name, make) => {
    const res = await api(url, { method, headers: { Authorization: `Bearer ${await make()}` } });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  const requiredScopes = security.flatMap((s) => Object.values(s).flat());
  if (requiredScopes.length > 0) {
    it("refuses a valid token without the route's scopes: 403 insufficient_scope", async () => {
      // A scope the route does not take.
      const token = await clientToken(
        client,
        requiredScopes.includes("files:read") ? "observations:read" : "files:read",
      );
      const res = await api(url, { method, headers: { Authorization: `Bearer ${token}` } });
      await expectProblem(res, 403, "forbidden");
      expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    });
  }

  it("lets a valid token with the scopes through", async () => {
    const res = await authorized(op.operationId, url, { method });
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});
