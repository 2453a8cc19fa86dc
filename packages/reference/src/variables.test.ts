/**
 * Checks the seeded reference variables: shape, uniqueness, UCUM units, code formats and check digits,
 * and coverage of the FHIR vital-signs value set and of the codes the shared test corpus uses.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CODE_SYSTEMS, COMBINATION_OPERATIONS, VALUE_TYPES, VARIABLE_CATEGORIES } from "@dfda/core";
import ucum from "@lhncbc/ucum-lhc";
import { describe, expect, it } from "vitest";
import type { VariableSeed } from "./types";
import { CODE_SOURCES, VARIABLE_SEEDS } from "./variables/index";

const utils = ucum.UcumLhcUtils.getInstance();

/** The LOINC codes of FHIR R4's `observation-vitalsignresult` value set (hl7.fhir.r4.examples@4.0.1). */
const VITAL_SIGNS_VALUE_SET = [
  "85353-1",
  "9279-1",
  "8867-4",
  "2708-6",
  "8310-5",
  "8302-2",
  "9843-4",
  "29463-7",
  "39156-5",
  "85354-9",
  "8480-6",
  "8462-4",
  "8478-0",
];

/** The value set file in the shared corpus (/work/shared beside the repository), when it is present. */
const VALUE_SET_FILE = fileURLToPath(
  new URL("../../../../shared/corpus/07-loinc-terminology/ValueSet-observation-vitalsignresult.json", import.meta.url),
);

/** Vital-sign and lab result codes the FHIR, US Core, HL7 v2 and C-CDA examples of the corpus use. */
const CORPUS_LOINC = [
  // FHIR R4 / US Core vital signs and their components
  "8867-4",
  "9279-1",
  "2708-6",
  "59408-5",
  "8310-5",
  "8302-2",
  "29463-7",
  "39156-5",
  "8480-6",
  "8462-4",
  "8478-0",
  "76534-7",
  "96607-7",
  "96608-5",
  "96609-3",
  "3151-8",
  "85353-1",
  "85354-9",
  // C-CDA vital signs
  "3141-9",
  "2710-2",
  "74728-7",
  "8716-3",
  // labs: FHIR examples, HL7 v2 CBC messages, C-CDA results
  "718-7",
  "20509-6",
  "20570-8",
  "26464-8",
  "804-5",
  "26453-1",
  "26515-7",
  "28539-5",
  "28540-3",
  "30385-9",
  "30428-7",
  "26444-0",
  "26449-9",
  "26474-7",
  "26484-6",
  "26499-4",
  "26450-7",
  "26478-8",
  "26485-3",
  "26511-6",
  "23761-0",
  "30180-4",
  "2345-7",
  "15074-8",
  "32016-8",
  "11557-6",
  "1963-8",
  "5778-6",
  // other observations
  "9271-8",
  "8665-2",
  "82810-3",
  "8339-4",
  "72166-2",
];
const CORPUS_CVX = ["03", "08", "10", "21", "33", "50", "107", "122", "137"];
const CORPUS_MDC = ["149530", "150456"];
const CORPUS_SNOMED_CONDITIONS = ["39065001", "422504002", "32914008", "51868009", "11840006"];

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** LOINC's mod-10 check digit (LOINC Users' Guide, "Calculating the check digit"). */
function loincCheckDigit(body: string): number {
  const digits = [...body].reverse();
  const odd = digits
    .filter((_, i) => i % 2 === 0)
    .reverse()
    .join("");
  const even = digits
    .filter((_, i) => i % 2 === 1)
    .reverse()
    .join("");
  const combined = even + (BigInt(odd) * 2n).toString();
  const sum = [...combined].reduce((s, d) => s + Number(d), 0);
  return (10 - (sum % 10)) % 10;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** SNOMED CT identifiers end in a Verhoeff check digit over the whole number. */
function verhoeffValid(id: string): boolean {
  let c = 0;
  [...id].reverse().forEach((ch, i) => {
    c = VERHOEFF_D[c]?.[VERHOEFF_P[i % 8]?.[Number(ch)] ?? 0] ?? 0;
  });
  return c === 0;
}

const CODE_FORMATS: Record<string, RegExp> = {
  [CODE_SYSTEMS.loinc]: /^\d{1,7}-\d$/,
  [CODE_SYSTEMS.snomed]: /^\d{6,18}$/,
  [CODE_SYSTEMS.rxnorm]: /^\d{1,8}$/,
  [CODE_SYSTEMS.icd10cm]: /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/,
  [CODE_SYSTEMS.mdc]: /^\d{5,7}$/,
  [CODE_SYSTEMS.cvx]: /^\d{2,3}$/,
  [CODE_SYSTEMS.openmhealth]: /^[a-z]+(-[a-z0-9]+)*$/,
  [CODE_SYSTEMS.appleHealth]:
    /^HK(QuantityTypeIdentifier|CategoryTypeIdentifier|CorrelationTypeIdentifier|WorkoutTypeIdentifier)[A-Za-z0-9]*$/,
};

function codesOf(system: string): Map<string, VariableSeed> {
  const out = new Map<string, VariableSeed>();
  for (const seed of VARIABLE_SEEDS) for (const c of seed.codes) if (c.system === system) out.set(c.code, seed);
  return out;
}

function bySlug(slug: string): VariableSeed {
  const seed = VARIABLE_SEEDS.find((v) => v.slug === slug);
  if (!seed) throw new Error(`no variable ${slug}`);
  return seed;
}

describe("seeded reference variables", () => {
  it("has at least 250 variables", () => {
    expect(VARIABLE_SEEDS.length).toBeGreaterThanOrEqual(250);
  });

  it("has unique kebab-case slugs", () => {
    const slugs = VARIABLE_SEEDS.map((v) => v.slug);
    expect(slugs.filter((s) => !KEBAB.test(s))).toEqual([]);
    expect(slugs.filter((s, i) => slugs.indexOf(s) !== i)).toEqual([]);
  });

  it("has unique names", () => {
    const names = VARIABLE_SEEDS.map((v) => v.name.toLowerCase());
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("gives every (system, code) pair to one variable only", () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const seed of VARIABLE_SEEDS) {
      for (const c of seed.codes) {
        const key = `${c.system}|${c.code}`;
        const previous = owner.get(key);
        if (previous !== undefined) clashes.push(`${key}: ${previous} and ${seed.slug}`);
        owner.set(key, seed.slug);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("uses only the seeded categories, value types and combination operations", () => {
    const categories = new Set<string>(VARIABLE_CATEGORIES.map((c) => c.slug));
    const valueTypes = new Set<string>(VALUE_TYPES);
    const operations = new Set<string>(COMBINATION_OPERATIONS);
    for (const seed of VARIABLE_SEEDS) {
      expect(categories.has(seed.category), `${seed.slug} category ${seed.category}`).toBe(true);
      expect(valueTypes.has(seed.valueType), `${seed.slug} value type`).toBe(true);
      expect(operations.has(seed.combinationOperation), `${seed.slug} combination`).toBe(true);
    }
  });

  it("has at least three variables in every category", () => {
    for (const category of VARIABLE_CATEGORIES) {
      const count = VARIABLE_SEEDS.filter((v) => v.category === category.slug).length;
      expect(count, category.slug).toBeGreaterThanOrEqual(3);
    }
  });

  it("gives numeric variables a canonical unit that ucum-lhc validates, and others none", () => {
    const invalid: string[] = [];
    for (const seed of VARIABLE_SEEDS) {
      if (seed.valueType === "numeric") {
        const unit = seed.canonicalUnit;
        if (unit === null || utils.validateUnitString(unit).status !== "valid") invalid.push(`${seed.slug}: ${unit}`);
      } else {
        expect(seed.canonicalUnit, seed.slug).toBeNull();
        expect(seed.validMin, seed.slug).toBeUndefined();
        expect(seed.validMax, seed.slug).toBeUndefined();
        expect(seed.molecularWeight, seed.slug).toBeUndefined();
      }
    }
    expect(invalid).toEqual([]);
  });

  it("has validMin below validMax and positive molecular weights", () => {
    for (const seed of VARIABLE_SEEDS) {
      if (seed.validMin !== undefined && seed.validMax !== undefined) {
        expect(seed.validMin, seed.slug).toBeLessThan(seed.validMax);
      }
      if (seed.molecularWeight !== undefined) expect(seed.molecularWeight, seed.slug).toBeGreaterThan(0);
    }
  });

  it("converts mass and molar concentrations with the molecular weight (glucose, cholesterol)", () => {
    const glucose = bySlug("blood-glucose");
    const toMmol = utils.convertUnitTo("mg/dL", 100, "mmol/L", { molecularWeight: glucose.molecularWeight ?? 0 });
    expect(toMmol.status).toBe("succeeded");
    expect(toMmol.toVal).toBeCloseTo(5.55, 2);
    const cholesterol = bySlug("total-cholesterol");
    const toMg = utils.convertUnitTo("mmol/L", 5, "mg/dL", { molecularWeight: cholesterol.molecularWeight ?? 0 });
    expect(toMg.toVal).toBeCloseTo(193.3, 1);
  });

  it("codes every code in a known system and in that system's format", () => {
    const systems = new Set<string>(Object.values(CODE_SYSTEMS));
    const bad: string[] = [];
    for (const seed of VARIABLE_SEEDS) {
      for (const c of seed.codes) {
        const format = CODE_FORMATS[c.system];
        if (!systems.has(c.system) || format === undefined || !format.test(c.code))
          bad.push(`${seed.slug}: ${c.system}|${c.code}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("has valid LOINC check digits", () => {
    expect(loincCheckDigit("8867")).toBe(4);
    expect(loincCheckDigit("2345")).toBe(7);
    const bad = [...codesOf(CODE_SYSTEMS.loinc).keys()].filter((code) => {
      const [body, check] = code.split("-");
      return body === undefined || check === undefined || loincCheckDigit(body) !== Number(check);
    });
    expect(bad).toEqual([]);
  });

  it("has valid SNOMED CT concept identifiers (Verhoeff check digit, concept partition)", () => {
    expect(verhoeffValid("25064002")).toBe(true);
    expect(verhoeffValid("25064003")).toBe(false);
    const bad = [...codesOf(CODE_SYSTEMS.snomed).keys()].filter((id) => {
      const partition = id.slice(-3, -1);
      return !verhoeffValid(id) || (partition !== "00" && partition !== "10");
    });
    expect(bad).toEqual([]);
  });

  it("covers every code of the FHIR vital-signs value set", () => {
    let valueSet = VITAL_SIGNS_VALUE_SET;
    if (existsSync(VALUE_SET_FILE)) {
      const file = JSON.parse(readFileSync(VALUE_SET_FILE, "utf8")) as {
        compose: { include: { system: string; concept?: { code: string }[] }[] };
      };
      valueSet = file.compose.include
        .filter((inc) => inc.system === CODE_SYSTEMS.loinc)
        .flatMap((inc) => (inc.concept ?? []).map((c) => c.code));
      expect([...valueSet].sort()).toEqual([...VITAL_SIGNS_VALUE_SET].sort());
    }
    const loincCodes = codesOf(CODE_SYSTEMS.loinc);
    expect(valueSet.filter((code) => !loincCodes.has(code))).toEqual([]);
    // Panels carry no value of their own, so they are not numeric variables.
    expect(loincCodes.get("85354-9")?.valueType).not.toBe("numeric");
    expect(loincCodes.get("85353-1")?.valueType).not.toBe("numeric");
    for (const code of valueSet.filter((c) => c !== "85354-9" && c !== "85353-1")) {
      expect(loincCodes.get(code)?.valueType, code).toBe("numeric");
      expect(loincCodes.get(code)?.category, code).toBe("vital_signs");
    }
  });

  it("codes heart rate as LOINC 8867-4 per minute, with its MDC and wearable codes", () => {
    const heartRate = codesOf(CODE_SYSTEMS.loinc).get("8867-4");
    expect(heartRate?.slug).toBe("heart-rate");
    expect(heartRate?.canonicalUnit).toBe("/min");
    expect(heartRate?.codes[0]).toEqual({ system: CODE_SYSTEMS.loinc, code: "8867-4", display: "Heart rate" });
    expect(codesOf(CODE_SYSTEMS.mdc).get("147842")?.slug).toBe("heart-rate");
    expect(codesOf(CODE_SYSTEMS.appleHealth).get("HKQuantityTypeIdentifierHeartRate")?.slug).toBe("heart-rate");
    expect(codesOf(CODE_SYSTEMS.openmhealth).get("heart-rate")?.slug).toBe("heart-rate");
  });

  it("covers the codes the shared corpus's examples use", () => {
    const missing = (system: string, codes: string[]) => {
      const known = codesOf(system);
      return codes.filter((c) => !known.has(c));
    };
    expect(missing(CODE_SYSTEMS.loinc, CORPUS_LOINC)).toEqual([]);
    expect(missing(CODE_SYSTEMS.cvx, CORPUS_CVX)).toEqual([]);
    expect(missing(CODE_SYSTEMS.mdc, CORPUS_MDC)).toEqual([]);
    expect(missing(CODE_SYSTEMS.snomed, CORPUS_SNOMED_CONDITIONS)).toEqual([]);
    expect(missing(CODE_SYSTEMS.icd10cm, ["T20.21"])).toEqual([]);
  });

  it("names the wearable metrics of the corpus's Apple Health and Open mHealth data", () => {
    const hk = codesOf(CODE_SYSTEMS.appleHealth);
    for (const id of [
      "HKQuantityTypeIdentifierStepCount",
      "HKQuantityTypeIdentifierDistanceWalkingRunning",
      "HKQuantityTypeIdentifierActiveEnergyBurned",
      "HKQuantityTypeIdentifierAppleExerciseTime",
      "HKCategoryTypeIdentifierAppleStandHour",
      "HKCategoryTypeIdentifierSleepAnalysis",
      "HKWorkoutTypeIdentifier",
    ]) {
      expect(hk.has(id), id).toBe(true);
    }
    const omh = codesOf(CODE_SYSTEMS.openmhealth);
    for (const schema of [
      "step-count",
      "heart-rate",
      "body-weight",
      "blood-pressure",
      "blood-glucose",
      "body-temperature",
      "oxygen-saturation",
      "sleep-duration",
      "physical-activity",
      "calories-burned",
      "respiratory-rate",
      "body-mass-index",
      "body-height",
      "body-fat-percentage",
    ]) {
      expect(omh.has(schema), schema).toBe(true);
    }
    const synonyms = new Set(VARIABLE_SEEDS.flatMap((v) => v.synonyms ?? []));
    for (const header of ["activeEnergyBurned", "appleExerciseTime", "appleStandHours", "DistanceWalkingRunning"]) {
      expect(synonyms.has(header), header).toBe(true);
    }
  });

  it("makes treatments and supplements dosed input factors that add up", () => {
    for (const seed of VARIABLE_SEEDS.filter((v) => v.category === "treatments" || v.category === "supplements")) {
      expect(seed.valueType, seed.slug).toBe("numeric");
      expect(["mg", "[iU]"], seed.slug).toContain(seed.canonicalUnit);
      expect(seed.combinationOperation, seed.slug).toBe("sum");
      expect(seed.isInputFactor, seed.slug).toBe(true);
      expect(seed.isOutcome, seed.slug).toBe(false);
    }
    expect(VARIABLE_SEEDS.filter((v) => v.category === "treatments").length).toBeGreaterThanOrEqual(30);
    expect(VARIABLE_SEEDS.filter((v) => v.category === "supplements").length).toBeGreaterThanOrEqual(20);
    expect(codesOf(CODE_SYSTEMS.rxnorm).get("6809")?.slug).toBe("metformin");
    expect(codesOf(CODE_SYSTEMS.rxnorm).get("2418")?.slug).toBe("vitamin-d3");
  });

  it("rates symptoms and moods on a stated scale", () => {
    for (const seed of VARIABLE_SEEDS.filter((v) => v.category === "symptoms" || v.category === "mood")) {
      expect(seed.canonicalUnit, seed.slug).toBe("{score}");
      expect(seed.validMin, seed.slug).toBe(0);
      expect(seed.combinationOperation, seed.slug).toBe("mean");
      expect(seed.description ?? "", seed.slug).toMatch(/0-\d+/);
    }
    expect(VARIABLE_SEEDS.filter((v) => v.category === "symptoms").length).toBeGreaterThanOrEqual(15);
  });

  it("names a source for every code system it uses", () => {
    const used = new Set(VARIABLE_SEEDS.flatMap((v) => v.codes.map((c) => c.system)));
    const described = new Set(CODE_SOURCES.map((s) => s.system));
    expect([...used].filter((s) => !described.has(s))).toEqual([]);
  });
});
