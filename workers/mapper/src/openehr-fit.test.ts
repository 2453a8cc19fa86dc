/**
 * openEHR compositions and FIT files through the mapper Worker (queue handler, R2, Postgres, the ingest
 * queue and Worker): what they map is stored in the person's record, and a FIT file failing its CRC is
 * refused whole, for good, with no rows.
 */
import corona from "@corpus/08-openehr/openehr-sdk/compo_corona.json?raw";
import type { DbHandle } from "@dfda/db";
import { getFile } from "@dfda/db/repositories/files";
import { FitBuilder, fitSeconds, u8, u16, u32 } from "@dfda/mappers/fit/build";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PipelineHarness } from "../test/harness";

let h: PipelineHarness;
let handle: DbHandle;
let tenantId: string;
let userId: string;

beforeAll(async () => {
  h = await PipelineHarness.open("oehr");
  ({ handle, tenantId, userId } = h);
});
afterAll(async () => h.close());

async function fileRows(fileId: string) {
  const { rows } = await handle.client.query<{ code: string; value: number; unit: string; start_at: Date }>(
    `select (select v.slug from variables v where v.id = o.variable_id and v.version = o.variable_version) as code,
            o.value, o.unit, o.start_at
     from observations o where o.tenant_id = $1 and o.user_id = $2 and o.file_id = $3 order by o.start_at, code`,
    [tenantId, userId, fileId],
  );
  return rows.map((r) => [r.code, r.value, r.unit, r.start_at.toISOString()]);
}

const T0 = fitSeconds("2024-03-10T06:00:00Z");

/** A monitoring file as a Garmin watch writes one: heart rate, accumulated steps, SpO2, sleep levels, stress. */
function monitoringFile(): FitBuilder {
  const b = new FitBuilder();
  b.define(0, 0, [
    [0, 1, 0x00],
    [1, 2, 0x84],
  ]).data(0, u8(32), u16(1));
  b.define(1, 55, [
    [253, 4, 0x86],
    [27, 1, 0x02],
    [5, 1, 0x00],
    [3, 4, 0x86],
  ]);
  b.data(1, u32(T0), u8(58), u8(6), u32(1000));
  b.data(1, u32(T0 + 900), u8(61), u8(6), u32(1800));
  b.define(2, 269, [
    [253, 4, 0x86],
    [0, 1, 0x02],
  ]).data(2, u32(T0 + 60), u8(95));
  b.define(3, 275, [
    [253, 4, 0x86],
    [0, 1, 0x00],
  ]);
  b.data(3, u32(T0 - 3600), u8(3)).data(3, u32(T0 - 1800), u8(1));
  b.define(4, 227, [
    [0, 2, 0x83],
    [1, 4, 0x86],
  ]).data(4, u16(35), u32(T0 + 120));
  return b;
}

describe("openEHR and FIT files through the mapper Worker", () => {
  it("maps an openEHR canonical composition (the corpus's body temperature in °C) into the record", async () => {
    const fileId = await h.storeFile(new TextEncoder().encode(corona), "compo_corona.json");
    const job = await h.mapFile(fileId);
    expect(job).toMatchObject({ received: 1, stored: 1, rejected: 0 });
    expect(await fileRows(fileId)).toEqual([["body-temperature", 39, "Cel", "2020-05-11T20:53:12.039Z"]]);
    expect(await getFile(handle.db, tenantId, userId, fileId)).toMatchObject({
      format: "openehr",
      mapperId: "openehr",
    });
  });

  it("maps an openEHR FLAT composition's blood pressure and pulse", async () => {
    const flat = {
      "ctx/language": "en",
      "ctx/territory": "DE",
      "vitals/vital_signs/blood_pressure:0/any_event:0/systolic|magnitude": 128,
      "vitals/vital_signs/blood_pressure:0/any_event:0/systolic|unit": "mm[Hg]",
      "vitals/vital_signs/blood_pressure:0/any_event:0/diastolic|magnitude": 84,
      "vitals/vital_signs/blood_pressure:0/any_event:0/diastolic|unit": "mm[Hg]",
      "vitals/vital_signs/blood_pressure:0/any_event:0/time": "2024-05-02T09:00:00+02:00",
      "vitals/vital_signs/pulse_heart_beat:0/any_event:0/rate|magnitude": 66,
      "vitals/vital_signs/pulse_heart_beat:0/any_event:0/rate|unit": "/min",
      "vitals/vital_signs/pulse_heart_beat:0/any_event:0/time": "2024-05-02T09:00:00+02:00",
    };
    const fileId = await h.storeFile(new TextEncoder().encode(JSON.stringify(flat)), "vitals.json");
    const job = await h.mapFile(fileId);
    expect(job).toMatchObject({ status: "completed", received: 3, stored: 3 });
    expect(await fileRows(fileId)).toEqual([
      ["diastolic-blood-pressure", 84, "mm[Hg]", "2024-05-02T07:00:00.000Z"],
      ["heart-rate", 66, "/min", "2024-05-02T07:00:00.000Z"],
      ["systolic-blood-pressure", 128, "mm[Hg]", "2024-05-02T07:00:00.000Z"],
    ]);
  });

  it("maps a FIT monitoring file: heart rate, steps, SpO2 and sleep stages stored; Garmin's stress scale reported", async () => {
    const fileId = await h.storeFile(monitoringFile().build(), "WELLNESS.FIT");
    const job = await h.mapFile(fileId);
    expect(job.received).toBe(6);
    expect(await fileRows(fileId)).toEqual([
      ["deep-sleep-duration", 30, "min", "2024-03-10T05:00:00.000Z"],
      ["heart-rate", 58, "/min", "2024-03-10T06:00:00.000Z"],
      ["steps", 800, "{steps}", "2024-03-10T06:00:00.000Z"],
      ["oxygen-saturation", 95, "%", "2024-03-10T06:01:00.000Z"],
      ["heart-rate", 61, "/min", "2024-03-10T06:15:00.000Z"],
    ]);
    // The sixth, Garmin's 0-100 stress value, has only a local code (urn:dfda:local:fit:garmin) that no
    // variable has yet: it is not stored as anything else, and the job says so.
    expect(job).toMatchObject({ stored: 5, status: "completed_with_issues" });
    expect(await getFile(handle.db, tenantId, userId, fileId)).toMatchObject({ format: "fit", mapperId: "fit" });
  });

  it("refuses a FIT file whose CRC does not match, for good: no rows, no retry", async () => {
    const fileId = await h.storeFile(monitoringFile().build({ corruptCrc: true }), "corrupt.fit");
    const job = await h.mapFile(fileId);
    expect(job.status).toBe("failed");
    expect(job.error).toContain("CRC does not match");
    expect(h.lastSettlement).toEqual({ acks: 1, retries: 0 });
    expect(await fileRows(fileId)).toEqual([]);
    const { rows } = await handle.client.query<{ code: string }>("select code from ingest_issues where job_id = $1", [
      job.id,
    ]);
    expect(rows).toEqual([{ code: "fit_crc_mismatch" }]);
  });
});
