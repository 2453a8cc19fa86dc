/**
 * Open mHealth `effective_time_frame` (omh time-frame-1.x; IEEE 1752.1 time-frame-1.0) → the
 * observation's start and end. A time frame is either a `date_time` (a point in time) or a
 * `time_interval`: start + end, start + duration, end + duration (time-interval-1.x / IEEE 1.0), or,
 * in omh time-interval-1.x only, a `date` + `part_of_day`.
 */
import { localToInstant, parseIsoTimestamp, parseOffset } from "../util/time";

/** A resolved time frame. */
export interface ResolvedTimeFrame {
  start_at: string;
  end_at?: string;
  /** The source gave a time without an offset (the default zone, or UTC, was applied). */
  assumedZone: boolean;
  /** Interval length when the frame is an interval: as the source gave it, or end − start in minutes. */
  duration?: { value: number; unit: string };
  /** What the frame says beyond the instants (`part_of_day`). */
  metadata?: Record<string, unknown>;
}

export type TimeFrameResult = { ok: true; frame: ResolvedTimeFrame } | { ok: false; message: string };

/**
 * Lengths of the duration-unit-value-1.x units in milliseconds. `Mo` and `yr` take the UCUM mean Julian
 * month and year (`mo` = `a_j`/12, `a` = `a_j` = 365.25 d; UCUM §31), the same values the pipeline's
 * UCUM conversion uses.
 */
const DURATION_MS: Readonly<Record<string, number>> = {
  ps: 1e-9,
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  sec: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  wk: 604_800_000,
  Mo: (365.25 / 12) * 86_400_000,
  yr: 365.25 * 86_400_000,
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Shifts an RFC 3339 instant (as `parseIsoTimestamp` formats it) by `ms`, keeping its offset. */
export function shiftInstant(instant: string, ms: number): string | null {
  const offsetText = /(Z|[+-]\d{2}:\d{2})$/.exec(instant)?.[1];
  const offset = offsetText === undefined ? null : parseOffset(offsetText);
  const utc = Date.parse(instant);
  if (offsetText === undefined || offset === null || Number.isNaN(utc)) return null;
  const wall = new Date(Math.round(utc + ms) + offset * 60_000);
  return localToInstant(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
      millisecond: wall.getUTCMilliseconds(),
    },
    offsetText,
  );
}

function parseTime(value: unknown, zone: string | undefined): { instant: string; assumedZone: boolean } | null {
  if (typeof value !== "string") return null;
  const parsed = parseIsoTimestamp(value, zone);
  return parsed === null ? null : { instant: parsed.instant, assumedZone: parsed.assumedZone };
}

function parseDuration(value: unknown): { value: number; unit: string; ms: number } | null {
  if (!isRecord(value) || typeof value.value !== "number" || typeof value.unit !== "string") return null;
  const factor = DURATION_MS[value.unit];
  return factor === undefined ? null : { value: value.value, unit: value.unit, ms: value.value * factor };
}

/** Minutes between two instants, rounded to the millisecond. */
function minutesBetween(start: string, end: string): number {
  return Math.round(Date.parse(end) - Date.parse(start)) / 60_000;
}

/** Resolves an `effective_time_frame`; `zone` applies to times written without an offset. */
export function resolveTimeFrame(frame: unknown, zone: string | undefined): TimeFrameResult {
  if (!isRecord(frame)) return { ok: false, message: "effective_time_frame is not an object" };
  if (frame.date_time !== undefined) {
    const at = parseTime(frame.date_time, zone);
    if (!at) return { ok: false, message: `date_time ${JSON.stringify(frame.date_time)} is not an RFC 3339 date-time` };
    return { ok: true, frame: { start_at: at.instant, assumedZone: at.assumedZone } };
  }
  const interval = frame.time_interval;
  if (!isRecord(interval))
    return { ok: false, message: "effective_time_frame has neither date_time nor time_interval" };
  const start = interval.start_date_time === undefined ? undefined : parseTime(interval.start_date_time, zone);
  const end = interval.end_date_time === undefined ? undefined : parseTime(interval.end_date_time, zone);
  if (start === null || end === null) return { ok: false, message: "time_interval has an unreadable date-time" };
  const duration = interval.duration === undefined ? undefined : parseDuration(interval.duration);
  if (duration === null) return { ok: false, message: "time_interval has an unreadable duration" };
  const assumedZone = (start?.assumedZone ?? false) || (end?.assumedZone ?? false);
  if (start && end) {
    return {
      ok: true,
      frame: {
        start_at: start.instant,
        end_at: end.instant,
        assumedZone,
        duration: { value: minutesBetween(start.instant, end.instant), unit: "min" },
      },
    };
  }
  if (start && duration) {
    const endAt = shiftInstant(start.instant, duration.ms);
    if (endAt === null) return { ok: false, message: "time_interval end cannot be computed" };
    return {
      ok: true,
      frame: {
        start_at: start.instant,
        end_at: endAt,
        assumedZone,
        duration: { value: duration.value, unit: duration.unit },
      },
    };
  }
  if (end && duration) {
    const startAt = shiftInstant(end.instant, -duration.ms);
    if (startAt === null) return { ok: false, message: "time_interval start cannot be computed" };
    return {
      ok: true,
      frame: {
        start_at: startAt,
        end_at: end.instant,
        assumedZone,
        duration: { value: duration.value, unit: duration.unit },
      },
    };
  }
  // omh time-interval-1.x: a calendar date and a part of the day (morning, afternoon, evening, night)
  // without times; the observation spans the date, and the part of the day goes to metadata.
  if (typeof interval.date === "string" && typeof interval.part_of_day === "string") {
    const day = parseIsoTimestamp(interval.date, zone);
    if (day?.precision !== "day")
      return { ok: false, message: `date ${JSON.stringify(interval.date)} is not a full date` };
    const next = nextDay(interval.date, zone);
    if (next === null) return { ok: false, message: "time_interval end cannot be computed" };
    return {
      ok: true,
      frame: {
        start_at: day.instant,
        end_at: next,
        assumedZone: day.assumedZone,
        metadata: { part_of_day: interval.part_of_day },
      },
    };
  }
  return { ok: false, message: "time_interval needs a start, an end or a duration" };
}

/** Midnight after a `YYYY-MM-DD` date in `zone` (UTC if none). */
export function nextDay(date: string, zone: string | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
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
    zone ?? "Z",
  );
}
