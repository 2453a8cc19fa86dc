/**
 * The heatmap of one variable by hour of day (columns) and day of week (rows, Monday first, ISO 8601):
 * each cell is the mean of the hourly values that fell in that hour on that weekday, in the person's
 * time zone when the input names one (an IANA zone, resolved with `Intl.DateTimeFormat`, daylight saving
 * included), else in UTC. Colour is viridis (palette.ts), and each cell also prints its value and
 * carries a `<title>` with the full reading, so colour is never the only code.
 */
import type { AlignedTable } from "@dfda/plugins";
import type { ChartInput } from "./manifest";
import { inkOn, viridis } from "./palette";
import { formatDate } from "./scale";
import {
  displayUnit,
  formatNumber,
  heading,
  INK,
  MUTED_INK,
  noDataChart,
  num,
  svgDocument,
  text,
  withUnit,
} from "./svg";

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** (weekday 0 = Monday, hour) of an instant in a zone; null when the zone is unknown to the runtime. */
function zonedParts(timezone: string): ((t: number) => { day: number; hour: number }) | null {
  if (timezone === "UTC") {
    return (t) => {
      const d = new Date(t);
      return { day: (d.getUTCDay() + 6) % 7, hour: d.getUTCHours() };
    };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      weekday: "short",
      hour: "numeric",
      hourCycle: "h23",
    });
  } catch {
    return null;
  }
  return (t) => {
    let day = 0;
    let hour = 0;
    for (const part of format.formatToParts(t)) {
      if (part.type === "weekday") day = WEEKDAY_INDEX[part.value] ?? 0;
      else if (part.type === "hour") hour = Number(part.value) % 24;
    }
    return { day, hour };
  };
}

export function renderHeatmap(table: AlignedTable | null, input: ChartInput, id: string): string {
  const width = input.width ?? 860;
  const height = input.height ?? 380;
  const fallbackTitle = "By hour of day and day of week";
  if (table === null || table.columns.length === 0 || table.times.length === 0) {
    return noDataChart(
      { id, width, height, title: input.title ?? fallbackTitle },
      "There are no values in this time window.",
    );
  }
  const column = input.variable === undefined ? table.columns[0] : table.columns.find((c) => c.slug === input.variable);
  if (column === undefined) {
    return noDataChart(
      { id, width, height, title: input.title ?? fallbackTitle },
      `The variable ${input.variable ?? ""} is not in the data.`,
    );
  }
  const title = input.title ?? `${column.name} by hour of day and day of week`;
  if (table.resolution !== "hour") {
    return noDataChart(
      { id, width, height, title },
      "A heatmap by hour of day needs hourly values; this table has one value per day.",
    );
  }
  let zone = input.timezone ?? "UTC";
  let parts = zonedParts(zone);
  let zoneNote = "";
  if (parts === null) {
    zoneNote = ` (the time zone ${zone} is unknown; hours are UTC)`;
    zone = "UTC";
    parts = zonedParts("UTC");
  }
  const at = parts as NonNullable<typeof parts>;
  const sums = new Float64Array(7 * 24);
  const counts = new Uint32Array(7 * 24);
  column.values.forEach((v, i) => {
    const t = table.times[i];
    if (v === null || !Number.isFinite(v) || t === undefined) return;
    const { day, hour } = at(Date.parse(t));
    const cell = day * 24 + hour;
    sums[cell] = (sums[cell] ?? 0) + v;
    counts[cell] = (counts[cell] ?? 0) + 1;
  });
  const means = Array.from(sums, (s, i) => ((counts[i] ?? 0) === 0 ? null : s / (counts[i] ?? 1)));
  const present = means.filter((m): m is number => m !== null);
  if (present.length === 0) {
    return noDataChart({ id, width, height, title }, `There are no values of ${column.name} in this time window.`);
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const m of present) {
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
  }
  const unit = displayUnit(column.unit);
  const left = 96;
  const top = 64;
  const legendHeight = 56;
  const cellW = (width - left - 16) / 24;
  const cellH = (height - top - 28 - legendHeight) / 7;
  const fontSize = Math.min(11, Math.max(7, cellW / 3.4));
  const showValues = cellW >= 20 && cellH >= 14;
  const decimals = hi - lo >= 100 ? 0 : hi - lo >= 10 ? 0 : hi - lo >= 1 ? 1 : 2;
  const scale = (v: number) => (hi === lo ? 0.5 : (v - lo) / (hi - lo));
  const out: string[] = [];
  const window = `${formatDate(Date.parse(table.start))} to ${formatDate(Date.parse(table.end) - 1)}`;
  out.push(heading(title, `Mean ${withUnit(column.name, column.unit)} per hour, ${window}, ${zone}${zoneNote}`, width));
  out.push(`<g class="axis" font-size="11">`);
  DAYS.forEach((day, r) => {
    out.push(`<text x="${num(left - 8)}" y="${num(top + r * cellH + cellH / 2 + 4)}" text-anchor="end">${day}</text>`);
  });
  for (let h = 0; h < 24; h++) {
    if (cellW < 24 && h % 3 !== 0) continue;
    out.push(
      `<text x="${num(left + h * cellW + cellW / 2)}" y="${num(top + 7 * cellH + 14)}" text-anchor="middle" fill="${MUTED_INK}">${String(h).padStart(2, "0")}</text>`,
    );
  }
  out.push(
    `<text class="axis-label" x="${num(left + 12 * cellW)}" y="${num(top + 7 * cellH + 28)}" text-anchor="middle">Hour of day (${text(zone)})</text>`,
    "</g>",
    `<g class="cells" font-size="${num(fontSize)}">`,
  );
  means.forEach((m, i) => {
    const r = Math.floor(i / 24);
    const h = i % 24;
    const x = left + h * cellW;
    const y = top + r * cellH;
    const when = `${DAYS[r]} ${String(h).padStart(2, "0")}:00`;
    if (m === null) {
      out.push(
        `<rect class="cell empty" x="${num(x)}" y="${num(y)}" width="${num(cellW)}" height="${num(cellH)}" fill="#ffffff" stroke="#bdbdbd" stroke-width="0.5"><title>${when}: no data</title></rect>`,
      );
      return;
    }
    const fill = viridis(scale(m));
    const reading = `${when}: ${formatNumber(m, decimals)}${unit === "" ? "" : ` ${text(unit)}`} (mean of ${counts[i]})`;
    out.push(
      `<rect class="cell" x="${num(x)}" y="${num(y)}" width="${num(cellW)}" height="${num(cellH)}" fill="${fill}" stroke="#ffffff" stroke-width="0.5"><title>${reading}</title></rect>`,
    );
    if (showValues) {
      out.push(
        `<text x="${num(x + cellW / 2)}" y="${num(y + cellH / 2 + fontSize / 3)}" text-anchor="middle" fill="${inkOn(fill)}" aria-hidden="true">${formatNumber(m, decimals)}</text>`,
      );
    }
  });
  out.push("</g>");
  // The colour key: a gradient with its two ends labelled, and the empty-cell swatch.
  const legendTop = height - legendHeight + 8;
  const gradientId = `${id}-ramp`;
  const stops = Array.from(
    { length: 9 },
    (_, i) => `<stop offset="${num(i / 8)}" stop-color="${viridis(i / 8)}"/>`,
  ).join("");
  const legendWidth = Math.min(300, width - left - 140);
  out.push(
    `<defs><linearGradient id="${gradientId}" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`,
    `<g class="legend" font-size="11">`,
    `<rect x="${num(left)}" y="${num(legendTop)}" width="${num(legendWidth)}" height="12" fill="url(#${gradientId})"/>`,
    `<text x="${num(left)}" y="${num(legendTop + 26)}" fill="${INK}">${formatNumber(lo, decimals)}</text>`,
    `<text x="${num(left + legendWidth)}" y="${num(legendTop + 26)}" text-anchor="end" fill="${INK}">${formatNumber(hi, decimals)}${unit === "" ? "" : ` ${text(unit)}`}</text>`,
    `<rect x="${num(left + legendWidth + 24)}" y="${num(legendTop)}" width="12" height="12" fill="#ffffff" stroke="#bdbdbd"/>`,
    `<text x="${num(left + legendWidth + 42)}" y="${num(legendTop + 10)}">no data</text>`,
    "</g>",
  );
  // The description names the extremes, so the pattern is told in words.
  const peak = means.indexOf(hi);
  const trough = means.indexOf(lo);
  const cellName = (i: number) => `${DAYS[Math.floor(i / 24)]} at ${String(i % 24).padStart(2, "0")}:00`;
  const description =
    `Heatmap of mean ${column.name} by hour of day (${zone}) and day of week, ${window}: ${present.length} of 168 hours have values, ` +
    `highest ${formatNumber(hi, decimals)}${unit === "" ? "" : ` ${unit}`} on ${cellName(peak)}, ` +
    `lowest ${formatNumber(lo, decimals)}${unit === "" ? "" : ` ${unit}`} on ${cellName(trough)}.${zoneNote}`;
  return svgDocument({ id, width, height, title, description }, out.join(""));
}
