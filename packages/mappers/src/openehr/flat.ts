/**
 * openEHR FLAT (simSDT) compositions (ITS-REST "Simplified Data template", FLAT format): one JSON object
 * whose keys are paths of web-template node ids, `<template>/<section>/<observation>[:i]/<event>:j/
 * <element>[|attribute]`, e.g. `vital_signs/blood_pressure:0/any_event:0/systolic|magnitude`,
 * `…/systolic|unit`, `…/any_event:0/time`. An observation is found by its id anywhere in a path (any
 * template, any nesting); the segment after it is the event (absent when the template has one event),
 * then the element, whose attributes are gathered: `|magnitude`, `|unit`, `|numerator`, `|denominator`,
 * `|type`, `|code`, `|value`, `|terminology`, and the bare path's value. Times without an event time
 * fall back to `<observation>/time`, `ctx/time`, then `<template>/context/start_time`.
 */
import { CODE_SYSTEMS, localCodeSystem, type MapEvent, type SourceCoding } from "@dfda/core";
import { isNumber, type Json, type JsonObject } from "../vendors/common";
import {
  ANALYTE_NAME,
  ANALYTE_RESULT,
  type ArchetypeSpec,
  archetypeByFlatId,
  LAB_FLAT,
  terminologySystem,
} from "./archetypes";
import { type OpenEhrRun, proportionValue, quantityValue, type ReadValue } from "./common";

/** `any_event:0` → `any_event`. */
const bare = (segment: string) => segment.replace(/:\d+$/, "");

/** An element's FLAT attributes (`""` is the bare path). */
type Attributes = Map<string, Json>;

interface Group {
  spec: ArchetypeSpec | null;
  observationPath: string;
  /** The event's path (the observation's when the template has no event segment). */
  eventPath: string;
  time: string | null;
  width: string | null;
  /** Element path (relative to the event) → attributes. */
  elements: Map<string, Attributes>;
}

/** Reads a FLAT element's value. */
function readFlat(attrs: Attributes, percent: boolean): ReadValue | null {
  const magnitude = attrs.get("magnitude");
  if (isNumber(magnitude)) {
    const unit = attrs.get("unit");
    const status = attrs.get("magnitude_status");
    return quantityValue(
      magnitude,
      typeof unit === "string" ? unit : undefined,
      typeof status === "string" ? status : undefined,
    );
  }
  const numerator = attrs.get("numerator");
  const denominator = attrs.get("denominator");
  if (isNumber(numerator) && isNumber(denominator)) {
    const type = attrs.get("type");
    return proportionValue(numerator, denominator, isNumber(type) ? type : null, percent);
  }
  const root = attrs.get("") ?? attrs.get("value");
  if (isNumber(root))
    return percent && root <= 1 ? { value: Math.round(root * 1e9) / 1e7, unit: "%" } : { value: root };
  if (typeof root === "string" || typeof root === "boolean") return { value: root };
  return null;
}

/**
 * A FLAT composition read member by member (a FLAT document is one object of `path: value` members,
 * streamed by util/json-stream): members are grouped by their event as they come, and a group waits
 * until `release` maps it. Released at the end, every group maps exactly as the whole document would;
 * released early (past the look-ahead window, the oldest first), a group uses the context read so far
 * (`ctx/time`, the start time, the sender), and members of its event that come after it form a group of
 * their own. FLAT serializers write an event's members together and the context first.
 */
export class FlatReader {
  private readonly groups = new Map<string, Group & { chars: number }>();
  /** `<observation>/time` for templates whose observation has one event without an index. */
  private readonly observationTimes = new Map<string, string>();
  private contextTime: string | null = null;
  private ctxTime: string | null = null;
  private template: string | null = null;
  private sender: string | null = null;
  /** Characters of source of the members in the groups waiting. */
  heldChars = 0;

  constructor(private readonly run: OpenEhrRun) {}

  /** One member; `chars` is its length in the source (what it costs to keep it waiting). */
  add(key: string, value: Json, chars = 0): void {
    const [pathPart = "", ...attrParts] = key.split("|");
    const attribute = attrParts.join("|");
    const segments = pathPart.split("/");
    if (segments[0] === "ctx") {
      if (segments[1] === "time" && typeof value === "string") this.ctxTime = value;
      if (
        (segments[1] === "health_care_facility" && attribute === "name") ||
        (segments[1] === "composer_name" && this.sender === null)
      ) {
        if (typeof value === "string") this.sender = value;
      }
      return;
    }
    this.template ??= segments[0] ?? null;
    if (segments[1] === "context" && segments[2] === "start_time" && typeof value === "string") {
      this.contextTime = value;
    }
    if (
      segments[1] === "context" &&
      segments[2] === "health_care_facility" &&
      attribute === "name" &&
      typeof value === "string"
    ) {
      this.sender = value;
    }
    const at = segments.findIndex(
      (s, i) => i > 0 && (archetypeByFlatId(bare(s)) !== undefined || LAB_FLAT.includes(bare(s))),
    );
    if (at === -1) return;
    const spec = archetypeByFlatId(bare(segments[at] ?? "")) ?? null;
    const rest = segments.slice(at + 1);
    if (rest.length === 0) return;
    const observationPath = segments.slice(0, at + 1).join("/");
    // An event segment carries an index (`any_event:0`); a template with one event may leave it out.
    const hasEvent = rest.length > 1 && /:\d+$/.test(rest[0] ?? "");
    const eventPath = hasEvent ? `${observationPath}/${rest[0]}` : observationPath;
    const inner = hasEvent ? rest.slice(1) : rest;
    let group = this.groups.get(eventPath);
    if (!group) {
      group = { spec, observationPath, eventPath, time: null, width: null, elements: new Map(), chars: 0 };
      this.groups.set(eventPath, group);
    }
    group.chars += chars;
    this.heldChars += chars;
    const head = inner.join("/");
    if (head === "time" && attribute === "" && typeof value === "string") {
      group.time = value;
      if (eventPath === observationPath) this.observationTimes.set(observationPath, value);
      return;
    }
    if (head === "width" && typeof value === "string") {
      group.width = value;
      return;
    }
    let attrs = group.elements.get(head);
    if (!attrs) {
      attrs = new Map();
      group.elements.set(head, attrs);
    }
    attrs.set(attribute, value);
  }

  /** Maps the oldest groups until at most `keepChars` wait (`-1`: all of them, at the end of the document). */
  *release(keepChars: number): Generator<MapEvent> {
    const run = this.run;
    for (const [key, g] of this.groups) {
      if (keepChars >= 0 && this.heldChars <= keepChars) return;
      this.groups.delete(key);
      this.heldChars -= g.chars;
      const time = g.time ?? this.observationTimes.get(g.observationPath) ?? this.ctxTime ?? this.contextTime;
      const template = this.template;
      const metadata = { flat_path: g.eventPath, ...(template === null ? {} : { template_id: template }) };
      const from = this.sender ?? template ?? "unknown";
      if (g.spec === null) {
        yield* labGroup(g, time, metadata, from, run);
        continue;
      }
      for (const [element, attrs] of g.elements) {
        const id = bare(element.split("/").at(-1) ?? "");
        const wanted = g.spec.elements.find((e) => e.flat.includes(id));
        if (!wanted) continue;
        const location = `${g.eventPath}/${element}`;
        const read = readFlat(attrs, wanted.percent === true);
        if (!read || typeof read.value !== "number") {
          yield run.issue(
            location,
            "unsupported_value",
            "warning",
            `${wanted.coding.display ?? id}: not a number this mapper reads`,
          );
          continue;
        }
        yield* run.observation({ coding: [wanted.coding], read, time, width: g.width, location, metadata });
      }
    }
  }
}

/** A FLAT composition read whole. */
export function* mapFlat(doc: JsonObject, run: OpenEhrRun): Generator<MapEvent> {
  const reader = new FlatReader(run);
  for (const [key, value] of Object.entries(doc)) reader.add(key, value);
  yield* reader.release(-1);
}

/** Laboratory analytes: each sub-path holding an analyte result (`<cluster>:n/analyte_result`). */
function* labGroup(
  g: Group,
  time: string | null,
  metadata: Record<string, unknown>,
  sender: string,
  run: OpenEhrRun,
): Generator<MapEvent> {
  const clusters = new Map<string, { name?: Attributes; result?: Attributes; resultPath?: string }>();
  for (const [element, attrs] of g.elements) {
    const parts = element.split("/");
    const id = bare(parts.at(-1) ?? "");
    const cluster = parts.slice(0, -1).join("/");
    const entry = clusters.get(cluster) ?? {};
    if ((ANALYTE_NAME.flat as readonly string[]).includes(id)) entry.name = attrs;
    if ((ANALYTE_RESULT.flat as readonly string[]).includes(id)) {
      entry.result = attrs;
      entry.resultPath = element;
    }
    clusters.set(cluster, entry);
  }
  for (const [cluster, { name, result, resultPath }] of clusters) {
    if (!result || resultPath === undefined) continue;
    const location = `${g.eventPath}/${resultPath}`;
    const codings: SourceCoding[] = [];
    const code = name?.get("code");
    const terminology = name?.get("terminology");
    const text = name?.get("value") ?? name?.get("");
    const display = typeof text === "string" ? text : undefined;
    if (typeof code === "string" && typeof terminology === "string") {
      codings.push({
        system: terminologySystem(terminology) ?? localCodeSystem("openehr", `${sender}/${terminology}`),
        code,
        ...(display ? { display } : {}),
      });
    }
    // Without a LOINC code: the name's text, else the cluster's id as the template names it, local to the sender.
    const local = display ?? (cluster === "" ? undefined : bare(cluster.split("/").at(-1) ?? ""));
    if (local && codings.every((c) => c.system !== CODE_SYSTEMS.loinc)) {
      codings.push({ system: localCodeSystem("openehr", sender), code: local, display: local });
    }
    if (codings.length === 0) {
      yield run.issue(location, "missing_code", "error", "the analyte has no name or code");
      continue;
    }
    const read = readFlat(result, false);
    if (!read) {
      yield run.issue(location, "unsupported_value", "warning", "the analyte result is not a value this mapper reads");
      continue;
    }
    yield* run.observation({ coding: codings, read, time, width: g.width, location, metadata });
  }
}
