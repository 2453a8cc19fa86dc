/**
 * The N-of-1 analysis result (plugins/n-of-1), shared by the analysis plugin that writes it and the
 * visualization plugin that draws it (a scatter at the best delay, the correlation-over-delay curve, an
 * outcome label). Two modes: one predictor → outcome relationship (`pair`), and every predictor the
 * person tracks ranked for one outcome (`predictor_search`, the outcome label).
 */
import { z } from "zod";

const VariableRef = z.object({ slug: z.string(), name: z.string(), unit: z.string() }).strict();

/** A value with its confidence interval (level in `level`, e.g. 0.95). */
const Estimate = z.object({ value: z.number(), ci_low: z.number(), ci_high: z.number(), level: z.number() }).strict();

export const Sufficiency = z
  .object({
    sufficient: z.boolean(),
    /** Plain-language reasons when not sufficient (or caveats when it is). */
    reasons: z.array(z.string()),
    n_pairs: z.int(),
    predictor_changes: z.int(),
    outcome_changes: z.int(),
    baseline_fraction: z.number(),
    follow_up_fraction: z.number(),
  })
  .strict();
export type Sufficiency = z.infer<typeof Sufficiency>;

/** One point of the scan: the correlation at one onset delay and duration of action. */
export const DelayPoint = z
  .object({
    delay_hours: z.number(),
    duration_hours: z.number(),
    pearson: z.number().nullable(),
    n_pairs: z.int(),
  })
  .strict();
export type DelayPoint = z.infer<typeof DelayPoint>;

export const Relationship = z
  .object({
    predictor: VariableRef,
    outcome: VariableRef,
    delay_hours: z.number(),
    duration_hours: z.number(),
    pearson: z.number().nullable(),
    spearman: z.number().nullable(),
    p_value: z.number().nullable(),
    n_pairs: z.int(),
    /** Outcome → later predictor, at the same delay and duration (reverse causation check). */
    reverse_pearson: z.number().nullable(),
    /** The outcome's percent change from low-predictor (baseline) to high-predictor periods, with Welch's t-test. */
    effect: z
      .object({
        baseline_mean: z.number().nullable(),
        high_mean: z.number().nullable(),
        percent_change: z.number().nullable(),
        t: z.number().nullable(),
        p_value: z.number().nullable(),
      })
      .strict(),
    /** The predictor value that predicts the best / worst outcome, per day (or hour) of the table. */
    optimal_value: Estimate.nullable(),
    worst_value: Estimate.nullable(),
    /** Whether a higher outcome is better (from the outcome variable; symptoms: lower is better). */
    higher_outcome_is_better: z.boolean(),
    /** The relationship's single score (docs/plugins.md, "Predictor Impact Score") and its grade. */
    score: z.number(),
    grade: z.enum(["A", "B", "C", "D", "F", "insufficient"]),
    sufficiency: Sufficiency,
  })
  .strict();
export type Relationship = z.infer<typeof Relationship>;

export const PairResult = z
  .object({
    mode: z.literal("pair"),
    relationship: Relationship,
    /** The correlation over every delay scanned (at each delay, the best duration). */
    delay_curve: z.array(DelayPoint),
    /** The aligned pairs at the best delay and duration, for the scatter. */
    pairs: z.array(z.object({ t: z.iso.datetime(), predictor: z.number(), outcome: z.number() }).strict()),
    /** Least-squares line of outcome on predictor over `pairs`. */
    fit: z.object({ slope: z.number(), intercept: z.number() }).strict().nullable(),
    window: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }).strict(),
  })
  .strict();
export type PairResult = z.infer<typeof PairResult>;

export const PredictorSearchResult = z
  .object({
    mode: z.literal("predictor_search"),
    outcome: VariableRef,
    /** Every predictor analysed, best score first (insufficient ones last). */
    predictors: z.array(Relationship),
    window: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }).strict(),
  })
  .strict();
export type PredictorSearchResult = z.infer<typeof PredictorSearchResult>;

export const NOf1Result = z.discriminatedUnion("mode", [PairResult, PredictorSearchResult]);
export type NOf1Result = z.infer<typeof NOf1Result>;
