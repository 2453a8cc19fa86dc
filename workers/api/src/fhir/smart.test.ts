/**
 * SMART App Launch 2.x on the FHIR API (docs/fhir.md "SMART on FHIR"): discovery, SMART v2 and v1
 * scopes as aliases of the platform's scopes at the authorization endpoint, the patient context in the
 * token response, `fhirUser` in the ID token, and the FHIR routes enforcing `patient/` (own record
 * only, consent grants or not) and `user/` (own and granted) scopes, through the real Worker entry, the
 * real database and the owners' real Durable Objects.
 */
import { SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../../test/browser";
import { api, BASE, json, testDb } from "../../test/helpers";
import {
  CHALLENGE,
  exchangeCodeForTokens,
  jwtClaims,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";

const FHIR_BASE = `${BASE}/fhir/R4`;
const LAB = "http://terminology.hl7.org/CodeSystem/observation-category|laboratory";

interface Bundle {
  resourceType: string;
  entry: Array<{ resource: { resourceType: string; id: string; subject?: { reference: string } } }>;
}
interface Outcome {
  resourceType: "OperationOutcome";
  issue: Array<{ severity: string; details: { coding: Array<{ code: string }> } }>;
}
interface SmartTokens {
  access_token: string;
  scope: string;
  patient?: string;
  id_token?: string;
}

let handle: DbHandle;
let tenant: TestTenant;
/** Registered for the platform's scopes only: SMART scopes are aliases of them. */
let platformApp: TestClient;
/** Registered for SMART scopes by their SMART names. */
let smartApp: TestClient;
/** Registered for sign-in only. */
let signInApp: TestClient;
let alice: TestUser;
let bob: TestUser;
const rows: Record<string, string> = {};

function authorizeQuery(client: TestClient, scope: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    aud: FHIR_BASE,
    ...extra,
  });
}

/** A standalone launch as a SMART client does it: authorize (with `aud`), sign in, exchange the code. */
async function launch(client: TestClient, user: TestUser, scope: string): Promise<SmartTokens> {
  const browser = new Browser(client.redirectUri);
  const end = await browser.signIn(
    await browser.open(`/oauth/authorize?${authorizeQuery(client, scope)}`),
    user.email,
    user.password,
  );
  const code = new URL(end.location ?? "").searchParams.get("code");
  if (!code) throw new Error(`no code: ${end.location} ${end.html.slice(0, 500)}`);
  return (await exchangeCodeForTokens(client, code)) as unknown as SmartTokens;
}

/** The error an authorization request is redirected back with (RFC 6749 §4.1.2.1), before any sign-in. */
async function authorizeError(client: TestClient, scope: string, extra: Record<string, string> = {}) {
  const res = await api(`/oauth/authorize?${authorizeQuery(client, scope, extra)}`, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  return { error: location.searchParams.get("error"), description: location.searchParams.get("error_description") };
}

function get(path: string, token: string): Promise<Response> {
  return api(path, { headers: { Authorization: `Bearer ${token}` } });
}

async function bundle(res: Response): Promise<Bundle> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/fhir+json");
  return json<Bundle>(res);
}

async function refused(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/fhir+json");
  const body = await json<Outcome>(res);
  expect(body.resourceType).toBe("OperationOutcome");
  expect(body.issue[0]?.details.coding[0]?.code).toBe(code);
}

async function insert(user: TestUser, slug: string, start: string, value: number, unit: string): Promise<string> {
  const { rows: found } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = $2 and valid_to is null",
    [SYSTEM_TENANT_ID, slug],
  );
  const v = found[0];
  if (!v) throw new Error(`no variable ${slug}`);
  const source = await clientSource(handle.db, tenant.id, "test-watch", "Watch");
  const id = uuidv7();
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9)`,
    [id, tenant.id, user.id, v.id, v.version, start, value, unit, source],
  );
  return id;
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  platformApp = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "offline_access", "observations:read", "consents:manage"],
  });
  smartApp = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "fhirUser", "launch/patient", "patient/Observation.rs", "patient/Patient.rs"],
  });
  signInApp = await makeClient(tenant, { type: "public", scopes: ["openid"] });
  [alice, bob] = await Promise.all([makeUser(tenant), makeUser(tenant)]);
  rows.hr = await insert(alice, "heart-rate", "2026-03-01T08:00:00Z", 70, "/min");
  rows.glucose = await insert(alice, "blood-glucose", "2026-03-01T09:00:00Z", 5.5, "mmol/L");
  rows.bobHr = await insert(bob, "heart-rate", "2026-03-02T08:00:00Z", 64, "/min");
  // Alice shares her vital signs with Bob.
  const aliceToken = await userToken(platformApp, alice, "openid consents:manage");
  const res = await api("/v1/consents", {
    method: "POST",
    headers: { Authorization: `Bearer ${aliceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
    }),
  });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await handle?.close();
});

describe("discovery", () => {
  it("serves /.well-known/smart-configuration at the origin and under the FHIR base", async () => {
    for (const path of ["/.well-known/smart-configuration", "/fhir/R4/.well-known/smart-configuration"]) {
      const res = await api(path);
      expect(res.status).toBe(200);
      const config = await json<Record<string, unknown>>(res);
      expect(config).toMatchObject({
        issuer: BASE,
        jwks_uri: `${BASE}/.well-known/jwks.json`,
        authorization_endpoint: `${BASE}/oauth/authorize`,
        token_endpoint: `${BASE}/oauth/token`,
        revocation_endpoint: `${BASE}/oauth/revoke`,
        introspection_endpoint: `${BASE}/oauth/introspect`,
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
      });
      expect(config.grant_types_supported).toContain("authorization_code");
      expect(config.token_endpoint_auth_methods_supported).toEqual(
        expect.arrayContaining(["none", "client_secret_basic"]),
      );
      expect(config.capabilities).toEqual(
        expect.arrayContaining([
          "launch-standalone",
          "client-public",
          "client-confidential-symmetric",
          "context-standalone-patient",
          "permission-v2",
          "permission-patient",
          "permission-user",
          "sso-openid-connect",
          "permission-offline",
        ]),
      );
      expect(config.scopes_supported).toEqual(
        expect.arrayContaining(["launch/patient", "fhirUser", "patient/Observation.rs", "user/Observation.rs"]),
      );
    }
  });

  it("advertises SMART in the CapabilityStatement's rest.security", async () => {
    const statement = await json<{ rest: Array<{ security: Record<string, unknown> }> }>(
      await api("/fhir/R4/metadata"),
    );
    const security = statement.rest[0]?.security;
    expect(security?.service).toEqual([
      { coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "SMART-on-FHIR" }] },
    ]);
    expect(JSON.stringify(security?.extension)).toContain(`${BASE}/oauth/authorize`);
  });
});

describe("standalone launch with SMART scopes", () => {
  it("gives the patient in context, fhirUser in the ID token, and the person's own Observations", async () => {
    const tokens = await launch(
      smartApp,
      alice,
      "launch/patient openid fhirUser patient/Observation.rs patient/Patient.rs",
    );
    expect(tokens.patient).toBe(alice.id);
    expect(tokens.scope.split(" ").sort()).toEqual(
      ["fhirUser", "launch/patient", "openid", "patient/Observation.rs", "patient/Patient.rs"].sort(),
    );
    expect(jwtClaims(tokens.id_token ?? "").fhirUser).toBe(`${FHIR_BASE}/Patient/${alice.id}`);
    const patient = await json<{ resourceType: string; id: string }>(
      await get(`/fhir/R4/Patient/${tokens.patient}`, tokens.access_token),
    );
    expect(patient).toMatchObject({ resourceType: "Patient", id: alice.id });
    const found = await bundle(await get("/fhir/R4/Observation?code=http://loinc.org|8867-4", tokens.access_token));
    expect(found.entry.map((e) => e.resource.id)).toEqual([rows.hr]);
  });

  it("accepts SMART scopes as aliases for a client registered for the platform's scopes, and v1 names", async () => {
    const tokens = await launch(platformApp, alice, "launch/patient openid patient/Observation.read offline_access");
    expect(tokens.scope.split(" ").sort()).toEqual(
      ["launch/patient", "offline_access", "openid", "patient/Observation.rs"].sort(),
    );
    const found = await bundle(await get("/fhir/R4/Observation", tokens.access_token));
    expect(found.entry.map((e) => e.resource.id).sort()).toEqual([rows.hr, rows.glucose].sort());
  });

  it("grants fewer scopes than asked where the platform cannot do them, and says so in scope", async () => {
    // No updates or deletes of Observations here: .ruds is granted as .rs.
    const tokens = await launch(
      smartApp,
      alice,
      "openid patient/Observation.ruds patient/Condition.rs launch/encounter",
    );
    expect(tokens.scope.split(" ").sort()).toEqual(["openid", "patient/Observation.rs"].sort());
  });

  it("narrows a category query to that category", async () => {
    const app = await makeClient(tenant, { type: "public", scopes: ["openid", "observations:read"] });
    const tokens = await launch(app, alice, `openid patient/Observation.rs?category=${LAB}`);
    expect(tokens.scope).toBe(`openid patient/Observation.rs?category=${LAB}`);
    const found = await bundle(await get("/fhir/R4/Observation", tokens.access_token));
    expect(found.entry.map((e) => e.resource.id)).toEqual([rows.glucose]);
    await refused(await get(`/fhir/R4/Observation/${rows.hr}`, tokens.access_token), 404, "not_found");
  });
});

describe("refusals at the authorization endpoint", () => {
  it("refuses a SMART scope the client is not registered for", async () => {
    expect(await authorizeError(signInApp, "openid patient/Observation.rs")).toMatchObject({ error: "invalid_scope" });
    // Registered for patient/ only: user/ reads others' records too, so it is wider.
    expect(await authorizeError(smartApp, "openid user/Observation.rs")).toMatchObject({ error: "invalid_scope" });
  });

  it("refuses a request with nothing grantable, an unknown scope, or another server's aud", async () => {
    expect(await authorizeError(smartApp, "patient/Condition.rs")).toMatchObject({ error: "invalid_scope" });
    expect(await authorizeError(smartApp, "openid launch")).toMatchObject({ error: "invalid_scope" });
    expect(
      await authorizeError(smartApp, "openid patient/Observation.rs", { aud: "https://other.example/fhir" }),
    ).toMatchObject({ error: "invalid_request" });
  });
});

describe("patient/ and user/ scopes on another person's record", () => {
  it("patient/Observation.rs cannot read a person who granted access; user/Observation.rs can, within the grant", async () => {
    const patientScoped = await launch(platformApp, bob, "openid patient/Observation.rs");
    await refused(
      await get(`/fhir/R4/Observation?patient=Patient/${alice.id}`, patientScoped.access_token),
      403,
      "forbidden",
    );
    await refused(await get(`/fhir/R4/Observation/${rows.hr}`, patientScoped.access_token), 403, "forbidden");
    await refused(await get(`/fhir/R4/Patient/${alice.id}`, patientScoped.access_token), 403, "forbidden");
    // Their own Patient search lists only themselves, not the people who shared with them.
    const own = await bundle(await get("/fhir/R4/Patient", patientScoped.access_token));
    expect(own.entry.map((e) => e.resource.id)).toEqual([bob.id]);
    // …and on /v1 too: the alias is enforced by the same policy.
    expect((await get(`/v1/observations?user_id=${alice.id}`, patientScoped.access_token)).status).toBe(403);

    const userScoped = await launch(platformApp, bob, "openid user/Observation.rs");
    const shared = await bundle(await get(`/fhir/R4/Observation?patient=Patient/${alice.id}`, userScoped.access_token));
    // Only the vital signs Alice shared: her glucose (laboratory) is not in the grant.
    expect(shared.entry.map((e) => e.resource.id)).toEqual([rows.hr]);
    const people = await bundle(await get("/fhir/R4/Patient", userScoped.access_token));
    expect(people.entry.map((e) => e.resource.id).sort()).toEqual([alice.id, bob.id].sort());
  });

  it("a token without an Observation scope gets a 403 OperationOutcome", async () => {
    const tokens = await launch(smartApp, alice, "openid fhirUser launch/patient");
    expect(tokens.patient).toBe(alice.id);
    await refused(await get("/fhir/R4/Observation", tokens.access_token), 403, "forbidden");
    await refused(await get(`/fhir/R4/Patient/${alice.id}`, tokens.access_token), 403, "forbidden");
  });

  it("patient/Patient.rs reads the person's own Patient but no Observations", async () => {
    const tokens = await launch(smartApp, alice, "openid patient/Patient.rs");
    expect((await get(`/fhir/R4/Patient/${alice.id}`, tokens.access_token)).status).toBe(200);
    await refused(await get(`/fhir/R4/Patient/${bob.id}`, tokens.access_token), 403, "forbidden");
    await refused(await get("/fhir/R4/Observation", tokens.access_token), 403, "forbidden");
  });
});
