/**
 * GET /v1/admin/unmapped-codes: the tenant's local codes whose values are held as pending, with counts,
 * examples and units, keyset-paged; adding a mapping queues their re-map. Administrators of the tenant
 * only: no token, a person's token, another tenant's administrator and a third-party app are refused
 * or see nothing of this tenant.
 */
import { localCodeSystem, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken as adminTokenFor,
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  userToken,
} from "../../test/identity";
import type { UnmappedCodeResponse } from "./v1_admin_unmappedCodes";

let handle: DbHandle;
let tenant: TestTenant;
let adminToken: string;
let ownerToken: string;
let appToken: string;
let foreignAdminToken: string;
let people: string[];
let sourceId: string;
const LAB = localCodeSystem("hl7v2", "ACME-LAB^HOSP");
const OID = "urn:oid:2.16.840.1.113883.19.5.99999.2";

type Page = { data: UnmappedCodeResponse[]; next_cursor: string | null };
const list = async (query = "", bearer = adminToken) =>
  api(`/v1/admin/unmapped-codes${query}`, { headers: { Authorization: `Bearer ${bearer}` } });

/** Holds a value as the mapper does for a settled file job (no job here: settled by definition). */
async function hold(userId: string, system: string, code: string, value: unknown, unit: string | null, at: string) {
  const observation: Record<string, unknown> = { value, start_at: at, metadata: { location: "MSH[1]/OBX[1]" } };
  if (unit !== null) observation.unit = unit;
  await handle.client.query(
    `insert into pending_observations (id, tenant_id, user_id, system, code, display, observation, source_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [uuidv7(), tenant.id, userId, system, code, `${code} test`, JSON.stringify(observation), sourceId],
  );
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  sourceId = await clientSource(handle.db, tenant.id, "lab-import", "Lab import");
  const client = await makeClient(tenant, { type: "public", scopes: ["openid", "tenant:manage", "files:read"] });
  adminToken = await adminTokenFor(client, await makeUser(tenant, ["admin", "data_owner"]), "tenant:manage");
  const owner = await makeUser(tenant);
  ownerToken = await userToken(client, owner, "files:read");
  const app = await makeClient(tenant, { scopes: ["tenant:manage"], grantTypes: ["client_credentials"] });
  appToken = await clientToken(app, "tenant:manage");
  const foreign = await makeTenant();
  const foreignClient = await makeClient(foreign, { type: "public", scopes: ["openid", "tenant:manage"] });
  foreignAdminToken = await adminTokenFor(foreignClient, await makeUser(foreign, ["admin"]), "tenant:manage");
  people = [owner.id, (await makeUser(tenant)).id];
  await hold(people[0] ?? "", LAB, "ABC", 5.4, "mmol/L", "2026-01-01T08:00:00Z");
  await hold(people[0] ?? "", LAB, "ABC", 5.9, "mmol/L", "2026-01-02T08:00:00Z");
  await hold(people[1] ?? "", LAB, "ABC", 98, "mg/dL", "2026-01-03T08:00:00Z");
  await hold(people[1] ?? "", LAB, "XYZ", "positive", null, "2026-01-03T08:00:00Z");
  await hold(people[0] ?? "", OID, "20005", 1.1, "mg/dL", "2026-01-04T08:00:00Z");
});
afterAll(async () => handle.close());

describe("GET /v1/admin/unmapped-codes", () => {
  it("lists each local code once, with counts, people, latest examples, units and when it was seen", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const page = await json<Page>(res);
    expect(page.next_cursor).toBeNull();
    expect(page.data.map((d) => [d.system, d.code, d.count, d.people])).toEqual([
      [LAB, "ABC", 3, 2],
      [LAB, "XYZ", 1, 1],
      [OID, "20005", 1, 1],
    ]);
    const abc = page.data[0];
    expect(abc?.display).toBe("ABC test");
    expect(abc?.examples).toEqual([
      { value: 98, unit: "mg/dL" },
      { value: 5.9, unit: "mmol/L" },
      { value: 5.4, unit: "mmol/L" },
    ]);
    expect(abc?.units.sort()).toEqual(["mg/dL", "mmol/L"]);
    expect(Date.parse(abc?.first_seen ?? "")).toBeLessThanOrEqual(Date.parse(abc?.last_seen ?? ""));
    expect(page.data[1]?.examples).toEqual([{ value: "positive", unit: null }]);
    expect(page.data[1]?.units).toEqual([]);
  });

  it("pages with limit and cursor, every code exactly once; a foreign cursor is a 400", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await json<Page>(await list(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`));
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data.map((d) => `${d.system}|${d.code}`));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual([`${LAB}|ABC`, `${LAB}|XYZ`, `${OID}|20005`]);
    await expectProblem(await list("?cursor=bm90LWEtY3Vyc29y"), 400, "invalid_cursor");
    await expectProblem(await list("?limit=0"), 400, "validation_failed");
    await expectProblem(await list("?limit=201"), 400, "validation_failed");
  });

  it("a new mapping queues one remap job per person for the code's values", async () => {
    const { rows } = await handle.client.query<{ id: string }>(
      "select id from variables where tenant_id = $1 and slug = 'blood-glucose' and valid_to is null",
      [SYSTEM_TENANT_ID],
    );
    const res = await api("/v1/admin/code-mappings", {
      method: "PUT",
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ system: LAB, code: "ABC", variable_id: rows[0]?.id }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<{ remap_jobs: string[] }>(res);
    expect(body.remap_jobs).toHaveLength(2);
    const jobs = await handle.client.query<{ user_id: string; kind: string; status: string; received: number }>(
      "select user_id, kind, status, received from ingest_jobs where id = any($1) order by received",
      [body.remap_jobs],
    );
    expect(jobs.rows.map((j) => [j.kind, j.status, j.received])).toEqual([
      ["remap", "queued", 1],
      ["remap", "queued", 2],
    ]);
    expect(new Set(jobs.rows.map((j) => j.user_id))).toEqual(new Set(people));
  });

  it("is for the tenant's administrators only", async () => {
    await expectProblem(await api("/v1/admin/unmapped-codes"), 401, "unauthorized");
    await expectProblem(await list("", ownerToken), 403, "forbidden");
    // An app acting for itself holds no administrator role, whatever scope it was given.
    await expectProblem(await list("", appToken), 403, "forbidden");
    // Another tenant's administrator sees only their own tenant's codes: none.
    const foreign = await json<Page>(await list("", foreignAdminToken));
    expect(foreign.data).toEqual([]);
  });
});
