/**
 * Reading FHIR search parameters (R4 search.html): the value syntax of the `date`, `token` and
 * `reference` types, `_count`, `_sort`, and the rule that a parameter this server does not support
 * is an error rather than silently ignored. R4 §3.1.1.2 lets a server ignore unknown parameters
 * unless the client sends `Prefer: handling=strict`; this server is always strict, so a client never
 * takes a wider result for the one it asked for.
 */
import { ApiError, type FieldError } from "@dfda/core";
import type { RangePredicate, RangePrefix } from "@dfda/db/repositories/observations-read";
import { fieldError } from "../lib/problem";

/** `_count` when none is given, and the most one page holds (a larger `_count` is lowered to it: R4 §3.1.1.5.4). */
export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;

/** Parameters every search accepts besides its own: paging, sorting, the format (R4 §3.1.1.5). */
const COMMON = new Set(["_count", "_cursor", "_format"]);

function invalid(name: string, message: string, detail?: string): ApiError {
  const errors: FieldError[] = [fieldError("query", [name], message)];
  return new ApiError("validation_failed", {
    detail: detail ?? `Invalid search parameter ${name}: ${message}.`,
    errors,
  });
}

/**
 * The request's search parameters, name → every value given (a repeated name is AND), refusing any
 * name this search does not support, and any modifier (`code:text`): none is supported.
 */
export function searchParams(url: URL, supported: ReadonlySet<string>): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const unsupported: FieldError[] = [];
  for (const [name, value] of url.searchParams) {
    if (!supported.has(name) && !COMMON.has(name)) {
      unsupported.push(fieldError("query", [name], "Unsupported search parameter"));
      continue;
    }
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  if (unsupported.length > 0) {
    throw new ApiError("validation_failed", {
      detail:
        `Unsupported search parameter ${unsupported.map((e) => e.path).join(", ")}. ` +
        "The CapabilityStatement (/fhir/R4/metadata) lists those this server supports.",
      errors: unsupported,
    });
  }
  const format = params.get("_format");
  // R4 http.html §3.1.0.1.7: `_format` overrides Accept; only JSON is served.
  if (format !== undefined && !format.every((f) => ["json", "application/json", FHIR_JSON_TYPE].includes(f))) {
    throw new ApiError("not_acceptable", { detail: "This server answers in JSON only (_format=json)." });
  }
  return params;
}

const FHIR_JSON_TYPE = "application/fhir+json";

/** The one value of a parameter that takes one, or undefined. */
export function single(params: Map<string, string[]>, name: string): string | undefined {
  const values = params.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) throw invalid(name, "Give it once");
  return values[0];
}

/** `_count`: 1 to MAX_COUNT (a larger one is lowered to MAX_COUNT), DEFAULT_COUNT when absent. */
export function count(params: Map<string, string[]>): number {
  const raw = single(params, "_count");
  if (raw === undefined) return DEFAULT_COUNT;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw invalid("_count", "A whole number of at least 1");
  return Math.min(Number(raw), MAX_COUNT);
}

/**
 * Splits a parameter value at unescaped commas (OR), and unescapes `\,`, `\|`, `\$` and `\\`
 * (R4 search §3.1.1.4.12, "Escaping Search Parameters").
 */
export function orValues(raw: string): string[] {
  const values: string[] = [];
  let current = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === "\\" && i + 1 < raw.length) {
      current += `\\${raw[i + 1]}`;
      i++;
    } else if (ch === ",") {
      values.push(current);
      current = "";
    } else current += ch;
  }
  values.push(current);
  return values;
}

function unescapeToken(text: string): string {
  return text.replace(/\\([\\,|$])/g, "$1");
}

/** A token (R4 §3.1.1.4.8): `[system]|[code]`, or a code in any system; null parts match anything. */
export interface Token {
  /** Null: any system; "" (`|code`): no system. */
  system: string | null;
  /** Null (`system|`): any code of the system. */
  code: string | null;
}

export function tokens(name: string, raw: string): Token[] {
  return orValues(raw).map((value) => {
    let bar = -1;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === "\\") i++;
      else if (value[i] === "|") {
        bar = i;
        break;
      }
    }
    if (bar === -1) {
      if (value === "") throw invalid(name, "An empty token");
      return { system: null, code: unescapeToken(value) };
    }
    const system = unescapeToken(value.slice(0, bar));
    const code = unescapeToken(value.slice(bar + 1));
    if (system === "" && code === "") throw invalid(name, "An empty token");
    return { system, code: code === "" ? null : code };
  });
}

const PREFIXES: readonly RangePrefix[] = ["eq", "ne", "lt", "gt", "le", "ge", "sa", "eb", "ap"];

/**
 * A date search value (R4 §3.1.1.4.4 and §3.1.1.4.3.4 for the prefix): an optional prefix, then a
 * date or dateTime at any precision from the year to milliseconds. Its implicit range is the whole
 * of that precision: `2026` is [2026-01-01, 2027-01-01), `2026-03-01T08:00` a minute. A value with a
 * time must carry its offset (R4 datatypes: "If hours and minutes are specified, a time zone SHALL be
 * populated"); a date alone is read in UTC. `ap` is widened by 10% of the distance from now to the
 * value on each side, the figure R4 suggests.
 */
export function dateValues(name: string, raw: string, now: Date): RangePredicate[] {
  return orValues(raw).map((value) => {
    const match =
      /^(eq|ne|lt|gt|le|ge|sa|eb|ap)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(
        value,
      );
    if (match === null) {
      throw invalid(name, "A date as [prefix]YYYY[-MM[-DD[Thh:mm[:ss[.sss]](Z|±hh:mm)]]]");
    }
    const [, prefixRaw, y, mo, d, h, mi, s, frac, zone] = match;
    const prefix = (prefixRaw ?? "eq") as RangePrefix;
    if (!PREFIXES.includes(prefix)) throw invalid(name, "Unknown prefix");
    if (h !== undefined && zone === undefined) throw invalid(name, "A time needs its offset (Z or ±hh:mm)");
    const year = Number(y);
    const month = mo === undefined ? 1 : Number(mo);
    const day = d === undefined ? 1 : Number(d);
    const hour = h === undefined ? 0 : Number(h);
    const minute = mi === undefined ? 0 : Number(mi);
    const second = s === undefined ? 0 : Number(s);
    const ms = frac === undefined ? 0 : Number(frac.padEnd(3, "0"));
    const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (
      month < 1 ||
      month > 12 ||
      check.getUTCMonth() !== month - 1 ||
      check.getUTCDate() !== day ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      throw invalid(name, "Not a calendar date and time");
    }
    const offsetMinutes =
      zone === undefined || zone === "Z"
        ? 0
        : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    const start = new Date(utc - offsetMinutes * 60_000);
    let end: Date;
    if (mo === undefined) end = new Date(Date.UTC(year + 1, 0, 1));
    else if (d === undefined) end = new Date(Date.UTC(year, month, 1));
    else if (h === undefined) end = new Date(Date.UTC(year, month - 1, day + 1));
    else if (s === undefined) end = new Date(start.getTime() + 60_000);
    else if (frac === undefined) end = new Date(start.getTime() + 1000);
    else end = new Date(start.getTime() + 10 ** (3 - frac.length));
    if (prefix === "ap") {
      const margin = Math.abs(now.getTime() - start.getTime()) / 10;
      return { prefix, from: new Date(start.getTime() - margin), to: new Date(end.getTime() + margin) };
    }
    return { prefix, from: start, to: end };
  });
}

/**
 * A reference search value naming a Patient (R4 §3.1.1.4.10): `Patient/<id>`, the bare id, or the
 * absolute URL of the resource on this server. Only UUID ids exist here; anything else is refused.
 */
export function patientReference(name: string, raw: string, baseUrl: string): string {
  const values = orValues(raw);
  if (values.length !== 1) throw invalid(name, "One patient per search");
  const value = unescapeToken(values[0] ?? "");
  const prefix = `${new URL(baseUrl).origin}/fhir/R4/`;
  const local = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  const id = local.startsWith("Patient/") ? local.slice("Patient/".length) : local;
  if (!UUID.test(id)) throw invalid(name, "A Patient reference: Patient/<id>");
  return id.toLowerCase();
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
