/**
 * The mapper inside the Workers runtime (workerd), where code generation (`eval`, `new Function`) is
 * forbidden: the validators are the precompiled standalone module, so validation works there.
 */
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { openmhealthMapper } from "./index";

const lookup = { byLabel: () => null };

async function map(value: unknown) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return collect(openmhealthMapper.map(fromBytes(bytes, 7), { lookup }));
}

const header = {
  id: "w-1",
  creation_date_time: "2024-01-02T03:04:05Z",
  schema_id: { namespace: "omh", name: "body-weight", version: "3.0" },
};

describe("openmhealth mapper in workerd", () => {
  it("validates and maps a data point", async () => {
    const events = await map({
      header,
      body: {
        body_weight: { value: 81.5, unit: "kg" },
        effective_time_frame: { date_time: "2024-03-01T08:00:00+01:00" },
      },
    });
    expect(events).toEqual([
      {
        kind: "observation",
        observation: {
          codings: [{ system: "https://w3id.org/openmhealth/schemas/omh", code: "body-weight" }],
          value: 81.5,
          unit: "kg",
          start_at: "2024-03-01T08:00:00+01:00",
          metadata: { schema_id: "omh:body-weight:3.0", data_point_id: "w-1" },
          location: "line 1: $.body.body_weight",
        },
      },
    ]);
  });

  it("rejects a body that breaks its schema (date-time format included)", async () => {
    const events = await map({
      header,
      body: { body_weight: { value: 81.5, unit: "km" }, effective_time_frame: { date_time: "yesterday" } },
    });
    expect(events.map((e) => (e.kind === "issue" ? e.issue.code : e.kind))).toEqual(["schema_violation"]);
  });
});
