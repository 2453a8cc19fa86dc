/**
 * The HTTPS form of a plugin (docs/plugins.md, "Serving over HTTPS"): the same implementation a
 * `WorkerEntrypoint` serves over RPC, answered as `POST <url>/describe|plan|run|render` with JSON bodies,
 * for plugins hosted outside the platform's Cloudflare account. Every request must carry the platform's
 * signature (./signing.ts); failures answer RFC 9457 problem+json.
 */
import { HTTP_METHODS, type PluginMethod, RenderRequest, RunRequest } from "./protocol";
import {
  PlatformRequestError,
  type VerifyPlatformRequestOptions,
  verifyPlatformRequest,
  withoutTrailingSlashes,
} from "./signing";

/** What a plugin implements: `describe` always, and the methods of its kind. */
export interface ServablePlugin {
  describe(): unknown;
  plan?(input: unknown): unknown;
  run?(request: RunRequest): unknown;
  render?(request: RenderRequest): unknown;
}

function problem(status: number, code: string, title: string, detail: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail, code }), {
    status,
    headers: { "Content-Type": "application/problem+json", ...headers },
  });
}

/**
 * Answers one HTTPS request for `plugin`. Requests the platform did not sign for this plugin's URL
 * (`options.audience`) get 401; unknown methods 404; bodies that are not the protocol's 400; a plugin that
 * throws 500 with its message (what an RPC caller would see of the same exception).
 *
 * @example
 * export default {
 *   fetch: (request, env) => env.PLUGIN_URL
 *     ? servePluginHttp(plugin, request, { issuer: env.PLATFORM_ISSUER, audience: env.PLUGIN_URL })
 *     : new Response("Not found", { status: 404 }),
 * } satisfies ExportedHandler<Env>;
 */
export async function servePluginHttp(
  plugin: ServablePlugin,
  request: Request,
  options: VerifyPlatformRequestOptions,
): Promise<Response> {
  const path = withoutTrailingSlashes(new URL(request.url).pathname);
  const name = path.slice(path.lastIndexOf("/") + 1);
  const method = (HTTP_METHODS as readonly string[]).includes(name) ? (name as PluginMethod) : null;
  const handler: unknown = method === null ? undefined : Reflect.get(plugin, method);
  if (method === null || typeof handler !== "function") {
    return problem(404, "not_found", "Not found", "This plugin serves no such method.");
  }
  if (request.method !== "POST") {
    return new Response(null, { status: 405, headers: { Allow: "POST" } });
  }
  let body: string;
  try {
    ({ body } = await verifyPlatformRequest(request, options));
  } catch (error) {
    if (error instanceof PlatformRequestError) {
      if (error.reason === "body_too_large")
        return problem(413, "payload_too_large", "Payload too large", error.message);
      // RFC 6750 §3: the challenge names the scheme; the reason is in the problem.
      return problem(401, "unauthorized", "Not signed by the platform", error.message, {
        "WWW-Authenticate": `Bearer error="invalid_token"`,
      });
    }
    throw error;
  }
  let argument: unknown;
  try {
    argument = JSON.parse(body);
  } catch {
    return problem(400, "malformed_body", "The request body could not be parsed", "The body is not JSON.");
  }
  if (method === "run" || method === "render") {
    const parsed = (method === "run" ? RunRequest : RenderRequest).safeParse(argument);
    if (!parsed.success) {
      return problem(400, "validation_failed", "The request is not valid", parsed.error.issues[0]?.message ?? "");
    }
    argument = parsed.data;
  }
  try {
    const answer = await (handler as (arg?: unknown) => unknown).apply(plugin, method === "describe" ? [] : [argument]);
    return new Response(JSON.stringify(answer), { headers: { "Content-Type": "application/json" } });
  } catch (error) {
    return problem(500, "plugin_failed", "The plugin failed", error instanceof Error ? error.message : String(error));
  }
}
