/**
 * The scatter of an N-of-1 pair result: each aligned pair at the best onset delay and duration (the
 * predictor over the window before an outcome, against that outcome), and the least-squares line the
 * analysis fitted, drawn across the range of the predictor values (never extrapolated).
 */
import type { PairResult } from "@dfda/plugins";
import { niceAxis, valueAxisBottom, valueAxisLeft } from "./axes";
import type { ChartInput } from "./manifest";
import { BAD, seriesStyle } from "./palette";
import { formatHours, formatNumber, heading, INK, noDataChart, num, svgDocument, withUnit } from "./svg";

/** At most this many points are drawn (an evenly spaced subset beyond it, said in the description). */
export const MAX_SCATTER_POINTS = 5000;

export function renderScatter(result: PairResult | null, input: ChartInput, id: string): string {
  const width = input.width ?? 640;
  const height = input.height ?? 480;
  if (result === null) {
    return noDataChart(
      { id, width, height, title: input.title ?? "Predictor and outcome" },
      "The scatter draws a predictor–outcome analysis; none was given.",
    );
  }
  const { relationship: rel } = result;
  const title = input.title ?? `${rel.predictor.name} and ${rel.outcome.name}`;
  const pairs = result.pairs.filter((p) => Number.isFinite(p.predictor) && Number.isFinite(p.outcome));
  if (pairs.length === 0) {
    return noDataChart({ id, width, height, title }, "The analysis found no aligned pairs of values.");
  }
  const stride = Math.ceil(pairs.length / MAX_SCATTER_POINTS);
  const shown = stride === 1 ? pairs : pairs.filter((_, i) => i % stride === 0);

  let xLo = Number.POSITIVE_INFINITY;
  let xHi = Number.NEGATIVE_INFINITY;
  let yLo = Number.POSITIVE_INFINITY;
  let yHi = Number.NEGATIVE_INFINITY;
  for (const p of pairs) {
    xLo = Math.min(xLo, p.predictor);
    xHi = Math.max(xHi, p.predictor);
    yLo = Math.min(yLo, p.outcome);
    yHi = Math.max(yHi, p.outcome);
  }
  const fit = result.fit;
  const fitted =
    fit === null || !Number.isFinite(fit.slope) || !Number.isFinite(fit.intercept)
      ? null
      : { x0: xLo, y0: fit.intercept + fit.slope * xLo, x1: xHi, y1: fit.intercept + fit.slope * xHi };
  if (fitted !== null) {
    yLo = Math.min(yLo, fitted.y0, fitted.y1);
    yHi = Math.max(yHi, fitted.y0, fitted.y1);
  }
  const box = { left: 84, top: 60, width: width - 84 - 24, height: height - 60 - 60 };
  const xAxis = niceAxis(xLo, xHi, Math.max(3, Math.floor(box.width / 90)));
  const yAxis = niceAxis(yLo, yHi, Math.max(3, Math.floor(box.height / 50)));
  // The predictor's window before each outcome: [t − delay − duration, t − delay) (the N-of-1 alignment).
  const span =
    rel.delay_hours === 0
      ? `in the ${formatHours(rel.duration_hours)} before`
      : `from ${formatHours(rel.delay_hours + rel.duration_hours)} to ${formatHours(rel.delay_hours)} before`;
  const window = `${rel.predictor.name} ${span}`;
  const xLabel = `${withUnit(rel.predictor.name, rel.predictor.unit)}, ${span}`;
  const bottom = valueAxisBottom(box, xAxis, xLabel);
  const left = valueAxisLeft(box, yAxis, withUnit(rel.outcome.name, rel.outcome.unit));
  const style = seriesStyle(0);
  const stats = [
    rel.pearson === null ? null : `r = ${formatNumber(rel.pearson, 2)}`,
    rel.spearman === null ? null : `ρ = ${formatNumber(rel.spearman, 2)}`,
    `n = ${formatNumber(rel.n_pairs, 0)}`,
    rel.p_value === null ? null : `p ${rel.p_value < 0.001 ? "< 0.001" : `= ${formatNumber(rel.p_value, 3)}`}`,
    `onset delay ${formatHours(rel.delay_hours)}, duration ${formatHours(rel.duration_hours)}`,
  ].filter((s): s is string => s !== null);
  const parts = [
    heading(title, stats.join(" · "), width),
    left.svg,
    bottom.svg,
    `<g class="points" fill-opacity="0.55" stroke="${style.colour}" stroke-width="0.6">`,
    ...shown.map(
      (p) =>
        `<circle class="point" cx="${num(bottom.x(p.predictor))}" cy="${num(left.y(p.outcome))}" r="3" fill="${style.colour}"/>`,
    ),
    "</g>",
  ];
  if (fitted !== null) {
    parts.push(
      `<line class="fit" x1="${num(bottom.x(fitted.x0))}" y1="${num(left.y(fitted.y0))}" x2="${num(bottom.x(fitted.x1))}" y2="${num(left.y(fitted.y1))}" stroke="${BAD}" stroke-width="2.5" stroke-dasharray="8 4"/>`,
      `<text x="${num(box.left + box.width - 4)}" y="${num(box.top + 14)}" text-anchor="end" fill="${INK}" font-size="11">dashed line: least-squares fit</text>`,
    );
  }
  const fitSentence =
    fit === null || fitted === null
      ? "No line was fitted."
      : `The fitted line is ${rel.outcome.name} = ${formatNumber(fit.intercept)} ${fit.slope < 0 ? "−" : "+"} ${formatNumber(Math.abs(fit.slope))} × ${rel.predictor.name}.`;
  const description =
    `Scatter plot of ${rel.outcome.name} against ${window}: ${formatNumber(pairs.length, 0)} pairs` +
    `${stride > 1 ? ` (every ${stride}th drawn)` : ""}, ${stats.join(", ")}. ${fitSentence}`;
  return svgDocument({ id, width, height, title, description }, parts.join(""));
}
