/**
 * The geometry of the readings chart, without the DOM: where each reading sits in the SVG, the line
 * through them, and the value axis's ticks. Kept apart from chart.ts (which draws it) so it is tested
 * in Node (examples/web/test/chart-model.test.ts).
 *
 * Value ticks are "nice" numbers, 1, 2 or 5 times a power of ten (Heckbert, "Nice numbers for graph
 * labels", Graphics Gems, 1990), and the value axis spans whole ticks, so every reading lies inside it.
 */

export interface Reading {
  /** Milliseconds since the epoch. */
  time: number;
  value: number;
}

export interface PlacedReading extends Reading {
  x: number;
  y: number;
}

export interface ChartModel {
  width: number;
  height: number;
  /** The plotting area inside the axes, in SVG user units. */
  plot: { left: number; top: number; right: number; bottom: number };
  /** Oldest first. */
  points: PlacedReading[];
  /** SVG path data (`M x y L x y …`) through the points in time order; empty for no points. */
  line: string;
  yTicks: { y: number; value: number }[];
  /** The time axis is labelled at its two ends. */
  xTicks: { x: number; time: number }[];
}

export interface ChartSize {
  width: number;
  height: number;
  /** Room for the value labels on the left and the time labels below. */
  margin: { left: number; top: number; right: number; bottom: number };
}

export const DEFAULT_SIZE: ChartSize = {
  width: 640,
  height: 260,
  margin: { left: 56, top: 16, right: 24, bottom: 36 },
};

/** A step of 1, 2 or 5 × 10^k close to `span / count`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Rounds away the binary noise of `k * step` (0.1 * 3 → 0.30000000000000004). */
function tidy(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(value.toFixed(Math.min(20, decimals)));
}

/** The value axis: `[min, max]` widened to whole nice steps, about `count` of them. */
export function valueTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new RangeError("min and max must be finite");
  let low = min;
  let high = max;
  if (low === high) {
    // One value (or all equal): a band around it, so it sits mid-chart rather than on an edge.
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const step = niceStep(high - low, count);
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(tidy(i * step, step));
  return ticks;
}

/** Half a day on either side of a single instant, so one reading still has a time axis. */
const LONE_TIME_PAD_MS = 12 * 60 * 60 * 1000;

export function chartModel(readings: readonly Reading[], size: ChartSize = DEFAULT_SIZE): ChartModel {
  const plot = {
    left: size.margin.left,
    top: size.margin.top,
    right: size.width - size.margin.right,
    bottom: size.height - size.margin.bottom,
  };
  const sorted = readings
    .filter((r) => Number.isFinite(r.time) && Number.isFinite(r.value))
    .toSorted((a, b) => a.time - b.time);
  const base = { width: size.width, height: size.height, plot };
  if (sorted.length === 0) return { ...base, points: [], line: "", yTicks: [], xTicks: [] };

  const values = sorted.map((r) => r.value);
  const ticks = valueTicks(Math.min(...values), Math.max(...values));
  const low = ticks[0] ?? 0;
  const high = ticks.at(-1) ?? 1;
  let start = sorted[0]?.time ?? 0;
  let end = sorted.at(-1)?.time ?? 0;
  if (start === end) {
    start -= LONE_TIME_PAD_MS;
    end += LONE_TIME_PAD_MS;
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  const x = (time: number) => round(plot.left + ((time - start) / (end - start)) * (plot.right - plot.left));
  const y = (value: number) => round(plot.bottom - ((value - low) / (high - low)) * (plot.bottom - plot.top));

  const points = sorted.map((r) => ({ ...r, x: x(r.time), y: y(r.value) }));
  return {
    ...base,
    points,
    line: points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" "),
    yTicks: ticks.map((value) => ({ value, y: y(value) })),
    xTicks: [
      { time: start, x: x(start) },
      { time: end, x: x(end) },
    ],
  };
}
