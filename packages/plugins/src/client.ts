/**
 * Calling a plugin (issue 14, docs/plugins.md "Calling a plugin"): the platform's one way to reach an
 * analysis or visualization plugin, over Workers RPC (a `WorkerEntrypoint` behind a service binding,
 * https://developers.cloudflare.com/workers/runtime-apis/rpc/) or over HTTPS (the same JSON bodies POSTed
 * to `<url>/<method>`, each request signed, ./signing.ts).
 *
 * Everything crossing the boundary is checked here: the input against the manifest's `input_schema`
 * before the call, the answer against the protocol (zod) and the manifest's `output_schema` after it,
 * its size against the manifest's `limits.max_output_bytes`, the time against `limits.timeout_ms`, both
 * capped by the platform (`PLATFORM_LIMITS`). Every failure is a `PluginCallError` with a stable code
 * the API answers as problem+json.
 */
import type { z } from "zod";
import { PluginManifest } from "./manifest";
import { DataPlan, type PluginMethod, type RenderRequest, RenderResult, type RunRequest } from "./protocol";
import { type SchemaError, validateAgainstSchema } from "./schema";
import { pluginMethodUrl } from "./signing";

export { type SchemaError, validateAgainstSchema } from "./schema";

/** The platform's ceilings on what a manifest may ask for (docs/plugins.md, "Limits"). */
export const PLATFORM_LIMITS = {
  /** A run or render; an analysis runs in the background, so this may be long. */
  timeout_ms: 120_000,
  max_output_bytes: 16 * 1024 * 1024,
  /** `describe()` is asked on registration, while an administrator waits. */
  describe_timeout_ms: 10_000,
  describe_max_bytes: 256 * 1024,
} as const;

export type PluginEndpoint =
  | { kind: "binding"; stub: unknown }
  | {
      kind: "https";
      url: string;
      sign: (method: PluginMethod, body: string) => Promise<Record<string, string>>;
      fetch?: typeof fetch;
    };

export const PLUGIN_CALL_ERROR_CODES = [
  "plugin_unreachable",
  "plugin_timeout",
  "plugin_failed",
  "plugin_invalid_input",
  "plugin_invalid_output",
  "plugin_output_too_large",
] as const;
export type PluginCallErrorCode = (typeof PLUGIN_CALL_ERROR_CODES)[number];

/**
 * A call that did not produce a valid answer. `message` is safe to show (it names the plugin's method
 * and the kind of failure, never a stack); `errors` lists schema failures (input or output).
 */
export class PluginCallError extends Error {
  readonly code: PluginCallErrorCode;
  readonly errors: SchemaError[] | undefined;

  constructor(code: PluginCallErrorCode, message: string, options: { errors?: SchemaError[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PluginCallError";
    this.code = code;
    this.errors = options.errors;
  }
}

export interface PluginClient {
  describe(): Promise<PluginManifest>;
  plan(input: unknown): Promise<DataPlan>;
  run(request: RunRequest): Promise<unknown>;
  render(request: RenderRequest): Promise<RenderResult>;
}

interface CallLimits {
  timeoutMs: number;
  maxBytes: number;
}

const encoder = new TextEncoder();

/** What a plugin's message may say in a problem: one line, bounded. */
function excerpt(text: string, max = 300): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, method: PluginMethod): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new PluginCallError("plugin_timeout", `${method}() did not answer within ${ms} ms.`));
    }, ms);
  });
  return Promise.race([Promise.resolve().then(() => work(controller.signal)), deadline]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * The ways an RPC call fails before reaching the plugin's code (the binding's Worker is not deployed,
 * or its entrypoint does not exist) are told apart by workerd's messages; anything else is the plugin's
 * own exception, `plugin_failed`.
 */
const UNREACHABLE =
  /not found|no such (service|worker|entrypoint)|not bound|could not connect|network connection lost|does not exist/i;

function isRpcTarget(value: unknown): value is Record<PluginMethod, (...args: unknown[]) => unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}

async function callBinding(
  stub: unknown,
  method: PluginMethod,
  argument: unknown,
  limits: CallLimits,
): Promise<unknown> {
  if (!isRpcTarget(stub)) {
    throw new PluginCallError("plugin_unreachable", "The plugin's service binding is not bound in this Worker.");
  }
  // An RPC stub answers any property with a callable stub; a plain object (or a Fetcher of a Worker without
  // RPC) may not: check that there is something to call before calling it.
  const fn: unknown = Reflect.get(stub, method);
  if (typeof fn !== "function") {
    throw new PluginCallError("plugin_unreachable", `The plugin's binding has no ${method}() method.`);
  }
  const args = method === "describe" ? [] : [argument];
  let answer: unknown;
  try {
    // Reflect.apply, not fn.apply: on an RPC stub `.apply` would itself be a remote method.
    answer = await withTimeout(async () => Reflect.apply(fn, stub, args), limits.timeoutMs, method);
  } catch (error) {
    if (error instanceof PluginCallError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/does not implement|is not a function|has no method/i.test(message)) {
      throw new PluginCallError("plugin_failed", `The plugin does not serve ${method}().`, { cause: error });
    }
    if (UNREACHABLE.test(message)) {
      throw new PluginCallError("plugin_unreachable", `The plugin could not be reached: ${excerpt(message)}`, {
        cause: error,
      });
    }
    throw new PluginCallError("plugin_failed", `${method}() failed: ${excerpt(message)}`, { cause: error });
  }
  // RPC answers are structured clones; the platform stores and forwards them as JSON, so their size is
  // the size of their JSON text.
  let text: string | undefined;
  try {
    text = JSON.stringify(answer);
  } catch (error) {
    throw new PluginCallError("plugin_invalid_output", `${method}() answered a value JSON cannot hold.`, {
      cause: error,
    });
  }
  if (text === undefined) throw new PluginCallError("plugin_invalid_output", `${method}() answered nothing.`);
  if (encoder.encode(text).byteLength > limits.maxBytes) {
    throw new PluginCallError("plugin_output_too_large", `${method}() answered more than ${limits.maxBytes} bytes.`);
  }
  // Re-parsed: what is validated and stored is exactly the JSON (no Dates, Maps or undefined members).
  return JSON.parse(text) as unknown;
}

async function readLimited(response: Response, maxBytes: number, method: PluginMethod): Promise<string> {
  const declared = Number(response.headers.get("Content-Length") ?? "0");
  const tooLarge = () =>
    new PluginCallError("plugin_output_too_large", `${method}() answered more than ${maxBytes} bytes.`);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

async function callHttps(
  endpoint: Extract<PluginEndpoint, { kind: "https" }>,
  method: PluginMethod,
  argument: unknown,
  limits: CallLimits,
): Promise<unknown> {
  const body = method === "describe" ? "{}" : JSON.stringify(argument ?? null);
  const headers = await endpoint.sign(method, body);
  const doFetch = endpoint.fetch ?? fetch;
  return withTimeout(
    async (signal) => {
      let response: Response;
      try {
        response = await doFetch(pluginMethodUrl(endpoint.url, method), {
          method: "POST",
          headers: { ...headers, "Content-Type": "application/json", Accept: "application/json" },
          body,
          signal,
          // A signature names one URL (`htu`): a redirect would send it elsewhere, so none is followed.
          redirect: "manual",
        });
      } catch (error) {
        if (signal.aborted) throw new PluginCallError("plugin_timeout", `${method}() did not answer in time.`);
        const message = error instanceof Error ? error.message : String(error);
        throw new PluginCallError("plugin_unreachable", `The plugin could not be reached: ${excerpt(message)}`, {
          cause: error,
        });
      }
      if (!response.ok) {
        const text = await readLimited(response, 16 * 1024, method).catch(() => "");
        let detail = text;
        try {
          // A plugin that answers problem+json (RFC 9457) has its `detail` (or `title`) quoted.
          const problem = JSON.parse(text) as { detail?: unknown; title?: unknown };
          detail = String(problem.detail ?? problem.title ?? text);
        } catch {
          // Not JSON: the text itself, bounded.
        }
        const code: PluginCallErrorCode =
          response.status === 404 || (response.status >= 300 && response.status < 400)
            ? "plugin_unreachable"
            : "plugin_failed";
        throw new PluginCallError(
          code,
          `${method}() answered HTTP ${response.status}${detail === "" ? "" : `: ${excerpt(detail)}`}`,
        );
      }
      const text = await readLimited(response, limits.maxBytes, method);
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new PluginCallError("plugin_invalid_output", `${method}() did not answer JSON.`, { cause: error });
      }
    },
    limits.timeoutMs,
    method,
  );
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown, method: PluginMethod): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.slice(0, 20).map((issue) => ({
    path:
      issue.path.length === 0
        ? ""
        : `/${issue.path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`,
    message: issue.message,
  }));
  throw new PluginCallError("plugin_invalid_output", `${method}() answered something that is not the protocol's.`, {
    errors,
  });
}

/** The manifest's limits, capped by the platform's. */
export function effectiveLimits(manifest: PluginManifest): { timeout_ms: number; max_output_bytes: number } {
  return {
    timeout_ms: Math.min(manifest.limits.timeout_ms, PLATFORM_LIMITS.timeout_ms),
    max_output_bytes: Math.min(manifest.limits.max_output_bytes, PLATFORM_LIMITS.max_output_bytes),
  };
}

/**
 * A client for one plugin. With `manifest` null only `describe()` may be called (registration asks it
 * for the manifest); the other methods check against the stored manifest and throw a TypeError without it.
 *
 * @example
 * const client = connectPlugin({ kind: "binding", stub: env.PLUGIN_N_OF_1 }, row.manifest);
 * const plan = await client.plan(input);            // input checked against manifest.input_schema
 * const result = await client.run({ protocol: 1, input, table }); // output checked against output_schema
 */
export function connectPlugin(endpoint: PluginEndpoint, manifest: PluginManifest | null): PluginClient {
  const call = (method: PluginMethod, argument: unknown, limits: CallLimits) =>
    endpoint.kind === "binding"
      ? callBinding(endpoint.stub, method, argument, limits)
      : callHttps(endpoint, method, argument, limits);

  const need = (
    method: PluginMethod,
    kind: PluginManifest["kind"],
  ): { manifest: PluginManifest; limits: CallLimits } => {
    if (manifest === null) throw new TypeError(`${method}() needs the plugin's manifest`);
    if (manifest.kind !== kind)
      throw new TypeError(`${method}() is for ${kind} plugins; ${manifest.id} is ${manifest.kind}`);
    const limits = effectiveLimits(manifest);
    return { manifest, limits: { timeoutMs: limits.timeout_ms, maxBytes: limits.max_output_bytes } };
  };

  const checkInput = (m: PluginManifest, input: unknown) => {
    const errors = validateAgainstSchema(m.input_schema, input);
    if (errors.length > 0) {
      throw new PluginCallError("plugin_invalid_input", `The input does not match ${m.id}'s input schema.`, { errors });
    }
  };

  const checkOutput = (m: PluginManifest, output: unknown, method: PluginMethod) => {
    const errors = validateAgainstSchema(m.output_schema, output);
    if (errors.length > 0) {
      throw new PluginCallError(
        "plugin_invalid_output",
        `${method}() answered something its output schema does not allow.`,
        {
          errors,
        },
      );
    }
  };

  return {
    async describe() {
      const answer = await call("describe", undefined, {
        timeoutMs: PLATFORM_LIMITS.describe_timeout_ms,
        maxBytes: PLATFORM_LIMITS.describe_max_bytes,
      });
      return parseWith(PluginManifest, answer, "describe");
    },

    async plan(input) {
      const { manifest: m, limits } = need("plan", "analysis");
      checkInput(m, input);
      const plan = parseWith(DataPlan, await call("plan", input, limits), "plan");
      // A plugin asks only for what its manifest declares (and an administrator saw on registration).
      const undeclared = plan.all_in_categories.filter((c) => !m.data.categories.includes(c));
      const errors: SchemaError[] = undeclared.map((c) => ({
        path: "/all_in_categories",
        message: `"${c}" is not among the manifest's data categories.`,
      }));
      if (!m.data.resolutions.includes(plan.resolution)) {
        errors.push({ path: "/resolution", message: `"${plan.resolution}" is not among the manifest's resolutions.` });
      }
      if (errors.length > 0) {
        throw new PluginCallError("plugin_invalid_output", "plan() asked for data its manifest does not declare.", {
          errors,
        });
      }
      return plan;
    },

    async run(request) {
      const { manifest: m, limits } = need("run", "analysis");
      checkInput(m, request.input);
      const output = await call("run", request, limits);
      checkOutput(m, output, "run");
      return output;
    },

    async render(request) {
      const { manifest: m, limits } = need("render", "visualization");
      checkInput(m, request.input);
      // The answer's shape is the protocol's (RenderResult, an SVG document); a visualization's
      // output_schema documents it and is not checked again.
      return parseWith(RenderResult, await call("render", request, limits), "render");
    },
  };
}

/**
 * The endpoint of a registered plugin: its service binding in `env` (present or not: a missing one fails
 * the first call with `plugin_unreachable`), or its URL with requests signed by `signer`.
 *
 * @example
 * const endpoint = endpointOf(row, env, platformSigner(db, config)); // workers/api/src/lib/plugins.ts
 */
export function endpointOf(
  row: { serviceBinding: string | null; url: string | null },
  env: object,
  signer: (url: string, method: PluginMethod, body: string) => Promise<Record<string, string>>,
  options: { fetch?: typeof fetch } = {},
): PluginEndpoint {
  if (row.serviceBinding !== null) return { kind: "binding", stub: Reflect.get(env, row.serviceBinding) };
  if (row.url !== null) {
    const url = row.url;
    return {
      kind: "https",
      url,
      sign: (method, body) => signer(url, method, body),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    };
  }
  throw new TypeError("A plugin row has a service binding or a URL");
}
