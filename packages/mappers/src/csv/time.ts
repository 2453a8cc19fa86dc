/**
 * Timestamps as exported spreadsheets and Apple Health write them, read into RFC 3339 instants with
 * one file-wide rule for times without an offset: `MapContext.timezone`, else UTC plus ONE
 * `assumed_timezone` warning per file. Shared by the CSV and the Apple Health XML mappers (both keep
 * one `TimeReader` per file).
 */
import type { MapEvent, MappingIssue } from "@dfda/core";
import { fromEpoch, localToInstant, parseIsoTimestamp } from "../util/time";

/** A read time: an instant, or a whole calendar day (`2016-04-14`) as a period of that day. */
export interface ReadTime {
  /** RFC 3339 with offset. */
  instant: string;
  /** For a date without a time: the next local midnight (the end of the day the date names). */
  dayEnd: string | null;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function issue(location: string | null, code: string, severity: MappingIssue["severity"], message: string): MapEvent {
  return { kind: "issue", issue: { location, code, severity, message } };
}

/** Reads timestamps for one file; remembers whether the `assumed_timezone` warning was given. */
export class TimeReader {
  private readonly zone: string | undefined;
  private warned = false;
  private pendingSetup: MapEvent[] = [];

  /** `timezone`: `MapContext.timezone` (an IANA zone or `±hh:mm`). An invalid one is reported and UTC used. */
  constructor(timezone: string | undefined) {
    if (timezone === undefined || timezone === "") {
      this.zone = undefined;
      return;
    }
    const probe = localToInstant(
      { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 },
      timezone,
    );
    if (probe === null) {
      this.zone = undefined;
      this.pendingSetup.push(
        issue(null, "invalid_timezone", "warning", `The timezone "${timezone}" is neither an IANA zone nor ±hh:mm.`),
      );
    } else {
      this.zone = timezone;
    }
  }

  /**
   * Parses a timestamp: ISO 8601 / RFC 3339, Apple's `YYYY-MM-DD HH:MM:SS ±ZZZZ`, a date `YYYY-MM-DD`
   * (or `YYYY/MM/DD`, `YYYYMMDD`), or epoch seconds (9–11 digits) / milliseconds (12–14 digits).
   * Returns null when the text is none of these. A first time without an offset (and no
   * `MapContext.timezone`) pushes the file's one `assumed_timezone` warning into `out`.
   */
  read(text: string, out: MapEvent[]): ReadTime | null {
    out.push(...this.pendingSetup.splice(0));
    let t = text.trim();
    if (t === "") return null;
    if (/^-?\d{9,11}(\.\d+)?$/.test(t)) return { instant: fromEpoch(Number(t), "s"), dayEnd: null };
    if (/^\d{12,14}$/.test(t)) return { instant: fromEpoch(Number(t), "ms"), dayEnd: null };
    if (/^\d{8}$/.test(t)) {
      // A compact date (HL7 v2 DTM precision day, §2.A.22).
      t = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
    }
    t = t.replace(/^(\d{4})\/(\d{2})\/(\d{2})/, "$1-$2-$3");
    const parsed = parseIsoTimestamp(t, this.zone);
    if (parsed === null) return null;
    if (parsed.assumedZone && this.zone === undefined && !this.warned) {
      this.warned = true;
      out.push(
        issue(
          null,
          "assumed_timezone",
          "warning",
          "Times without a UTC offset were read as UTC; pass a timezone to read them as local times.",
        ),
      );
    }
    const date = DATE_ONLY.exec(t);
    return { instant: parsed.instant, dayEnd: date ? this.nextMidnight(date) : null };
  }

  /** The local midnight after the day `YYYY-MM-DD` (DST-aware through `localToInstant`). */
  private nextMidnight(date: RegExpExecArray): string | null {
    const next = new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]) + 1));
    return localToInstant(
      {
        year: next.getUTCFullYear(),
        month: next.getUTCMonth() + 1,
        day: next.getUTCDate(),
        hour: 0,
        minute: 0,
        second: 0,
        millisecond: 0,
      },
      this.zone ?? "Z",
    );
  }
}
