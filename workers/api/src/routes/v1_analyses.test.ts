/**
 * Plugins that turn data into findings, end to end in the Workers runtime against the real database
 * (issue 14): a person grants a plugin (POST /v1/consents, grantee type `plugin`), asks for an analysis
 * (POST /v1/analyses), the analysis Worker's run (workers/analysis, called here as its queue consumer
 * would) calls the real template plugin over its service binding with a table built from the grant alone,
 * and the result comes back (GET /v1/analyses/{id}); data the grant does not cover fails the run
 * `consent_required`, and so does every run after the grant is revoked. Charts of the same data come from
 * the real charts plugin (GET /v1/visualizations/{kind}), read with the caller's own rights.
 */
import { env } from "cloudflare:workers";
import { type AnalysisMessage, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { refreshRollups } from "@dfda/db/repositories/rollups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAnalysis } from "../../../analysis/src/run";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken,
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { AnalysisResponse } from "../lib/analyses";

let handle: DbHandle;
let tenant: TestTenant;
let foreignTenant: TestTenant;
let alice: TestUser;
let bob: TestUser;
let aliceToken: string;
let aliceNoScope: string;
let bobToken: string;
let foreignToken: string;
let appToken: string;

const SCOPES = "openid observations:read consents:read consents:manage";

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

function post(path: string, token: string, body: unknown): Promise<Response> {
  return api(path, {
    method: "POST",
    headers: auth(token, { "Content-Type": "application/json" }),
    body: JSON.stringify(body),
  });
}

async function accepted(res: Response): Promise<AnalysisResponse> {
  expect(res.status, await res.clone().text()).toBe(202);
  return json<AnalysisResponse>(res);
}

async function analysis(id: string, token = aliceToken): Promise<AnalysisResponse> {
  const res = await api(`/v1/analyses/${id}`, { headers: auth(token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<AnalysisResponse>(res);
}

/** Runs run `run` of the analysis as the `dfda-analyses` consumer would. */
async function run(a: AnalysisResponse, owner: TestUser = alice, runNumber = 1) {
  const message: AnalysisMessage = {
    v: 1,
    type: "analysis",
    analysis_id: a.id,
    tenant_id: tenant.id,
    user_id: owner.id,
    run: runNumber,
  };
  return runAnalysis(env, handle.db, message);
}

async function observe(user: TestUser, slug: string, at: string, value: number, unit: string, source: string) {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = $2 and valid_to is null",
    [SYSTEM_TENANT_ID, slug],
  );
  const v = rows[0];
  if (!v) throw new Error(`no variable ${slug}`);
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9)`,
    [uuidv7(), tenant.id, user.id, v.id, v.version, at, value, unit, source],
  );
}

let grantId: string;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  foreignTenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "consents:read", "consents:manage", "tenant:manage"],
  });
  const backend = await makeClient(tenant, { type: "confidential", grantTypes: ["client_credentials"] });
  const foreignClient = await makeClient(foreignTenant, { type: "public", scopes: ["openid", "observations:read"] });
  const admin = await makeUser(tenant, ["admin", "data_owner"]);
  const foreigner = await makeUser(foreignTenant);
  [alice, bob] = await Promise.all([makeUser(tenant), makeUser(tenant)]);
  [aliceToken, aliceNoScope, bobToken, foreignToken] = await Promise.all([
    userToken(client, alice, SCOPES),
    userToken(client, alice, "openid consents:manage"),
    userToken(client, bob, SCOPES),
    userToken(foreignClient, foreigner, "openid observations:read"),
  ]);
  appToken = await clientToken(backend, "observations:read");
  const adminBearer = await adminToken(client, admin, "tenant:manage");

  // The plugins, registered through the registry as an administrator does (describe() over the binding).
  for (const binding of ["PLUGIN_TEMPLATE", "PLUGIN_CHARTS"]) {
    const res = await post("/v1/admin/plugins", adminBearer, { service_binding: binding });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }

  // Alice: heart rate 60 + d on ten March mornings (mean 64.5), steps on the same days.
  const source = await clientSource(handle.db, tenant.id, "analyses-test", "Analyses test");
  for (let d = 0; d < 10; d++) {
    const day = String(d + 1).padStart(2, "0");
    await observe(alice, "heart-rate", `2026-03-${day}T08:00:00Z`, 60 + d, "/min", source);
    await observe(alice, "steps", `2026-03-${day}T09:00:00Z`, 1000 * (d + 1), "{steps}", source);
  }
  await observe(bob, "heart-rate", "2026-03-05T08:00:00Z", 190, "/min", source);
  await refreshRollups(handle.db, tenant.id, alice.id);
  await refreshRollups(handle.db, tenant.id, bob.id);
}, 240_000);

afterAll(async () => handle?.close());

describe("grants to plugins (POST /v1/consents)", () => {
  it("accepts a plugin enabled in the organisation, by its id", async () => {
    const res = await post("/v1/consents", aliceToken, {
      grantee: { type: "plugin", id: "template" },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await json<{ id: string; grantee: { type: string; id: string }; status: string }>(res);
    expect(body.grantee).toEqual({ type: "plugin", id: "template" });
    expect(body.status).toBe("active");
    grantId = body.id;
  });

  it("refuses an unknown plugin, a write grant and an id that is no plugin id", async () => {
    const unknown = await post("/v1/consents", aliceToken, {
      grantee: { type: "plugin", id: "no-such-plugin" },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
    });
    const problem = await expectProblem(unknown, 400, "validation_failed");
    expect(problem.errors?.[0]?.path).toBe("grantee.id");
    const write = await post("/v1/consents", aliceToken, {
      grantee: { type: "plugin", id: "template" },
      actions: ["read", "write"],
      scope: { categories: ["vital_signs"] },
    });
    expect((await expectProblem(write, 400, "validation_failed")).errors?.[0]?.path).toBe("actions");
    const badId = await post("/v1/consents", aliceToken, {
      grantee: { type: "plugin", id: "Not A Slug" },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
    });
    await expectProblem(badId, 400, "validation_failed");
  });
});

describe("POST /v1/analyses", () => {
  it("checks the input against the plugin's input schema: 422 with each bad field", async () => {
    const res = await post("/v1/analyses", aliceToken, { plugin: "template", input: { variables: [] } });
    const problem = await expectProblem(res, 422, "plugin_invalid_input");
    expect(problem.errors?.[0]).toMatchObject({ location: "body", pointer: "/input/variables" });
  });

  it("refuses a plugin that is not an enabled analysis plugin", async () => {
    for (const plugin of ["charts", "no-such-plugin"]) {
      const res = await post("/v1/analyses", aliceToken, { plugin, input: {} });
      const problem = await expectProblem(res, 400, "validation_failed");
      expect(problem.errors?.[0]?.path).toBe("plugin");
    }
  });

  it("needs a person's token with observations:read", async () => {
    const body = { plugin: "template", input: { variables: ["heart-rate"] } };
    await expectProblem(await api("/v1/analyses", { method: "POST", body: JSON.stringify(body) }), 401, "unauthorized");
    await expectProblem(await post("/v1/analyses", aliceNoScope, body), 403, "forbidden");
    await expectProblem(await post("/v1/analyses", appToken, body), 403, "forbidden");
  });
});

describe("running an analysis on granted data", () => {
  let first: AnalysisResponse;

  it("queues, runs the real plugin on the granted table, and stores the result with version and window", async () => {
    const res = await post("/v1/analyses", aliceToken, {
      plugin: "template",
      input: { variables: ["heart-rate"], days: 30 },
      recompute: true,
    });
    first = await accepted(res.clone());
    expect(res.headers.get("location")).toBe(`http://127.0.0.1:8787/v1/analyses/${first.id}`);
    expect(first).toMatchObject({ status: "queued", plugin: "template", recompute: true, runs: 0 });

    expect(await run(first)).toMatchObject({ outcome: "succeeded", columns: 1, buckets: 30 });
    const done = await analysis(first.id);
    expect(done).toMatchObject({ status: "succeeded", progress: 1, plugin_version: "1.0.0", runs: 1, problem: null });
    expect(done.data_window).toEqual({
      from: "2026-02-09T00:00:00.000Z",
      to: "2026-03-11T00:00:00.000Z",
      through: "2026-03-10T08:00:00.000Z",
    });
    const result = done.result as { variables: Array<{ slug: string; n: number; mean: number }>; missing: string[] };
    expect(result.variables).toHaveLength(1);
    expect(result.variables[0]).toMatchObject({ slug: "heart-rate", n: 10, mean: 64.5 });
    expect(result.missing).toEqual([]);
    // The person's access log says what the plugin was handed: the grant and the variables, never values.
    const { rows } = await handle.client.query<{ outcome: string; details: Record<string, unknown> }>(
      "select outcome, details from audit_log where tenant_id = $1 and subject_user_id = $2 and action = 'analysis.run'",
      [tenant.id, alice.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: "success",
      details: { plugin: "template", grant_ids: [grantId], variables: ["heart-rate"], plugin_version: "1.0.0" },
    });
  });

  it("does nothing when the same run is delivered again", async () => {
    expect(await run(first)).toEqual({ outcome: "skipped" });
    expect((await analysis(first.id)).runs).toBe(1);
  });

  it("fails the run consent_required, naming the variable, when the plan asks for ungranted data", async () => {
    const a = await accepted(
      await post("/v1/analyses", aliceToken, { plugin: "template", input: { variables: ["heart-rate", "steps"] } }),
    );
    expect(await run(a)).toEqual({ outcome: "failed", code: "consent_required" });
    const failed = await analysis(a.id);
    expect(failed.status).toBe("failed");
    expect(failed.result).toBeNull();
    expect(failed.problem).toMatchObject({
      code: "consent_required",
      status: 403,
      type: "/problems/consent_required",
      variables: ["steps"],
    });
  });

  it("stops at the next run once the grant is revoked", async () => {
    const revoked = await api(`/v1/consents/${grantId}`, { method: "DELETE", headers: auth(aliceToken) });
    expect(revoked.status).toBe(204);
    const a = await accepted(
      await post("/v1/analyses", aliceToken, { plugin: "template", input: { variables: ["heart-rate"] } }),
    );
    expect(await run(a)).toEqual({ outcome: "failed", code: "consent_required" });
    expect((await analysis(a.id)).problem).toMatchObject({ code: "consent_required", reason: "revoked" });
  });

  it("never shows an analysis to anyone but its person", async () => {
    for (const token of [bobToken, foreignToken]) {
      const res = await api(`/v1/analyses/${first.id}`, { headers: auth(token) });
      await expectProblem(res, 404, "not_found");
    }
    await expectProblem(await api(`/v1/analyses/${first.id}`, { headers: auth(appToken) }), 403, "forbidden");
    const bobs = await json<{ data: AnalysisResponse[] }>(await api("/v1/analyses", { headers: auth(bobToken) }));
    expect(bobs.data).toEqual([]);
  });

  it("lists the person's analyses newest first, cursor-paged", async () => {
    const page1 = await json<{ data: AnalysisResponse[]; next_cursor: string | null }>(
      await api("/v1/analyses?limit=2", { headers: auth(aliceToken) }),
    );
    expect(page1.data).toHaveLength(2);
    expect(page1.next_cursor).not.toBeNull();
    const page2 = await json<{ data: AnalysisResponse[]; next_cursor: string | null }>(
      await api(`/v1/analyses?limit=2&cursor=${encodeURIComponent(page1.next_cursor ?? "")}`, {
        headers: auth(aliceToken),
      }),
    );
    expect(page2.data.map((a) => a.id)).toEqual([first.id]);
    expect(page2.next_cursor).toBeNull();
    await expectProblem(await api("/v1/analyses?cursor=bogus", { headers: auth(aliceToken) }), 400, "invalid_cursor");
  });
});

describe("GET /v1/visualizations/{kind}", () => {
  const window = "from=2026-03-01T00:00:00Z&to=2026-03-11T00:00:00Z";

  it("draws a timeline of the person's own data as SVG from the charts plugin", async () => {
    const res = await api(`/v1/visualizations/timeline?variables=heart-rate,steps&${window}`, {
      headers: auth(aliceToken),
    });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(text).toMatch(/^<svg[\s>]/);
    expect(text).toContain("<title");
  });

  it("rasterizes the same chart as PNG without a browser", async () => {
    const res = await api(
      `/v1/visualizations/timeline?variables=heart-rate&${window}&format=png&width=640&height=320`,
      {
        headers: auth(aliceToken),
      },
    );
    expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = new Uint8Array(await res.arrayBuffer());
    // The PNG signature, then IHDR with the chart's size (ISO/IEC 15948 §5.2, §11.2.2).
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([640, 320]);
  });

  it("draws a heatmap of one variable by hour and weekday", async () => {
    const res = await api(`/v1/visualizations/heatmap?variables=heart-rate&${window}`, { headers: auth(aliceToken) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.text()).toContain("<svg");
  });

  it("reads another person's data with the caller's own grant only", async () => {
    const url = `/v1/visualizations/timeline?variables=heart-rate&${window}&user_id=${alice.id}`;
    // No grant yet: refused.
    await expectProblem(await api(url, { headers: auth(bobToken) }), 403, "forbidden");
    const granted = await post("/v1/consents", aliceToken, {
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
    });
    expect(granted.status).toBe(201);
    expect((await api(url, { headers: auth(bobToken) })).status).toBe(200);
    // Steps are physical activity: not granted, refused rather than left out.
    const steps = await api(`/v1/visualizations/timeline?variables=steps&${window}&user_id=${alice.id}`, {
      headers: auth(bobToken),
    });
    await expectProblem(steps, 403, "forbidden");
    // Another tenant's person never reaches her.
    await expectProblem(await api(url, { headers: auth(foreignToken) }), 403, "forbidden");
  });

  it("draws a stored analysis, and refuses one that has not succeeded", async () => {
    const list = await json<{ data: AnalysisResponse[] }>(await api("/v1/analyses", { headers: auth(aliceToken) }));
    const succeeded = list.data.find((a) => a.status === "succeeded");
    const failed = list.data.find((a) => a.status === "failed");
    if (succeeded === undefined || failed === undefined) throw new Error("the analyses above are missing");
    // A template result is not an N-of-1 result: the chart says there is nothing to draw, as an SVG.
    const res = await api(`/v1/visualizations/delay-curve?analysis=${succeeded.id}`, { headers: auth(aliceToken) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.text()).toContain("<svg");
    await expectProblem(
      await api(`/v1/visualizations/scatter?analysis=${failed.id}`, { headers: auth(aliceToken) }),
      409,
      "conflict",
    );
    await expectProblem(
      await api(`/v1/visualizations/scatter?analysis=${succeeded.id}`, { headers: auth(bobToken) }),
      404,
      "not_found",
    );
    await expectProblem(
      await api("/v1/visualizations/scatter", { headers: auth(aliceToken) }),
      400,
      "validation_failed",
    );
  });

  it("answers problems for what it cannot draw", async () => {
    // A PNG past the rasterizer's largest edge (2000 px at 3 pixels per unit).
    await expectProblem(
      await api(`/v1/visualizations/timeline?variables=heart-rate&format=png&width=2000&scale=3`, {
        headers: auth(aliceToken),
      }),
      406,
      "format_unsupported",
    );
    await expectProblem(
      await api(`/v1/visualizations/timeline?variables=no-such-variable`, { headers: auth(aliceToken) }),
      400,
      "validation_failed",
    );
    await expectProblem(
      await api(`/v1/visualizations/bar-chart?variables=heart-rate`, { headers: auth(aliceToken) }),
      400,
      "validation_failed",
    );
    await expectProblem(await api("/v1/visualizations/timeline"), 401, "unauthorized");
  });
});
