/**
 * What the canonical and FLAT readers share: openEHR date-times, quantity and proportion values, and
 * building observations with their metadata (one `assumed_timezone` warning per file).
 */
import { COMPARATORS, type MapContext, type MapEvent, type MappingIssue, type SourceCoding } from "@dfda/core";
import { parseIsoTimestamp } from "../util/time";
import { ucumUnit } from "./archetypes";

/**
 * An openEHR DV_DATE_TIME value (ISO 8601, Data Types IM §4.3): extended or basic format, a decimal
 * comma or point, an optional offset. Returns null for anything else.
 */
export function normalizeDateTime(text: string): string {
  let t = text.trim().replace(",", ".");
  // Basic format (20190726T025158.396+0000) → extended.
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (basic) {
    t = `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}${basic[6] ? `:${basic[6]}` : ""}${basic[7] ?? ""}${basic[8] ?? ""}`;
  }
  return t;
}

/** A value as an element gives it, before it becomes an observation. */
export interface ReadValue {
  value: number | string | boolean;
  unit?: string;
  /** DV_QUANTITY.magnitude_status (`<`, `<=`, `>`, `>=`, `~`), when not `=`. */
  magnitudeStatus?: string;
}

/** DV_PROPORTION (Data Types IM §6.2.5): a percentage for SpO₂ (type 2 percent, or any ratio × 100). */
export function proportionValue(
  numerator: number,
  denominator: number,
  type: number | null,
  percent: boolean,
): ReadValue | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return null;
  if (percent || type === 2) return { value: round((numerator / denominator) * 100), unit: "%" };
  return { value: round(numerator / denominator), unit: "1" };
}

const round = (n: number) => Math.round(n * 1e9) / 1e9;

export function quantityValue(magnitude: number, units: string | undefined, status?: string): ReadValue {
  return {
    value: magnitude,
    ...(units === undefined || units.trim() === "" ? {} : { unit: ucumUnit(units) }),
    ...(status !== undefined && status !== "=" ? { magnitudeStatus: status } : {}),
  };
}

export interface Emit {
  coding: SourceCoding[];
  read: ReadValue;
  time: string | null;
  /** An INTERVAL_EVENT's width (ISO 8601 duration): the event's time ends it. */
  width?: string | null;
  location: string;
  metadata: Record<string, unknown>;
}

/** ISO 8601 duration → milliseconds (`PT15M`, `P1D`, `PT0.5S`); null when not a duration or in years/months. */
export function durationMs(text: string): number | null {
  const m =
    /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/.exec(
      text.trim(),
    );
  if (!m || text.trim() === "P" || text.trim().endsWith("T")) return null;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s.replace(",", ".")));
  return ((((n(m[1]) * 7 + n(m[2])) * 24 + n(m[3])) * 60 + n(m[4])) * 60 + n(m[5])) * 1000;
}

/** One mapping run over one file. */
export class OpenEhrRun {
  private warnedZone = false;
  /** Observations made so far. */
  mapped = 0;
  readonly unmapped = new Map<string, number>();

  constructor(readonly context: MapContext) {}

  issue(location: string | null, code: string, severity: MappingIssue["severity"], message: string): MapEvent {
    return { kind: "issue", issue: { location, code, severity, message } };
  }

  /** The observation, or the issue that says why it could not be made. */
  *observation(e: Emit): Generator<MapEvent> {
    if (e.time === null) {
      yield this.issue(
        e.location,
        "missing_time",
        "error",
        "the element has no event time, origin or context start time",
      );
      return;
    }
    const parsed = parseIsoTimestamp(normalizeDateTime(e.time), this.context.timezone);
    if (!parsed) {
      yield this.issue(e.location, "invalid_time", "error", `not an ISO 8601 date-time: ${JSON.stringify(e.time)}`);
      return;
    }
    if (parsed.assumedZone && !this.warnedZone && this.context.timezone === undefined) {
      this.warnedZone = true;
      yield this.issue(
        null,
        "assumed_timezone",
        "warning",
        "the composition gives times without an offset; they were read as UTC (set a timezone to correct them)",
      );
    }
    let start = parsed.instant;
    let end: string | undefined;
    if (e.width !== undefined && e.width !== null) {
      const ms = durationMs(e.width);
      if (ms !== null && ms > 0) {
        end = parsed.instant;
        start = new Date(Date.parse(parsed.instant) - ms).toISOString();
      }
    }
    const metadata = { format: "openehr", ...e.metadata };
    // openEHR DV_QUANTIFIED.magnitude_status (Data Types IM §6.2.3): `<`, `<=`, `>`, `>=` make the
    // magnitude a bound, the platform's comparator (FHIR R4 Quantity.comparator has the same four);
    // `~` (approximately) has no comparator and stays in metadata with a warning.
    const status = e.read.magnitudeStatus;
    const comparator = COMPARATORS.find((c) => c === status);
    if (status !== undefined && comparator === undefined) {
      yield this.issue(
        e.location,
        "magnitude_status",
        "warning",
        `the value is ${status} ${e.read.value}; it is kept with metadata.magnitude_status`,
      );
    }
    this.mapped += 1;
    yield {
      kind: "observation",
      observation: {
        codings: e.coding,
        value: e.read.value,
        ...(e.read.unit === undefined ? {} : { unit: e.read.unit }),
        ...(comparator === undefined ? {} : { comparator }),
        start_at: start,
        ...(end === undefined ? {} : { end_at: end }),
        metadata:
          status === undefined || comparator !== undefined ? metadata : { ...metadata, magnitude_status: status },
        location: e.location,
      },
    };
  }

  /** Counts an observation archetype this mapper does not read. */
  skip(archetype: string): void {
    this.unmapped.set(archetype, (this.unmapped.get(archetype) ?? 0) + 1);
  }

  /** One info issue listing the observation archetypes that were not mapped. */
  *finish(): Generator<MapEvent> {
    if (this.mapped === 0 && this.unmapped.size === 0) {
      yield this.issue(null, "no_observations", "warning", "the composition holds no observation this mapper reads");
    }
    if (this.unmapped.size === 0) return;
    const list = [...this.unmapped].map(([a, n]) => `${a} (${n})`).join(", ");
    yield this.issue(
      null,
      "unmapped_archetype",
      "info",
      `observations of archetypes this mapper does not read: ${list}`,
    );
  }
}
