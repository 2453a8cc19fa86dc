/**
 * The outlier baseline read from the real PostgreSQL server of the test run: `historyStats` looks at
 * the person's most recent valid values only (at most HISTORY_SAMPLE per variable, none older than a
 * year), so its cost stays bounded however much history a person has.
 */
import { uuidv7 } from "@dfda/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type DbHandle } from "../client";
import { createTenant, createUser } from "./identity";
import { clientSource } from "./ingest";
import { HISTORY_SAMPLE, historyStats } from "./observations";

let handle: DbHandle;
let tenantId: string;
let userId: string;
let sourceId: string;
let heartRate: { id: string; version: number };
let weight: { id: string; version: number };

async function variableByCode(code: string) {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select v.id, v.version from variables v join variable_codes c on c.variable_id = v.id where c.system = 'http://loinc.org' and c.code = $1 and v.valid_to is null",
    [code],
  );
  const row = rows[0];
  if (!row) throw new Error(`LOINC ${code} is not seeded`);
  return row;
}

/** `count` rows of `value`, one a minute, the newest `newestMinutesAgo` minutes ago. */
async function insertSeries(
  variable: { id: string; version: number },
  count: number,
  value: number,
  newestMinutesAgo: number,
  isValid = true,
) {
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id, is_valid)
     select gen_random_uuid(), $1, $2, $3, $4, now() - make_interval(mins => $5 + g), $6, '/min', $6, '/min', $7, $8
     from generate_series(0, $9 - 1) g`,
    [tenantId, userId, variable.id, variable.version, newestMinutesAgo, value, sourceId, isValid, count],
  );
}

beforeAll(async () => {
  handle = await connect(inject("databaseUrl"));
  const tenant = await createTenant(handle.db, { slug: `history-${uuidv7()}`, name: "History" });
  tenantId = tenant.id;
  userId = (await createUser(handle.db, { tenantId, email: "history@example.org", passwordHash: null, roles: [] })).id;
  sourceId = await clientSource(handle.db, tenantId, "history-test", "History test");
  heartRate = await variableByCode("8867-4");
  weight = await variableByCode("29463-7");
});

afterAll(async () => {
  await handle?.close();
});

describe("historyStats", () => {
  it("uses the most recent valid values only, at most HISTORY_SAMPLE of them per variable", async () => {
    // Newest: invalid values (flagged out of range) that must not count.
    await insertSeries(heartRate, 5, 1000, 0, false);
    // Then exactly the sample: HISTORY_SAMPLE values of 60 ...
    await insertSeries(heartRate, HISTORY_SAMPLE, 60, 10);
    // ... and older values, still within the year, beyond the sample.
    await insertSeries(heartRate, 3000, 200, 10 + HISTORY_SAMPLE + 60);
    // Another variable: only values older than a year.
    await insertSeries(weight, 50, 80, 366 * 24 * 60);

    const stats = await historyStats(handle.db, tenantId, userId, [heartRate.id, weight.id]);
    expect(stats.get(heartRate.id)).toEqual({ count: HISTORY_SAMPLE, mean: 60, stddev: 0, q1: 60, q3: 60 });
    expect(stats.has(weight.id)).toBe(false);
  });

  it("reads a shorter history whole, and nobody else's", async () => {
    const other = (
      await createUser(handle.db, { tenantId, email: "history2@example.org", passwordHash: null, roles: [] })
    ).id;
    expect((await historyStats(handle.db, tenantId, other, [heartRate.id])).size).toBe(0);
    const previous = userId;
    userId = other;
    try {
      await insertSeries(heartRate, 4, 50, 0);
      await insertSeries(heartRate, 4, 70, 10);
    } finally {
      userId = previous;
    }
    const stats = await historyStats(handle.db, tenantId, other, [heartRate.id]);
    const hr = stats.get(heartRate.id);
    expect(hr?.count).toBe(8);
    expect(hr?.mean).toBe(60);
    expect(hr?.q1).toBe(50);
    expect(hr?.q3).toBe(70);
    expect(hr?.stddev).toBeCloseTo(Math.sqrt((8 * 100) / 7), 10);
  });
});
