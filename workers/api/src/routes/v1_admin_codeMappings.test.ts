/**
 * Local code mappings: an administrator maps the tenant's own codes to variables; the mapping resolves
 * for that tenant only, platform codes cannot be remapped, and only administrators may change them.
 */
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { ReferenceRepository } from "@dfda/db/repositories/reference";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken as adminTokenFor,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  userToken,
} from "../../test/identity";

let handle: DbHandle;
let tenant: TestTenant;
let adminToken: string;
let ownerToken: string;
let foreignAdminToken: string;
let creatinine: string;
const LAB = "urn:oid:2.16.840.1.113883.19.5.99999.1";

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, { type: "public", scopes: ["openid", "tenant:manage", "files:read"] });
  adminToken = await adminTokenFor(client, await makeUser(tenant, ["admin", "data_owner"]), "tenant:manage");
  ownerToken = await userToken(client, await makeUser(tenant), "files:read");
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
