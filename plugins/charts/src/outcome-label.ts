/**
 * The outcome label: a card in the manner of the US "Nutrition Facts" label (21 CFR 101.9: a boxed
 * panel, a bold heading, heavy rules between sections, one line per item with its amount at the right),
 * listing the predictors that most affect one outcome in a predictor search, best score first:
 * the effect (the outcome's percent change from low- to high-predictor periods, with the word
 * "better" or "worse", never colour alone), the grade, and the predictor value that predicted the best
 * outcome with its confidence interval. Predictors without enough data are named at the bottom.
 */
import type { PredictorSearchResult, Relationship } from "@dfda/plugins";
import type { ChartInput } from "./manifest";
import { BAD, GOOD } from "./palette";
import { formatDate } from "./scale";
import {
  displayUnit,
  formatHours,
  formatNumber,
  formatPercent,
  INK,
  MUTED_INK,
  noDataChart,
  num,
  svgDocument,
  text,
  withUnit,
} from "./svg";

const ROW = 44;

/** "better" / "worse" / "no change" for a relationship's effect, by the outcome's direction of good. */
function verdict(rel: Relationship): { word: string; colour: string; sentence: string } | null {
  const change = rel.effect.percent_change;
  if (change === null || !Number.isFinite(change)) return null;
  if (Math.abs(change) < 0.05) return { word: "no change", colour: INK, sentence: "no change" };
  const better = change > 0 === rel.higher_outcome_is_better;
  const word = better ? "better" : "worse";
  return { word, colour: better ? GOOD : BAD, sentence: `${formatPercent(change)} (${word})` };
}

function estimate(value: Relationship["optimal_value"], unit: string): string {
  if (value === null) return "–";
  const u = displayUnit(unit);
  const suffix = u === "" ? "" : ` ${u}`;
  return `${formatNumber(value.value)}${suffix} (${formatNumber(value.ci_low)}–${formatNumber(value.ci_high)})`;
}

export function renderOutcomeLabel(result: PredictorSearchResult | null, input: ChartInput, id: string): string {
  const width = input.width ?? 480;
  const title = input.title ?? "Outcome label";
  if (result === null) {
    return noDataChart(
      { id, width, height: input.height ?? 300, title },
      "The outcome label draws a predictor search; none was given.",
    );
  }
  const sufficient = result.predictors.filter((p) => p.grade !== "insufficient" && p.sufficiency.sufficient);
  const insufficient = result.predictors.filter((p) => !(p.grade !== "insufficient" && p.sufficiency.sufficient));
  const rows = sufficient.slice(0, input.top ?? 10);
  if (rows.length === 0) {
    return noDataChart(
      { id, width, height: input.height ?? 300, title },
      result.predictors.length === 0
        ? `No predictors of ${result.outcome.name} were analysed.`
        : `None of the ${result.predictors.length} predictors of ${result.outcome.name} has enough data yet.`,
    );
  }
  const pad = 14;
  const inner = width - 2 * pad;
  const chars = (px: number, size: number) => Math.max(8, Math.floor(px / (size * 0.55)));
  const window = `${formatDate(Date.parse(result.window.start))} to ${formatDate(Date.parse(result.window.end) - 1)}`;
  const parts: string[] = [];
  let y = pad + 28;
  parts.push(
    `<text x="${pad}" y="${num(y)}" font-size="28" font-weight="bold">${text(title, chars(inner, 28))}</text>`,
  );
  y += 24;
  parts.push(
    `<text class="outcome" x="${pad}" y="${num(y)}" font-size="16" font-weight="bold">${text(withUnit(result.outcome.name, result.outcome.unit), chars(inner, 16))}</text>`,
  );
  y += 18;
  parts.push(
    `<text x="${pad}" y="${num(y)}" font-size="11" fill="${MUTED_INK}">${text(`${result.predictors.length} predictors analysed, ${window}`, chars(inner, 11))}</text>`,
  );
  y += 8;
  parts.push(`<rect x="${pad}" y="${num(y)}" width="${num(inner)}" height="8" fill="${INK}"/>`);
  y += 8 + 16;
  parts.push(
    `<text x="${pad}" y="${num(y)}" font-size="11" font-weight="bold">Predictor</text>`,
    `<text x="${num(width - pad)}" y="${num(y)}" font-size="11" font-weight="bold" text-anchor="end">Effect on ${text(result.outcome.name, chars(inner / 2, 11))}</text>`,
  );
  y += 6;
  parts.push(`<rect x="${pad}" y="${num(y)}" width="${num(inner)}" height="1" fill="${INK}"/>`);
  const sentences: string[] = [];
  for (const rel of rows) {
    const v = verdict(rel);
    const top = y;
    const name = withUnit(rel.predictor.name, rel.predictor.unit);
    parts.push(
      `<g class="row">`,
      `<text class="predictor" x="${pad}" y="${num(top + 18)}" font-size="13" font-weight="bold">${text(name, chars(inner * 0.6, 13))}</text>`,
      `<text class="effect" x="${num(width - pad)}" y="${num(top + 18)}" font-size="13" font-weight="bold" text-anchor="end" fill="${v?.colour ?? INK}">${text(v === null ? "–" : `${formatPercent(rel.effect.percent_change ?? 0)} ${v.word}`)}</text>`,
      `<text x="${pad}" y="${num(top + 34)}" font-size="11" fill="${MUTED_INK}">${text(
        `Grade ${rel.grade} · optimal ${estimate(rel.optimal_value, rel.predictor.unit)} · after ${formatHours(rel.delay_hours)}, over ${formatHours(rel.duration_hours)}`,
        chars(inner, 11),
      )}</text>`,
      `<rect x="${pad}" y="${num(top + ROW - 1)}" width="${num(inner)}" height="1" fill="${MUTED_INK}"/>`,
      "</g>",
    );
    sentences.push(
      `${rel.predictor.name}: ${v === null ? "effect unknown" : v.sentence}, grade ${rel.grade}, ` +
        `optimal value ${estimate(rel.optimal_value, rel.predictor.unit)}.`,
    );
    y += ROW;
  }
  parts.push(`<rect x="${pad}" y="${num(y)}" width="${num(inner)}" height="5" fill="${INK}"/>`);
  y += 5;
  if (insufficient.length > 0) {
    const names = insufficient.slice(0, 6).map((p) => p.predictor.name);
    const more = insufficient.length > names.length ? ` and ${insufficient.length - names.length} more` : "";
    const line = `Not enough data yet: ${names.join(", ")}${more}`;
    y += 16;
    parts.push(
      `<text class="insufficient" x="${pad}" y="${num(y)}" font-size="11">${text(line, chars(inner, 11))}</text>`,
    );
    sentences.push(`${line}.`);
  }
  const footer = [
    `Effect: change in ${result.outcome.name} from low- to high-predictor periods.`,
    "Optimal: the predictor value that predicted the best outcome (95% interval).",
    "Associations in your own data, not proof of cause.",
  ];
  for (const line of footer) {
    y += 15;
    parts.push(
      `<text x="${pad}" y="${num(y)}" font-size="10" fill="${MUTED_INK}">${text(line, chars(inner, 10))}</text>`,
    );
  }
  const height = Math.max(input.height ?? 0, y + pad);
  const frame = `<rect class="card" x="4" y="4" width="${num(width - 8)}" height="${num(height - 8)}" fill="none" stroke="${INK}" stroke-width="2"/>`;
  const description =
    `Outcome label for ${result.outcome.name}: the top ${rows.length} of ${result.predictors.length} predictors, ${window}. ` +
    sentences.join(" ");
  return svgDocument({ id, width, height, title, description }, frame + parts.join(""));
}
