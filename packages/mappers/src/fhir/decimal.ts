/**
 * FHIR `decimal` and `integer` values as JavaScript numbers, without silent rounding.
 *
 * R4 §2.24.0.1 defines decimal as an arbitrary-precision rational whose written precision matters, while
 * the HL7 validator only supports decimals matching
 * `-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?([eE](0|[+\-]?[1-9][0-9]{0,9}))?` (18 integer digits, 17
 * fraction digits, as R5 §2.1.28.0.1 states). Its outcome for `obs-decimal.json` in the corpus
 * (`R5.obs-decimal-base.json`) rejects exactly `1000000000000000000`, `1.000000000000000000E-24` and
 * `-1.000000000000000000E+245`, so this module does the same:
 *
 * - outside that supported range, or beyond a double's range → not a usable number (`decimal_out_of_range`);
 * - inside it but with more than 15 significant digits (more than a double holds exactly, DBL_DIG) →
 *   rounded to 15 significant digits and flagged (`decimal_rounded`), with the text kept in metadata.
 *   Such digits are binary floating-point residue in practice (`66.899999999999991` in the corpus's
 *   Observation-body-height is 66.9 in); rounding to 15 digits gives the value every reader means,
 *   where the nearest double (66.89999999999999) would carry the residue along;
 * - otherwise → the exact value (≤ 15 significant digits survive decimal → double → shortest text).
 */
import { trimEndChar } from "@dfda/core";
import { JsonNumber, type JsonValue } from "./json";

const SUPPORTED_DECIMAL = /^-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?([eE](0|[+-]?[1-9][0-9]{0,9}))?$/;
/** Decimal digits a double always holds exactly (IEEE 754 binary64, C's DBL_DIG). */
const MAX_EXACT_DIGITS = 15;
/** JSON number grammar (RFC 8259 §6), for decimals that arrive as strings. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

export type DecimalResult =
  | {
      ok: true;
      value: number;
      /** The decimal as written. */
      source: string;
      /** The written value has more than 15 significant digits and was rounded to 15. */
      rounded: boolean;
      /** The source gave the number as a JSON string (not valid FHIR JSON, accepted with a warning). */
      fromString: boolean;
    }
  | { ok: false; code: "decimal_out_of_range" | "invalid_decimal"; message: string };

/** `[-]digits e exponent` with leading/trailing zeros removed: equal strings mean equal decimal values. */
function canonical(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  let digits = (m[2] ?? "") + (m[3] ?? "");
  let point = (m[2] ?? "").length + Number(m[4] ?? "0");
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  point -= lead;
  digits = trimEndChar(digits, "0");
  if (digits === "") return "0";
  return `${m[1]}${digits}e${point}`;
}

/**
 * Reads a FHIR decimal (a JSON number, or leniently a numeric string).
 *
 * @example
 * readDecimal(new JsonNumber("6.3")) // { ok: true, value: 6.3, source: "6.3", rounded: false, fromString: false }
 * readDecimal(new JsonNumber("1000000000000000000")).ok // false (decimal_out_of_range)
 */
export function readDecimal(raw: JsonValue | undefined): DecimalResult {
  let source: string;
  let fromString = false;
  if (raw instanceof JsonNumber) source = raw.source;
  else if (typeof raw === "string" && JSON_NUMBER.test(raw.trim())) {
    source = raw.trim();
    fromString = true;
  } else {
    return { ok: false, code: "invalid_decimal", message: `${JSON.stringify(raw ?? null)} is not a decimal number` };
  }
  if (!SUPPORTED_DECIMAL.test(source)) {
    return {
      ok: false,
      code: "decimal_out_of_range",
      message: `The decimal ${source} is outside the supported range (at most 18 integer and 17 fraction digits)`,
    };
  }
  const nearest = Number(source);
  const exact = canonical(source);
  // Subnormal doubles (below Number.MIN_VALUE's normal range, 2.2250738585072014e-308) hold fewer digits.
  if (!Number.isFinite(nearest) || (exact !== "0" && Math.abs(nearest) < 2.2250738585072014e-308)) {
    return {
      ok: false,
      code: "decimal_out_of_range",
      message: `The decimal ${source} cannot be represented as a number (${Number.isFinite(nearest) ? "underflow" : "overflow"})`,
    };
  }
  const significant = exact === "0" ? 1 : exact.replace(/^-/, "").indexOf("e");
  if (significant <= MAX_EXACT_DIGITS) return { ok: true, value: nearest, source, rounded: false, fromString };
  return { ok: true, value: Number(nearest.toPrecision(MAX_EXACT_DIGITS)), source, rounded: true, fromString };
}

/** FHIR `integer` (R4 §2.24.0.1): a signed 32-bit whole number written without fraction or exponent. */
export type IntegerResult = { ok: true; value: number } | { ok: false; message: string };

export function readInteger(raw: JsonValue | undefined): IntegerResult {
  if (!(raw instanceof JsonNumber) || !/^-?(0|[1-9][0-9]*)$/.test(raw.source)) {
    return {
      ok: false,
      message: `${raw instanceof JsonNumber ? raw.source : JSON.stringify(raw ?? null)} is not an integer`,
    };
  }
  const value = Number(raw.source);
  if (value < -2147483648 || value > 2147483647) {
    return { ok: false, message: `${raw.source} is outside the 32-bit range of a FHIR integer` };
  }
  return { ok: true, value };
}
