/**
 * The N-of-1 analysis plugin's speed (issue 14, "Speed"): one predictor–outcome pair over two years of
 * daily data with the full delay/duration scan (target: under 1 s), and a predictor search over 100
 * predictors (target: under 30 s), on this machine. The plugin's own `run` is timed, as its Worker runs
 * it: input and table parsed at the boundary, the scan, every statistic, the result. The tables are
 * generated with planted effects (plugins/n-of-1/test/synthetic.ts), and each run is checked to find
 * the planted predictor, so a fast wrong answer does not pass for speed.
 *
 * Part of `npm run bench` (bench/run.ts; BENCH_ANALYSIS=0 skips it), or alone:
 *   npx tsx bench/analysis.ts
 * BENCH_ANALYSIS_RUNS (default 5) repetitions each; the median and the slowest are reported.
 */
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { NOf1Result } from "@dfda/plugins";
import { run } from "../plugins/n-of-1/src/contract";
import { type PredictorSpec, syntheticTable } from "../plugins/n-of-1/test/synthetic";

export interface AnalysisBenchResult {
  machine: { cpu: string; cores: number; memory_gib: number; node: string };
  runs: number;
  pair_two_years_daily_ms: { median: number; max: number; combinations: number; days: number };
  predictor_search_100_ms: { median: number; max: number; predictors: number; days: number };
  pair_two_years_hourly_ms: { median: number; max: number; hours: number };
  targets: { pair_under_1_s: boolean; search_under_30_s: boolean };
}

function timed(runs: number, fn: () => void): { median: number; max: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)] ?? Number.NaN, max: samples.at(-1) ?? Number.NaN };
}

function expectTop(result: NOf1Result, slug: string) {
  const top = result.mode === "pair" ? result.relationship : result.predictors[0];
  if (top?.predictor.slug !== slug || top.grade === "insufficient")
    throw new Error(`the analysis did not find the planted predictor ${slug}`);
}

export function runAnalysisBench(runs = Number(process.env.BENCH_ANALYSIS_RUNS ?? 5)): AnalysisBenchResult {
  const days = 730;
  const pairTable = syntheticTable({
    seed: 1,
    buckets: days,
    predictors: [{ slug: "magnesium", kind: "continuous", mean: 300, sd: 100, missing: 0.1, category: "supplements" }],
    outcome: { slug: "headache", category: "symptoms", base: 4, noise: 1.5, missing: 0.1 },
    planted: [{ predictor: "magnesium", delay: 2, duration: 3, effect: -0.001 }],
  });
  const pair = timed(runs, () =>
    expectTop(
      run({ protocol: 1, input: { mode: "pair", predictor: "magnesium", outcome: "headache" }, table: pairTable }),
      "magnesium",
    ),
  );

  const predictors: PredictorSpec[] = Array.from({ length: 100 }, (_, i) => ({
    slug: `predictor-${String(i).padStart(3, "0")}`,
    kind: i % 2 === 0 ? "continuous" : "binary",
    category: "supplements",
    missing: i % 2 === 0 ? 0.1 : 0,
  }));
  const searchTable = syntheticTable({
    seed: 2,
    buckets: days,
    predictors,
    outcome: { slug: "sleep-quality", category: "sleep", base: 6, noise: 1, missing: 0.05 },
    planted: [{ predictor: "predictor-037", delay: 1, duration: 2, effect: 0.3 }],
  });
  const search = timed(Math.max(1, Math.ceil(runs / 2)), () =>
    expectTop(
      run({ protocol: 1, input: { mode: "predictor_search", outcome: "sleep-quality" }, table: searchTable }),
      "predictor-037",
    ),
  );

  const hours = days * 24;
  const hourlyTable = syntheticTable({
    seed: 3,
    resolution: "hour",
    buckets: hours,
    predictors: [{ slug: "caffeine", kind: "binary", p: 0.1, category: "nutrition" }],
    outcome: { slug: "heart-rate", category: "vital_signs", base: 60, noise: 4, missing: 0.3 },
    planted: [{ predictor: "caffeine", delay: 6, duration: 3, effect: 0.2 }],
  });
  const hourly = timed(runs, () =>
    expectTop(
      run({
        protocol: 1,
        input: { mode: "pair", predictor: "caffeine", outcome: "heart-rate", resolution: "hour" },
        table: hourlyTable,
      }),
      "caffeine",
    ),
  );

  return {
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memory_gib: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    runs,
    pair_two_years_daily_ms: { ...pair, combinations: 15 * 30, days },
    predictor_search_100_ms: { ...search, predictors: predictors.length, days },
    pair_two_years_hourly_ms: { ...hourly, hours },
    targets: { pair_under_1_s: pair.max < 1_000, search_under_30_s: search.max < 30_000 },
  };
}

/** The rows bench/run.ts prints in its table. */
export function analysisRows(result: AnalysisBenchResult): string {
  const f = (n: number) => n.toLocaleString("en", { maximumFractionDigits: 1 });
  return [
    `| N-of-1 pair, 2 years daily, ${result.pair_two_years_daily_ms.combinations} delay/duration combinations, median / max | ${f(result.pair_two_years_daily_ms.median)} / ${f(result.pair_two_years_daily_ms.max)} ms (target < 1 s) |`,
    `| N-of-1 predictor search, ${result.predictor_search_100_ms.predictors} predictors × 2 years daily, median / max | ${f(result.predictor_search_100_ms.median)} / ${f(result.predictor_search_100_ms.max)} ms (target < 30 s) |`,
    `| N-of-1 pair, 2 years hourly (${f(result.pair_two_years_hourly_ms.hours)} h), median / max | ${f(result.pair_two_years_hourly_ms.median)} / ${f(result.pair_two_years_hourly_ms.max)} ms |`,
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = runAnalysisBench();
  console.log(
    `Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memory_gib} GiB, Node ${result.machine.node}\n| measure | value |\n| --- | --- |\n${analysisRows(result)}`,
  );
  console.log(JSON.stringify(result, null, 2));
}
