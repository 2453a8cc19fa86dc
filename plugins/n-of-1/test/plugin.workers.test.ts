/**
 * The N-of-1 plugin Worker across a real service binding in workerd, as the platform reaches it: the
 * test Worker is bound to its `NOf1Plugin` entrypoint as PLUGIN_N_OF_1
 * (plugins/example-mapper/test/wrangler.toml; the plugin runs as an auxiliary Worker built by
 * plugins/example-mapper/test/build.ts) and calls it through the platform's client (`connectPlugin`),
 * which checks every input and output against the manifest's schemas. Arguments and answers cross the
 * binding by structured clone, as in production.
 */
import { env } from "cloudflare:workers";
import { connectPlugin, endpointOf, NOf1Result, PluginCallError, PluginManifest } from "@dfda/plugins";
import { describe, expect, it } from "vitest";
import { syntheticTable } from "./synthetic";

const unsigned = async () => ({});

describe("the N-of-1 plugin over a service binding", () => {
  const endpoint = endpointOf(
    { serviceBinding: "PLUGIN_N_OF_1", url: null },
    env as unknown as Record<string, unknown>,
    unsigned,
  );

  it("describes itself, plans and runs a pair and a predictor search with a planted effect", async () => {
    const manifest = await connectPlugin(endpoint, null).describe();
    expect(PluginManifest.parse(manifest)).toMatchObject({ id: "n-of-1", kind: "analysis", version: "1.0.0" });
    const client = connectPlugin(endpoint, manifest);

    expect(
      await client.plan({ mode: "predictor_search", outcome: "sleep-quality", categories: ["supplements"] }),
    ).toEqual({
      variables: ["sleep-quality"],
      all_in_categories: ["supplements"],
      resolution: "day",
      days: 730,
    });

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
    const pair = NOf1Result.parse(
      await client.run({
        protocol: 1,
        input: { mode: "pair", predictor: "melatonin", outcome: "sleep-quality" },
        table,
      }),
    );
    if (pair.mode !== "pair") throw new Error("not a pair result");
    expect(pair.relationship).toMatchObject({ delay_hours: 0, duration_hours: 24, grade: "A" });
    expect(Math.abs((pair.relationship.effect.percent_change as number) - 25)).toBeLessThanOrEqual(4);

    const search = NOf1Result.parse(
      await client.run({ protocol: 1, input: { mode: "predictor_search", outcome: "sleep-quality" }, table }),
    );
    if (search.mode !== "predictor_search") throw new Error("not a search result");
    expect(search.predictors.map((r) => r.predictor.slug)[0]).toBe("melatonin");
    expect(search.predictors).toHaveLength(3);
  });

  it("fails a run whose table lacks the variable, and refuses an input outside its schema", async () => {
    const client = connectPlugin(endpoint, await connectPlugin(endpoint, null).describe());
    const table = syntheticTable({
      seed: 1,
      buckets: 10,
      predictors: [{ slug: "x", kind: "binary" }],
      outcome: { slug: "y", base: 1, noise: 1 },
    });
    const failed = await client
      .run({ protocol: 1, input: { mode: "pair", predictor: "absent", outcome: "y" }, table })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PluginCallError);
    expect((failed as PluginCallError).code).toBe("plugin_failed");
    const refused = await client.plan({ mode: "pair", predictor: "x" }).catch((e: unknown) => e);
    expect((refused as PluginCallError).code).toBe("plugin_invalid_input");
  });

  it("has no public surface by default: the Worker's fetch answers 404", async () => {
    const worker: unknown = Reflect.get(env, "N_OF_1_PLUGIN_WORKER");
    const response = await (worker as Fetcher).fetch("https://plugin.invalid/describe", { method: "POST" });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
