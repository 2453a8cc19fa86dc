/**
 * The template analysis plugin Worker (plugins/template/README.md). Its named entrypoint `TemplatePlugin`
 * serves the analysis protocol over Workers RPC; the API Worker binds it with
 * `[[services]] … entrypoint = "TemplatePlugin"` and an administrator registers the binding.
 *
 * The same code also answers the HTTPS form (`POST <url>/describe|plan|run|render`, each request signed by
 * the platform) when the Worker is deployed with `PLATFORM_ISSUER` (the platform's issuer, whose JWKS
 * verifies the signatures) and `PLUGIN_URL` (this plugin's URL exactly as registered). Without them its
 * default `fetch` answers 404: RPC only.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { type AnalysisPluginRpc, type RunRequest, servePluginHttp } from "@dfda/plugins";
import { templatePlugin } from "./plugin";

interface TemplateEnv {
  PLATFORM_ISSUER?: string;
  PLUGIN_URL?: string;
}

/** Workers RPC exposes the methods declared on the class (not instance properties), so each is written out. */
export class TemplatePlugin extends WorkerEntrypoint implements AnalysisPluginRpc {
  describe() {
    return templatePlugin.describe();
  }

  plan(input: unknown) {
    return templatePlugin.plan(input);
  }

  run(request: RunRequest) {
    return templatePlugin.run(request);
  }
}

export default {
  fetch(request: Request, env: TemplateEnv): Promise<Response> | Response {
    if (!env.PLATFORM_ISSUER || !env.PLUGIN_URL) return new Response("Not found", { status: 404 });
    return servePluginHttp(templatePlugin, request, { issuer: env.PLATFORM_ISSUER, audience: env.PLUGIN_URL });
  },
} satisfies ExportedHandler<TemplateEnv>;
