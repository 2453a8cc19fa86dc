/**
 * HL7 v2 data types the mapper reads (HL7 v2.5.1 Chapter 2A): CE/CWE/CNE coded elements, NM numbers,
 * SN structured numerics, and the coding-system names of HL7 table 0396.
 */
import { CODE_SYSTEMS, type Comparator, type SourceCoding } from "@dfda/core";
import type { Delimiters } from "./encoding";
import { components } from "./message";

/** A coded element's two triplets and original text (CE §2.A.8, CWE §2.A.13, CNE §2.A.12). */
export interface CodedElement {
  identifier: string;
  text: string;
  system: string;
  altIdentifier: string;
  altText: string;
  altSystem: string;
  /** CWE-9 / CNE-9 original text. */
  originalText: string;
}

/** Reads one repetition of a CE/CWE/CNE field. Values are trimmed (senders pad them with spaces). */
export function readCoded(repetition: string, d: Delimiters): CodedElement {
  const c = components(repetition, d).map((part) => part.trim());
  return {
    identifier: c[0] ?? "",
    text: c[1] ?? "",
    system: c[2] ?? "",
    altIdentifier: c[3] ?? "",
    altText: c[4] ?? "",
    altSystem: c[5] ?? "",
    originalText: c[8] ?? "",
  };
}

/**
 * HL7 table 0396 coding-system names → the URIs the platform uses (`CODE_SYSTEMS`), and for systems
 * outside that list the URIs FHIR assigns them (HL7 v2-to-FHIR IG, ConceptMap "table-0396"), so a code
 * reads the same whichever format brought it. Any other name (a local `99zzz`, `L`, a lab's own system)
 * is kept as the source writes it.
 */
const SYSTEMS: Record<string, string> = {
  LN: CODE_SYSTEMS.loinc,
  SCT: CODE_SYSTEMS.snomed,
  SNM: CODE_SYSTEMS.snomed,
  CVX: CODE_SYSTEMS.cvx,
  UCUM: CODE_SYSTEMS.ucum,
  RXNORM: CODE_SYSTEMS.rxnorm,
  I10C: CODE_SYSTEMS.icd10cm,
  MDC: CODE_SYSTEMS.mdc,
  NDC: "http://hl7.org/fhir/sid/ndc",
  MVX: "http://hl7.org/fhir/sid/mvx",
};

/** The system URI for a table 0396 name; HL7-defined tables (`HL70078`) become FHIR's `v2-0078` systems. */
export function systemUri(name: string): string {
  const upper = name.trim().toUpperCase();
  const known = SYSTEMS[upper];
  if (known) return known;
  const table = /^HL7(\d{4})$/.exec(upper);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  return name.trim();
}

/**
 * Whether a table 0396 coding-system name says the code is the sender's own: empty (CE/CWE-3 is
 * optional, HL7 v2.5.1 §2.A.8.3), `L` or `LOCAL`, or the `99zzz` names table 0396 reserves for local
 * coding systems (`zzz` any alphanumeric, 2.A.13.3). Such a code means nothing without its sender.
 */
export function isLocalSystemName(name: string): boolean {
  const upper = name.trim().toUpperCase();
  return upper === "" || upper === "L" || upper === "LOCAL" || /^99[A-Z0-9]{1,3}$/.test(upper);
}

/** Whether the name is one of table 0396's names the platform knows (`LN`, `SCT`, `HL70078` …). */
export function isKnownSystemName(name: string): boolean {
  const upper = name.trim().toUpperCase();
  return SYSTEMS[upper] !== undefined || /^HL7\d{4}$/.test(upper);
}

function coding(code: string, display: string, system: string): SourceCoding | null {
  if (code === "" || system === "") return null;
  const out: SourceCoding = { system: systemUri(system), code };
  if (display !== "") out.display = display;
  return out;
}

/** The codings of a coded element: the first triplet, then the alternate one (§2.A.13: "alternate identifier"). */
export function codingsOf(element: CodedElement): SourceCoding[] {
  const out: SourceCoding[] = [];
  const first = coding(element.identifier, element.text, element.system);
  const alternate = coding(element.altIdentifier, element.altText, element.altSystem);
  if (first) out.push(first);
  if (alternate && !(first && first.system === alternate.system && first.code === alternate.code)) out.push(alternate);
  return out;
}

/** NM (§2.A.47): an optional sign, digits and an optional decimal point; leading zeros allowed. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  // `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the same numbers, without two quantifiers competing for
  // the same digits (quadratic backtracking on a long digit run that fails at its end, CWE-1333).
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * How an SN value reads: one number (with the comparator that makes it a bound, FHIR's `<`, `<=`, `>=`,
 * `>`), "not equal to" a number (`<>`, which bounds nothing), or something with no single number.
 */
export type StructuredNumeric =
  | { kind: "number"; value: number; comparator: Comparator | null }
  | { kind: "not_equal"; text: string }
  | { kind: "range" | "ratio" | "suffix"; text: string }
  | { kind: "invalid"; text: string };

/** SN.1 comparator values (HL7 v2.5.1 §2.A.70.1): ">", "<", ">=", "<=", "=", "<>". */
const SN_COMPARATORS = new Set([">", "<", ">=", "<=", "=", "<>"]);

/** A number after SN.1's comparator: `=` and none are exact, `<>` is not a bound. */
function snNumber(comparator: string, value: number, text: string): StructuredNumeric {
  if (comparator === "<>") return { kind: "not_equal", text };
  const bound = comparator === "<" || comparator === "<=" || comparator === ">=" || comparator === ">";
  return { kind: "number", value, comparator: bound ? comparator : null };
}

/**
 * A number written with a leading comparator in one string (`<5`, `>= 10`, `=3`, `7.2`): SN written
 * flat, or an NM/ST result a lab sends censored. Null when the rest is not a number.
 */
export function parseComparedNumber(text: string): StructuredNumeric | null {
  // The spaces after the comparator are left to parseNumber's trim: `\s*(.*)` let both quantifiers
  // take the same spaces (quadratic backtracking when a line break ends the text, CWE-1333).
  const plain = /^(<=|>=|<>|<|>|=)?([\s\S]*)$/.exec(text.trim());
  const value = parseNumber(plain?.[2] ?? "");
  return value === null ? null : snNumber(plain?.[1] ?? "", value, text.trim());
}

/**
 * SN (§2.A.70): `comparator ^ num1 ^ separator/suffix ^ num2`. `<5`, `>=10` keep the number and the
 * comparator; `<>5` (not equal) bounds nothing; `1-2` (range), `1:64` / `1/2` (ratio) and `2+` (a
 * suffix grade) have no single number.
 */
export function parseStructuredNumeric(repetition: string, d: Delimiters): StructuredNumeric {
  const c = components(repetition, d).map((part) => part.trim());
  const [comparator = "", first = "", separator = "", second = ""] = c;
  const text = c.join("");
  if (c.length === 1) {
    // Not conformant but common: the whole SN written as one string (`<5`, `>=10`, `7.2`).
    const flat = parseComparedNumber(comparator);
    if (flat !== null) return flat;
  }
  if (comparator !== "" && !SN_COMPARATORS.has(comparator)) return { kind: "invalid", text };
  const num1 = parseNumber(first);
  if (separator === "" && second === "") {
    if (num1 === null) return { kind: "invalid", text };
    return snNumber(comparator, num1, text);
  }
  if (separator === "-" && num1 !== null && parseNumber(second) !== null) return { kind: "range", text };
  if ((separator === ":" || separator === "/") && parseNumber(second) !== null) return { kind: "ratio", text };
  if (separator === "+" && second === "" && num1 !== null) return { kind: "suffix", text };
  return { kind: "invalid", text };
}

/** DT (§2.A.21) `YYYY[MM[DD]]` → `YYYY[-MM[-DD]]`; null when it is not a valid date. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})(?:(\d{2})(\d{2})?)?$/.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? null : Number(m[2]);
  const day = m[3] === undefined ? null : Number(m[3]);
  if (month !== null && (month < 1 || month > 12)) return null;
  if (day !== null && (day < 1 || day > new Date(Date.UTC(year, month ?? 1, 0)).getUTCDate())) return null;
  return [m[1], m[2], m[3]].filter((part): part is string => part !== undefined).join("-");
}
