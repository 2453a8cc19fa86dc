/**
 * One predictor → outcome relationship for one person (issue 14, "Reference analysis plugin"), and the
 * predictor search that ranks every predictor for one outcome. Pure: an aligned table in, an
 * `NOf1Result` out. The method, its formulas and the score are documented in docs/plugins.md,
 * "The N-of-1 analysis plugin"; each statistic is tested against a reference in stats.test.ts.
 */
import type {
  AlignedTable,
  DelayPoint,
  PairResult,
  PredictorSearchResult,
  Relationship,
  TableColumn,
} from "@dfda/plugins";
import { alignInto, type PreparedSeries, prepareSeries, type ScanGrid, scanCorrelation, scanGrid } from "./align";
import {
  correlationPValue,
  leastSquares,
  mean,
  meanConfidenceInterval,
  pearson,
  quantileSorted,
  sampleVariance,
  spearman,
  welchTTest,
} from "./stats";

/** Data sufficiency thresholds (docs/plugins.md): below any of them a relationship is graded "insufficient". */
export const SUFFICIENCY = {
  /** Aligned pairs at the best delay and duration. */
  minPairs: 30,
  /** Changes of value in each series over the table (a series that never changes predicts nothing). */
  minChanges: 5,
  /** Share of pairs in the baseline (predictor at or below its mean) and in the follow-up (above it). */
  minFraction: 0.1,
} as const;

/** Outcome categories where a higher value is worse (a symptom's severity); everything else: higher is better. */
export const LOWER_IS_BETTER_CATEGORIES: readonly string[] = ["symptoms"];

export function higherIsBetterFor(outcome: TableColumn): boolean {
  return !LOWER_IS_BETTER_CATEGORIES.includes(outcome.category);
}

/** The score's saturation points: an effect of 10 % (or, where no percentage exists, Cohen's d of 0.5) counts half. */
const HALF_EFFECT_PERCENT = 10;
const HALF_EFFECT_COHEN_D = 0.5;

/** Grade boundaries on the 0–100 score (docs/plugins.md, "The score"). */
export const GRADE_BOUNDARIES = [
  { grade: "A", min: 40 },
  { grade: "B", min: 20 },
  { grade: "C", min: 10 },
  { grade: "D", min: 3 },
] as const;

const CI_LEVEL = 0.95;

interface ScanBest {
  delay: number;
  duration: number;
  r: number | null;
  n: number;
  curve: DelayPoint[];
  /** How many (delay, duration) combinations had enough pairs to be compared (the Bonferroni factor). */
  tested: number;
}

/**
 * Scans every delay and duration of the grid; the best is the strongest |r| among combinations with at
 * least `minPairs` pairs (ties: the shorter delay, then the shorter duration, as the simpler account).
 * When no combination has enough pairs the strongest with any pairs is reported, to be graded insufficient.
 */
function scan(cause: PreparedSeries, effect: PreparedSeries, grid: ScanGrid): ScanBest {
  type Candidate = { delay: number; duration: number; r: number | null; n: number; eligible: boolean };
  // Eligible beats not eligible; then a defined r beats none; then the larger |r|. Strictly better only,
  // so the first (shortest) delay and duration win ties.
  const better = (c: Candidate, incumbent: Candidate | null): boolean => {
    if (incumbent === null) return true;
    if (c.eligible !== incumbent.eligible) return c.eligible;
    if (c.r === null) return false;
    return incumbent.r === null || Math.abs(c.r) > Math.abs(incumbent.r);
  };
  let best: Candidate | null = null;
  let tested = 0;
  const curve: DelayPoint[] = [];
  for (const delay of grid.delays) {
    let atDelay: Candidate | null = null;
    for (const duration of grid.durations) {
      const { r, n } = scanCorrelation(cause, effect, delay, duration);
      const candidate = { delay, duration, r, n, eligible: n >= SUFFICIENCY.minPairs && r !== null };
      if (candidate.eligible) tested++;
      if (better(candidate, atDelay)) atDelay = candidate;
      if (better(candidate, best)) best = candidate;
    }
    if (atDelay !== null)
      curve.push({
        delay_hours: delay * grid.hoursPerBucket,
        duration_hours: atDelay.duration * grid.hoursPerBucket,
        pearson: atDelay.r,
        n_pairs: atDelay.n,
      });
  }
  const chosen = best ?? { delay: 0, duration: 1, r: null, n: 0 };
  return { delay: chosen.delay, duration: chosen.duration, r: chosen.r, n: chosen.n, curve, tested };
}

export interface ScoreParts {
  /** |r| at the best delay and duration. */
  strength: number;
  /** 1 − the Bonferroni-adjusted p-value over the combinations scanned. */
  significance: number;
  /** |Δ%| / (|Δ%| + 10), or |d| / (|d| + 0.5) where the baseline is zero. */
  magnitude: number;
  /** |r_forward| / (|r_forward| + |r_reverse|). */
  temporality: number;
}

/**
 * The Predictor Impact Score (docs/plugins.md, "The score"): 100 × strength × significance × magnitude ×
 * temporality, each part in [0, 1]. A product, so a relationship must do well on every criterion:
 * a strong correlation that could be chance, or that runs backwards in time, or that moves the outcome
 * by a trivial amount, scores low.
 */
export function impactScore(parts: ScoreParts): number {
  const score = 100 * parts.strength * parts.significance * parts.magnitude * parts.temporality;
  return Number.isFinite(score) ? Math.max(0, Math.min(100, score)) : 0;
}

export function gradeOf(score: number, sufficient: boolean): Relationship["grade"] {
  if (!sufficient) return "insufficient";
  for (const { grade, min } of GRADE_BOUNDARIES) if (score >= min) return grade;
  return "F";
}

export interface PairAnalysis {
  relationship: Relationship;
  curve: DelayPoint[];
  /** Bucket index of each pair's outcome, and the pairs, at the best delay and duration. */
  at: Int32Array;
  xs: Float64Array;
  ys: Float64Array;
  n: number;
  parts: ScoreParts;
}

const ref = (column: TableColumn) => ({ slug: column.slug, name: column.name, unit: column.unit });

/** Scratch buffers reused across the predictors of one search (one entry per bucket). */
interface Buffers {
  xs: Float64Array;
  ys: Float64Array;
  at: Int32Array;
  rx: Float64Array;
  ry: Float64Array;
}

function buffers(length: number): Buffers {
  return {
    xs: new Float64Array(length),
    ys: new Float64Array(length),
    at: new Int32Array(length),
    rx: new Float64Array(length),
    ry: new Float64Array(length),
  };
}

const finiteOrNull = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

/** Analyses one predictor against one outcome over the whole scan. */
export function analysePair(
  table: AlignedTable,
  predictor: TableColumn,
  outcome: TableColumn,
  options: { higherOutcomeIsBetter: boolean; prepared?: { outcome: PreparedSeries }; scratch?: Buffers },
): PairAnalysis {
  const grid = scanGrid(table.resolution);
  const cause = prepareSeries(predictor.values);
  const effect = options.prepared?.outcome ?? prepareSeries(outcome.values);
  const best = scan(cause, effect, grid);
  const scratch = options.scratch ?? buffers(table.times.length);
  const { xs, ys, at } = scratch;
  const n = alignInto(cause, effect, best.delay, best.duration, xs, ys, at);
  const x = xs.subarray(0, n);
  const y = ys.subarray(0, n);

  const r = pearson(x, y);
  const rho = spearman(x, y);
  const p = r === null ? null : correlationPValue(r, n);
  // Reverse: the predictor in bucket i against the outcome's mean over the same window before it.
  const nr = alignInto(effect, cause, best.delay, best.duration, scratch.rx, scratch.ry);
  const reverse = pearson(scratch.rx.subarray(0, nr), scratch.ry.subarray(0, nr));

  // Baseline (predictor at or below its mean) vs follow-up (above), as the dFDA/Quantimodo analyses split.
  const baseline: number[] = [];
  const high: number[] = [];
  if (n > 0) {
    const mx = mean(x);
    for (let i = 0; i < n; i++) ((x[i] as number) > mx ? high : baseline).push(y[i] as number);
  }
  const baselineMean = baseline.length > 0 ? mean(baseline) : null;
  const highMean = high.length > 0 ? mean(high) : null;
  // null when the baseline mean is 0 (or so near it that the ratio overflows): no percentage exists.
  const percentChange = finiteOrNull(
    baselineMean !== null && highMean !== null && baselineMean !== 0
      ? ((highMean - baselineMean) / Math.abs(baselineMean)) * 100
      : null,
  );
  const welch = welchTTest(high, baseline);

  // Value predicting the best / worst outcome: the mean predictor before the outcome's best / worst
  // quartile (at or above Q3, at or below Q1), with its t confidence interval.
  let optimal: Relationship["optimal_value"] = null;
  let worst: Relationship["worst_value"] = null;
  if (n >= 4) {
    const sorted = Float64Array.from(y).sort();
    const q1 = quantileSorted(sorted, 0.25);
    const q3 = quantileSorted(sorted, 0.75);
    const top: number[] = [];
    const bottom: number[] = [];
    for (let i = 0; i < n; i++) {
      if ((y[i] as number) >= q3) top.push(x[i] as number);
      if ((y[i] as number) <= q1) bottom.push(x[i] as number);
    }
    const topCi = meanConfidenceInterval(top, CI_LEVEL);
    const bottomCi = meanConfidenceInterval(bottom, CI_LEVEL);
    optimal = options.higherOutcomeIsBetter ? topCi : bottomCi;
    worst = options.higherOutcomeIsBetter ? bottomCi : topCi;
  }

  const baselineFraction = n > 0 ? baseline.length / n : 0;
  const followUpFraction = n > 0 ? high.length / n : 0;
  const reasons: string[] = [];
  if (n < SUFFICIENCY.minPairs)
    reasons.push(`${n} aligned pairs at the best delay; at least ${SUFFICIENCY.minPairs} are needed.`);
  if (cause.changes < SUFFICIENCY.minChanges)
    reasons.push(
      `The predictor changes value ${cause.changes} times; at least ${SUFFICIENCY.minChanges} changes are needed.`,
    );
  if (effect.changes < SUFFICIENCY.minChanges)
    reasons.push(
      `The outcome changes value ${effect.changes} times; at least ${SUFFICIENCY.minChanges} changes are needed.`,
    );
  if (baselineFraction < SUFFICIENCY.minFraction)
    reasons.push(
      `${(baselineFraction * 100).toFixed(0)} % of pairs are baseline (predictor at or below its mean); at least ${SUFFICIENCY.minFraction * 100} % are needed.`,
    );
  if (followUpFraction < SUFFICIENCY.minFraction)
    reasons.push(
      `${(followUpFraction * 100).toFixed(0)} % of pairs are follow-up (predictor above its mean); at least ${SUFFICIENCY.minFraction * 100} % are needed.`,
    );
  if (r === null) reasons.push("One of the series does not vary over the aligned pairs: no correlation exists.");
  const sufficient = reasons.length === 0;

  // Score parts (docs/plugins.md). Bonferroni over the combinations compared: the best of hundreds of
  // correlated tests is not judged by its nominal p-value.
  const strength = r === null ? 0 : Math.abs(r);
  const pScan = p === null ? 1 : Math.min(1, p * Math.max(1, best.tested));
  let magnitude = 0;
  if (percentChange !== null) magnitude = Math.abs(percentChange) / (Math.abs(percentChange) + HALF_EFFECT_PERCENT);
  else if (baselineMean !== null && highMean !== null && baseline.length >= 2 && high.length >= 2) {
    const pooled = Math.sqrt(
      ((baseline.length - 1) * sampleVariance(baseline) + (high.length - 1) * sampleVariance(high)) /
        (baseline.length + high.length - 2),
    );
    if (pooled > 0) {
      const d = Math.abs(highMean - baselineMean) / pooled;
      magnitude = d / (d + HALF_EFFECT_COHEN_D);
    }
  }
  const rf = strength;
  const rr = reverse === null ? null : Math.abs(reverse);
  const temporality = rr === null ? 0.5 : rf + rr > 0 ? rf / (rf + rr) : 0.5;
  const parts: ScoreParts = { strength, significance: 1 - pScan, magnitude, temporality };
  const score = sufficient ? impactScore(parts) : 0;

  const relationship: Relationship = {
    predictor: ref(predictor),
    outcome: ref(outcome),
    delay_hours: best.delay * grid.hoursPerBucket,
    duration_hours: best.duration * grid.hoursPerBucket,
    pearson: finiteOrNull(r),
    spearman: finiteOrNull(rho),
    p_value: finiteOrNull(p),
    n_pairs: n,
    reverse_pearson: finiteOrNull(reverse),
    effect: {
      baseline_mean: finiteOrNull(baselineMean),
      high_mean: finiteOrNull(highMean),
      percent_change: finiteOrNull(percentChange),
      t: finiteOrNull(welch?.t),
      p_value: finiteOrNull(welch?.p),
    },
    optimal_value: optimal,
    worst_value: worst,
    higher_outcome_is_better: options.higherOutcomeIsBetter,
    score,
    grade: gradeOf(score, sufficient),
    sufficiency: {
      sufficient,
      reasons,
      n_pairs: n,
      predictor_changes: cause.changes,
      outcome_changes: effect.changes,
      baseline_fraction: baselineFraction,
      follow_up_fraction: followUpFraction,
    },
  };
  return { relationship, curve: best.curve, at, xs, ys, n, parts };
}

function column(table: AlignedTable, slug: string, role: string): TableColumn {
  const found = table.columns.find((c) => c.slug === slug);
  if (!found) throw new AnalysisInputError(`The table has no column for the ${role} "${slug}".`);
  return found;
}

/** A request the analysis cannot answer (a variable missing from the table): the platform reports it as a failed run. */
export class AnalysisInputError extends Error {
  override name = "AnalysisInputError";
}

const window = (table: AlignedTable) => ({ start: table.start, end: table.end });

/** Mode `pair`: one relationship, its delay curve, its pairs and fitted line (for the scatter). */
export function runPair(
  table: AlignedTable,
  input: { predictor: string; outcome: string; higher_outcome_is_better?: boolean | undefined },
): PairResult {
  const predictor = column(table, input.predictor, "predictor");
  const outcome = column(table, input.outcome, "outcome");
  const analysis = analysePair(table, predictor, outcome, {
    higherOutcomeIsBetter: input.higher_outcome_is_better ?? higherIsBetterFor(outcome),
  });
  const pairs: PairResult["pairs"] = [];
  for (let i = 0; i < analysis.n; i++) {
    pairs.push({
      t: table.times[analysis.at[i] as number] as string,
      predictor: analysis.xs[i] as number,
      outcome: analysis.ys[i] as number,
    });
  }
  return {
    mode: "pair",
    relationship: analysis.relationship,
    delay_curve: analysis.curve,
    pairs,
    fit: leastSquares(analysis.xs, analysis.ys, analysis.n),
    window: window(table),
  };
}

/**
 * Mode `predictor_search`: every other column of the table (those in `categories`, when given) against
 * the outcome, ranked by score, insufficient ones last (by |r|), then by slug for a stable order.
 */
export function runPredictorSearch(
  table: AlignedTable,
  input: { outcome: string; categories?: string[] | undefined; higher_outcome_is_better?: boolean | undefined },
): PredictorSearchResult {
  const outcome = column(table, input.outcome, "outcome");
  const higherOutcomeIsBetter = input.higher_outcome_is_better ?? higherIsBetterFor(outcome);
  const prepared = { outcome: prepareSeries(outcome.values) };
  const scratch = buffers(table.times.length);
  const categories = input.categories;
  const relationships = table.columns
    .filter((c) => c.slug !== outcome.slug && (categories === undefined || categories.includes(c.category)))
    .map(
      (predictor) => analysePair(table, predictor, outcome, { higherOutcomeIsBetter, prepared, scratch }).relationship,
    );
  relationships.sort((a, b) => {
    const sa = a.sufficiency.sufficient ? 1 : 0;
    const sb = b.sufficiency.sufficient ? 1 : 0;
    if (sa !== sb) return sb - sa;
    if (a.score !== b.score) return b.score - a.score;
    const ra = Math.abs(a.pearson ?? 0);
    const rb = Math.abs(b.pearson ?? 0);
    if (ra !== rb) return rb - ra;
    return a.predictor.slug < b.predictor.slug ? -1 : a.predictor.slug > b.predictor.slug ? 1 : 0;
  });
  return { mode: "predictor_search", outcome: ref(outcome), predictors: relationships, window: window(table) };
}
