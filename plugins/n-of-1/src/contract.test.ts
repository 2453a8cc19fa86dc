/**
 * The N-of-1 plugin at the platform's boundary: its manifest, its JSON Schemas checked by the same
 * validator the platform uses (@cfworker/json-schema through `validateAgainstSchema`), `plan`, and whole
 * calls through the platform's client (`connectPlugin`), in-process and over the signed HTTPS form with
 * real ES256 signatures. Over a real service binding: test/plugin.workers.test.ts.
 */
import {
  connectPlugin,
  endpointOf,
  memoryReplayGuard,
  NOf1Result,
  PluginCallError,
  PluginManifest,
  schemaProblem,
  servePluginHttp,
  signPlatformRequest,
  validateAgainstSchema,
} from "@dfda/plugins";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { syntheticTable } from "../test/synthetic";
import { DEFAULT_PREDICTOR_CATEGORIES, MANIFEST, NOf1Input, plan, run } from "./contract";
import worker, { nOf1Plugin } from "./index";

const table = syntheticTable({
  seed: 21,
  buckets: 200,
  predictors: [
    { slug: "vitamin-d", kind: "binary", category: "supplements" },
    { slug: "steps", kind: "continuous", mean: 8, sd: 2, category: "physical_activity", missing: 0.1 },
  ],
  outcome: { slug: "mood", category: "mood", base: 50, noise: 4, missing: 0.1 },
  planted: [{ predictor: "vitamin-d", delay: 1, duration: 1, effect: 0.15 }],
});

const VALID_INPUTS = [
  { mode: "pair", predictor: "vitamin-d", outcome: "mood" },
  {
    mode: "pair",
    predictor: "vitamin-d",
    outcome: "mood",
    resolution: "hour",
    days: 90,
    higher_outcome_is_better: false,
  },
  { mode: "predictor_search", outcome: "mood" },
  { mode: "predictor_search", outcome: "mood", categories: ["supplements", "sleep"], days: 365 },
];
const INVALID_INPUTS = [
  {},
  { mode: "pair", outcome: "mood" },
  { mode: "pair", predictor: "vitamin-d", outcome: "mood", extra: 1 },
  { mode: "pair", predictor: "Vitamin D", outcome: "mood" },
  { mode: "pair", predictor: "mood", outcome: "mood" },
  { mode: "predictor_search", outcome: "mood", days: 0 },
  { mode: "predictor_search", outcome: "mood", categories: [] },
  { mode: "predictor_search", outcome: "mood", resolution: "week" },
  { mode: "predictor_search", outcome: "mood", categories: ["not_a_category"] },
  { mode: "everything", outcome: "mood" },
];

describe("the manifest", () => {
  it("is a valid analysis manifest whose schemas the platform's validator can use", () => {
    expect(PluginManifest.parse(MANIFEST)).toEqual(MANIFEST);
    expect(MANIFEST).toMatchObject({ id: "n-of-1", kind: "analysis", protocol: 1 });
    expect(schemaProblem(MANIFEST.input_schema)).toBeNull();
    expect(schemaProblem(MANIFEST.output_schema)).toBeNull();
    expect(nOf1Plugin.describe()).toBe(MANIFEST);
  });

  it("accepts and refuses the same inputs by its JSON Schema as by its zod schema", () => {
    for (const input of VALID_INPUTS) {
      expect(validateAgainstSchema(MANIFEST.input_schema, input), JSON.stringify(input)).toEqual([]);
      expect(NOf1Input.safeParse(input).success).toBe(true);
    }
    for (const input of INVALID_INPUTS) {
      expect(NOf1Input.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
    // JSON Schema cannot say "predictor ≠ outcome" (a zod refinement); every other refusal it shares.
    for (const input of INVALID_INPUTS.filter((i) => !("predictor" in i && i.predictor === "mood"))) {
      expect(validateAgainstSchema(MANIFEST.input_schema, input).length, JSON.stringify(input)).toBeGreaterThan(0);
    }
  });

  it("describes both results by its output schema", () => {
    const pair = run({ protocol: 1, input: VALID_INPUTS[0], table });
    const search = run({ protocol: 1, input: VALID_INPUTS[2], table });
    for (const result of [pair, search]) {
      expect(validateAgainstSchema(MANIFEST.output_schema, JSON.parse(JSON.stringify(result)))).toEqual([]);
      expect(NOf1Result.parse(result)).toEqual(result);
    }
    // …and refuses what is not one.
    const broken = { ...pair, relationship: { ...(pair.mode === "pair" ? pair.relationship : {}), grade: "Z" } };
    expect(validateAgainstSchema(MANIFEST.output_schema, broken).length).toBeGreaterThan(0);
  });
});

describe("plan", () => {
  it("asks for the two variables of a pair, at the asked resolution and window", () => {
    expect(plan({ mode: "pair", predictor: "vitamin-d", outcome: "mood" })).toEqual({
      variables: ["vitamin-d", "mood"],
      all_in_categories: [],
      resolution: "day",
      days: 730,
    });
    expect(plan(VALID_INPUTS[1])).toEqual({
      variables: ["vitamin-d", "mood"],
      all_in_categories: [],
      resolution: "hour",
      days: 90,
    });
  });

  it("asks a predictor search for the outcome and every variable in the predictor categories", () => {
    expect(plan({ mode: "predictor_search", outcome: "mood" })).toEqual({
      variables: ["mood"],
      all_in_categories: [...DEFAULT_PREDICTOR_CATEGORIES],
      resolution: "day",
      days: 730,
    });
    expect(plan(VALID_INPUTS[3]).all_in_categories).toEqual(["supplements", "sleep"]);
  });

  it("refuses an invalid input", () => {
    for (const input of INVALID_INPUTS) expect(() => plan(input)).toThrow();
  });
});

describe("through the platform's client", () => {
  it("plans and runs in-process (an RPC stub stands in: the same methods)", async () => {
    const client = connectPlugin({ kind: "binding", stub: nOf1Plugin }, MANIFEST);
    expect(await client.describe()).toEqual(MANIFEST);
    expect((await client.plan(VALID_INPUTS[0])).variables).toEqual(["vitamin-d", "mood"]);
    const result = NOf1Result.parse(await client.run({ protocol: 1, input: VALID_INPUTS[0], table }));
    expect(result.mode === "pair" && result.relationship.predictor.slug).toBe("vitamin-d");
    const refused = await client.plan({ mode: "pair" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PluginCallError);
    expect((refused as PluginCallError).code).toBe("plugin_invalid_input");
  });

  it("serves the HTTPS form: signed calls answered, unsigned ones refused", async () => {
    const issuer = "https://api.dfda.test";
    const url = "https://plugins.example.test/n-of-1";
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    const keys = createLocalJWKSet({ keys: [jwk] });
    const replay = memoryReplayGuard();
    const pluginFetch: typeof fetch = async (input, init) =>
      servePluginHttp(nOf1Plugin, new Request(input, init), { issuer, audience: url, keys, replay });
    const signer = (audience: string, method: Parameters<typeof signPlatformRequest>[0]["method"], body: string) =>
      signPlatformRequest({ key: privateKey, kid: "k1", issuer, audience, method, body });
    const client = connectPlugin(
      endpointOf({ serviceBinding: null, url }, {}, signer, { fetch: pluginFetch }),
      MANIFEST,
    );
    expect((await client.describe()).id).toBe("n-of-1");
    const result = NOf1Result.parse(await client.run({ protocol: 1, input: VALID_INPUTS[2], table }));
    expect(result.mode === "predictor_search" && result.predictors[0]?.predictor.slug).toBe("vitamin-d");

    // The Worker's own fetch: 404 without the HTTPS vars (RPC only), 401 for an unsigned call with them.
    const request = () =>
      new Request(`${url}/describe`, { method: "POST", body: "null", headers: { "Content-Type": "application/json" } });
    expect((await worker.fetch(request(), {})).status).toBe(404);
    const unsigned = await worker.fetch(request(), { PLUGIN_URL: url, PLATFORM_ISSUER: issuer });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get("Content-Type")).toBe("application/problem+json");
    await unsigned.body?.cancel();
  });
});
