/**
 * What a person does with their own data through the real API Worker: the overview (stats), deleting by
 * filter (rollups follow), connected apps and revoking one (its tokens stop at once), the access log,
 * and closing the account: afterwards no table references the person (the audit log keeps entries
 * without health data and a tombstone) and R2 holds none of their objects.
 */
import { env } from "cloudflare:workers";
import f001 from "@corpus/01-fhir-r4/hl7-r4-examples/Observation-f001.json?raw";
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { refreshRollups } from "@dfda/db/repositories/rollups";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { AccessLogEntryResponse } from "./v1_me_accessLog";
import type { ConnectedAppResponse } from "./v1_me_apps";
import type { MyStatsResponse } from "./v1_me_stats";

// Each test signs people in through the real pages (scrypt password hashing): slow on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const SCOPES = [
  "openid",
  "offline_access",
  "observations:read",
  "observations:write",
  "files:read",
  "files:write",
  "consents:read",
  "consents:manage",
  "profile:write",
];
let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  // First-party: this file erases accounts and deletes observations, which only the platform's own apps
  // may do (personPresent.test.ts covers third-party refusal); every such call uses a fresh sign-in.
  client = await makeClient(tenant, { type: "public", scopes: SCOPES, firstParty: true });
});
afterAll(async () => handle.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function variableId(slug: string): Promise<{ id: string; version: number }> {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = $2 and valid_to is null",
    [SYSTEM_TENANT_ID, slug],
  );
  if (!rows[0]) throw new Error(`no ${slug}`);
  return rows[0];
}

/** Minute-level heart rate (60 + i % 10) for `minutes` minutes from `start`, and a few weights. */
async function seed(user: TestUser, start: string, minutes: number): Promise<void> {
  const watch = await clientSource(handle.db, tenant.id, "watch", "Watch");
  const scale = await clientSource(handle.db, tenant.id, "scale", "Scale");
  const hr = await variableId("heart-rate");
  const weight = await variableId("body-weight");
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit, original_value, original_unit, source_id)
     select gen_random_uuid(), $1, $2, $3, $4, $5::timestamptz + i * interval '1 minute', 60 + i % 10, '/min', 60 + i % 10, '/min', $6
     from generate_series(0, $7 - 1) as i`,
    [tenant.id, user.id, hr.id, hr.version, start, watch, minutes],
  );
  for (const [day, kg] of [
    [1, 80.5],
    [2, 80.1],
    [3, 79.9],
  ] as const) {
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit, original_value, original_unit, source_id)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'kg', $6, 'kg', $7)`,
      [tenant.id, user.id, weight.id, weight.version, `2026-04-0${day}T07:00:00Z`, kg, scale],
    );
  }
  await refreshRollups(handle.db, tenant.id, user.id);
}

describe("GET /v1/me/stats", () => {
  it("summarizes each variable and source of the caller's data, and nobody else's", async () => {
    const me = await makeUser(tenant);
    await seed(me, "2026-04-01T00:00:00Z", 120);
    const other = await makeUser(tenant);
    await seed(other, "2026-05-01T00:00:00Z", 30);
    const stats = await json<MyStatsResponse>(
      await api("/v1/me/stats", { headers: auth(await userToken(client, me, "observations:read")) }),
    );
    expect(stats.total).toBe(123);
    expect(stats.variables).toEqual([
      {
        variable: expect.objectContaining({ slug: "heart-rate", category: "vital_signs" }),
        unit: "/min",
        count: 120,
        first: "2026-04-01T00:00:00.000Z",
        last: "2026-04-01T01:59:00.000Z",
        min: 60,
        max: 69,
        mean: 64.5,
        sources: ["client-watch"],
      },
      {
        variable: expect.objectContaining({ slug: "body-weight" }),
        unit: "kg",
        count: 3,
        first: "2026-04-01T07:00:00.000Z",
        last: "2026-04-03T07:00:00.000Z",
        min: 79.9,
        max: 80.5,
        mean: expect.closeTo(80.1666667, 6),
        sources: ["client-scale"],
      },
    ]);
    expect(stats.sources.map((s) => [s.slug, s.count])).toEqual([
      ["client-watch", 120],
      ["client-scale", 3],
    ]);
    await expectProblem(
      await api("/v1/me/stats", { headers: auth(await userToken(client, me, "files:read")) }),
      403,
      "forbidden",
    );
    await expectProblem(await api("/v1/me/stats"), 401, "unauthorized");
  });
});

describe("DELETE /v1/me/observations", () => {
  it("deletes what matches every filter, and summaries follow at once", async () => {
    const me = await makeUser(tenant);
    await seed(me, "2026-04-01T00:00:00Z", 180);
    const token = await userToken(client, me, "observations:read observations:write");
    const res = await api(
      `/v1/me/observations?variable=${encodeURIComponent("http://loinc.org|8867-4")}&from=2026-04-01T01:00:00Z&to=2026-04-01T01:30:00Z`,
      { method: "DELETE", headers: auth(token) },
    );
    expect(res.status).toBe(200);
    expect(await json<{ deleted: number }>(res)).toEqual({ deleted: 30 });
    const summary = await json<{ data: Array<{ start: string; count: number }> }>(
      await api(
        `/v1/observations/summary?variable=${encodeURIComponent("http://loinc.org|8867-4")}&from=2026-04-01T00:00:00Z&to=2026-04-01T03:00:00Z&bucket=hour`,
        { headers: auth(token) },
      ),
    );
    expect(summary.data.map((b) => b.count)).toEqual([60, 30, 60]);
    const bySource = await json<{ deleted: number }>(
      await api("/v1/me/observations?source=client-scale", { method: "DELETE", headers: auth(token) }),
    );
    expect(bySource.deleted).toBe(3);
    const stats = await json<MyStatsResponse>(
      await api("/v1/me/stats", { headers: auth(await userToken(client, me, "observations:read")) }),
    );
    expect(stats.total).toBe(150);
  });

  it("wants a filter, the write scope and a person", async () => {
    const me = await makeUser(tenant);
    const token = await userToken(client, me, "observations:write");
    await expectProblem(
      await api("/v1/me/observations", { method: "DELETE", headers: auth(token) }),
      400,
      "validation_failed",
    );
    await expectProblem(
      await api("/v1/me/observations?source=x", {
        method: "DELETE",
        headers: auth(await userToken(client, me, "observations:read")),
      }),
      403,
      "forbidden",
    );
    await expectProblem(await api("/v1/me/observations?source=x", { method: "DELETE" }), 401, "unauthorized");
  });
});

describe("connected apps", () => {
  it("lists the apps holding a grant and revokes one together with its tokens", async () => {
    const me = await makeUser(tenant);
    const app = await makeClient(tenant, { type: "public", scopes: ["openid", "observations:read"] });
    const appToken = await userToken(app, me, "observations:read");
    expect((await api("/v1/observations", { headers: auth(appToken) })).status).toBe(200);
    const mine = await userToken(client, me, "consents:read consents:manage");
    const list = await json<{ data: ConnectedAppResponse[] }>(await api("/v1/me/apps", { headers: auth(mine) }));
    const entry = list.data.find((a) => a.client_id === app.clientId);
    expect(entry).toMatchObject({ name: "Test app", scopes: expect.arrayContaining(["observations:read"]) });
    expect(entry?.last_used_at).not.toBeNull();
    const revoke = await api(`/v1/me/apps/${app.clientId}`, { method: "DELETE", headers: auth(mine) });
    expect(revoke.status).toBe(204);
    // At once: the app's access token no longer works.
    await expectProblem(await api("/v1/observations", { headers: auth(appToken) }), 401, "unauthorized");
    const after = await json<{ data: ConnectedAppResponse[] }>(await api("/v1/me/apps", { headers: auth(mine) }));
    expect(after.data.map((a) => a.client_id)).not.toContain(app.clientId);
    await expectProblem(
      await api(`/v1/me/apps/${app.clientId}`, { method: "DELETE", headers: auth(mine) }),
      404,
      "not_found",
    );
    // Another person's grants are not mine to see or revoke.
    const other = await makeUser(tenant);
    await userToken(app, other, "observations:read");
    await expectProblem(
      await api(`/v1/me/apps/${app.clientId}`, { method: "DELETE", headers: auth(mine) }),
      404,
      "not_found",
    );
    await expectProblem(
      await api("/v1/me/apps", { headers: auth(await userToken(client, me, "observations:read")) }),
      403,
      "forbidden",
    );
  });
});

describe("GET /v1/me/access-log", () => {
  it("shows another person's attempt on the caller's data, and not the caller's own accesses", async () => {
    const me = await makeUser(tenant);
    const stranger = await makeUser(tenant);
    const strangerToken = await userToken(client, stranger, "observations:write");
    const attempt = await api(`/v1/ingest/observations?user_id=${me.id}`, {
      method: "POST",
      headers: { ...auth(strangerToken), "Content-Type": "application/json" },
      body: JSON.stringify({
        observations: [
          {
            variable: { system: "http://loinc.org", code: "8867-4" },
            value: 70,
            unit: "/min",
            start_at: "2026-04-01T00:00:00Z",
          },
        ],
      }),
    });
    expect(attempt.status).toBe(403);
    const mine = await userToken(client, me, "consents:read observations:read");
    await api("/v1/observations", { headers: auth(mine) });
    const log = await json<{ data: AccessLogEntryResponse[] }>(await api("/v1/me/access-log", { headers: auth(mine) }));
    expect(log.data.length).toBeGreaterThanOrEqual(1);
    expect(log.data[0]).toMatchObject({
      outcome: "denied",
      actor: { user_id: stranger.id, client_id: client.clientId },
    });
    expect(log.data.every((e) => e.actor.user_id !== me.id)).toBe(true);
    const theirs = await json<{ data: AccessLogEntryResponse[] }>(
      await api("/v1/me/access-log", { headers: auth(await userToken(client, stranger, "consents:read")) }),
    );
    expect(theirs.data.filter((e) => e.actor.user_id === stranger.id)).toEqual([]);
  });
});

describe("DELETE /v1/me", () => {
  it("erases the person completely: no table references them, R2 holds none of their objects", async () => {
    const me = await makeUser(tenant);
    await seed(me, "2026-04-01T00:00:00Z", 60);
    const token = await userToken(client, me, SCOPES.filter((s) => s !== "openid").join(" "));
    const form = new FormData();
    form.append("file", new Blob([f001], { type: "application/fhir+json" }), "f001.json");
    const upload = await api("/v1/ingest/files", { method: "POST", headers: auth(token), body: form });
    expect(upload.status).toBe(202);
    const fileKeys = (
      await handle.client.query<{ r2_key: string }>("select r2_key from files where user_id = $1", [me.id])
    ).rows;
    expect(fileKeys).toHaveLength(1);
    await handle.client.query(
      `insert into column_mappings (tenant_id, user_id, signature, headers, mapping) values ($1, $2, 'csv1:x', '[]', '{}')`,
      [tenant.id, me.id],
    );
    const friend = await makeUser(tenant);
    await handle.client.query(
      `insert into consents (id, tenant_id, user_id, grantee_type, grantee_id, actions) values
         (gen_random_uuid(), $1, $2::uuid, 'user', $3::text, '{read}'), (gen_random_uuid(), $1, $3::uuid, 'user', $2::text, '{read}')`,
      [tenant.id, me.id, friend.id],
    );

    await expectProblem(await api("/v1/me", { method: "DELETE", headers: auth(token) }), 400, "validation_failed");
    const res = await api("/v1/me?confirm=delete-everything", { method: "DELETE", headers: auth(token) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json<{ erased: boolean; counts: Record<string, number> }>(res)).toMatchObject({
      erased: true,
      counts: { observations: 63, files: 1, user_keys: 1 },
    });

    // Every uuid or text column of every table, except the append-only audit log.
    const columns = await handle.client.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
       where table_schema = 'public' and data_type in ('uuid', 'text') and table_name <> 'audit_log'
         and table_name <> '__drizzle_migrations'`,
    );
    const leftovers: string[] = [];
    for (const col of columns.rows) {
      const { rows } = await handle.client.query<{ n: number }>(
        `select count(*)::int as n from "${col.table_name}" where "${col.column_name}"::text = $1`,
        [me.id],
      );
      if ((rows[0]?.n ?? 0) > 0) leftovers.push(`${col.table_name}.${col.column_name}`);
    }
    expect(leftovers).toEqual([]);
    expect(await env.FILES.head(fileKeys[0]?.r2_key ?? "")).toBeNull();
    const listed = await env.FILES.list({ prefix: fileKeys[0]?.r2_key.split("/").slice(0, 2).join("/") ?? "" });
    expect(listed.objects).toEqual([]);
    // The audit log: a tombstone, and nothing in it carries values.
    const audit = await handle.client.query<{ action: string; details: Record<string, unknown> | null }>(
      "select action, details from audit_log where subject_user_id = $1 order by id",
      [me.id],
    );
    expect(audit.rows.at(-1)?.action).toBe("user.erased");
    expect(JSON.stringify(audit.rows)).not.toMatch(/6\\.3|mmol/);
    // The friend's own consent to a person who no longer exists is gone too; their account stays.
    expect((await handle.client.query("select 1 from users where id = $1", [friend.id])).rowCount).toBe(1);
    // The token of the erased account no longer works.
    await expectProblem(await api("/v1/me/stats", { headers: auth(token) }), 401, "unauthorized");
  });
});
