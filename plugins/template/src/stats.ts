/**
 * Descriptive statistics of one column of an aligned table: the plugin's actual work, pure and
 * synchronous, tested on its own (stats.test.ts). Mean and variance by Welford's online algorithm
 * (Knuth, TAOCP vol. 2, §4.2.2), which stays accurate for long series of large values; the median of an
 * even count is the mean of the two middle values.
 */
import type { TableColumn } from "@dfda/plugins";
import type { VariableSummary } from "./manifest";

export function summarize(column: TableColumn, times: readonly string[]): VariableSummary {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let first: string | null = null;
  let last: string | null = null;
  const values: number[] = [];
  for (const [i, value] of column.values.entries()) {
    if (value === null || !Number.isFinite(value)) continue;
    n += 1;
    const delta = value - mean;
    mean += delta / n;
    m2 += delta * (value - mean);
    values.push(value);
    first ??= times[i] ?? null;
    last = times[i] ?? last;
  }
  values.sort((a, b) => a - b);
  const middle = Math.floor(n / 2);
  const median =
    n === 0 ? null : n % 2 === 1 ? (values[middle] ?? null) : ((values[middle - 1] ?? 0) + (values[middle] ?? 0)) / 2;
  return {
    slug: column.slug,
    name: column.name,
    unit: column.unit,
    n,
    buckets: column.values.length,
    coverage: column.values.length === 0 ? 0 : n / column.values.length,
    mean: n === 0 ? null : mean,
    sd: n < 2 ? null : Math.sqrt(m2 / (n - 1)),
    min: values[0] ?? null,
    median,
    max: n === 0 ? null : (values[n - 1] ?? null),
    first,
    last,
  };
}
