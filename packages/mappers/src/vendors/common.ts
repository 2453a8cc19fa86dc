/**
 * What every vendor shape shares: the per-file state (the one `assumed_timezone` warning), observation
 * and issue construction with `metadata.vendor`, local times, and LOINC codings.
 */
import {
  CODE_SYSTEMS,
  type MapContext,
  type MapEvent,
  type MappedObservation,
  type MappingSeverity,
  type SourceCoding,
} from "@dfda/core";
import { nextDay } from "../openmhealth/time-frame";
import { parseIsoTimestamp } from "../util/time";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
export const isArray = (v: unknown): v is Json[] => Array.isArray(v);
export const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export const loinc = (code: string, display: string): SourceCoding => ({ system: CODE_SYSTEMS.loinc, code, display });

/** An observation as a vendor module describes it (the vendor goes to metadata here). */
export type Observation = Omit<MappedObservation, "variable_id"> & {
  /** A variable label for `MapContext.lookup` (measures no LOINC code names). */
  label?: string;
};

/** One mapping run over one file. */
export class VendorRun {
  private warnedZone = false;
  private readonly pending: MapEvent[] = [];

  constructor(
    readonly context: MapContext,
    readonly vendor: string,
  ) {}

  /**
   * A wall-clock time without an offset (`2016-12-13T01:16:00.000`, `2015-08-23`) in `context.timezone`,
   * or UTC with one `assumed_timezone` warning per file. A time with an offset keeps it.
   */
  local(text: string): string | null {
    const parsed = parseIsoTimestamp(text, this.context.timezone);
    if (!parsed) return null;
    if (parsed.assumedZone) this.assumedZone();
    return parsed.instant;
  }

  /** Midnight starting the day after `date` (`YYYY-MM-DD`), in `context.timezone` or UTC. */
  dayAfter(date: string, zone = this.context.timezone): string | null {
    return nextDay(date, zone);
  }

  private assumedZone(): void {
    if (this.warnedZone || this.context.timezone !== undefined) return;
    this.warnedZone = true;
    this.pending.push({
      kind: "issue",
      issue: {
        location: null,
        code: "assumed_timezone",
        severity: "warning",
        message: `${this.vendor} gives local times without an offset; they were read as UTC (set a timezone to correct them)`,
      },
    });
  }

  /** The observation (after any pending warning), with `metadata.vendor`; resolves `label` through the lookup. */
  *observation(o: Observation): Generator<MapEvent> {
    yield* this.pending.splice(0);
    const { label, ...rest } = o;
    const variable = label === undefined ? null : this.context.lookup.byLabel(label);
    if (o.codings.length === 0 && !variable) {
      yield* this.issue(o.location, "unmatched_measure", "warning", `no variable matches ${label ?? "this measure"}`);
      return;
    }
    const observation: MappedObservation = {
      ...rest,
      ...(variable ? { variable_id: variable.id } : {}),
      // Fields the response left out are left out of metadata too (not `undefined` values).
      metadata: Object.fromEntries(
        Object.entries({ vendor: this.vendor, ...o.metadata }).filter(([, v]) => v !== undefined),
      ),
    };
    yield { kind: "observation", observation };
  }

  *issue(location: string | null, code: string, severity: MappingSeverity, message: string): Generator<MapEvent> {
    yield* this.pending.splice(0);
    yield { kind: "issue", issue: { location, code, severity, message } };
  }

  /** Warnings still pending at the end of the file. */
  *flush(): Generator<MapEvent> {
    yield* this.pending.splice(0);
  }
}

/** `$.a.b[2]` style path segments. */
export function path(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
