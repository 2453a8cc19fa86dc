/**
 * The plugin client at the boundary: schema checks both ways, limits, error codes, and the HTTPS form
 * end to end with real ES256 signatures (the platform's `signPlatformRequest` → `servePluginHttp` →
 * `verifyPlatformRequest`). Over a real service binding in workerd: plugins/template/test.
 */
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import {
  connectPlugin,
  effectiveLimits,
  endpointOf,
  PLATFORM_LIMITS,
  PluginCallError,
  type PluginEndpoint,
} from "./client";
import { servePluginHttp } from "./http";
import type { PluginManifest } from "./manifest";
import type { AlignedTable, RunRequest } from "./protocol";
import { validateAgainstSchema } from "./schema";
import { memoryReplayGuard, PlatformRequestError, signPlatformRequest, verifyPlatformRequest } from "./signing";

const manifest: PluginManifest = {
  protocol: 1,
  id: "mean-of",
  version: "1.2.0",
  kind: "analysis",
  name: "Mean of a variable",
  description: "",
  data: { categories: ["vital_signs"], resolutions: ["day"] },
  input_schema: {
    type: "object",
    properties: { variable: { type: "string", minLength: 1 } },
    required: ["variable"],
    additionalProperties: false,
  },
  output_schema: {
    type: "object",
    properties: { mean: { type: ["number", "null"] } },
    required: ["mean"],
    additionalProperties: false,
  },
  limits: { timeout_ms: 200, max_output_bytes: 2048 },
};

const table: AlignedTable = {
  resolution: "day",
  start: "2026-01-01T00:00:00Z",
  end: "2026-01-04T00:00:00Z",
  times: ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"],
  columns: [
    {
      slug: "heart-rate",
      name: "Heart rate",
      category: "vital_signs",
      unit: "/min",
      combination: "mean",
      filling: "none",
      is_outcome: true,
      is_input_factor: false,
      values: [60, null, 66],
    },
  ],
};

/** A small real plugin: the mean of one column. */
const meanPlugin = {
  describe: () => manifest,
  plan: (input: unknown) => ({ variables: [(input as { variable: string }).variable], days: 30 }),
  run: (request: RunRequest) => {
    const column = request.table.columns.find((c) => c.slug === (request.input as { variable: string }).variable);
    const values = (column?.values ?? []).filter((v): v is number => v !== null);
    return { mean: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length };
  },
};

const binding = (stub: unknown): PluginEndpoint => ({ kind: "binding", stub });

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; errors: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PluginCallError) return { code: error.code, errors: error.errors };
    throw error;
  }
  throw new Error("expected a PluginCallError");
}

describe("validateAgainstSchema", () => {
  it("answers every innermost error as a JSON Pointer", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "integer", minimum: 1 }, b: { type: "array", items: { type: "string" } } },
      required: ["a", "c"],
    };
    expect(validateAgainstSchema(schema, { a: 1, b: ["x"], c: 0 })).toEqual([]);
    const errors = validateAgainstSchema(schema, { a: 0, b: ["x", 2] });
    expect(errors.map((e) => e.path).sort()).toEqual(["", "/a", "/b/1"]);
    expect(errors.find((e) => e.path === "/b/1")?.message).toMatch(/string/);
  });

  it("refuses values JSON cannot hold instead of throwing", () => {
    expect(validateAgainstSchema({}, undefined)).toHaveLength(1);
  });
});

describe("connectPlugin over a binding", () => {
  it("describes, plans and runs with checked input and output", async () => {
    const client = connectPlugin(binding(meanPlugin), manifest);
    expect((await client.describe()).id).toBe("mean-of");
    expect(await client.plan({ variable: "heart-rate" })).toEqual({
      variables: ["heart-rate"],
      all_in_categories: [],
      resolution: "day",
      days: 30,
    });
    expect(await client.run({ protocol: 1, input: { variable: "heart-rate" }, table })).toEqual({ mean: 63 });
  });

  it("refuses input the manifest's schema does not allow, before calling", async () => {
    let called = false;
    const client = connectPlugin(
      binding({
        ...meanPlugin,
        plan: () => {
          called = true;
          return {};
        },
      }),
      manifest,
    );
    const { code, errors } = await codeOf(client.plan({ variable: "", extra: 1 }));
    expect(code).toBe("plugin_invalid_input");
    expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "/variable" })]));
    expect(called).toBe(false);
  });

  it("refuses output outside the schema, oversized output and plans beyond the manifest", async () => {
    const run = (answer: unknown) =>
      connectPlugin(binding({ ...meanPlugin, run: () => answer }), manifest).run({
        protocol: 1,
        input: { variable: "heart-rate" },
        table,
      });
    expect((await codeOf(run({ mean: "high" }))).code).toBe("plugin_invalid_output");
    expect((await codeOf(run({ mean: 1, secret: "x".repeat(4000) }))).code).toBe("plugin_output_too_large");
    expect((await codeOf(run(undefined))).code).toBe("plugin_invalid_output");

    const greedy = connectPlugin(
      binding({ ...meanPlugin, plan: () => ({ all_in_categories: ["vital_signs", "diagnoses"] }) }),
      manifest,
    );
    const { code, errors } = await codeOf(greedy.plan({ variable: "x" }));
    expect(code).toBe("plugin_invalid_output");
    expect(errors).toEqual([{ path: "/all_in_categories", message: expect.stringMatching(/diagnoses/) }]);

    const malformed = connectPlugin(binding({ ...meanPlugin, plan: () => ({ variables: [] }) }), manifest);
    expect((await codeOf(malformed.plan({ variable: "x" }))).code).toBe("plugin_invalid_output");
  });

  it("times out, reports a plugin's exception and a missing binding", async () => {
    const slow = connectPlugin(binding({ ...meanPlugin, run: () => new Promise(() => {}) }), manifest);
    expect((await codeOf(slow.run({ protocol: 1, input: { variable: "a" }, table }))).code).toBe("plugin_timeout");

    const failing = connectPlugin(
      binding({
        ...meanPlugin,
        run: () => {
          throw new Error("division by zero");
        },
      }),
      manifest,
    );
    const failure = failing.run({ protocol: 1, input: { variable: "a" }, table });
    await expect(failure).rejects.toThrow(/run\(\) failed: division by zero/);
    expect((await codeOf(failure)).code).toBe("plugin_failed");

    expect((await codeOf(connectPlugin(binding(undefined), null).describe())).code).toBe("plugin_unreachable");
    expect((await codeOf(connectPlugin(binding({}), null).describe())).code).toBe("plugin_unreachable");
    const endpoint = endpointOf({ serviceBinding: "PLUGIN_GONE", url: null }, {}, async () => ({}));
    expect((await codeOf(connectPlugin(endpoint, null).describe())).code).toBe("plugin_unreachable");
  });

  it("refuses a describe() answer that is not a manifest", async () => {
    const { code, errors } = await codeOf(connectPlugin(binding({ describe: () => ({ id: "X" }) }), null).describe());
    expect(code).toBe("plugin_invalid_output");
    expect(Array.isArray(errors) && errors.length > 0).toBe(true);
  });

  it("keeps plan/run for analysis plugins and needs the manifest", async () => {
    await expect(connectPlugin(binding(meanPlugin), null).plan({ variable: "a" })).rejects.toThrow(TypeError);
    await expect(
      connectPlugin(binding(meanPlugin), manifest).render({
        protocol: 1,
        kind: "timeline",
        input: {},
        table: null,
        analysis: null,
      }),
    ).rejects.toThrow(/visualization/);
  });
});

describe("connectPlugin over HTTPS, signed", () => {
  const issuer = "https://api.dfda.test";
  const pluginUrl = "https://plugins.example.test/mean-of";

  async function keys() {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    return { privateKey, jwk };
  }

  /** The plugin's Worker, reached through `fetch`: every request goes through servePluginHttp. */
  async function setup(now = Date.now()) {
    const { privateKey, jwk } = await keys();
    const { createLocalJWKSet } = await import("jose");
    const jwks = createLocalJWKSet({ keys: [jwk] });
    const seen: Request[] = [];
    const pluginFetch: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      seen.push(request.clone());
      return servePluginHttp(meanPlugin, request, {
        issuer,
        audience: pluginUrl,
        keys: jwks,
        now,
        replay: memoryReplayGuard(),
      });
    };
    const signer = (url: string, method: Parameters<typeof signPlatformRequest>[0]["method"], body: string) =>
      signPlatformRequest({ key: privateKey, kid: "k1", issuer, audience: url, method, body, now });
    return { privateKey, jwks, pluginFetch, signer, seen };
  }

  it("calls describe, plan and run with a signature the plugin verifies", async () => {
    const { pluginFetch, signer, seen } = await setup();
    const endpoint = endpointOf({ serviceBinding: null, url: pluginUrl }, {}, signer, { fetch: pluginFetch });
    const client = connectPlugin(endpoint, manifest);
    expect((await client.describe()).version).toBe("1.2.0");
    expect(await client.run({ protocol: 1, input: { variable: "heart-rate" }, table })).toEqual({ mean: 63 });
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(["/mean-of/describe", "/mean-of/run"]);
    expect(seen[0]?.headers.get("Authorization")).toMatch(/^Bearer ey/);
  });

  it("the plugin refuses unsigned, tampered, replayed, expired and misaddressed requests", async () => {
    const now = Date.now();
    const { privateKey, jwks, signer } = await setup(now);
    const options = { issuer, audience: pluginUrl, keys: jwks, now, replay: memoryReplayGuard() };
    const body = JSON.stringify({ variable: "heart-rate" });
    const headers = await signer(pluginUrl, "plan", body);
    const post = (url: string, text: string, h: Record<string, string>) =>
      new Request(url, { method: "POST", body: text, headers: h });
    const reason = async (request: Request, opts = options) => {
      try {
        await verifyPlatformRequest(request, opts);
        return "accepted";
      } catch (error) {
        if (error instanceof PlatformRequestError) return error.reason;
        throw error;
      }
    };
    expect(await reason(post(`${pluginUrl}/plan`, body, {}))).toBe("missing_signature");
    expect(await reason(post(`${pluginUrl}/plan`, `${body} `, headers))).toBe("body_mismatch");
    expect(await reason(post(`${pluginUrl}/run`, body, headers))).toBe("wrong_request");
    expect(await reason(post(`${pluginUrl}/plan`, body, headers), { ...options, audience: "https://other.test" })).toBe(
      "wrong_audience",
    );
    expect(await reason(post(`${pluginUrl}/plan`, body, headers))).toBe("accepted");
    expect(await reason(post(`${pluginUrl}/plan`, body, headers))).toBe("replayed");
    expect(await reason(post(`${pluginUrl}/plan`, body, headers), { ...options, now: now + 120_000 })).toBe("expired");
    const other = await keys();
    const forged = await signPlatformRequest({
      key: other.privateKey,
      kid: "k1",
      issuer,
      audience: pluginUrl,
      method: "plan",
      body,
      now,
    });
    expect(await reason(post(`${pluginUrl}/plan`, body, forged))).toBe("invalid_signature");
    expect(privateKey).toBeDefined();

    const refused = await servePluginHttp(meanPlugin, post(`${pluginUrl}/plan`, body, {}), options);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    const unknown = await servePluginHttp(meanPlugin, post(`${pluginUrl}/render`, body, headers), options);
    expect(unknown.status).toBe(404);
  });

  it("maps HTTP failures: unreachable, an error answer, too large, not JSON, slow", async () => {
    const { signer } = await setup();
    const client = (respond: typeof fetch) =>
      connectPlugin(endpointOf({ serviceBinding: null, url: pluginUrl }, {}, signer, { fetch: respond }), manifest);
    const request: RunRequest = { protocol: 1, input: { variable: "heart-rate" }, table };
    const down: typeof fetch = async () => {
      throw new TypeError("fetch failed: ECONNREFUSED");
    };
    expect((await codeOf(client(down).run(request))).code).toBe("plugin_unreachable");
    const problem: typeof fetch = async () =>
      new Response(JSON.stringify({ title: "x", detail: "no such variable" }), {
        status: 500,
        headers: { "Content-Type": "application/problem+json" },
      });
    await expect(client(problem).run(request)).rejects.toThrow(/HTTP 500: no such variable/);
    const big: typeof fetch = async () => new Response(JSON.stringify({ mean: 1, pad: "x".repeat(5000) }));
    expect((await codeOf(client(big).run(request))).code).toBe("plugin_output_too_large");
    const html: typeof fetch = async () => new Response("<html>");
    expect((await codeOf(client(html).run(request))).code).toBe("plugin_invalid_output");
    const slow: typeof fetch = (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    expect((await codeOf(client(slow).run(request))).code).toBe("plugin_timeout");
  });

  it("caps a manifest's limits by the platform's", () => {
    const greedy = { ...manifest, limits: { timeout_ms: 300_000, max_output_bytes: 32 * 1024 * 1024 } };
    expect(effectiveLimits(greedy)).toEqual({
      timeout_ms: PLATFORM_LIMITS.timeout_ms,
      max_output_bytes: PLATFORM_LIMITS.max_output_bytes,
    });
    expect(effectiveLimits(manifest)).toEqual({ timeout_ms: 200, max_output_bytes: 2048 });
  });
});
