import { describe, expect, it } from "vitest";
import {
  BLOOD_GROUP,
  BODY_HEIGHT,
  BODY_TEMPERATURE,
  BODY_WEIGHT,
  CHOLESTEROL,
  GLUCOSE,
  HEART_RATE,
  INR,
  MOOD,
  NOTE,
  OXYGEN_SATURATION,
  SMOKED,
  SOURCE_A,
  SOURCE_B,
  STEPS,
} from "./fixtures";
import {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  type NormalizeOptions,
  type NormalizeResult,
  normalizeBatch,
  type ObservationItem,
  type VariableDefinition,
} from "./index";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const START = new Date("2026-11-23T08:30:00.000Z");
const OPTIONS: NormalizeOptions = { now: NOW };

type ItemFields = Omit<ObservationItem, "index" | "variable" | "value" | "startAt" | "sourceId"> &
  Partial<Pick<ObservationItem, "startAt" | "sourceId">>;

/** Builds a batch; each item's index is its position. */
function batch(
  ...items: [VariableDefinition, ObservationItem["value"], (ItemFields | undefined)?][]
): ObservationItem[] {
  return items.map(([variable, value, fields], index) => ({
    index,
    variable,
    value,
    startAt: START,
    sourceId: SOURCE_A,
    ...fields,
  }));
}

function one(variable: VariableDefinition, value: ObservationItem["value"], fields?: ItemFields, options = OPTIONS) {
  return normalizeBatch(batch([variable, value, fields]), options);
}

/** The counts add up: every item is stored, rejected or skipped as a duplicate. */
function expectCountsConsistent(result: NormalizeResult, items: number) {
  expect(result.accepted.length + result.rejected + result.duplicates).toBe(items);
  expect(result.flagged).toBe(result.accepted.filter((o) => !o.isValid).length);
  expect(result.rejected).toBe(result.issues.filter((i) => i.severity === "error").length);
}

function rejectedWith(result: NormalizeResult) {
  expect(result.accepted).toEqual([]);
  expect(result.rejected).toBe(1);
  expect(result.issues).toHaveLength(1);
  expect(result.issues[0]?.severity).toBe("error");
  return result.issues[0]?.code;
}

describe("normalizeBatch: units", () => {
  it("stores the canonical value with what was sent beside it", () => {
    const result = one(BODY_WEIGHT, 185, { unit: "[lb_av]" });
    expect(result.issues).toEqual([]);
    expect(result.accepted).toHaveLength(1);
    const [row] = result.accepted;
    expect(row).toMatchObject({
      index: 0,
      variableId: BODY_WEIGHT.id,
      variableVersion: 1,
      startAt: START,
      endAt: null,
      unit: "kg",
      originalValue: 185,
      originalUnit: "[lb_av]",
      valueText: null,
      valueCode: null,
      valueBoolean: null,
      isValid: true,
      isOutlier: false,
      sourceId: SOURCE_A,
    });
    expect(row?.value).toBeCloseTo(83.91458, 4);
  });

  it("converts glucose mg/dL to mmol/L, height inches to cm, °F to °C", () => {
    const result = normalizeBatch(
      batch(
        [GLUCOSE, 100, { unit: "mg/dL" }],
        [GLUCOSE, 5.4, { unit: "mmol/L", startAt: new Date("2026-11-23T09:00:00Z") }],
        [BODY_HEIGHT, 70, { unit: "[in_i]" }],
        [BODY_TEMPERATURE, 98.6, { unit: "[degF]" }],
      ),
      OPTIONS,
    );
    expect(result.issues).toEqual([]);
    const values = result.accepted.map((o) => [o.value, o.unit, o.originalValue, o.originalUnit]);
    expect(values[0]?.[0]).toBeCloseTo(5.5508, 3);
    expect(values[0]?.slice(1)).toEqual(["mmol/L", 100, "mg/dL"]);
    // Already canonical: exactly the value sent.
    expect(values[1]).toEqual([5.4, "mmol/L", 5.4, "mmol/L"]);
    expect(values[2]?.[0]).toBeCloseTo(177.8, 10);
    expect(values[3]?.[0]).toBeCloseTo(37, 10);
  });

  it("rejects a missing unit where the variable has one", () => {
    expect(rejectedWith(one(BODY_WEIGHT, 70))).toBe("unit_required");
    expect(rejectedWith(one(GLUCOSE, 5.5))).toBe("unit_required");
    expect(rejectedWith(one(HEART_RATE, 60))).toBe("unit_required");
  });

  it("takes a missing unit as the canonical one for 1, % and annotations", () => {
    const result = normalizeBatch(
      batch(
        [STEPS, 8_000],
        [MOOD, 4],
        [OXYGEN_SATURATION, 97],
        [INR, 1.1],
        [STEPS, 900, { unit: "{steps}", sourceId: SOURCE_B }],
      ),
      OPTIONS,
    );
    expect(result.issues).toEqual([]);
    expect(result.accepted.map((o) => [o.value, o.unit, o.originalValue, o.originalUnit])).toEqual([
      [8_000, "{steps}", 8_000, null],
      [4, "{score}", 4, null],
      [97, "%", 97, null],
      [1.1, "1", 1.1, null],
      [900, "{steps}", 900, "{steps}"],
    ]);
  });

  it("converts between dimensionless units when one is sent", () => {
    const result = one(OXYGEN_SATURATION, 0.97, { unit: "1" });
    expect(result.accepted[0]?.value).toBeCloseTo(97, 10);
    expect(result.accepted[0]?.originalUnit).toBe("1");
  });

  it("rejects invalid, incommensurable and molecular-weight-less units", () => {
    expect(rejectedWith(one(GLUCOSE, 100, { unit: "mgdl" }))).toBe("unit_invalid");
    expect(rejectedWith(one(BODY_WEIGHT, 70, { unit: "kilograms" }))).toBe("unit_invalid");
    expect(rejectedWith(one(HEART_RATE, 70, { unit: "kg" }))).toBe("unit_incommensurable");
    expect(rejectedWith(one(CHOLESTEROL, 5.2, { unit: "mmol/L" }))).toBe("unit_conversion_needs_molecular_weight");
  });

  it("ignores units on non-numeric values", () => {
    const result = normalizeBatch(
      batch([BLOOD_GROUP, "A+", { unit: "kg" }], [SMOKED, false, { unit: "{score}" }], [NOTE, "ok", { unit: "mgdl" }]),
      OPTIONS,
    );
    expect(result.issues).toEqual([]);
    for (const row of result.accepted) {
      expect(row).toMatchObject({ value: null, unit: null, originalValue: null, originalUnit: null });
    }
  });
});

describe("normalizeBatch: value types", () => {
  it("needs a finite number for numeric variables", () => {
    expect(rejectedWith(one(BODY_WEIGHT, Number.NaN, { unit: "kg" }))).toBe("value_type");
    expect(rejectedWith(one(BODY_WEIGHT, Number.POSITIVE_INFINITY, { unit: "kg" }))).toBe("value_type");
    expect(rejectedWith(one(BODY_WEIGHT, "70", { unit: "kg" }))).toBe("value_type");
    expect(rejectedWith(one(BODY_WEIGHT, true, { unit: "kg" }))).toBe("value_type");
    expect(one(BODY_WEIGHT, 0.2, { unit: "kg" }).accepted[0]?.value).toBe(0.2);
  });

  it("needs a non-empty code of at most 256 characters", () => {
    expect(one(BLOOD_GROUP, "O-").accepted[0]).toMatchObject({ valueCode: "O-", value: null, valueText: null });
    expect(one(BLOOD_GROUP, "x".repeat(256)).accepted).toHaveLength(1);
    // 256 characters outside the BMP are 512 UTF-16 units and still 256 characters.
    expect(one(BLOOD_GROUP, "𝔸".repeat(256)).accepted).toHaveLength(1);
    expect(rejectedWith(one(BLOOD_GROUP, "x".repeat(257)))).toBe("value_type");
    expect(rejectedWith(one(BLOOD_GROUP, ""))).toBe("value_type");
    expect(rejectedWith(one(BLOOD_GROUP, "   "))).toBe("value_type");
    expect(rejectedWith(one(BLOOD_GROUP, 1))).toBe("value_type");
  });

  it("needs a string of at most 10,000 characters for text", () => {
    expect(one(NOTE, "Felt dizzy after lunch").accepted[0]).toMatchObject({ valueText: "Felt dizzy after lunch" });
    expect(one(NOTE, "").accepted[0]).toMatchObject({ valueText: "" });
    expect(one(NOTE, "a".repeat(10_000)).accepted).toHaveLength(1);
    expect(rejectedWith(one(NOTE, "a".repeat(10_001)))).toBe("value_type");
    expect(rejectedWith(one(NOTE, false))).toBe("value_type");
  });

  it("needs a boolean for boolean variables", () => {
    expect(one(SMOKED, true).accepted[0]).toMatchObject({ valueBoolean: true, value: null });
    expect(one(SMOKED, false).accepted[0]).toMatchObject({ valueBoolean: false });
    expect(rejectedWith(one(SMOKED, "true"))).toBe("value_type");
    expect(rejectedWith(one(SMOKED, 1))).toBe("value_type");
  });
});

describe("normalizeBatch: valid range", () => {
  const withSeverity = (rangeSeverity: VariableDefinition["rangeSeverity"]) => ({ ...GLUCOSE, rangeSeverity });

  it("checks the range after conversion", () => {
    // 1,000 mg/dL = 55.5 mmol/L (inside 0.5–60); 1,100 mg/dL = 61.06 mmol/L (above).
    expect(one(withSeverity("reject"), 1_000, { unit: "mg/dL" }).accepted).toHaveLength(1);
    expect(rejectedWith(one(withSeverity("reject"), 1_100, { unit: "mg/dL" }))).toBe("out_of_range");
  });

  it("includes the bounds", () => {
    expect(one(withSeverity("reject"), 60, { unit: "mmol/L" }).issues).toEqual([]);
    expect(one(withSeverity("reject"), 0.5, { unit: "mmol/L" }).issues).toEqual([]);
    expect(rejectedWith(one(withSeverity("reject"), 0.49, { unit: "mmol/L" }))).toBe("out_of_range");
  });

  it("log: stores the value as valid with an info issue", () => {
    const result = one(withSeverity("log"), 70, { unit: "mmol/L" });
    expect(result.accepted[0]).toMatchObject({ value: 70, isValid: true });
    expect(result.issues).toEqual([{ index: 0, code: "out_of_range", severity: "info", message: expect.any(String) }]);
    expect(result).toMatchObject({ rejected: 0, flagged: 0 });
  });

  it("flag: stores the value as invalid with a warning", () => {
    const result = one(withSeverity("flag"), 0.1, { unit: "mmol/L" });
    expect(result.accepted[0]).toMatchObject({ value: 0.1, isValid: false });
    expect(result.issues).toEqual([
      { index: 0, code: "out_of_range", severity: "warning", message: "0.1 mmol/L is below the minimum 0.5 mmol/L." },
    ]);
    expect(result).toMatchObject({ rejected: 0, flagged: 1 });
  });

  it("reject: does not store the value", () => {
    const result = one(withSeverity("reject"), 70, { unit: "mmol/L" });
    expect(rejectedWith(result)).toBe("out_of_range");
    expect(result.issues[0]?.message).toBe("70 mmol/L is above the maximum 60 mmol/L.");
  });

  it("applies the tenant's override per variable", () => {
    const items = batch([GLUCOSE, 70, { unit: "mmol/L" }], [BODY_WEIGHT, 900, { unit: "kg" }]);
    const strict = normalizeBatch(items, {
      now: NOW,
      rangeSeverityOverride: (id) => (id === GLUCOSE.id ? "reject" : undefined),
    });
    // Glucose rejected by the override; weight keeps its own severity (flag).
    expect(strict.issues.map((i) => [i.index, i.severity])).toEqual([
      [0, "error"],
      [1, "warning"],
    ]);
    expect(strict).toMatchObject({ rejected: 1, flagged: 1 });
    const lenient = normalizeBatch(items, { now: NOW, rangeSeverityOverride: () => "log" });
    expect(lenient.accepted.map((o) => o.isValid)).toEqual([true, true]);
    expect(lenient.issues.map((i) => i.severity)).toEqual(["info", "info"]);
  });

  it("leaves unbounded sides unchecked", () => {
    const open: VariableDefinition = { ...BODY_WEIGHT, validMin: null, validMax: null, rangeSeverity: "reject" };
    expect(one(open, -5, { unit: "kg" }).accepted).toHaveLength(1);
    expect(one(open, 1e9, { unit: "kg" }).accepted).toHaveLength(1);
  });
});

describe("normalizeBatch: timestamps", () => {
  const at = (ms: number) => new Date(NOW.getTime() + ms);

  it("rejects an end before the start and accepts an instant (end = start)", () => {
    expect(rejectedWith(one(STEPS, 10, { endAt: new Date(START.getTime() - 1) }))).toBe("end_before_start");
    expect(one(STEPS, 10, { endAt: START }).accepted[0]?.endAt).toEqual(START);
  });

  it("accepts up to exactly now + skew, not a millisecond later", () => {
    expect(DEFAULT_MAX_FUTURE_SKEW_MS).toBe(300_000);
    expect(one(STEPS, 10, { startAt: at(300_000) }).accepted).toHaveLength(1);
    expect(rejectedWith(one(STEPS, 10, { startAt: at(300_001) }))).toBe("in_future");
    expect(one(STEPS, 10, { startAt: START, endAt: at(300_000) }).accepted).toHaveLength(1);
    expect(rejectedWith(one(STEPS, 10, { startAt: START, endAt: at(300_001) }))).toBe("in_future");
  });

  it("uses the skew it is given", () => {
    const exact: NormalizeOptions = { now: NOW, maxFutureSkewMs: 0 };
    expect(one(STEPS, 10, { startAt: NOW }, exact).accepted).toHaveLength(1);
    expect(rejectedWith(one(STEPS, 10, { startAt: at(1) }, exact))).toBe("in_future");
    expect(one(STEPS, 10, { startAt: at(3_600_000) }, { now: NOW, maxFutureSkewMs: 3_600_000 }).accepted).toHaveLength(
      1,
    );
  });
});

describe("normalizeBatch: duplicates within the batch", () => {
  it("keeps the first of the same variable, instant and source, and counts the rest", () => {
    const result = normalizeBatch(
      batch(
        [HEART_RATE, 60, { unit: "/min" }],
        [HEART_RATE, 61, { unit: "/min", startAt: new Date(START.getTime()) }], // equal instant, other Date
        [HEART_RATE, 62, { unit: "/min", sourceId: SOURCE_B }], // other source: not a duplicate
        [HEART_RATE, 63, { unit: "/min", startAt: new Date(START.getTime() + 1) }], // other instant
        [STEPS, 64], // other variable
        [HEART_RATE, 65, { unit: "/min" }],
      ),
      OPTIONS,
    );
    expect(result.accepted.map((o) => o.value)).toEqual([60, 62, 63, 64]);
    expect(result.duplicates).toBe(2);
    expect(result.rejected).toBe(0);
    expect(result.issues.map((i) => [i.index, i.code, i.severity])).toEqual([
      [1, "duplicate_in_batch", "info"],
      [5, "duplicate_in_batch", "info"],
    ]);
    expectCountsConsistent(result, 6);
  });

  it("lets a later item take the place of an earlier one that was rejected", () => {
    const result = normalizeBatch(batch([HEART_RATE, 60, { unit: "kg" }], [HEART_RATE, 61, { unit: "/min" }]), OPTIONS);
    expect(result.accepted.map((o) => o.value)).toEqual([61]);
    expect(result).toMatchObject({ rejected: 1, duplicates: 0 });
  });
});

describe("normalizeBatch: counts and issues", () => {
  it("reports every item once, by its batch index", () => {
    const items = batch(
      [BODY_WEIGHT, 80, { unit: "kg" }], // 0 stored
      [BODY_WEIGHT, 900, { unit: "kg", startAt: new Date("2026-11-22T08:00:00Z") }], // 1 flagged
      [BODY_WEIGHT, 81, { unit: "kg" }], // 2 duplicate of 0
      [BODY_WEIGHT, 82, { startAt: new Date("2026-11-21T08:00:00Z") }], // 3 unit required
      [GLUCOSE, 1_100, { unit: "mg/dL", startAt: new Date("2026-11-22T09:00:00Z") }], // 4 flagged
      [HEART_RATE, 70, { unit: "kg" }], // 5 incommensurable
      [NOTE, "fine"], // 6 stored
      [SMOKED, "no"], // 7 value type
      [STEPS, 100, { startAt: new Date("2027-01-01T00:00:00Z") }], // 8 in future
    );
    // Indexes as the original batch numbered them (items that failed the shape check are gone).
    const renumbered = items.map((item, i) => ({ ...item, index: i * 10 }));
    const result = normalizeBatch(renumbered, OPTIONS);
    expect(result).toMatchObject({ rejected: 4, duplicates: 1, flagged: 2 });
    expect(result.accepted.map((o) => o.index)).toEqual([0, 10, 40, 60]);
    expect(result.issues.map((i) => [i.index, i.code, i.severity])).toEqual([
      [10, "out_of_range", "warning"],
      [20, "duplicate_in_batch", "info"],
      [30, "unit_required", "error"],
      [40, "out_of_range", "warning"],
      [50, "unit_incommensurable", "error"],
      [70, "value_type", "error"],
      [80, "in_future", "error"],
    ]);
    expectCountsConsistent(result, items.length);
  });

  it("handles an empty batch", () => {
    expect(normalizeBatch([], OPTIONS)).toEqual({ accepted: [], issues: [], rejected: 0, duplicates: 0, flagged: 0 });
  });
});

/**
 * Censored values (issue 15): FHIR R4 `Quantity.comparator` (`<`, `<=`, `>=`, `>`) marks `value` as a
 * bound. Every comparator is carried, converted with its bound, and judged against the range by what
 * it admits.
 */
describe("normalizeBatch: censored values", () => {
  it("carries each of FHIR's four comparators with the bound, and null for an exact value", () => {
    const comparators = ["<", "<=", ">=", ">"] as const;
    const result = normalizeBatch(
      batch(
        ...comparators.map((comparator, i): [VariableDefinition, number, ItemFields] => [
          HEART_RATE,
          100,
          { unit: "/min", comparator, startAt: new Date(START.getTime() + i * 60_000) },
        ]),
        [HEART_RATE, 100, { unit: "/min", startAt: new Date(START.getTime() + 10 * 60_000) }],
      ),
      OPTIONS,
    );
    expect(result.issues).toEqual([]);
    expect(result.accepted.map((o) => [o.comparator, o.value, o.originalValue])).toEqual([
      ["<", 100, 100],
      ["<=", 100, 100],
      [">=", 100, 100],
      [">", 100, 100],
      [null, 100, 100],
    ]);
  });

  it("converts the bound like any value: <90 mg/dL glucose is <4.996 mmol/L, >=100 [degF] is >=37.78 Cel", () => {
    const result = normalizeBatch(
      batch(
        [GLUCOSE, 90, { unit: "mg/dL", comparator: "<" }],
        [BODY_TEMPERATURE, 100, { unit: "[degF]", comparator: ">=" }],
      ),
      OPTIONS,
    );
    expect(result.issues).toEqual([]);
    const [glucose, temperature] = result.accepted;
    expect(glucose).toMatchObject({ comparator: "<", unit: "mmol/L", originalValue: 90, originalUnit: "mg/dL" });
    expect(glucose?.value).toBeCloseTo(4.9957, 3);
    expect(temperature).toMatchObject({ comparator: ">=", unit: "Cel", originalValue: 100 });
    expect(temperature?.value).toBeCloseTo(37.7778, 3);
  });

  it("refuses a comparator on a code, text or boolean variable (value_type), naming the comparator", () => {
    for (const [variable, value] of [
      [BLOOD_GROUP, "A+"],
      [NOTE, "fine"],
      [SMOKED, true],
    ] as const) {
      const result = one(variable, value, { comparator: "<" });
      expect(rejectedWith(result)).toBe("value_type");
      expect(result.issues[0]?.message).toContain("comparator (<)");
    }
  });

  it("is out of range only when no value it admits is in range (heart rate 20–300 /min, severity flag)", () => {
    const cases: Array<[ObservationItem["comparator"], number, boolean]> = [
      ["<", 20, false], // every admitted value is below 20
      ["<", 21, true],
      ["<=", 20, true], // admits 20 itself
      ["<=", 19, false],
      ["<", 400, true], // above the maximum, yet it admits in-range values
      [">", 300, false],
      [">", 299, true],
      [">=", 300, true],
      [">=", 301, false],
      [">", 5, true],
      [undefined, 301, false],
    ];
    const result = normalizeBatch(
      batch(
        ...cases.map(([comparator, value], i): [VariableDefinition, number, ItemFields] => [
          HEART_RATE,
          value,
          {
            unit: "/min",
            ...(comparator === undefined ? {} : { comparator }),
            startAt: new Date(START.getTime() + i * 60_000),
          },
        ]),
      ),
      OPTIONS,
    );
    expect(result.accepted.map((o) => o.isValid)).toEqual(cases.map(([, , valid]) => valid));
    const messages = result.issues.filter((i) => i.code === "out_of_range").map((i) => i.message);
    expect(messages).toContain("<20 /min is below the minimum 20 /min.");
    expect(messages).toContain(">300 /min is above the maximum 300 /min.");
  });
});
