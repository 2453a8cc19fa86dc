/**
 * The timeline: one panel per variable, stacked on a shared time axis, each with its own value axis in
 * its own unit (small multiples rather than a second y-axis, which misleads about how series compare).
 *
 * Short windows draw the table's buckets as they are (a marker per value, joined across consecutive
 * buckets, broken at gaps). Long windows draw one value per period (a day, an ISO week or a calendar
 * month, in UTC): the mean of the period's buckets as a line, and a band from the lowest to the highest
 * bucket, so the spread of, say, hourly heart rates within a day stays visible. `aggregate: "auto"`
 * draws buckets while there are at most `max_points` (default 200) and otherwise the finest period
 * that yields at most that many points.
 */
import type { AlignedTable, TableColumn } from "@dfda/plugins";
import { brokenPath, marker, niceAxis, timeAxisBottom, valueAxisLeft } from "./axes";
import type { ChartInput, TimelineAggregate } from "./manifest";
import { seriesStyle } from "./palette";
import { DAY, formatDate, HOUR } from "./scale";
import { displayUnit, formatNumber, heading, MUTED_INK, noDataChart, num, svgDocument, text, withUnit } from "./svg";

type Period = "none" | "day" | "week" | "month";

/** `aggregate: "none"` is honoured up to this many buckets (a year of hours); past it, as `auto` (bounded output). */
export const MAX_RAW_POINTS = 9000;

/** Start of the period holding `t` (UTC): midnight, Monday midnight (ISO 8601 weeks), the first of the month. */
function periodStart(t: number, period: Exclude<Period, "none">): number {
  const d = new Date(t);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === "day") return midnight;
  if (period === "week") return midnight - ((d.getUTCDay() + 6) % 7) * DAY;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function periodEnd(start: number, period: Exclude<Period, "none">): number {
  if (period === "day") return start + DAY;
  if (period === "week") return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function countPeriods(times: readonly number[], period: Exclude<Period, "none">): number {
  const keys = new Set<number>();
  for (const t of times) keys.add(periodStart(t, period));
  return keys.size;
}

/** Which period to draw: none while the buckets fit, else the finest that fits (months always do: 10 years = 120). */
export function choosePeriod(
  resolution: AlignedTable["resolution"],
  times: readonly number[],
  aggregate: TimelineAggregate,
  maxPoints: number,
): Period {
  if (aggregate === "none" && times.length <= MAX_RAW_POINTS) return "none";
  // A day of daily buckets is the bucket itself.
  if (aggregate === "day") return resolution === "day" ? "none" : "day";
  if (aggregate !== "auto" && aggregate !== "none") return aggregate;
  if (times.length <= maxPoints) return "none";
  const candidates: Exclude<Period, "none">[] = resolution === "hour" ? ["day", "week", "month"] : ["week", "month"];
  return candidates.find((p) => countPeriods(times, p) <= maxPoints) ?? "month";
}

export interface TimelinePoint {
  /** The middle of the bucket or period, where its mark is drawn. */
  t: number;
  mean: number;
  min: number;
  max: number;
  count: number;
}

/** One column as points: a bucket each (`none`), or a period each with mean, lowest and highest bucket. */
export function seriesPoints(
  times: readonly number[],
  bucketMs: number,
  column: TableColumn,
  period: Period,
): (TimelinePoint | null)[] {
  if (period === "none") {
    return column.values.map((v, i) => {
      const t = times[i];
      return v === null || t === undefined || !Number.isFinite(v)
        ? null
        : { t: t + bucketMs / 2, mean: v, min: v, max: v, count: 1 };
    });
  }
  const out: (TimelinePoint | null)[] = [];
  let current: { start: number; sum: number; min: number; max: number; count: number } | null = null;
  const flush = () => {
    if (current === null) return;
    const mid = (current.start + periodEnd(current.start, period)) / 2;
    out.push(
      current.count === 0
        ? null
        : { t: mid, mean: current.sum / current.count, min: current.min, max: current.max, count: current.count },
    );
  };
  column.values.forEach((v, i) => {
    const t = times[i];
    if (t === undefined) return;
    const start = periodStart(t, period);
    if (current === null || current.start !== start) {
      flush();
      current = { start, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, count: 0 };
    }
    if (v !== null && Number.isFinite(v)) {
      current.sum += v;
      current.min = Math.min(current.min, v);
      current.max = Math.max(current.max, v);
      current.count += 1;
    }
  });
  flush();
  return out;
}

const PERIOD_WORDS: Record<Exclude<Period, "none">, string> = { day: "daily", week: "weekly", month: "monthly" };

/** Raw markers are drawn up to this many per panel; past it the line alone (bounded output). */
const MAX_MARKERS = 500;

export function renderTimeline(table: AlignedTable | null, input: ChartInput, id: string): string {
  const width = input.width ?? 800;
  const requested = input.variables;
  const title = input.title ?? "Timeline";
  if (table === null || table.times.length === 0 || table.columns.length === 0) {
    return noDataChart({ id, width, height: input.height ?? 320, title }, "There are no values in this time window.");
  }
  const columns = requested
    ? requested.flatMap((slug) => table.columns.filter((c) => c.slug === slug))
    : table.columns.slice(0, 4);
  const missing = requested ? requested.filter((slug) => !table.columns.some((c) => c.slug === slug)) : [];
  const height = input.height ?? Math.max(320, 100 + columns.length * 170);
  if (columns.length === 0) {
    return noDataChart(
      { id, width, height, title },
      `None of the requested variables is in the data: ${missing.join(", ")}.`,
    );
  }
  const times = table.times.map((t) => Date.parse(t));
  const start = Date.parse(table.start);
  const end = Date.parse(table.end);
  const bucketMs = table.resolution === "hour" ? HOUR : DAY;
  const maxPoints = input.max_points ?? 200;
  const period = choosePeriod(table.resolution, times, input.aggregate ?? "auto", maxPoints);
  const bucketWord = table.resolution === "hour" ? "hourly" : "daily";

  const top = 76;
  const left = 80;
  const plotWidth = width - left - 24;
  const panelGap = 34;
  const plotBottom = height - 52;
  const panelHeight = (plotBottom - top - panelGap * (columns.length - 1)) / columns.length;
  const parts: string[] = [];
  const sentences: string[] = [];
  const subtitle =
    period === "none"
      ? `${formatDate(start)} to ${formatDate(end - 1)}, ${bucketWord} values`
      : `${formatDate(start)} to ${formatDate(end - 1)}, ${PERIOD_WORDS[period]} means of ${bucketWord} values; bands span the lowest to the highest`;
  parts.push(heading(title, subtitle, width));

  columns.forEach((column, index) => {
    const style = seriesStyle(index);
    const box = { left, top: top + index * (panelHeight + panelGap), width: plotWidth, height: panelHeight };
    const points = seriesPoints(times, bucketMs, column, period);
    const present = points.filter((p): p is TimelinePoint => p !== null);
    const label = withUnit(column.name, column.unit);
    parts.push(
      `<text class="panel-label" x="${num(left)}" y="${num(box.top - 6)}" font-weight="bold">${text(label)}</text>`,
    );
    if (present.length === 0) {
      parts.push(
        `<rect x="${num(box.left)}" y="${num(box.top)}" width="${num(box.width)}" height="${num(box.height)}" fill="none" stroke="#d9d9d9" stroke-dasharray="4 4"/>`,
        `<text x="${num(box.left + box.width / 2)}" y="${num(box.top + box.height / 2)}" text-anchor="middle" fill="${MUTED_INK}">No values in this window</text>`,
      );
      sentences.push(`${column.name}: no values in this window.`);
      return;
    }
    // A loop, not Math.min(...values): a spread of ten years of hours would overflow the call stack.
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const p of present) {
      lo = Math.min(lo, p.min);
      hi = Math.max(hi, p.max);
    }
    const axis = niceAxis(lo, hi, Math.max(3, Math.min(6, Math.floor(panelHeight / 30))));
    const yAxis = valueAxisLeft(box, axis, displayUnit(column.unit));
    parts.push(yAxis.svg);
    const x = (t: number) => box.left + ((t - start) / (end - start)) * box.width;
    const y = yAxis.y;
    if (period !== "none") {
      // The band: for each run of periods with values, the max edge forward and the min edge back.
      let run: TimelinePoint[] = [];
      const bands: string[] = [];
      const closeRun = () => {
        if (run.length === 0) return;
        const upper = run.map((p) => `${num(x(p.t))} ${num(y(p.max))}`);
        const lower = run.map((p) => `${num(x(p.t))} ${num(y(p.min))}`).reverse();
        bands.push(`M${upper.join("L")}L${lower.join("L")}Z`);
        run = [];
      };
      for (const p of points) {
        if (p === null) closeRun();
        else run.push(p);
      }
      closeRun();
      parts.push(`<path class="band" d="${bands.join("")}" fill="${style.colour}" fill-opacity="0.18" stroke="none"/>`);
    }
    const line = brokenPath(points.map((p) => (p === null ? null : { x: x(p.t), y: y(p.mean) })));
    parts.push(
      `<path class="line" d="${line}" fill="none" stroke="${style.colour}" stroke-width="1.5" stroke-linejoin="round"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}/>`,
    );
    if (present.length <= MAX_MARKERS) {
      parts.push(`<g class="points">${present.map((p) => marker(style, x(p.t), y(p.mean), 2.5)).join("")}</g>`);
    }
    const mean = present.reduce((s, p) => s + p.mean * p.count, 0) / present.reduce((s, p) => s + p.count, 0);
    const unit = displayUnit(column.unit) === "" ? "" : ` ${displayUnit(column.unit)}`;
    sentences.push(
      `${column.name}: ${present.length} ${period === "none" ? `${bucketWord} values` : `${PERIOD_WORDS[period]} means`}, ` +
        `from ${formatNumber(lo)} to ${formatNumber(hi)}${unit}, mean ${formatNumber(mean)}${unit}.`,
    );
  });
  const axis = timeAxisBottom(
    { left, top: plotBottom - 1, width: plotWidth, height: 1 },
    start,
    end,
    "Date (UTC)",
    top,
  );
  parts.push(axis.svg);
  if (missing.length > 0) {
    const note = `Not in the data: ${missing.join(", ")}`;
    parts.push(`<text x="${num(width - 16)}" y="42" text-anchor="end" fill="${MUTED_INK}">${text(note)}</text>`);
    sentences.push(`${note}.`);
  }
  return svgDocument(
    {
      id,
      width,
      height,
      title,
      description: `Timeline of ${columns.map((c) => c.name).join(", ")}, ${subtitle}. ${sentences.join(" ")}`,
    },
    parts.join(""),
  );
}
