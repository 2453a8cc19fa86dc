/**
 * Mapper plugins: a Worker outside the core adds a file format by exposing a `WorkerEntrypoint` that
 * speaks `MapperPluginRpc`; the mapper Worker reaches it through a service binding and uses it like a
 * core mapper (docs/plugins.md). Both ends live here: `servePlugin` (the plugin side: wraps a `Mapper`)
 * and `pluginMapper` / `pluginMappersFor` (the platform side: a `Mapper` backed by the binding).
 *
 * The contract follows what Workers RPC carries
 * (https://developers.cloudflare.com/workers/runtime-apis/rpc/): structured-clonable values, byte
 * `ReadableStream`s with flow control, and stubs.
 * - `describe()` and `detect()` answer plain data. `Mapper.detect` is synchronous and RPC is not, so the
 *   platform asks every plugin first (`pluginMappersFor`) and hands `detectFormat` mappers whose
 *   `detect` answers the score their plugin gave this file.
 * - `map()` takes the file as a byte stream and answers a byte stream of NDJSON `MapEvent`s: one call
 *   per file, backpressure end to end, nothing held whole, and every event is one line of text the
 *   platform parses and validates as untrusted input (a bad line becomes a `plugin_protocol` issue).
 *   An async iterator cannot cross RPC, and streams of objects are not supported (only bytes).
 * - No variable lookup crosses: `VariableLookup.byLabel` is synchronous while a function stub can only
 *   answer a promise (one round trip per label), and a plugin need not see a tenant's catalogue. A
 *   plugin names what it reads with codings, which the pipeline resolves (reference data, then the
 *   tenant's local code mappings); explicit column mappings (`columns`) and `timezone` do cross.
 *
 * Everything a plugin answers is parsed with zod here; a plugin cannot crash the mapper Worker, take a
 * core mapper's id (plugin ids are `plugin:<id>`) or slip an unvalidated observation into the pipeline.
 */
import {
  type ColumnMapping,
  DETECT_HEAD_BYTES,
  type DetectInput,
  type MapContext,
  type MapEvent,
  type Mapper,
  type MappingIssue,
  type VariableLookup,
} from "@dfda/core";
import { z } from "zod";

/** Version of the contract; a plugin answers it in `describe()`. */
export const PLUGIN_PROTOCOL = 1;
/** Every plugin mapper's id starts with this, so it can never shadow a core mapper's. */
export const PLUGIN_ID_PREFIX = "plugin:";
/** The issue code for anything a plugin sends that breaks the contract. */
export const PLUGIN_PROTOCOL_ISSUE = "plugin_protocol";
/** How long `describe()` and `detect()` may take before the plugin is skipped for this file. */
export const PLUGIN_CALL_TIMEOUT_MS = 10_000;
/** The longest output line (one event) accepted, in UTF-16 code units. */
export const MAX_PLUGIN_EVENT_CHARS = 1024 * 1024;
/** After this many protocol issues in one file the rest of the plugin's output is ignored. */
export const MAX_PLUGIN_PROTOCOL_ISSUES = 100;
/** The env var that lists the plugin bindings, comma-separated. */
export const MAPPER_PLUGINS_VAR = "MAPPER_PLUGINS";

/** The text a plugin sends per stream chunk, roughly (events are batched into chunks of this size). */
const OUTPUT_CHUNK_CHARS = 16 * 1024;

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** What `describe()` answers. */
export const PluginDescription = z.object({
  protocol: z.literal(PLUGIN_PROTOCOL),
  /** A slug without `:`; the platform prefixes it with `plugin:`. */
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,62}$/,
      "must be a lowercase slug (a-z, 0-9, `.`, `_`, `-`) of at most 63 characters",
    ),
  version: z.string().max(64).regex(SEMVER, "must be a semantic version"),
  description: z.string().min(1).max(1_000),
});
export type PluginDescription = z.infer<typeof PluginDescription>;

/** What `detect()` takes: the head of the file (the plugin decodes it as `detectInput` does) and its metadata. */
export interface PluginDetectRequest {
  head: Uint8Array;
  name: string | null;
  contentType: string | null;
}
const PluginDetectRequestSchema = z.object({
  head: z
    .instanceof(Uint8Array)
    .refine((bytes) => bytes.byteLength <= DETECT_HEAD_BYTES, `must be at most ${DETECT_HEAD_BYTES} bytes`),
  name: z.string().max(1_024).nullable(),
  contentType: z.string().max(255).nullable(),
});

/** What `detect()` answers: 0 (not this format) … 1 (certainly this format). */
const PluginScore = z.number().min(0).max(1);

const PluginColumnMapping = z.object({
  variable_id: z.string().max(200).nullable(),
  unit: z.string().max(100).optional(),
});

/** The part of `MapContext` that crosses to a plugin. */
export interface PluginMapContext {
  columns?: Record<string, ColumnMapping>;
  timezone?: string;
}
const PluginMapContextSchema = z.object({
  columns: z.record(z.string().max(1_000), PluginColumnMapping).optional(),
  timezone: z.string().max(64).optional(),
});

const SourceCodingSchema = z.object({
  system: z.string().min(1).max(500),
  code: z.string().min(1).max(200),
  display: z.string().max(1_000).optional(),
});

const MappedObservationSchema = z.object({
  codings: z.array(SourceCodingSchema).max(50),
  variable_id: z.string().min(1).max(200).optional(),
  value: z.union([z.number(), z.string().max(10_000), z.boolean()]),
  unit: z.string().max(100).optional(),
  start_at: z.string().min(1).max(64),
  end_at: z.string().min(1).max(64).optional(),
  note: z.string().max(10_000).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  location: z.string().min(1).max(500),
});

const MappingIssueSchema = z.object({
  location: z.string().max(500).nullable(),
  code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a snake_case code"),
  severity: z.enum(["info", "warning", "error"]),
  message: z.string().min(1).max(2_000),
});

/**
 * One line of `map()`'s output. Shapes only: what an observation means (codes, units, times, ranges)
 * is checked by the ingestion pipeline exactly as for a core mapper.
 */
export const PluginEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("observation"), observation: MappedObservationSchema }),
  z.object({ kind: z.literal("issue"), issue: MappingIssueSchema }),
]);

/**
 * The RPC contract a plugin Worker's `WorkerEntrypoint` implements (build it with `servePlugin`).
 *
 * @example
 * ```ts
 * import { WorkerEntrypoint } from "cloudflare:workers";
 *
 * const plugin = servePlugin(myMapper);
 *
 * export class MyMapper extends WorkerEntrypoint implements MapperPluginRpc {
 *   describe() { return plugin.describe(); }
 *   detect(input: PluginDetectRequest) { return plugin.detect(input); }
 *   map(source: ReadableStream<Uint8Array>, context: PluginMapContext) { return plugin.map(source, context); }
 * }
 * ```
 */
export interface MapperPluginRpc {
  describe(): Promise<PluginDescription>;
  detect(input: PluginDetectRequest): Promise<number>;
  /** Answers the events as NDJSON (one `MapEvent` per line, UTF-8), in file order. */
  map(source: ReadableStream<Uint8Array>, context: PluginMapContext): Promise<ReadableStream<Uint8Array>>;
}

/** A plugin call that failed (not a malformed answer, which becomes a `plugin_protocol` issue). */
export class PluginError extends Error {
  override readonly name = "PluginError";
  /**
   * @param plugin The plugin's mapper id, or its binding name before `describe()` answered.
   * @param detail What went wrong, for logs only: it may quote the plugin or the file.
   */
  constructor(
    readonly plugin: string,
    readonly operation: "describe" | "detect" | "map",
    readonly detail: string,
  ) {
    super(`The mapper plugin ${plugin} failed (${operation}).`);
  }
}

/** A structured log line (the default writes it to `console.error` as JSON, like the Workers do). */
export type PluginLog = (entry: { level: "warn" | "error"; event: string; [field: string]: unknown }) => void;

export interface PluginOptions {
  /** Timeout of `describe()` and `detect()` (default PLUGIN_CALL_TIMEOUT_MS). */
  timeoutMs?: number;
  log?: PluginLog;
}

const consoleLog: PluginLog = (entry) => console.error(JSON.stringify(entry));

/** A mapper served by a plugin Worker. */
export interface PluginMapper extends Mapper {
  /** The service binding it is reached through. */
  binding: string;
  /**
   * Asks the plugin for a file's score. Never rejects: a failure, a timeout or a malformed answer
   * scores 0 (and is logged). `detect` itself answers 0; use `detectPlugins`.
   */
  score(input: PluginDetectRequest | DetectInput): Promise<number>;
}

/** A plugin's mapper for one file: its `detect` answers the score the plugin gave that file. */
export interface PluginDetection {
  mapper: PluginMapper;
  score: number;
}

/** A service binding that looks like a plugin's RPC stub. */
export interface PluginBinding {
  name: string;
  rpc: MapperPluginRpc;
}

const NO_LOOKUP: VariableLookup = { byLabel: () => null };

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

function zodText(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return "invalid";
  const path = first.path.map(String).join(".");
  return `${path === "" ? "" : `${path}: `}${first.message}`;
}

/** Runs `fn` (which may throw synchronously or answer an RPC thenable) with a deadline. */
async function callWithTimeout<T>(fn: () => Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(fn), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A source as the byte stream RPC can carry (a `ReadableStream` passes as it is). */
function toByteStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  if (source instanceof ReadableStream) return source;
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

function pluginContext(context: MapContext): PluginMapContext {
  return {
    ...(context.columns === undefined ? {} : { columns: context.columns }),
    ...(context.timezone === undefined ? {} : { timezone: context.timezone }),
  };
}

function protocolIssue(plugin: string, location: string | null, message: string): MapEvent {
  const issue: MappingIssue = {
    location,
    code: PLUGIN_PROTOCOL_ISSUE,
    severity: "error",
    message: `The mapper plugin ${plugin} ${message}`.slice(0, 2_000),
  };
  return { kind: "issue", issue };
}

/** The file location an invalid event claims, if it names one, so its issue points at the right line. */
function claimedLocation(json: unknown): string | null {
  if (typeof json !== "object" || json === null) return null;
  for (const key of ["observation", "issue"]) {
    const inner: unknown = Reflect.get(json, key);
    if (typeof inner !== "object" || inner === null) continue;
    const location: unknown = Reflect.get(inner, "location");
    if (typeof location === "string" && location.length > 0 && location.length <= 500) return location;
  }
  return null;
}

type ParsedLine = { event: MapEvent } | { problem: { location: string | null; message: string } } | null;

function parseLine(text: string, n: number): ParsedLine {
  const line = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (line.trim() === "") return null;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { problem: { location: null, message: `sent output line ${n} that is not JSON.` } };
  }
  const parsed = PluginEvent.safeParse(json);
  if (!parsed.success) {
    return {
      problem: {
        location: claimedLocation(json),
        message: `sent an invalid event (output line ${n}): ${zodText(parsed.error)}.`,
      },
    };
  }
  // The line came from JSON.parse, which never yields `undefined`: an optional member is absent or a
  // value, so zod's `T | undefined` members are the exact optional members of `MapEvent`.
  return { event: parsed.data as MapEvent };
}

/** Reads a plugin's NDJSON output: valid events pass, anything else becomes a `plugin_protocol` issue. */
async function* readEvents(
  output: ReadableStream<Uint8Array>,
  plugin: string,
  log: PluginLog,
): AsyncGenerator<MapEvent> {
  const reader = output.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
  let buffer = "";
  let lineNumber = 0;
  /** Inside an over-long line, already reported: its rest is dropped up to the next newline. */
  let discarding = false;
  let problems = 0;
  let finished = false;
  const tooMany = () =>
    protocolIssue(
      plugin,
      null,
      `sent ${MAX_PLUGIN_PROTOCOL_ISSUES} invalid events; the rest of its output for this file was ignored.`,
    );
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        const failure = new PluginError(plugin, "map", `its output stream failed: ${errorText(error)}`);
        log({ level: "error", event: "mapper_plugin_failed", plugin, operation: "map", error: failure.detail });
        throw failure;
      }
      if (next.done) break;
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) {
        yield protocolIssue(plugin, null, "sent a stream chunk that is not bytes; the rest of its output was ignored.");
        return;
      }
      buffer += decoder.decode(chunk, { stream: true });
      const pieces = buffer.split("\n");
      buffer = pieces.pop() ?? "";
      for (const piece of pieces) {
        lineNumber += 1;
        if (discarding) {
          discarding = false;
          continue;
        }
        const parsed = parseLine(piece, lineNumber);
        if (parsed === null) continue;
        if ("event" in parsed) {
          yield parsed.event;
          continue;
        }
        yield protocolIssue(plugin, parsed.problem.location, parsed.problem.message);
        if (++problems >= MAX_PLUGIN_PROTOCOL_ISSUES) {
          yield tooMany();
          return;
        }
      }
      if (buffer.length > MAX_PLUGIN_EVENT_CHARS) {
        buffer = "";
        if (!discarding) {
          discarding = true;
          yield protocolIssue(
            plugin,
            null,
            `sent output line ${lineNumber + 1} longer than ${MAX_PLUGIN_EVENT_CHARS} characters; it was skipped.`,
          );
          if (++problems >= MAX_PLUGIN_PROTOCOL_ISSUES) {
            yield tooMany();
            return;
          }
        }
      }
    }
    finished = true;
    buffer += decoder.decode();
    if (!discarding && buffer !== "") {
      // A last line without its newline is accepted.
      const parsed = parseLine(buffer, lineNumber + 1);
      if (parsed !== null) {
        yield "event" in parsed ? parsed.event : protocolIssue(plugin, parsed.problem.location, parsed.problem.message);
      }
    }
  } finally {
    // Stopped early (too many problems, or the consumer stopped iterating): tell the plugin.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * The platform side: a `Mapper` backed by a plugin's RPC stub. Asks `describe()` once (rejects with a
 * `PluginError` when the plugin does not answer a valid description); the mapper's id is
 * `plugin:<id>`. Its `map` validates every event; a plugin that fails while mapping (its call rejects
 * or its output stream errors) makes `map` throw a `PluginError`, so the file is retried rather than
 * committed half-mapped.
 *
 * @example
 * ```ts
 * const mapper = await pluginMapper(env.MAPPER_PLUGIN_BP, { binding: "MAPPER_PLUGIN_BP" });
 * const score = await mapper.score(detectInput(head, name, contentType));
 * for await (const event of mapper.map(stream, context)) { ... }
 * ```
 */
export async function pluginMapper(
  rpc: MapperPluginRpc,
  options: PluginOptions & { binding?: string } = {},
): Promise<PluginMapper> {
  const binding = options.binding ?? "plugin";
  const timeoutMs = options.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS;
  const log = options.log ?? consoleLog;
  let answer: unknown;
  try {
    answer = await callWithTimeout(() => rpc.describe(), timeoutMs, "describe()");
  } catch (error) {
    throw new PluginError(binding, "describe", errorText(error));
  }
  const described = PluginDescription.safeParse(answer);
  if (!described.success) {
    throw new PluginError(binding, "describe", `invalid description: ${zodText(described.error)}`);
  }
  const id = `${PLUGIN_ID_PREFIX}${described.data.id}`;

  return {
    id,
    version: described.data.version,
    description: described.data.description,
    binding,
    detect: () => 0,
    async score(input) {
      // A copy, not a view: a view would carry its whole underlying buffer across RPC.
      const request: PluginDetectRequest = {
        head: input.head.slice(0, DETECT_HEAD_BYTES),
        name: input.name,
        contentType: input.contentType,
      };
      let raw: unknown;
      try {
        raw = await callWithTimeout(() => rpc.detect(request), timeoutMs, "detect()");
      } catch (error) {
        log({
          level: "warn",
          event: "mapper_plugin_failed",
          plugin: id,
          binding,
          operation: "detect",
          error: errorText(error),
        });
        return 0;
      }
      const score = PluginScore.safeParse(raw);
      if (!score.success) {
        log({
          level: "warn",
          event: "mapper_plugin_protocol",
          plugin: id,
          binding,
          operation: "detect",
          error: zodText(score.error),
        });
        return 0;
      }
      return score.data;
    },
    async *map(source, context) {
      let output: unknown;
      try {
        output = await rpc.map(toByteStream(source), pluginContext(context));
      } catch (error) {
        const failure = new PluginError(id, "map", errorText(error));
        log({
          level: "error",
          event: "mapper_plugin_failed",
          plugin: id,
          binding,
          operation: "map",
          error: failure.detail,
        });
        throw failure;
      }
      if (!(output instanceof ReadableStream)) {
        yield protocolIssue(id, null, "did not answer map() with a byte stream; nothing was mapped.");
        return;
      }
      yield* readEvents(output, id, log);
    },
  };
}

/**
 * Asks each plugin for the score of one file, concurrently, and answers mappers whose `detect` returns
 * that score, ready for `detectFormat(head, name, contentType, detections.map((d) => d.mapper))`.
 */
export async function detectPlugins(
  plugins: readonly PluginMapper[],
  input: PluginDetectRequest | DetectInput,
): Promise<PluginDetection[]> {
  return Promise.all(
    plugins.map(async (plugin) => {
      const score = await plugin.score(input);
      return { mapper: { ...plugin, detect: () => score }, score };
    }),
  );
}

function isPluginStub(value: unknown): value is MapperPluginRpc {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  return ["describe", "detect", "map"].every((method) => typeof Reflect.get(value, method) === "function");
}

/**
 * The plugin bindings named in `names` (comma-separated, the `MAPPER_PLUGINS` var) that are present in
 * `env` and look like RPC stubs; a name without such a binding is logged and skipped. `env` is any
 * object (a Worker's env interface has no index signature).
 *
 * @example
 * ```ts
 * pluginBindings(env, "MAPPER_PLUGIN_BP, MAPPER_PLUGIN_SLEEP"); // [{ name: "MAPPER_PLUGIN_BP", rpc }, …]
 * ```
 */
export function pluginBindings(env: object, names: string, options: Pick<PluginOptions, "log"> = {}): PluginBinding[] {
  const log = options.log ?? consoleLog;
  const seen = new Set<string>();
  const out: PluginBinding[] = [];
  for (const raw of names.split(",")) {
    const name = raw.trim();
    if (name === "" || seen.has(name)) continue;
    seen.add(name);
    const value: unknown = Reflect.get(env, name);
    if (isPluginStub(value)) out.push({ name, rpc: value });
    else log({ level: "warn", event: "mapper_plugin_binding_missing", binding: name });
  }
  return out;
}

/**
 * The mapper Worker's one call: every plugin listed in `env.MAPPER_PLUGINS`, described and asked to
 * score this file, as `{ mapper, score }` to merge with core detection. A plugin that is unreachable,
 * slow or malformed is logged and left out (the file can be reprocessed later); two plugins with the
 * same id keep the first.
 *
 * @example
 * ```ts
 * const plugins = await pluginMappersFor(env, head, file.originalName, file.contentType);
 * const { mapper } = detectFormat(head, file.originalName, file.contentType, plugins.map((p) => p.mapper));
 * ```
 */
export async function pluginMappersFor(
  env: object,
  head: Uint8Array,
  name: string | null,
  contentType: string | null,
  options: PluginOptions = {},
): Promise<PluginDetection[]> {
  const names: unknown = Reflect.get(env, MAPPER_PLUGINS_VAR);
  if (typeof names !== "string" || names.trim() === "") return [];
  const log = options.log ?? consoleLog;
  const described = await Promise.all(
    pluginBindings(env, names, options).map(async ({ name: binding, rpc }) => {
      try {
        return await pluginMapper(rpc, { ...options, binding });
      } catch (error) {
        const detail = error instanceof PluginError ? error.detail : errorText(error);
        log({ level: "warn", event: "mapper_plugin_unavailable", binding, error: detail });
        return null;
      }
    }),
  );
  const ids = new Set<string>();
  const plugins: PluginMapper[] = [];
  for (const plugin of described) {
    if (plugin === null) continue;
    if (ids.has(plugin.id)) {
      log({ level: "warn", event: "mapper_plugin_duplicate", plugin: plugin.id, binding: plugin.binding });
      continue;
    }
    ids.add(plugin.id);
    plugins.push(plugin);
  }
  return detectPlugins(plugins, { head, name, contentType });
}

/** The mapper's events as NDJSON bytes, batched into chunks of about OUTPUT_CHUNK_CHARS. */
function ndjson(mapperId: string, events: AsyncIterator<MapEvent>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = "";
      try {
        while (text.length < OUTPUT_CHUNK_CHARS) {
          const next = await events.next();
          if (next.done) {
            if (text !== "") controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          text += `${JSON.stringify(next.value)}\n`;
        }
      } catch (error) {
        // Mappers do not throw on bad input, so this is a bug or an outage: the stream errors and the
        // platform retries the file instead of committing part of it.
        console.error(
          JSON.stringify({ level: "error", event: "mapper_failed", mapper: mapperId, error: errorText(error) }),
        );
        throw new Error(`The mapper ${mapperId} failed: ${errorText(error)}`);
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await events.return?.();
    },
  });
}

/**
 * The plugin side: exposes a `Mapper` over `MapperPluginRpc`, for a plugin Worker's `WorkerEntrypoint`
 * to delegate to (RPC exposes methods declared on the class, not instance properties, so the three are written out, one line each).
 * Throws at once if the mapper's id or version cannot be served. The mapper gets a `lookup` that
 * matches nothing (see the module comment).
 *
 * @example
 * ```ts
 * const plugin = servePlugin(bpTextLogMapper);
 * export class ExampleMapper extends WorkerEntrypoint implements MapperPluginRpc {
 *   describe() { return plugin.describe(); }
 *   detect(input: PluginDetectRequest) { return plugin.detect(input); }
 *   map(source: ReadableStream<Uint8Array>, context: PluginMapContext) { return plugin.map(source, context); }
 * }
 * ```
 */
export function servePlugin(mapper: Mapper): MapperPluginRpc {
  const description = PluginDescription.parse({
    protocol: PLUGIN_PROTOCOL,
    id: mapper.id,
    version: mapper.version,
    description: mapper.description,
  });
  return {
    async describe() {
      return description;
    },
    async detect(input) {
      const request = PluginDetectRequestSchema.parse(input);
      // As `detectInput` builds it: UTF-8, a BOM dropped, a character cut at the end replaced.
      const headText = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(request.head);
      try {
        return mapper.detect({ head: request.head, headText, name: request.name, contentType: request.contentType });
      } catch {
        return 0;
      }
    },
    async map(source, context) {
      if (!(source instanceof ReadableStream))
        throw new TypeError("map() takes the file as a ReadableStream of bytes.");
      const parsed = PluginMapContextSchema.parse(context);
      const columns =
        parsed.columns === undefined
          ? undefined
          : Object.fromEntries(
              Object.entries(parsed.columns).map(([header, m]): [string, ColumnMapping] => [
                header,
                m.unit === undefined ? { variable_id: m.variable_id } : { variable_id: m.variable_id, unit: m.unit },
              ]),
            );
      const mapContext: MapContext = {
        lookup: NO_LOOKUP,
        ...(columns === undefined ? {} : { columns }),
        ...(parsed.timezone === undefined ? {} : { timezone: parsed.timezone }),
      };
      return ndjson(mapper.id, mapper.map(source, mapContext)[Symbol.asyncIterator]());
    },
  };
}
