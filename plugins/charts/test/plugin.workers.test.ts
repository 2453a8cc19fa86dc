/**
 * The charts plugin across a real service binding in workerd: the test Worker is bound to the built
 * plugin Worker (`PLUGIN_CHARTS`, entrypoint `ChartsPlugin`, plugins/example-mapper/test/wrangler.toml)
 * exactly as the API Worker binds it, and calls `describe` and `render` over Workers RPC.
 */
import { env } from "cloudflare:workers";
import { PluginManifest, RenderResult, VISUALIZATION_KINDS } from "@dfda/plugins";
import { describe, expect, it } from "vitest";
import type { ChartsPlugin } from "../src/index";
import { CHARTS_MANIFEST } from "../src/manifest";
import { render } from "../src/render";
import { sampleRequests } from "./fixtures";
import { parseXml } from "./xml";

const plugin = Reflect.get(env, "PLUGIN_CHARTS") as Service<ChartsPlugin>;
const worker = Reflect.get(env, "CHARTS_PLUGIN_WORKER") as Fetcher;

describe("ChartsPlugin over a service binding", () => {
  it("describes itself with its manifest", async () => {
    const manifest = PluginManifest.parse(await plugin.describe());
    expect(manifest).toEqual(PluginManifest.parse(CHARTS_MANIFEST));
  });

  it("renders every kind, as the same code does in-process", async () => {
    const requests = sampleRequests();
    for (const kind of VISUALIZATION_KINDS) {
      const answer = RenderResult.parse(await plugin.render(requests[kind]));
      expect(answer).toEqual(render(requests[kind]));
      expect(parseXml(answer.body).attributes.role).toBe("img");
    }
  });

  it("fails a malformed request with the plugin's error, and serves no public fetch", async () => {
    let error: unknown = null;
    try {
      await plugin.render({ protocol: 1, kind: "timeline" });
    } catch (e) {
      error = e;
    }
    // The exception crosses RPC as an Error with the plugin's message (what the client reports as plugin_failed).
    expect(String(error)).toMatch(/not a render request/);
    const res = await worker.fetch("https://charts.plugin/render", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});
