/**
 * Local code mappings: an administrator maps the tenant's own codes to variables; the mapping resolves
 * for that tenant only, platform codes cannot be remapped, and only administrators may change them. A
 * re-map whose message cannot be queued does not stay queued for ever: its job fails at once and the
 * same PUT queues the still pending values again.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { ReferenceRepository } from "@dfda/db/repositories/reference";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken as adminTokenFor,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  userToken,
} from "../../test/identity";
import { newApp } from "../app";

let handle: DbHandle;
let tenant: TestTenant;
let adminToken: string;
let ownerToken: string;
let foreignAdminToken: string;
let ownerId: string;
let creatinine: string;
const LAB = "urn:oid:2.16.840.1.113883.19.5.99999.1";

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, { type: "public", scopes: ["openid", "tenant:manage", "files:read"] });
  adminToken = await adminTokenFor(client, await makeUser(tenant, ["admin", "data_owner"]), "tenant:manage");
  const owner = await makeUser(tenant);
  ownerId = owner.id;
  ownerToken = await userToken(client, owner, "files:read");
  const foreign = await makeTenant();
  const foreignClient = await makeClient(foreign, { type: "public", scopes: ["openid", "tenant:manage"] });
  foreignAdminToken = await adminTokenFor(foreignClient, await makeUser(foreign, ["admin"]), "tenant:manage");
  const { rows } = await handle.client.query<{ id: string }>(
    "select id from variables where tenant_id = $1 and slug = 'creatinine' and valid_to is null",
    [SYSTEM_TENANT_ID],
  );
  creatinine = rows[0]?.id ?? "";
});
afterAll(async () => handle.close());

const put = (body: unknown, bearer = adminToken) =>
  api("/v1/admin/code-mappings", {
    method: "PUT",
    headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("/v1/admin/code-mappings", () => {
  it("maps a local lab code for the tenant only, lists it, and removes it", async () => {
    expect(creatinine).not.toBe("");
    const res = await put({ system: LAB, code: "20005", variable_id: creatinine, display: "Creatinine (local)" });
    expect(res.status, await res.clone().text()).toBe(200);
    const list = await json<{ data: unknown[] }>(
      await api("/v1/admin/code-mappings", { headers: { Authorization: `Bearer ${adminToken}` } }),
    );
    expect(list.data).toEqual([{ system: LAB, code: "20005", variable_id: creatinine, display: "Creatinine (local)" }]);
    const mine = await new ReferenceRepository(handle.db, { tenantId: tenant.id }).resolveVariables(
      [],
      [{ system: LAB, code: "20005" }],
    );
    expect(mine.byCoding.get(`${LAB}|20005`)?.id).toBe(creatinine);
    const other = await new ReferenceRepository(handle.db, { tenantId: (await makeTenant()).id }).resolveVariables(
      [],
      [{ system: LAB, code: "20005" }],
    );
    expect(other.byCoding.size).toBe(0);
    const audit = await handle.client.query<{ action: string }>(
      "select action from audit_log where tenant_id = $1 and action like 'admin.code_mapping.%'",
      [tenant.id],
    );
    expect(audit.rows.map((r) => r.action)).toContain("admin.code_mapping.put");
    const del = await api(`/v1/admin/code-mappings?system=${encodeURIComponent(LAB)}&code=20005`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(del.status).toBe(204);
    await expectProblem(
      await api(`/v1/admin/code-mappings?system=${encodeURIComponent(LAB)}&code=20005`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${adminToken}` },
      }),
      404,
      "not_found",
    );
  });

  it("refuses to remap a platform code, and an unknown variable", async () => {
    await expectProblem(
      await put({ system: "http://loinc.org", code: "8867-4", variable_id: creatinine }),
      409,
      "conflict",
    );
    await expectProblem(
      await put({ system: LAB, code: "1", variable_id: crypto.randomUUID() }),
      400,
      "validation_failed",
    );
  });

  it("is for the tenant's administrators only", async () => {
    await expectProblem(await put({ system: LAB, code: "2", variable_id: creatinine }, ownerToken), 403, "forbidden");
    await expectProblem(await api("/v1/admin/code-mappings"), 401, "unauthorized");
    // Another tenant's administrator sees and changes only their own tenant's mappings.
    await put({ system: LAB, code: "3", variable_id: creatinine });
    const foreign = await json<{ data: unknown[] }>(
      await api("/v1/admin/code-mappings", { headers: { Authorization: `Bearer ${foreignAdminToken}` } }),
    );
    expect(foreign.data).toEqual([]);
    await expectProblem(
      await api(`/v1/admin/code-mappings?system=${encodeURIComponent(LAB)}&code=3`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${foreignAdminToken}` },
      }),
      404,
      "not_found",
    );
  });
});

describe("a re-map whose message cannot be queued", () => {
  const QUEUED_LAB = "urn:dfda:local:hl7v2:QUEUE-LAB^HOSP";

  /** A PUT through the real app with the ingest queue refusing every send. */
  async function putWithQueueDown(body: unknown): Promise<Response> {
    const down = {
      send: async () => Promise.reject(new Error("queue unavailable")),
      sendBatch: async () => Promise.reject(new Error("queue unavailable")),
    };
    // Defined, not assigned: an assignment would reach the shared `env` through its prototype chain.
    const bindings = Object.create(env, { INGEST_QUEUE: { value: down, enumerable: true } }) as Env;
    const ctx = createExecutionContext();
    const response = await newApp().fetch(
      new Request(new URL("/v1/admin/code-mappings", BASE), {
        method: "PUT",
        headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
      bindings,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  }

  async function jobs(ids: string[]) {
    const { rows } = await handle.client.query<{ id: string; status: string; error: string | null }>(
      "select id, status, error from ingest_jobs where id = any($1::uuid[]) order by id",
      [ids],
    );
    return rows;
  }

  it("fails its job at once (never left queued), keeps the values pending, and the same PUT queues them again", async () => {
    const source = await clientSource(handle.db, tenant.id, "queue-lab", "Lab");
    await handle.client.query(
      `insert into pending_observations (id, tenant_id, user_id, system, code, observation, source_id)
       values (gen_random_uuid(), $1, $2, $3, '20005', '{"value": 80, "unit": "umol/L", "start_at": "2026-03-01T08:00:00Z"}', $4)`,
      [tenant.id, ownerId, QUEUED_LAB, source],
    );
    const body = { system: QUEUED_LAB, code: "20005", variable_id: creatinine };
    const refused = await putWithQueueDown(body);
    expect(refused.headers.get("retry-after")).toBe("5");
    const problem = await expectProblem(refused, 503, "service_unavailable");
    expect(problem.detail).toContain("1 of 1 re-map job(s) could not be queued");
    const { rows: planned } = await handle.client.query<{ id: string }>(
      "select id from ingest_jobs where tenant_id = $1 and user_id = $2 and kind = 'remap'",
      [tenant.id, ownerId],
    );
    expect(await jobs(planned.map((j) => j.id))).toEqual([
      { id: planned[0]?.id, status: "failed", error: "enqueue_failed" },
    ]);
    const pending = await handle.client.query(
      "select 1 from pending_observations where tenant_id = $1 and system = $2",
      [tenant.id, QUEUED_LAB],
    );
    expect(pending.rowCount).toBe(1);

    // The mapping was saved; putting it again with the queue up plans and queues the value anew.
    const again = await put(body);
    expect(again.status).toBe(200);
    const { remap_jobs } = await json<{ remap_jobs: string[] }>(again);
    expect(remap_jobs).toHaveLength(1);
    expect(remap_jobs[0]).not.toBe(planned[0]?.id);
    expect((await jobs(remap_jobs))[0]?.status).not.toBe("failed");
  });
});
