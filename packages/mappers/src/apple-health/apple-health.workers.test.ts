/** The Apple Health mapper inside the Workers runtime (workerd): saxes streams there as in Node. */
import { CODE_SYSTEMS } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { appleHealthMapper } from "./index";

const lookup = { byLabel: () => null };

describe("apple health mapper in workerd", () => {
  it("streams export.xml in small chunks", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
]>
<HealthData locale="en_US">
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1980-01-01"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="2024-03-01 08:00:00 -0800" endDate="2024-03-01 08:00:00 -0800" value="62"/>
</HealthData>`;
    const events = await collect(appleHealthMapper.map(fromBytes(new TextEncoder().encode(xml), 5), { lookup }));
    expect(events).toEqual([
      {
        kind: "observation",
        observation: {
          codings: [
            { system: CODE_SYSTEMS.appleHealth, code: "HKQuantityTypeIdentifierHeartRate" },
            { system: CODE_SYSTEMS.loinc, code: "8867-4" },
          ],
          value: 62,
          unit: "/min",
          start_at: "2024-03-01T08:00:00-08:00",
          location: "/HealthData/Record[1]",
          metadata: { source_name: "Watch", source_unit: "count/min" },
        },
      },
    ]);
  });
});
