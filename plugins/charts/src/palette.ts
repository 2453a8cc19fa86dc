/**
 * Colours, chosen for contrast and for colour-vision deficiencies.
 *
 * Series colours are the Okabe–Ito palette (M. Okabe and K. Ito, "Color Universal Design", 2008),
 * darkened where a hue had less than 3:1 contrast with the white background, the minimum WCAG 2.2
 * success criterion 1.4.11 (non-text contrast) asks of graphical objects. Colour is never the only
 * code: every series also has its own marker shape and its own label (1.4.1, use of colour).
 * The heatmap uses viridis (S. van der Walt and N. Smith, 2015), perceptually uniform and readable in
 * greyscale and by people with the common colour-vision deficiencies; each cell also prints its value.
 */

export interface SeriesStyle {
  colour: string;
  marker: "circle" | "square" | "triangle" | "diamond";
  dash: string | null;
}

export const SERIES: readonly SeriesStyle[] = [
  { colour: "#0072b2", marker: "circle", dash: null },
  { colour: "#c24f00", marker: "square", dash: "6 3" },
  { colour: "#007a5a", marker: "triangle", dash: "2 2" },
  { colour: "#a4407c", marker: "diamond", dash: "8 3 2 3" },
];

export function seriesStyle(index: number): SeriesStyle {
  return SERIES[index % SERIES.length] as SeriesStyle;
}

/** Good news and bad news in the outcome label (always with a word beside them: "better", "worse"). */
export const GOOD = "#006b3c";
export const BAD = "#b00020";

function channel(hex: string, offset: number): number {
  const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
  // sRGB to linear light (WCAG 2.2, "relative luminance").
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2.2 relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** WCAG 2.2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Viridis at nine evenly spaced stops (matplotlib's `_viridis_data`), interpolated linearly between them. */
const VIRIDIS = [
  "#440154",
  "#472d7b",
  "#3b528b",
  "#2c728e",
  "#21918c",
  "#28ae80",
  "#5ec962",
  "#addc30",
  "#fde725",
] as const;

const hex2 = (v: number) =>
  Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, "0");

/** The viridis colour at `t` in [0, 1]. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i] as string;
  const b = VIRIDIS[i + 1] as string;
  const mix = (offset: number) =>
    hex2(
      Number.parseInt(a.slice(offset, offset + 2), 16) * (1 - f) + Number.parseInt(b.slice(offset, offset + 2), 16) * f,
    );
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}

/** Black or white, whichever contrasts more with `background` (for text printed on a coloured cell). */
export function inkOn(background: string): string {
  return contrast(background, "#000000") >= contrast(background, "#ffffff") ? "#000000" : "#ffffff";
}
