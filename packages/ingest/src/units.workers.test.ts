import ucum from "@lhncbc/ucum-lhc";
import { beforeEach, describe, expect, it } from "vitest";
import {
  BODY_HEIGHT,
  BODY_TEMPERATURE,
  BODY_WEIGHT,
  CHOLESTEROL,
  GLUCOSE,
  GLUCOSE_MG_DL,
  HEART_RATE,
  INR,
  OXYGEN_SATURATION,
  SOURCE_A,
} from "./fixtures";
import {
  type ConversionResult,
  conversionCacheStats,
  convertToCanonical,
  normalizeBatch,
  type ObservationItem,
  resetConversionCache,
  type VariableDefinition,
} from "./index";

function converted(result: ConversionResult): number {
  if (!result.ok) throw new Error(`expected a conversion, got ${result.code}: ${result.message}`);
  return result.value;
}

function failure(result: ConversionResult) {
  if (result.ok) throw new Error(`expected a failure, got ${result.value}`);
  return result;
}

beforeEach(() => resetConversionCache());

describe("ucum-lhc inside workerd", () => {
  it("loads its definitions and converts", () => {
    // ucum-lhc is CommonJS and `require`s data/ucumDefs.min.json; this runs in workerd.
    const { navigator } = globalThis as { navigator?: { userAgent?: string } };
    expect(navigator?.userAgent).toBe("Cloudflare-Workers");
    const utils = ucum.UcumLhcUtils.getInstance();
    expect(utils.validateUnitString("mg/dL").status).toBe("valid");
    expect(ucum.UnitTables.getInstance().unitsCount()).toBeGreaterThan(300);
  });
});

describe("convertToCanonical", () => {
  it("converts mass, length and temperature units to the canonical unit", () => {
    expect(converted(convertToCanonical(185, "[lb_av]", BODY_WEIGHT))).toBeCloseTo(83.91458, 4);
    expect(converted(convertToCanonical(185, "[lb_av]", BODY_WEIGHT))).toBeCloseTo(185 * 0.45359237, 10);
    expect(converted(convertToCanonical(1, "[in_i]", BODY_HEIGHT))).toBeCloseTo(2.54, 12);
    expect(converted(convertToCanonical(6, "[ft_i]", BODY_HEIGHT))).toBeCloseTo(182.88, 10);
    expect(converted(convertToCanonical(98.6, "[degF]", BODY_TEMPERATURE))).toBeCloseTo(37, 12);
    expect(converted(convertToCanonical(32, "[degF]", BODY_TEMPERATURE))).toBeCloseTo(0, 10);
    expect(converted(convertToCanonical(310.15, "K", BODY_TEMPERATURE))).toBeCloseTo(37, 10);
    expect(converted(convertToCanonical(1.2, "/s", HEART_RATE))).toBeCloseTo(72, 10);
    expect(converted(convertToCanonical(0.97, "1", OXYGEN_SATURATION))).toBeCloseTo(97, 10);
    expect(converted(convertToCanonical(250, "%", INR))).toBeCloseTo(2.5, 12);
  });

  it("converts glucose between mass and molar concentration with its molecular weight, both ways", () => {
    // 100 mg/dL = 1 g/L = 1/180.156 mol/L.
    const mmol = converted(convertToCanonical(100, "mg/dL", GLUCOSE));
    expect(mmol).toBeCloseTo(5.5508, 3);
    expect(mmol).toBeCloseTo(1000 / 180.156, 10);
    expect(converted(convertToCanonical(5.5508, "mmol/L", GLUCOSE_MG_DL))).toBeCloseTo(100.001, 3);
    expect(converted(convertToCanonical(mmol, "mmol/L", GLUCOSE_MG_DL))).toBeCloseTo(100, 10);
    expect(converted(convertToCanonical(1, "g/L", GLUCOSE))).toBeCloseTo(5.5508, 3);
    expect(converted(convertToCanonical(5550.7, "umol/L", GLUCOSE))).toBeCloseTo(5.5507, 10);
  });

  it("returns a value in the canonical unit unchanged, without consulting ucum-lhc", () => {
    const value = 0.1 + 0.2; // not exactly representable: any arithmetic would show
    expect(converted(convertToCanonical(value, "kg", BODY_WEIGHT))).toBe(value);
    expect(conversionCacheStats().ucumCalls).toBe(0);
  });

  it("asks for the molecular weight when a molar unit meets a mass unit without one", () => {
    const result = failure(convertToCanonical(5.2, "mmol/L", CHOLESTEROL));
    expect(result.code).toBe("unit_conversion_needs_molecular_weight");
    expect(result.message).toContain("molecular weight");
    // A molecular weight that is not a positive number counts as none.
    const zero: VariableDefinition = { ...GLUCOSE, molecularWeight: 0 };
    expect(failure(convertToCanonical(100, "mg/dL", zero)).code).toBe("unit_conversion_needs_molecular_weight");
  });

  it("refuses incommensurable units", () => {
    expect(failure(convertToCanonical(70, "kg", HEART_RATE)).code).toBe("unit_incommensurable");
    expect(failure(convertToCanonical(70, "cm", BODY_WEIGHT)).code).toBe("unit_incommensurable");
    // A molecular weight does not make a concentration into a mass.
    expect(failure(convertToCanonical(5, "mmol/L", { ...BODY_WEIGHT, molecularWeight: 180.156 })).code).toBe(
      "unit_incommensurable",
    );
    // Arbitrary units (UCUM: [IU] has no defined relation to mass).
    expect(failure(convertToCanonical(5, "[IU]/L", CHOLESTEROL)).code).toBe("unit_incommensurable");
    // A variable without a unit has nothing to convert to.
    expect(failure(convertToCanonical(5, "kg", { ...BODY_WEIGHT, canonicalUnit: null })).code).toBe(
      "unit_incommensurable",
    );
  });

  it("refuses strings that are not UCUM codes, case-sensitively", () => {
    for (const unit of ["mgdl", "kilograms", "MG/DL", "lb", "gram", "kg ", " kg", "k g", "", "°C"]) {
      const result = failure(convertToCanonical(1, unit, unit.includes("g") ? BODY_WEIGHT : BODY_TEMPERATURE));
      expect({ unit, code: result.code }).toEqual({ unit, code: "unit_invalid" });
    }
  });

  it("refuses [degRe], which ucum-lhc converts incorrectly", () => {
    expect(failure(convertToCanonical(0, "[degRe]", BODY_TEMPERATURE)).code).toBe("unit_invalid");
  });

  it("refuses non-finite values and results", () => {
    expect(failure(convertToCanonical(Number.NaN, "[lb_av]", BODY_WEIGHT)).code).toBe("value_type");
    expect(failure(convertToCanonical(1e308, "t", BODY_WEIGHT)).code).toBe("value_type");
  });

  it("converts logarithmic units value by value (not a factor)", () => {
    const power: VariableDefinition = { ...BODY_WEIGHT, canonicalUnit: "W", validMin: null, validMax: null };
    expect(converted(convertToCanonical(30, "dB[W]", power))).toBeCloseTo(1000, 8);
    expect(converted(convertToCanonical(20, "dB[W]", power))).toBeCloseTo(100, 8);
    expect(converted(convertToCanonical(0, "dB[W]", power))).toBeCloseTo(1, 10);
  });
});

describe("conversion cache", () => {
  const start = new Date("2026-01-01T00:00:00Z");
  const many = (variable: VariableDefinition, unit: string, value: (i: number) => number): ObservationItem[] =>
    Array.from({ length: 10_000 }, (_, i) => ({
      index: i,
      variable,
      value: value(i),
      unit,
      startAt: new Date(start.getTime() + i * 60_000),
      sourceId: SOURCE_A,
    }));
  const now = new Date("2027-01-01T00:00:00Z");

  it("calls ucum-lhc once per unit pair, not once per value", () => {
    const result = normalizeBatch(
      many(GLUCOSE, "mg/dL", (i) => 80 + (i % 100)),
      { now },
    );
    expect(result.accepted).toHaveLength(10_000);
    expect(result.accepted[9_999]?.value).toBeCloseTo(179 / 18.0156, 10);
    const stats = conversionCacheStats();
    expect(stats.ucumCalls).toBe(2); // validate "mg/dL", then convert 1 mg/dL
    expect(stats).toMatchObject({ misses: 1, hits: 9_999, size: 1 });
  });

  it("caches temperatures as scale and offset", () => {
    const result = normalizeBatch(
      many(BODY_TEMPERATURE, "[degF]", (i) => 97 + (i % 30) / 10),
      { now },
    );
    expect(result.accepted).toHaveLength(10_000);
    expect(result.accepted.find((o) => o.originalValue === 98.6)?.value).toBeCloseTo(37, 12);
    expect(conversionCacheStats().ucumCalls).toBe(4); // validate, then 1, 0 and 100 [degF]
  });

  it("caches failures too", () => {
    const result = normalizeBatch(
      many(BODY_WEIGHT, "kilograms", () => 70),
      { now },
    );
    expect(result.rejected).toBe(10_000);
    expect(conversionCacheStats().ucumCalls).toBe(1);
  });

  it("keys the cache on the molecular weight", () => {
    converted(convertToCanonical(100, "mg/dL", GLUCOSE));
    const other = converted(convertToCanonical(100, "mg/dL", { ...GLUCOSE, molecularWeight: 90.078 }));
    expect(other).toBeCloseTo(1000 / 90.078, 10);
    expect(conversionCacheStats()).toMatchObject({ misses: 2, size: 2 });
  });

  it("stays bounded when clients send many distinct units", () => {
    for (let i = 0; i < 1_010; i++) convertToCanonical(1, `x${i}`, BODY_WEIGHT);
    expect(conversionCacheStats().size).toBe(1_000);
  });
});
