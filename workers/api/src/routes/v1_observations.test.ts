/**
 * Reading observations back (GET /v1/observations and /v1/observations/summary) against the real
 * database: rows are inserted directly with SQL for a user of a fresh tenant (3 days of minute-level
 * heart rate, a few step counts, body weights, a lab value), beside a second user's data that must
 * never show, and read through the real Worker with tokens from the real authorization flow. The
 * hourly rollups that summaries read are derived data: rows inserted here directly get theirs from
 * `refreshRollups`, as a delete or a replacement does.
 */
import { encodeCursor, SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource, sourcesBySlug } from "@dfda/db/repositories/ingest";
import { refreshRollups } from "@dfda/db/repositories/rollups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestUser, userToken } from "../../test/identity";
import type { ListObservationsResponse, ObservationResponse } from "./v1_observations_list";
import type { SummaryResponse } from "./v1_observations_summary";

const LOINC = "http://loinc.org";
const HEART_RATE = `${LOINC}|8867-4`;
const BODY_WEIGHT = `${LOINC}|29463-7`;
const STEPS = `${LOINC}|55423-8`;
const GLUCOSE = `${LOINC}|2339-0`;

let handle: DbHandle;
let owner: TestUser;
let other: TestUser;
/** Tokens: the owner's (observations:read), the other user's, a vital-signs-only one, another tenant's, write-only. */
let ownerToken: string;
let otherToken: string;
let vitalToken: string;
let foreignToken: string;
let writeToken: string;
const variableIds = new Map<string, { id: string; version: number }>();

async function variable(slug: string): Promise<{ id: string; version: number }> {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = $2 and valid_to is null",
    [SYSTEM_TENANT_ID, slug],
  );
  const row = rows[0];
  if (!row) throw new Error(`no variable ${slug}`);
  return row;
}

interface Seed {
  tenantId: string;
  userId: string;
  slug: string;
  at: string;
  value: number;
  unit: string;
  sourceId: string;
  original?: [number, string];
  valid?: boolean;
  outlier?: boolean;
}

async function insert(rows: Seed[]): Promise<void> {
  for (const r of rows) {
    const v = variableIds.get(r.slug) ?? (await variable(r.slug));
    variableIds.set(r.slug, v);
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
         original_value, original_unit, source_id, is_valid, is_outlier)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        r.tenantId,
        r.userId,
        v.id,
        v.version,
        r.at,
        r.value,
        r.unit,
        r.original?.[0] ?? r.value,
        r.original?.[1] ?? r.unit,
        r.sourceId,
        r.valid ?? true,
        r.outlier ?? false,
      ],
    );
  }
}

beforeAll(async () => {
  handle = await testDb();
  const tenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "observations:write", "observations.vital_signs:read"],
  });
  owner = await makeUser(tenant);
  other = await makeUser(tenant);
  const watch = await clientSource(handle.db, tenant.id, "test-watch", "Watch");
  const scale = (await sourcesBySlug(handle.db, tenant.id, ["scale"], null)).get("scale") ?? "";

  // Heart rate, every minute of 2026-03-01..03 (UTC): 60–69 on day 0, 70–79 on day 1, 80–89 on day 2
  // (60 + 10·day + minute mod 10), so each hour's mean is 64.5 (+10 per day) and its sum 3,870 (+600).
  const hr = await variable("heart-rate");
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     select gen_random_uuid(), $1, $2, $3, $4, timestamptz '2026-03-01T00:00:00Z' + i * interval '1 minute',
            60 + (i / 1440) * 10 + i % 10, '/min', 60 + (i / 1440) * 10 + i % 10, '/min', $5
     from generate_series(0, 4319) as i`,
    [tenant.id, owner.id, hr.id, hr.version, watch],
  );
  const mine = { tenantId: tenant.id, userId: owner.id, sourceId: watch };
  await insert([
    // Out of the valid range (stored flagged), and an outlier (a real measurement: it counts).
    { ...mine, slug: "heart-rate", at: "2026-03-01T10:00:30Z", value: 400, unit: "/min", valid: false },
    { ...mine, slug: "heart-rate", at: "2026-03-02T12:00:30Z", value: 250, unit: "/min", outlier: true },
    { ...mine, slug: "steps", at: "2026-03-01T08:00:00Z", value: 1000, unit: "{steps}" },
    { ...mine, slug: "steps", at: "2026-03-01T12:00:00Z", value: 2000, unit: "{steps}" },
    { ...mine, slug: "steps", at: "2026-03-01T23:30:00Z", value: 600, unit: "{steps}" },
    // 22:00 on 1 March in New York.
    { ...mine, slug: "steps", at: "2026-03-02T03:00:00Z", value: 700, unit: "{steps}" },
    { ...mine, slug: "steps", at: "2026-03-02T09:00:00Z", value: 3000, unit: "{steps}" },
    { ...mine, slug: "body-weight", at: "2026-03-01T07:00:00Z", value: 80.5, unit: "kg", original: [80500, "g"] },
    { ...mine, slug: "body-weight", at: "2026-03-01T20:00:00Z", value: 80.1, unit: "kg" },
    {
      ...mine,
      slug: "body-weight",
      at: "2026-03-02T07:00:00Z",
      value: 79.9,
      unit: "kg",
      original: [176.15, "[lb_av]"],
      sourceId: scale,
    },
    {
      ...mine,
      slug: "blood-glucose",
      at: "2026-03-01T09:00:00Z",
      value: 5.5,
      unit: "mmol/L",
      original: [99.09, "mg/dL"],
    },
  ]);
  // The other user of the same tenant, at the same instants.
  const theirs = { tenantId: tenant.id, userId: other.id, sourceId: watch };
  await insert([
    { ...theirs, slug: "heart-rate", at: "2026-03-01T10:00:00Z", value: 99, unit: "/min" },
    { ...theirs, slug: "heart-rate", at: "2026-03-01T10:01:00Z", value: 98, unit: "/min" },
    { ...theirs, slug: "steps", at: "2026-03-01T08:00:00Z", value: 5555, unit: "{steps}" },
  ]);
  await refreshRollups(handle.db, tenant.id, owner.id);
  await refreshRollups(handle.db, tenant.id, other.id);

  ownerToken = await userToken(client, owner, "observations:read");
  otherToken = await userToken(client, other, "observations:read");
  vitalToken = await userToken(client, owner, "observations.vital_signs:read");
  writeToken = await userToken(client, owner, "observations:write");
  const foreignTenant = await makeTenant();
  const foreignClient = await makeClient(foreignTenant, { type: "public" });
  foreignToken = await userToken(foreignClient, await makeUser(foreignTenant), "observations:read");
});
afterAll(async () => handle.close());

function get(path: string, params: Record<string, string>, bearer: string | null = ownerToken): Promise<Response> {
  const query = new URLSearchParams(params).toString();
  return api(
    `${path}${query ? `?${query}` : ""}`,
    bearer === null ? {} : { headers: { Authorization: `Bearer ${bearer}` } },
  );
}

async function list(params: Record<string, string>, bearer?: string): Promise<ListObservationsResponse> {
  const res = await get("/v1/observations", params, bearer);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return json<ListObservationsResponse>(res);
}

async function summary(params: Record<string, string>, bearer?: string): Promise<SummaryResponse> {
  const res = await get("/v1/observations/summary", params, bearer);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<SummaryResponse>(res);
}

/** Every page of a list, following next_cursor. */
async function allPages(params: Record<string, string>, bearer?: string): Promise<ObservationResponse[]> {
  const rows: ObservationResponse[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: ListObservationsResponse = await list(cursor === null ? params : { ...params, cursor }, bearer);
    rows.push(...page.data);
    cursor = page.next_cursor;
    if (cursor === null) return rows;
  }
  throw new Error("too many pages");
}

const at = (o: ObservationResponse) => o.start_at;

describe("GET /v1/observations", () => {
  it("lists a variable's observations newest first, with units, original values, source and flags", async () => {
    const hr = await variable("heart-rate");
    const page = await list({ variable: hr.id, from: "2026-03-01T10:00:00Z", to: "2026-03-01T10:05:00Z" });
    expect(page.next_cursor).toBeNull();
    expect(page.data.map(at)).toEqual([
      "2026-03-01T10:04:00.000Z",
      "2026-03-01T10:03:00.000Z",
      "2026-03-01T10:02:00.000Z",
      "2026-03-01T10:01:00.000Z",
      "2026-03-01T10:00:30.000Z",
      "2026-03-01T10:00:00.000Z",
    ]);
    expect(page.data.map((o) => o.value)).toEqual([64, 63, 62, 61, 400, 60]);
    expect(page.data.map((o) => o.flags)).toEqual([
      { valid: true, outlier: false },
      { valid: true, outlier: false },
      { valid: true, outlier: false },
      { valid: true, outlier: false },
      { valid: false, outlier: false },
      { valid: true, outlier: false },
    ]);
    expect(page.data[0]).toMatchObject({
      variable: { id: hr.id, version: hr.version, slug: "heart-rate", name: "Heart rate", category: "vital_signs" },
      end_at: null,
      value: 64,
      value_code: null,
      value_text: null,
      value_boolean: null,
      unit: "/min",
      original: { value: 64, unit: "/min" },
      source: "client-test-watch",
      note: null,
      job_id: null,
      file_id: null,
    });
    expect(Date.parse(page.data[0]?.created_at ?? "")).not.toBeNaN();
  });

  it("marks outliers and keeps them", async () => {
    const page = await list({ variable: HEART_RATE, from: "2026-03-02T12:00:00Z", to: "2026-03-02T12:01:00Z" });
    expect(page.data.map((o) => [o.value, o.flags])).toEqual([
      [250, { valid: true, outlier: true }],
      [70, { valid: true, outlier: false }],
    ]);
  });

  it("pages without gaps or repeats, also across rows with the same start_at", async () => {
    const window = { variable: HEART_RATE, from: "2026-03-01T10:00:00Z", to: "2026-03-01T10:05:00Z" };
    const whole = await list(window);
    const first = await list({ ...window, limit: "2" });
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const paged = await allPages({ ...window, limit: "2" });
    expect(paged.map((o) => o.id)).toEqual(whole.data.map((o) => o.id));

    // 12:00 holds a heart rate and a step count: the id breaks the tie.
    const ties = { from: "2026-03-01T11:58:00Z", to: "2026-03-01T12:02:00Z" };
    const all = await list(ties);
    expect(all.data.map((o) => `${o.start_at} ${o.variable.slug}`).sort()).toEqual([
      "2026-03-01T11:58:00.000Z heart-rate",
      "2026-03-01T11:59:00.000Z heart-rate",
      "2026-03-01T12:00:00.000Z heart-rate",
      "2026-03-01T12:00:00.000Z steps",
      "2026-03-01T12:01:00.000Z heart-rate",
    ]);
    const oneByOne = await allPages({ ...ties, limit: "1" });
    expect(oneByOne.map((o) => o.id)).toEqual(all.data.map((o) => o.id));
    expect(new Set(oneByOne.map((o) => o.id)).size).toBe(5);
  });

  it("pages through a whole day of minute-level data", async () => {
    const day = await allPages({
      variable: HEART_RATE,
      from: "2026-03-03T00:00:00Z",
      to: "2026-03-04T00:00:00Z",
      limit: "200",
    });
    expect(day).toHaveLength(1440);
    expect(new Set(day.map((o) => o.id)).size).toBe(1440);
    expect(day[0]?.start_at).toBe("2026-03-03T23:59:00.000Z");
    expect(day[1439]?.start_at).toBe("2026-03-03T00:00:00.000Z");
    const times = day.map((o) => Date.parse(o.start_at));
    expect(times.every((t, i) => i === 0 || (times[i - 1] ?? 0) - t === 60_000)).toBe(true);
  });

  it("finds a variable by system|code, and filters by from and by source", async () => {
    const weights = await list({ variable: BODY_WEIGHT });
    expect(weights.data.map((o) => [o.start_at, o.value, o.unit, o.original, o.source])).toEqual([
      ["2026-03-02T07:00:00.000Z", 79.9, "kg", { value: 176.15, unit: "[lb_av]" }, "scale"],
      ["2026-03-01T20:00:00.000Z", 80.1, "kg", { value: 80.1, unit: "kg" }, "client-test-watch"],
      ["2026-03-01T07:00:00.000Z", 80.5, "kg", { value: 80500, unit: "g" }, "client-test-watch"],
    ]);
    const since = await list({ variable: BODY_WEIGHT, from: "2026-03-01T12:00:00+00:00" });
    expect(since.data.map((o) => o.value)).toEqual([79.9, 80.1]);
    const before = await list({ variable: BODY_WEIGHT, to: "2026-03-01T20:00:00Z" });
    expect(before.data.map((o) => o.value)).toEqual([80.5]);
    const fromScale = await list({ source: "scale" });
    expect(fromScale.data.map((o) => [o.variable.slug, o.value])).toEqual([["body-weight", 79.9]]);
    expect(await list({ source: "no-such-source" })).toEqual({ data: [], next_cursor: null });
    const lab = await list({ variable: GLUCOSE });
    expect(lab.data.map((o) => [o.value, o.unit, o.original, o.variable.category])).toEqual([
      [5.5, "mmol/L", { value: 99.09, unit: "mg/dL" }, "laboratory"],
    ]);
  });

  it("rejects an unknown variable, a window that ends before it starts, and a bad cursor", async () => {
    for (const variable of [`${LOINC}|0000-0`, crypto.randomUUID(), "heart rate", "|8867-4"]) {
      const problem = await expectProblem(await get("/v1/observations", { variable }), 400, "validation_failed");
      expect(problem.errors?.map((e) => e.path)).toEqual(["variable"]);
    }
    for (const to of ["2026-03-01T10:00:00Z", "2026-03-01T09:00:00Z"]) {
      const res = await get("/v1/observations", { from: "2026-03-01T10:00:00Z", to });
      const problem = await expectProblem(res, 400, "validation_failed");
      expect(problem.errors?.map((e) => e.path)).toEqual(["to"]);
    }
    const local = await expectProblem(
      await get("/v1/observations", { from: "2026-03-01T10:00:00" }),
      400,
      "validation_failed",
    );
    expect(local.errors?.map((e) => e.path)).toEqual(["from"]);
    for (const cursor of [
      "garbage",
      encodeCursor("variables", ["Heart rate", crypto.randomUUID()]),
      encodeCursor("observations", ["yesterday", crypto.randomUUID()]),
      encodeCursor("observations", ["2026-03-01T10:00:00.000000Z", "1; drop table observations"]),
    ]) {
      await expectProblem(await get("/v1/observations", { cursor }), 400, "invalid_cursor");
    }
  });
});

describe("GET /v1/observations/summary", () => {
  it("summarizes per hour, leaving invalid values out unless asked", async () => {
    const window = { variable: HEART_RATE, from: "2026-03-01T10:00:00Z", to: "2026-03-01T12:00:00Z", bucket: "hour" };
    const hr = await variable("heart-rate");
    const body = await summary(window);
    expect(body).toEqual({
      variable: { id: hr.id, slug: "heart-rate", unit: "/min", combination_operation: "mean" },
      bucket: "hour",
      tz: "UTC",
      data: [
        { start: "2026-03-01T10:00:00.000Z", count: 60, min: 60, max: 69, mean: 64.5, sum: 3870, value: 64.5 },
        { start: "2026-03-01T11:00:00.000Z", count: 60, min: 60, max: 69, mean: 64.5, sum: 3870, value: 64.5 },
      ],
    });
    const withInvalid = await summary({ ...window, include_invalid: "true" });
    expect(withInvalid.data[0]).toEqual({
      start: "2026-03-01T10:00:00.000Z",
      count: 61,
      min: 60,
      max: 400,
      mean: 70,
      sum: 4270,
      value: 70,
    });
  });

  it("reads the partial hours at either end of a window from the rows themselves", async () => {
    const body = await summary({
      variable: HEART_RATE,
      from: "2026-03-01T10:30:00Z",
      to: "2026-03-01T12:15:00Z",
      bucket: "hour",
    });
    // 10:30–10:59 (three cycles of 60–69; the invalid 400 at 10:00:30 is outside), 11:00–11:59, 12:00–12:14.
    expect(body.data).toEqual([
      { start: "2026-03-01T10:00:00.000Z", count: 30, min: 60, max: 69, mean: 64.5, sum: 1935, value: 64.5 },
      { start: "2026-03-01T11:00:00.000Z", count: 60, min: 60, max: 69, mean: 64.5, sum: 3870, value: 64.5 },
      { start: "2026-03-01T12:00:00.000Z", count: 15, min: 60, max: 69, mean: 955 / 15, sum: 955, value: 955 / 15 },
    ]);
    const inOneHour = await summary({
      variable: HEART_RATE,
      from: "2026-03-01T11:05:00Z",
      to: "2026-03-01T11:07:30Z",
      bucket: "hour",
    });
    expect(inOneHour.data).toEqual([
      { start: "2026-03-01T11:00:00.000Z", count: 3, min: 65, max: 67, mean: 66, sum: 198, value: 66 },
    ]);
  });

  it("buckets zones whose offsets are not whole hours from the rows (India, +05:30)", async () => {
    const body = await summary({
      variable: HEART_RATE,
      from: "2026-03-01T00:00:00+05:30",
      to: "2026-03-02T00:00:00+05:30",
      tz: "Asia/Kolkata",
    });
    // Local 1 March is 2026-02-28T18:30Z to 2026-03-01T18:30Z: the first 1,110 minutes of the data.
    expect(body.data.map(({ mean: _m, value: _v, ...rest }) => rest)).toEqual([
      { start: "2026-02-28T18:30:00.000Z", count: 1110, min: 60, max: 69, sum: 1110 * 64.5 },
    ]);
  });

  it("summarizes per day: heart rate averages, outliers count", async () => {
    const body = await summary({ variable: HEART_RATE, from: "2026-03-01T00:00:00Z", to: "2026-03-04T00:00:00Z" });
    expect(body.bucket).toBe("day");
    expect(body.data.map(({ mean: _m, value: _v, ...rest }) => rest)).toEqual([
      { start: "2026-03-01T00:00:00.000Z", count: 1440, min: 60, max: 69, sum: 92880 },
      // The outlier (250) is a real measurement and counts.
      { start: "2026-03-02T00:00:00.000Z", count: 1441, min: 70, max: 250, sum: 107530 },
      { start: "2026-03-03T00:00:00.000Z", count: 1440, min: 80, max: 89, sum: 121680 },
    ]);
    expect(body.data.map((b) => b.mean)).toEqual([64.5, expect.closeTo(107530 / 1441, 9), 84.5]);
    expect(body.data.map((b) => b.value)).toEqual(body.data.map((b) => b.mean));
  });

  it("aligns days to the time zone asked for", async () => {
    const body = await summary({
      variable: HEART_RATE,
      from: "2026-03-01T00:00:00-05:00",
      to: "2026-03-04T00:00:00-05:00",
      tz: "America/New_York",
    });
    expect(body.tz).toBe("America/New_York");
    expect(body.data.map(({ mean: _m, value: _v, ...rest }) => rest)).toEqual([
      { start: "2026-03-01T05:00:00.000Z", count: 1440, min: 60, max: 79, sum: 95880 },
      { start: "2026-03-02T05:00:00.000Z", count: 1441, min: 70, max: 250, sum: 110530 },
      { start: "2026-03-03T05:00:00.000Z", count: 1140, min: 80, max: 89, sum: 96330 },
    ]);
    expect(body.data[0]?.mean).toBeCloseTo(95880 / 1440, 9);
    expect(body.data[2]?.mean).toBe(84.5);
  });

  it("adds steps up, and moves a late step count to the local day", async () => {
    const utc = await summary({ variable: STEPS, from: "2026-03-01T00:00:00Z", to: "2026-03-03T00:00:00Z" });
    expect(utc.variable).toMatchObject({ slug: "steps", unit: "{steps}", combination_operation: "sum" });
    expect(utc.data).toEqual([
      { start: "2026-03-01T00:00:00.000Z", count: 3, min: 600, max: 2000, mean: 1200, sum: 3600, value: 3600 },
      { start: "2026-03-02T00:00:00.000Z", count: 2, min: 700, max: 3000, mean: 1850, sum: 3700, value: 3700 },
    ]);
    const newYork = await summary({
      variable: STEPS,
      from: "2026-03-01T00:00:00-05:00",
      to: "2026-03-03T00:00:00-05:00",
      tz: "America/New_York",
    });
    expect(newYork.data).toEqual([
      { start: "2026-03-01T05:00:00.000Z", count: 4, min: 600, max: 2000, mean: 1075, sum: 4300, value: 4300 },
      { start: "2026-03-02T05:00:00.000Z", count: 1, min: 3000, max: 3000, mean: 3000, sum: 3000, value: 3000 },
    ]);
  });

  it("takes the last body weight of each day", async () => {
    const body = await summary({ variable: BODY_WEIGHT, from: "2026-03-01T00:00:00Z", to: "2026-03-03T00:00:00Z" });
    expect(body.variable.combination_operation).toBe("last");
    expect(body.data).toEqual([
      {
        start: "2026-03-01T00:00:00.000Z",
        count: 2,
        min: 80.1,
        max: 80.5,
        mean: expect.closeTo(80.3, 9),
        sum: expect.closeTo(160.6, 9),
        value: 80.1,
      },
      { start: "2026-03-02T00:00:00.000Z", count: 1, min: 79.9, max: 79.9, mean: 79.9, sum: 79.9, value: 79.9 },
    ]);
  });

  it("buckets by ISO week (from Monday) and by month", async () => {
    // 1 March 2026 is a Sunday: it closes the week of Monday 23 February.
    const weeks = await summary({
      variable: HEART_RATE,
      from: "2026-02-23T00:00:00Z",
      to: "2026-03-09T00:00:00Z",
      bucket: "week",
    });
    expect(weeks.data.map((b) => [b.start, b.count, b.sum])).toEqual([
      ["2026-02-23T00:00:00.000Z", 1440, 92880],
      ["2026-03-02T00:00:00.000Z", 2881, 229210],
    ]);
    const months = await summary({
      variable: HEART_RATE,
      from: "2026-01-01T00:00:00Z",
      to: "2026-12-01T00:00:00Z",
      bucket: "month",
    });
    expect(months.data.map((b) => [b.start, b.count, b.sum])).toEqual([["2026-03-01T00:00:00.000Z", 4321, 322090]]);
  });

  it("answers an empty window with no buckets", async () => {
    const body = await summary({ variable: HEART_RATE, from: "2025-03-01T00:00:00Z", to: "2025-03-04T00:00:00Z" });
    expect(body.data).toEqual([]);
  });

  it("rejects a missing or unknown variable, a reversed window, an unknown time zone and too many buckets", async () => {
    const window = { from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" };
    const path = "/v1/observations/summary";
    const missing = await expectProblem(await get(path, window), 400, "validation_failed");
    expect(missing.errors?.map((e) => e.path)).toContain("variable");
    const unknown = await expectProblem(
      await get(path, { ...window, variable: `${LOINC}|0000-0` }),
      400,
      "validation_failed",
    );
    expect(unknown.errors?.map((e) => e.path)).toEqual(["variable"]);
    const reversed = await expectProblem(
      await get(path, { variable: HEART_RATE, from: window.to, to: window.from }),
      400,
      "validation_failed",
    );
    expect(reversed.errors?.map((e) => e.path)).toEqual(["to"]);
    for (const tz of ["Mars/Olympus", "+01:00", "America/New York", ""]) {
      const problem = await expectProblem(
        await get(path, { ...window, variable: HEART_RATE, tz }),
        400,
        "validation_failed",
      );
      expect(problem.errors?.map((e) => e.path)).toEqual(["tz"]);
    }
    const tooMany = await expectProblem(
      await get(path, {
        variable: HEART_RATE,
        from: "2024-01-01T00:00:00Z",
        to: "2026-01-01T00:00:00Z",
        bucket: "hour",
      }),
      400,
      "validation_failed",
    );
    expect(tooMany.errors?.map((e) => e.path)).toEqual(["bucket"]);
    // The same two years in days are 731 buckets.
    await summary({ variable: HEART_RATE, from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", bucket: "day" });
    const badBucket = await expectProblem(
      await get(path, { ...window, variable: HEART_RATE, bucket: "minute" }),
      400,
      "validation_failed",
    );
    expect(badBucket.errors?.map((e) => e.path)).toEqual(["bucket"]);
  });
});

describe("who may read what", () => {
  it("never shows another user's observations", async () => {
    const mine = await list({ from: "2026-03-01T08:00:00Z", to: "2026-03-01T08:00:30Z" });
    expect(mine.data.map((o) => [o.variable.slug, o.value])).toEqual(
      expect.arrayContaining([
        ["steps", 1000],
        ["heart-rate", 60],
      ]),
    );
    expect(mine.data).toHaveLength(2);
    const hour = await summary({
      variable: HEART_RATE,
      from: "2026-03-01T10:00:00Z",
      to: "2026-03-01T11:00:00Z",
      bucket: "hour",
    });
    expect(hour.data.map((b) => [b.count, b.max])).toEqual([[60, 69]]);

    const theirs = await allPages({}, otherToken);
    expect(theirs.map((o) => [o.start_at, o.variable.slug, o.value])).toEqual([
      ["2026-03-01T10:01:00.000Z", "heart-rate", 98],
      ["2026-03-01T10:00:00.000Z", "heart-rate", 99],
      ["2026-03-01T08:00:00.000Z", "steps", 5555],
    ]);
  });

  it("shows a token of another tenant nothing", async () => {
    expect(await list({}, foreignToken)).toEqual({ data: [], next_cursor: null });
    expect(await list({ variable: HEART_RATE }, foreignToken)).toEqual({ data: [], next_cursor: null });
    const body = await summary(
      { variable: HEART_RATE, from: "2026-03-01T00:00:00Z", to: "2026-03-04T00:00:00Z" },
      foreignToken,
    );
    expect(body.data).toEqual([]);
    await expectProblem(await get("/v1/observations", { user_id: owner.id }, foreignToken), 403, "forbidden");
  });

  it("limits a category-scoped token to its categories", async () => {
    const hr = await list(
      { variable: HEART_RATE, from: "2026-03-01T10:00:00Z", to: "2026-03-01T10:01:00Z" },
      vitalToken,
    );
    expect(hr.data.map((o) => o.value)).toEqual([400, 60]);
    await summary({ variable: BODY_WEIGHT, from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" }, vitalToken);

    for (const [variable, scope] of [
      [GLUCOSE, "observations.laboratory:read"],
      [STEPS, "observations.physical_activity:read"],
    ] as const) {
      const res = await get("/v1/observations", { variable }, vitalToken);
      await expectProblem(res, 403, "forbidden");
      expect(res.headers.get("www-authenticate")).toContain(`scope="${scope}"`);
      const window = { variable, from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" };
      await expectProblem(await get("/v1/observations/summary", window, vitalToken), 403, "forbidden");
    }

    // 07:00–09:00 holds a body weight, a step count (08:00), a glucose (09:00) and heart rates.
    const unfiltered = await allPages(
      { from: "2026-03-01T07:00:00Z", to: "2026-03-01T09:00:01Z", limit: "200" },
      vitalToken,
    );
    expect(unfiltered).toHaveLength(122);
    expect(new Set(unfiltered.map((o) => o.variable.slug))).toEqual(new Set(["heart-rate", "body-weight"]));
    expect(unfiltered.every((o) => o.variable.category === "vital_signs")).toBe(true);
    const broad = await list({ from: "2026-03-01T07:00:00Z", to: "2026-03-01T09:00:01Z", limit: "200" });
    expect(new Set(broad.data.map((o) => o.variable.slug))).toEqual(
      new Set(["heart-rate", "body-weight", "steps", "blood-glucose"]),
    );
    expect(broad.data).toHaveLength(124);
  });

  it("refuses someone else's record, a token without a read scope, and no token", async () => {
    const window = { variable: HEART_RATE, from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" };
    await expectProblem(await get("/v1/observations", { user_id: other.id }), 403, "forbidden");
    await expectProblem(await get("/v1/observations/summary", { ...window, user_id: other.id }), 403, "forbidden");
    const own = await list({ user_id: owner.id, variable: BODY_WEIGHT });
    expect(own.data).toHaveLength(3);

    const writeOnly = await get("/v1/observations", {}, writeToken);
    await expectProblem(writeOnly, 403, "forbidden");
    expect(writeOnly.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    await expectProblem(await get("/v1/observations/summary", window, writeToken), 403, "forbidden");

    for (const path of ["/v1/observations", "/v1/observations/summary"]) {
      const res = await get(path, window, null);
      await expectProblem(res, 401, "unauthorized");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="dfda"/);
    }
  });
});
