/**
 * FHIR Bulk Data `$export` through the real API Worker, the real exporter (its queue handler called
 * directly, as the `dfda-exports` consumer would), the real database, local R2 and the owners' real
 * Durable Objects: a SMART Backend Services client (private_key_jwt) exports the people whose grants
 * name it, a researcher exports a study's Group under pseudonyms, and the kick-off, status, manifest,
 * files and cancellation are each refused to anyone but the client that started the export.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type BulkExportMessage, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { addStudyMember, createStudy } from "@dfda/db/repositories/studies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import exporter, { type ExporterEnv } from "../../../exporter/src/index";
import { type BackendClient, backendToken, makeBackendClient } from "../../test/backend-client";
import { api, BASE, json, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestTenant, type TestUser, userToken } from "../../test/identity";

const DOC_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const ASYNC = { Prefer: "respond-async" };

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: Array<{ type: string; url: string; count: number }>;
  error: unknown[];
}
type Resource = { resourceType: string; id: string; [key: string]: unknown };

let handle: DbHandle;
let tenant: TestTenant;
let alice: TestUser;
let bob: TestUser;
let rita: TestUser;
let aliceToken: string;
let bobToken: string;
let ritaToken: string;
let backend: BackendClient;
let otherBackend: BackendClient;
let systemToken: string;
let otherSystemToken: string;
let studyId: string;
let aliceClientGrant: string;

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

async function insert(user: TestUser, slug: string, start: string, created: string, value: number, unit: string) {
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
       original_value, original_unit, source_id, created_at, note)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, $10, 'private note')`,
    [id, tenant.id, user.id, v.id, v.version, start, value, unit, source, created],
  );
  return id;
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

/** Kicks an export off and answers its status URL (202 + Content-Location). */
async function kickOff(path: string, token: string, init: RequestInit = {}): Promise<string> {
  const res = await api(path, { ...init, headers: { ...auth(token, ASYNC), ...(init.headers ?? {}) } });
  expect(res.status, await res.clone().text()).toBe(202);
  const location = res.headers.get("content-location");
  expect(location).toMatch(new RegExp(`^${BASE}/fhir/R4/\\$export-status/[0-9a-f-]{36}$`));
  return location ?? "";
}

/** Runs the exporter's queue handler for the export behind a status URL. */
async function build(statusUrl: string): Promise<void> {
  const message: BulkExportMessage = {
    v: 1,
    type: "bulk-export",
    export_id: statusUrl.split("/").pop() ?? "",
    tenant_id: tenant.id,
    base_url: BASE,
  };
  const batch = createMessageBatch("dfda-exports", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: message },
  ]);
  await exporter.queue(batch, env as unknown as ExporterEnv);
}

async function manifest(statusUrl: string, token: string): Promise<Manifest> {
  const res = await api(statusUrl, { headers: auth(token) });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/fhir+json");
  return json<Manifest>(res);
}

async function file(m: Manifest, type: string, token: string): Promise<Resource[]> {
  const entry = m.output.find((o) => o.type === type);
  if (entry === undefined) return [];
  const res = await api(entry.url, { headers: auth(token) });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/fhir+ndjson");
  const lines = (await res.text()).split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(entry.count);
  return lines.map((l) => JSON.parse(l) as Resource);
}

async function outcome(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/fhir+json");
  const body = await json<{ resourceType: string; issue: Array<{ details: { coding: Array<{ code: string }> } }> }>(
    res,
  );
  expect(body.resourceType).toBe("OperationOutcome");
  expect(body.issue[0]?.details.coding[0]?.code).toBe(code);
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "consents:manage", "consents:read"],
  });
  [alice, bob, rita] = await Promise.all([
    makeUser(tenant),
    makeUser(tenant),
    makeUser(tenant, ["data_owner", "researcher"]),
  ]);
  const scope = "openid observations:read consents:manage";
  [aliceToken, bobToken, ritaToken] = await Promise.all([
    userToken(client, alice, scope),
    userToken(client, bob, scope),
    userToken(client, rita, "openid observations:read"),
  ]);
  [backend, otherBackend] = await Promise.all([makeBackendClient(tenant), makeBackendClient(tenant)]);
  [systemToken, otherSystemToken] = await Promise.all([backendToken(backend), backendToken(otherBackend)]);
  await insert(alice, "heart-rate", "2026-03-01T08:00:00Z", "2026-03-05T00:00:00Z", 70, "/min");
  await insert(alice, "heart-rate", "2026-03-10T08:00:00Z", "2026-03-15T00:00:00Z", 72, "/min");
  await insert(alice, "blood-glucose", "2026-03-10T09:00:00Z", "2026-03-15T01:00:00Z", 5.5, "mmol/L");
  await insert(bob, "heart-rate", "2026-03-02T08:00:00Z", "2026-03-06T00:00:00Z", 64, "/min");
  const study = await createStudy(handle.db, { tenantId: tenant.id, slug: "bulk-study", name: "Bulk study" });
  if (study === null) throw new Error("no study");
  studyId = study.id;
  expect(await addStudyMember(handle.db, { tenantId: tenant.id, studyId, userId: rita.id })).toBe("added");
  aliceClientGrant = await grant(aliceToken, {
    grantee: { type: "client", id: backend.clientId },
    scope: { categories: ["vital_signs"] },
  });
  for (const token of [aliceToken, bobToken]) {
    await grant(token, {
      grantee: { type: "study", id: studyId },
      scope: { categories: ["vital_signs"] },
      document_hash: DOC_HASH,
    });
  }
}, 120_000);

afterAll(async () => {
  await handle.close();
});

describe("kick-off", () => {
  it("refuses a request without Prefer: respond-async, bad parameters and no token", async () => {
    await outcome(await api("/fhir/R4/Patient/$export", { headers: auth(systemToken) }), 400, "validation_failed");
    for (const query of ["_type=Condition", "_outputFormat=application/json", "_since=yesterday", "patient=x"]) {
      await outcome(
        await api(`/fhir/R4/Patient/$export?${query}`, { headers: auth(systemToken, ASYNC) }),
        400,
        "validation_failed",
      );
    }
    await outcome(await api("/fhir/R4/Patient/$export", { headers: ASYNC }), 401, "unauthorized");
  });

  it("refuses every Bulk Data route without a token or with a bad one (401)", async () => {
    const id = uuidv7();
    const routes: [string, string][] = [
      ["GET", "/fhir/R4/Patient/$export"],
      ["POST", "/fhir/R4/Patient/$export"],
      ["GET", `/fhir/R4/Group/${studyId}/$export`],
      ["POST", `/fhir/R4/Group/${studyId}/$export`],
      ["GET", `/fhir/R4/$export-status/${id}`],
      ["DELETE", `/fhir/R4/$export-status/${id}`],
      ["GET", `/fhir/R4/$export-file/${id}/Observation`],
    ];
    for (const [method, path] of routes) {
      await outcome(await api(path, { method, headers: ASYNC }), 401, "unauthorized");
      await outcome(await api(path, { method, headers: auth("not.a.token", ASYNC) }), 401, "unauthorized");
    }
  });

  it("only the study's researchers export its Group", async () => {
    await outcome(
      await api(`/fhir/R4/Group/${studyId}/$export`, { headers: auth(aliceToken, ASYNC) }),
      403,
      "forbidden",
    );
    await outcome(
      await api(`/fhir/R4/Group/${studyId}/$export`, { headers: auth(systemToken, ASYNC) }),
      403,
      "forbidden",
    );
    await outcome(
      await api(`/fhir/R4/Group/${uuidv7()}/$export`, { headers: auth(ritaToken, ASYNC) }),
      404,
      "not_found",
    );
  });
});

describe("a backend service's Patient export", () => {
  it("holds the people whose grants name the client, narrowed to the grants, for that client only", async () => {
    const status = await kickOff("/fhir/R4/Patient/$export", systemToken);
    const running = await api(status, { headers: auth(systemToken) });
    expect(running.status).toBe(202);
    expect(running.headers.get("x-progress")).toBeTruthy();
    expect(running.headers.get("retry-after")).toBe("5");
    // Another client (and no token) never sees it.
    await outcome(await api(status, { headers: auth(otherSystemToken) }), 404, "not_found");
    await outcome(await api(status), 401, "unauthorized");

    await build(status);
    const m = await manifest(status, systemToken);
    expect(m).toMatchObject({ requiresAccessToken: true, error: [], request: `${BASE}/fhir/R4/Patient/$export` });
    const patients = await file(m, "Patient", systemToken);
    expect(patients).toEqual([{ resourceType: "Patient", id: alice.id, active: true }]);
    const observations = await file(m, "Observation", systemToken);
    // The client grant opens vital signs: the two heart rates, not the glucose; nothing of Bob's.
    expect(observations.map((o) => (o.valueQuantity as { value: number }).value).sort()).toEqual([70, 72]);
    expect(observations.every((o) => (o.subject as { reference: string }).reference === `Patient/${alice.id}`)).toBe(
      true,
    );
    const url = m.output[0]?.url ?? "";
    await outcome(await api(url, { headers: auth(otherSystemToken) }), 404, "not_found");
    await outcome(await api(url), 401, "unauthorized");
  });

  it("narrows by _since and _type (POST with Parameters too)", async () => {
    const status = await kickOff("/fhir/R4/Patient/$export", systemToken, {
      method: "POST",
      headers: { "Content-Type": "application/fhir+json" },
      body: JSON.stringify({
        resourceType: "Parameters",
        parameter: [
          { name: "_type", valueString: "Observation" },
          { name: "_since", valueInstant: "2026-03-10T00:00:00Z" },
        ],
      }),
    });
    await build(status);
    const m = await manifest(status, systemToken);
    expect(m.output.map((o) => o.type)).toEqual(["Observation"]);
    const observations = await file(m, "Observation", systemToken);
    expect(observations.map((o) => (o.valueQuantity as { value: number }).value)).toEqual([72]);
  });

  it("leaves out a person whose grant was revoked between kick-off and run, and cancels on DELETE", async () => {
    const status = await kickOff("/fhir/R4/Patient/$export?_type=Patient", systemToken);
    const revoked = await api(`/v1/consents/${aliceClientGrant}`, { method: "DELETE", headers: auth(aliceToken) });
    expect(revoked.status).toBe(204);
    await build(status);
    const m = await manifest(status, systemToken);
    expect(m.output).toEqual([]);
    const cancel = await api(status, { method: "DELETE", headers: auth(systemToken) });
    expect(cancel.status).toBe(202);
    await outcome(await api(status, { headers: auth(systemToken) }), 404, "not_found");
  });
});

describe("a person's own Patient export", () => {
  it("holds only themselves, unnarrowed", async () => {
    const status = await kickOff("/fhir/R4/Patient/$export", bobToken);
    await build(status);
    const m = await manifest(status, bobToken);
    expect(await file(m, "Patient", bobToken)).toEqual([{ resourceType: "Patient", id: bob.id, active: true }]);
    expect((await file(m, "Observation", bobToken)).length).toBe(1);
    // Another person, even through the same app, does not see it.
    await outcome(await api(status, { headers: auth(aliceToken) }), 404, "not_found");
  });
});

describe("a study's Group export", () => {
  it("names every participant by the study's pseudonym and leaves out identifiers and free text", async () => {
    const status = await kickOff(`/fhir/R4/Group/${studyId}/$export`, ritaToken);
    await build(status);
    const m = await manifest(status, ritaToken);
    const { rows } = await handle.client.query<{ user_id: string; subject_id: string }>(
      "select user_id, subject_id from study_subjects where study_id = $1",
      [studyId],
    );
    const pseudonyms = new Map(rows.map((r) => [r.user_id, r.subject_id]));
    const patients = await file(m, "Patient", ritaToken);
    expect(patients.map((p) => p.id).sort()).toEqual([pseudonyms.get(alice.id), pseudonyms.get(bob.id)].sort());
    const observations = await file(m, "Observation", ritaToken);
    expect(observations).toHaveLength(3);
    const text = JSON.stringify(observations);
    for (const secret of [alice.id, bob.id, "private note", "test-watch"]) expect(text).not.toContain(secret);
    for (const o of observations) {
      expect([...pseudonyms.values()]).toContain((o.subject as { reference: string }).reference.slice(8));
      expect(o.note).toBeUndefined();
      expect(o.derivedFrom).toBeUndefined();
      expect((o.meta as { source?: string }).source).toBeUndefined();
    }
    // Only the researcher who started it reads it.
    await outcome(await api(status, { headers: auth(aliceToken) }), 404, "not_found");
  });
});
