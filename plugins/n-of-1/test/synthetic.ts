/**
 * Generated aligned tables with planted effects, for the N-of-1 tests and the bench (bench/analysis.ts).
 * Deterministic: a seeded PRNG (mulberry32) and Box–Muller normals, so a failing case is reproducible.
 *
 * The planted model: outcome[i] = base · (1 + effect · m_i) + ε_i, with m_i the planted predictor's mean
 * over buckets [i − delay − duration, i − delay) (the alignment the plugin implements) and ε_i ~ N(0, noise²).
 * For a predictor that is 0 or 1 per bucket and a duration of one bucket, the outcome after a "1" is
 * `effect` × 100 % above the outcome after a "0": the percent change the analysis should recover.
 */
import type { AlignedTable, Resolution, TableColumn } from "@dfda/plugins";

/** mulberry32 (Tommy Ettinger, public domain): a small, fast, well-distributed 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal variate by the Box–Muller transform. */
export function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface PredictorSpec {
  slug: string;
  /** `binary`: 0 or 1 per bucket (a dose taken or not, probability `p`); `continuous`: N(mean, sd²) cut at 0. */
  kind: "binary" | "continuous";
  p?: number;
  mean?: number;
  sd?: number;
  category?: string;
  /** Share of buckets with no value (null), for variables not zero-filled. */
  missing?: number;
}

export interface Planted {
  predictor: string;
  /** In buckets of the table's resolution. */
  delay: number;
  duration: number;
  /** Relative effect per unit of the predictor's window mean (0.2: +20 % per unit). */
  effect: number;
}

export interface TableSpec {
  seed: number;
  buckets: number;
  resolution?: Resolution;
  predictors: PredictorSpec[];
  outcome: { slug: string; category?: string; base: number; noise: number; missing?: number };
  planted?: Planted[];
  start?: string;
}

const column = (
  slug: string,
  category: string,
  values: Array<number | null>,
  roles: { outcome: boolean; filling: "zero" | "none" },
): TableColumn => ({
  slug,
  name: slug,
  category,
  unit: "1",
  combination: "mean",
  filling: roles.filling,
  is_outcome: roles.outcome,
  is_input_factor: !roles.outcome,
  values,
});

export function syntheticTable(spec: TableSpec): AlignedTable {
  const random = mulberry32(spec.seed);
  const resolution = spec.resolution ?? "day";
  const step = resolution === "day" ? 86_400_000 : 3_600_000;
  const start = Date.parse(spec.start ?? "2024-01-01T00:00:00Z");
  const times = Array.from({ length: spec.buckets }, (_, i) => new Date(start + i * step).toISOString());
  const predictorValues = new Map<string, Array<number | null>>();
  const columns: TableColumn[] = [];
  for (const p of spec.predictors) {
    const values: Array<number | null> = [];
    for (let i = 0; i < spec.buckets; i++) {
      const v =
        p.kind === "binary"
          ? random() < (p.p ?? 0.5)
            ? 1
            : 0
          : Math.max(0, (p.mean ?? 5) + (p.sd ?? 2) * normal(random));
      values.push((p.missing ?? 0) > 0 && random() < (p.missing ?? 0) ? null : v);
    }
    predictorValues.set(p.slug, values);
    columns.push(
      column(p.slug, p.category ?? "treatments", values, {
        outcome: false,
        filling: p.kind === "binary" ? "zero" : "none",
      }),
    );
  }
  const outcome: Array<number | null> = [];
  for (let i = 0; i < spec.buckets; i++) {
    let factor = 1;
    for (const plant of spec.planted ?? []) {
      const values = predictorValues.get(plant.predictor);
      if (!values) throw new Error(`no predictor ${plant.predictor}`);
      const lo = i - plant.delay - plant.duration;
      const hi = i - plant.delay;
      let sum = 0;
      let count = 0;
      for (let k = Math.max(0, lo); k < hi; k++) {
        const v = values[k];
        if (v !== null && v !== undefined) {
          sum += v;
          count++;
        }
      }
      if (count > 0) factor += plant.effect * (sum / count);
    }
    const value = spec.outcome.base * factor + spec.outcome.noise * normal(random);
    outcome.push((spec.outcome.missing ?? 0) > 0 && random() < (spec.outcome.missing ?? 0) ? null : value);
  }
  columns.push(column(spec.outcome.slug, spec.outcome.category ?? "mood", outcome, { outcome: true, filling: "none" }));
  return {
    resolution,
    start: times[0] ?? new Date(start).toISOString(),
    end: new Date(start + spec.buckets * step).toISOString(),
    times,
    columns,
  };
}
