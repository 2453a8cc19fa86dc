/**
 * The charts visualization plugin Worker (issue 14, docs/plugins.md "The charts plugin"). Its named
 * entrypoint `ChartsPlugin` serves the visualization protocol (`describe`, `render`) over Workers RPC;
 * a calling Worker binds it with `[[services]] … entrypoint = "ChartsPlugin"`.
 *
 * The same code also answers the HTTPS form (`POST <url>/describe|render`, each request signed by the
 * platform: packages/plugins/src/http.ts) when the Worker is deployed with `PLATFORM_ISSUER` (the
 * platform's issuer, whose JWK Set verifies the signatures) and `PLUGIN_URL` (this plugin's URL exactly
 * as registered). Without them its default `fetch` answers 404: RPC only.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import {
  type PluginManifest,
  type RenderResult,
  servePluginHttp,
  type VerifyPlatformRequestOptions,
  type VisualizationPluginRpc,
} from "@dfda/plugins";
import { CHARTS_MANIFEST } from "./manifest";
import { render } from "./render";

interface ChartsEnv {
  PLATFORM_ISSUER?: string;
  PLUGIN_URL?: string;
}

/** The plugin as plain functions: what both the RPC entrypoint and the HTTPS form serve. */
export const chartsPlugin = {
  describe: (): PluginManifest => CHARTS_MANIFEST,
  render: (request: unknown): RenderResult => render(request),
};

/**
 * Answers one HTTPS request: signed by the platform for `options.audience`, or refused (401).
 *
 * @example
 * serveChartsHttp(request, { issuer: "https://api.example.org", audience: "https://charts.example.org" });
 */
export function serveChartsHttp(request: Request, options: VerifyPlatformRequestOptions): Promise<Response> {
  return servePluginHttp(chartsPlugin, request, options);
}

/** Workers RPC exposes the methods declared on the class (not instance properties), so each is written out. */
export class ChartsPlugin extends WorkerEntrypoint implements VisualizationPluginRpc {
  describe(): PluginManifest {
    return chartsPlugin.describe();
  }

  render(request: unknown): RenderResult {
    return chartsPlugin.render(request);
  }
}

export default {
  fetch(request: Request, env: ChartsEnv): Promise<Response> | Response {
    if (!env.PLATFORM_ISSUER || !env.PLUGIN_URL) return new Response("Not found", { status: 404 });
    return serveChartsHttp(request, { issuer: env.PLATFORM_ISSUER, audience: env.PLUGIN_URL });
  },
} satisfies ExportedHandler<ChartsEnv>;
