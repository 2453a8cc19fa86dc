/**
 * The N-of-1 analysis plugin Worker (issue 14; docs/plugins.md, "The N-of-1 analysis plugin"). Its named
 * entrypoint `NOf1Plugin` serves the analysis protocol of @dfda/plugins over Workers RPC; the calling
 * Worker binds it with `[[services]] binding = "PLUGIN_N_OF_1" … entrypoint = "NOf1Plugin"`. It does no
 * I/O: the platform hands it the aligned table it may see, and it answers with numbers.
 *
 * Its default `fetch` answers 404, unless the deployment sets `PLUGIN_URL` (this Worker's base URL as an
 * administrator registers it) and `PLATFORM_ISSUER` (the platform's issuer, whose JWK Set verifies each
 * request): then the same code serves the HTTPS form of the protocol (`POST <url>/describe|plan|run`,
 * signed by the platform; `servePluginHttp`, docs/plugins.md "Serving over HTTPS"), for a platform that
 * reaches it by URL instead of a service binding.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import {
  type AnalysisPluginRpc,
  type DataPlan,
  type NOf1Result,
  type PluginManifest,
  type RunRequest,
  servePluginHttp,
} from "@dfda/plugins";
import { MANIFEST, plan, run } from "./contract";

/** The plugin's methods, shared by the RPC entrypoint and the HTTPS form. */
export const nOf1Plugin = {
  describe: (): PluginManifest => MANIFEST,
  plan: (input: unknown): DataPlan => plan(input),
  run: (request: RunRequest): NOf1Result => run(request),
};

/** Workers RPC exposes the methods declared on the class, so each is written out. */
export class NOf1Plugin extends WorkerEntrypoint implements AnalysisPluginRpc {
  describe(): PluginManifest {
    return nOf1Plugin.describe();
  }

  plan(input: unknown): DataPlan {
    return nOf1Plugin.plan(input);
  }

  run(request: RunRequest): NOf1Result {
    return nOf1Plugin.run(request);
  }
}

/** The optional vars of the HTTPS form (none in wrangler.toml: RPC only by default). */
interface HttpsEnv {
  PLUGIN_URL?: string;
  PLATFORM_ISSUER?: string;
}

export default {
  fetch(request: Request, env: HttpsEnv): Response | Promise<Response> {
    if (!env.PLUGIN_URL || !env.PLATFORM_ISSUER) return new Response("Not found", { status: 404 });
    return servePluginHttp(nOf1Plugin, request, { issuer: env.PLATFORM_ISSUER, audience: env.PLUGIN_URL });
  },
} satisfies ExportedHandler<HttpsEnv>;
