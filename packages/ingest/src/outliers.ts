import type { HistoryStats } from "@dfda/core";
/**
 * Outlier marking against the user's own history of a variable. Two classical rules, either one
 * suffices:
 *
 * - z-score: |x − mean| / stddev > threshold. Default 4, well beyond the 3 often quoted, because
 *   personal series (weight, glucose) drift and a daily reading 3 SD out is not rare over years.
 * - Tukey's fences (J. W. Tukey, Exploratory Data Analysis, Addison-Wesley 1977): outside
 *   [Q1 − k·IQR, Q3 + k·IQR] with IQR = Q3 − Q1. Default k = 3, Tukey's outer fence ("far out";
 *   1.5 is his inner one). The fences assume no distribution and resist the outliers already in the
 *   history.
 *
 * With too short a history neither statistic means much, so nothing is an outlier then. Outliers are
 * stored and marked, never dropped: an extreme value can be real (a fever, a hypo) and is the user's.
 * The caller computes the history statistics in the database (count, avg, stddev_samp and
 * percentile_cont(0.25 / 0.75) over the stored exact values in the canonical unit). Censored values
 * (a comparator with a bound) are neither marked nor part of the history: a bound is not a position.
 */
import type { Issue, NormalizedObservation } from "./types";

export interface OutlierOptions {
  /** |z| above this is an outlier (default 4). */
  zThreshold: number;
  /** k of Tukey's fences (default 3). */
  iqrMultiplier: number;
  /** Past values needed before anything counts as an outlier (default 20). */
  minHistory: number;
}

export const DEFAULT_OUTLIER_OPTIONS: Readonly<OutlierOptions> = { zThreshold: 4, iqrMultiplier: 3, minHistory: 20 };

/** Summary of a user's stored values of one variable, in its canonical unit. */
export type { HistoryStats } from "@dfda/core";

function resolveOptions(options: Partial<OutlierOptions> | undefined): OutlierOptions {
  return {
    zThreshold: options?.zThreshold ?? DEFAULT_OUTLIER_OPTIONS.zThreshold,
    iqrMultiplier: options?.iqrMultiplier ?? DEFAULT_OUTLIER_OPTIONS.iqrMultiplier,
    minHistory: options?.minHistory ?? DEFAULT_OUTLIER_OPTIONS.minHistory,
  };
}

/** Why a value is an outlier, or null when it is not. */
function outlierReason(value: number, history: HistoryStats | null, options: OutlierOptions): string | null {
  if (history === null || !Number.isFinite(value) || !(history.count >= options.minHistory)) return null;
  const { mean, stddev, q1, q3 } = history;
  if (Number.isFinite(mean) && Number.isFinite(stddev) && stddev > 0) {
    const z = (value - mean) / stddev;
    if (Math.abs(z) > options.zThreshold) {
      return `z-score ${z.toFixed(2)} against ${history.count} earlier values (mean ${mean}, SD ${stddev}) exceeds ±${options.zThreshold}.`;
    }
  }
  const iqr = q3 - q1;
  if (Number.isFinite(iqr) && iqr > 0) {
    const low = q1 - options.iqrMultiplier * iqr;
    const high = q3 + options.iqrMultiplier * iqr;
    if (value < low || value > high) {
      return `Outside Tukey's fences [${low}, ${high}] (Q1 ${q1}, Q3 ${q3}, k ${options.iqrMultiplier}) of ${history.count} earlier values.`;
    }
  }
  return null;
}

/** Whether `value` is an outlier against the history (z-score or Tukey's fences). */
export function isOutlier(value: number, history: HistoryStats | null, options?: Partial<OutlierOptions>): boolean {
  return outlierReason(value, history, resolveOptions(options)) !== null;
}

/**
 * Sets `isOutlier` on the numeric observations that are outliers against their variable's history
 * (in place: they are the rows about to be stored) and returns a `warning` issue for each. Rows
 * without history for their variable are left as they are.
 */
export function markOutliers(
  observations: NormalizedObservation[],
  historyByVariable: ReadonlyMap<string, HistoryStats>,
  options?: Partial<OutlierOptions>,
): { outliers: number; issues: Issue[] } {
  const resolved = resolveOptions(options);
  const issues: Issue[] = [];
  let outliers = 0;
  for (const observation of observations) {
    // A censored value's bound is not where the value lies ("<5" may be 0.1), so it is never called an
    // outlier; the history leaves bounds out too (historyStats).
    if (observation.value === null || observation.comparator !== null) continue;
    const reason = outlierReason(observation.value, historyByVariable.get(observation.variableId) ?? null, resolved);
    if (reason === null) continue;
    observation.isOutlier = true;
    outliers++;
    issues.push({ index: observation.index, code: "outlier", severity: "warning", message: reason });
  }
  return { outliers, issues };
}
