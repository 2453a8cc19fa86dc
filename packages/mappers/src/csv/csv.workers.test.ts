/**
 * The CSV mapper inside the Workers runtime (workerd): papaparse's parser core driven chunk by chunk
 * needs no `node:stream`, and IANA zones resolve through workerd's Intl.
 */
import type { VariableLookup } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { csvMapper, headerSignature } from "./index";

const lookup: VariableLookup = {
  byLabel: (label) =>
    label.toLowerCase() === "weight" ? { id: "v-weight", name: "Body weight", canonicalUnit: "kg" } : null,
};

describe("csv mapper in workerd", () => {
  it("streams a quoted, CRLF, semicolon file in small chunks", async () => {
    const csv = '\uFEFFDate;"Weight (lbs)";Notes\r\n2024-03-01 08:00;"160,4";"a;b\r\nc"\r\n2024-03-02 08:00;161;\r\n';
    const events = await collect(
      csvMapper.map(fromBytes(new TextEncoder().encode(csv), 5), { lookup, timezone: "Europe/Berlin" }),
    );
    expect(events).toEqual([
      {
        kind: "observation",
        observation: {
          codings: [],
          variable_id: "v-weight",
          value: 160.4,
          unit: "[lb_av]",
          start_at: "2024-03-01T08:00:00+01:00",
          note: "a;b\r\nc",
          location: 'line 2, column "Weight (lbs)"',
        },
      },
      {
        kind: "observation",
        observation: {
          codings: [],
          variable_id: "v-weight",
          value: 161,
          unit: "[lb_av]",
          start_at: "2024-03-02T08:00:00+01:00",
          location: 'line 4, column "Weight (lbs)"',
        },
      },
    ]);
    expect(headerSignature(["Date", "Weight (lbs)", "Notes"])).toMatch(/^csv1:3:[0-9a-f]{16}$/);
  });
});
