/**
 * GET and PUT /v1/admin/retention in the Workers runtime: a tenant keeps everything until an
 * administrator sets periods; a PUT replaces all four, is validated and audited with the periods
 * before and after; administrators of the tenant only (no token, a data owner, an app's token, an
 * administrator without `tenant:manage`, another tenant's administrator).
 */
import type { DbHandle } from "@dfda/db";
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
import type { RetentionResponse } from "../lib/retention";

let handle: DbHandle;
let tenant: TestTenant;
let adminToken: string;
let auditorToken: string;
let ownerToken: string;
let appToken: string;
let foreign: TestTenant;
let foreignAdminToken: string;
let thirdPartyAdminToken: string;

const SCOPES = ["openid", "tenant:manage", "audit:read"];
const POLICY = { raw_files_days: 365, vendor_responses_days: 90, job_issues_days: 30, access_log_days: 2555 };

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  // First-party: a PUT can shorten what the tenant keeps (a bulk delete), which needs the administrator in
  // person, in one of the platform's own apps, recently signed in with their second factor.
  const client = await makeClient(tenant, { type: "public", scopes: SCOPES, firstParty: true });
  adminToken = await adminTokenFor(client, await makeUser(tenant, ["admin"]), "tenant:manage");
  auditorToken = await adminTokenFor(client, await makeUser(tenant, ["admin"]), "audit:read");
  ownerToken = await userToken(client, await makeUser(tenant), "tenant:manage");
  appToken = await clientToken(await makeClient(tenant, { type: "confidential", scopes: ["tenant:manage"] }));
  foreign = await makeTenant();
  const foreignClient = await makeClient(foreign, { type: "public", scopes: SCOPES, firstParty: true });
  thirdPartyAdminToken = await adminTokenFor(
    await makeClient(tenant, { type: "public", scopes: SCOPES }),
    await makeUser(tenant, ["admin"]),
    "tenant:manage",
  );
  foreignAdminToken = await adminTokenFor(foreignClient, await makeUser(foreign, ["admin"]), "tenant:manage");
});
afterAll(async () => handle.close());

const get = (bearer = adminToken) => api("/v1/admin/retention", { headers: { Authorization: `Bearer ${bearer}` } });
const put = (body: unknown, bearer = adminToken) =>
  api("/v1/admin/retention", {
    method: "PUT",
    headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("/v1/admin/retention", () => {
  it("keeps everything until an administrator sets periods, then shows and audits them", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(await json<RetentionResponse>(res)).toEqual({
      tenant_id: tenant.id,
      raw_files_days: null,
      vendor_responses_days: null,
      job_issues_days: null,
      access_log_days: null,
      updated_at: null,
      updated_by: null,
    });

    const saved = await put(POLICY);
    expect(saved.status, await saved.clone().text()).toBe(200);
    const body = await json<RetentionResponse>(saved);
    expect(body).toMatchObject({ tenant_id: tenant.id, ...POLICY });
    expect(body.updated_by).not.toBeNull();
    expect(await json<RetentionResponse>(await get())).toEqual(body);

    // Back to keeping raw files for ever: a PUT replaces all four.
    const back = await json<RetentionResponse>(await put({ ...POLICY, raw_files_days: null }));
    expect(back).toMatchObject({ raw_files_days: null, access_log_days: 2555 });

    const { rows } = await handle.client.query<{ actor_user_id: string; details: { before: unknown; after: unknown } }>(
      "select actor_user_id, details from audit_log where tenant_id = $1 and action = 'admin.retention.put' order by seq",
      [tenant.id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]?.actor_user_id).toBe(body.updated_by);
    expect(rows[0]?.details.before).toMatchObject({ raw_files_days: null });
    expect(rows[1]?.details).toEqual({ before: POLICY, after: { ...POLICY, raw_files_days: null } });
  });

  it("refuses periods that are not whole days from 1 to 100 years, or a missing or unknown field", async () => {
    for (const bad of [
      { ...POLICY, job_issues_days: 0 },
      { ...POLICY, job_issues_days: 1.5 },
      { ...POLICY, access_log_days: 36_526 },
      { ...POLICY, raw_files_days: "365" },
      { raw_files_days: 1, vendor_responses_days: 1, job_issues_days: 1 },
      { ...POLICY, observations_days: 1 },
    ]) {
      await expectProblem(await put(bad), 400, "validation_failed");
    }
  });

  it("is for the tenant's administrators with tenant:manage only", async () => {
    await expectProblem(await api("/v1/admin/retention"), 401, "unauthorized");
    await expectProblem(
      await api("/v1/admin/retention", { method: "PUT", body: JSON.stringify(POLICY) }),
      401,
      "unauthorized",
    );
    for (const bearer of [ownerToken, appToken]) {
      await expectProblem(await get(bearer), 403, "forbidden");
    }
    await expectProblem(await put(POLICY, ownerToken), 403, "forbidden");
    // No person behind a client-credentials token, and an administrator's approval of a third-party app
    // for tenant:manage does not let that app shorten what the tenant keeps (issue 12).
    await expectProblem(await put(POLICY, appToken), 403, "first_party_only");
    await expectProblem(await put(POLICY, thirdPartyAdminToken), 403, "first_party_only");
    expect((await get(thirdPartyAdminToken)).status).toBe(200);
    expect((await get(auditorToken)).status).toBe(403);
    expect((await put(POLICY, auditorToken)).status).toBe(403);

    // Another tenant's administrator reads and sets only their own tenant's periods.
    await put(POLICY);
    const theirs = await json<RetentionResponse>(await get(foreignAdminToken));
    expect(theirs).toMatchObject({ tenant_id: foreign.id, raw_files_days: null, access_log_days: null });
    await put({ ...POLICY, raw_files_days: 1 }, foreignAdminToken);
    expect(await json<RetentionResponse>(await get())).toMatchObject({ tenant_id: tenant.id, raw_files_days: 365 });
  });
});
