/**
 * The correlation-over-delay curve of an N-of-1 pair result: the Pearson correlation at each onset delay
 * scanned (at that delay's best duration), with the delay the analysis chose marked.
 *
 * The delays are scanned on an uneven ladder (hours first, then days), so the horizontal axis places
 * them evenly in scan order, each labelled with its delay, rather than on a linear time scale that
 * would crush the first hours into a corner. The vertical axis is fixed at −1 to 1, with a line at 0,
 * so curves from different analyses compare at a glance.
 */
import type { PairResult } from "@dfda/plugins";
import { brokenPath, marker, valueAxisLeft } from "./axes";
import type { ChartInput } from "./manifest";
import { BAD, seriesStyle } from "./palette";
import { linear } from "./scale";
import { formatHours, formatNumber, heading, INK, MUTED_INK, noDataChart, num, svgDocument, text } from "./svg";

export function renderDelayCurve(result: PairResult | null, input: ChartInput, id: string): string {
  const width = input.width ?? 720;
  const height = input.height ?? 400;
  if (result === null) {
    return noDataChart(
      { id, width, height, title: input.title ?? "Correlation over onset delay" },
      "The delay curve draws a predictor–outcome analysis; none was given.",
    );
  }
  const rel = result.relationship;
  const title = input.title ?? `${rel.predictor.name} → ${rel.outcome.name}: correlation over onset delay`;
  // One point per delay (the best duration's, as the analysis reports it), in delay order; bounded.
  const byDelay = new Map<number, PairResult["delay_curve"][number]>();
  for (const p of result.delay_curve) {
    if (!Number.isFinite(p.delay_hours)) continue;
    const seen = byDelay.get(p.delay_hours);
    if (seen === undefined || Math.abs(p.pearson ?? 0) > Math.abs(seen.pearson ?? 0)) byDelay.set(p.delay_hours, p);
  }
  const curve = [...byDelay.values()].sort((a, b) => a.delay_hours - b.delay_hours).slice(0, 500);
  if (curve.every((p) => p.pearson === null || !Number.isFinite(p.pearson))) {
    return noDataChart({ id, width, height, title }, "No onset delay had enough pairs to correlate.");
  }
  const box = { left: 84, top: 60, width: width - 84 - 24, height: height - 60 - 64 };
  const left = valueAxisLeft(
    box,
    { min: -1, max: 1, step: 0.5, ticks: [-1, -0.5, 0, 0.5, 1], decimals: 1 },
    "Pearson correlation (r)",
  );
  const x = linear(0, Math.max(1, curve.length - 1), box.left + 8, box.left + box.width - 8);
  const bottom = box.top + box.height;
  const labelEvery = Math.max(1, Math.ceil(curve.length / Math.max(2, Math.floor(box.width / 48))));
  const parts: string[] = [left.svg, `<g class="axis axis-x" font-size="11">`];
  curve.forEach((p, i) => {
    const px = x(i);
    parts.push(`<line x1="${num(px)}" x2="${num(px)}" y1="${num(bottom)}" y2="${num(bottom + 4)}" stroke="${INK}"/>`);
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${num(px)}" y="${num(bottom + 16)}" text-anchor="middle" fill="${MUTED_INK}">${text(formatHours(p.delay_hours))}</text>`,
      );
    }
  });
  parts.push(
    `<line x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${num(bottom)}" y2="${num(bottom)}" stroke="${INK}"/>`,
    `<text class="axis-label" x="${num(box.left + box.width / 2)}" y="${num(bottom + 36)}" text-anchor="middle">Onset delay (scanned values, in order)</text>`,
    "</g>",
    `<line class="zero" x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${num(left.y(0))}" y2="${num(left.y(0))}" stroke="${MUTED_INK}" stroke-width="1.2"/>`,
  );
  const style = seriesStyle(0);
  const points = curve.map((p, i) =>
    p.pearson === null || !Number.isFinite(p.pearson)
      ? null
      : { x: x(i), y: left.y(Math.max(-1, Math.min(1, p.pearson))) },
  );
  parts.push(
    `<path class="line" d="${brokenPath(points)}" fill="none" stroke="${style.colour}" stroke-width="2" stroke-linejoin="round"/>`,
    `<g class="points">${points.map((p) => (p === null ? "" : marker(style, p.x, p.y, 3))).join("")}</g>`,
  );
  const bestIndex = curve.findIndex((p) => p.delay_hours === rel.delay_hours);
  if (bestIndex >= 0) {
    const bx = x(bestIndex);
    const anchor = bx > box.left + box.width * 0.7 ? "end" : "start";
    parts.push(
      `<line class="best" x1="${num(bx)}" x2="${num(bx)}" y1="${num(box.top)}" y2="${num(bottom)}" stroke="${BAD}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${num(anchor === "end" ? bx - 6 : bx + 6)}" y="${num(box.top + 14)}" text-anchor="${anchor}" fill="${INK}" font-size="11">strongest: ${text(formatHours(rel.delay_hours))} delay, ${text(formatHours(rel.duration_hours))} duration</text>`,
    );
  }
  const strongest = rel.pearson === null ? "" : `, r = ${formatNumber(rel.pearson, 2)}`;
  const subtitle = `Strongest at an onset delay of ${formatHours(rel.delay_hours)} (duration ${formatHours(rel.duration_hours)}${strongest})`;
  const valued = curve.filter((p) => p.pearson !== null);
  const description =
    `Line chart of the correlation between ${rel.predictor.name} and later ${rel.outcome.name} at ${curve.length} onset delays ` +
    `from ${formatHours(curve[0]?.delay_hours ?? 0)} to ${formatHours(curve.at(-1)?.delay_hours ?? 0)}. ${subtitle}. ` +
    valued.map((p) => `${formatHours(p.delay_hours)}: ${formatNumber(p.pearson ?? 0, 2)}`).join("; ");
  return svgDocument({ id, width, height, title, description }, heading(title, subtitle, width) + parts.join(""));
}
