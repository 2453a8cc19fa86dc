/**
 * Scales and axis ticks.
 *
 * Value axes use Heckbert's "nice numbers" (P. Heckbert, "Nice numbers for graph labels", Graphics Gems,
 * 1990): the tick step is 1, 2 or 5 × 10^k, chosen so about `count` ticks cover the data, and the axis
 * is widened to whole steps ("loose labelling"), so every tick is a round number.
 * Time axes pick the smallest step from a ladder of calendar intervals (hours, days, weeks, months,
 * years) that keeps the ticks at least `minSpacing` pixels apart, and align ticks to that interval in
 * UTC (midnight, Mondays, the first of a month, 1 January): the table's buckets are UTC.
 */

/** Heckbert's NiceNum: a 1, 2, 5 or 10 × 10^k near `range` (rounded, or the next above). */
export function niceNumber(range: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(range));
  const fraction = range / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

export interface NiceAxis {
  min: number;
  max: number;
  step: number;
  ticks: number[];
  /** Decimal places that show every tick exactly. */
  decimals: number;
}

/** Loose labelling of [lo, hi] with about `count` ticks. A single value gets an axis around it. */
export function niceAxis(lo: number, hi: number, count = 5): NiceAxis {
  let low = lo;
  let high = hi;
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    low = 0;
    high = 1;
  }
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const range = niceNumber(high - low, false);
  const step = niceNumber(range / Math.max(1, count - 1), true);
  const min = Math.floor(low / step) * step;
  const max = Math.ceil(high / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: number[] = [];
  // Counting steps (not adding them) keeps binary rounding from drifting: 0.1 + 0.2 ≠ 0.3.
  const n = Math.round((max - min) / step);
  for (let i = 0; i <= n; i++) ticks.push(Number((min + i * step).toFixed(decimals)));
  return { min, max, step, ticks, decimals };
}

/** A linear map from a domain to pixels (a flat domain maps to the middle). */
export function linear(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0;
  if (span === 0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

type TimeUnit = "hour" | "day" | "week" | "month" | "year";
interface TimeStep {
  unit: TimeUnit;
  every: number;
  /** The step's typical length, to estimate how many ticks it makes. */
  approx: number;
}

/** The ladder of calendar steps, smallest first. */
const TIME_STEPS: readonly TimeStep[] = [
  ...[1, 2, 3, 6, 12].map((every) => ({ unit: "hour" as const, every, approx: every * HOUR })),
  ...[1, 2].map((every) => ({ unit: "day" as const, every, approx: every * DAY })),
  ...[1, 2].map((every) => ({ unit: "week" as const, every, approx: every * 7 * DAY })),
  ...[1, 2, 3, 6].map((every) => ({ unit: "month" as const, every, approx: every * 30.44 * DAY })),
  ...[1, 2, 5, 10].map((every) => ({ unit: "year" as const, every, approx: every * 365.25 * DAY })),
];

/** The first tick at or after `t` for a step (UTC-aligned). */
function firstTick(t: number, step: TimeStep): number {
  const d = new Date(t);
  switch (step.unit) {
    case "hour": {
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
      const aligned = start + ((step.every - (d.getUTCHours() % step.every)) % step.every) * HOUR;
      return aligned < t ? aligned + step.every * HOUR : aligned;
    }
    case "day": {
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return start < t ? start + DAY : start;
    }
    case "week": {
      // ISO 8601 weeks start on Monday.
      const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      const monday = midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * DAY;
      return monday < t ? monday + 7 * DAY : monday;
    }
    case "month": {
      let year = d.getUTCFullYear();
      let month = d.getUTCMonth();
      if (Date.UTC(year, month, 1) < t) month += 1;
      month = Math.ceil(month / step.every) * step.every;
      year += Math.floor(month / 12);
      return Date.UTC(year, month % 12, 1);
    }
    case "year": {
      let year = d.getUTCFullYear();
      if (Date.UTC(year, 0, 1) < t) year += 1;
      return Date.UTC(Math.ceil(year / step.every) * step.every, 0, 1);
    }
  }
}

function nextTick(t: number, step: TimeStep): number {
  const d = new Date(t);
  switch (step.unit) {
    case "hour":
      return t + step.every * HOUR;
    case "day":
      return t + step.every * DAY;
    case "week":
      return t + step.every * 7 * DAY;
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step.every, 1);
    case "year":
      return Date.UTC(d.getUTCFullYear() + step.every, 0, 1);
  }
}

function label(t: number, unit: TimeUnit, spanMs: number): string {
  const d = new Date(t);
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  switch (unit) {
    case "hour":
      return `${day} ${String(d.getUTCHours()).padStart(2, "0")}:00`;
    case "day":
    case "week":
      // Over more than a year, a day alone would be ambiguous.
      return spanMs > 300 * DAY ? `${day}, ${d.getUTCFullYear()}` : day;
    case "month":
      return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    case "year":
      return String(d.getUTCFullYear());
  }
}

export interface TimeTick {
  t: number;
  label: string;
}

/** Ticks for [start, end) in milliseconds, at least `minSpacing` px apart on an axis `width` px wide. */
export function timeTicks(start: number, end: number, width: number, minSpacing = 90): TimeTick[] {
  const span = Math.max(end - start, HOUR);
  const maxTicks = Math.max(2, Math.floor(width / minSpacing));
  const step = TIME_STEPS.find((s) => span / s.approx <= maxTicks) ?? (TIME_STEPS.at(-1) as TimeStep);
  const ticks: TimeTick[] = [];
  for (let t = firstTick(start, step); t <= end && ticks.length < 100; t = nextTick(t, step)) {
    ticks.push({ t, label: label(t, step.unit, span) });
  }
  return ticks;
}

export function formatDate(t: number): string {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

export { DAY, HOUR };
