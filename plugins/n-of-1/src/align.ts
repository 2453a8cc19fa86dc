/**
 * Temporal alignment of a predictor with an outcome (issue 14): the outcome in bucket i (an hour or a
 * UTC day of the aligned table) is paired with the predictor's mean over the buckets
 * [i − delay − duration, i − delay), the onset delay and the duration of action counted in buckets. With
 * delay 0 and a duration of one day, today's outcome meets yesterday's predictor: the predictor always
 * strictly precedes the outcome it is paired with (Hill's temporality, Hill 1965).
 *
 * The table's gaps are already filled the way each variable says (`filling`: zero for treatments and
 * foods between a person's first and last record, none otherwise), so a null here is unknown. A window is
 * used when at least half of its buckets are known; its value is the mean of the known ones, which keeps
 * the predictor a per-bucket value ("per day") whatever the duration, so optimal values read as daily
 * amounts.
 *
 * Window sums come from prefix sums (O(1) per pair), so a scan over every delay and duration costs
 * O(grid × buckets) with no allocation per window.
 */
import type { Resolution } from "@dfda/plugins";

/** A series as the aligner reads it: values (NaN = unknown) and prefix sums of the known ones. */
export interface PreparedSeries {
  readonly values: Float64Array;
  /** sums[k] = sum of the known values of buckets 0 … k − 1. */
  readonly sums: Float64Array;
  /** counts[k] = how many of buckets 0 … k − 1 are known. */
  readonly counts: Int32Array;
  /** The mean of the known values (the shift that keeps one-pass sums accurate). */
  readonly center: number;
  /** How many times a known value differs from the previous known one. */
  readonly changes: number;
}

export function prepareSeries(values: ReadonlyArray<number | null>): PreparedSeries {
  const n = values.length;
  const out = new Float64Array(n);
  const sums = new Float64Array(n + 1);
  const counts = new Int32Array(n + 1);
  let changes = 0;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const known = v !== null && v !== undefined && Number.isFinite(v);
    out[i] = known ? v : Number.NaN;
    sums[i + 1] = (sums[i] as number) + (known ? v : 0);
    counts[i + 1] = (counts[i] as number) + (known ? 1 : 0);
    if (known) {
      if (!Number.isNaN(previous) && v !== previous) changes++;
      previous = v;
    }
  }
  const known = counts[n] as number;
  return { values: out, sums, counts, center: known > 0 ? (sums[n] as number) / known : 0, changes };
}

/**
 * Writes the pairs (cause window mean, effect value) for one delay and duration into xs / ys (and the
 * effect's bucket index into at, when given); returns how many there are. The buffers hold one entry per
 * bucket at most.
 */
export function alignInto(
  cause: PreparedSeries,
  effect: PreparedSeries,
  delay: number,
  duration: number,
  xs: Float64Array,
  ys: Float64Array,
  at?: Int32Array,
): number {
  const n = effect.values.length;
  const minKnown = Math.ceil(duration / 2);
  let k = 0;
  for (let i = delay + duration; i < n; i++) {
    const y = effect.values[i] as number;
    if (Number.isNaN(y)) continue;
    const hi = i - delay;
    const lo = hi - duration;
    const count = (cause.counts[hi] as number) - (cause.counts[lo] as number);
    if (count < minKnown) continue;
    xs[k] = ((cause.sums[hi] as number) - (cause.sums[lo] as number)) / count;
    ys[k] = y;
    if (at) at[k] = i;
    k++;
  }
  return k;
}

/**
 * Pearson's r of the aligned pairs for one delay and duration without materializing them: one pass of
 * sums shifted by each series' overall mean (shifting keeps the one-pass formula accurate; Chan, Golub &
 * LeVeque 1983). Equal to `pearson` of the pairs `alignInto` writes (tested to 1e-12).
 */
export function scanCorrelation(
  cause: PreparedSeries,
  effect: PreparedSeries,
  delay: number,
  duration: number,
): { r: number | null; n: number } {
  const n = effect.values.length;
  const minKnown = Math.ceil(duration / 2);
  const cx = cause.center;
  const cy = effect.center;
  let k = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  const counts = cause.counts;
  const sums = cause.sums;
  const ev = effect.values;
  for (let i = delay + duration; i < n; i++) {
    const yv = ev[i] as number;
    if (Number.isNaN(yv)) continue; // unknown outcome
    const hi = i - delay;
    const lo = hi - duration;
    const count = (counts[hi] as number) - (counts[lo] as number);
    if (count < minKnown) continue;
    const x = ((sums[hi] as number) - (sums[lo] as number)) / count - cx;
    const y = yv - cy;
    k++;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  if (k < 2) return { r: null, n: k };
  const vx = sxx - (sx * sx) / k;
  const vy = syy - (sy * sy) / k;
  // A variance that is zero up to rounding: the series is constant and r undefined.
  if (!(vx > 1e-12 * Math.max(sxx, 1e-300)) || !(vy > 1e-12 * Math.max(syy, 1e-300))) return { r: null, n: k };
  const r = (sxy - (sx * sy) / k) / Math.sqrt(vx * vy);
  return { r: Math.max(-1, Math.min(1, r)), n: k };
}

/** Onset delays and durations of action scanned, in buckets of the table's resolution. */
export interface ScanGrid {
  readonly delays: readonly number[];
  readonly durations: readonly number[];
  /** Hours per bucket (24 for daily tables, 1 for hourly ones). */
  readonly hoursPerBucket: number;
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/**
 * The scan of issue 14: onset delays 0 h … 14 d and durations of action 1 h … 30 d.
 * - Daily tables: every whole day, delays 0 … 14 d (15) and durations 1 … 30 d (30): 450 combinations.
 * - Hourly tables: every hour up to 6 h and then steps growing with the value (a delay of 9 days is not
 *   told from 9 days and an hour by daily-scale data, and the full hourly grid is 337 × 720 combinations,
 *   far past the time budget): 26 delays and 19 durations, 494 combinations. "Within one step" in the
 *   tests means one step of this grid.
 */
export function scanGrid(resolution: Resolution): ScanGrid {
  if (resolution === "day") return { delays: range(0, 14), durations: range(1, 30), hoursPerBucket: 24 };
  return {
    delays: [...range(0, 6), 8, 10, 12, 15, 18, 21, 24, 30, 36, 42, 48, 60, 72, ...range(96, 336, 48)],
    durations: [1, 2, 3, 4, 6, 8, 12, 18, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720],
    hoursPerBucket: 1,
  };
}
