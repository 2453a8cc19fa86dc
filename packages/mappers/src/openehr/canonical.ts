/**
 * openEHR canonical JSON (ITS-JSON, https://specifications.openehr.org/releases/ITS-JSON/latest): a
 * COMPOSITION (or a bare OBSERVATION, or an array of them) with `_type` on polymorphic nodes. Every
 * OBSERVATION anywhere in the tree is read: its HISTORY's events (POINT_EVENT at `time`,
 * INTERVAL_EVENT over `width` ending at `time`), their ITEM_STRUCTURE walked through CLUSTERs, and
 * ELEMENTs picked by archetype node id (./archetypes.ts). `_type` is optional where the schema implies
 * it, so structure is recognised by its attributes (`events`, `items`, `value`), not only by `_type`.
 */
import { CODE_SYSTEMS, localCodeSystem, type MapEvent, type SourceCoding } from "@dfda/core";
import { isArray, isNumber, isObject, type Json, type JsonObject, path } from "../vendors/common";
import { indexed } from "../vendors/stream";
import {
  ANALYTE_ARCHETYPE,
  ANALYTE_NAME,
  ANALYTE_RESULT,
  type ArchetypeSpec,
  archetypeByConcept,
  baseNode,
  LAB_CONCEPT,
  observationConcept,
  terminologySystem,
} from "./archetypes";
import { type OpenEhrRun, proportionValue, quantityValue, type ReadValue } from "./common";

const str = (v: Json | undefined): string | null => (typeof v === "string" ? v : null);
const textOf = (v: Json | undefined): string | null => (isObject(v) ? str(v.value) : str(v));

/** Reads an element's `value` (a DATA_VALUE). `percent` reads a DV_PROPORTION as a percentage. */
export function readDataValue(dv: JsonObject, percent = false): ReadValue | null {
  const type = str(dv._type);
  if (isNumber(dv.magnitude) && (type === "DV_QUANTITY" || type === null || "units" in dv)) {
    return quantityValue(dv.magnitude, str(dv.units) ?? undefined, str(dv.magnitude_status) ?? undefined);
  }
  if (type === "DV_COUNT" && isNumber(dv.magnitude)) return { value: dv.magnitude };
  if (isNumber(dv.numerator) && isNumber(dv.denominator)) {
    return proportionValue(dv.numerator, dv.denominator, isNumber(dv.type) ? dv.type : null, percent);
  }
  if (type === "DV_BOOLEAN" && typeof dv.value === "boolean") return { value: dv.value };
  if (type === "DV_ORDINAL" && isNumber(dv.value)) return { value: dv.value };
  if ((type === "DV_TEXT" || type === "DV_CODED_TEXT") && typeof dv.value === "string") return { value: dv.value };
  return null;
}

interface Found {
  element: JsonObject;
  location: string;
}

/** The ELEMENTs under an item structure, with their JSON paths (through ITEM_TREE/LIST/SINGLE/TABLE and CLUSTERs). */
function* elements(node: Json | undefined, at: string, stopAt?: (n: JsonObject) => boolean): Generator<Found> {
  if (isArray(node)) {
    for (const [i, item] of node.entries()) yield* elements(item, path(at, i), stopAt);
    return;
  }
  if (!isObject(node)) return;
  if (stopAt?.(node)) return;
  if ("value" in node && isObject(node.value)) {
    yield { element: node, location: at };
    return;
  }
  if ("items" in node) yield* elements(node.items, path(at, "items"), stopAt);
  if ("item" in node) yield* elements(node.item, path(at, "item"), stopAt);
  if ("rows" in node) yield* elements(node.rows, path(at, "rows"), stopAt);
}

/** CLUSTERs of the analyte archetype under a structure. */
function* analytes(node: Json | undefined, at: string): Generator<{ cluster: JsonObject; location: string }> {
  if (isArray(node)) {
    for (const [i, item] of node.entries()) yield* analytes(item, path(at, i));
    return;
  }
  if (!isObject(node)) return;
  if (str(node.archetype_node_id)?.startsWith(ANALYTE_ARCHETYPE)) {
    yield { cluster: node, location: at };
    return;
  }
  if ("items" in node) yield* analytes(node.items, path(at, "items"));
}

interface CompositionContext {
  startTime: string | null;
  /** Who sent it, for local codes: the health care facility, else the composer. */
  sender: string;
  template: string | null;
}

function compositionContext(composition: JsonObject): CompositionContext {
  const context = isObject(composition.context) ? composition.context : {};
  const facility = isObject(context.health_care_facility) ? str(context.health_care_facility.name) : null;
  const composer = isObject(composition.composer) ? str(composition.composer.name) : null;
  const details = isObject(composition.archetype_details) ? composition.archetype_details : {};
  const template = isObject(details.template_id) ? str(details.template_id.value) : null;
  return {
    startTime: textOf(context.start_time),
    sender: facility ?? composer ?? template ?? "unknown",
    template,
  };
}

/** Every OBSERVATION in a canonical JSON document, in document order. */
export function* mapCanonical(doc: Json, run: OpenEhrRun): Generator<MapEvent> {
  yield* walk(doc, "$", { startTime: null, sender: "unknown", template: null }, run);
}

function* walk(node: Json, at: string, ctx: CompositionContext, run: OpenEhrRun): Generator<MapEvent> {
  if (isArray(node)) {
    // A streamed `content[]` arrives in batches: `indexed` gives each entry its index in the file.
    for (const [i, item] of indexed(node)) yield* walk(item, path(at, i), ctx, run);
    return;
  }
  if (!isObject(node)) return;
  const archetype = str(node.archetype_node_id) ?? "";
  const type = str(node._type);
  if (type === "COMPOSITION" || archetype.startsWith("openEHR-EHR-COMPOSITION.")) {
    const own = compositionContext(node);
    yield* walk(node.content ?? null, path(at, "content"), own, run);
    return;
  }
  if (type === "OBSERVATION" || archetype.startsWith("openEHR-EHR-OBSERVATION.")) {
    yield* observation(node, at, ctx, run);
    return;
  }
  // SECTIONs and other containers: their items, and (a rare template) an OBSERVATION in other_context.
  for (const key of ["items", "content"]) if (key in node) yield* walk(node[key] ?? null, path(at, key), ctx, run);
}

function* observation(obs: JsonObject, at: string, ctx: CompositionContext, run: OpenEhrRun): Generator<MapEvent> {
  const archetype = str(obs.archetype_node_id) ?? "";
  const concept = observationConcept(archetype);
  const spec = concept === null ? undefined : archetypeByConcept(concept);
  if (concept !== LAB_CONCEPT && !spec) {
    run.skip(archetype === "" ? "(no archetype id)" : archetype);
    return;
  }
  const history = isObject(obs.data) ? obs.data : null;
  if (!history || !isArray(history.events)) {
    yield run.issue(path(at, "data"), "missing_events", "warning", `the ${archetype} observation has no events`);
    return;
  }
  const origin = textOf(history.origin);
  for (const [i, event] of history.events.entries()) {
    if (!isObject(event)) continue;
    const eventAt = path(at, "data", "events", i);
    const time = textOf(event.time) ?? origin ?? ctx.startTime;
    const width = isObject(event.width) ? str(event.width.value) : null;
    const mathFunction = isObject(event.math_function) ? textOf(event.math_function) : null;
    const metadata: Record<string, unknown> = {
      archetype_id: archetype,
      ...(ctx.template === null ? {} : { template_id: ctx.template }),
      ...(mathFunction === null ? {} : { math_function: mathFunction }),
    };
    const data = event.data;
    const dataAt = path(eventAt, "data");
    if (concept === LAB_CONCEPT) {
      yield* labEvent(data, dataAt, time, width, metadata, ctx, run);
      continue;
    }
    if (!spec) continue;
    yield* vitalEvent(spec, data, dataAt, time, width, metadata, run);
  }
}

function* vitalEvent(
  spec: ArchetypeSpec,
  data: Json | undefined,
  at: string,
  time: string | null,
  width: string | null,
  metadata: Record<string, unknown>,
  run: OpenEhrRun,
): Generator<MapEvent> {
  for (const { element, location } of elements(data, at)) {
    const node = baseNode(str(element.archetype_node_id) ?? "");
    const wanted = spec.elements.find((e) => e.node === node);
    if (!wanted || !isObject(element.value)) continue;
    const read = readDataValue(element.value, wanted.percent === true);
    if (!read || typeof read.value !== "number") {
      yield run.issue(
        location,
        "unsupported_value",
        "warning",
        `${wanted.coding.display ?? node}: not a number this mapper reads`,
      );
      continue;
    }
    yield* run.observation({
      coding: [wanted.coding],
      read,
      time,
      width,
      location,
      metadata: { ...metadata, node_id: node },
    });
  }
}

function* labEvent(
  data: Json | undefined,
  at: string,
  time: string | null,
  width: string | null,
  metadata: Record<string, unknown>,
  ctx: CompositionContext,
  run: OpenEhrRun,
): Generator<MapEvent> {
  for (const { cluster, location } of analytes(isObject(data) ? data.items : undefined, path(at, "items"))) {
    let name: JsonObject | null = null;
    let result: { element: JsonObject; location: string } | null = null;
    for (const found of elements(
      cluster.items,
      path(location, "items"),
      (n) => n !== cluster && "items" in n && !("value" in n),
    )) {
      const node = baseNode(str(found.element.archetype_node_id) ?? "");
      if (node === ANALYTE_NAME.node && isObject(found.element.value)) name = found.element.value;
      if (node === ANALYTE_RESULT.node && result === null) result = found;
    }
    if (result === null || !isObject(result.element.value)) continue;
    const codings = analyteCodings(name, cluster, ctx);
    if (codings.length === 0) {
      yield run.issue(location, "missing_code", "error", "the analyte has no name or code");
      continue;
    }
    const read = readDataValue(result.element.value);
    if (!read) {
      yield run.issue(
        result.location,
        "unsupported_value",
        "warning",
        "the analyte result is not a value this mapper reads",
      );
      continue;
    }
    yield* run.observation({ coding: codings, read, time, width, location: result.location, metadata });
  }
}

/** The analyte's name as codings: its DV_CODED_TEXT code, else its text as a code local to the sender. */
function analyteCodings(name: JsonObject | null, cluster: JsonObject, ctx: CompositionContext): SourceCoding[] {
  const out: SourceCoding[] = [];
  const display = name ? (str(name.value) ?? undefined) : undefined;
  const defining = name && isObject(name.defining_code) ? name.defining_code : null;
  if (defining) {
    const code = str(defining.code_string);
    const terminology = isObject(defining.terminology_id) ? str(defining.terminology_id.value) : null;
    if (code && terminology) {
      const system = terminologySystem(terminology) ?? localCodeSystem("openehr", `${ctx.sender}/${terminology}`);
      out.push({ system, code, ...(display ? { display } : {}) });
    }
  }
  // The text (of the name, or of the cluster as the template named it) as the sender's local code.
  const text = display ?? (isObject(cluster.name) ? str(cluster.name.value) : null);
  if (text && out.every((c) => c.system !== CODE_SYSTEMS.loinc)) {
    out.push({ system: localCodeSystem("openehr", ctx.sender), code: text, display: text });
  }
  return out;
}
