/**
 * Timestamps as health formats write them, turned into RFC 3339 instants with an explicit offset.
 */

/** Wall-clock parts of a local time. */
interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");

function formatOffset(minutes: number): string {
  if (minutes === 0) return "Z";
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function formatLocal(p: LocalParts, offsetMinutes: number): string {
  const ms = p.millisecond === 0 ? "" : `.${pad(p.millisecond, 3)}`;
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${ms}${formatOffset(offsetMinutes)}`;
}

/** `±hh:mm` / `±hhmm` → minutes east of UTC; null if not an offset. */
export function parseOffset(text: string): number | null {
  if (text === "Z" || text === "z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === "-" ? -minutes : minutes;
}

/** The offset (minutes east of UTC) an IANA zone has at a wall-clock time. */
function zoneOffsetAt(zone: string, p: LocalParts): number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const offsetOf = (utcMillis: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(utcMillis)).map((x) => [x.type, x.value]));
    const asUtc = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return Math.round((asUtc - Math.floor(utcMillis / 1000) * 1000) / 60_000);
  };
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Two passes settle the offset across a DST change (the wall time's own offset, not the guess's).
  const first = offsetOf(wall);
  return offsetOf(wall - first * 60_000);
}

/**
 * Attaches a zone to a local time: an IANA name (`Europe/Berlin`) or a fixed `±hh:mm`. Returns null when
 * the zone is neither.
 */
export function localToInstant(p: LocalParts, zone: string): string | null {
  const fixed = parseOffset(zone);
  if (fixed !== null) return formatLocal(p, fixed);
  try {
    return formatLocal(p, zoneOffsetAt(zone, p));
  } catch {
    return null;
  }
}

function validParts(p: LocalParts): boolean {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.hour > 23 || p.minute > 59 || p.second > 60) return false;
  const days = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return p.day <= days;
}

/** A parsed timestamp: the instant, and whether the source gave its offset (or a default zone was applied). */
export interface ParsedTime {
  instant: string;
  /** The source gave no offset, so `zone` (or UTC) was assumed. */
  assumedZone: boolean;
  /** How precise the source was: `year`, `month`, `day`, `minute`, `second`, … */
  precision: "year" | "month" | "day" | "hour" | "minute" | "second" | "millisecond";
}

/**
 * HL7 v2 DTM / TS (HL7 v2.5 §2.A.22, `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`), which C-CDA's
 * `TS` also uses (HL7 V3 Data Types R1 §2.25). Missing parts take their lowest value; a missing offset
 * takes `defaultZone` (or UTC). Returns null for text that is not such a timestamp.
 */
export function parseHl7Timestamp(text: string, defaultZone?: string): ParsedTime | null {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(text.trim());
  if (!m) return null;
  const parts: LocalParts = {
    year: Number(m[1]),
    month: m[2] ? Number(m[2]) : 1,
    day: m[3] ? Number(m[3]) : 1,
    hour: m[4] ? Number(m[4]) : 0,
    minute: m[5] ? Number(m[5]) : 0,
    second: m[6] ? Number(m[6]) : 0,
    millisecond: m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0,
  };
  if (!validParts(parts)) return null;
  const precision: ParsedTime["precision"] = m[7]
    ? "millisecond"
    : m[6]
      ? "second"
      : m[5]
        ? "minute"
        : m[4]
          ? "hour"
          : m[3]
            ? "day"
            : m[2]
              ? "month"
              : "year";
  if (m[8]) {
    const offset = parseOffset(m[8]);
    if (offset === null) return null;
    return { instant: formatLocal(parts, offset), assumedZone: false, precision };
  }
  const instant = localToInstant(parts, defaultZone ?? "Z");
  return instant === null ? null : { instant, assumedZone: true, precision };
}

/**
 * ISO 8601 / RFC 3339 / FHIR `dateTime` (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a date-time with optional
 * seconds, fraction and offset), and the `YYYY-MM-DD HH:MM:SS ±ZZZZ` form of Apple Health exports.
 */
export function parseIsoTimestamp(text: string, defaultZone?: string): ParsedTime | null {
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?)?)?$/.exec(
      text.trim(),
    );
  if (!m) return null;
  const parts: LocalParts = {
    year: Number(m[1]),
    month: m[2] ? Number(m[2]) : 1,
    day: m[3] ? Number(m[3]) : 1,
    hour: m[4] ? Number(m[4]) : 0,
    minute: m[5] ? Number(m[5]) : 0,
    second: m[6] ? Number(m[6]) : 0,
    millisecond: m[7] ? Math.min(999, Math.round(Number(`0.${m[7]}`) * 1000)) : 0,
  };
  if (!validParts(parts)) return null;
  const precision: ParsedTime["precision"] = m[7]
    ? "millisecond"
    : m[6]
      ? "second"
      : m[5]
        ? "minute"
        : m[3]
          ? "day"
          : m[2]
            ? "month"
            : "year";
  if (m[8]) {
    const offset = parseOffset(m[8]);
    if (offset === null) return null;
    return { instant: formatLocal(parts, offset), assumedZone: false, precision };
  }
  const instant = localToInstant(parts, defaultZone ?? "Z");
  return instant === null ? null : { instant, assumedZone: true, precision };
}

/** Seconds or milliseconds since the Unix epoch → RFC 3339 UTC. */
export function fromEpoch(value: number, unit: "s" | "ms"): string {
  return new Date(unit === "s" ? value * 1000 : value).toISOString();
}
