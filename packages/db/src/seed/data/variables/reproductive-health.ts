/**
 * Menstrual cycle, fertility, pregnancy and newborn observations. LOINC codes from the FHIR and US Core
 * examples (last menstrual period 8665-2, pregnancy status 82810-3, Apgar scores, birth weight) and
 * LOINC's pregnancy-test code; Apple HealthKit reproductive-health category and quantity types.
 */
import type { CodingSeed, VariableSeed } from "../../types";
import { hk, loinc, snomed } from "./codes";

function observation(
  slug: string,
  name: string,
  valueType: "code" | "text" | "boolean",
  codes: CodingSeed[],
  synonyms: string[],
  description: string,
  isInputFactor = false,
): VariableSeed {
  return {
    slug,
    name,
    category: "reproductive_health",
    valueType,
    canonicalUnit: null,
    isInputFactor,
    isOutcome: true,
    combinationOperation: "last",
    codes,
    synonyms,
    description,
  };
}

interface MeasureSpec {
  slug: string;
  name: string;
  unit: string;
  min: number;
  max: number;
  combine: "mean" | "last" | "max";
  codes: CodingSeed[];
  synonyms: string[];
  description: string;
}

function measure(spec: MeasureSpec): VariableSeed {
  return {
    slug: spec.slug,
    name: spec.name,
    category: "reproductive_health",
    valueType: "numeric",
    canonicalUnit: spec.unit,
    validMin: spec.min,
    validMax: spec.max,
    isInputFactor: false,
    isOutcome: true,
    combinationOperation: spec.combine,
    codes: spec.codes,
    synonyms: spec.synonyms,
    description: spec.description,
  };
}

export const reproductiveHealthVariables: readonly VariableSeed[] = [
  observation(
    "menstrual-flow",
    "Menstrual flow",
    "code",
    [hk("HKCategoryTypeIdentifierMenstrualFlow")],
    ["Menstrual Flow", "Period", "Menstruation", "Period flow", "Bleeding"],
    "Menstrual flow level: none, spotting, light, medium or heavy (HealthKit's unspecified counts as present).",
  ),
  observation(
    "last-menstrual-period",
    "Date of last menstrual period",
    "text",
    [loinc("8665-2", "Date last menstrual period")],
    ["LMP", "Last Menstrual Period", "Last period"],
    "First day of the last menstrual period, as an ISO 8601 date.",
  ),
  measure({
    slug: "menstrual-cycle-day",
    name: "Menstrual cycle day",
    unit: "{cycle_day}",
    min: 1,
    max: 120,
    combine: "last",
    codes: [],
    synonyms: ["Cycle Day", "Day of cycle", "CD"],
    description: "Day of the menstrual cycle (day 1 = first day of bleeding).",
  }),
  measure({
    slug: "menstrual-cycle-length",
    name: "Menstrual cycle length",
    unit: "d",
    min: 10,
    max: 180,
    combine: "last",
    codes: [],
    synonyms: ["Cycle Length", "Menstrual cycle length"],
    description: "Days from the first day of one period to the first day of the next.",
  }),
  measure({
    slug: "period-length",
    name: "Period length",
    unit: "d",
    min: 1,
    max: 30,
    combine: "last",
    codes: [],
    synonyms: ["Period Length", "Period duration", "Bleeding days"],
    description: "Days of menstrual bleeding in a cycle.",
  }),
  measure({
    slug: "basal-body-temperature",
    name: "Basal body temperature",
    unit: "Cel",
    min: 33,
    max: 40,
    combine: "mean",
    codes: [hk("HKQuantityTypeIdentifierBasalBodyTemperature")],
    synonyms: ["Basal Body Temperature", "BBT", "Waking temperature"],
    description: "Body temperature at rest on waking, used for fertility awareness.",
  }),
  observation(
    "ovulation-test-result",
    "Ovulation test result",
    "code",
    [hk("HKCategoryTypeIdentifierOvulationTestResult")],
    ["Ovulation Test", "LH test", "OPK result", "Ovulation Test Result"],
    "Urine LH (ovulation) test: negative, LH surge (positive), estrogen surge or indeterminate.",
  ),
  observation(
    "cervical-mucus-quality",
    "Cervical mucus quality",
    "code",
    [hk("HKCategoryTypeIdentifierCervicalMucusQuality")],
    ["Cervical Mucus", "Cervical Mucus Quality", "CM"],
    "Cervical mucus: dry, sticky, creamy, watery or egg white.",
  ),
  observation(
    "intermenstrual-bleeding",
    "Spotting (intermenstrual bleeding)",
    "boolean",
    [hk("HKCategoryTypeIdentifierIntermenstrualBleeding")],
    ["Spotting", "Intermenstrual Bleeding", "Breakthrough bleeding"],
    "Bleeding outside a period occurred (true).",
  ),
  observation(
    "sexual-activity",
    "Sexual activity",
    "boolean",
    [hk("HKCategoryTypeIdentifierSexualActivity")],
    ["Sexual Activity", "Sex", "Intercourse"],
    "Sexual activity occurred (true); protection used, if recorded, goes in the observation's metadata.",
    true,
  ),
  observation(
    "pregnancy-test-result",
    "Pregnancy test result",
    "code",
    [
      loinc("2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine"),
      hk("HKCategoryTypeIdentifierPregnancyTestResult"),
    ],
    ["Pregnancy Test", "hCG test", "Pregnancy Test Result", "Urine hCG"],
    "Urine pregnancy (hCG) test: negative, positive or indeterminate.",
  ),
  observation(
    "progesterone-test-result",
    "Progesterone test result",
    "code",
    [hk("HKCategoryTypeIdentifierProgesteroneTestResult")],
    ["Progesterone Test", "PdG test", "Progesterone Test Result"],
    "Home urine progesterone (PdG) test: negative, positive or indeterminate.",
  ),
  observation(
    "pregnancy-status",
    "Pregnancy status",
    "code",
    [loinc("82810-3", "Pregnancy status"), hk("HKCategoryTypeIdentifierPregnancy")],
    ["Pregnancy Status", "Pregnant", "Pregnancy"],
    "Pregnancy status, e.g. SNOMED CT 77386006 pregnant, 60001007 not pregnant, or unknown.",
  ),
  observation(
    "lactation",
    "Lactation",
    "boolean",
    [hk("HKCategoryTypeIdentifierLactation")],
    ["Lactation", "Breastfeeding", "Nursing"],
    "The person is lactating (true).",
  ),
  observation(
    "contraceptive-use",
    "Contraceptive use",
    "code",
    [hk("HKCategoryTypeIdentifierContraceptive")],
    ["Contraceptive", "Birth control", "Contraception"],
    "Contraceptive in use: implant, injection, intrauterine device, intravaginal ring, oral, patch or unspecified.",
    true,
  ),
  measure({
    slug: "birth-weight",
    name: "Birth weight",
    unit: "kg",
    min: 0.2,
    max: 8,
    combine: "last",
    codes: [loinc("8339-4", "Body weight at birth"), snomed("364589006", "Birth weight")],
    synonyms: ["Birth Weight", "Weight at birth", "Birthweight"],
    description: "Newborn's weight at birth ([oz_av] and [lb_av] convert).",
  }),
  measure({
    slug: "apgar-score-1-minute",
    name: "Apgar score at 1 minute",
    unit: "{score}",
    min: 0,
    max: 10,
    combine: "last",
    codes: [loinc("9272-6", "1 minute Apgar Score")],
    synonyms: ["Apgar 1 minute", "1-minute Apgar"],
    description: "Newborn Apgar total score (0-10) at 1 minute.",
  }),
  measure({
    slug: "apgar-score-5-minute",
    name: "Apgar score at 5 minutes",
    unit: "{score}",
    min: 0,
    max: 10,
    combine: "last",
    codes: [loinc("9274-2", "5 minute Apgar Score")],
    synonyms: ["Apgar 5 minutes", "5-minute Apgar"],
    description: "Newborn Apgar total score (0-10) at 5 minutes.",
  }),
  measure({
    slug: "apgar-score-10-minute",
    name: "Apgar score at 10 minutes",
    unit: "{score}",
    min: 0,
    max: 10,
    combine: "last",
    codes: [loinc("9271-8", "10 minute Apgar Score"), snomed("169922007", "Apgar at 10 minutes")],
    synonyms: ["Apgar 10 minutes", "10-minute Apgar"],
    description: "Newborn Apgar total score (0-10) at 10 minutes.",
  }),
];
