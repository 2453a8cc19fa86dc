/**
 * What one C-CDA entry means: the entries of the Vital Signs, Results, Medications and Problem sections
 * turned into observations (or issues saying why not). Each function sees one entry's element tree only.
 *
 * Templates (HL7 C-CDA R2.1, Vol. 2): Result Organizer 4.1 / Result Observation 4.2, Vital Signs
 * Organizer 4.26 / Vital Sign Observation 4.27, Medication Activity 4.16, Problem Concern Act 4.3 /
 * Problem Observation 4.4 / Problem Status 4.6.
 */
import {
  CODE_SYSTEMS,
  type Comparator,
  localCodeSystem,
  type MapContext,
  type MapEvent,
  type MappedObservation,
  type MappingSeverity,
  type SourceCoding,
} from "@dfda/core";
import { isLoincCode } from "../util/loinc";
import type { ParsedTime } from "../util/time";
import {
  type Clock,
  codingOf,
  codings,
  type Interval,
  labelOf,
  parseDecimal,
  preferSystems,
  quantityOf,
  readInterval,
  referenceRanges,
  systemUri,
} from "./datatypes";
import { attr, child, childrenNamed, deepText, descend, templateIds, type XmlElement } from "./element";
import { SECTION_LABEL, type SectionKind, TEMPLATES } from "./sections";

/** statusCode values (HL7 V3 ActStatus) under which an act carries no measurement. */
const VOID_STATUSES = new Set(["cancelled", "aborted", "nullified", "obsolete"]);
/** statusCode values of a result that is not yet available (C-CDA Result Observation: `active` = pending). */
const PENDING_STATUSES = new Set(["active", "new", "held", "suspended"]);
/** effectiveTime types of a Medication Activity that give a frequency, not the period of use (C-CDA 4.16 CONF:1098-7513). */
const PERIODIC_TIME_TYPES = new Set(["PIVL_TS", "EIVL_TS", "PIVL_PPD_TS", "SXPR_TS"]);
/** Problem Status values (value set 2.16.840.1.113883.3.88.12.80.68, SNOMED CT). */
const PROBLEM_STATUS: Record<string, string> = {
  "55561003": "active",
  "73425007": "inactive",
  "413322009": "resolved",
};

/** The outcome of reading an observation `value`. */
type ValueRead =
  | {
      kind: "value";
      value: number | string | boolean;
      unit?: string;
      /** A censored value's comparator: an IVL_PQ with one bound. */
      comparator?: Comparator;
      metadata: Record<string, unknown>;
      warnings: { code: string; message: string }[];
    }
  | { kind: "none"; message: string }
  | { kind: "error"; code: string; message: string };

const INTEGER = /^[+-]?\d+$/;

/** The value of an observation (`observation/value`, HL7 V3 ANY with `xsi:type`; C-CDA 4.2 CONF:1198-7143). */
export function readValue(element: XmlElement | undefined): ValueRead {
  if (!element) return { kind: "none", message: "it has no value" };
  const nullFlavor = attr(element, "nullFlavor");
  const type = element.xsiType ?? inferType(element);
  switch (type) {
    case "PQ":
      return readPq(element);
    case "IVL_PQ":
      return readIvlPq(element);
    case "INT": {
      const text = attr(element, "value");
      if (text !== undefined && INTEGER.test(text)) return plain(Number(text));
      return nullOrInvalid(nullFlavor, text, "INT");
    }
    case "REAL": {
      const n = parseDecimal(attr(element, "value"));
      if (n !== undefined) return plain(n);
      return nullOrInvalid(nullFlavor, attr(element, "value"), "REAL");
    }
    case "BL": {
      const text = attr(element, "value");
      if (text === "true" || text === "false") return plain(text === "true");
      return nullOrInvalid(nullFlavor, text, "BL");
    }
    case "ST": {
      const text = deepText(element);
      if (text !== "") return plain(text);
      return {
        kind: "none",
        message: nullFlavor ? `its value has nullFlavor ${nullFlavor}` : "its string value is empty",
      };
    }
    case "CD":
    case "CE":
    case "CV":
    case "CO": {
      const list = codings(element);
      const first = list[0];
      if (first) return { kind: "value", value: first.code, metadata: { value_coding: list }, warnings: [] };
      // A CD with nullFlavor OTH may still carry the text it was coded from (HL7 V3 DT R1 §2.14.2).
      const text = deepText(child(element, "originalText"));
      if (text !== "") return plain(text);
      return {
        kind: "none",
        message: nullFlavor ? `its coded value has nullFlavor ${nullFlavor}` : "its coded value has no code",
      };
    }
    default:
      if (nullFlavor) return { kind: "none", message: `its value has nullFlavor ${nullFlavor}` };
      return {
        kind: "error",
        code: "unsupported_value_type",
        message: `Values of type ${type} are not supported (PQ, IVL_PQ, INT, REAL, ST, CD/CE/CV/CO and BL are).`,
      };
  }
}

/** A `value` without `xsi:type` (schema-invalid, but seen): shaped like a PQ, a CD, or text. */
function inferType(element: XmlElement): string {
  if (attr(element, "unit") !== undefined || parseDecimal(attr(element, "value")) !== undefined) return "PQ";
  if (attr(element, "value") === "true" || attr(element, "value") === "false") return "BL";
  if (attr(element, "code") !== undefined) return "CD";
  return "ST";
}

function plain(value: number | string | boolean): ValueRead {
  return { kind: "value", value, metadata: {}, warnings: [] };
}

function nullOrInvalid(nullFlavor: string | undefined, text: string | undefined, type: string): ValueRead {
  if (nullFlavor) return { kind: "none", message: `its value has nullFlavor ${nullFlavor}` };
  if (text === undefined) return { kind: "none", message: "its value is empty" };
  return { kind: "error", code: "invalid_value", message: `"${text}" is not a valid ${type} value.` };
}

/** A PQR `translation` of a PQ (HL7 V3 DT R1 §2.22.4): the value in another unit system. */
interface PqTranslation {
  value: number | undefined;
  code: string | undefined;
  codeSystem: string | undefined;
  originalText: string;
}

function pqTranslations(element: XmlElement): PqTranslation[] {
  return childrenNamed(element, "translation").map((t) => ({
    value: parseDecimal(attr(t, "value")),
    code: attr(t, "nullFlavor") ? undefined : attr(t, "code"),
    codeSystem: attr(t, "codeSystem"),
    originalText: deepText(child(t, "originalText")),
  }));
}

/**
 * PQ. C-CDA requires UCUM in `@unit` (Result Observation CONF:1198-31484), so the PQ's own value and unit
 * win over any `translation`, which is kept in metadata. When the lab's unit is not UCUM, C-CDA R2.1
 * sends `value/@nullFlavor="OTH"` with the number and unit in a `translation` (its `originalText` the unit
 * as received): that value is mapped with the unit as written and a `non_ucum_unit` warning.
 */
function readPq(element: XmlElement): ValueRead {
  const translations = pqTranslations(element);
  const quantity = quantityOf(element);
  if (quantity) {
    const metadata: Record<string, unknown> = {};
    const kept = translations.filter((t) => t.value !== undefined);
    if (kept.length > 0) {
      metadata.value_translations = kept.map((t) => {
        const unit = t.code ?? t.originalText;
        return {
          value: t.value,
          ...(unit !== "" ? { unit } : {}),
          ...(t.codeSystem ? { system: systemUri(t.codeSystem) } : {}),
        };
      });
    }
    return { kind: "value", value: quantity.value, unit: quantity.unit, metadata, warnings: [] };
  }
  const text = attr(element, "value");
  if (text !== undefined && !attr(element, "nullFlavor")) {
    return { kind: "error", code: "invalid_value", message: `"${text}" is not a valid PQ value.` };
  }
  const translated = translations.find((t) => t.value !== undefined && (t.code !== undefined || t.originalText !== ""));
  if (translated && translated.value !== undefined) {
    const ucum = translated.codeSystem === "2.16.840.1.113883.6.8" && translated.code !== undefined;
    const unit = (ucum ? translated.code : translated.originalText || translated.code) ?? "1";
    const metadata: Record<string, unknown> = {};
    if (translated.codeSystem) metadata.unit_system = systemUri(translated.codeSystem);
    const warnings = ucum
      ? []
      : [
          {
            code: "non_ucum_unit",
            message: `The unit "${unit}" is not UCUM (value nullFlavor=${attr(element, "nullFlavor") ?? "none"}, unit in translation${translated.originalText ? "/originalText" : "/@code"}); it was kept as written.`,
          },
        ];
    return { kind: "value", value: translated.value, unit, metadata, warnings };
  }
  const nullFlavor = attr(element, "nullFlavor");
  return { kind: "none", message: nullFlavor ? `its value has nullFlavor ${nullFlavor}` : "its value is empty" };
}

/**
 * IVL_PQ (HL7 V3 DT R1 §2.27). A one-sided interval is how C-CDA writes a censored result such as ">500"
 * (C-CDA Examples "Result with greater than a specified value"): `low` with `inclusive="false"` and `high`
 * nullFlavor PINF. It maps to the bound with its `comparator` (`>`, `>=`, `<`, `<=`, as FHIR
 * Quantity.comparator): `>` for a low bound with `inclusive="false"`, `>=` for one inclusive (the
 * default, DT R1 §2.27.2), `<` / `<=` likewise for a high bound; a missing or infinite other bound
 * (nullFlavor PINF / NINF) is no bound. A point interval (low = high, or `center`) maps to that value; a true range
 * (e.g. "2-5") is not a single measurement and is not mapped.
 */
function readIvlPq(element: XmlElement): ValueRead {
  const nullFlavor = attr(element, "nullFlavor");
  if (nullFlavor) return { kind: "none", message: `its value has nullFlavor ${nullFlavor}` };
  const lowEl = child(element, "low");
  const highEl = child(element, "high");
  const low = quantityOf(lowEl);
  const high = quantityOf(highEl);
  const point = quantityOf(element) ?? quantityOf(child(element, "center"));
  const value = (q: { value: number; unit: string }, comparator?: Comparator): ValueRead =>
    comparator === undefined
      ? { kind: "value", value: q.value, unit: q.unit, metadata: {}, warnings: [] }
      : { kind: "value", value: q.value, unit: q.unit, comparator, metadata: {}, warnings: [] };
  if (point && !low && !high) return value(point);
  if (low && high) {
    if (low.value === high.value && low.unit === high.unit) return value(low);
    return {
      kind: "error",
      code: "unsupported_range",
      message: `The value is a range (${low.value} ${low.unit} to ${high.value} ${high.unit}), not a single measurement.`,
    };
  }
  // `inclusive` defaults to true (HL7 V3 DT R1 §2.27.2).
  if (low) return value(low, attr(lowEl, "inclusive") === "false" ? ">" : ">=");
  if (high) return value(high, attr(highEl, "inclusive") === "false" ? "<" : "<=");
  return { kind: "none", message: "its interval value has no bounds" };
}

/** Maps the entries of one section, emitting observations and issues in document order. */
export class EntryMapper {
  /**
   * The document's sender, for codes without a code system: the custodian organization's id, else the
   * author's represented organization's (CDA R2 header; `root^extension`, set by the reader).
   */
  sender = "";

  constructor(
    private readonly context: MapContext,
    private readonly clock: Clock,
    private readonly emit: (event: MapEvent) => void,
  ) {}

  map(entry: XmlElement, kind: SectionKind): void {
    if (kind === "medications") this.medicationEntry(entry);
    else if (kind === "problems") this.problemEntry(entry);
    else this.measurementEntry(entry, kind);
  }

  private issue(location: string | null, code: string, severity: MappingSeverity, message: string): void {
    this.emit({ kind: "issue", issue: { location, code, severity, message } });
  }

  /** Emits an observation, after the once-per-file timezone warning its times may raise. */
  private observe(observation: MappedObservation, times: ParsedTime[]): void {
    for (const time of times) this.clock.used(time);
    for (const issue of this.clock.issues.splice(0)) this.emit({ kind: "issue", issue });
    this.emit({ kind: "observation", observation });
  }

  /** No coding: the label (originalText, displayName) matched through the catalog, if it matches. */
  /**
   * A `code` with `@code` but no `@codeSystem` (HL7 V3 DT R1 CD: the system is then unknown): the
   * sender's local code, `localCodeSystem("ccda", sender)`, after the coded ones, so the pipeline holds
   * it as pending (issue 15) rather than losing it. A document naming no custodian or author organization
   * is its own sender (the file's hash, `MapContext.fileSha256`). A well-formed LOINC code (mod-10 check digit) is also
   * read as LOINC, first, with a `loinc_code_recognized` warning.
   */
  private localCodings(element: XmlElement | undefined, location: string, coded: SourceCoding[]): SourceCoding[] {
    const code = attr(element, "code")?.trim();
    if (!element || code === undefined || code === "" || attr(element, "codeSystem") !== undefined) return [];
    if (attr(element, "nullFlavor") !== undefined) return [];
    const display = attr(element, "displayName");
    const out: SourceCoding[] = [];
    if (isLoincCode(code) && !coded.some((c) => c.system === CODE_SYSTEMS.loinc && c.code === code)) {
      out.push(
        display === undefined ? { system: CODE_SYSTEMS.loinc, code } : { system: CODE_SYSTEMS.loinc, code, display },
      );
      this.issue(
        location,
        "loinc_code_recognized",
        "warning",
        `The code "${code}" has no codeSystem; it is a well-formed LOINC code (mod-10 check digit, LOINC Users' Guide) and is read as LOINC ${code}.`,
      );
    }
    const system = localCodeSystem("ccda", this.sender, this.context);
    out.push(display === undefined ? { system, code } : { system, code, display });
    return out;
  }

  private variableFor(label: string | undefined): string | undefined {
    if (label === undefined || label === "") return undefined;
    return this.context.lookup.byLabel(label)?.id;
  }

  /** Status checks every act shares; returns false (after an info issue) when the act holds no data. */
  private usable(act: XmlElement, what: string): boolean {
    const nullFlavor = attr(act, "nullFlavor");
    if (nullFlavor) {
      this.issue(act.path, "no_information", "info", `The ${what} has nullFlavor ${nullFlavor}: no information.`);
      return false;
    }
    const mood = attr(act, "moodCode");
    if (mood !== undefined && mood !== "EVN") {
      this.issue(
        act.path,
        "not_performed",
        "info",
        `The ${what} has moodCode ${mood}: it is not a record of something that happened.`,
      );
      return false;
    }
    const status = attr(child(act, "statusCode"), "code");
    if (status !== undefined && VOID_STATUSES.has(status)) {
      this.issue(act.path, "cancelled", "info", `The ${what} has statusCode ${status}: no data.`);
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- Vital signs and results

  private measurementEntry(entry: XmlElement, kind: SectionKind): void {
    let found = false;
    for (const act of entry.children) {
      if (!act.cda) continue;
      if (act.name === "organizer") {
        found = true;
        this.organizer(act, kind);
      } else if (act.name === "observation") {
        // An observation directly in the entry (older documents): read it like an organizer's component.
        found = true;
        this.measurement(act, kind, undefined);
      }
    }
    if (!found) {
      this.issue(
        entry.path,
        "unsupported_entry",
        "info",
        `This ${SECTION_LABEL[kind]} entry holds no organizer or observation; it was not mapped.`,
      );
    }
  }

  private organizer(organizer: XmlElement, kind: SectionKind): void {
    const what = kind === "vital_signs" ? "vital signs organizer" : "result organizer";
    if (!this.usable(organizer, what)) return;
    const observations = childrenNamed(organizer, "component").flatMap((c) => childrenNamed(c, "observation"));
    if (observations.length === 0) {
      this.issue(organizer.path, "empty_organizer", "info", `The ${what} has no component observations.`);
      return;
    }
    for (const observation of observations) this.measurement(observation, kind, organizer);
  }

  /** A Vital Sign Observation (4.27) or Result Observation (4.2). */
  private measurement(observation: XmlElement, kind: SectionKind, organizer: XmlElement | undefined): void {
    const what = kind === "vital_signs" ? "vital sign observation" : "result observation";
    if (!this.usable(observation, what)) return;
    const location = observation.path;
    if (attr(observation, "negationInd") === "true") {
      this.issue(location, "negated", "info", `The ${what} is negated (negationInd="true"): nothing was observed.`);
      return;
    }
    const status = attr(child(observation, "statusCode"), "code");
    const codeElement = child(observation, "code");
    const standard = preferSystems(codings(codeElement), [CODE_SYSTEMS.loinc]);
    const label = labelOf(codeElement);
    const variableId = standard.length === 0 ? this.variableFor(label) : undefined;
    const codingList = [...standard, ...this.localCodings(codeElement, location, standard)];
    const name = codingList[0]?.code ?? label ?? "observation";

    const read = readValue(child(observation, "value"));
    if (read.kind === "none") {
      if (status !== undefined && PENDING_STATUSES.has(status)) {
        this.issue(location, "pending_result", "info", `${name} has statusCode ${status} and no value yet (pending).`);
      } else {
        this.issue(location, "no_value", "info", `${name} was not mapped: ${read.message}.`);
      }
      return;
    }
    if (read.kind === "error") {
      this.issue(location, read.code, "error", `${name}: ${read.message}`);
      return;
    }
    if (codingList.length === 0 && variableId === undefined) {
      this.issue(
        location,
        "missing_code",
        "error",
        `The ${what} has no code with a code system${label ? ` and "${label}" matches no variable` : ""}.`,
      );
      return;
    }

    // effectiveTime of the observation, else of its organizer (C-CDA 4.1/4.26: the organizer's
    // effectiveTime spans its components).
    let interval = readInterval(child(observation, "effectiveTime"), this.clock);
    const invalid = [...interval.invalid];
    if (!interval.start && !interval.end && organizer) {
      interval = readInterval(child(organizer, "effectiveTime"), this.clock);
      invalid.push(...interval.invalid);
    }
    const times = resolveTimes(interval);
    if (!times) {
      this.missingTime(location, name, invalid);
      return;
    }

    const metadata: Record<string, unknown> = { section: kind, ...read.metadata };
    if (status !== undefined) metadata.status = status;
    addPrecision(metadata, times.start);
    const panel = organizer ? codings(child(organizer, "code")) : [];
    if (panel.length > 0) metadata.panel = panel;
    const interpretation = childrenNamed(observation, "interpretationCode")
      .map((i) => attr(i, "code"))
      .filter((c): c is string => c !== undefined);
    if (interpretation.length > 0) metadata.interpretation = interpretation;
    const ranges = referenceRanges(observation);
    if (ranges.length > 0) metadata.reference_range = ranges;
    const originalUnit = unitOriginalText(observation);
    if (originalUnit !== undefined) metadata.unit_original_text = originalUnit;
    const id = sourceId(observation);
    if (id !== undefined) metadata.source_id = id;

    for (const warning of read.warnings) this.issue(location, warning.code, "warning", `${name}: ${warning.message}`);
    const out: MappedObservation = {
      codings: codingList,
      value: read.value,
      start_at: times.start.instant,
      metadata,
      location,
    };
    if (variableId !== undefined) out.variable_id = variableId;
    if (read.unit !== undefined) out.unit = read.unit;
    if (read.comparator !== undefined) out.comparator = read.comparator;
    if (times.end) out.end_at = times.end.instant;
    this.observe(out, times.end ? [times.start, times.end] : [times.start]);
  }

  private missingTime(location: string, name: string, invalid: string[]): void {
    this.issue(
      location,
      "missing_time",
      "error",
      invalid.length > 0
        ? `${name} was not mapped: its time ${invalid.map((t) => `"${t}"`).join(", ")} is not a valid HL7 TS.`
        : `${name} was not mapped: it has no effectiveTime.`,
    );
  }

  // ---------------------------------------------------------------- Medications

  private medicationEntry(entry: XmlElement): void {
    const activities = childrenNamed(entry, "substanceAdministration");
    if (activities.length === 0) {
      this.issue(entry.path, "unsupported_entry", "info", "This Medications entry holds no substanceAdministration.");
      return;
    }
    for (const activity of activities) this.medication(activity);
  }

  /**
   * A Medication Activity (4.16). Only `moodCode="EVN"` is a record of the drug having been taken;
   * `INT` (intended: prescribed, planned) and the other moods are plans and are not mapped as intake.
   */
  private medication(activity: XmlElement): void {
    const location = activity.path;
    const mood = attr(activity, "moodCode");
    if (mood !== undefined && mood !== "EVN" && !attr(activity, "nullFlavor")) {
      this.issue(
        location,
        "not_taken",
        "info",
        `The medication activity has moodCode ${mood}${mood === "INT" ? " (intended)" : ""}: it records a plan, not an intake; only moodCode EVN is mapped.`,
      );
      return;
    }
    if (!this.usable(activity, "medication activity")) return;
    if (attr(activity, "negationInd") === "true") {
      this.issue(location, "not_taken", "info", 'The medication activity is negated (negationInd="true"): not taken.');
      return;
    }
    const material = descend(activity, "consumable", "manufacturedProduct", "manufacturedMaterial");
    const codeElement = child(material, "code");
    const codingList = preferSystems(codings(codeElement), [CODE_SYSTEMS.rxnorm]);
    const label = labelOf(codeElement) ?? (deepText(child(material, "name")) || undefined);
    const variableId = codingList.length === 0 ? this.variableFor(label) : undefined;
    const name = codingList[0]?.display ?? label ?? codingList[0]?.code ?? "medication";
    if (codingList.length === 0 && variableId === undefined) {
      this.issue(
        location,
        "missing_code",
        "error",
        `The medication activity names no drug code${label ? ` and "${label}" matches no variable` : ""}.`,
      );
      return;
    }

    const doseElement = child(activity, "doseQuantity");
    const dose = quantityOf(doseElement)?.value ?? pointOf(doseElement);
    if (!dose) {
      this.issue(location, "missing_dose", "error", `${name}: the medication activity has no doseQuantity value.`);
      return;
    }
    const effective = childrenNamed(activity, "effectiveTime");
    const period = effective.find((e) => !PERIODIC_TIME_TYPES.has(e.xsiType ?? ""));
    const interval = readInterval(period, this.clock);
    const times = interval.start ? resolveTimes(interval) : undefined;
    if (!times) {
      this.missingTime(location, name, interval.invalid);
      return;
    }

    const metadata: Record<string, unknown> = { section: "medications", mood: "EVN" };
    const status = attr(child(activity, "statusCode"), "code");
    if (status !== undefined) metadata.status = status;
    addPrecision(metadata, times.start);
    // doseQuantity without a unit counts administration units of the product (tablets, puffs):
    // HL7 V3 PQ's default unit `1`, or the UCUM annotation of administrationUnitCode (`{tablet}`).
    let unit = attr(doseElement, "unit") ?? attr(child(doseElement, "low"), "unit");
    const form = codingOf(child(activity, "administrationUnitCode"));
    if (form) metadata.administration_unit = form;
    if (unit === undefined) {
      const formName = form?.display?.toLowerCase().replace(/[{}]/g, "").trim();
      unit = formName ? `{${formName}}` : "1";
      metadata.dose_in_product_units = true;
    }
    const route = codingOf(child(activity, "routeCode"));
    if (route) metadata.route = route;
    const frequency = effective.map(frequencyOf).find((f) => f !== undefined);
    if (frequency) metadata.frequency = frequency;
    const id = sourceId(activity);
    if (id !== undefined) metadata.source_id = id;

    const out: MappedObservation = {
      codings: codingList,
      value: dose,
      unit,
      start_at: times.start.instant,
      metadata,
      location,
    };
    if (variableId !== undefined) out.variable_id = variableId;
    if (times.end) out.end_at = times.end.instant;
    this.observe(out, times.end ? [times.start, times.end] : [times.start]);
  }

  // ---------------------------------------------------------------- Problems

  private problemEntry(entry: XmlElement): void {
    let found = false;
    for (const act of entry.children) {
      if (!act.cda) continue;
      if (act.name === "act") {
        const concernUsable = this.usable(act, "problem concern act");
        if (!concernUsable) {
          found = true;
          continue;
        }
        for (const relationship of childrenNamed(act, "entryRelationship")) {
          for (const observation of childrenNamed(relationship, "observation")) {
            if (!isProblemObservation(observation)) continue;
            found = true;
            this.problem(observation, act);
          }
        }
      } else if (act.name === "observation" && isProblemObservation(act)) {
        found = true;
        this.problem(act, undefined);
      }
    }
    if (!found) {
      this.issue(entry.path, "unsupported_entry", "info", "This Problem entry holds no Problem Observation.");
    }
  }

  /**
   * A Problem Observation (4.4): the condition is `value` (CD, SNOMED CT or ICD-10-CM); `value` of the
   * mapped observation is true over [effectiveTime low, high) (onset, resolution), false when negated
   * (negationInd="true"). Resolved or inactive without a resolution date: see below.
   */
  private problem(observation: XmlElement, concern: XmlElement | undefined): void {
    const location = observation.path;
    if (!this.usable(observation, "problem observation")) return;
    const valueElement = child(observation, "value");
    const codingList = preferSystems(codings(valueElement), [CODE_SYSTEMS.snomed, CODE_SYSTEMS.icd10cm]);
    const label = labelOf(valueElement);
    const variableId = codingList.length === 0 ? this.variableFor(label) : undefined;
    const name = codingList[0]?.display ?? label ?? codingList[0]?.code ?? "problem";
    if (codingList.length === 0 && variableId === undefined) {
      const nullFlavor = attr(valueElement, "nullFlavor");
      if (nullFlavor && !label) {
        this.issue(
          location,
          "no_information",
          "info",
          `The problem value has nullFlavor ${nullFlavor}: no information.`,
        );
      } else {
        this.issue(
          location,
          "missing_code",
          "error",
          `The problem observation has no coded value${label ? ` and "${label}" matches no variable` : ""}.`,
        );
      }
      return;
    }

    const negated = attr(observation, "negationInd") === "true";
    const interval = readInterval(child(observation, "effectiveTime"), this.clock);
    const metadata: Record<string, unknown> = { section: "problems" };
    const clinicalStatus = problemStatus(observation);
    if (clinicalStatus !== undefined) metadata.clinical_status = clinicalStatus;
    const concernStatus = attr(child(concern, "statusCode"), "code");
    if (concernStatus !== undefined) metadata.concern_status = concernStatus;
    const problemType = codings(child(observation, "code"));
    if (problemType.length > 0) metadata.problem_type = problemType;
    if (negated) metadata.negated = true;

    let value = !negated;
    let start = interval.start;
    const end = interval.end;
    if (!start) {
      // Onset unknown: when the concern was recorded (its effectiveTime low, else the author time) is
      // when the problem was known to be present.
      const fallback =
        readInterval(child(concern, "effectiveTime"), this.clock).start ??
        this.clock.parse(attr(descend(observation, "author", "time"), "value")) ??
        this.clock.parse(attr(descend(concern, "author", "time"), "value"));
      if (fallback) {
        start = fallback;
        metadata.onset_unknown = true;
      }
    }
    if (value && !end && (clinicalStatus === "resolved" || clinicalStatus === "inactive")) {
      // Resolved without a resolution date (effectiveTime/high). With a known onset the problem was
      // present from it, ending somewhere before the Problem Status assertion: true from onset with an
      // unknown end, the status time kept (as the FHIR mapper reads a Condition; docs/architecture.md).
      // With no onset all that is known is "not present" as of the assertion (or authoring time).
      const resolvedAt =
        statusTime(observation, this.clock) ?? this.clock.parse(attr(descend(observation, "author", "time"), "value"));
      if (start && metadata.onset_unknown !== true) {
        metadata.abatement_unknown = true;
        if (resolvedAt) metadata.not_present_as_of = resolvedAt.instant;
      } else if (resolvedAt) {
        delete metadata.onset_unknown;
        start = resolvedAt;
        value = false;
      }
    }
    if (!start) {
      this.missingTime(location, name, interval.invalid);
      return;
    }
    addPrecision(metadata, start);
    const id = sourceId(observation);
    if (id !== undefined) metadata.source_id = id;
    const out: MappedObservation = { codings: codingList, value, start_at: start.instant, metadata, location };
    if (variableId !== undefined) out.variable_id = variableId;
    const times = [start];
    if (end && end.instant !== start.instant) {
      out.end_at = end.instant;
      times.push(end);
    }
    this.observe(out, times);
  }
}

/** start_at / end_at of an interval: the start (or the only bound given), and the end when it differs. */
function resolveTimes(interval: Interval): { start: ParsedTime; end?: ParsedTime } | undefined {
  const start = interval.start ?? interval.end;
  if (!start) return undefined;
  if (interval.end && interval.start && interval.end.instant !== interval.start.instant) {
    return { start, end: interval.end };
  }
  return { start };
}

/** Times precise only to the year, month, day or hour say so in metadata (HL7 TS reduced precision). */
function addPrecision(metadata: Record<string, unknown>, time: ParsedTime): void {
  if (
    time.precision === "year" ||
    time.precision === "month" ||
    time.precision === "day" ||
    time.precision === "hour"
  ) {
    metadata.time_precision = time.precision;
  }
}

/** A doseQuantity written as an interval whose bounds agree (IVL_PQ low = high). */
function pointOf(element: XmlElement | undefined): number | undefined {
  const low = quantityOf(child(element, "low"));
  if (!low) return undefined;
  const highElement = child(element, "high");
  const high = quantityOf(highElement);
  if (!highElement || (high && high.value === low.value && high.unit === low.unit)) return low.value;
  return undefined;
}

/** PIVL_TS `period` (C-CDA 4.16 CONF:1098-7513): "every 6 h". */
function frequencyOf(element: XmlElement): Record<string, unknown> | undefined {
  if (element.xsiType !== "PIVL_TS") return undefined;
  const period = quantityOf(child(element, "period"));
  if (!period) return undefined;
  const out: Record<string, unknown> = { period };
  const institution = attr(element, "institutionSpecified");
  if (institution !== undefined) out.institution_specified = institution === "true";
  return out;
}

/** First `id` as `root` or `root^extension` (HL7 V3 II), for tracing back to the source. */
function sourceId(act: XmlElement): string | undefined {
  const id = child(act, "id");
  const root = attr(id, "root");
  if (root === undefined) return undefined;
  const extension = attr(id, "extension");
  return extension === undefined ? root : `${root}^${extension}`;
}

/**
 * The unit as the lab wrote it, when the result carries a "units" observation (SNOMED CT 246514001) whose
 * CD value has an originalText (C-CDA Examples "Results with translation unit").
 */
function unitOriginalText(observation: XmlElement): string | undefined {
  for (const relationship of childrenNamed(observation, "entryRelationship")) {
    for (const inner of childrenNamed(relationship, "observation")) {
      const code = codingOf(child(inner, "code"));
      if (code?.system !== CODE_SYSTEMS.snomed || code.code !== "246514001") continue;
      const text = deepText(child(child(inner, "value"), "originalText"));
      if (text !== "") return text;
    }
  }
  return undefined;
}

function isProblemObservation(observation: XmlElement): boolean {
  const ids = templateIds(observation);
  return ids.length === 0 || ids.includes(TEMPLATES.problemObservation);
}

function problemStatusObservation(observation: XmlElement): XmlElement | undefined {
  for (const relationship of childrenNamed(observation, "entryRelationship")) {
    for (const inner of childrenNamed(relationship, "observation")) {
      if (templateIds(inner).includes(TEMPLATES.problemStatus)) return inner;
    }
  }
  return undefined;
}

/** The Problem Status (4.6) value as `active` / `inactive` / `resolved`, or its code when unknown. */
function problemStatus(observation: XmlElement): string | undefined {
  const status = problemStatusObservation(observation);
  const code = attr(child(status, "value"), "code");
  if (code === undefined) return undefined;
  return PROBLEM_STATUS[code] ?? code;
}

function statusTime(observation: XmlElement, clock: Clock): ParsedTime | undefined {
  const status = problemStatusObservation(observation);
  const interval = readInterval(child(status, "effectiveTime"), clock);
  return interval.start ?? interval.end;
}
