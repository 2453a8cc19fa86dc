/**
 * Generated data for the charts' tests and screenshots: aligned tables and N-of-1 results shaped exactly
 * as the protocol says (each is parsed with its zod schema), from a seeded generator, so every run draws
 * the same charts. The N-of-1 results are built from the generated pairs by plain least squares and
 * Pearson's formula here, so the marks a test counts follow from the data.
 */
import {
  AlignedTable,
  PairResult,
  PredictorSearchResult,
  type Relationship,
  type RenderRequest,
  type TableColumn,
  type VisualizationKind,
} from "@dfda/plugins";

/** Mulberry32: a small seeded PRNG (deterministic test data, not cryptography). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function column(
  slug: string,
  name: string,
  unit: string,
  values: (number | null)[],
  extra: Partial<TableColumn> = {},
): TableColumn {
  return {
    slug,
    name,
    category: "vital_signs",
    unit,
    combination: "mean",
    filling: "none",
    is_outcome: false,
    is_input_factor: false,
    values,
    ...extra,
  };
}

/** A table of `n` buckets from `start`; `columns` get one value per bucket. */
export function table(
  resolution: "hour" | "day",
  start: string,
  n: number,
  columns: (times: number[]) => TableColumn[],
): AlignedTable {
  const step = resolution === "hour" ? HOUR : DAY;
  const t0 = Date.parse(start);
  const times = Array.from({ length: n }, (_, i) => t0 + i * step);
  return AlignedTable.parse({
    resolution,
    start: new Date(t0).toISOString(),
    end: new Date(t0 + n * step).toISOString(),
    times: times.map((t) => new Date(t).toISOString()),
    columns: columns(times),
  });
}

/** A year of daily mood, sleep and steps, with a few missing days. */
export function dailyYear(days = 365): AlignedTable {
  const rand = random(7);
  return table("day", "2025-01-01T00:00:00Z", days, (times) => [
    column(
      "mood",
      "Mood",
      "{score}",
      times.map((_, i) =>
        i % 37 === 5 ? null : Math.round((3.2 + Math.sin(i / 20) * 0.8 + (rand() - 0.5)) * 10) / 10,
      ),
      { category: "emotions", is_outcome: true },
    ),
    column(
      "sleep-duration",
      "Sleep duration",
      "h",
      times.map((_, i) => (i % 53 === 7 ? null : Math.round((7 + Math.cos(i / 9) + (rand() - 0.5) * 1.5) * 100) / 100)),
      { category: "sleep" },
    ),
    column(
      "steps",
      "Steps",
      "{steps}",
      times.map(() => Math.round(6000 + rand() * 6000)),
      { category: "physical_activity", combination: "sum", filling: "zero" },
    ),
  ]);
}

/** `weeks` of hourly heart rate: low at night, higher by day, higher on weekdays' commute hours. */
export function hourlyHeartRate(weeks = 8): AlignedTable {
  const rand = random(11);
  // 2025-03-03 is a Monday.
  return table("hour", "2025-03-03T00:00:00Z", weeks * 7 * 24, (times) => [
    column(
      "heart-rate",
      "Heart rate",
      "/min",
      times.map((t) => {
        const d = new Date(t);
        const hour = d.getUTCHours();
        const weekday = (d.getUTCDay() + 6) % 7;
        if (hour >= 2 && hour < 5 && rand() < 0.5) return null;
        const awake = hour >= 7 && hour < 23 ? 18 : 0;
        const commute = weekday < 5 && (hour === 8 || hour === 18) ? 14 : 0;
        return Math.round(56 + awake + commute + (rand() - 0.5) * 8);
      }),
    ),
  ]);
}

const ref = (slug: string, name: string, unit: string) => ({ slug, name, unit });

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export function relationship(
  predictor: { slug: string; name: string; unit: string },
  outcome: { slug: string; name: string; unit: string },
  overrides: Partial<Relationship> = {},
): Relationship {
  return {
    predictor,
    outcome,
    delay_hours: 24,
    duration_hours: 48,
    pearson: 0.42,
    spearman: 0.4,
    p_value: 0.0004,
    n_pairs: 320,
    reverse_pearson: 0.05,
    effect: { baseline_mean: 3.1, high_mean: 3.6, percent_change: 16.1, t: 4.2, p_value: 0.0001 },
    optimal_value: { value: 8, ci_low: 7.5, ci_high: 8.5, level: 0.95 },
    worst_value: { value: 5.5, ci_low: 5, ci_high: 6, level: 0.95 },
    higher_outcome_is_better: true,
    score: 0.61,
    grade: "B",
    sufficiency: {
      sufficient: true,
      reasons: [],
      n_pairs: 320,
      predictor_changes: 300,
      outcome_changes: 280,
      baseline_fraction: 0.4,
      follow_up_fraction: 0.4,
    },
    ...overrides,
  };
}

/** A pair result: `n` pairs of sleep (h) and next-day mood with slope 0.3, its fit and a delay curve peaking at 24 h. */
export function pairResult(n = 120): PairResult {
  const rand = random(3);
  const t0 = Date.parse("2025-01-01T00:00:00Z");
  const pairs = Array.from({ length: n }, (_, i) => {
    const predictor = Math.round((5 + rand() * 4) * 100) / 100;
    const outcome = Math.round((1.2 + 0.3 * predictor + (rand() - 0.5) * 1.2) * 100) / 100;
    return { t: new Date(t0 + i * DAY).toISOString(), predictor, outcome };
  });
  const xs = pairs.map((p) => p.predictor);
  const ys = pairs.map((p) => p.outcome);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const slope =
    xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] ?? 0) - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const r = pearson(xs, ys);
  // Spearman's ρ: Pearson's r of the ranks (ties are improbable in these values).
  const ranks = (vs: number[]) => {
    const order = vs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const out = new Array<number>(vs.length);
    order.forEach(([, i], rank) => {
      out[i] = rank;
    });
    return out;
  };
  const rho = pearson(ranks(xs), ranks(ys));
  const delays = [0, 1, 2, 3, 6, 12, 24, 48, 72, 96, 120, 168, 240, 336];
  const delay_curve = delays.map((delay_hours) => ({
    delay_hours,
    duration_hours: 48,
    // Peaks at 24 h, falls off on both sides; none at 336 h (too few pairs at the longest delay).
    pearson:
      delay_hours === 336
        ? null
        : Math.round(r * Math.exp(-((Math.log1p(delay_hours) - Math.log1p(24)) ** 2) / 2) * 1000) / 1000,
    n_pairs: delay_hours === 336 ? 3 : n - Math.ceil(delay_hours / 24),
  }));
  return PairResult.parse({
    mode: "pair",
    relationship: relationship(ref("sleep-duration", "Sleep duration", "h"), ref("mood", "Mood", "{score}"), {
      pearson: r,
      spearman: rho,
      n_pairs: n,
    }),
    delay_curve,
    pairs,
    fit: { slope, intercept: my - slope * mx },
    window: { start: "2025-01-01T00:00:00Z", end: new Date(t0 + n * DAY).toISOString() },
  });
}

/** A predictor search for sleep quality: six graded predictors (two that make it worse) and two without enough data. */
export function predictorSearch(): PredictorSearchResult {
  const outcome = ref("sleep-quality", "Sleep quality", "{score}");
  const graded: [string, string, string, number, Relationship["grade"], number][] = [
    ["magnesium", "Magnesium", "mg", 18.4, "A", 400],
    ["caffeine", "Caffeine", "mg", -14.2, "A", 0],
    ["steps", "Steps", "{steps}", 9.7, "B", 11000],
    ["alcohol", "Alcohol", "g", -11.3, "B", 0],
    ["daylight", "Daylight exposure", "h", 6.2, "C", 2.5],
    ["screen-time", "Screen time after 9 pm", "h", -3.1, "D", 0.5],
  ];
  const predictors = graded.map(([slug, name, unit, change, grade, optimal], i) =>
    relationship(ref(slug, name, unit), outcome, {
      effect: { baseline_mean: 3.2, high_mean: 3.2 * (1 + change / 100), percent_change: change, t: 3, p_value: 0.01 },
      optimal_value: { value: optimal, ci_low: optimal * 0.9, ci_high: optimal * 1.1, level: 0.95 },
      grade,
      score: 0.9 - i * 0.12,
    }),
  );
  const insufficient = ["melatonin", "ashwagandha"].map((slug) =>
    relationship(ref(slug, slug[0]?.toUpperCase() + slug.slice(1), "mg"), outcome, {
      pearson: null,
      spearman: null,
      p_value: null,
      effect: { baseline_mean: null, high_mean: null, percent_change: null, t: null, p_value: null },
      optimal_value: null,
      worst_value: null,
      grade: "insufficient",
      score: 0,
      sufficiency: {
        sufficient: false,
        reasons: ["fewer than 30 pairs"],
        n_pairs: 6,
        predictor_changes: 2,
        outcome_changes: 5,
        baseline_fraction: 0.9,
        follow_up_fraction: 0.1,
      },
    }),
  );
  return PredictorSearchResult.parse({
    mode: "predictor_search",
    outcome,
    predictors: [...predictors, ...insufficient],
    window: { start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" },
  });
}

/** One render request of each kind, from the data above: what the screenshots show. */
export function sampleRequests(): Record<VisualizationKind, RenderRequest> {
  const base = { protocol: 1 as const, table: null, analysis: null };
  return {
    timeline: { ...base, kind: "timeline", input: { variables: ["mood", "sleep-duration"] }, table: dailyYear(120) },
    scatter: { ...base, kind: "scatter", input: {}, analysis: pairResult() },
    "delay-curve": { ...base, kind: "delay-curve", input: {}, analysis: pairResult() },
    "outcome-label": { ...base, kind: "outcome-label", input: {}, analysis: predictorSearch() },
    heatmap: { ...base, kind: "heatmap", input: { variable: "heart-rate" }, table: hourlyHeartRate() },
  };
}
