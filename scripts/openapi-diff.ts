/**
 * Breaking changes between two OpenAPI 3.1 documents: what a client written against the earlier one
 * (or an SDK generated from it) can no longer rely on. `npm run openapi -- --check` and
 * test/node/openapi-contract.test.ts compare the app's document with the latest released one in
 * `openapi/releases/<version>.json`; a breaking change fails unless the API version's major changes
 * (for 0.x, its minor: Semantic Versioning 2.0.0 §4 lets anything change before 1.0.0, and npm's caret
 * ranges treat 0.y as the breaking part).
 *
 * What counts as breaking follows the direction data flows:
 * - requests (parameters, bodies) must keep accepting what they accepted: a newly required parameter,
 *   body or body field, a removed enum value, a narrower type (fewer JSON types, a tighter bound, a new
 *   `format`, `pattern` or `enum`) break clients;
 * - responses must keep containing what they contained: a removed field, a field that is no longer always
 *   present, a removed enum value (a generated SDK's union type loses a member, so code comparing with it
 *   stops compiling), or a wider type (a field that may now be `null`, or another JSON type) break clients;
 * - a removed operation, or a success status it no longer answers, breaks everyone calling it.
 * Additions (operations, optional inputs, response fields, enum values in requests) are not breaking.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The parts of a JSON Schema (2020-12, as OpenAPI 3.1 uses it) the comparison reads. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface MediaType {
  schema?: Schema;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
export interface OpenApiDocument {
  info: { version: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export type BreakKind =
  | "operation-removed"
  | "response-removed"
  | "response-field-removed"
  | "enum-value-removed"
  | "request-input-required"
  | "type-narrowed"
  | "type-widened";

export interface BreakingChange {
  kind: BreakKind;
  /** Where: `METHOD /path` and a location inside the operation. */
  where: string;
  detail: string;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const JSON_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;
/** How deep to follow nested schemas; the platform's are far shallower, recursive ones stop here. */
const MAX_DEPTH = 24;

/** A schema seen through its `$ref`s and combinators: what values it may hold. */
interface Flat {
  /** JSON types it admits (all of them when it names none). */
  types: Set<string>;
  /** The values it is limited to, or null when unrestricted. */
  values: Set<string> | null;
  properties: Map<string, Schema[]>;
  required: Set<string>;
  items: Schema[];
  bounds: Schema;
}

function resolve(doc: OpenApiDocument, schema: Schema | undefined, seen = new Set<string>()): Schema {
  if (schema === undefined) return {};
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace(/^#\/components\/schemas\//, "");
  if (seen.has(name)) return {};
  seen.add(name);
  return resolve(doc, doc.components?.schemas?.[name], seen);
}

function typesOf(schema: Schema): Set<string> {
  if (schema.const !== undefined) return new Set([jsonType(schema.const)]);
  if (schema.enum !== undefined && schema.type === undefined) return new Set(schema.enum.map(jsonType));
  if (schema.type === undefined) return new Set(JSON_TYPES);
  return new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function flatten(doc: OpenApiDocument, input: Schema | undefined): Flat {
  const schema = resolve(doc, input);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined && branches.length > 0) {
    // A value may match any branch: the union of what each admits.
    const flats = branches.map((b) => flatten(doc, b));
    const objectBranches = flats.filter((f) => f.types.has("object"));
    const [firstObject, ...otherObjects] = objectBranches;
    return {
      types: new Set(flats.flatMap((f) => [...f.types])),
      values: flats.some((f) => f.values === null)
        ? null
        : new Set(flats.flatMap((f) => [...(f.values ?? new Set<string>())])),
      properties: mergeProperties(flats),
      // A field is always present only when every object branch requires it.
      required: new Set(
        firstObject === undefined
          ? []
          : [...firstObject.required].filter((r) => otherObjects.every((o) => o.required.has(r))),
      ),
      items: flats.flatMap((f) => f.items),
      bounds: {},
    };
  }
  if (schema.allOf !== undefined && schema.allOf.length > 0) {
    // A value matches every part: the intersection of types, the union of required fields.
    const flats = schema.allOf.map((b) => flatten(doc, b));
    const [first, ...rest] = flats;
    return {
      types: new Set([...(first?.types ?? [])].filter((t) => rest.every((f) => f.types.has(t)))),
      values: flats.find((f) => f.values !== null)?.values ?? null,
      properties: mergeProperties(flats),
      required: new Set(flats.flatMap((f) => [...f.required])),
      items: flats.flatMap((f) => f.items),
      bounds: Object.assign({}, ...flats.map((f) => f.bounds)),
    };
  }
  const values =
    schema.const !== undefined
      ? new Set([JSON.stringify(schema.const)])
      : schema.enum !== undefined
        ? new Set(schema.enum.map((v) => JSON.stringify(v)))
        : null;
  return {
    types: typesOf(schema),
    values,
    properties: new Map(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, [v]])),
    required: new Set(schema.required ?? []),
    items: schema.items === undefined ? [] : [schema.items],
    bounds: schema,
  };
}

function mergeProperties(flats: Flat[]): Map<string, Schema[]> {
  const merged = new Map<string, Schema[]>();
  for (const f of flats) {
    for (const [name, schemas] of f.properties) merged.set(name, [...(merged.get(name) ?? []), ...schemas]);
  }
  return merged;
}

/** Whether every value of type `t` is admitted by `types` (an integer is a number). */
function admits(types: Set<string>, t: string): boolean {
  return types.has(t) || (t === "integer" && types.has("number"));
}

type Direction = "request" | "response";

interface Context {
  before: OpenApiDocument;
  after: OpenApiDocument;
  where: string;
  out: BreakingChange[];
}

function anyOfSchemas(schemas: Schema[]): Schema | undefined {
  if (schemas.length === 0) return undefined;
  return schemas.length === 1 ? schemas[0] : { anyOf: schemas };
}

/** Compares what a value at `path` may be, before and after, in the direction it travels. */
function compareSchema(
  ctx: Context,
  before: Schema | undefined,
  after: Schema | undefined,
  direction: Direction,
  path: string,
  depth = 0,
): void {
  if (depth > MAX_DEPTH) return;
  const b = flatten(ctx.before, before);
  const a = flatten(ctx.after, after);
  const at = `${ctx.where} ${path}`.trim();
  const report = (kind: BreakKind, detail: string) => ctx.out.push({ kind, where: at, detail });

  if (direction === "request") {
    const lost = [...b.types].filter((t) => !admits(a.types, t));
    if (lost.length > 0) report("type-narrowed", `no longer accepts ${lost.join(", ")}`);
  } else {
    const gained = [...a.types].filter((t) => !admits(b.types, t));
    if (gained.length > 0 && b.types.size < JSON_TYPES.length)
      report("type-widened", `may now be ${gained.join(", ")}`);
  }

  if (b.values !== null && a.values !== null) {
    const removed = [...b.values].filter((v) => !a.values?.has(v));
    if (removed.length > 0) report("enum-value-removed", `no longer has ${removed.join(", ")}`);
  } else if (direction === "request" && b.values === null && a.values !== null) {
    report("type-narrowed", `now limited to ${[...a.values].join(", ")}`);
  }

  if (direction === "request") compareBounds(b.bounds, a.bounds, report);

  // Object fields.
  for (const [name, schemas] of b.properties) {
    const afterSchemas = a.properties.get(name);
    const fieldPath = `${path}/${name}`;
    if (direction === "response") {
      if (afterSchemas === undefined) {
        ctx.out.push({ kind: "response-field-removed", where: `${ctx.where} ${fieldPath}`, detail: "removed" });
        continue;
      }
      if (b.required.has(name) && !a.required.has(name)) {
        ctx.out.push({
          kind: "response-field-removed",
          where: `${ctx.where} ${fieldPath}`,
          detail: "no longer always present",
        });
      }
    }
    if (afterSchemas !== undefined) {
      compareSchema(ctx, anyOfSchemas(schemas), anyOfSchemas(afterSchemas), direction, fieldPath, depth + 1);
    }
  }
  if (direction === "request") {
    for (const name of a.required) {
      if (!b.required.has(name)) {
        ctx.out.push({
          kind: "request-input-required",
          where: `${ctx.where} ${path}/${name}`,
          detail: b.properties.has(name) ? "now required" : "new required field",
        });
      }
    }
  }
  if (b.items.length > 0 && a.items.length > 0) {
    compareSchema(ctx, anyOfSchemas(b.items), anyOfSchemas(a.items), direction, `${path}/items`, depth + 1);
  }
}

/** A request value's limits: a tighter one refuses what was accepted. */
function compareBounds(b: Schema, a: Schema, report: (kind: BreakKind, detail: string) => void): void {
  const lower = ["minLength", "minimum", "exclusiveMinimum", "minItems"] as const;
  const upper = ["maxLength", "maximum", "exclusiveMaximum", "maxItems"] as const;
  for (const key of lower) {
    const before = b[key];
    const after = a[key];
    if (after !== undefined && (before === undefined || after > before)) {
      report("type-narrowed", `${key} ${before ?? "none"} → ${after}`);
    }
  }
  for (const key of upper) {
    const before = b[key];
    const after = a[key];
    if (after !== undefined && (before === undefined || after < before)) {
      report("type-narrowed", `${key} ${before ?? "none"} → ${after}`);
    }
  }
  if (a.format !== undefined && a.format !== b.format)
    report("type-narrowed", `format ${b.format ?? "none"} → ${a.format}`);
  if (a.pattern !== undefined && a.pattern !== b.pattern) {
    report("type-narrowed", `pattern ${b.pattern ?? "none"} → ${a.pattern}`);
  }
}

/** `/v1/files/{id}` and `/v1/files/{file_id}` are the same operation to a client. */
function pathKey(path: string): string {
  return path.replace(/\{[^{}]+\}/g, "{}");
}

function operations(doc: OpenApiDocument): Map<string, { label: string; op: Operation }> {
  const ops = new Map<string, { label: string; op: Operation }>();
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      ops.set(`${method} ${pathKey(path)}`, { label: `${method.toUpperCase()} ${path}`, op });
    }
  }
  return ops;
}

function jsonMedia(content: Record<string, MediaType> | undefined): Array<[string, MediaType]> {
  return Object.entries(content ?? {});
}

/** Every breaking change from `before` to `after`, in document order. */
export function breakingChanges(before: OpenApiDocument, after: OpenApiDocument): BreakingChange[] {
  const out: BreakingChange[] = [];
  const afterOps = operations(after);
  for (const [key, { label, op: b }] of operations(before)) {
    const found = afterOps.get(key);
    if (found === undefined) {
      out.push({ kind: "operation-removed", where: label, detail: `${b.operationId ?? "operation"} removed` });
      continue;
    }
    const a = found.op;
    const ctx = (where: string): Context => ({ before, after, where: `${label} ${where}`, out });

    // Parameters, matched by location and name (a path parameter by position in the template).
    const paramKey = (p: Parameter, list: Parameter[]) =>
      p.in === "path" ? `path#${list.filter((q) => q.in === "path").indexOf(p)}` : `${p.in}:${p.name.toLowerCase()}`;
    const beforeParams = new Map((b.parameters ?? []).map((p, _, l) => [paramKey(p, l), p]));
    for (const [k, p] of (a.parameters ?? []).map((p, _, l) => [paramKey(p, l), p] as const)) {
      const old = beforeParams.get(k);
      if (old === undefined) {
        if (p.required === true) {
          out.push({
            kind: "request-input-required",
            where: `${label} ${p.in} ${p.name}`,
            detail: "new required parameter",
          });
        }
        continue;
      }
      if (p.required === true && old.required !== true) {
        out.push({ kind: "request-input-required", where: `${label} ${p.in} ${p.name}`, detail: "now required" });
      }
      compareSchema(ctx(`${p.in} ${p.name}`), old.schema, p.schema, "request", "");
    }

    // The request body, per media type the client may have used.
    if (a.requestBody?.required === true && b.requestBody?.required !== true) {
      out.push({
        kind: "request-input-required",
        where: `${label} body`,
        detail: b.requestBody === undefined ? "new required body" : "body now required",
      });
    }
    for (const [type, media] of jsonMedia(b.requestBody?.content)) {
      const next = a.requestBody?.content?.[type];
      if (next === undefined) {
        if (a.requestBody !== undefined) {
          out.push({ kind: "type-narrowed", where: `${label} body`, detail: `no longer accepts ${type}` });
        }
        continue;
      }
      compareSchema(ctx(`body (${type})`), media.schema, next.schema, "request", "");
    }

    // Success responses: each status and media type a client may be handling.
    for (const [status, response] of Object.entries(b.responses ?? {})) {
      if (!/^2/.test(status)) continue;
      const next = a.responses?.[status];
      if (next === undefined) {
        out.push({ kind: "response-removed", where: `${label} ${status}`, detail: "status no longer answered" });
        continue;
      }
      for (const [type, media] of jsonMedia(response.content)) {
        const nextMedia = next.content?.[type];
        if (nextMedia === undefined) {
          out.push({ kind: "response-removed", where: `${label} ${status}`, detail: `no longer answers ${type}` });
          continue;
        }
        compareSchema(ctx(`${status} (${type})`), media.schema, nextMedia.schema, "response", "");
      }
    }
  }
  return out;
}

/** `major.minor.patch` of a version string (a pre-release or build suffix is ignored). */
export function parseVersion(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`Not a semantic version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Whether going from `released` to `current` announces breaking changes: a new major, or for 0.x a new
 * minor (SemVer 2.0.0 §4: "Major version zero … anything MAY change at any time").
 */
export function allowsBreakingChanges(released: string, current: string): boolean {
  const [rMajor, rMinor] = parseVersion(released);
  const [cMajor, cMinor] = parseVersion(current);
  if (cMajor !== rMajor) return cMajor > rMajor;
  return rMajor === 0 && cMinor > rMinor;
}

function compareVersions(x: string, y: string): number {
  const a = parseVersion(x);
  const b = parseVersion(y);
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The released documents in `dir` (`<version>.json`), newest last. */
export function releasedVersions(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f))
    .map((f) => f.slice(0, -".json".length))
    .sort(compareVersions);
}

export interface ReleaseCheck {
  /** The release compared with: the newest one not newer than the current version. */
  released: string;
  current: string;
  changes: BreakingChange[];
  /** Whether the version change announces the breaking changes (none need announcing when empty). */
  ok: boolean;
}

/** Compares the current document with the latest release in `dir`. */
export function checkAgainstRelease(current: OpenApiDocument, dir: string): ReleaseCheck {
  const versions = releasedVersions(dir).filter((v) => compareVersions(v, current.info.version) <= 0);
  const released = versions.at(-1);
  if (released === undefined)
    throw new Error(`No released OpenAPI document in ${dir} at or before ${current.info.version}`);
  const before = JSON.parse(readFileSync(join(dir, `${released}.json`), "utf8")) as OpenApiDocument;
  const changes = breakingChanges(before, current);
  return {
    released,
    current: current.info.version,
    changes,
    ok: changes.length === 0 || allowsBreakingChanges(released, current.info.version),
  };
}

/** One line per change, for the command line and test failures. */
export function formatChanges(changes: BreakingChange[]): string {
  return changes.map((c) => `  ${c.kind}: ${c.where}: ${c.detail}`).join("\n");
}
