/**
 * Unit validation and conversion to a variable's canonical unit, on UCUM (https://ucum.org/ucum) as
 * @lhncbc/ucum-lhc implements it, behind a cache.
 *
 * ucum-lhc parses both unit expressions on every call, which is slow next to a multiplication, and a
 * batch carries thousands of values in the same few units. So each (from unit, canonical unit,
 * molecular weight) is resolved once into a plan: a factor for ratio-scale units (every conversion
 * UCUM defines between them is proportional, including mass ↔ amount of substance through the molar
 * mass), scale and offset for the interval-scale temperatures (Cel, [degF]), and a call per
 * value for the other special units (logarithmic ones such as [pH] or B; UCUM "Special Units on
 * non-ratio Scales").
 * Failures are cached too, so a batch of 10,000 values in an invalid unit costs one parse.
 *
 * This module is the only one that calls ucum-lhc; `conversionCacheStats` counts its calls.
 */

import type { ConvertResult, UcumUnitRecord } from "@lhncbc/ucum-lhc";
import ucum from "@lhncbc/ucum-lhc";
import type { IssueCode, VariableDefinition } from "./types";

export type ConversionResult = { ok: true; value: number } | { ok: false; code: IssueCode; message: string };

/** How one (from, to, molecular weight) converts, resolved once and cached. */
type Plan =
  | { kind: "linear"; factor: number }
  | { kind: "affine"; scale: number; offset: number }
  | { kind: "special"; molecularWeight: number | null }
  | { kind: "error"; code: IssueCode; message: string };

/**
 * ucum-lhc's names (`Unit.cnv_`) of the conversion functions that are affine, value · scale + offset:
 * the temperatures on interval scales `Cel` and `[degF]` (UCUM "Special Units on non-ratio Scales").
 * Compared in lower case, as ucum-lhc's `UcumFunctions.forName` does.
 */
const AFFINE_FUNCTIONS = new Set(["cel", "degf"]);

/**
 * Conversion functions ucum-lhc gets wrong, refused rather than stored wrong. `degre` ([degRe],
 * degree Réaumur): ucum-lhc 7.1.10 adds 273.15 before applying the 5/4 magnitude, so 0 [degRe] comes
 * out as 68.29 Cel instead of 0 Cel.
 */
const BROKEN_FUNCTIONS = new Set(["degre"]);

/**
 * Bound on cached plans. Units are a small set in practice, but clients choose them, so an isolate
 * that lives for hours must not grow without limit on unit strings it is sent; the oldest plan goes.
 */
const MAX_PLANS = 1_000;

const plans = new Map<string, Plan>();
const stats = { ucumCalls: 0, hits: 0, misses: 0 };

let utilsInstance: ReturnType<typeof ucum.UcumLhcUtils.getInstance> | null = null;

/** ucum-lhc loads its 230 KB definitions on first use; later calls reuse the singleton. */
function utils() {
  utilsInstance ??= ucum.UcumLhcUtils.getInstance();
  return utilsInstance;
}

function validateUnitString(unit: string) {
  stats.ucumCalls++;
  return utils().validateUnitString(unit);
}

function convertUnitTo(from: string, value: number, to: string, molecularWeight: number | null): ConvertResult {
  stats.ucumCalls++;
  return utils().convertUnitTo(from, value, to, molecularWeight === null ? {} : { molecularWeight });
}

/** How often ucum-lhc was called and how often the plan cache answered instead. */
export function conversionCacheStats(): { ucumCalls: number; hits: number; misses: number; size: number } {
  return { ...stats, size: plans.size };
}

/** Empties the plan cache and zeroes the counters (tests). */
export function resetConversionCache(): void {
  plans.clear();
  stats.ucumCalls = 0;
  stats.hits = 0;
  stats.misses = 0;
}

/**
 * Whether a missing unit may stand for the canonical one: the unity `1`, `%` and pure annotations
 * such as `{score}` or `{steps}` (UCUM §2.1, curly braces: an annotation without a leading symbol
 * implies the unity 1). A client that
 * sends a step count or a 0–10 rating rarely names a unit, and there is nothing to misread.
 */
export function isDimensionlessDefault(canonicalUnit: string): boolean {
  return canonicalUnit === "1" || canonicalUnit === "%" || /^\{[^{}]*\}$/.test(canonicalUnit);
}

/** A molecular weight usable for mass ↔ molar conversion: positive and finite, else none. */
function usableMolecularWeight(mw: number | null): number | null {
  return mw !== null && Number.isFinite(mw) && mw > 0 ? mw : null;
}

/**
 * ucum-lhc's conversion function of a parsed unit (`cnv_`): null on a ratio scale, a function name
 * for special units. The typings omit the field; a record without it is treated as special, so an
 * upgrade that renames it degrades to uncached conversions instead of wrong factors.
 */
function conversionFunction(unit: UcumUnitRecord | undefined): string | null | undefined {
  if (unit === undefined || !("cnv_" in unit)) return undefined;
  const cnv = unit.cnv_;
  if (cnv === null) return null;
  return typeof cnv === "string" ? cnv.toLowerCase() : undefined;
}

function failureMessage(result: ConvertResult, fallback: string): string {
  return result.msg.length > 0 ? result.msg.join(" ") : fallback;
}

/** Resolves how `from` converts to `to`: validates `from`, then asks ucum-lhc for 1 `from` in `to`. */
function resolvePlan(from: string, to: string, molecularWeight: number | null): Plan {
  // UCUM §2.1 (character set): terminal symbols are ASCII 33–126 and "white space is not recognized
  // in a unit term ... implementations may flag whitespace as an error". ucum-lhc trims it silently;
  // refusing it keeps the stored original unit a valid code.
  if (/\s/.test(from) || from.length === 0) {
    return {
      kind: "error",
      code: "unit_invalid",
      message: `"${from}" is not a valid UCUM code (white space or empty).`,
    };
  }
  const validation = validateUnitString(from);
  if (validation.status !== "valid") {
    const hint = validation.msg.length > 0 ? ` ${validation.msg.join(" ")}` : "";
    return { kind: "error", code: "unit_invalid", message: `"${from}" is not a valid UCUM code.${hint}` };
  }

  const unit = convertUnitTo(from, 1, to, molecularWeight);
  if (unit.status !== "succeeded" || unit.toVal === null || !Number.isFinite(unit.toVal)) {
    // Mass ↔ amount of substance needs the molar mass: UCUM defines mol as Avogadro's number times
    // the unity, a dimensionless count, so g and mol are not commensurable without it. Probe with a
    // stand-in weight: if the conversion then works, only the variable's molecular weight is missing.
    if (molecularWeight === null && convertUnitTo(from, 1, to, 1).status === "succeeded") {
      return {
        kind: "error",
        code: "unit_conversion_needs_molecular_weight",
        message: `"${from}" converts to "${to}" only with a molecular weight, and the variable has none.`,
      };
    }
    return {
      kind: "error",
      code: "unit_incommensurable",
      message: `"${from}" cannot be converted to "${to}": ${failureMessage(unit, "the units measure different kinds of quantity.")}`,
    };
  }

  const fromFn = conversionFunction(unit.fromUnit);
  const toFn = conversionFunction(unit.toUnit);
  const broken = [fromFn, toFn].find((fn) => fn !== null && fn !== undefined && BROKEN_FUNCTIONS.has(fn));
  if (broken !== undefined) {
    return {
      kind: "error",
      code: "unit_invalid",
      message: `Conversions between "${from}" and "${to}" are not supported: the unit library converts them incorrectly.`,
    };
  }
  if (fromFn === null && toFn === null) return { kind: "linear", factor: unit.toVal };
  const affine = (fn: string | null | undefined) => fn === null || (fn !== undefined && AFFINE_FUNCTIONS.has(fn));
  if (affine(fromFn) && affine(toFn)) {
    // Scale from 0 and 100 rather than 0 and 1: f(1) − f(0) of [degF] → Cel subtracts two numbers
    // near −17.5 and keeps ~1e-12 of rounding; over 100 the error stays at the last few bits.
    const zero = convertUnitTo(from, 0, to, molecularWeight);
    const hundred = convertUnitTo(from, 100, to, molecularWeight);
    if (
      zero.toVal !== null &&
      hundred.toVal !== null &&
      Number.isFinite(zero.toVal) &&
      Number.isFinite(hundred.toVal)
    ) {
      return { kind: "affine", scale: (hundred.toVal - zero.toVal) / 100, offset: zero.toVal };
    }
  }
  return { kind: "special", molecularWeight };
}

function planFor(from: string, to: string, molecularWeight: number | null): Plan {
  const key = `${from}\u0000${to}\u0000${molecularWeight ?? ""}`;
  const cached = plans.get(key);
  if (cached !== undefined) {
    stats.hits++;
    return cached;
  }
  stats.misses++;
  const plan = resolvePlan(from, to, molecularWeight);
  if (plans.size >= MAX_PLANS) {
    const oldest = plans.keys().next();
    if (oldest.done !== true) plans.delete(oldest.value);
  }
  plans.set(key, plan);
  return plan;
}

function finite(value: number, from: string, to: string): ConversionResult {
  return Number.isFinite(value)
    ? { ok: true, value }
    : { ok: false, code: "value_type", message: `The value in "${from}" has no finite equivalent in "${to}".` };
}

/**
 * Converts `value` in `fromUnit` (a case-sensitive UCUM code) to the variable's canonical unit. A unit
 * equal to the canonical one returns the value unchanged, without rounding. The result is the full
 * double; callers round for display only.
 */
export function convertToCanonical(value: number, fromUnit: string, variable: VariableDefinition): ConversionResult {
  const to = variable.canonicalUnit;
  if (to === null) {
    return {
      ok: false,
      code: "unit_incommensurable",
      message: `The variable has no unit, so "${fromUnit}" cannot be converted.`,
    };
  }
  if (!Number.isFinite(value)) {
    return { ok: false, code: "value_type", message: "The value is not a finite number." };
  }
  if (fromUnit === to) return { ok: true, value };

  const molecularWeight = usableMolecularWeight(variable.molecularWeight);
  const plan = planFor(fromUnit, to, molecularWeight);
  switch (plan.kind) {
    case "error":
      return { ok: false, code: plan.code, message: plan.message };
    case "linear":
      return finite(value * plan.factor, fromUnit, to);
    case "affine":
      return finite(value * plan.scale + plan.offset, fromUnit, to);
    case "special": {
      const result = convertUnitTo(fromUnit, value, to, plan.molecularWeight);
      if (result.status !== "succeeded" || result.toVal === null) {
        return {
          ok: false,
          code: "unit_incommensurable",
          message: `${value} "${fromUnit}" cannot be converted to "${to}": ${failureMessage(result, "no result.")}`,
        };
      }
      return finite(result.toVal, fromUnit, to);
    }
  }
}
