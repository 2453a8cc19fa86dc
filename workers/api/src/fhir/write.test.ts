/**
 * FHIR writes (POST /fhir/R4/Observation, POST /fhir/R4 with a transaction Bundle) through the real
 * Worker entry, the real database and R2, the mapper Worker's mapping code, and the owners' real Durable
 * Object writers. Every answer is checked for what R4 http.html says of it (status, Location, ETag,
 * Last-Modified, Prefer), and the store for what was (and was not) written. The R4 validity of the
 * answers is checked with Medplum's validator in test/platform/fhir-write.test.ts.
 */
import { env } from "cloudflare:workers";
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, BASE, json, testDb } from "../../test/helpers";
import {
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import { FHIR_ROUTE_PREFIX } from "../../test/public-operations";
import { newApp } from "../app";

const LOINC = "http://loinc.org";
const FHIR_JSON = "application/fhir+json";
const UCUM = "http://unitsofmeasure.org";

interface Coding {
  system?: string;
  code?: string;
}
interface Outcome {
  resourceType: "OperationOutcome";
  issue: Array<{
    severity: string;
    code: string;
    details?: { coding?: Coding[]; text?: string };
    diagnostics?: string;
    expression?: string[];
  }>;
}
interface Observation {
  resourceType: "Observation";
  id: string;
  subject: { reference: string };
  effectiveDateTime?: string;
  valueQuantity?: { value: number; code?: string };
  code: { coding: Coding[] };
  meta: { lastUpdated: string };
}
interface ResponseEntry {
  fullUrl?: string;
  resource?: Observation;
  response: { status: string; location?: string; etag?: string; lastModified?: string; outcome?: Outcome };
}

let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;
let app: TestClient;
let alice: TestUser;
let bob: TestUser;
let aliceToken: string;
let bobToken: string;
let readOnlyToken: string;
let appToken: string;
let foreignToken: string;

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

function post(path: string, token: string | null, body: unknown, headers: Record<string, string> = {}) {
  return api(path, {
    method: "POST",
    headers: {
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      "Content-Type": FHIR_JSON,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function fhir<T>(res: Response, status: number): Promise<T> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe(FHIR_JSON);
  return json<T>(res);
}

/** An OperationOutcome with this status whose first issue carries the platform's stable code. */
async function outcome(res: Response, status: number, code: string): Promise<Outcome> {
  const body = await fhir<Outcome>(res, status);
  expect(body.resourceType).toBe("OperationOutcome");
  expect(body.issue[0]?.severity).toBe("error");
  expect(body.issue[0]?.details?.coding).toEqual([{ system: `${BASE}/fhir/CodeSystem/problem`, code }]);
  return body;
}

/** A heart-rate Observation of `owner` at `at`. */
function heartRate(owner: TestUser | null, at: string, value = 64): Record<string, unknown> {
  return {
    resourceType: "Observation",
    status: "final",
    category: [
      { coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "vital-signs" }] },
    ],
    code: { coding: [{ system: LOINC, code: "8867-4", display: "Heart rate" }] },
    ...(owner === null ? {} : { subject: { reference: `Patient/${owner.id}` } }),
    effectiveDateTime: at,
    valueQuantity: { value, unit: "beats/minute", system: UCUM, code: "/min" },
  };
}

function glucose(owner: TestUser, at: string): Record<string, unknown> {
  return {
    resourceType: "Observation",
    status: "final",
    code: { coding: [{ system: LOINC, code: "2339-0", display: "Glucose" }] },
    subject: { reference: `Patient/${owner.id}` },
    effectiveDateTime: at,
    valueQuantity: { value: 100, unit: "mg/dL", system: UCUM, code: "mg/dL" },
  };
}

function transaction(resources: unknown[], type = "transaction"): Record<string, unknown> {
  return {
    resourceType: "Bundle",
    type,
    entry: resources.map((resource, i) => ({
      fullUrl: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`,
      resource,
      request: { method: "POST", url: "Observation" },
    })),
  };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await handle.client.query<{ n: number }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/** The person's stored observations, and their live files and pending values. */
async function stored(user: TestUser): Promise<{ observations: number; files: number; pending: number }> {
  return {
    observations: await count("select count(*)::int as n from observations where user_id = $1", [user.id]),
    files: await count("select count(*)::int as n from files where user_id = $1 and deleted_at is null", [user.id]),
    pending: await count("select count(*)::int as n from pending_observations where user_id = $1", [user.id]),
  };
}

/** The id in a Location `…/Observation/<id>/_history/1`. */
function idOf(location: string | null): string {
  const match = /\/Observation\/([0-9a-f-]{36})\/_history\/1$/.exec(location ?? "");
  expect(match, `Location ${location}`).not.toBeNull();
  return match?.[1] ?? "";
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "observations:write", "consents:read", "consents:manage"],
  });
  app = await makeClient(tenant, { scopes: ["observations:write"], grantTypes: ["client_credentials"] });
  const foreign = await makeTenant();
  const foreignClient = await makeClient(foreign, { type: "public", scopes: ["openid", "observations:write"] });
  [alice, bob] = await Promise.all([makeUser(tenant), makeUser(tenant)]);
  const foreigner = await makeUser(foreign);
  const scopes = "openid observations:read observations:write consents:read consents:manage";
  [aliceToken, bobToken, readOnlyToken, appToken, foreignToken] = await Promise.all([
    userToken(client, alice, scopes),
    userToken(client, bob, scopes),
    userToken(client, alice, "openid observations:read"),
    clientToken(app, "observations:write"),
    userToken(foreignClient, foreigner, "openid observations:write"),
  ]);
}, 60_000);
afterAll(async () => handle.close());

describe("POST /fhir/R4/Observation", () => {
  it("creates through the pipeline: 201 with Location, ETag and Last-Modified, readable and searchable", async () => {
    const before = await stored(alice);
    const res = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-01T08:00:00Z"));
    const created = await fhir<Observation>(res, 201);
    const id = idOf(res.headers.get("location"));
    expect(res.headers.get("location")).toBe(`${BASE}/fhir/R4/Observation/${id}/_history/1`);
    expect(res.headers.get("etag")).toBe('W/"1"');
    expect(new Date(res.headers.get("last-modified") ?? "").getTime()).not.toBeNaN();
    expect(created).toMatchObject({
      resourceType: "Observation",
      id,
      subject: { reference: `Patient/${alice.id}` },
      effectiveDateTime: "2026-05-01T08:00:00Z",
      valueQuantity: { value: 64, code: "/min" },
    });
    expect(created.code.coding).toEqual(
      expect.arrayContaining([expect.objectContaining({ system: LOINC, code: "8867-4" })]),
    );

    // Read back, and found by a search.
    const read = await fhir<Observation>(await api(`/fhir/R4/Observation/${id}`, { headers: auth(aliceToken) }), 200);
    expect(read).toEqual(created);
    const bundle = await fhir<{ entry: Array<{ resource: Observation }> }>(
      await api(`/fhir/R4/Observation?code=${LOINC}|8867-4&date=2026-05-01`, { headers: auth(aliceToken) }),
      200,
    );
    expect(bundle.entry.map((e) => e.resource.id)).toEqual([id]);

    // The raw original is kept as the person's file, encrypted in R2, and the row points to it.
    expect(await stored(alice)).toEqual({ ...before, observations: before.observations + 1, files: before.files + 1 });
    const { rows } = await handle.client.query<{ file_id: string; r2_key: string; format: string; status: string }>(
      "select o.file_id, f.r2_key, f.format, f.status from observations o join files f on f.id = o.file_id where o.id = $1",
      [id],
    );
    expect(rows[0]).toMatchObject({ format: "fhir-r4", status: "mapped" });
    const object = await env.FILES.get(rows[0]?.r2_key ?? "");
    const bytes = new TextDecoder().decode(await object?.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes).not.toContain("8867-4");
  });

  it("does not write twice: the same POST again, or the same measurement, answers 200 with the stored one", async () => {
    const resource = heartRate(alice, "2026-05-02T08:00:00Z");
    const first = await post("/fhir/R4/Observation", aliceToken, resource);
    expect(first.status).toBe(201);
    const id = idOf(first.headers.get("location"));
    const before = await stored(alice);

    const again = await post("/fhir/R4/Observation", aliceToken, resource);
    expect((await fhir<Observation>(again, 200)).id).toBe(id);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));

    // Other bytes, the same measurement (variable, time, source): the de-duplication of every source.
    const reformatted = await post("/fhir/R4/Observation", aliceToken, JSON.stringify(resource, null, 2));
    expect((await fhir<Observation>(reformatted, 200)).id).toBe(id);
    expect(await stored(alice)).toEqual(before);
  });

  it("honours Prefer return=minimal and return=OperationOutcome", async () => {
    const minimal = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-03T08:00:00Z"), {
      Prefer: "return=minimal",
    });
    expect(minimal.status).toBe(201);
    expect(await minimal.text()).toBe("");
    const id = idOf(minimal.headers.get("location"));

    const withOutcome = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-04T08:00:00Z"), {
      Prefer: "return=OperationOutcome",
    });
    const body = await fhir<Outcome>(withOutcome, 201);
    const newId = idOf(withOutcome.headers.get("location"));
    expect(newId).not.toBe(id);
    expect(body.issue).toContainEqual(
      expect.objectContaining({ severity: "information", diagnostics: `Stored as Observation/${newId}` }),
    );
  });

  it("keeps the subject's record: no subject is the caller's own; another person without a grant is 403", async () => {
    const own = await post("/fhir/R4/Observation", aliceToken, heartRate(null, "2026-05-05T08:00:00Z"));
    expect((await fhir<Observation>(own, 201)).subject).toEqual({ reference: `Patient/${alice.id}` });

    const before = await stored(bob);
    await outcome(
      await post("/fhir/R4/Observation", aliceToken, heartRate(bob, "2026-05-05T09:00:00Z")),
      403,
      "forbidden",
    );
    expect(await stored(bob)).toEqual(before);

    const group = { ...heartRate(alice, "2026-05-05T10:00:00Z"), subject: { reference: "Group/1" } };
    await outcome(await post("/fhir/R4/Observation", aliceToken, group), 400, "validation_failed");
  });

  it("refuses an invalid resource with a 400 OperationOutcome locating each issue, and stores nothing", async () => {
    const before = await stored(alice);
    await outcome(await post("/fhir/R4/Observation", aliceToken, "{not json"), 400, "malformed_body");
    await outcome(
      await post("/fhir/R4/Observation", aliceToken, { resourceType: "Patient" }),
      400,
      "validation_failed",
    );
    const res = await api("/fhir/R4/Observation", {
      method: "POST",
      headers: auth(aliceToken, { "Content-Type": "text/plain" }),
      body: JSON.stringify(heartRate(alice, "2026-05-06T08:00:00Z")),
    });
    await outcome(res, 415, "unsupported_media_type");

    // A unit that is not a heart rate's: refused by the validation every source goes through.
    const kg = { ...heartRate(alice, "2026-05-06T08:00:00Z"), valueQuantity: { value: 70, system: UCUM, code: "kg" } };
    const refused = await outcome(await post("/fhir/R4/Observation", aliceToken, kg), 400, "validation_failed");
    expect(refused.issue.length).toBeGreaterThan(1);
    expect(refused.issue.slice(1).every((i) => i.diagnostics?.startsWith("body Observation"))).toBe(true);
    expect(refused.issue.slice(1).map((i) => i.details?.text)).toContainEqual(expect.stringMatching(/^unit_/));
    // A time in the future (past the allowed clock skew).
    await outcome(
      await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2999-01-01T00:00:00Z")),
      400,
      "validation_failed",
    );

    // No value, no time: nothing the mapper could store.
    const { valueQuantity: _v, ...noValue } = heartRate(alice, "2026-05-06T09:00:00Z");
    await outcome(await post("/fhir/R4/Observation", aliceToken, noValue), 400, "validation_failed");
    const { effectiveDateTime: _t, ...noTime } = heartRate(alice, "2026-05-06T09:00:00Z");
    await outcome(await post("/fhir/R4/Observation", aliceToken, noTime), 400, "validation_failed");
    expect(await stored(alice)).toEqual(before);
  });

  it("stores a value out of the variable's range flagged, as every source does, and says so", async () => {
    const res = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-06T10:00:00Z", 5000), {
      Prefer: "return=OperationOutcome",
    });
    const body = await fhir<Outcome>(res, 201);
    const id = idOf(res.headers.get("location"));
    expect(body.issue).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        details: expect.objectContaining({
          coding: [{ system: `${BASE}/fhir/CodeSystem/ingest-issue`, code: "out_of_range" }],
        }),
        expression: ["Observation.valueQuantity"],
      }),
    );
    const { rows } = await handle.client.query<{ is_valid: boolean }>(
      "select is_valid from observations where id = $1",
      [id],
    );
    expect(rows[0]?.is_valid).toBe(false);
  });

  it("holds a value with a local code pending and says so (202 with a warning)", async () => {
    const before = await stored(alice);
    const local = {
      ...heartRate(alice, "2026-05-07T08:00:00Z"),
      code: { coding: [{ system: "urn:dfda:local:clinic-a", code: "HR-1", display: "Pulse" }] },
    };
    const res = await post("/fhir/R4/Observation", aliceToken, local);
    const body = await fhir<Outcome>(res, 202);
    expect(body.issue).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        details: expect.objectContaining({
          coding: [{ system: `${BASE}/fhir/CodeSystem/ingest-issue`, code: "pending_local_code" }],
        }),
      }),
    );
    expect(await stored(alice)).toEqual({ ...before, files: before.files + 1, pending: before.pending + 1 });
  });

  it("conditional create (If-None-Exist): one match is 200 and nothing created, none creates, identifier is refused", async () => {
    const first = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-08T08:00:00Z"));
    const id = idOf(first.headers.get("location"));
    const before = await stored(alice);
    const match = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-08T08:00:00Z", 70), {
      "If-None-Exist": `code=${LOINC}|8867-4&date=2026-05-08`,
    });
    expect((await fhir<Observation>(match, 200)).id).toBe(id);
    expect(await stored(alice)).toEqual(before);

    const none = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-09T08:00:00Z"), {
      "If-None-Exist": `code=${LOINC}|8867-4&date=2026-05-09`,
    });
    expect(none.status).toBe(201);

    await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-08T09:00:00Z"));
    const many = await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-08T10:00:00Z"), {
      "If-None-Exist": `code=${LOINC}|8867-4&date=2026-05-08`,
    });
    expect(many.status).toBe(412);
    await outcome(
      await post("/fhir/R4/Observation", aliceToken, heartRate(alice, "2026-05-08T11:00:00Z"), {
        "If-None-Exist": "identifier=urn:x|1",
      }),
      400,
      "validation_failed",
    );
  });
});

describe("POST /fhir/R4 (transaction)", () => {
  it("writes every entry and answers a transaction-response with each entry's status and location", async () => {
    const before = await stored(alice);
    const res = await post(
      "/fhir/R4",
      aliceToken,
      transaction([heartRate(alice, "2026-06-01T08:00:00Z"), glucose(alice, "2026-06-01T09:00:00Z")]),
    );
    const bundle = await fhir<{ resourceType: string; type: string; entry: ResponseEntry[] }>(res, 200);
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "transaction-response" });
    expect(bundle.entry).toHaveLength(2);
    for (const entry of bundle.entry) {
      expect(entry.response.status).toBe("201 Created");
      expect(entry.response.location).toMatch(/^Observation\/[0-9a-f-]{36}\/_history\/1$/);
      expect(entry.response.etag).toBe('W/"1"');
      expect(entry.resource?.id).toBe(entry.response.location?.split("/")[1]);
    }
    expect(bundle.entry[1]?.resource?.code.coding).toEqual(
      expect.arrayContaining([expect.objectContaining({ system: LOINC, code: "2339-0" })]),
    );
    expect(await stored(alice)).toEqual({ ...before, observations: before.observations + 2, files: before.files + 1 });
  });

  it("is all or nothing: one bad entry refuses the transaction and nothing is written", async () => {
    const before = await stored(alice);
    const res = await post(
      "/fhir/R4",
      aliceToken,
      transaction([
        heartRate(alice, "2026-06-02T08:00:00Z"),
        { ...heartRate(alice, "2026-06-02T09:00:00Z"), valueQuantity: { value: 70, system: UCUM, code: "kg" } },
      ]),
    );
    const body = await outcome(res, 400, "validation_failed");
    expect(body.issue.some((i) => i.diagnostics?.startsWith("body Bundle.entry[1]"))).toBe(true);
    expect(await stored(alice)).toEqual(before);
  });

  it("refuses a transaction with an entry that stores nothing (no value)", async () => {
    const before = await stored(alice);
    const { valueQuantity: _v, ...noValue } = heartRate(alice, "2026-06-02T11:00:00Z");
    const res = await post("/fhir/R4", aliceToken, transaction([heartRate(alice, "2026-06-02T10:00:00Z"), noValue]));
    const body = await outcome(res, 400, "validation_failed");
    expect(body.issue.some((i) => i.diagnostics?.startsWith("body Bundle.entry[1]"))).toBe(true);
    expect(await stored(alice)).toEqual(before);
  });

  it("processes a batch entry by entry: the good ones written, each bad one answered 400 alone", async () => {
    const before = await stored(alice);
    const kg = { ...heartRate(alice, "2026-06-04T09:00:00Z"), valueQuantity: { value: 70, system: UCUM, code: "kg" } };
    const res = await post(
      "/fhir/R4",
      aliceToken,
      transaction([heartRate(alice, "2026-06-04T08:00:00Z"), kg, glucose(alice, "2026-06-04T10:00:00Z")], "batch"),
    );
    const bundle = await fhir<{ type: string; entry: ResponseEntry[] }>(res, 200);
    expect(bundle.type).toBe("batch-response");
    expect(bundle.entry.map((e) => e.response.status)).toEqual(["201 Created", "400 Bad Request", "201 Created"]);
    const bad = bundle.entry[1]?.response.outcome;
    expect(bad?.issue[0]).toMatchObject({ severity: "error", expression: ["Bundle.entry[1].resource.valueQuantity"] });
    expect(bad?.issue[0]?.details?.coding?.[0]?.code).toMatch(/^unit_/);
    expect(await stored(alice)).toEqual({ ...before, observations: before.observations + 2, files: before.files + 1 });

    // Every entry refused: a batch-response of refusals, and nothing kept.
    const allBad = await post("/fhir/R4", aliceToken, transaction([kg], "batch"));
    const refused = await fhir<{ entry: ResponseEntry[] }>(allBad, 200);
    expect(refused.entry.map((e) => e.response.status)).toEqual(["400 Bad Request"]);
    expect(await stored(alice)).toEqual({ ...before, observations: before.observations + 2, files: before.files + 1 });
  });

  it("refuses what it does not process: other Bundle types, other interactions, other resources, several subjects", async () => {
    const collection = transaction([heartRate(alice, "2026-06-03T08:00:00Z")], "collection");
    await outcome(await post("/fhir/R4", aliceToken, collection), 400, "validation_failed");
    const put = transaction([heartRate(alice, "2026-06-03T08:00:00Z")]);
    (put.entry as Array<{ request: unknown }>)[0] = {
      ...(put.entry as Array<Record<string, unknown>>)[0],
      request: { method: "PUT", url: "Observation/1" },
    };
    await outcome(await post("/fhir/R4", aliceToken, put), 400, "validation_failed");
    await outcome(
      await post("/fhir/R4", aliceToken, transaction([{ resourceType: "Patient" }])),
      400,
      "validation_failed",
    );
    const mixed = transaction([heartRate(alice, "2026-06-03T08:00:00Z"), heartRate(bob, "2026-06-03T08:00:00Z")]);
    await outcome(await post("/fhir/R4", aliceToken, mixed), 400, "validation_failed");
  });
});

describe("FHIR writes: authorization", () => {
  /** Every FHIR write route the app serves, with a body for it (a new route fails until it is listed). */
  const routes = (owner: TestUser, at: string): Array<[string, unknown]> => {
    const fixtures: Record<string, [string, unknown]> = {
      "POST /fhir/R4/Observation": ["/fhir/R4/Observation", heartRate(owner, at)],
      "POST /fhir/R4": ["/fhir/R4", transaction([heartRate(owner, at)])],
    };
    const served = [
      ...new Set(
        newApp()
          // Operations (`$export`) are not resource writes: their own tests cover them.
          .routes.filter(
            (r) =>
              r.method === "POST" &&
              !r.path.includes("$") &&
              (r.path.startsWith(FHIR_ROUTE_PREFIX) || r.path === "/fhir/R4"),
          )
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(served.sort()).toEqual(Object.keys(fixtures).sort());
    return served.map((r) => fixtures[r]).filter((f): f is [string, unknown] => f !== undefined);
  };

  it("refuses a missing or invalid token (401), a token without observations:write (403), another tenant (403)", async () => {
    const before = await stored(alice);
    for (const [path, body] of routes(alice, "2026-07-01T08:00:00Z")) {
      const none = await post(path, null, body);
      await outcome(none.clone(), 401, "unauthorized");
      expect(none.headers.get("www-authenticate")).toBe('Bearer realm="dfda"');
      await outcome(await post(path, "not.a.token", body), 401, "unauthorized");
      const scope = await post(path, readOnlyToken, body);
      await outcome(scope.clone(), 403, "forbidden");
      expect(scope.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
      await outcome(await post(path, foreignToken, body), 403, "forbidden");
      await outcome(await post(path, bobToken, body), 403, "forbidden");
      await outcome(await post(path, appToken, body), 403, "forbidden");
    }
    expect(await stored(alice)).toEqual(before);
  });

  it("lets an app with the owner's write grant write inside it, refuses outside it, and nothing once revoked", async () => {
    const grant = await api("/v1/consents", {
      method: "POST",
      headers: auth(aliceToken, { "Content-Type": "application/json" }),
      body: JSON.stringify({
        grantee: { type: "client", id: app.clientId },
        actions: ["write"],
        scope: { categories: ["vital_signs"] },
      }),
    });
    expect(grant.status).toBe(201);
    const grantId = (await json<{ id: string }>(grant)).id;

    const res = await post("/fhir/R4/Observation", appToken, heartRate(alice, "2026-07-02T08:00:00Z"));
    expect(res.status).toBe(201);
    const id = idOf(res.headers.get("location"));
    const { rows } = await handle.client.query<{ user_id: string }>("select user_id from observations where id = $1", [
      id,
    ]);
    expect(rows[0]?.user_id).toBe(alice.id);

    // Glucose is not a vital sign: the writer's row-by-row check refuses, and nothing is kept.
    const before = await stored(alice);
    await outcome(
      await post("/fhir/R4/Observation", appToken, glucose(alice, "2026-07-02T09:00:00Z")),
      403,
      "forbidden",
    );
    const mixed = transaction([heartRate(alice, "2026-07-02T10:00:00Z"), glucose(alice, "2026-07-02T10:00:00Z")]);
    await outcome(await post("/fhir/R4", appToken, mixed), 403, "forbidden");
    // An app acting for itself must name the person.
    await outcome(
      await post("/fhir/R4/Observation", appToken, heartRate(null, "2026-07-02T11:00:00Z")),
      400,
      "validation_failed",
    );
    expect(await stored(alice)).toEqual(before);

    expect((await api(`/v1/consents/${grantId}`, { method: "DELETE", headers: auth(aliceToken) })).status).toBe(204);
    await outcome(
      await post("/fhir/R4/Observation", appToken, heartRate(alice, "2026-07-03T08:00:00Z")),
      403,
      "forbidden",
    );
    expect(await stored(alice)).toEqual(before);
  });
});
