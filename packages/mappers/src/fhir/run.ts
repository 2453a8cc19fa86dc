/**
 * What one mapping run of a file shares: the events produced so far, the caller's context and the
 * once-per-file issues (an assumed time zone, an unsupported resource type).
 */
import type { MapContext, MapEvent, MappedObservation, MappingSeverity, SourceCoding } from "@dfda/core";
import { CODE_SYSTEMS } from "@dfda/core";
import { MAX_DISTINCT_NAMES, nameKey } from "../util/limits";
import { type ParsedTime, parseIsoTimestamp } from "../util/time";
import { type JsonObject, objs, str } from "./json";

/** A FHIR date/dateTime/instant read as an RFC 3339 instant. */
export interface FhirTime {
  instant: string;
  precision: ParsedTime["precision"];
}

/**
 * Other names the same code systems go by in real exports (HL7 OIDs from the v3 code system registry),
 * folded to the URIs R4 requires (terminologies.html §4.3.0.1) so the pipeline sees one system.
 */
const SYSTEM_ALIASES: Record<string, string> = {
  "urn:oid:2.16.840.1.113883.6.1": CODE_SYSTEMS.loinc,
  "http://loinc.org/": CODE_SYSTEMS.loinc,
  "urn:oid:2.16.840.1.113883.6.96": CODE_SYSTEMS.snomed,
  "urn:oid:2.16.840.1.113883.6.88": CODE_SYSTEMS.rxnorm,
  "urn:oid:2.16.840.1.113883.6.90": CODE_SYSTEMS.icd10cm,
  "urn:oid:2.16.840.1.113883.12.292": CODE_SYSTEMS.cvx,
  "urn:oid:2.16.840.1.113883.6.24": CODE_SYSTEMS.mdc,
  "urn:oid:2.16.840.1.113883.6.8": CODE_SYSTEMS.ucum,
};

export function normalizeSystem(system: string): string {
  return SYSTEM_ALIASES[system] ?? system;
}

/**
 * The codings of a CodeableConcept (R4 datatypes §2.24.0.12), codings of `preferred` systems first and
 * otherwise in source order; codings without a system or code are skipped, duplicates dropped.
 */
export function codingsOf(concept: JsonObject | undefined, preferred: readonly string[] = []): SourceCoding[] {
  const all: SourceCoding[] = [];
  const seen = new Set<string>();
  for (const [, coding] of objs(concept, "coding")) {
    const rawSystem = str(coding, "system");
    const code = str(coding, "code");
    if (rawSystem === undefined || rawSystem === "" || code === undefined || code.trim() === "") continue;
    const system = normalizeSystem(rawSystem);
    const key = `${system}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const display = str(coding, "display");
    all.push(display === undefined ? { system, code } : { system, code, display });
  }
  if (preferred.length === 0) return all;
  const rank = (c: SourceCoding) => {
    const i = preferred.indexOf(c.system);
    return i === -1 ? preferred.length : i;
  };
  // Array.prototype.sort is stable (ES2019), so codings of equal rank keep the source order.
  return all.sort((a, b) => rank(a) - rank(b));
}

export class MappingRun {
  private events: MapEvent[] = [];
  private zoneWarned = false;
  /** Resource types reported as unsupported, at most MAX_DISTINCT_NAMES (then one "and more" issue). */
  private readonly unsupportedTypes = new Set<string>();
  private unsupportedOverflow = false;
  /** Resources already mapped (a result that is both referenced and a Bundle entry maps once). */
  readonly mapped = new WeakSet<JsonObject>();

  constructor(readonly context: MapContext) {}

  /** Takes the events produced since the last call. */
  drain(): MapEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  issue(location: string | null, code: string, severity: MappingSeverity, message: string): void {
    this.events.push({ kind: "issue", issue: { location, code, severity, message } });
  }

  observation(observation: MappedObservation): void {
    this.events.push({ kind: "observation", observation });
  }

  /**
   * One info issue per resource type the mapper does not turn into observations, for the first
   * MAX_DISTINCT_NAMES types (names cut to MAX_NAME_CHARS); then one issue saying there are more.
   */
  unsupported(resourceType: string, location: string): void {
    const name = nameKey(resourceType);
    if (this.unsupportedTypes.has(name)) return;
    if (this.unsupportedTypes.size >= MAX_DISTINCT_NAMES) {
      if (this.unsupportedOverflow) return;
      this.unsupportedOverflow = true;
      this.issue(
        location,
        "unsupported_resource",
        "info",
        `${name} and more resource types carry no measurements and are not mapped (past ${MAX_DISTINCT_NAMES.toLocaleString("en")} distinct types, the rest are not listed; first at this location)`,
      );
      return;
    }
    this.unsupportedTypes.add(name);
    this.issue(
      location,
      "unsupported_resource",
      "info",
      `${name} resources carry no measurements and are not mapped (first at this location)`,
    );
  }

  /**
   * A FHIR date, dateTime or instant (R4 datatypes §2.24.0.1) as an instant. Dates and partial dates
   * have no offset: they take `context.timezone`, or UTC with one `assumed_timezone` warning per file.
   * Returns null, with an `invalid_time` issue, for text that is not such a time.
   */
  time(text: string | undefined, location: string): FhirTime | null {
    if (text === undefined) return null;
    const parsed = parseIsoTimestamp(text, this.context.timezone);
    if (parsed === null) {
      this.issue(location, "invalid_time", "warning", `"${text}" is not a FHIR date/dateTime`);
      return null;
    }
    if (parsed.assumedZone && this.context.timezone === undefined && !this.zoneWarned) {
      this.zoneWarned = true;
      this.issue(
        location,
        "assumed_timezone",
        "warning",
        `"${text}" has no UTC offset; read as UTC (pass a timezone to read such times in the uploader's zone)`,
      );
    }
    return { instant: parsed.instant, precision: parsed.precision };
  }
}
