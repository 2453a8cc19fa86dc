/**
 * The template's statistics against values computed by hand, and its protocol methods on their own
 * (no platform): what a plugin author keeps when copying the template.
 */
import { type AlignedTable, DataPlan, PluginManifest, type TableColumn, validateAgainstSchema } from "@dfda/plugins";
import { describe, expect, it } from "vitest";
import { TEMPLATE_MANIFEST } from "./manifest";
import { templatePlugin } from "./plugin";
import { summarize } from "./stats";

function column(values: (number | null)[]): TableColumn {
  return {
    slug: "steps",
    name: "Steps",
    category: "physical_activity",
    unit: "{steps}",
    combination: "sum",
    filling: "none",
    is_outcome: false,
    is_input_factor: true,
    values,
  };
}

const times = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString());

describe("summarize", () => {
  it("matches a hand computation: 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, sample sd √(32/7))", () => {
    const s = summarize(column([2, 4, null, 4, 4, 5, 5, 7, 9, null]), times(10));
    expect(s).toMatchObject({ n: 8, buckets: 10, coverage: 0.8, mean: 5, min: 2, median: 4.5, max: 9 });
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(s.first).toBe("2026-01-01T00:00:00.000Z");
    expect(s.last).toBe("2026-01-09T00:00:00.000Z");
  });

  it("keeps its accuracy on large values with a small spread (Welford)", () => {
    const s = summarize(column([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]), times(4));
    expect(s.mean).toBe(1e9 + 10);
    expect(s.sd).toBeCloseTo(Math.sqrt(90 / 3), 6);
    expect(s.median).toBe(1e9 + 10);
  });

  it("answers nulls for a column without values, and no sd for one value", () => {
    expect(summarize(column([null, null]), times(2))).toMatchObject({
      n: 0,
      coverage: 0,
      mean: null,
      sd: null,
      min: null,
      median: null,
      max: null,
      first: null,
      last: null,
    });
    expect(summarize(column([3]), times(1))).toMatchObject({ n: 1, mean: 3, sd: null, median: 3 });
  });
});

describe("the template plugin", () => {
  const table: AlignedTable = {
    resolution: "day",
    start: "2026-01-01T00:00:00.000Z",
    end: "2026-01-04T00:00:00.000Z",
    times: times(3),
    columns: [column([1000, 3000, null])],
  };

  it("describes itself with a manifest the platform accepts", () => {
    expect(PluginManifest.parse(templatePlugin.describe())).toEqual(TEMPLATE_MANIFEST);
  });

  it("plans daily data of the named variables", () => {
    expect(templatePlugin.plan({ variables: ["steps"], days: 90 })).toEqual(
      DataPlan.parse({ variables: ["steps"], resolution: "day", days: 90 }),
    );
    expect(() => templatePlugin.plan({ variables: [] })).toThrow();
  });

  it("runs, and its output matches its own output schema", () => {
    const output = templatePlugin.run({ protocol: 1, input: { variables: ["steps", "weight"] }, table });
    expect(output.variables[0]).toMatchObject({ slug: "steps", n: 2, mean: 2000, median: 2000 });
    expect(output.missing).toEqual(["weight"]);
    expect(validateAgainstSchema(TEMPLATE_MANIFEST.output_schema, output)).toEqual([]);
    expect(validateAgainstSchema(TEMPLATE_MANIFEST.input_schema, { variables: ["steps"], extra: 1 })).not.toEqual([]);
  });
});
