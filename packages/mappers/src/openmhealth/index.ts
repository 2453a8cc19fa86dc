/**
 * Open mHealth data points (https://www.openmhealth.org/documentation/#/schema-docs/schema-library)
 * → observations.
 *
 * Input: one data point (`{header, body}`, omh data-point-1.0), a JSON array of data points, or NDJSON
 * (one data point per line, streamed). Every data point is checked against the official schemas: the
 * envelope against omh data-point-1.0 (header-1.x: `id`, `creation_date_time`, `schema_id`), the body
 * against the schema its `header.schema_id` names, with validators generated from the vendored schemas
 * (./generate.ts). A body without a header is read as the schema it validates against when that is
 * one schema (./infer.ts: detection by validation, never by a fixed set of fields), and refused otherwise.
 */
import type { MapContext, MapEvent, MappedObservation, Mapper, MappingIssue } from "@dfda/core";
import { BODY_MAPPINGS, type BodyMapping } from "./body";
import { inferSchema } from "./infer";
import { jsonRecords } from "./json-records";
import { resolveTimeFrame } from "./time-frame";
import { type SchemaError, type Validator, validators } from "./validators.generated.js";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A location below a record: `$[2].body.heart_rate`, or `line 3: $.body.heart_rate` in NDJSON. */
function locate(record: string, ndjson: boolean, path: string): string {
  if (path === "") return record;
  return ndjson ? `${record}: $${path}` : `${record}${path}`;
}

/** JSON Pointer (Ajv `instancePath`) → the JSON path notation of locations. */
function pointerToPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((token) =>
      /^\d+$/.test(token)
        ? `[${token}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(token)
          ? `.${token}`
          : `[${JSON.stringify(token)}]`,
    )
    .join("");
}

function describeErrors(errors: readonly SchemaError[] | null | undefined, base: string): string {
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const where = `$${base}${pointerToPath(error.instancePath)}`;
    const values = error.params.allowedValues;
    const allowed = Array.isArray(values)
      ? ` (${values.slice(0, 8).join(", ")}${values.length > 8 ? `, … ${values.length - 8} more` : ""})`
      : "";
    seen.add(`${where} ${error.message ?? error.keyword}${allowed}`);
  }
  return [...seen].slice(0, 6).join("; ");
}

/** The validator for a schema id, falling back to the highest vendored minor version of the same major. */
function findValidator(namespace: string, name: string, version: string): { key: string; validate: Validator } | null {
  const exact = validators[`${namespace}:${name}:${version}`];
  if (exact) return { key: `${namespace}:${name}:${version}`, validate: exact };
  const major = /^(\d+)(?:\.\d+)?$/.exec(version)?.[1];
  if (major === undefined) return null;
  let best: { key: string; minor: number; validate: Validator } | null = null;
  for (const [key, validate] of Object.entries(validators)) {
    const m = /^([^:]+):([^:]+):(\d+)\.(\d+)$/.exec(key);
    if (!m || m[1] !== namespace || m[2] !== name || m[3] !== major) continue;
    const minor = Number(m[4]);
    if (!best || minor > best.minor) best = { key, minor, validate };
  }
  return best && { key: best.key, validate: best.validate };
}

const validateDataPoint = validators["omh:data-point:1.0"];

/** Per-file state: the one `assumed_timezone` warning. */
interface FileState {
  warnedZone: boolean;
}

function issue(location: string | null, code: string, severity: MappingIssue["severity"], message: string): MapEvent {
  return { kind: "issue", issue: { location, code, severity, message } };
}

function* mapDataPoint(
  value: unknown,
  record: string,
  ndjson: boolean,
  context: MapContext,
  state: FileState,
): Generator<MapEvent> {
  const at = (path: string) => locate(record, ndjson, path);
  if (!isRecord(value)) {
    yield issue(
      record,
      "not_a_data_point",
      "error",
      "an Open mHealth data point is a JSON object with a header and a body",
    );
    return;
  }
  if (value.header === undefined) {
    yield* mapBareBody(value, record, ndjson, context, state);
    return;
  }
  if (!validateDataPoint?.(value)) {
    yield issue(
      record,
      "schema_violation",
      "error",
      `not a valid omh:data-point:1.0: ${describeErrors(validateDataPoint?.errors, "")}`,
    );
    return;
  }
  // data-point-1.0 (header-1.x, schema-id-1.x) has just guaranteed these shapes.
  const header = value.header as Record<string, unknown>;
  const schemaId = header.schema_id as { namespace: string; name: string; version: string };
  const id = `${schemaId.namespace}:${schemaId.name}:${schemaId.version}`;
  const mapping: BodyMapping | undefined = BODY_MAPPINGS[`${schemaId.namespace}:${schemaId.name}`];
  const found = mapping ? findValidator(schemaId.namespace, schemaId.name, schemaId.version) : null;
  if (!mapping || !found) {
    const why = mapping ? `no vendored schema of this version for ${id}` : `no mapping for schema ${id}`;
    yield issue(at(".header.schema_id"), "unsupported_schema", "error", why);
    return;
  }
  if (found.key !== id) {
    yield issue(at(".header.schema_id"), "schema_version_fallback", "info", `${id} validated against ${found.key}`);
  }
  const body = value.body as Record<string, unknown>;
  if (!found.validate(body)) {
    yield issue(
      at(".body"),
      "schema_violation",
      "error",
      `body is not a valid ${found.key}: ${describeErrors(found.validate.errors, ".body")}`,
    );
    return;
  }
  const provenance = isRecord(header.acquisition_provenance)
    ? { acquisition_provenance: header.acquisition_provenance }
    : {};
  yield* mapBody(
    body,
    ".body",
    id,
    mapping,
    { data_point_id: header.id, ...provenance },
    record,
    ndjson,
    context,
    state,
  );
}

/**
 * A body without a data point header: its schema is the one it validates against (./infer.ts), and it is
 * mapped as a data point of that schema would be, saying so in an info issue and in metadata.
 */
function* mapBareBody(
  body: Record<string, unknown>,
  record: string,
  ndjson: boolean,
  context: MapContext,
  state: FileState,
): Generator<MapEvent> {
  const inference = inferSchema(body);
  if (inference.kind === "ambiguous") {
    yield issue(
      record,
      "ambiguous_body",
      "error",
      `no data point header, and the body is valid against several schemas (${inference.families.join(", ")}): send it in a data point whose header.schema_id names one`,
    );
    return;
  }
  if (inference.kind === "none") {
    const closest = inference.closest
      ? `; closest: ${inference.closest.key}: ${describeErrors(inference.closest.errors, "")}`
      : "";
    yield issue(
      record,
      "missing_header",
      "error",
      `no data point header (omh data-point-1.0 names the body's schema in header.schema_id), and the body is valid against no schema mapped here${closest}`,
    );
    return;
  }
  const mapping = BODY_MAPPINGS[inference.family];
  if (!mapping) return; // every validator family has a mapping (generate.test.ts checks both ways)
  yield issue(
    record,
    "schema_inferred",
    "info",
    `no data point header: the body is valid against ${inference.key}${inference.alsoValid.length > 0 ? ` (also ${inference.alsoValid.join(", ")})` : ""} and was read as that`,
  );
  yield* mapBody(body, "", inference.key, mapping, { schema_inferred: true }, record, ndjson, context, state);
}

/** A body valid against schema `id`, at `base` below the record (`.body` in a data point, `` bare). */
function* mapBody(
  body: Record<string, unknown>,
  base: string,
  id: string,
  mapping: BodyMapping,
  pointMetadata: Record<string, unknown>,
  record: string,
  ndjson: boolean,
  context: MapContext,
  state: FileState,
): Generator<MapEvent> {
  const at = (path: string) => locate(record, ndjson, `${base}${path}`);
  if (body.effective_time_frame === undefined) {
    yield issue(at(""), "missing_time", "error", `the ${id} body has no effective_time_frame`);
    return;
  }
  const frame = resolveTimeFrame(body.effective_time_frame, context.timezone);
  if (!frame.ok) {
    yield issue(at(".effective_time_frame"), "missing_time", "error", frame.message);
    return;
  }
  if (frame.frame.assumedZone && context.timezone === undefined && !state.warnedZone) {
    state.warnedZone = true;
    yield issue(null, "assumed_timezone", "warning", "times without an offset were read as UTC");
  }

  // Everything else the body says (descriptive_statistic, temporal relationships, posture, location…).
  const rest: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(body)) {
    if (key !== "effective_time_frame" && key !== "user_notes" && !mapping.measured.includes(key)) rest[key] = v;
  }
  const measures = mapping.measures(body, frame.frame);
  if (measures.length === 0) yield issue(at(""), "no_measurement", "info", `the ${id} body holds no measurement`);
  for (const measure of measures) {
    const variable = measure.label === undefined ? null : context.lookup.byLabel(measure.label);
    if (measure.codings.length === 0 && !variable) {
      yield issue(at(measure.path), "unmatched_measure", "warning", `no variable for ${id} ${measure.path.slice(1)}`);
      continue;
    }
    const observation: MappedObservation = {
      codings: measure.codings,
      ...(variable ? { variable_id: variable.id } : {}),
      value: measure.value,
      ...(measure.unit === undefined ? {} : { unit: measure.unit }),
      start_at: frame.frame.start_at,
      ...(frame.frame.end_at === undefined ? {} : { end_at: frame.frame.end_at }),
      ...(typeof body.user_notes === "string" && body.user_notes !== "" ? { note: body.user_notes } : {}),
      metadata: {
        schema_id: id,
        ...pointMetadata,
        ...rest,
        ...frame.frame.metadata,
        ...measure.metadata,
      },
      location: at(measure.path),
    };
    yield { kind: "observation", observation };
  }
}

/** Whether the first record of `text` (a document, an array's first item, or an NDJSON line) is a body one schema validates. */
function firstRecordInferable(text: string): boolean {
  const candidates = [text, text.split("\n", 1)[0] ?? ""];
  for (const candidate of candidates) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      continue;
    }
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    return isRecord(first) && first.header === undefined && inferSchema(first).kind === "one";
  }
  return false;
}

export const openmhealthMapper: Mapper = {
  id: "openmhealth",
  version: "1.0.0",
  description:
    "Open mHealth data points (a data point, a JSON array of them, or NDJSON), validated against the official schemas",

  detect(input) {
    const text = input.headText;
    // omh data-point-1.0: a header whose schema_id has namespace, name and version.
    if (/"schema_id"\s*:\s*\{/.test(text) && /"namespace"\s*:/.test(text) && /"body"\s*:/.test(text)) return 0.95;
    if (/"schema_id"\s*:\s*\{/.test(text) && /"namespace"\s*:/.test(text)) return 0.9;
    // A bare body: sure when the first record is whole in the head and valid against exactly one schema.
    if (/^\s*[[{]/.test(text) && /"effective_time_frame"\s*:/.test(text)) {
      return firstRecordInferable(text) ? 0.9 : 0.4;
    }
    return 0;
  },

  async *map(source, context) {
    const state: FileState = { warnedZone: false };
    let records = 0;
    for await (const item of jsonRecords(source)) {
      if (item.kind === "invalid") {
        records++;
        yield issue(item.location, "invalid_json", "error", item.message);
        continue;
      }
      records++;
      yield* mapDataPoint(item.value, item.location, item.ndjson, context, state);
    }
    if (records === 0) yield issue(null, "empty_file", "warning", "the file holds no data point");
  },
};
