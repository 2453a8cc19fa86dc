/**
 * The FHIR R4 API (/fhir/R4) against the real database, through the real Worker entry, with tokens
 * from the real authorization flow and consent decided by the owners' real Durable Objects. Alice's
 * observations are inserted with known effective and stored times, so every search parameter and
 * prefix has one exact answer; Dan's (same tenant) must never show. R4 validity of every answer is
 * checked with Medplum's validator in test/platform/fhir.test.ts (Node, over the running platform).
 */
import { SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
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
const SCOPES = "openid observations:read observations:write consents:read consents:manage";

interface Coding {
  system?: string;
  code?: string;
}
interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}
interface Observation extends Resource {
  code: { coding: Coding[]; text: string };
  category: Array<{ coding: Coding[] }>;
  subject: { reference: string };
  effectiveDateTime?: string;
  effectivePeriod?: { start: string; end: string };
  valueQuantity?: { value: number; unit?: string; system?: string; code?: string; comparator?: string };
  meta: { lastUpdated: string; source: string; profile?: string[] };
}
interface Bundle {
  resourceType: "Bundle";
  type: string;
  total?: number;
  link: Array<{ relation: string; url: string }>;
  entry: Array<{ fullUrl: string; resource: Resource; search: { mode: string } }>;
}
interface Outcome {
  resourceType: "OperationOutcome";
  issue: Array<{ severity: string; code: string; details: { coding: Coding[]; text: string }; diagnostics?: string }>;
}

let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dan: TestUser;
let aliceToken: string;
let bobToken: string;
let carolToken: string;
let foreignToken: string;
let vitalToken: string;
let writeOnlyToken: string;
let appToken: string;
/** Alice's rows by name. */
const ids: Record<string, string> = {};
let danRow: string;

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

function get(path: string, token?: string): Promise<Response> {
  return api(path, token === undefined ? {} : { headers: auth(token) });
}

/** A FHIR JSON answer with this status, parsed. */
async function fhir<T>(res: Response, status = 200): Promise<T> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe(FHIR_JSON);
  return json<T>(res);
}

/** An OperationOutcome with this status, carrying the platform's stable code. */
async function outcome(res: Response, status: number, code: string): Promise<Outcome> {
  const body = await fhir<Outcome>(res, status);
  expect(body.resourceType).toBe("OperationOutcome");
  expect(body.issue[0]?.severity).toBe("error");
  expect(body.issue[0]?.details.coding).toEqual([{ system: `${BASE}/fhir/CodeSystem/problem`, code }]);
  return body;
}

async function search(query: string, token = aliceToken): Promise<Bundle> {
  const bundle = await fhir<Bundle>(await get(`/fhir/R4/Observation${query}`, token));
  expect(bundle).toMatchObject({ resourceType: "Bundle", type: "searchset" });
  return bundle;
}

/** The names of Alice's rows a search returns, in order. */
async function names(query: string, token = aliceToken): Promise<string[]> {
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return (await search(query, token)).entry.map((e) => byId.get(e.resource.id) ?? `unknown ${e.resource.id}`);
}

async function insert(
  user: TestUser,
  slug: string,
  start: string,
  created: string,
  value: number,
  unit: string,
  extra: { end?: string; comparator?: string } = {},
): Promise<string> {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = $2 and valid_to is null",
    [SYSTEM_TENANT_ID, slug],
  );
  const v = rows[0];
  if (!v) throw new Error(`no variable ${slug}`);
  const source = await clientSource(handle.db, tenant.id, "test-watch", "Watch");
  const id = uuidv7();
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, end_at, value, unit,
       original_value, original_unit, source_id, comparator, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9, $10, $11, $12)`,
    [
      id,
      tenant.id,
      user.id,
      v.id,
      v.version,
      start,
      extra.end ?? null,
      value,
      unit,
      source,
      extra.comparator ?? null,
      created,
    ],
  );
  return id;
}

async function grantVitalSigns(): Promise<string> {
  const res = await api("/v1/consents", {
    method: "POST",
    headers: auth(aliceToken, { "Content-Type": "application/json" }),
    body: JSON.stringify({
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
    }),
  });
  expect(res.status).toBe(201);
  return (await json<{ id: string }>(res)).id;
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  client = await makeClient(tenant, {
    type: "public",
    scopes: [
      "openid",
      "observations:read",
      "observations:write",
      "observations.vital_signs:read",
      "consents:read",
      "consents:manage",
    ],
  });
  const app = await makeClient(tenant, {
    scopes: ["observations:read"],
    grantTypes: ["client_credentials"],
  });
  const foreign = await makeTenant();
  const foreignClient = await makeClient(foreign, { type: "public", scopes: ["openid", "observations:read"] });
  [alice, bob, carol, dan] = await Promise.all([
    makeUser(tenant),
    makeUser(tenant, ["data_owner", "clinician_delegate"]),
    makeUser(tenant),
    makeUser(tenant),
  ]);
  const foreigner = await makeUser(foreign);
  ids.hr1 = await insert(alice, "heart-rate", "2026-03-01T08:00:00Z", "2026-03-05T00:00:00Z", 70, "/min");
  ids.hr2 = await insert(alice, "heart-rate", "2026-03-10T08:00:00Z", "2026-03-15T00:00:00Z", 72, "/min");
  ids.glucose = await insert(alice, "blood-glucose", "2026-03-10T09:00:00Z", "2026-03-15T01:00:00Z", 5.5, "mmol/L");
  ids.steps = await insert(alice, "steps", "2026-03-15T00:00:00Z", "2026-03-20T00:00:00Z", 9000, "{steps}", {
    end: "2026-03-16T00:00:00Z",
  });
  ids.hr3 = await insert(alice, "heart-rate", "2026-03-20T08:00:00.5Z", "2026-03-25T00:00:00Z", 30, "/min", {
    comparator: "<",
  });
  ids.weight = await insert(alice, "body-weight", "2026-04-01T07:00:00Z", "2026-04-02T00:00:00Z", 80.5, "kg");
  danRow = await insert(dan, "heart-rate", "2026-03-01T08:00:00Z", "2026-03-05T00:00:00Z", 60, "/min");
  [aliceToken, bobToken, carolToken, vitalToken, writeOnlyToken, foreignToken, appToken] = await Promise.all([
    userToken(client, alice, SCOPES),
    userToken(client, bob, SCOPES),
    userToken(client, carol, SCOPES),
    userToken(client, alice, "openid observations.vital_signs:read"),
    userToken(client, alice, "openid observations:write"),
    userToken(foreignClient, foreigner, "openid observations:read"),
    clientToken(app, "observations:read"),
  ]);
}, 60_000);
afterAll(async () => handle.close());

describe("GET /fhir/R4/metadata", () => {
  it("is a public R4 CapabilityStatement naming SMART on FHIR, its OAuth endpoints and what is supported", async () => {
    const statement = await fhir<Record<string, unknown>>(await get("/fhir/R4/metadata"));
    expect(statement).toMatchObject({ resourceType: "CapabilityStatement", fhirVersion: "4.0.1", format: ["json"] });
    const rest = (statement.rest as Array<Record<string, unknown>>)[0] as {
      mode: string;
      security: { service: Array<{ coding: Coding[] }>; extension: Array<{ url: string; extension: unknown[] }> };
      resource: Array<{ type: string; searchParam: Array<{ name: string }> }>;
    };
    expect(rest.mode).toBe("server");
    expect(rest.security.service[0]?.coding[0]?.code).toBe("SMART-on-FHIR");
    expect(rest.security.extension[0]?.extension).toEqual(
      expect.arrayContaining([
        { url: "authorize", valueUri: `${BASE}/oauth/authorize` },
        { url: "token", valueUri: `${BASE}/oauth/token` },
      ]),
    );
    const observation = rest.resource.find((r) => r.type === "Observation");
    expect(observation?.searchParam.map((p) => p.name)).toEqual(
      expect.arrayContaining(["patient", "subject", "code", "category", "date", "_lastUpdated", "_count", "_sort"]),
    );
  });
});

describe("GET /fhir/R4/Observation", () => {
  it("returns the caller's own observations, newest first, as R4 resources with provenance", async () => {
    expect(await names("")).toEqual(["weight", "hr3", "steps", "glucose", "hr2", "hr1"]);
    const bundle = await search(`?_id=${ids.hr3}`);
    const entry = bundle.entry[0];
    expect(entry?.fullUrl).toBe(`${BASE}/fhir/R4/Observation/${ids.hr3}`);
    const hr3 = entry?.resource as Observation;
    expect(hr3.subject).toEqual({ reference: `Patient/${alice.id}` });
    expect(hr3.effectiveDateTime).toBe("2026-03-20T08:00:00.5Z");
    // Censored: the bound with its comparator, in UCUM.
    expect(hr3.valueQuantity).toEqual({
      value: 30,
      unit: "/min",
      system: "http://unitsofmeasure.org",
      code: "/min",
      comparator: "<",
    });
    expect(hr3.code.coding).toEqual(
      expect.arrayContaining([expect.objectContaining({ system: LOINC, code: "8867-4" })]),
    );
    expect(hr3.meta).toMatchObject({
      lastUpdated: "2026-03-25T00:00:00Z",
      source: `${BASE}/fhir/source/client-test-watch`,
      profile: ["http://hl7.org/fhir/StructureDefinition/vitalsigns"],
    });
    const steps = (await search(`?_id=${ids.steps}`)).entry[0]?.resource as Observation;
    expect(steps.effectivePeriod).toEqual({ start: "2026-03-15T00:00:00Z", end: "2026-03-16T00:00:00Z" });
    expect(steps.meta.profile).toBeUndefined();
  });

  it("searches by code: system|code, code alone, comma as OR, the platform's code system, none", async () => {
    expect(await names(`?code=${encodeURIComponent(`${LOINC}|8867-4`)}`)).toEqual(["hr3", "hr2", "hr1"]);
    expect(await names("?code=8867-4")).toEqual(["hr3", "hr2", "hr1"]);
    expect(await names(`?code=${encodeURIComponent(`${LOINC}|8867-4,${LOINC}|2339-0`)}`)).toEqual([
      "hr3",
      "glucose",
      "hr2",
      "hr1",
    ]);
    expect(await names(`?code=${encodeURIComponent(`${BASE}/fhir/CodeSystem/variable|body-weight`)}`)).toEqual([
      "weight",
    ]);
    expect(await names(`?code=${encodeURIComponent(`${LOINC}|0000-0`)}`)).toEqual([]);
    expect(await names("?code=%7C8867-4")).toEqual([]);
    // Repeated: both must hold.
    expect(await names("?code=8867-4&code=2339-0")).toEqual([]);
  });

  it("searches by category: observation-category codes and the platform's categories", async () => {
    const vital = await names("?category=vital-signs");
    expect(vital).toEqual(expect.arrayContaining(["hr3", "hr2", "hr1"]));
    expect(vital).not.toContain("glucose");
    expect(
      await names(
        `?category=${encodeURIComponent("http://terminology.hl7.org/CodeSystem/observation-category|laboratory")}`,
      ),
    ).toEqual(["glucose"]);
    expect(
      await names(`?category=${encodeURIComponent(`${BASE}/fhir/CodeSystem/variable-category|laboratory`)}`),
    ).toEqual(["glucose"]);
    expect(await names("?category=vital-signs,laboratory")).toEqual(expect.arrayContaining([...vital, "glucose"]));
  });

  it("searches the effective time with every prefix, at the precision of the value", async () => {
    const cases: Array<[string, string[]]> = [
      ["2026-03-10", ["glucose", "hr2"]],
      ["eq2026-03", ["hr3", "steps", "glucose", "hr2", "hr1"]],
      ["2026", ["weight", "hr3", "steps", "glucose", "hr2", "hr1"]],
      ["ne2026-03", ["weight"]],
      ["lt2026-03-10", ["hr1"]],
      ["le2026-03-10", ["glucose", "hr2", "hr1"]],
      ["gt2026-03-10", ["weight", "hr3", "steps"]],
      ["ge2026-03-10", ["weight", "hr3", "steps", "glucose", "hr2"]],
      // A period that ends at the start of the next day still overlaps the range above 15 March…
      ["gt2026-03-15", ["weight", "hr3", "steps"]],
      // …but does not start after it, and does not end before 16 March.
      ["sa2026-03-15", ["weight", "hr3"]],
      ["eb2026-03-16", ["glucose", "hr2", "hr1"]],
      ["lt2026-03-16", ["steps", "glucose", "hr2", "hr1"]],
      // Precision: a second holds 08:00:00.5; a tenth of a second from .4 does not.
      ["2026-03-20T08:00:00Z", ["hr3"]],
      ["2026-03-20T08:00:00.4Z", []],
      ["2026-03-20T08:00:00.5Z", ["hr3"]],
      // An offset: 10:00 in UTC+1 is 09:00Z, a minute.
      ["2026-03-10T10:00+01:00", ["glucose"]],
      // ap: within 10% of the distance from now, which reaches from 2026 over weeks but not back to 2020.
      ["ap2026-03-10", ["weight", "hr3", "steps", "glucose", "hr2", "hr1"]],
      ["ap2020-01-01", []],
      // Comma: OR.
      ["2026-03-01,2026-04-01", ["weight", "hr1"]],
    ];
    for (const [value, expected] of cases) {
      expect({ value, found: await names(`?date=${encodeURIComponent(value)}`) }).toEqual({ value, found: expected });
    }
    // Repeated: AND.
    expect(await names("?date=ge2026-03-01&date=lt2026-03-11")).toEqual(["glucose", "hr2", "hr1"]);
  });

  it("searches _lastUpdated with prefixes, and sorts by date or _lastUpdated either way", async () => {
    expect(await names("?_lastUpdated=2026-03-15")).toEqual(["glucose", "hr2"]);
    expect(await names("?_lastUpdated=gt2026-03-20")).toEqual(["weight", "hr3"]);
    expect(await names("?_lastUpdated=lt2026-03-15")).toEqual(["hr1"]);
    expect(await names("?_sort=date")).toEqual(["hr1", "hr2", "glucose", "steps", "hr3", "weight"]);
    expect(await names("?_sort=-date")).toEqual(["weight", "hr3", "steps", "glucose", "hr2", "hr1"]);
    expect(await names("?_sort=_lastUpdated")).toEqual(["hr1", "hr2", "glucose", "steps", "hr3", "weight"]);
    expect(await names("?_sort=-_lastUpdated")).toEqual(["weight", "hr3", "steps", "glucose", "hr2", "hr1"]);
  });

  it("pages with next links to the end, each row once, in order, keeping the query", async () => {
    for (const sort of ["date", "-_lastUpdated"]) {
      const seen: string[] = [];
      let url: string | undefined = `/fhir/R4/Observation?_count=4&_sort=${sort}&date=ge2026`;
      let pages = 0;
      while (url !== undefined) {
        const bundle: Bundle = await fhir<Bundle>(await get(url, aliceToken));
        expect(bundle.link.find((l) => l.relation === "self")?.url).toBe(new URL(url, BASE).toString());
        seen.push(...bundle.entry.map((e) => e.resource.id));
        url = bundle.link.find((l) => l.relation === "next")?.url;
        if (url !== undefined) expect(new URL(url).searchParams.get("date")).toBe("ge2026");
        pages++;
      }
      expect(pages).toBe(2);
      expect(seen).toEqual((await search(`?_sort=${sort}`)).entry.map((e) => e.resource.id));
    }
    // A larger _count than the maximum is lowered to it (R4 lets a server return fewer).
    expect((await search("?_count=100000")).entry).toHaveLength(6);
  });

  it("refuses what it does not support, and malformed values, with an OperationOutcome naming them", async () => {
    const unsupported = await outcome(
      await get("/fhir/R4/Observation?value-quantity=5", aliceToken),
      400,
      "validation_failed",
    );
    expect(unsupported.issue[0]?.code).toBe("invalid");
    expect(unsupported.issue[1]?.diagnostics).toBe("query value-quantity");
    await outcome(await get("/fhir/R4/Observation?code:text=heart", aliceToken), 400, "validation_failed");
    for (const bad of ["2026-13", "2026-02-30", "2026-03-01T08:00", "xx2026", "2026-03-01T08:00:00.1234Z"]) {
      await outcome(
        await get(`/fhir/R4/Observation?date=${encodeURIComponent(bad)}`, aliceToken),
        400,
        "validation_failed",
      );
    }
    for (const bad of ["0", "-1", "ten"]) {
      await outcome(await get(`/fhir/R4/Observation?_count=${bad}`, aliceToken), 400, "validation_failed");
    }
    await outcome(await get("/fhir/R4/Observation?_sort=value", aliceToken), 400, "validation_failed");
    await outcome(await get("/fhir/R4/Observation?_cursor=garbage", aliceToken), 400, "invalid_cursor");
    // A cursor of one sort order is refused by another.
    const first = await search("?_count=1&_sort=date");
    const next = new URL(first.link.find((l) => l.relation === "next")?.url ?? "");
    const cursor = next.searchParams.get("_cursor") ?? "";
    await outcome(await get(`/fhir/R4/Observation?_sort=-date&_cursor=${cursor}`, aliceToken), 400, "invalid_cursor");
    await outcome(await get("/fhir/R4/Observation?patient=Patient/42", aliceToken), 400, "validation_failed");
    await outcome(await get("/fhir/R4/Observation?_format=xml", aliceToken), 406, "not_acceptable");
    await outcome(await get("/fhir/R4/Observation?code=a%00b", aliceToken), 400, "validation_failed");
  });
});

describe("GET /fhir/R4/Observation/{id}", () => {
  it("reads one of the caller's observations; another's, an unknown or a malformed id is not found", async () => {
    const hr1 = await fhir<Observation>(await get(`/fhir/R4/Observation/${ids.hr1}`, aliceToken));
    expect(hr1).toMatchObject({ resourceType: "Observation", id: ids.hr1, status: "final" });
    await outcome(await get(`/fhir/R4/Observation/${uuidv7()}`, aliceToken), 404, "not_found");
    await outcome(await get("/fhir/R4/Observation/not-an-id", aliceToken), 404, "not_found");
    // Dan's row, to Alice: his consent is asked and refused.
    const denied = await outcome(await get(`/fhir/R4/Observation/${danRow}`, aliceToken), 403, "forbidden");
    expect(JSON.stringify(denied)).not.toContain(dan.email);
    // Another tenant cannot even find it.
    await outcome(await get(`/fhir/R4/Observation/${ids.hr1}`, foreignToken), 404, "not_found");
  });
});

describe("authorization", () => {
  /**
   * Every FHIR route the app serves (they are outside the OpenAPI document the authorization matrix
   * reads), each with a request for one of Alice's objects: a new route fails here until it has one.
   */
  const routes = () => {
    const fixtures: Record<string, string | null> = {
      "GET /fhir/R4/metadata": null,
      // SMART App Launch discovery under the FHIR base is public too (smart.test.ts).
      "GET /fhir/R4/.well-known/smart-configuration": null,
      "GET /fhir/R4/Observation": "/fhir/R4/Observation",
      "GET /fhir/R4/Observation/:id": `/fhir/R4/Observation/${ids.hr1}`,
      "GET /fhir/R4/Patient": "/fhir/R4/Patient",
      "GET /fhir/R4/Patient/:id": `/fhir/R4/Patient/${alice.id}`,
      "GET /fhir/R4/Patient/:id/$everything": `/fhir/R4/Patient/${alice.id}/$everything`,
    };
    // A route with middleware is listed once per handler: each counted once. The write routes (POST)
    // have their own checks in write.test.ts.
    const served = [
      ...new Set(
        newApp()
          .routes.filter(
            (r) =>
              r.method !== "ALL" &&
              !(r.method === "POST" && r.path === "/fhir/R4/Observation") &&
              // Bulk Data (kick-off, status, files) is authorized per export: its own checks in bulk.test.ts.
              !r.path.includes("$export") &&
              r.path.startsWith(FHIR_ROUTE_PREFIX),
          )
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(served.filter((r) => !(r in fixtures))).toEqual([]);
    expect(served.length).toBe(Object.keys(fixtures).length);
    // Only the CapabilityStatement (R4 requires it of the capabilities interaction) and SMART discovery are public.
    return served.map((r) => fixtures[r]).filter((path): path is string => path !== null && path !== undefined);
  };

  it("refuses a missing or invalid token with 401 and the RFC 6750 challenge", async () => {
    for (const path of routes()) {
      const none = await get(path);
      await outcome(none.clone(), 401, "unauthorized");
      expect(none.headers.get("www-authenticate")).toBe('Bearer realm="dfda"');
      const bad = await api(path, { headers: { Authorization: "Bearer not.a.token" } });
      await outcome(bad.clone(), 401, "unauthorized");
      expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("refuses a token without a read scope with 403 insufficient_scope", async () => {
    for (const path of routes()) {
      const res = await get(path, writeOnlyToken);
      await outcome(res.clone(), 403, "forbidden");
      expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    }
  });

  it("narrows a category-scoped token to its categories", async () => {
    const vital = await names("", vitalToken);
    expect(vital).toEqual(expect.arrayContaining(["hr3", "hr2", "hr1"]));
    expect(vital).not.toContain("glucose");
    expect(vital).not.toContain("steps");
    await outcome(await get(`/fhir/R4/Observation/${ids.glucose}`, vitalToken), 404, "not_found");
  });

  it("lets a grantee read exactly the grant, and nothing once it is revoked", async () => {
    // Without a grant: refused, and Alice is not among Carol's Patients.
    await outcome(await get(`/fhir/R4/Observation?patient=${alice.id}`, carolToken), 403, "forbidden");
    await outcome(await get(`/fhir/R4/Patient/${alice.id}`, carolToken), 403, "forbidden");
    const carols = await fhir<Bundle>(await get("/fhir/R4/Patient", carolToken));
    expect(carols.entry.map((e) => e.resource.id)).toEqual([carol.id]);

    const grantId = await grantVitalSigns();
    const viaPatient = await names(`?patient=Patient/${alice.id}`, bobToken);
    expect(viaPatient).toEqual(expect.arrayContaining(["hr3", "hr2", "hr1"]));
    expect(viaPatient).not.toContain("glucose");
    expect(await names(`?subject=${encodeURIComponent(`${BASE}/fhir/R4/Patient/${alice.id}`)}`, bobToken)).toEqual(
      viaPatient,
    );
    expect(await names(`?patient=${alice.id}&code=2339-0`, bobToken)).toEqual([]);
    await fhir<Observation>(await get(`/fhir/R4/Observation/${ids.hr1}`, bobToken));
    await outcome(await get(`/fhir/R4/Observation/${ids.glucose}`, bobToken), 404, "not_found");
    expect(await fhir<Resource>(await get(`/fhir/R4/Patient/${alice.id}`, bobToken))).toEqual({
      resourceType: "Patient",
      id: alice.id,
      active: true,
    });
    const bobs = await fhir<Bundle>(await get("/fhir/R4/Patient", bobToken));
    expect(bobs.entry.map((e) => e.resource.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(bobs.total).toBe(2);
    expect(JSON.stringify(bobs)).not.toContain(alice.email);
    const narrowed = await fhir<Bundle>(await get(`/fhir/R4/Patient?_id=${alice.id}`, bobToken));
    expect(narrowed.entry.map((e) => e.resource.id)).toEqual([alice.id]);
    // $everything is for the person themselves only.
    await outcome(await get(`/fhir/R4/Patient/${alice.id}/$everything`, bobToken), 403, "forbidden");

    const revoked = await api(`/v1/consents/${grantId}`, { method: "DELETE", headers: auth(aliceToken) });
    expect(revoked.status).toBe(204);
    await outcome(await get(`/fhir/R4/Observation?patient=${alice.id}`, bobToken), 403, "forbidden");
    await outcome(await get(`/fhir/R4/Observation/${ids.hr1}`, bobToken), 403, "forbidden");
    await outcome(await get(`/fhir/R4/Patient/${alice.id}`, bobToken), 403, "forbidden");
    const after = await fhir<Bundle>(await get("/fhir/R4/Patient", bobToken));
    expect(after.entry.map((e) => e.resource.id)).toEqual([bob.id]);

    // Each of Bob's reads is in Alice's access log, allowed and denied.
    const { rows } = await handle.client.query<{ outcome: string }>(
      `select outcome from audit_log where tenant_id = $1 and subject_user_id = $2 and actor_user_id = $3
       and action in ('observations.read', 'patient.read') order by id`,
      [tenant.id, alice.id, bob.id],
    );
    expect(rows.map((r) => r.outcome)).toContain("success");
    expect(rows.at(-1)?.outcome).toBe("denied");
  });

  it("keeps other tenants and an app without a grant out", async () => {
    await outcome(await get(`/fhir/R4/Observation?patient=${alice.id}`, foreignToken), 403, "forbidden");
    await outcome(await get(`/fhir/R4/Patient/${alice.id}`, foreignToken), 403, "forbidden");
    await outcome(await get(`/fhir/R4/Observation?patient=${alice.id}`, appToken), 403, "forbidden");
    // An app acting for itself has no record of its own.
    await outcome(await get("/fhir/R4/Observation", appToken), 400, "validation_failed");
    const apps = await fhir<Bundle>(await get("/fhir/R4/Patient", appToken));
    expect(apps.entry).toEqual([]);
  });
});

describe("GET /fhir/R4/Patient/{id}/$everything", () => {
  it("pages the person's own record: the Patient, then every Observation in time order", async () => {
    const seen: Resource[] = [];
    let url: string | undefined = `/fhir/R4/Patient/${alice.id}/$everything?_count=4`;
    while (url !== undefined) {
      const bundle: Bundle = await fhir<Bundle>(await get(url, aliceToken));
      seen.push(...bundle.entry.map((e) => e.resource));
      url = bundle.link.find((l) => l.relation === "next")?.url;
    }
    expect(seen[0]).toEqual({ resourceType: "Patient", id: alice.id, active: true });
    expect(seen.slice(1).map((r) => r.id)).toEqual(
      ["hr1", "hr2", "glucose", "steps", "hr3", "weight"].map((n) => ids[n]),
    );
    await outcome(
      await get(`/fhir/R4/Patient/${alice.id}/$everything?_type=Observation`, aliceToken),
      400,
      "validation_failed",
    );
  });
});

describe("FHIR errors", () => {
  it("answers an unknown route and another method with an OperationOutcome", async () => {
    await outcome(await get("/fhir/R4/Encounter", aliceToken), 404, "route_not_found");
    const post = await api("/fhir/R4/Patient", { method: "DELETE", headers: auth(aliceToken) });
    expect(post.headers.get("allow")).toContain("GET");
    const body = await outcome(post, 405, "method_not_allowed");
    expect(body.issue[0]?.code).toBe("not-supported");
  });
});
