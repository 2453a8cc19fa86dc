/**
 * Issue 14's "done when", through the API with the real plugins: a person with a year of generated data
 * (magnesium on about half the days; the next day's headache three points lower after it, with noise and
 * missing ratings) grants the N-of-1 plugin supplements and symptoms, runs the pair analysis and the
 * predictor search, and gets the planted finding back; the charts draw the result.
 */
import { env } from "cloudflare:workers";
import { type AnalysisMessage, SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { refreshRollups } from "@dfda/db/repositories/rollups";
import type { PairResult, PredictorSearchResult } from "@dfda/plugins";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAnalysis } from "../../../analysis/src/run";
import { api, json, testDb } from "../../test/helpers";
import {
  adminToken,
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
let carol: TestUser;
let token: string;

function post(path: string, bearer: string, body: unknown): Promise<Response> {
  return api(path, {
    method: "POST",
    headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Asks for an analysis, runs it as the queue consumer would, and returns it finished. */
async function analyse(input: unknown): Promise<AnalysisResponse> {
  const res = await post("/v1/analyses", token, { plugin: "n-of-1", input });
  expect(res.status, await res.clone().text()).toBe(202);
  const queued = await json<AnalysisResponse>(res);
  const message: AnalysisMessage = {
    v: 1,
    type: "analysis",
    analysis_id: queued.id,
    tenant_id: tenant.id,
    user_id: carol.id,
    run: 1,
  };
  await runAnalysis(env, handle.db, message);
  const done = await api(`/v1/analyses/${queued.id}`, { headers: { Authorization: `Bearer ${token}` } });
  return json<AnalysisResponse>(done);
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "consents:manage", "tenant:manage"],
  });
  const admin = await makeUser(tenant, ["admin", "data_owner"]);
  carol = await makeUser(tenant);
  token = await userToken(client, carol, "openid observations:read consents:manage");
  const adminBearer = await adminToken(client, admin, "tenant:manage");
  for (const binding of ["PLUGIN_N_OF_1", "PLUGIN_CHARTS"]) {
    const res = await post("/v1/admin/plugins", adminBearer, { service_binding: binding });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }

  // A year, generated deterministically in SQL (hashtext): magnesium 400 mg at 08:00 on about half the days;
  // the headache rating at 20:00 the next day is 6, three points lower after a magnesium day, ± 1 of noise,
  // missing on about one day in ten.
  const source = await clientSource(handle.db, tenant.id, "nof1-test", "N-of-1 test");
  const variable = async (slug: string) => {
    const { rows } = await handle.client.query<{ id: string; version: number; unit: string }>(
      "select id, version, canonical_unit as unit from variables where tenant_id = $1 and slug = $2 and valid_to is null",
      [SYSTEM_TENANT_ID, slug],
    );
    if (!rows[0]) throw new Error(slug);
    return rows[0];
  };
  const mg = await variable("magnesium");
  const headache = await variable("headache");
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     select gen_random_uuid(), $1, $2, $3, $4, timestamptz '2025-03-01T08:00:00Z' + make_interval(days => d),
            400, $5, 400, $5, $6
     from generate_series(0, 364) d where (hashtext('mg' || d) & 1) = 1`,
    [tenant.id, carol.id, mg.id, mg.version, mg.unit, source],
  );
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     select gen_random_uuid(), $1, $2, $3, $4, timestamptz '2025-03-01T20:00:00Z' + make_interval(days => d), v, $5, v, $5, $6
     from (select d, greatest(0, least(10,
             6 - 3 * (hashtext('mg' || (d - 1)) & 1) + ((abs(hashtext('n' || d)) % 200) - 100) / 100.0)) as v
           from generate_series(1, 364) d where abs(hashtext('miss' || d)) % 10 <> 0) s`,
    [tenant.id, carol.id, headache.id, headache.version, headache.unit, source],
  );
  await refreshRollups(handle.db, tenant.id, carol.id);
  const grant = await post("/v1/consents", token, {
    grantee: { type: "plugin", id: "n-of-1" },
    actions: ["read"],
    scope: { categories: ["supplements", "symptoms"] },
  });
  expect(grant.status, await grant.clone().text()).toBe(201);
}, 240_000);

afterAll(async () => handle?.close());

describe("the N-of-1 plugin through the API", () => {
  let pair: AnalysisResponse;

  it("finds the planted effect: magnesium lowers the next day's headache", async () => {
    pair = await analyse({ mode: "pair", predictor: "magnesium", outcome: "headache" });
    expect(pair.status, JSON.stringify(pair.problem)).toBe("succeeded");
    const r = (pair.result as PairResult).relationship;
    expect(r.pearson).toBeLessThan(-0.5);
    // The effect: about three points lower on a 0–10 scale from a baseline of about 6 (−50 %).
    expect(r.effect.percent_change).toBeLessThan(-30);
    expect(r.effect.percent_change).toBeGreaterThan(-70);
    expect(r.sufficiency.sufficient).toBe(true);
    expect(r.grade).not.toBe("insufficient");
    // The planted delay is one day: recovered within one day's step.
    expect(Math.abs(r.delay_hours - 24)).toBeLessThanOrEqual(24);
    // The window it saw ends with the newest granted value (the year's last days).
    expect(pair.data_window.through?.startsWith("2026-02-2")).toBe(true);
  });

  it("ranks magnesium first in a predictor search for headache", async () => {
    const search = await analyse({ mode: "predictor_search", outcome: "headache", categories: ["supplements"] });
    expect(search.status, JSON.stringify(search.problem)).toBe("succeeded");
    const predictors = (search.result as PredictorSearchResult).predictors;
    expect(predictors[0]?.predictor.slug).toBe("magnesium");
    const label = await api(`/v1/visualizations/outcome-label?analysis=${search.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(label.status).toBe(200);
    expect(await label.text()).toContain("Magnesium");
  });

  it("draws the pair as a scatter and a delay curve", async () => {
    for (const kind of ["scatter", "delay-curve"]) {
      const res = await api(`/v1/visualizations/${kind}?analysis=${pair.id}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const text = await res.text();
      expect(res.status, text.slice(0, 200)).toBe(200);
      expect(text).toContain("<svg");
      expect(text).not.toContain("No data to show");
    }
  });

  it("is refused data the grant does not cover", async () => {
    const other = await analyse({ mode: "pair", predictor: "magnesium", outcome: "heart-rate" });
    expect(other.status).toBe("failed");
    expect(other.problem).toMatchObject({ code: "consent_required", variables: ["heart-rate"] });
  });
});
