/**
 * The charts draw what the N-of-1 plugin finds (issue 14: "the charts render from the same data"): a year
 * of generated data with a planted effect (plugins/n-of-1/test/synthetic.ts) goes through the real N-of-1
 * plugin Worker (`PLUGIN_N_OF_1`) and its results through the real charts plugin Worker (`PLUGIN_CHARTS`),
 * both over service bindings and through the platform's client, which checks every input and output.
 */
import { env } from "cloudflare:workers";
import { connectPlugin, endpointOf, NOf1Result, type PluginClient } from "@dfda/plugins";
import { describe, expect, it } from "vitest";
import { syntheticTable } from "../../n-of-1/test/synthetic";
import { allText, byClass, parseXml } from "./xml";

const unsigned = async () => ({});

async function client(binding: string): Promise<PluginClient> {
  const endpoint = endpointOf({ serviceBinding: binding, url: null }, env as unknown as object, unsigned);
  return connectPlugin(endpoint, await connectPlugin(endpoint, null).describe());
}

describe("charts of N-of-1 results", () => {
  const table = syntheticTable({
    seed: 31,
    buckets: 365,
    predictors: [
      { slug: "magnesium", kind: "binary", category: "supplements" },
      { slug: "melatonin", kind: "binary", category: "supplements" },
      { slug: "zinc", kind: "continuous", category: "supplements", missing: 0.1 },
    ],
    outcome: { slug: "sleep-quality", category: "sleep", base: 6, noise: 0.8, missing: 0.1 },
    planted: [{ predictor: "melatonin", delay: 0, duration: 1, effect: 0.25 }],
  });

  it("draws the pair's scatter, its delay curve and the outcome label from the analysis plugin's answers", async () => {
    const [nOf1, charts] = await Promise.all([client("PLUGIN_N_OF_1"), client("PLUGIN_CHARTS")]);
    const pair = NOf1Result.parse(
      await nOf1.run({ protocol: 1, input: { mode: "pair", predictor: "melatonin", outcome: "sleep-quality" }, table }),
    );
    const search = NOf1Result.parse(
      await nOf1.run({ protocol: 1, input: { mode: "predictor_search", outcome: "sleep-quality" }, table }),
    );
    if (pair.mode !== "pair" || search.mode !== "predictor_search") throw new Error("unexpected modes");
    const draw = async (kind: "scatter" | "delay-curve" | "outcome-label", analysis: unknown) =>
      parseXml((await charts.render({ protocol: 1, kind, input: {}, table: null, analysis })).body);

    const scatter = await draw("scatter", pair);
    expect(byClass(scatter, "point")).toHaveLength(pair.pairs.length);
    expect(byClass(scatter, "fit")).toHaveLength(pair.fit === null ? 0 : 1);

    const curve = await draw("delay-curve", pair);
    const delays = new Set(pair.delay_curve.filter((p) => p.pearson !== null).map((p) => p.delay_hours));
    expect(byClass(curve, "point")).toHaveLength(delays.size);
    expect(byClass(curve, "best")).toHaveLength(1);
    expect(allText(curve)).toContain("strongest: 0 h delay, 1 d duration");

    const label = await draw("outcome-label", search);
    const names = byClass(label, "predictor").map((e) => e.text);
    const sufficient = search.predictors.filter((p) => p.grade !== "insufficient" && p.sufficiency.sufficient);
    expect(names).toHaveLength(Math.min(10, sufficient.length));
    // The planted effect: melatonin first, raising sleep quality (+25 % planted).
    expect(names[0]).toBe("melatonin");
    expect(byClass(label, "effect")[0]?.text).toMatch(/^\+2\d\.\d% better$/);
  });

  it("draws the same table's timeline", async () => {
    const charts = await client("PLUGIN_CHARTS");
    const svg = parseXml(
      (
        await charts.render({
          protocol: 1,
          kind: "timeline",
          input: { variables: ["sleep-quality"] },
          table,
          analysis: null,
        })
      ).body,
    );
    // 365 days are more than 200 points: weekly means (2024-01-01 is a Monday: 53 weeks, the last one day long).
    expect(byClass(svg, "points")[0]?.children).toHaveLength(53);
    expect(byClass(svg, "band")).toHaveLength(1);
  });
});
