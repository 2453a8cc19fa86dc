/**
 * Plain-text blood-pressure logs: one reading per line, as people keep them by hand and as simple home
 * monitor apps export them ("share as text"):
 *
 * ```
 * # Blood pressure, left arm
 * 2024-03-01 07:30 128/82 64
 * 2024-03-01 21:10 135/88 70 after a walk
 * 2024-03-02 07:25 122/79
 * ```
 *
 * `YYYY-MM-DD HH:MM[:SS] SYS/DIA [PULSE] [note]`: date and wall-clock time (ISO 8601 calendar date and
 * local time, without an offset), systolic/diastolic pressure in mmHg, the pulse in beats per minute,
 * free text. Lines starting with `#` and blank lines are ignored. Each reading becomes a systolic
 * (LOINC 8480-6), a diastolic (LOINC 8462-4) and, when given, a heart rate (LOINC 8867-4) observation.
 * None of the core mappers reads this format; it is the example every plugin author can copy.
 */
import { DETECT_HEAD_BYTES, type MapEvent, type MappedObservation, type Mapper, type MappingIssue } from "@dfda/core";

const LOINC = "http://loinc.org";

/** One reading: date, time, SYS/DIA, then an optional pulse and an optional note. */
const READING =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s+(\d{2,3})\s*\/\s*(\d{2,3})(?:\s+(\d{2,3}))?(?:\s+(.*?))?\s*$/;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function validWallTime(t: WallTime): boolean {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.hour > 23 || t.minute > 59 || t.second > 59) return false;
  return t.day <= new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return "Z";
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A wall-clock time at a UTC offset (minutes east), as RFC 3339. */
function format(t: WallTime, offset: number): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${formatOffset(offset)}`;
}

const utc = (t: WallTime) => format(t, 0);

/**
 * Turns wall-clock times into RFC 3339 instants in a zone: `±hh:mm`, or an IANA name resolved through
 * Intl (DST-aware: the offset in force at that wall time). Null when the zone is neither.
 */
function zoneReader(zone: string): ((t: WallTime) => string) | null {
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (zone === "Z" || zone === "UTC") return utc;
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
    if (minutes > 18 * 60) return null;
    return (t) => format(t, fixed[1] === "-" ? -minutes : minutes);
  }
  let parts: Intl.DateTimeFormat;
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  } catch {
    return null;
  }
  const offsetAt = (utcMillis: number) => {
    const p = Object.fromEntries(parts.formatToParts(new Date(utcMillis)).map((x) => [x.type, x.value]));
    const local = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
    return Math.round((local - utcMillis) / 60_000);
  };
  return (t) => {
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    // Two passes settle the offset across a DST change: the wall time's own offset, not the guess's.
    const guess = offsetAt(wall);
    return format(t, offsetAt(wall - guess * 60_000));
  };
}

/** Lines of a UTF-8 byte source (`\n`, `\r\n` or `\r`), numbered from 1; a BOM is dropped. */
async function* lines(source: AsyncIterable<Uint8Array>): AsyncIterable<{ text: string; number: number }> {
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
  let buffer = "";
  let number = 0;
  /** The last chunk ended with `\r`: a `\n` opening the next one belongs to that break. */
  let pendingCr = false;
  for await (const chunk of source) {
    let text = decoder.decode(chunk, { stream: true });
    if (text === "") continue;
    if (pendingCr && text.startsWith("\n")) text = text.slice(1);
    pendingCr = false;
    buffer += text;
    const pieces = buffer.split(/\r\n|\r|\n/);
    buffer = pieces.pop() ?? "";
    if (buffer === "" && text.endsWith("\r")) pendingCr = true;
    for (const piece of pieces) yield { text: piece, number: ++number };
  }
  buffer += decoder.decode();
  if (buffer !== "") yield { text: buffer, number: ++number };
}

function issue(location: string | null, code: string, severity: MappingIssue["severity"], message: string): MapEvent {
  return { kind: "issue", issue: { location, code, severity, message } };
}

function observation(
  code: string,
  display: string,
  value: number,
  unit: string,
  startAt: string,
  location: string,
  note: string | undefined,
): MapEvent {
  const o: MappedObservation = {
    codings: [{ system: LOINC, code, display }],
    value,
    unit,
    start_at: startAt,
    location,
    ...(note === undefined ? {} : { note }),
  };
  return { kind: "observation", observation: o };
}

/**
 * The mapper, for `servePlugin`.
 *
 * @example
 * ```ts
 * const events = await collect(bpTextLogMapper.map(fromBytes(bytes), { lookup, timezone: "Europe/Berlin" }));
 * ```
 */
export const bpTextLogMapper: Mapper = {
  id: "bp-text-log",
  version: "1.0.0",
  description:
    "Plain-text blood-pressure logs, one reading per line: `YYYY-MM-DD HH:MM[:SS] SYS/DIA [PULSE] [note]` (mmHg, beats per minute); `#` comments.",

  detect(input) {
    const all = input.headText.split(/\r\n|\n|\r/);
    // The head may end inside a line: judge whole lines only.
    if (input.head.byteLength >= DETECT_HEAD_BYTES) all.pop();
    let data = 0;
    let readings = 0;
    for (const line of all.slice(0, 200)) {
      const text = line.trim();
      if (text === "" || text.startsWith("#")) continue;
      data += 1;
      if (READING.test(text)) readings += 1;
    }
    if (readings === 0) return 0;
    const share = readings / data;
    // Hand-kept logs have the odd typo: most lines being readings is enough.
    if (share >= 0.7) return /\.(txt|log)$/i.test(input.name ?? "") ? 0.95 : 0.9;
    return share >= 0.5 ? 0.6 : 0;
  },

  async *map(source, context) {
    let toInstant = utc;
    let zoneGiven = false;
    if (context.timezone !== undefined) {
      const reader = zoneReader(context.timezone);
      if (reader === null) {
        yield issue(
          null,
          "invalid_timezone",
          "warning",
          `The timezone "${context.timezone}" is neither an IANA zone nor ±hh:mm; times are read as UTC.`,
        );
      } else {
        toInstant = reader;
        zoneGiven = true;
      }
    }
    let warnedZone = false;
    let readings = 0;
    let problems = 0;
    for await (const { text: raw, number } of lines(source)) {
      const text = raw.trim();
      if (text === "" || text.startsWith("#")) continue;
      const location = `line ${number}`;
      const m = READING.exec(text);
      if (!m) {
        problems += 1;
        yield issue(
          location,
          "invalid_line",
          "error",
          `Line ${number} is not a reading (expected \`YYYY-MM-DD HH:MM SYS/DIA [PULSE] [note]\`).`,
        );
        continue;
      }
      const wall: WallTime = {
        year: Number(m[1]),
        month: Number(m[2]),
        day: Number(m[3]),
        hour: Number(m[4]),
        minute: Number(m[5]),
        second: m[6] === undefined ? 0 : Number(m[6]),
      };
      if (!validWallTime(wall)) {
        problems += 1;
        yield issue(location, "invalid_date", "error", `Line ${number} has no such date or time.`);
        continue;
      }
      const systolic = Number(m[7]);
      const diastolic = Number(m[8]);
      if (diastolic >= systolic) {
        problems += 1;
        yield issue(
          location,
          "implausible_reading",
          "error",
          `Line ${number}: the diastolic pressure (${diastolic}) is not below the systolic (${systolic}); the reading was skipped.`,
        );
        continue;
      }
      if (!zoneGiven && !warnedZone) {
        warnedZone = true;
        yield issue(
          null,
          "assumed_timezone",
          "warning",
          "The log's times have no UTC offset and no timezone was given; they were read as UTC.",
        );
      }
      const startAt = toInstant(wall);
      const note = m[10] === undefined || m[10] === "" ? undefined : m[10];
      readings += 1;
      yield observation("8480-6", "Systolic blood pressure", systolic, "mm[Hg]", startAt, location, note);
      yield observation("8462-4", "Diastolic blood pressure", diastolic, "mm[Hg]", startAt, location, note);
      if (m[9] !== undefined) yield observation("8867-4", "Heart rate", Number(m[9]), "/min", startAt, location, note);
    }
    if (readings === 0 && problems === 0) yield issue(null, "empty_file", "warning", "The log holds no readings.");
  },
};
