import { describe, expect, it } from "vitest";
import { BLOOD_GROUP, BODY_WEIGHT, GLUCOSE, HEART_RATE, SOURCE_A } from "./fixtures";
import { type HistoryStats, isOutlier, markOutliers, normalizeBatch, type ObservationItem } from "./index";

/** No spread of the quartiles, so only the z-score can fire. */
const Z_ONLY: HistoryStats = { count: 20, mean: 100, stddev: 5, q1: 100, q3: 100 };
/** No standard deviation, so only Tukey's fences can fire: IQR 20, fences at k = 3: [30, 170]. */
const IQR_ONLY: HistoryStats = { count: 20, mean: 100, stddev: 0, q1: 90, q3: 110 };

describe("isOutlier", () => {
  it("z-score: |z| above the threshold (default 4)", () => {
    expect(isOutlier(120, Z_ONLY)).toBe(false); // z = 4 exactly: not above
    expect(isOutlier(120.5, Z_ONLY)).toBe(true);
    expect(isOutlier(79.5, Z_ONLY)).toBe(true); // z = −4.1
    expect(isOutlier(80, Z_ONLY)).toBe(false);
    expect(isOutlier(112, Z_ONLY, { zThreshold: 2 })).toBe(true);
  });

  it("Tukey's fences: outside [Q1 − k·IQR, Q3 + k·IQR] (default k 3)", () => {
    expect(isOutlier(170, IQR_ONLY)).toBe(false);
    expect(isOutlier(170.01, IQR_ONLY)).toBe(true);
    expect(isOutlier(30, IQR_ONLY)).toBe(false);
    expect(isOutlier(29.99, IQR_ONLY)).toBe(true);
    // Tukey's inner fence, k = 1.5: [60, 140].
    expect(isOutlier(141, IQR_ONLY, { iqrMultiplier: 1.5 })).toBe(true);
    expect(isOutlier(139, IQR_ONLY, { iqrMultiplier: 1.5 })).toBe(false);
  });

  it("either rule suffices", () => {
    const both: HistoryStats = { count: 50, mean: 100, stddev: 20, q1: 98, q3: 102 };
    // z = 1 (no), but far outside the fences [86, 114].
    expect(isOutlier(120, both)).toBe(true);
    const wide: HistoryStats = { count: 50, mean: 100, stddev: 2, q1: 50, q3: 150 };
    // Inside the fences [−250, 450], but z = 10.
    expect(isOutlier(120, wide)).toBe(true);
  });

  it("needs minHistory past values (default 20)", () => {
    expect(isOutlier(1_000, { ...Z_ONLY, count: 19 })).toBe(false);
    expect(isOutlier(1_000, { ...Z_ONLY, count: 20 })).toBe(true);
    expect(isOutlier(1_000, { ...Z_ONLY, count: 5 }, { minHistory: 5 })).toBe(true);
    expect(isOutlier(1_000, null)).toBe(false);
  });

  it("finds nothing in a constant history", () => {
    expect(isOutlier(1_000, { count: 100, mean: 5, stddev: 0, q1: 5, q3: 5 })).toBe(false);
  });
});

describe("markOutliers", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const item = (i: number, variable: ObservationItem["variable"], value: ObservationItem["value"], unit?: string) => ({
    index: i,
    variable,
    value,
    ...(unit === undefined ? {} : { unit }),
    startAt: new Date(Date.UTC(2026, 10, 23, 8, i)),
    sourceId: SOURCE_A,
  });

  it("marks outliers in the canonical unit, keeps them, and warns", () => {
    const { accepted } = normalizeBatch(
      [
        item(0, GLUCOSE, 100, "mg/dL"), // 5.55 mmol/L: typical
        item(1, GLUCOSE, 450, "mg/dL"), // 24.98 mmol/L: far out for this user
        item(2, HEART_RATE, 250, "/min"), // no history for heart rate
        item(3, BLOOD_GROUP, "A+"), // not numeric
        item(4, BODY_WEIGHT, 82, "kg"), // history too short
      ],
      { now },
    );
    const history = new Map<string, HistoryStats>([
      [GLUCOSE.id, { count: 200, mean: 5.6, stddev: 0.8, q1: 5.1, q3: 6.1 }],
      [BODY_WEIGHT.id, { count: 3, mean: 60, stddev: 0.5, q1: 59.8, q3: 60.2 }],
    ]);
    const result = markOutliers(accepted, history);
    expect(result.outliers).toBe(1);
    expect(result.issues).toEqual([{ index: 1, code: "outlier", severity: "warning", message: expect.any(String) }]);
    expect(result.issues[0]?.message).toMatch(/^z-score 24\.2\d against 200 earlier values/);
    expect(accepted.map((o) => o.isOutlier)).toEqual([false, true, false, false, false]);
    expect(accepted).toHaveLength(5);
    expect(accepted.every((o) => o.isValid)).toBe(true);
  });

  it("reports Tukey's fences when only they fire, and honours options", () => {
    const { accepted } = normalizeBatch([item(0, HEART_RATE, 171, "/min")], { now });
    const history = new Map([[HEART_RATE.id, IQR_ONLY]]);
    expect(markOutliers(accepted, history).issues[0]?.message).toContain("Tukey's fences [30, 170]");
    expect(accepted[0]?.isOutlier).toBe(true);
    // k = 4: fences [10, 190].
    expect(markOutliers(accepted, history, { iqrMultiplier: 4 }).outliers).toBe(0);
    expect(markOutliers(accepted, history, { minHistory: 21 }).outliers).toBe(0);
  });
});

describe("markOutliers: censored values", () => {
  it("never marks a bound as an outlier: <5 or >1000 says where the value is not, not where it is", () => {
    const history = new Map([[HEART_RATE.id, Z_ONLY]]);
    const { accepted } = normalizeBatch(
      [
        {
          index: 0,
          variable: HEART_RATE,
          value: 250,
          unit: "/min",
          comparator: ">",
          startAt: new Date("2026-01-01T00:00:00Z"),
          sourceId: SOURCE_A,
        },
        {
          index: 1,
          variable: HEART_RATE,
          value: 30,
          unit: "/min",
          comparator: "<",
          startAt: new Date("2026-01-01T00:01:00Z"),
          sourceId: SOURCE_A,
        },
        {
          index: 2,
          variable: HEART_RATE,
          value: 250,
          unit: "/min",
          startAt: new Date("2026-01-01T00:02:00Z"),
          sourceId: SOURCE_A,
        },
      ],
      { now: new Date("2026-02-01T00:00:00Z") },
    );
    const result = markOutliers(accepted, history);
    expect(result.outliers).toBe(1);
    expect(result.issues.map((i) => i.index)).toEqual([2]);
    expect(accepted.map((o) => o.isOutlier)).toEqual([false, false, true]);
  });
});
