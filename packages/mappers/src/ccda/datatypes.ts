/**
 * HL7 V3 data types as C-CDA uses them (HL7 V3 Data Types R1, XML ITS R1): CD/CE codings with their
 * translations, PQ and IVL_PQ quantities, TS and IVL_TS times.
 */
import { CODE_SYSTEMS, type MappingIssue, type SourceCoding } from "@dfda/core";
import { localToInstant, type ParsedTime, parseHl7Timestamp } from "../util/time";
import { attr, child, childrenNamed, deepText, type XmlElement } from "./element";

/** Code system OIDs (HL7 OID registry) → the URIs the platform uses (`CODE_SYSTEMS`). */
const OID_SYSTEMS: Record<string, string> = {
  "2.16.840.1.113883.6.1": CODE_SYSTEMS.loinc,
  "2.16.840.1.113883.6.96": CODE_SYSTEMS.snomed,
  "2.16.840.1.113883.6.88": CODE_SYSTEMS.rxnorm,
  "2.16.840.1.113883.6.90": CODE_SYSTEMS.icd10cm,
  "2.16.840.1.113883.12.292": CODE_SYSTEMS.cvx,
  "2.16.840.1.113883.6.8": CODE_SYSTEMS.ucum,
  "2.16.840.1.113883.6.24": CODE_SYSTEMS.mdc,
};

/**
 * A CDA `@codeSystem` (an OID, or a UUID: HL7 V3 II.root forms) as a system URI: the platform URI for
 * the systems it knows, `urn:oid:` / `urn:uuid:` otherwise (the FHIR convention for unregistered systems).
 */
export function systemUri(codeSystem: string): string {
  const known = OID_SYSTEMS[codeSystem];
  if (known) return known;
  if (/^[0-2](\.(0|[1-9]\d*))+$/.test(codeSystem)) return `urn:oid:${codeSystem}`;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(codeSystem)) {
    return `urn:uuid:${codeSystem.toLowerCase()}`;
  }
  return codeSystem;
}

/** One CD/CE coding (its own `@code`/`@codeSystem`, no translations); undefined without both. */
export function codingOf(element: XmlElement | undefined): SourceCoding | undefined {
  const code = attr(element, "code");
  const codeSystem = attr(element, "codeSystem");
  if (!element || code === undefined || codeSystem === undefined || attr(element, "nullFlavor")) return undefined;
  const display = attr(element, "displayName");
  const coding: SourceCoding = { system: systemUri(codeSystem), code };
  if (display !== undefined) coding.display = display;
  return coding;
}

/**
 * A CD (HL7 V3 DT R1 §2.14) and its `translation` elements as codings, the CD's own code first. A CD
 * with a nullFlavor (`OTH`: not in the value set) still contributes its translations.
 */
export function codings(element: XmlElement | undefined): SourceCoding[] {
  const out: SourceCoding[] = [];
  const own = codingOf(element);
  if (own) out.push(own);
  for (const translation of childrenNamed(element, "translation")) {
    const coding = codingOf(translation);
    if (coding && !out.some((c) => c.system === coding.system && c.code === coding.code)) out.push(coding);
  }
  return out;
}

/** Codings with those of `preferred` systems first (stable otherwise): LOINC for tests, RxNorm for drugs. */
export function preferSystems(list: SourceCoding[], preferred: readonly string[]): SourceCoding[] {
  const rank = (c: SourceCoding) => {
    const i = preferred.indexOf(c.system);
    return i === -1 ? preferred.length : i;
  };
  return list
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c);
}

/** The human label of a CD: `originalText` (text, not its `reference`), else `displayName`. */
export function labelOf(element: XmlElement | undefined): string | undefined {
  const original = deepText(child(element, "originalText"));
  if (original !== "") return original;
  return attr(element, "displayName");
}

/** An XML Schema decimal (`real`/`PQ.value`, HL7 V3 DT R1 §2.21): digits only, no `NaN`/`Infinity`/hex. */
export function parseDecimal(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A physical quantity (PQ): value and unit (`1` when the unit is absent, HL7 V3 DT R1 §2.22.2). */
export interface Quantity {
  value: number;
  unit: string;
}

/** The PQ an element carries in `@value`/`@unit`; undefined if it has no numeric value. */
export function quantityOf(element: XmlElement | undefined): Quantity | undefined {
  const value = parseDecimal(attr(element, "value"));
  if (value === undefined || attr(element, "nullFlavor")) return undefined;
  return { value, unit: attr(element, "unit") ?? "1" };
}

/** A reference range (`referenceRange/observationRange`, C-CDA Result Observation 4.2 CONF:1198-7150) for metadata. */
export interface ReferenceRange {
  low?: Quantity;
  high?: Quantity;
  text?: string;
}

export function referenceRanges(observation: XmlElement): ReferenceRange[] {
  const out: ReferenceRange[] = [];
  for (const range of childrenNamed(observation, "referenceRange")) {
    const observationRange = child(range, "observationRange");
    const value = child(observationRange, "value");
    const entry: ReferenceRange = {};
    const low = quantityOf(child(value, "low"));
    const high = quantityOf(child(value, "high"));
    if (low) entry.low = low;
    if (high) entry.high = high;
    const text = deepText(child(observationRange, "text")) || (value && value.xsiType === "ST" ? deepText(value) : "");
    if (text !== "") entry.text = text;
    if (entry.low || entry.high || entry.text) out.push(entry);
  }
  return out;
}

/**
 * Reads CDA timestamps (TS, HL7 V3 DT R1 §2.25) with `parseHl7Timestamp`, applying the context zone to
 * times without an offset, and says (once per file) when it had to assume UTC.
 */
export class Clock {
  private readonly zone: string | undefined;
  private warned = false;
  /** Issues the clock raised (an invalid context zone, the assumed-UTC warning), for the reader to emit. */
  readonly issues: MappingIssue[] = [];

  constructor(zone: string | undefined) {
    if (zone !== undefined) {
      const probe = localToInstant(
        { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 },
        zone,
      );
      if (probe === null) {
        this.issues.push({
          location: null,
          code: "invalid_timezone",
          severity: "warning",
          message: `The time zone "${zone}" is neither an IANA zone nor a ±hh:mm offset; UTC is used instead.`,
        });
      } else {
        this.zone = zone;
      }
    }
  }

  parse(text: string | undefined): ParsedTime | null {
    if (text === undefined) return null;
    return parseHl7Timestamp(text, this.zone);
  }

  /** Called for each time an observation is emitted with: one `assumed_timezone` warning per file. */
  used(time: ParsedTime): void {
    if (!time.assumedZone || this.zone !== undefined || this.warned) return;
    this.warned = true;
    this.issues.push({
      location: null,
      code: "assumed_timezone",
      severity: "warning",
      message:
        "Some CDA timestamps have no UTC offset (HL7 V3 TS without ±ZZZZ) and no time zone was given; they were read as UTC.",
    });
  }
}

/** What an `effectiveTime` (TS or IVL_TS) says. */
export interface Interval {
  start?: ParsedTime;
  end?: ParsedTime;
  /** Timestamps that were present but not valid TS values. */
  invalid: string[];
}

/**
 * An `effectiveTime` as TS (`@value`) or IVL_TS (`low`, `high`, `center`; HL7 V3 DT R1 §2.26). A
 * nullFlavor (on the element or a bound) means that bound is unknown.
 */
export function readInterval(element: XmlElement | undefined, clock: Clock): Interval {
  const out: Interval = { invalid: [] };
  if (!element || attr(element, "nullFlavor")) return out;
  const read = (e: XmlElement | undefined): ParsedTime | undefined => {
    const text = attr(e, "value");
    if (text === undefined || attr(e, "nullFlavor")) return undefined;
    const parsed = clock.parse(text);
    if (parsed === null) {
      out.invalid.push(text);
      return undefined;
    }
    return parsed;
  };
  const point = read(element) ?? read(child(element, "center"));
  const low = read(child(element, "low"));
  const high = read(child(element, "high"));
  const start = low ?? point;
  if (start) out.start = start;
  if (high) out.end = high;
  return out;
}
