/**
 * The N-of-1 analysis on generated series with planted effects (known delay, duration, direction and
 * size, with noise and missing days; test/synthetic.ts, seeded), on series with no effect, and on
 * hand-worked alignments. Tolerances are stated where they are asserted.
 */
import { NOf1Result, type PairResult, type Relationship, type TableColumn } from "@dfda/plugins";
import { describe, expect, it } from "vitest";
import { syntheticTable } from "../test/synthetic";
import { alignInto, prepareSeries, scanCorrelation, scanGrid } from "./align";
import {
  AnalysisInputError,
  analysePair,
  GRADE_BOUNDARIES,
  gradeOf,
  impactScore,
  runPair,
  runPredictorSearch,
  SUFFICIENCY,
} from "./analysis";
import { leastSquares, mean, pearson, sampleVariance, spearman, welchTTest } from "./stats";

const DAY = 24;

describe("temporal alignment", () => {
  const predictor = [1, 2, null, 4, 5, 6, 7];
  const outcome = [10, 11, 12, 13, 14, null, 16];

  function pairs(delay: number, duration: number) {
    const xs = new Float64Array(7);
    const ys = new Float64Array(7);
    const at = new Int32Array(7);
    const n = alignInto(prepareSeries(predictor), prepareSeries(outcome), delay, duration, xs, ys, at);
    return Array.from({ length: n }, (_, i) => [at[i], xs[i], ys[i]]);
  }

  it("pairs the outcome at i with the predictor's mean over [i − delay − duration, i − delay)", () => {
    // delay 1, duration 2: i = 3 ← buckets 0, 1 (1, 2); i = 4 ← 1, 2 (2, unknown); i = 5 has no outcome;
    // i = 6 ← 3, 4 (4, 5). A window needs half its buckets known (here one of two).
    expect(pairs(1, 2)).toEqual([
      [3, 1.5, 13],
      [4, 2, 14],
      [6, 4.5, 16],
    ]);
    // delay 0, duration 3 (two of three known): i = 3 ← 0, 1, 2; i = 4 ← 1, 2, 3; i = 6 ← 3, 4, 5.
    expect(pairs(0, 3)).toEqual([
      [3, 1.5, 13],
      [4, 3, 14],
      [6, 5, 16],
    ]);
    // delay 0, duration 1: the previous bucket only; bucket 2's unknown predictor drops outcome 3.
    expect(pairs(0, 1)).toEqual([
      [1, 1, 11],
      [2, 2, 12],
      [4, 4, 14],
      [6, 6, 16],
    ]);
  });

  it("counts changes of value over the known values", () => {
    expect(prepareSeries(predictor).changes).toBe(5);
    expect(prepareSeries([3, 3, null, 3, 4, 4, 3]).changes).toBe(2);
  });

  it("computes the scan's one-pass r exactly as Pearson's r of the materialized pairs", () => {
    const table = syntheticTable({
      seed: 42,
      buckets: 400,
      predictors: [{ slug: "x", kind: "continuous", mean: 1000, sd: 3, missing: 0.2 }],
      outcome: { slug: "y", base: 50, noise: 5, missing: 0.2 },
      planted: [{ predictor: "x", delay: 2, duration: 3, effect: 0.001 }],
    });
    const [x, y] = table.columns.map((c) => prepareSeries(c.values)) as [
      ReturnType<typeof prepareSeries>,
      ReturnType<typeof prepareSeries>,
    ];
    const xs = new Float64Array(400);
    const ys = new Float64Array(400);
    for (const [delay, duration] of [
      [0, 1],
      [2, 3],
      [7, 12],
      [14, 30],
    ] as const) {
      const n = alignInto(x, y, delay, duration, xs, ys);
      const scanned = scanCorrelation(x, y, delay, duration);
      expect(scanned.n).toBe(n);
      expect(Math.abs((scanned.r as number) - (pearson(xs.subarray(0, n), ys.subarray(0, n)) as number))).toBeLessThan(
        1e-12,
      );
    }
  });

  it("scans delays 0 … 14 d and durations 1 … 30 d", () => {
    const day = scanGrid("day");
    expect([day.delays.length, day.delays[0], day.delays.at(-1)]).toEqual([15, 0, 14]);
    expect([day.durations.length, day.durations[0], day.durations.at(-1)]).toEqual([30, 1, 30]);
    const hour = scanGrid("hour");
    expect([hour.delays[0], hour.delays.at(-1)]).toEqual([0, 14 * 24]);
    expect([hour.durations[0], hour.durations.at(-1)]).toEqual([1, 30 * 24]);
    for (const list of [hour.delays, hour.durations]) expect([...list].sort((a, b) => a - b)).toEqual(list);
  });
});

/** The grid step around a value: the distance to its nearest neighbour in the grid. */
function withinOneStep(grid: readonly number[], found: number, planted: number) {
  const i = grid.indexOf(found);
  const j = grid.indexOf(planted);
  expect(i, `${found} is on the grid`).toBeGreaterThanOrEqual(0);
  expect(Math.abs(i - j), `found ${found}, planted ${planted}`).toBeLessThanOrEqual(1);
}

describe("a planted effect is recovered", () => {
  it.each([1, 2, 3])(
    "a daily dose raising mood by 20 % two days later (seed %i): delay, duration, sign and effect size",
    (seed) => {
      const table = syntheticTable({
        seed,
        buckets: 365,
        predictors: [{ slug: "vitamin-d", kind: "binary", category: "supplements" }],
        outcome: { slug: "mood", category: "mood", base: 50, noise: 4, missing: 0.1 },
        planted: [{ predictor: "vitamin-d", delay: 2, duration: 1, effect: 0.2 }],
      });
      const result = runPair(table, { predictor: "vitamin-d", outcome: "mood" });
      const r = result.relationship;
      withinOneStep(scanGrid("day").delays, r.delay_hours / DAY, 2);
      withinOneStep(scanGrid("day").durations, r.duration_hours / DAY, 1);
      expect(r.pearson).toBeGreaterThan(0.5);
      // The planted +20 %: the outcome after a dose is 60 against 50, with noise σ = 4 over ~150 days per
      // group the estimate's standard error is ~1 percentage point; the tolerance is ±3 points.
      expect(Math.abs((r.effect.percent_change as number) - 20)).toBeLessThanOrEqual(3);
      expect(r.effect.p_value).toBeLessThan(1e-10);
      expect(r.p_value).toBeLessThan(1e-10);
      expect(Math.abs(r.reverse_pearson as number)).toBeLessThan(0.2);
      expect(r.higher_outcome_is_better).toBe(true);
      // Higher mood is better: a dose (1) precedes the best quartile, none (0) the worst.
      expect(r.optimal_value?.value).toBeGreaterThan(0.9);
      expect(r.worst_value?.value).toBeLessThan(0.1);
      expect(r.sufficiency).toMatchObject({ sufficient: true, reasons: [] });
      expect(["A", "B"]).toContain(r.grade);
      expect(NOf1Result.parse(result)).toEqual(result);
    },
  );

  it("a supplement lowering a symptom with a 3-day delay and a 5-day duration (predictor days missing)", () => {
    const table = syntheticTable({
      seed: 2,
      buckets: 365,
      predictors: [{ slug: "magnesium", kind: "continuous", mean: 5, sd: 2, missing: 0.1, category: "supplements" }],
      outcome: { slug: "headache", category: "symptoms", base: 5, noise: 1, missing: 0.1 },
      planted: [{ predictor: "magnesium", delay: 3, duration: 5, effect: -0.1 }],
    });
    const r = runPair(table, { predictor: "magnesium", outcome: "headache" }).relationship;
    const grid = scanGrid("day");
    withinOneStep(grid.delays, r.delay_hours / DAY, 3);
    withinOneStep(grid.durations, r.duration_hours / DAY, 5);
    expect(r.pearson).toBeLessThan(-0.3);
    expect(r.spearman).toBeLessThan(-0.3);
    expect(r.effect.percent_change).toBeLessThan(-10);
    // A symptom: lower is better, so the optimal magnesium is the high one, with separate intervals.
    expect(r.higher_outcome_is_better).toBe(false);
    const optimal = r.optimal_value as NonNullable<Relationship["optimal_value"]>;
    const worst = r.worst_value as NonNullable<Relationship["worst_value"]>;
    expect(optimal.ci_low).toBeGreaterThan(worst.ci_high);
    expect(optimal.ci_low).toBeLessThan(optimal.value);
    expect(optimal.ci_high).toBeGreaterThan(optimal.value);
    expect(r.sufficiency.sufficient).toBe(true);
    expect(r.score).toBeGreaterThanOrEqual(10);
  });

  it("an hourly effect 6 h after a dose lasting 3 h, within one step of the hourly grid", () => {
    const table = syntheticTable({
      seed: 5,
      resolution: "hour",
      buckets: 60 * 24,
      predictors: [{ slug: "caffeine", kind: "binary", p: 0.15, category: "nutrition" }],
      outcome: { slug: "heart-rate", category: "vital_signs", base: 60, noise: 3, missing: 0.3 },
      planted: [{ predictor: "caffeine", delay: 6, duration: 3, effect: 0.5 }],
    });
    const result = runPair(table, { predictor: "caffeine", outcome: "heart-rate" });
    const grid = scanGrid("hour");
    withinOneStep(grid.delays, result.relationship.delay_hours, 6);
    withinOneStep(grid.durations, result.relationship.duration_hours, 3);
    expect(result.relationship.pearson).toBeGreaterThan(0.3);
    expect(result.delay_curve).toHaveLength(grid.delays.length);
    expect(result.delay_curve.map((p) => p.delay_hours)).toEqual(grid.delays);
  });

  it("the delay curve peaks at the planted delay and the pairs, fit and effect match a recomputation", () => {
    const table = syntheticTable({
      seed: 7,
      buckets: 500,
      predictors: [{ slug: "steps", kind: "continuous", mean: 8, sd: 3, category: "physical_activity" }],
      outcome: { slug: "sleep-quality", category: "sleep", base: 6, noise: 0.8, missing: 0.15 },
      planted: [{ predictor: "steps", delay: 4, duration: 1, effect: 0.05 }],
    });
    const result: PairResult = runPair(table, { predictor: "steps", outcome: "sleep-quality" });
    const r = result.relationship;
    const peak = result.delay_curve.reduce((a, b) => (Math.abs(b.pearson ?? 0) > Math.abs(a.pearson ?? 0) ? b : a));
    expect([r.delay_hours, r.duration_hours]).toEqual([4 * DAY, DAY]);
    expect(peak.delay_hours).toBe(r.delay_hours);
    expect(peak.pearson).toBeCloseTo(r.pearson as number, 12);
    // Recomputed from the pairs the result carries, with the reference statistics.
    const x = result.pairs.map((p) => p.predictor);
    const y = result.pairs.map((p) => p.outcome);
    expect(result.pairs).toHaveLength(r.n_pairs);
    expect(pearson(x, y)).toBeCloseTo(r.pearson as number, 12);
    expect(spearman(x, y)).toBeCloseTo(r.spearman as number, 12);
    expect(result.fit).toEqual(leastSquares(x, y));
    const mx = mean(x);
    const baseline = y.filter((_, i) => (x[i] as number) <= mx);
    const high = y.filter((_, i) => (x[i] as number) > mx);
    expect(r.effect.baseline_mean).toBeCloseTo(mean(baseline), 12);
    expect(r.effect.high_mean).toBeCloseTo(mean(high), 12);
    expect(r.effect.percent_change).toBeCloseTo(((mean(high) - mean(baseline)) / mean(baseline)) * 100, 10);
    expect(r.effect.t).toBeCloseTo(welchTTest(high, baseline)?.t as number, 12);
    expect(r.sufficiency.baseline_fraction).toBeCloseTo(baseline.length / x.length, 12);
    // Each pair's time is its outcome's bucket, and the predictor is the mean of the window before it.
    const first = result.pairs[0] as PairResult["pairs"][number];
    const i = table.times.indexOf(first.t);
    const steps = table.columns[0]?.values as Array<number | null>;
    expect(first.predictor).toBe(steps[i - 4 - 1]);
    expect(first.outcome).toBe(table.columns[1]?.values[i]);
  });
});

describe("no effect, not enough data, reverse causation", () => {
  it.each([3, 4, 5, 6, 7, 8, 9, 10])("independent series score near zero (seed %i)", (seed) => {
    const table = syntheticTable({
      seed,
      buckets: 365,
      predictors: [{ slug: "x", kind: seed % 2 === 0 ? "binary" : "continuous", missing: 0.05 }],
      outcome: { slug: "y", base: 50, noise: 5, missing: 0.1 },
    });
    const r = runPair(table, { predictor: "x", outcome: "y" }).relationship;
    // "Near zero": below grade D's boundary (3 of 100), i.e. graded F or insufficient.
    expect(r.score).toBeLessThan(3);
    expect(["F", "insufficient"]).toContain(r.grade);
  });

  it("grades three weeks of data insufficient, with the reason", () => {
    const table = syntheticTable({
      seed: 1,
      buckets: 21,
      predictors: [{ slug: "x", kind: "binary" }],
      outcome: { slug: "y", base: 50, noise: 4 },
      planted: [{ predictor: "x", delay: 0, duration: 1, effect: 0.3 }],
    });
    const r = runPair(table, { predictor: "x", outcome: "y" }).relationship;
    expect(r.grade).toBe("insufficient");
    expect(r.score).toBe(0);
    expect(r.sufficiency.sufficient).toBe(false);
    expect(r.sufficiency.n_pairs).toBeLessThan(SUFFICIENCY.minPairs);
    expect(r.sufficiency.reasons[0]).toMatch(/aligned pairs at the best delay; at least 30 are needed/);
  });

  it("grades a predictor that rarely changes insufficient (few changes, tiny follow-up fraction)", () => {
    const table = syntheticTable({
      seed: 1,
      buckets: 200,
      predictors: [{ slug: "x", kind: "binary" }],
      outcome: { slug: "y", base: 50, noise: 4 },
    });
    const x = table.columns[0];
    if (!x) throw new Error("no column");
    x.values = x.values.map((_, i) => (i === 100 || i === 101 ? 1 : 0));
    const r = runPair(table, { predictor: "x", outcome: "y" }).relationship;
    expect(r.sufficiency.predictor_changes).toBe(2);
    expect(r.grade).toBe("insufficient");
    expect(r.sufficiency.reasons.join(" ")).toMatch(/predictor changes value 2 times/);
  });

  it("grades a constant predictor insufficient, with no correlation", () => {
    const table = syntheticTable({
      seed: 1,
      buckets: 100,
      predictors: [{ slug: "x", kind: "binary" }],
      outcome: { slug: "y", base: 50, noise: 4 },
    });
    const x = table.columns[0];
    if (!x) throw new Error("no column");
    x.values = x.values.map(() => 2);
    const r = runPair(table, { predictor: "x", outcome: "y" }).relationship;
    expect(r.pearson).toBeNull();
    expect(r.p_value).toBeNull();
    expect(r.grade).toBe("insufficient");
    expect(r.sufficiency.reasons).toContain(
      "One of the series does not vary over the aligned pairs: no correlation exists.",
    );
  });

  it("answers a valid, insufficient result for an empty table and for an outcome with no values", () => {
    const empty = syntheticTable({
      seed: 1,
      buckets: 0,
      predictors: [{ slug: "x", kind: "binary" }],
      outcome: { slug: "y", base: 1, noise: 1 },
    });
    const none = syntheticTable({
      seed: 1,
      buckets: 60,
      predictors: [{ slug: "x", kind: "binary" }],
      outcome: { slug: "y", base: 1, noise: 1, missing: 1 },
    });
    for (const table of [empty, none]) {
      const result = runPair(table, { predictor: "x", outcome: "y" });
      expect(NOf1Result.parse(result)).toEqual(result);
      expect(result.relationship).toMatchObject({ grade: "insufficient", score: 0, n_pairs: 0, pearson: null });
      expect(result.pairs).toEqual([]);
      expect(result.fit).toBeNull();
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    }
  });

  it("penalizes reverse causation: a predictor that follows the outcome loses at least half its score", () => {
    // The outcome is an AR(1) series (φ = 0.8, so it predicts itself); the "predictor" is yesterday's
    // outcome: the outcome drives the predictor. Forward, the predictor correlates with later outcomes
    // only through the outcome's own memory (r ≈ φ²); backwards it is an exact copy (r = 1).
    const table = syntheticTable({
      seed: 12,
      buckets: 365,
      predictors: [{ slug: "x", kind: "continuous" }],
      outcome: { slug: "y", base: 50, noise: 5 },
    });
    const [x, y] = table.columns as [TableColumn, TableColumn];
    const noise = y.values.map((v) => (v as number) - 50);
    const ar: number[] = [];
    for (let i = 0; i < noise.length; i++)
      ar.push(i === 0 ? 50 : 50 + 0.8 * ((ar[i - 1] as number) - 50) + (noise[i] as number));
    y.values = ar;
    x.values = ar.map((_, i) => (i === 0 ? 50 : (ar[i - 1] as number)));
    const analysis = analysePair(table, x, y, { higherOutcomeIsBetter: true });
    const r = analysis.relationship;
    expect([r.delay_hours, r.duration_hours]).toEqual([0, DAY]);
    expect(r.reverse_pearson).toBeCloseTo(1, 12);
    expect(Math.abs(r.pearson as number)).toBeLessThan(0.8);
    expect(analysis.parts.temporality).toBeLessThan(0.5);
    expect(r.score).toBeCloseTo(impactScore(analysis.parts), 12);
  });
});

describe("the score and grade", () => {
  it("multiplies strength, significance, magnitude and temporality onto 0–100", () => {
    expect(impactScore({ strength: 0.8, significance: 1, magnitude: 0.5, temporality: 1 })).toBeCloseTo(40, 12);
    expect(impactScore({ strength: 0.5, significance: 0.9, magnitude: 20 / 30, temporality: 0.75 })).toBeCloseTo(
      100 * 0.5 * 0.9 * (2 / 3) * 0.75,
      12,
    );
    expect(impactScore({ strength: 0.9, significance: 0, magnitude: 1, temporality: 1 })).toBe(0);
  });

  it("grades by the documented boundaries", () => {
    expect(GRADE_BOUNDARIES.map((b) => [b.grade, b.min])).toEqual([
      ["A", 40],
      ["B", 20],
      ["C", 10],
      ["D", 3],
    ]);
    expect([40, 39.9, 20, 10, 3, 2.9, 0].map((s) => gradeOf(s, true))).toEqual(["A", "B", "B", "C", "D", "F", "F"]);
    expect(gradeOf(90, false)).toBe("insufficient");
  });

  it("uses the documented parts: a binary +20 % effect's score recomputed by hand", () => {
    const table = syntheticTable({
      seed: 1,
      buckets: 365,
      predictors: [{ slug: "d", kind: "binary" }],
      outcome: { slug: "mood", base: 50, noise: 4, missing: 0.1 },
      planted: [{ predictor: "d", delay: 2, duration: 1, effect: 0.2 }],
    });
    const r = runPair(table, { predictor: "d", outcome: "mood" }).relationship;
    const rf = Math.abs(r.pearson as number);
    const rr = Math.abs(r.reverse_pearson as number);
    const pc = Math.abs(r.effect.percent_change as number);
    // p ≈ 1e-68, so 1 − min(1, p × 450) is 1 to double precision.
    const expected = 100 * rf * 1 * (pc / (pc + 10)) * (rf / (rf + rr));
    expect(r.score).toBeCloseTo(expected, 10);
  });
});

describe("effect magnitude without a percentage", () => {
  it("uses Cohen's d when the baseline mean is zero (a symptom absent except after a trigger)", () => {
    const table = syntheticTable({
      seed: 17,
      buckets: 200,
      predictors: [{ slug: "wine", kind: "binary", p: 0.3, category: "nutrition" }],
      outcome: { slug: "headache", category: "symptoms", base: 1, noise: 1 },
    });
    const [wine, headache] = table.columns as [TableColumn, TableColumn];
    // Headache 0 unless wine the day before; then 2, 3 or 4.
    headache.values = headache.values.map((_, i) => (i > 0 && wine.values[i - 1] === 1 ? 2 + (i % 3) : 0));
    const analysis = analysePair(table, wine, headache, { higherOutcomeIsBetter: false });
    const r = analysis.relationship;
    expect([r.delay_hours, r.duration_hours]).toEqual([0, DAY]);
    expect(r.effect.baseline_mean).toBe(0);
    expect(r.effect.percent_change).toBeNull();
    // Cohen's d with the pooled SD, recomputed from the pairs.
    const x = Array.from(analysis.xs.subarray(0, analysis.n));
    const y = Array.from(analysis.ys.subarray(0, analysis.n));
    const mx = mean(x);
    const base = y.filter((_, i) => (x[i] as number) <= mx);
    const high = y.filter((_, i) => (x[i] as number) > mx);
    const pooled = Math.sqrt(
      ((base.length - 1) * sampleVariance(base) + (high.length - 1) * sampleVariance(high)) /
        (base.length + high.length - 2),
    );
    const d = (mean(high) - mean(base)) / pooled;
    expect(analysis.parts.magnitude).toBeCloseTo(d / (d + 0.5), 12);
    expect(r.score).toBeGreaterThan(40);
    // Lower is better: the optimal wine is none.
    expect(r.optimal_value?.value).toBe(0);
  });
});

describe("predictor search", () => {
  const predictors = Array.from({ length: 10 }, (_, i) => ({
    slug: `predictor-${i}`,
    kind: i % 2 === 0 ? ("continuous" as const) : ("binary" as const),
    category: i < 8 ? "supplements" : "environment",
    missing: i % 2 === 0 ? 0.1 : 0,
  }));

  it("ranks the one planted predictor of ten first, with its effect size and optimal value", () => {
    const table = syntheticTable({
      seed: 11,
      buckets: 365,
      predictors,
      outcome: { slug: "sleep-quality", category: "sleep", base: 5, noise: 1, missing: 0.05 },
      planted: [{ predictor: "predictor-6", delay: 1, duration: 1, effect: 0.1 }],
    });
    const result = runPredictorSearch(table, { outcome: "sleep-quality" });
    expect(NOf1Result.parse(result)).toEqual(result);
    expect(result.predictors).toHaveLength(10);
    const [first, second] = result.predictors as [Relationship, Relationship];
    expect(first.predictor.slug).toBe("predictor-6");
    expect(first.delay_hours).toBe(DAY);
    expect(first.effect.percent_change).toBeGreaterThan(10);
    expect(first.optimal_value?.value).toBeGreaterThan(first.worst_value?.value as number);
    expect(first.score).toBeGreaterThan(2 * second.score);
    const scores = result.predictors.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("keeps to the categories asked for and puts insufficient predictors last", () => {
    const table = syntheticTable({
      seed: 13,
      buckets: 120,
      predictors,
      outcome: { slug: "sleep-quality", category: "sleep", base: 5, noise: 1 },
      planted: [{ predictor: "predictor-8", delay: 0, duration: 1, effect: 0.2 }],
    });
    const quiet = table.columns.find((c) => c.slug === "predictor-9");
    if (!quiet) throw new Error("no column");
    quiet.values = quiet.values.map(() => 0);
    const result = runPredictorSearch(table, { outcome: "sleep-quality", categories: ["environment"] });
    expect(result.predictors.map((r) => [r.predictor.slug, r.grade === "insufficient"])).toEqual([
      ["predictor-8", false],
      ["predictor-9", true],
    ]);
  });
});

describe("the outcome's direction", () => {
  const table = () =>
    syntheticTable({
      seed: 1,
      buckets: 120,
      predictors: [{ slug: "x", kind: "binary" }],
      outcome: { slug: "pain", category: "symptoms", base: 5, noise: 1 },
      planted: [{ predictor: "x", delay: 0, duration: 1, effect: 0.5 }],
    });

  it("takes lower as better for symptoms, and the input may override it", () => {
    const symptom = runPair(table(), { predictor: "x", outcome: "pain" }).relationship;
    expect(symptom.higher_outcome_is_better).toBe(false);
    // Pain rises after x: the optimal x is none, the worst is a dose.
    expect(symptom.optimal_value?.value).toBeLessThan(symptom.worst_value?.value as number);
    const overridden = runPair(table(), { predictor: "x", outcome: "pain", higher_outcome_is_better: true });
    expect(overridden.relationship.higher_outcome_is_better).toBe(true);
    expect(overridden.relationship.optimal_value).toEqual(symptom.worst_value);
  });

  it("refuses a variable the table does not have", () => {
    expect(() => runPair(table(), { predictor: "nope", outcome: "pain" })).toThrow(AnalysisInputError);
    expect(() => runPredictorSearch(table(), { outcome: "nope" })).toThrow(/no column for the outcome "nope"/);
  });
});
