/**
 * The big-file phases of `npm run bench` (bench/big.ts, issue 15) at a few megabytes, against the
 * project's running platform: every observation of a generated Apple Health export.xml and FHIR NDJSON
 * stored and readable through `GET /v1/observations`, exactly as many as the generator says its elements
 * make; a tus upload cut twice, resumed from the offset HEAD reports, stored with the SHA-256 of the bytes
 * sent. Results only, never a time: the times belong to `npm run bench`.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIG_SCOPES, type BigResults, bigOptionsFromEnv, runBigPhases } from "../../bench/big";
import { baseUrl, databaseUrl, newPerson } from "./fixtures";

const client = new pg.Client({ connectionString: databaseUrl });
beforeAll(() => client.connect());
afterAll(() => client.end());

/** Every observation of a person, paged through the API as a client reads them. */
async function readAll(token: string): Promise<Array<{ job_id: string | null }>> {
  const all: Array<{ job_id: string | null }> = [];
  let cursor: string | null = null;
  do {
    const url = new URL("/v1/observations", baseUrl);
    url.searchParams.set("limit", "200");
    if (cursor !== null) url.searchParams.set("cursor", cursor);
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { data: Array<{ job_id: string | null }>; next_cursor: string | null };
    all.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return all;
}

describe("bench/big.ts at a small size", () => {
  const people = new Map<string, { id: string; token: string }>();
  let results: BigResults;

  beforeAll(async () => {
    // The sizes the bench reads from its environment, small: BENCH_BIG_MB and BENCH_RESUMABLE_MB.
    const options = bigOptionsFromEnv({ BENCH_BIG_MB: "1.5", BENCH_RESUMABLE_MB: "6" });
    results = await runBigPhases(
      {
        base: baseUrl,
        async person(label) {
          const person = await newPerson({ scope: BIG_SCOPES });
          const row = await client.query<{ id: string }>("select id from users where email = $1", [person.email]);
          const id = row.rows[0]?.id;
          if (id === undefined) throw new Error(`no user ${person.email}`);
          people.set(label, { id, token: person.accessToken });
          return { id, token: person.accessToken };
        },
        client,
        // vitest's main process started the platform (global-setup.ts): its workerd is below it.
        rootPid: process.ppid,
        log: () => {},
      },
      options,
    );
  }, 240_000);

  for (const phase of ["big-apple-health", "big-fhir-ndjson"] as const) {
    it(`${phase}: every observation the generated file holds is stored once and readable through the API`, async () => {
      const result = phase === "big-apple-health" ? results.apple_health : results.fhir_ndjson;
      expect(result).not.toBeNull();
      if (result === null) return;
      expect(result.bytes).toBeGreaterThan(1.4e6);
      expect(result.observations).toBe(Object.values(result.kinds).reduce((a, b) => a + b, 0));
      expect(result.job).toMatchObject({
        received: result.observations,
        stored: result.observations,
        rejected: 0,
        duplicates: 0,
        pending: 0,
      });
      expect(result.stored_rows).toBe(result.observations);
      const person = people.get(phase);
      if (person === undefined) throw new Error("no person");
      const read = await readAll(person.token);
      expect(read).toHaveLength(result.observations);
      expect(new Set(read.map((o) => o.job_id)).size).toBe(1);
      // The Workers' memory was sampled from /proc (values are the bench's to report, not asserted).
      expect(result.memory?.processes).toBeGreaterThan(0);
    });
  }

  it("big-apple-health: the mix of element kinds the generator writes", () => {
    const kinds = Object.keys(results.apple_health?.kinds ?? {});
    expect(kinds).toEqual(
      expect.arrayContaining([
        "HKQuantityTypeIdentifierHeartRate",
        "HKQuantityTypeIdentifierStepCount",
        "HKQuantityTypeIdentifierBodyMass",
        "HKCategoryTypeIdentifierSleepAnalysis (AsleepREM)",
        "Workout (duration, distance, energy)",
        "ActivitySummary (energy, exercise, stand)",
      ]),
    );
  });

  it("resumable: cut twice, resumed from where HEAD said, stored with the sent bytes' SHA-256", () => {
    const r = results.resumable;
    expect(r).not.toBeNull();
    if (r === null) return;
    expect(r.bytes).toBe(6 * 1024 * 1024);
    expect(r.interruptions).toHaveLength(2);
    // Where HEAD says to resume is what the server received before the drop: up to the cut, and how much
    // of it crossed wrangler's local proxy before the connection went is the machine's business.
    for (const cut of r.interruptions) {
      expect(cut.resumed_from).toBeGreaterThanOrEqual(0);
      expect(cut.resumed_from).toBeLessThanOrEqual(cut.cut_at);
    }
    expect(r.patches).toBeGreaterThanOrEqual(3);
    expect(r.stored_sha256).toBe(r.sha256);
    expect(r.file_sha256).toBe(r.sha256);
  });
});
