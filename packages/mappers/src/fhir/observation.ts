/**
 * Observation (R4 observation.html) → measurements: the top-level value[x] and each component's
 * value[x] (components are separate measurements named by their own code, at the parent's time).
 */
import type { Comparator, MappedObservation } from "@dfda/core";
import { CODE_SYSTEMS } from "@dfda/core";
import { parseIsoTimestamp } from "../util/time";
import { readDecimal, readInteger } from "./decimal";
import type { Located, Scope } from "./document";
import {
  type Naming,
  nameOf,
  type QuantityValue,
  readChoiceTime,
  readQuantity,
  shiftInstant,
  type TimeSpan,
  timeFields,
} from "./elements";
import { isObject, type JsonObject, obj, objs, str, toPlain } from "./json";
import { codingsOf, type MappingRun } from "./run";
import { lazySender, senderOf } from "./sender";

/** R4 observation-status: these say there is no result (cancelled) or it must be ignored. */
const EXCLUDED_STATUS = new Set(["cancelled", "entered-in-error"]);

/** One value read from a value[x]; SampledData gives one per data point, offset from the start time. */
interface ValueOut {
  value: number | string | boolean;
  unit?: string;
  comparator?: Comparator;
  metadata: Record<string, unknown>;
  location: string;
  offsetMs?: number;
}

/** The value[x] member of an Observation or component (R4 Observation.value[x], component.value[x]). */
function valueKey(element: JsonObject): string | undefined {
  return Object.keys(element).find((k) => /^value[A-Z]/.test(k));
}

/** A quantity's unit as a UCUM term inside a ratio's unit (parenthesized when compound). */
function unitTerm(unit: string): string {
  return /[./]/.test(unit) ? `(${unit})` : unit;
}

function quantityOut(q: QuantityValue, location: string): ValueOut {
  const out: ValueOut = { value: q.value, metadata: q.metadata, location };
  if (q.unit !== undefined) out.unit = q.unit;
  if (q.comparator !== undefined) out.comparator = q.comparator;
  return out;
}

/** The comparator of the other side: a bound divided by a positive number keeps its side, by a negative one turns. */
const TURNED: Record<Comparator, Comparator> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/**
 * Reads one value[x]. Decisions (documented in the README of this folder):
 * - Range: equal bounds are a value; a single bound is a value with comparator `>=` / `<=`; two different
 *   bounds are not one measurement and are not mapped.
 * - Ratio: numerator ÷ denominator, unit `num/den`; the ratio itself is kept in metadata.
 * - SampledData: expanded to one value per data point at start + i × period (ms).
 * - time, dateTime, Period: the text as written (Period as `start/end`, ISO 8601 interval notation).
 */
function readValue(element: JsonObject, key: string, path: string, run: MappingRun): ValueOut[] {
  const at = `${path}.${key}`;
  const raw = element[key];
  switch (key) {
    case "valueQuantity": {
      if (!isObject(raw)) break;
      const q = readQuantity(raw, at, run);
      return q ? [quantityOut(q, at)] : [];
    }
    case "valueCodeableConcept": {
      if (!isObject(raw)) break;
      const codings = codingsOf(raw);
      const text = str(raw, "text");
      const metadata: Record<string, unknown> = {};
      if (codings.length > 0) {
        metadata.value_coding = codings;
        if (text !== undefined) metadata.value_text = text;
        return [{ value: codings[0]?.code ?? "", metadata, location: at }];
      }
      if (text !== undefined && text !== "") return [{ value: text, metadata: { value_text: text }, location: at }];
      run.issue(at, "missing_value", "warning", "The CodeableConcept value has no coding or text");
      return [];
    }
    case "valueString":
      if (typeof raw !== "string") break;
      if (raw.trim() === "") {
        run.issue(at, "missing_value", "warning", "The string value is empty");
        return [];
      }
      return [{ value: raw, metadata: {}, location: at }];
    case "valueBoolean":
      if (typeof raw !== "boolean") break;
      return [{ value: raw, metadata: {}, location: at }];
    case "valueInteger": {
      const n = readInteger(raw);
      if (!n.ok) {
        run.issue(at, "invalid_value", "error", n.message);
        return [];
      }
      return [{ value: n.value, metadata: {}, location: at }];
    }
    case "valueTime":
      // R4 time: hh:mm:ss[.fff], a time of day without a date.
      if (typeof raw !== "string" || !/^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/.test(raw)) break;
      return [{ value: raw, metadata: { value_type: "time" }, location: at }];
    case "valueDateTime":
      // Validated only: the value is kept as written (its precision and zone are part of the answer).
      if (typeof raw !== "string" || parseIsoTimestamp(raw) === null) break;
      return [{ value: raw, metadata: { value_type: "dateTime" }, location: at }];
    case "valuePeriod": {
      if (!isObject(raw)) break;
      const start = str(raw, "start");
      const end = str(raw, "end");
      if (start === undefined && end === undefined) break;
      return [
        {
          value: `${start ?? ""}/${end ?? ""}`,
          metadata: { value_type: "Period", value_period: toPlain(raw) },
          location: at,
        },
      ];
    }
    case "valueRange":
      if (!isObject(raw)) break;
      return readRange(raw, at, run);
    case "valueRatio":
      if (!isObject(raw)) break;
      return readRatio(raw, at, run);
    case "valueSampledData":
      if (!isObject(raw)) break;
      return readSampledData(raw, at, run);
    default:
      run.issue(at, "unsupported_value_type", "error", `${key} is not an R4 Observation value type`);
      return [];
  }
  run.issue(at, "invalid_value", "error", `${key} is not a valid ${key.slice(5)}`);
  return [];
}

function readRange(range: JsonObject, at: string, run: MappingRun): ValueOut[] {
  const lowQ = obj(range, "low");
  const highQ = obj(range, "high");
  const low = lowQ ? readQuantity(lowQ, `${at}.low`, run) : null;
  const high = highQ ? readQuantity(highQ, `${at}.high`, run) : null;
  if ((lowQ && !low) || (highQ && !high)) return [];
  if (low?.comparator !== undefined || high?.comparator !== undefined) {
    // R4 Range rng-3 (via SimpleQuantity): low and high carry no comparator.
    run.issue(at, "invalid_value", "error", "A Range's low and high are SimpleQuantity: no comparator (rng-3)");
    return [];
  }
  if (low && high) {
    if (low.value === high.value && low.unit === high.unit) return [quantityOut(low, at)];
    run.issue(
      at,
      "unsupported_value_range",
      "error",
      `A range ${low.value}–${high.value}${high.unit === undefined ? "" : ` ${high.unit}`} is not a single measurement`,
    );
    return [];
  }
  const bound = low ?? high;
  if (!bound) {
    run.issue(at, "missing_value", "warning", "The Range has neither low nor high");
    return [];
  }
  // R4 Range: "the low and high values are inclusive", so one bound is >= low or <= high.
  const comparator = low ? ">=" : "<=";
  run.issue(at, "value_comparator", "info", `A one-sided range (${comparator} ${bound.value}) is stored as a bound`);
  return [{ ...quantityOut(bound, at), comparator }];
}

function readRatio(ratio: JsonObject, at: string, run: MappingRun): ValueOut[] {
  const numQ = obj(ratio, "numerator");
  const denQ = obj(ratio, "denominator");
  if (!numQ || !denQ) {
    run.issue(at, "missing_value", "warning", "The Ratio needs both a numerator and a denominator");
    return [];
  }
  const num = readQuantity(numQ, `${at}.numerator`, run);
  const den = readQuantity(denQ, `${at}.denominator`, run);
  if (!num || !den) return [];
  if (den.value === 0) {
    run.issue(at, "invalid_value", "error", "The Ratio's denominator is 0");
    return [];
  }
  let unit: string | undefined;
  if (num.unit !== undefined && den.unit !== undefined) unit = `${unitTerm(num.unit)}/${unitTerm(den.unit)}`;
  else if (num.unit !== undefined) unit = num.unit;
  else if (den.unit !== undefined) unit = `/${unitTerm(den.unit)}`;
  if (den.comparator !== undefined) {
    run.issue(
      at,
      "invalid_value",
      "error",
      "A Ratio whose denominator is a bound is not one bounded value; not mapped",
    );
    return [];
  }
  const metadata: Record<string, unknown> = { value_ratio: toPlain(ratio) };
  const value = num.value / den.value;
  const out: ValueOut = { value, metadata, location: at };
  if (unit !== undefined) out.unit = unit;
  // "<1 : 64" is a ratio below 1/64; a negative denominator turns the bound round.
  if (num.comparator !== undefined) out.comparator = den.value > 0 ? num.comparator : TURNED[num.comparator];
  return [out];
}

/** R4 SampledData: data points "origin + factor × datum", `period` ms apart, E/L/U marking no value. */
function readSampledData(sd: JsonObject, at: string, run: MappingRun): ValueOut[] {
  const originQ = obj(sd, "origin");
  const period = readDecimal(sd.period);
  const data = str(sd, "data");
  if (!originQ || !period.ok || period.value <= 0 || data === undefined) {
    run.issue(
      at,
      "invalid_sampled_data",
      "error",
      "SampledData needs origin, a positive period and data to be expanded into measurements",
    );
    return [];
  }
  const origin = readQuantity(originQ, `${at}.origin`, run);
  if (!origin) return [];
  if (origin.comparator !== undefined) {
    run.issue(at, "invalid_sampled_data", "error", "SampledData.origin is a SimpleQuantity: no comparator (sqty-1)");
    return [];
  }
  const factorRaw = sd.factor;
  let factor = 1;
  if (factorRaw !== undefined) {
    const f = readDecimal(factorRaw);
    if (!f.ok) {
      run.issue(`${at}.factor`, f.code, "error", f.message);
      return [];
    }
    factor = f.value;
  }
  const dimensionsRaw = sd.dimensions;
  const dimensions = dimensionsRaw === undefined ? { ok: true as const, value: 1 } : readInteger(dimensionsRaw);
  if (!dimensions.ok || dimensions.value < 1) {
    run.issue(`${at}.dimensions`, "invalid_sampled_data", "error", "SampledData.dimensions must be a positive integer");
    return [];
  }
  const tokens = data.trim() === "" ? [] : data.trim().split(/\s+/);
  const out: ValueOut[] = [];
  let skipped = 0;
  let invalid = 0;
  tokens.forEach((token, k) => {
    if (token === "E" || token === "L" || token === "U") {
      skipped++;
      return;
    }
    const d = readDecimal(token);
    if (!d.ok) {
      invalid++;
      return;
    }
    const metadata: Record<string, unknown> = { ...origin.metadata, sample_index: k };
    if (dimensions.value > 1) metadata.sample_dimension = k % dimensions.value;
    const point: ValueOut = {
      value: origin.value + factor * d.value,
      metadata,
      location: `${at}.data[${k}]`,
      offsetMs: Math.floor(k / dimensions.value) * period.value,
    };
    if (origin.unit !== undefined) point.unit = origin.unit;
    out.push(point);
  });
  if (skipped > 0) {
    run.issue(
      at,
      "sampled_data_gaps",
      "info",
      `${skipped} data points are E/L/U (error or outside the limits) and carry no value`,
    );
  }
  if (invalid > 0) run.issue(at, "invalid_value", "error", `${invalid} data points are not decimals`);
  if (tokens.length === 0) run.issue(at, "missing_value", "warning", "SampledData has no data points");
  return out;
}

/** A measurement found in the Observation before its time is known. */
interface Part {
  naming: Naming;
  values: ValueOut[];
  extra: Record<string, unknown>;
}

/**
 * The Observation's time: effective[x]; else the DiagnosticReport that lists it (its effective[x] is
 * "the clinically relevant time" of its results, R4 DiagnosticReport.effective[x]); else `issued`, with a
 * warning (when the results were released, not when observed). effectiveTiming and other forms are not
 * mappable. Returns null when nothing applies; issues say why.
 */
function observationTime(located: Located, scope: Scope): TimeSpan | null {
  const { run } = scope;
  const o = located.resource;
  const own = readChoiceTime(o, "effective", located.path, run);
  if (own.kind === "time") return own.span;
  if (own.kind === "unusable" && own.element === "effectiveTiming") {
    run.issue(
      `${located.path}.effectiveTiming`,
      "unsupported_timing",
      "error",
      "effectiveTiming describes a schedule, not when this value was observed; not mapped",
    );
    return null;
  }
  const report = scope.reports.get(o);
  if (report) {
    const fromReport = readChoiceTime(report.resource, "effective", report.path, run);
    if (fromReport.kind === "time") {
      return { ...fromReport.span, element: `DiagnosticReport.${fromReport.span.element}` };
    }
  }
  const issued = str(o, "issued");
  const time = run.time(issued, `${located.path}.issued`);
  if (time) {
    run.issue(
      located.path,
      "fallback_time",
      "warning",
      "The Observation has no effective[x]; its issued time (when the result was released) is used",
    );
    return { start: time, element: "issued" };
  }
  return null;
}

/** Maps one Observation (once: a result referenced from a DiagnosticReport and listed in a Bundle maps once). */
export function mapObservation(located: Located, container: Located, scope: Scope): void {
  const { run } = scope;
  const o = located.resource;
  const path = located.path;
  if (run.mapped.has(o)) return;
  run.mapped.add(o);

  const status = str(o, "status");
  if (status !== undefined && EXCLUDED_STATUS.has(status)) {
    run.issue(path, "excluded_status", "info", `Observation status is "${status}": no result to map`);
    return;
  }
  // hasMember may point at contained Observations (R4 Observation.hasMember, dom-3).
  for (const [i, member] of objs(o, "hasMember")) {
    const target = scope.index.resolve(str(member, "reference"), located, container);
    if (target?.contained && str(target.resource, "resourceType") === "Observation") {
      mapObservation(target, container, scope);
    } else if (!target && str(member, "reference")?.startsWith("#")) {
      run.issue(`${path}.hasMember[${i}]`, "unresolved_reference", "warning", "The contained member is missing");
    }
  }

  const code = obj(o, "code");
  const parentCodings = codingsOf(code, [CODE_SYSTEMS.loinc]);
  // Observation.performer may be the Organization that sent it (R4 Reference(…|Organization)).
  const senderOnce = lazySender(() =>
    senderOf(
      located,
      container,
      scope,
      objs(o, "performer").map(([, p]) => p),
    ),
  );
  const parts: Part[] = [];
  const key = valueKey(o);
  if (key !== undefined) {
    const naming = nameOf(code, [CODE_SYSTEMS.loinc], `${path}.code`, "Observation code", run, {
      sender: senderOnce,
    });
    const values = readValue(o, key, path, run);
    if (naming && values.length > 0) parts.push({ naming, values, extra: measurementMetadata(o) });
  } else if (obj(o, "dataAbsentReason")) {
    run.issue(path, "data_absent", "info", `No value: ${absentReason(o)}`);
  }
  const components = objs(o, "component");
  for (const [i, component] of components) {
    const cpath = `${path}.component[${i}]`;
    const ckey = valueKey(component);
    if (ckey === undefined) {
      if (obj(component, "dataAbsentReason"))
        run.issue(cpath, "data_absent", "info", `No value: ${absentReason(component)}`);
      else run.issue(cpath, "missing_value", "warning", "The component has no value[x]");
      continue;
    }
    const naming = nameOf(obj(component, "code"), [CODE_SYSTEMS.loinc], `${cpath}.code`, "component code", run, {
      sender: senderOnce,
    });
    const values = readValue(component, ckey, cpath, run);
    if (!naming || values.length === 0) continue;
    const extra = measurementMetadata(component);
    if (parentCodings.length > 0) extra.panel_codings = parentCodings;
    parts.push({ naming, values, extra });
  }
  if (key === undefined && components.length === 0 && !obj(o, "dataAbsentReason")) {
    if (objs(o, "hasMember").length > 0) {
      run.issue(
        path,
        "panel_without_value",
        "info",
        "A panel: its values are the member Observations (hasMember), mapped where they appear",
      );
    } else {
      run.issue(path, "missing_value", "warning", "The Observation has no value[x] or component");
    }
  }
  if (parts.length === 0) return;
  checkBloodPressurePanel(o, path, parentCodings, run);

  const span = observationTime(located, scope);
  if (!span) {
    const count = parts.reduce((n, p) => n + p.values.length, 0);
    run.issue(
      path,
      "missing_time",
      "error",
      `The Observation has no usable effective[x] or issued time; ${count} value${count === 1 ? "" : "s"} not mapped`,
    );
    return;
  }
  const times = timeFields(span);
  const base: Record<string, unknown> = { resource_type: "Observation" };
  const id = str(o, "id");
  if (id !== undefined) base.fhir_id = id;
  if (status !== undefined) base.status = status;
  const categories = objs(o, "category").flatMap(([, c]) => codingsOf(c).map((x) => x.code));
  if (categories.length > 0) base.category = categories;
  if (
    span.element !== "effectiveDateTime" &&
    span.element !== "effectivePeriod" &&
    span.element !== "effectiveInstant"
  ) {
    base.time_source = span.element;
  }
  const report = scope.reports.get(o);
  if (report) {
    const reportId = str(report.resource, "id");
    base.diagnostic_report = reportId ?? report.path;
  }
  const note = objs(o, "note")
    .map(([, n]) => str(n, "text"))
    .filter((t): t is string => t !== undefined && t !== "")
    .join("\n");

  for (const part of parts) {
    for (const v of part.values) {
      const observation: MappedObservation = {
        codings: part.naming.codings,
        value: v.value,
        start_at: v.offsetMs === undefined ? times.start_at : shiftInstant(times.start_at, v.offsetMs),
        location: v.location,
        metadata: { ...base, ...times.metadata, ...part.extra, ...v.metadata },
      };
      if (part.naming.variable_id !== undefined) observation.variable_id = part.naming.variable_id;
      if (part.naming.text !== undefined && observation.metadata) observation.metadata.code_text = part.naming.text;
      if (v.unit !== undefined) observation.unit = v.unit;
      if (v.comparator !== undefined) observation.comparator = v.comparator;
      if (times.end_at !== undefined && v.offsetMs === undefined) observation.end_at = times.end_at;
      if (note !== "") observation.note = note;
      run.observation(observation);
    }
  }
}

/** Interpretation and reference ranges of an Observation or component, as given. */
function measurementMetadata(element: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (element.interpretation !== undefined) out.interpretation = toPlain(element.interpretation);
  if (element.referenceRange !== undefined) out.reference_range = toPlain(element.referenceRange);
  return out;
}

function absentReason(element: JsonObject): string {
  const reason = obj(element, "dataAbsentReason");
  const coding = codingsOf(reason)[0];
  return coding?.display ?? coding?.code ?? str(reason, "text") ?? "dataAbsentReason";
}

/**
 * R4 vital signs profiles (observation-vitalsigns.html, profile "bp"): an Observation carrying systolic
 * (8480-6) / diastolic (8462-4) components SHALL be coded 85354-9. The components are still mapped by
 * their own codes; the warning tells the uploader the file does not conform (e.g. obs-vs-1.json).
 */
function checkBloodPressurePanel(
  o: JsonObject,
  path: string,
  parentCodings: ReturnType<typeof codingsOf>,
  run: MappingRun,
): void {
  const loinc = (c: { system: string; code: string }) => c.system === CODE_SYSTEMS.loinc;
  const hasBpComponent = objs(o, "component").some(([, c]) =>
    codingsOf(obj(c, "code")).some((x) => loinc(x) && (x.code === "8480-6" || x.code === "8462-4")),
  );
  if (!hasBpComponent || parentCodings.some((x) => loinc(x) && x.code === "85354-9")) return;
  run.issue(
    `${path}.code`,
    "vital_signs_profile",
    "warning",
    "Systolic/diastolic components without the blood pressure panel code 85354-9 (R4 vital signs profile); components mapped by their own codes",
  );
}
