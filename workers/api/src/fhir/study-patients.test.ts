/**
 * FHIR Patient for a study's researchers (issue 18), through the real Worker, the real database and the
 * participants' real Durable Objects: a researcher sees the study's participants only under the study's
 * pseudonyms (the ids `study_subjects` holds, the ones `GET /v1/studies/{id}/observations` and the
 * Group `$export` use), never their user ids; a participant's real id is not found for the researcher;
 * a revoked study grant closes the pseudonym; another tenant's researcher finds nothing; the person
 * themselves still reads their own Patient under their user id. Observation search by the pseudonym
 * (`patient=<pseudonym>`) answers what the study grant opens, each resource about `Patient/<pseudonym>`.
 */

import { SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { addStudyMember, createStudy } from "@dfda/db/repositories/studies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, json, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestTenant, type TestUser, userToken } from "../../test/identity";

const DOC_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const FHIR_JSON = "application/fhir+json";
/** R4 datatypes.html#id. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}
interface Bundle {
  resourceType: "Bundle";
  type: string;
  total?: number;
  entry: Array<{ fullUrl: string; resource: Resource; search: { mode: string } }>;
}

let handle: DbHandle;
let tenant: TestTenant;
let alice: TestUser;
let bob: TestUser;
let rita: TestUser;
let otto: TestUser;
let aliceToken: string;
let ritaToken: string;
/** A researcher of the same tenant who is not a member of the study. */
let ottoToken: string;
/** A researcher of another tenant, member of a study there. */
let foreignToken: string;
let studyId: string;
let bobGrant: string;
const pseudonym: Record<string, string> = {};

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

function get(path: string, token: string): Promise<Response> {
  return api(path, { headers: auth(token) });
}

async function grant(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await api("/v1/consents", {
    method: "POST",
    headers: auth(token, { "Content-Type": "application/json" }),
    body: JSON.stringify({ actions: ["read"], ...body }),
  });
  if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

async function insert(user: TestUser, slug: string, start: string, value: number, unit: string): Promise<string> {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = $2 and valid_to is null",
    [SYSTEM_TENANT_ID, slug],
  );
  const v = rows[0];
  if (!v) throw new Error(`no variable ${slug}`);
  const source = await clientSource(handle.db, tenant.id, "test-watch", "Watch");
  const id = uuidv7();
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id, note)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, 'private note')`,
    [id, tenant.id, user.id, v.id, v.version, start, value, unit, source],
  );
  return id;
}

async function outcome(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe(FHIR_JSON);
  const body = await json<{ resourceType: string; issue: Array<{ details: { coding: Array<{ code: string }> } }> }>(
    res,
  );
  expect(body.resourceType).toBe("OperationOutcome");
  expect(body.issue[0]?.details.coding[0]?.code).toBe(code);
}

/**
 * The structure of an R4 Patient as this server builds it: only `resourceType`, `id` and `active`
 * (no name, telecom, birthDate, address or identifier), with a valid id.
 */
function expectBarePatient(resource: Resource, id: string): void {
  expect(resource.resourceType).toBe("Patient");
  expect(resource.id).toBe(id);
  expect(resource.id).toMatch(FHIR_ID);
  expect(Object.keys(resource).sort()).toEqual(["active", "id", "resourceType"]);
  expect(resource.active).toBe(true);
}

async function patients(query: string, token: string): Promise<Bundle> {
  const res = await get(`/fhir/R4/Patient${query}`, token);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toBe(FHIR_JSON);
  const bundle = await json<Bundle>(res);
  expect(bundle.resourceType).toBe("Bundle");
  expect(bundle.type).toBe("searchset");
  return bundle;
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "consents:manage", "consents:read"],
  });
  [alice, bob, rita, otto] = await Promise.all([
    makeUser(tenant),
    makeUser(tenant),
    makeUser(tenant, ["data_owner", "researcher"]),
    makeUser(tenant, ["data_owner", "researcher"]),
  ]);
  const scope = "openid observations:read consents:manage";
  let bobToken: string;
  [aliceToken, bobToken, ritaToken, ottoToken] = await Promise.all([
    userToken(client, alice, scope),
    userToken(client, bob, scope),
    userToken(client, rita, "openid observations:read"),
    userToken(client, otto, "openid observations:read"),
  ]);
  await insert(alice, "heart-rate", "2026-03-01T08:00:00Z", 70, "/min");
  await insert(alice, "heart-rate", "2026-03-10T08:00:00Z", 72, "/min");
  await insert(alice, "blood-glucose", "2026-03-10T09:00:00Z", 5.5, "mmol/L");
  await insert(bob, "heart-rate", "2026-03-02T08:00:00Z", 64, "/min");
  const study = await createStudy(handle.db, { tenantId: tenant.id, slug: "fhir-study", name: "FHIR study" });
  if (study === null) throw new Error("no study");
  studyId = study.id;
  expect(await addStudyMember(handle.db, { tenantId: tenant.id, studyId, userId: rita.id })).toBe("added");
  const studyGrant = { grantee: { type: "study", id: studyId }, scope: { categories: ["vital_signs"] } };
  await grant(aliceToken, { ...studyGrant, document_hash: DOC_HASH });
  bobGrant = await grant(bobToken, { ...studyGrant, document_hash: DOC_HASH });
  const { rows } = await handle.client.query<{ user_id: string; subject_id: string }>(
    "select user_id, subject_id from study_subjects where study_id = $1",
    [studyId],
  );
  for (const row of rows) pseudonym[row.user_id] = row.subject_id;
  expect(Object.keys(pseudonym).sort()).toEqual([alice.id, bob.id].sort());

  // Another tenant, with a researcher of a study there.
  const other = await makeTenant();
  const otherClient = await makeClient(other, { type: "public", scopes: ["openid", "observations:read"] });
  const foreigner = await makeUser(other, ["data_owner", "researcher"]);
  const otherStudy = await createStudy(handle.db, { tenantId: other.id, slug: "fhir-study", name: "Other study" });
  if (otherStudy === null) throw new Error("no study");
  await addStudyMember(handle.db, { tenantId: other.id, studyId: otherStudy.id, userId: foreigner.id });
  foreignToken = await userToken(otherClient, foreigner, "openid observations:read");
}, 120_000);

afterAll(async () => {
  await handle.close();
});

describe("Patient for a study's researcher", () => {
  it("lists the participants under pseudonyms only, with nothing that identifies them", async () => {
    const bundle = await patients("", ritaToken);
    const ids = bundle.entry.map((e) => e.resource.id);
    expect(ids.sort()).toEqual([rita.id, pseudonym[alice.id], pseudonym[bob.id]].sort());
    expect(ids).not.toContain(alice.id);
    expect(ids).not.toContain(bob.id);
    expect(bundle.total).toBe(3);
    for (const entry of bundle.entry) {
      expectBarePatient(entry.resource, entry.resource.id);
      expect(entry.fullUrl.endsWith(`/fhir/R4/Patient/${entry.resource.id}`)).toBe(true);
      expect(entry.search.mode).toBe("match");
    }
    const byPseudonym = await patients(`?_id=${pseudonym[alice.id]}`, ritaToken);
    expect(byPseudonym.entry.map((e) => e.resource.id)).toEqual([pseudonym[alice.id]]);
    // The real id is no Patient the researcher can search for.
    expect((await patients(`?_id=${alice.id}`, ritaToken)).entry).toEqual([]);
  });

  it("reads a participant by pseudonym, and the participant's real id is not found", async () => {
    const res = await get(`/fhir/R4/Patient/${pseudonym[alice.id]}`, ritaToken);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("content-type")).toBe(FHIR_JSON);
    expectBarePatient(await json<Resource>(res), pseudonym[alice.id] ?? "");
    // Upper case names the same id.
    const upper = await get(`/fhir/R4/Patient/${(pseudonym[alice.id] ?? "").toUpperCase()}`, ritaToken);
    expect(upper.status).toBe(200);
    expectBarePatient(await json<Resource>(upper), pseudonym[alice.id] ?? "");
    await outcome(await get(`/fhir/R4/Patient/${alice.id}`, ritaToken), 404, "not_found");
    // The research read is in the participant's access log.
    const { rows } = await handle.client.query<{ outcome: string }>(
      `select outcome from audit_log where tenant_id = $1 and subject_user_id = $2 and actor_user_id = $3
       and action = 'patient.read' order by id`,
      [tenant.id, alice.id, rita.id],
    );
    expect(rows.map((r) => r.outcome)).toContain("success");
  });

  it("answers the person themselves under their own id", async () => {
    const res = await get(`/fhir/R4/Patient/${alice.id}`, aliceToken);
    expect(res.status).toBe(200);
    expectBarePatient(await json<Resource>(res), alice.id);
    expect((await patients("", aliceToken)).entry.map((e) => e.resource.id)).toEqual([alice.id]);
    // A participant does not hold the study's view: their pseudonym is nothing they may read.
    await outcome(await get(`/fhir/R4/Patient/${pseudonym[alice.id]}`, aliceToken), 403, "forbidden");
  });

  it("finds nothing for a researcher outside the study or in another tenant", async () => {
    for (const token of [ottoToken, foreignToken]) {
      const bundle = await patients("", token);
      const ids = bundle.entry.map((e) => e.resource.id);
      expect(ids).not.toContain(pseudonym[alice.id]);
      expect(ids).not.toContain(pseudonym[bob.id]);
      expect((await patients(`?_id=${pseudonym[alice.id]}`, token)).entry).toEqual([]);
    }
    for (const token of [ottoToken, foreignToken]) {
      await outcome(await get(`/fhir/R4/Patient/${pseudonym[alice.id]}`, token), 404, "not_found");
      await outcome(await get(`/fhir/R4/Patient/${alice.id}`, token), 404, "not_found");
    }
  });

  it("searches a participant's Observations by pseudonym, within the study grant, about the pseudonym", async () => {
    const subject = pseudonym[alice.id] ?? "";
    for (const query of [`patient=${subject}`, `subject=Patient/${subject}`]) {
      const res = await get(`/fhir/R4/Observation?${query}&_sort=date`, ritaToken);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get("content-type")).toBe(FHIR_JSON);
      const text = await res.text();
      // Nothing that names the person or the stored rows leaves.
      expect(text).not.toContain(alice.id);
      expect(text).not.toContain("private note");
      const bundle = JSON.parse(text) as Bundle;
      // Only vital signs: the study grant opens no laboratory results.
      expect(bundle.entry.map((e) => (e.resource.valueQuantity as { value: number }).value)).toEqual([70, 72]);
      for (const { resource, fullUrl } of bundle.entry) {
        expect(resource.resourceType).toBe("Observation");
        expect(resource.id).toMatch(/^[0-9a-f]{64}$/);
        expect(resource.id).toMatch(FHIR_ID);
        expect(fullUrl.endsWith(`/fhir/R4/Observation/${resource.id}`)).toBe(true);
        expect(resource.subject).toEqual({ reference: `Patient/${subject}` });
        expect(resource.status).toBe("final");
        expect(resource.note).toBeUndefined();
        expect((resource.meta as Record<string, unknown>).source).toBeUndefined();
      }
    }
    // Paging: the cursor is sealed (no row id in it) and bound to this researcher.
    const first = await get(`/fhir/R4/Observation?patient=${subject}&_sort=date&_count=1`, ritaToken);
    const page1 = await json<Bundle & { link: Array<{ relation: string; url: string }> }>(first);
    expect(page1.entry.map((e) => (e.resource.valueQuantity as { value: number }).value)).toEqual([70]);
    const nextUrl = page1.link.find((l) => l.relation === "next")?.url ?? "";
    const cursor = new URL(nextUrl).searchParams.get("_cursor") ?? "";
    const { rows } = await handle.client.query<{ id: string }>("select id::text from observations where user_id = $1", [
      alice.id,
    ]);
    for (const row of rows) expect(cursor).not.toContain(row.id);
    const page2 = await json<Bundle>(await api(nextUrl, { headers: auth(ritaToken) }));
    expect(page2.entry.map((e) => (e.resource.valueQuantity as { value: number }).value)).toEqual([72]);
    await outcome(await api(nextUrl, { headers: auth(ottoToken) }), 403, "forbidden");
    // The real id is no record the researcher may search; other researchers find nothing.
    await outcome(await get(`/fhir/R4/Observation?patient=${alice.id}`, ritaToken), 403, "forbidden");
    for (const token of [ottoToken, foreignToken]) {
      await outcome(await get(`/fhir/R4/Observation?patient=${subject}`, token), 403, "forbidden");
    }
    // The person themselves still reads their Observations about their own id.
    const own = await json<Bundle>(await get("/fhir/R4/Observation?_sort=date", aliceToken));
    expect(own.entry).toHaveLength(3);
    for (const e of own.entry) expect(e.resource.subject).toEqual({ reference: `Patient/${alice.id}` });
  });

  it("closes a pseudonym when the study grant is revoked", async () => {
    const bobToken = await userToken(
      await makeClient(tenant, { type: "public", scopes: ["openid", "consents:manage"] }),
      bob,
      "openid consents:manage",
    );
    const revoke = await api(`/v1/consents/${bobGrant}`, { method: "DELETE", headers: auth(bobToken) });
    expect(revoke.status, await revoke.clone().text()).toBe(204);
    await outcome(await get(`/fhir/R4/Patient/${pseudonym[bob.id]}`, ritaToken), 404, "not_found");
    await outcome(await get(`/fhir/R4/Patient/${bob.id}`, ritaToken), 404, "not_found");
    await outcome(await get(`/fhir/R4/Observation?patient=${pseudonym[bob.id]}`, ritaToken), 403, "forbidden");
    const ids = (await patients("", ritaToken)).entry.map((e) => e.resource.id);
    expect(ids.sort()).toEqual([rita.id, pseudonym[alice.id]].sort());
  });
});
