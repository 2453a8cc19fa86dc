/**
 * The charts plugin as the platform calls it, in workerd: over a real service binding (the test Worker
 * is bound to the built plugin Worker as `PLUGIN_CHARTS`, entrypoint `ChartsPlugin`,
 * plugins/example-mapper/test/wrangler.toml, exactly as the API Worker binds it) and over the signed
 * HTTPS form, both through the platform's own client (`connectPlugin`), which checks each input against
 * the manifest's JSON Schema and each answer against the protocol.
 */
import { env } from "cloudflare:workers";
import {
  connectPlugin,
  endpointOf,
  memoryReplayGuard,
  PluginCallError,
  PluginManifest,
  RenderResult,
  signPlatformRequest,
  VISUALIZATION_KINDS,
} from "@dfda/plugins";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { type ChartsPlugin, serveChartsHttp } from "../src/index";
import { CHARTS_MANIFEST } from "../src/manifest";
import { render } from "../src/render";
import { sampleRequests } from "./fixtures";
import { parseXml } from "./xml";

const plugin = Reflect.get(env, "PLUGIN_CHARTS") as Service<ChartsPlugin>;
const worker = Reflect.get(env, "CHARTS_PLUGIN_WORKER") as Fetcher;

async function callError(promise: Promise<unknown>): Promise<PluginCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PluginCallError) return error;
    throw error;
  }
  throw new Error("expected a PluginCallError");
}

describe("ChartsPlugin over a service binding", () => {
  it("describes itself with its manifest", async () => {
    const manifest = PluginManifest.parse(await plugin.describe());
    expect(manifest).toEqual(PluginManifest.parse(CHARTS_MANIFEST));
  });

  it("renders every kind through the platform's client, as the same code does in-process", async () => {
    const described = await connectPlugin({ kind: "binding", stub: plugin }, null).describe();
    const client = connectPlugin({ kind: "binding", stub: plugin }, described);
    const requests = sampleRequests();
    for (const kind of VISUALIZATION_KINDS) {
      const answer = RenderResult.parse(await client.render(requests[kind]));
      expect(answer).toEqual(render(requests[kind]));
      expect(parseXml(answer.body).attributes.role).toBe("img");
    }
  });

  it("has its options checked against its JSON Schema before the call", async () => {
    const client = connectPlugin({ kind: "binding", stub: plugin }, CHARTS_MANIFEST);
    const request = sampleRequests().scatter;
    for (const input of [{ width: 5 }, { colour: "red" }, { variables: ["Not A Slug"] }, { aggregate: "hourly" }]) {
      const error = await callError(client.render({ ...request, input }));
      expect(error.code).toBe("plugin_invalid_input");
      expect(error.errors?.length).toBeGreaterThan(0);
    }
    // Every option the documentation lists passes the schema.
    const all = {
      title: "All options",
      width: 700,
      height: 400,
      variables: ["mood"],
      variable: "mood",
      aggregate: "week",
      max_points: 50,
      timezone: "Europe/Berlin",
      top: 3,
    };
    expect(RenderResult.parse(await client.render({ ...request, input: all })).body).toContain("All options");
  });

  it("fails a malformed request with the plugin's error, and serves no public fetch without its settings", async () => {
    let error: unknown = null;
    try {
      await plugin.render({ protocol: 1, kind: "timeline" });
    } catch (e) {
      error = e;
    }
    // The exception crosses RPC as an Error with the plugin's message (the client reports plugin_failed).
    expect(String(error)).toMatch(/not a render request/);
    const res = await worker.fetch("https://charts.plugin/render", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe("ChartsPlugin over signed HTTPS", () => {
  const issuer = "https://api.dfda.test";
  const pluginUrl = "https://charts.plugins.example.test/v1";

  async function setup() {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    const options = {
      issuer,
      audience: pluginUrl,
      keys: createLocalJWKSet({ keys: [jwk] }),
      replay: memoryReplayGuard(),
    };
    const pluginFetch: typeof fetch = async (input, init) => serveChartsHttp(new Request(input, init), options);
    const signer = (url: string, method: "describe" | "plan" | "run" | "render", body: string) =>
      signPlatformRequest({ key: privateKey, kid: "k1", issuer, audience: url, method, body });
    return { options, pluginFetch, signer };
  }

  it("describes and renders for the platform's signed calls", async () => {
    const { pluginFetch, signer } = await setup();
    const endpoint = endpointOf({ serviceBinding: null, url: pluginUrl }, {}, signer, { fetch: pluginFetch });
    const manifest = await connectPlugin(endpoint, null).describe();
    expect(manifest.id).toBe("charts");
    const request = sampleRequests()["outcome-label"];
    expect(await connectPlugin(endpoint, manifest).render(request)).toEqual(render(request));
  });

  it("refuses an unsigned request", async () => {
    const { options } = await setup();
    const body = JSON.stringify(sampleRequests().scatter);
    const res = await serveChartsHttp(new Request(`${pluginUrl}/render`, { method: "POST", body }), options);
    expect(res.status).toBe(401);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });
});
