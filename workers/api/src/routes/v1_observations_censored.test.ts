/**
 * Censored values read back (issue 15): GET /v1/observations returns each row's `comparator` (FHIR R4
 * `Quantity.comparator`; `value` is the bound), null for an exact value, only to the owner.
 */
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, json, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestUser, userToken } from "../../test/identity";
import type { ListObservationsResponse } from "./v1_observations_list";

let handle: DbHandle;
let owner: TestUser;
let ownerToken: string;
let otherToken: string;

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
