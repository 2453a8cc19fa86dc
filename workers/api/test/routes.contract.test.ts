/**
 * Checks every operation of the OpenAPI document must pass, so a new route cannot skip them; and every
 * route the app serves must be in the document. Contract: it answers with a request id, without a
 * server error, with a status and content type it documents; refuses other methods with a 405
 * problem; documents its errors as problem+json, or where an OAuth specification prescribes another
 * format (the authorization server's endpoints under /oauth and /.well-known) as that format: RFC 6749
 * §5.2 JSON errors, HTML pages; and names a malformed parameter. Security: an operation is public only
 * if listed here; every other one refuses a missing, malformed, unsigned, forged, expired,
 * mis-addressed, revoked or disabled-user token with a 401 and an RFC 6750 challenge (a problem, or
 * RFC 6750 §3 JSON where the operation documents it), and a token without its scopes with a 403.
 */
import { env } from "cloudflare:workers";
import { type Database, users } from "@dfda/db";
import { eq } from "drizzle-orm";
import { base64url, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApp } from "../src/app";
import { authConfig } from "../src/oauth/config";
import { currentSigningKey } from "../src/oauth/keys";
import { api, BASE, expectProblem, json, testDb } from "./helpers";
import {
  adminToken,
  authed,
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  personPresentAdminToken,
  personPresentToken,
  type TestClient,
  userToken,
} from "./identity";
import { outsideOpenApi, PUBLIC_OPERATIONS } from "./public-operations";

interface MediaType {
  schema?: { $ref?: string };
}
interface Operation {
  operationId: string;
  /** Needs the person themselves: a first-party client's recent sign-in (lib/auth.ts `personPresent`). */
  "x-dfda-person-present"?: boolean;
  /** Only the person on a first-party client, at any sign-in age (lib/auth.ts `firstPartyOnly`). */
  "x-dfda-first-party-only"?: boolean;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: { type?: string | string[] } }>;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
type Doc = { security?: Array<Record<string, string[]>>; paths: Record<string, Record<string, Operation>> };

const doc = await json<Doc>(await api("/openapi.json"));
const EXAMPLE_PATH_VALUES: Record<string, string> = { id: "4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e", code: "not_found" };
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    path,
    /** The authorization server's endpoints, whose error formats the OAuth specifications set. */
    oauth: path.startsWith("/oauth/") || path.startsWith("/.well-known/"),
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
  "listUnmappedCodes",
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
  "registerPlugin",
  "listAdminPlugins",
  "getAdminPlugin",
  "updateAdminPlugin",
  "deleteAdminPlugin",
]);
/** Operations for app developers (RFC 7591 registration): probed with an app developer's token. */
const DEVELOPER_OPERATIONS = new Set(["registerClient"]);
let adminBearer: Promise<string> | null = null;
let developerBearer: Promise<string> | null = null;

function withBearer(url: string, init: RequestInit, token: string): Promise<Response> {
  return api(url, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` },
  });
}

/** A request with a token that has what the operation needs: an administrator's, an app developer's, or a data owner's. */
function authorized(operationId: string, url: string, init: RequestInit): Promise<Response> {
  if (DEVELOPER_OPERATIONS.has(operationId)) {
    developerBearer ??= (async () => {
      const tenant = await makeTenant();
      const devClient = await makeClient(tenant, { type: "public", scopes: ["openid", "clients:manage"] });
      return userToken(devClient, await makeUser(tenant, ["app_developer"]), "openid clients:manage");
    })();
    return developerBearer.then((token) => withBearer(url, init, token));
  }
  if (!ADMIN_OPERATIONS.has(operationId)) return authed(url, init);
  adminBearer ??= (async () => {
    const tenant = await makeTenant();
    const adminClient = await makeClient(tenant, { type: "public", scopes: ["openid", "tenant:manage", "audit:read"] });
    return adminToken(adminClient, await makeUser(tenant, ["admin", "data_owner"]), "tenant:manage audit:read");
  })();
  return adminBearer.then((token) => withBearer(url, init, token));
}

/** The media type of a response, without parameters; null for a response without a body type. */
function mediaType(res: Response): string | null {
  return res.headers.get("content-type")?.split(";")[0]?.trim() ?? null;
}

/** The documented media types of one response status of an operation. */
function documentedTypes(op: Operation, status: number): string[] {
  return Object.keys(op.responses[String(status)]?.content ?? {});
}

/**
 * Whether an error response is documented in a format its standard prescribes: RFC 9457 problem+json
 * for the API; on the authorization server's endpoints also RFC 6749 §5.2 JSON (the `OAuthError`
 * schema, also RFC 6750 §3 and RFC 7591 §3.2.2) and HTML pages for the browser. Unexpected failures
 * (5xx) are problems everywhere.
 */
function errorFormatAllowed(status: number, content: Record<string, MediaType>, oauth: boolean): boolean {
  const types = Object.keys(content);
  // A sign-in page's 429 is either the page itself (a locked second factor, with Retry-After) or the
  // rate limiter's problem: both documented, nothing else beside them.
  if (oauth && status === 429 && types.length === 2)
    return types.includes("text/html") && types.includes("application/problem+json");
  if (types.length !== 1) return false;
  if (types[0] === "application/problem+json") return true;
  if (!oauth || status >= 500) return false;
  if (types[0] === "text/html") return true;
  return (
    types[0] === "application/json" && content["application/json"]?.schema?.$ref === "#/components/schemas/OAuthError"
  );
}

describe("the OpenAPI document", () => {
  it("describes every route the app serves, so none escapes these checks", () => {
    const documented = new Set(operations.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ":$1")}`));
    const served = newApp()
      .routes.filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path}`);
    expect(served.filter((r) => !documented.has(r) && !outsideOpenApi(r))).toEqual([]);
  });
});

describe.each(operations)("$method $path ($op.operationId)", ({ url, method, op, security, pathMethods, oauth }) => {
  it("answers with a request id, without a server error, with a status and content type it documents", async () => {
    const res = await authorized(op.operationId, url, { method });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(Object.keys(op.responses)).toContain(String(res.status));
    const types = documentedTypes(op, res.status);
    if (types.length === 0) expect(mediaType(res)).toBeNull();
    else expect(types).toContain(mediaType(res));
  });

  it("refuses other methods with a 405 problem", async () => {
    const other = ["PATCH", "GET", "POST", "PUT", "DELETE"].find((m) => !pathMethods.includes(m)) ?? "PATCH";
    const res = await api(url, { method: other });
    const problem = await expectProblem(res, 405, "method_not_allowed");
    expect(problem.detail).toContain(method);
    expect(res.headers.get("allow")).toContain(method);
  });

  it("documents its error responses, each in the format its standard prescribes", () => {
    expect(Object.keys(op.responses).some((status) => Number(status) >= 400)).toBe(true);
    for (const [status, response] of Object.entries(op.responses)) {
      if (Number(status) >= 400) {
        expect({ status, ok: errorFormatAllowed(Number(status), response.content ?? {}, oauth) }).toEqual({
          status,
          ok: true,
        });
      }
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

/**
 * Whether the operation documents this error status as OAuth's JSON rather than a problem: the
 * bearer-protected endpoints of the authorization server answer per RFC 6750 §3 (UserInfo, OIDC Core
 * §5.3.3; registration, RFC 7591 §3).
 */
function oauthErrorsFor(op: Operation, status: number): boolean {
  return documentedTypes(op, status).includes("application/json");
}

/** A refusal: a problem with the API's code, or RFC 6750 §3 JSON with the OAuth error code. */
async function expectRefused(
  res: Response,
  op: Operation,
  status: 401 | 403,
  oauthError: "invalid_token" | "insufficient_scope",
): Promise<void> {
  if (!oauthErrorsFor(op, status)) {
    await expectProblem(res, status, status === 401 ? "unauthorized" : "forbidden");
    return;
  }
  expect(res.status).toBe(status);
  expect(mediaType(res)).toBe("application/json");
  expect(await json<{ error: string }>(res)).toMatchObject({ error: oauthError });
}

let scopelessUserBearer: Promise<string> | null = null;

/** A data owner's valid token with only `observations:read`: a user's token, without the scopes of the OAuth endpoints. */
function scopelessUserToken(): Promise<string> {
  scopelessUserBearer ??= (async () => {
    const tenant = await makeTenant();
    return userToken(await makeClient(tenant), await makeUser(tenant), "observations:read");
  })();
  return scopelessUserBearer;
}

describe.each(protectedOperations)("security of $method $path", ({ url, method, security, op }) => {
  it("refuses a request without a token: 401 with a Bearer challenge", async () => {
    const res = await api(url, { method });
    await expectRefused(res, op, 401, "invalid_token");
    expect(res.headers.get("www-authenticate")).toMatch(oauthErrorsFor(op, 401) ? /^Bearer\b/ : /^Bearer realm="dfda"/);
  });

  it("refuses a malformed Authorization header", async () => {
    const res = await api(url, { method, headers: { Authorization: "Bearer" } });
    await expectRefused(res, op, 401, "invalid_token");
  });

  it.each(badTokens)("refuses a token that is %s", async (_name, make) => {
    const res = await api(url, { method, headers: { Authorization: `Bearer ${await make()}` } });
    await expectRefused(res, op, 401, "invalid_token");
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  const requiredScopes = security.flatMap((s) => Object.values(s).flat());
  if (requiredScopes.length > 0) {
    it("refuses a valid token without the route's scopes: 403 insufficient_scope", async () => {
      // A scope the route does not take; the OAuth endpoints serve users, so theirs is a user's token
      // (a client's token is refused there as invalid_token, RFC 6750 §3.1).
      const token = oauthErrorsFor(op, 403)
        ? await scopelessUserToken()
        : await clientToken(client, requiredScopes.includes("files:read") ? "observations:read" : "files:read");
      const res = await api(url, { method, headers: { Authorization: `Bearer ${token}` } });
      await expectRefused(res, op, 403, "insufficient_scope");
      expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    });
  }

  it("lets a valid token with the scopes through", async () => {
    const res =
      op["x-dfda-person-present"] === true || op["x-dfda-first-party-only"] === true
        ? await withBearer(
            url,
            { method },
            await (ADMIN_OPERATIONS.has(op.operationId) ? personPresentAdminToken() : personPresentToken()),
          )
        : await authorized(op.operationId, url, { method });
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});
