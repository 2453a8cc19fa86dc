/**
 * Food and drink intake: energy, macronutrients, selected micronutrients, water, caffeine and alcohol.
 * Codes: LOINC 9052-2 for energy intake, Apple HealthKit dietary quantity types, and RxNorm for caffeine
 * (which people also take as tablets). Intake adds up within a time bucket.
 */
import type { CodingSeed, VariableSeed } from "../../types";
import { hk, loinc, rxnorm } from "./codes";

interface IntakeSpec {
  slug: string;
  name: string;
  unit: string;
  max: number;
  codes: CodingSeed[];
  synonyms: string[];
  description: string;
  molecularWeight?: number;
  combine?: "sum" | "max";
}

/** An intake: a cause (input factor), summed within a time bucket unless `combine` says otherwise. */
function intake(spec: IntakeSpec): VariableSeed {
  const seed: VariableSeed = {
    slug: spec.slug,
    name: spec.name,
    category: "nutrition",
    valueType: "numeric",
    canonicalUnit: spec.unit,
    validMin: 0,
    validMax: spec.max,
    isInputFactor: true,
    isOutcome: false,
    combinationOperation: spec.combine ?? "sum",
    codes: spec.codes,
    synonyms: spec.synonyms,
    description: spec.description,
  };
  if (spec.molecularWeight !== undefined) seed.molecularWeight = spec.molecularWeight;
  return seed;
}

export const nutritionVariables: readonly VariableSeed[] = [
  intake({
    slug: "energy-intake",
    name: "Energy intake (calories)",
    unit: "kcal",
    max: 20000,
    codes: [loinc("9052-2", "Calorie intake total 24 hour"), hk("HKQuantityTypeIdentifierDietaryEnergyConsumed")],
    synonyms: [
      "Calories",
      "Calories consumed",
      "Energy",
      "Dietary Energy",
      "Calorie intake",
      "kcal",
      "DCI",
      "Food calories",
    ],
    description: "Food energy eaten (kJ and [Cal] convert).",
  }),
  intake({
    slug: "protein-intake",
    name: "Protein intake",
    unit: "g",
    max: 1000,
    codes: [hk("HKQuantityTypeIdentifierDietaryProtein")],
    synonyms: ["Protein", "Protein (g)", "Dietary Protein"],
    description: "Protein eaten.",
  }),
  intake({
    slug: "carbohydrate-intake",
    name: "Carbohydrate intake",
    unit: "g",
    max: 2000,
    codes: [hk("HKQuantityTypeIdentifierDietaryCarbohydrates")],
    synonyms: ["Carbohydrates", "Carbs", "Carbs (g)", "Total carbohydrate", "Dietary Carbohydrates"],
    description: "Total carbohydrate eaten.",
  }),
  intake({
    slug: "fat-intake",
    name: "Fat intake",
    unit: "g",
    max: 1000,
    codes: [hk("HKQuantityTypeIdentifierDietaryFatTotal")],
    synonyms: ["Fat", "Total Fat", "Fat (g)", "Dietary Fat"],
    description: "Total fat eaten.",
  }),
  intake({
    slug: "saturated-fat-intake",
    name: "Saturated fat intake",
    unit: "g",
    max: 500,
    codes: [hk("HKQuantityTypeIdentifierDietaryFatSaturated")],
    synonyms: ["Saturated Fat", "Sat Fat", "Saturated fat (g)"],
    description: "Saturated fat eaten.",
  }),
  intake({
    slug: "monounsaturated-fat-intake",
    name: "Monounsaturated fat intake",
    unit: "g",
    max: 500,
    codes: [hk("HKQuantityTypeIdentifierDietaryFatMonounsaturated")],
    synonyms: ["Monounsaturated Fat", "MUFA"],
    description: "Monounsaturated fat eaten.",
  }),
  intake({
    slug: "polyunsaturated-fat-intake",
    name: "Polyunsaturated fat intake",
    unit: "g",
    max: 500,
    codes: [hk("HKQuantityTypeIdentifierDietaryFatPolyunsaturated")],
    synonyms: ["Polyunsaturated Fat", "PUFA"],
    description: "Polyunsaturated fat eaten.",
  }),
  intake({
    slug: "dietary-cholesterol-intake",
    name: "Dietary cholesterol intake",
    unit: "mg",
    max: 10000,
    codes: [hk("HKQuantityTypeIdentifierDietaryCholesterol")],
    synonyms: ["Cholesterol (mg)", "Dietary Cholesterol"],
    description: "Cholesterol eaten.",
  }),
  intake({
    slug: "fiber-intake",
    name: "Fiber intake",
    unit: "g",
    max: 300,
    codes: [hk("HKQuantityTypeIdentifierDietaryFiber")],
    synonyms: ["Fiber", "Fibre", "Dietary Fiber", "Fiber (g)"],
    description: "Dietary fibre eaten.",
  }),
  intake({
    slug: "sugar-intake",
    name: "Sugar intake",
    unit: "g",
    max: 1000,
    codes: [hk("HKQuantityTypeIdentifierDietarySugar")],
    synonyms: ["Sugar", "Sugars", "Total sugars", "Dietary Sugar"],
    description: "Total sugars eaten.",
  }),
  intake({
    slug: "added-sugar-intake",
    name: "Added sugar intake",
    unit: "g",
    max: 1000,
    codes: [],
    synonyms: ["Added Sugar", "Added sugars"],
    description: "Sugars added to foods and drinks.",
  }),
  intake({
    slug: "sodium-intake",
    name: "Sodium intake",
    unit: "mg",
    max: 50000,
    codes: [hk("HKQuantityTypeIdentifierDietarySodium")],
    synonyms: ["Sodium (mg)", "Dietary Sodium", "Salt intake (sodium)"],
    description: "Sodium eaten (1 g of salt contains about 393 mg of sodium).",
  }),
  intake({
    slug: "potassium-intake",
    name: "Potassium intake",
    unit: "mg",
    max: 50000,
    codes: [hk("HKQuantityTypeIdentifierDietaryPotassium")],
    synonyms: ["Potassium (mg)", "Dietary Potassium"],
    description: "Potassium eaten.",
  }),
  intake({
    slug: "calcium-intake",
    name: "Calcium intake (dietary)",
    unit: "mg",
    max: 20000,
    codes: [hk("HKQuantityTypeIdentifierDietaryCalcium")],
    synonyms: ["Calcium (mg)", "Dietary Calcium"],
    description: "Calcium from food and drink.",
  }),
  intake({
    slug: "iron-intake",
    name: "Iron intake (dietary)",
    unit: "mg",
    max: 1000,
    codes: [hk("HKQuantityTypeIdentifierDietaryIron")],
    synonyms: ["Iron (mg)", "Dietary Iron"],
    description: "Iron from food and drink.",
  }),
  intake({
    slug: "magnesium-intake",
    name: "Magnesium intake (dietary)",
    unit: "mg",
    max: 5000,
    codes: [hk("HKQuantityTypeIdentifierDietaryMagnesium")],
    synonyms: ["Magnesium (mg)", "Dietary Magnesium"],
    description: "Magnesium from food and drink.",
  }),
  intake({
    slug: "zinc-intake",
    name: "Zinc intake (dietary)",
    unit: "mg",
    max: 500,
    codes: [hk("HKQuantityTypeIdentifierDietaryZinc")],
    synonyms: ["Zinc (mg)", "Dietary Zinc"],
    description: "Zinc from food and drink.",
  }),
  intake({
    slug: "vitamin-c-intake",
    name: "Vitamin C intake (dietary)",
    unit: "mg",
    max: 10000,
    codes: [hk("HKQuantityTypeIdentifierDietaryVitaminC")],
    synonyms: ["Vitamin C (mg)", "Dietary Vitamin C"],
    description: "Vitamin C from food and drink.",
  }),
  intake({
    slug: "vitamin-d-intake",
    name: "Vitamin D intake (dietary)",
    unit: "ug",
    max: 1000,
    codes: [hk("HKQuantityTypeIdentifierDietaryVitaminD")],
    synonyms: ["Vitamin D (mcg)", "Dietary Vitamin D"],
    description: "Vitamin D from food and drink in micrograms (1 µg = 40 IU).",
  }),
  intake({
    slug: "water-intake",
    name: "Water intake",
    unit: "mL",
    max: 20000,
    codes: [hk("HKQuantityTypeIdentifierDietaryWater")],
    synonyms: ["Water", "Water (mL)", "Hydration intake", "Fluid intake", "Dietary Water", "com.google.hydration"],
    description: "Water and other fluids drunk (L and [foz_us] convert).",
  }),
  intake({
    slug: "caffeine",
    name: "Caffeine",
    unit: "mg",
    max: 5000,
    molecularWeight: 194.19,
    codes: [rxnorm("1886", "caffeine"), hk("HKQuantityTypeIdentifierDietaryCaffeine")],
    synonyms: ["Caffeine", "Caffeine (mg)", "Dietary Caffeine", "Coffee caffeine"],
    description: "Caffeine from coffee, tea, energy drinks and tablets.",
  }),
  intake({
    slug: "alcoholic-drinks",
    name: "Alcoholic drinks",
    unit: "{drink}",
    max: 100,
    codes: [hk("HKQuantityTypeIdentifierNumberOfAlcoholicBeverages")],
    synonyms: ["Alcohol", "Alcoholic Beverages", "Drinks", "Standard drinks", "Number of Alcoholic Beverages"],
    description: "Standard alcoholic drinks (one US standard drink holds 14 g of ethanol).",
  }),
  intake({
    slug: "fruit-vegetable-servings",
    name: "Fruit and vegetable servings",
    unit: "{serving}",
    max: 50,
    codes: [],
    synonyms: ["Fruits and Vegetables", "Servings of fruit and vegetables", "5 a day"],
    description: "Servings of fruit and vegetables eaten.",
  }),
  intake({
    slug: "fasting-duration",
    name: "Fasting duration",
    unit: "h",
    max: 500,
    combine: "max",
    codes: [],
    synonyms: ["Fasting", "Fast duration", "Intermittent fasting", "Hours fasted"],
    description: "Length of a fast (time since the last calorie intake); the longest fast of a time bucket counts.",
  }),
];
