/**
 * Censored values read back (issue 15): GET /v1/observations returns each row's `comparator` (FHIR R4
 * `Quantity.comparator`; `value` is the bound), null for an exact value, only to the owner; and
 * GET /v1/observations/summary counts a censored value but leaves its bound out of min, max, mean, sum
 * and value, the same whether an hour is read from the hourly rollups or (a partial hour at either end
 * of the window, a token limited to a grant window, `include_invalid`) from the rows themselves.
 */
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { refreshRollups } from "@dfda/db/repositories/rollups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, json, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestUser, userToken } from "../../test/identity";
import type { ListObservationsResponse } from "./v1_observations_list";
import type { SummaryResponse } from "./v1_observations_summary";

let handle: DbHandle;
let owner: TestUser;
let ownerToken: string;
let otherToken: string;
/** A second person whose glucose values the summary tests read (the list tests read `owner`'s). */
let summarized: TestUser;
let summarizedToken: string;

beforeAll(async () => {
  handle = await testDb();
  const tenant = await makeTenant();
  const client = await makeClient(tenant, { type: "public" });
  owner = await makeUser(tenant);
  const other = await makeUser(tenant);
  const source = await clientSource(handle.db, tenant.id, "test-lab", "Lab");
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = 'blood-glucose' and valid_to is null",
    [SYSTEM_TENANT_ID],
  );
  const glucose = rows[0];
  if (!glucose) throw new Error("no blood-glucose variable");
  const values: Array<[string, number, string | null]> = [
    ["2026-03-01T08:00:00Z", 1.1, "<"],
    ["2026-03-01T09:00:00Z", 1.1, "<="],
    ["2026-03-01T10:00:00Z", 33.3, ">="],
    ["2026-03-01T11:00:00Z", 33.3, ">"],
    ["2026-03-01T12:00:00Z", 5.5, null],
  ];
  for (const [at, value, comparator] of values) {
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
         original_value, original_unit, comparator, source_id)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'mmol/L', $6, 'mmol/L', $7, $8)`,
      [tenant.id, owner.id, glucose.id, glucose.version, at, value, comparator, source],
    );
  }
  // Two values per hour, one censored: 08:xx and 10:xx lie in the partial hours of the window
  // 08:05–10:50, 09:xx in its one whole hour (read from the rollups).
  summarized = await makeUser(tenant);
  const summarizedValues: Array<[string, number, string | null]> = [
    ["2026-03-02T08:10:00Z", 1.1, "<"],
    ["2026-03-02T08:20:00Z", 4, null],
    ["2026-03-02T09:10:00Z", 33.3, ">"],
    ["2026-03-02T09:20:00Z", 6, null],
    ["2026-03-02T10:40:00Z", 8, null],
    ["2026-03-02T10:45:00Z", 1.1, "<="],
  ];
  for (const [at, value, comparator] of summarizedValues) {
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
         original_value, original_unit, comparator, source_id)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'mmol/L', $6, 'mmol/L', $7, $8)`,
      [tenant.id, summarized.id, glucose.id, glucose.version, at, value, comparator, source],
    );
  }
  // Rows inserted here bypass the writer, which keeps the rollups; compute them as it would have.
  await refreshRollups(handle.db, tenant.id, summarized.id);
  summarizedToken = await userToken(client, summarized, "observations:read");
  ownerToken = await userToken(client, owner, "observations:read");
  otherToken = await userToken(client, other, "observations:read");
});
afterAll(async () => handle.close());

async function list(bearer: string): Promise<ListObservationsResponse> {
  const res = await api("/v1/observations?variable=http://loinc.org|2339-0", {
    headers: { Authorization: `Bearer ${bearer}` },
  });
  expect(res.status).toBe(200);
  return json<ListObservationsResponse>(res);
}

describe("GET /v1/observations: censored values", () => {
  it("returns each value's comparator with its bound, null for an exact value", async () => {
    const body = await list(ownerToken);
    expect(body.data.map((o) => [o.start_at, o.value, o.comparator])).toEqual([
      ["2026-03-01T12:00:00.000Z", 5.5, null],
      ["2026-03-01T11:00:00.000Z", 33.3, ">"],
      ["2026-03-01T10:00:00.000Z", 33.3, ">="],
      ["2026-03-01T09:00:00.000Z", 1.1, "<="],
      ["2026-03-01T08:00:00.000Z", 1.1, "<"],
    ]);
  });

  it("shows another user of the tenant none of them", async () => {
    expect((await list(otherToken)).data).toEqual([]);
  });
});

describe("GET /v1/observations/summary: censored values", () => {
  async function summary(from: string, to: string, bucket: string, extra = ""): Promise<SummaryResponse> {
    const res = await api(
      `/v1/observations/summary?variable=http://loinc.org|2339-0&from=${from}&to=${to}&bucket=${bucket}${extra}`,
      { headers: { Authorization: `Bearer ${summarizedToken}` } },
    );
    expect(res.status).toBe(200);
    return json<SummaryResponse>(res);
  }
  const buckets = (body: SummaryResponse) =>
    body.data.map((b) => ({ start: b.start, count: b.count, min: b.min, max: b.max, mean: b.mean, sum: b.sum }));

  /** Each hour: both values counted, only the exact one in the value aggregates. */
  const HOURS = [
    { start: "2026-03-02T08:00:00.000Z", count: 2, min: 4, max: 4, mean: 4, sum: 4 },
    { start: "2026-03-02T09:00:00.000Z", count: 2, min: 6, max: 6, mean: 6, sum: 6 },
    { start: "2026-03-02T10:00:00.000Z", count: 2, min: 8, max: 8, mean: 8, sum: 8 },
  ];

  it("leaves censored values out of the partial hours' aggregates exactly as the rollups do for whole hours", async () => {
    // Partial hours at both ends (rows) and one whole hour (rollup).
    expect(buckets(await summary("2026-03-02T08:05:00Z", "2026-03-02T10:50:00Z", "hour"))).toEqual(HOURS);
    // The same hours, all whole: every one from the rollups.
    expect(buckets(await summary("2026-03-02T08:00:00Z", "2026-03-02T11:00:00Z", "hour"))).toEqual(HOURS);
    // All from the rows (include_invalid never reads rollups).
    expect(
      buckets(await summary("2026-03-02T08:00:00Z", "2026-03-02T11:00:00Z", "hour", "&include_invalid=true")),
    ).toEqual(HOURS);
  });

  it("combines the hours of a day without the censored bounds, in every read path", async () => {
    const day = [{ start: "2026-03-02T00:00:00.000Z", count: 6, min: 4, max: 8, mean: 6, sum: 18 }];
    expect(buckets(await summary("2026-03-02T08:05:00Z", "2026-03-02T10:50:00Z", "day"))).toEqual(day);
    expect(buckets(await summary("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z", "day"))).toEqual(day);
    // India's days do not start on UTC hours: read from the rows. Its day 2026-03-02 begins 2026-03-01T18:30Z.
    const india = await summary("2026-03-01T18:30:00Z", "2026-03-02T18:30:00Z", "day", "&tz=Asia/Kolkata");
    expect(buckets(india)).toEqual([{ ...day[0], start: "2026-03-01T18:30:00.000Z" }]);
    // `value` is the variable's combination (glucose: the mean) of the exact values only.
    expect(india.variable.combination_operation).toBe("mean");
    expect(india.data.map((b) => b.value)).toEqual([6]);
  });
});
