/**
 * Reading FHIR R4 data types that several resources share: choice-type times (`effective[x]`,
 * `onset[x]`, …), Quantity, and the code that names a measurement.
 */
import type { Comparator, SourceCoding } from "@dfda/core";
import { CODE_SYSTEMS, COMPARATORS, localCodeSystem } from "@dfda/core";
import { isLoincCode } from "../util/loinc";
import { parseOffset } from "../util/time";
import { readDecimal } from "./decimal";
import { type JsonObject, obj, objs, str } from "./json";
import { codingsOf, type FhirTime, type MappingRun, normalizeSystem } from "./run";

/** A point or interval in time read from a choice element. */
export interface TimeSpan {
  start: FhirTime;
  end?: FhirTime;
  /** The element it came from, e.g. `effectivePeriod`, `issued`. */
  element: string;
}

export type ChoiceTime =
  | { kind: "time"; span: TimeSpan }
  /** Present but not a point or period on the time line (Timing, Age, Range, string) or not parseable. */
  | { kind: "unusable"; element: string; reason: string }
  | { kind: "absent" };

/**
 * A `<prefix>[x]` choice element as a time span: `dateTime` and `instant` give a point, `Period` an
 * interval (R4 datatypes §2.24.0.9: a missing start means unknown, so the end stands in for it with a
 * warning). Anything else is `unusable` (e.g. `effectiveTiming`, `onsetAge`, `onsetString`).
 */
export function readChoiceTime(resource: JsonObject, prefix: string, path: string, run: MappingRun): ChoiceTime {
  for (const suffix of ["DateTime", "Instant"]) {
    const element = `${prefix}${suffix}`;
    const text = str(resource, element);
    if (text === undefined) continue;
    const start = run.time(text, `${path}.${element}`);
    return start
      ? { kind: "time", span: { start, element } }
      : { kind: "unusable", element, reason: "not a valid time" };
  }
  const periodElement = `${prefix}Period`;
  const period = obj(resource, periodElement);
  if (period) {
    const startText = str(period, "start");
    const endText = str(period, "end");
    const start = run.time(startText, `${path}.${periodElement}.start`);
    const end = run.time(endText, `${path}.${periodElement}.end`);
    if (start)
      return { kind: "time", span: end ? { start, end, element: periodElement } : { start, element: periodElement } };
    if (end && startText === undefined) {
      run.issue(
        `${path}.${periodElement}`,
        "period_without_start",
        "warning",
        `${periodElement} has only an end; the end (${endText}) is used as the time`,
      );
      return { kind: "time", span: { start: end, element: `${periodElement}.end` } };
    }
    return { kind: "unusable", element: periodElement, reason: "has no valid start or end" };
  }
  for (const key of Object.keys(resource)) {
    if (key.startsWith(prefix) && /^[A-Z]/.test(key.slice(prefix.length))) {
      return { kind: "unusable", element: key, reason: `a ${key.slice(prefix.length)} is not a point in time` };
    }
  }
  return { kind: "absent" };
}

/** `start_at` / `end_at` of an observation, with the precision noted when coarser than a time of day. */
export function timeFields(span: TimeSpan): { start_at: string; end_at?: string; metadata: Record<string, unknown> } {
  const metadata: Record<string, unknown> = {};
  if (span.start.precision === "year" || span.start.precision === "month" || span.start.precision === "day") {
    metadata.time_precision = span.start.precision;
  }
  return span.end
    ? { start_at: span.start.instant, end_at: span.end.instant, metadata }
    : { start_at: span.start.instant, metadata };
}

/** An RFC 3339 instant moved by `ms` milliseconds (fractions kept to the microsecond), keeping its offset. */
export function shiftInstant(instant: string, ms: number): string {
  const zone = /(Z|z|[+-]\d{2}:\d{2})$/.exec(instant)?.[1] ?? "Z";
  const offset = parseOffset(zone) ?? 0;
  const micros = Math.round((Date.parse(instant) + ms + offset * 60_000) * 1000);
  const wholeMs = Math.floor(micros / 1000);
  const date = new Date(wholeMs);
  const fraction = (((micros % 1_000_000) + 1_000_000) % 1_000_000).toString().padStart(6, "0").replace(/0+$/, "");
  const base = date.toISOString().slice(0, 19);
  return `${base}${fraction === "" ? "" : `.${fraction}`}${zone === "z" ? "Z" : zone}`;
}

/** A Quantity read as a number and a unit. */
export interface QuantityValue {
  value: number;
  unit?: string;
  /** `Quantity.comparator`: the value is a bound (`<` 5 for "<5"). */
  comparator?: Comparator;
  metadata: Record<string, unknown>;
}

/**
 * A Quantity (R4 datatypes §2.24.0.11) as value + unit. The unit is the UCUM code when `system` is UCUM,
 * otherwise the text as written (`unit`, else `code`) with a `non_ucum_unit` warning and the coded unit
 * kept in metadata. A comparator marks the value as a bound of a censored measurement: one of R4's
 * QuantityComparator codes (`<`, `<=`, `>=`, `>`) is carried as `comparator`, with an `info`; any other
 * (R5's `ad`, "sufficient to achieve", is a dosing term, not a result) is an error and the value is not
 * mapped, since an unknown bound read as exact would be wrong. Returns null (with an issue) when there is
 * no usable number.
 */
export function readQuantity(q: JsonObject, path: string, run: MappingRun): QuantityValue | null {
  const raw = q.value;
  if (raw === undefined || raw === null) {
    run.issue(path, "missing_value", "warning", "The Quantity has no value");
    return null;
  }
  const decimal = readDecimal(raw);
  if (!decimal.ok) {
    run.issue(`${path}.value`, decimal.code, "error", decimal.message);
    return null;
  }
  const metadata: Record<string, unknown> = {};
  if (decimal.source !== String(decimal.value)) metadata.value_decimal = decimal.source;
  if (decimal.rounded) {
    run.issue(
      `${path}.value`,
      "decimal_rounded",
      "info",
      `${decimal.source} has more than 15 significant digits; mapped as ${decimal.value} (the text is kept in metadata)`,
    );
  }
  if (decimal.fromString) {
    run.issue(
      `${path}.value`,
      "decimal_as_string",
      "warning",
      `The value "${decimal.source}" is a JSON string, not a number`,
    );
  }
  const rawSystem = str(q, "system");
  const system = rawSystem === undefined ? undefined : normalizeSystem(rawSystem);
  const code = str(q, "code");
  const text = str(q, "unit");
  let unit: string | undefined;
  if (system === CODE_SYSTEMS.ucum && code !== undefined && code !== "") {
    unit = code;
  } else {
    unit = text ?? code;
    if (system !== undefined && system !== CODE_SYSTEMS.ucum) {
      metadata.unit_coding = code === undefined ? { system } : { system, code };
      run.issue(
        path,
        "non_ucum_unit",
        "warning",
        `The unit is coded in ${system}${code === undefined ? "" : ` (${code})`}, not UCUM; kept as written${unit === undefined ? "" : ` ("${unit}")`}`,
      );
    }
  }
  const written = str(q, "comparator");
  const comparator = COMPARATORS.find((c) => c === written);
  if (written !== undefined) {
    if (comparator === undefined) {
      run.issue(
        `${path}.comparator`,
        "invalid_comparator",
        "error",
        `"${written}" is not a Quantity comparator (<, <=, >=, >); the value ${decimal.source} is not mapped`,
      );
      return null;
    }
    run.issue(
      path,
      "value_comparator",
      "info",
      `The value is a bound (${comparator} ${decimal.source}), stored with its comparator`,
    );
  }
  const out: QuantityValue = { value: decimal.value, metadata };
  if (unit !== undefined && unit !== "") out.unit = unit;
  if (comparator !== undefined) out.comparator = comparator;
  return out;
}

/** How a measurement is named: source codings, or a variable matched by the concept's text. */
export type Naming = { codings: SourceCoding[]; variable_id?: string; text?: string };

/**
 * Codings without a `system` (R4 Coding.system is 0..1: "a code from an unidentified system"): a
 * sender's local codes. Each gets the sender's local system (`localCodeSystem("fhir", sender)`), as
 * HL7 v2 OBX-3 codes without a coding system do, so the same code from two senders stays two codes and
 * the pipeline holds what no mapping resolves as pending (issue 15). A code that is a well-formed LOINC
 * code (mod-10 check digit, LOINC Users' Guide) is also read as LOINC, first, with a warning.
 */
function localCodings(
  concept: JsonObject | undefined,
  sender: () => string,
  path: string,
  run: MappingRun,
): { loinc: SourceCoding[]; local: SourceCoding[] } {
  const loinc: SourceCoding[] = [];
  const local: SourceCoding[] = [];
  for (const [i, coding] of objs(concept, "coding")) {
    const system = str(coding, "system");
    const code = str(coding, "code")?.trim();
    if ((system !== undefined && system !== "") || code === undefined || code === "") continue;
    const display = str(coding, "display");
    const withDisplay = (c: SourceCoding): SourceCoding => (display === undefined ? c : { ...c, display });
    if (isLoincCode(code)) {
      loinc.push(withDisplay({ system: CODE_SYSTEMS.loinc, code }));
      run.issue(
        `${path}.coding[${i}]`,
        "loinc_code_recognized",
        "warning",
        `The coding has no system; its code "${code}" is a well-formed LOINC code (mod-10 check digit, LOINC Users' Guide) and is read as LOINC ${code}`,
      );
    }
    local.push(withDisplay({ system: localCodeSystem("fhir", sender(), run.context), code }));
  }
  return { loinc, local };
}

/** How a concept's codes local to their sender are kept (issue 15). */
export interface LocalCodes {
  /** The sender (sender.ts `senderOf`; empty: the file), asked only when a local code needs it. */
  sender: () => string;
  /**
   * A concept with only `text` (no coding at all, its text naming no known variable) is kept as a code
   * local to the sender too: the text, trimmed, is the code and the display. R4 CodeableConcept.text is
   * "a human language representation of the concept as seen/selected/uttered by the user who entered
   * the data": for a Condition or a medication often all a sender gives, and as much its own naming as
   * a code without a system (as openEHR analyte names are kept, openehr/canonical.ts). A text longer
   * than a code may be (`CodingRef`, 128 characters) is not a code: `unknown_code` as before.
   */
  text?: boolean;
}

/** The most characters a code has (packages/core `CodingRef.code`): a longer text is not kept as one. */
const MAX_CODE_CHARS = 128;

/**
 * The codings of a CodeableConcept (`preferred` systems first). With `local`, codings without a system
 * are kept as the sender's local codes (after the others; see localCodings), and with `local.text` a
 * concept with only a text too. A concept without a standard coding is matched by its `text` through
 * `MapContext.lookup`; with neither coding nor matching text (nor a text kept as a local code), an
 * `unknown_code` error is issued and null returned.
 */
export function nameOf(
  concept: JsonObject | undefined,
  preferred: readonly string[],
  path: string,
  what: string,
  run: MappingRun,
  local?: LocalCodes,
): Naming | null {
  const standard = codingsOf(concept, preferred);
  const text = str(concept, "text");
  const found = local === undefined ? { loinc: [], local: [] } : localCodings(concept, local.sender, path, run);
  const codings = [...found.loinc, ...standard];
  for (const c of found.local) if (!codings.some((o) => o.system === c.system && o.code === c.code)) codings.push(c);
  const named = found.loinc.length > 0 || standard.length > 0;
  if (named) return text === undefined ? { codings } : { codings, text };
  const match = text !== undefined && text.trim() !== "" ? run.context.lookup.byLabel(text) : null;
  // A local code means something only with its sender; its text may still name a known variable.
  if (match) return { codings, variable_id: match.id, text: text ?? "" };
  if (codings.length > 0) return text === undefined ? { codings } : { codings, text };
  const label = text?.trim() ?? "";
  if (local?.text === true && label !== "" && label.length <= MAX_CODE_CHARS) {
    const system = localCodeSystem("fhir", local.sender(), run.context);
    return { codings: [{ system, code: label, display: label }], text: label };
  }
  if (text !== undefined && text.trim() !== "") {
    run.issue(
      path,
      "unknown_code",
      "error",
      `The ${what} has no coding and its text "${text}" matches no known variable`,
    );
    return null;
  }
  run.issue(path, "unknown_code", "error", `The ${what} has no coding or text`);
  return null;
}
