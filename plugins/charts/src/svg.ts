/**
 * The SVG text every chart is made of: escaping, number formatting, and the accessible frame.
 *
 * Charts are strings, built without a DOM (the plugin runs in a Worker, which has none). Safety rests
 * on two rules kept here: every text that comes from data goes through `text()` / `attr()` (XML 1.0
 * §2.4 character data, §3.3.3 attribute values), and every number goes through `num()` (no NaN or
 * exponent notation reaches an attribute).
 *
 * Accessibility follows the SVG Accessibility API Mappings and WAI's "SVG images" guidance: the root
 * has `role="img"` and `aria-labelledby` pointing at its `<title>` and `<desc>`; the description says in
 * words what the chart shows (its data summary), since a screen reader cannot read the marks.
 */

/** The characters XML 1.0 (§2.2 `Char`) allows; others (C0 controls, lone surrogates, U+FFFE/F) are dropped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters XML forbids is the point.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for element content and attribute values (both quote kinds, so either delimiter is safe). */
export function text(value: string, max = 300): string {
  const clean = value.replace(NOT_XML_CHAR, "");
  const cut = clean.length > max ? `${[...clean].slice(0, max - 1).join("")}…` : clean;
  return cut
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A coordinate or length for an attribute: finite, at most two decimals, never exponent notation. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return "0";
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** Groups an integer's digits by thousands with a thin comma ("12,345"), as English-language charts do. */
function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A number for people: `decimals` fixed places (or as many as needed for 3 significant digits), thousands
 * grouped, U+2212 MINUS SIGN for negatives (typographically distinct from a hyphen, and read as "minus").
 */
export function formatNumber(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return "–";
  const places = decimals ?? (value === 0 ? 0 : Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(Math.abs(value))))));
  const fixed = Math.abs(value).toFixed(places);
  const [integer = "0", fraction] = fixed.split(".");
  const body = fraction === undefined ? group(integer) : `${group(integer)}.${fraction}`;
  return value < 0 && Number(fixed) !== 0 ? `\u2212${body}` : body;
}

/** A signed percentage: "+12.5%", "−3.0%". */
export function formatPercent(value: number): string {
  const sign = value > 0 ? "+" : "";
  return `${sign}${formatNumber(value, Math.abs(value) >= 100 ? 0 : 1)}%`;
}

/** A UCUM unit for display: `1` (dimensionless) and `{…}` annotations alone read as nothing or their text. */
export function displayUnit(ucum: string): string {
  if (ucum === "1" || ucum === "") return "";
  const annotation = /^\{(.+)\}$/.exec(ucum);
  return annotation?.[1] ?? withoutAnnotations(ucum);
}

/**
 * The unit with its `{…}` annotations (UCUM §6.4) removed, in one pass: a global replace of `\{[^}]*\}`
 * rescans from every unmatched `{`, quadratic on hostile input (test/node/regex-safety.test.ts).
 */
function withoutAnnotations(ucum: string): string {
  let out = "";
  let i = 0;
  while (i < ucum.length) {
    const open = ucum.indexOf("{", i);
    if (open === -1) return out + ucum.slice(i);
    const close = ucum.indexOf("}", open + 1);
    // An unclosed `{` is kept as written, as the regex left it.
    if (close === -1) return out + ucum.slice(i);
    out += ucum.slice(i, open);
    i = close + 1;
  }
  return out;
}

/** "Heart rate (/min)", or the name alone when the unit is dimensionless. */
export function withUnit(name: string, ucum: string): string {
  const unit = displayUnit(ucum);
  return unit === "" ? name : `${name} (${unit})`;
}

/** A duration in hours as people say it: "0 h", "6 h", "2 d", "1.5 d". */
export function formatHours(hours: number): string {
  if (hours !== 0 && hours % 24 === 0) return `${hours / 24} d`;
  if (hours >= 48) return `${formatNumber(hours / 24, 1)} d`;
  return `${formatNumber(hours, Number.isInteger(hours) ? 0 : 1)} h`;
}

/**
 * A short, stable id prefix for one chart (FNV-1a, 32 bits, of its request): ids inside an SVG must be
 * unique in the page that embeds it, and two charts on one page get different prefixes.
 */
export function idPrefix(kind: string, seed: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `dfda-${kind}-${hash.toString(16).padStart(8, "0")}`;
}

export interface Frame {
  id: string;
  width: number;
  height: number;
  title: string;
  /** What the chart shows, in sentences: the accessible description. */
  description: string;
}

/** Arimo (bundled for the rasterizer, rasterize.ts) first, then faces metric-compatible with it that browsers have. */
export const FONT_FAMILY = "Arimo, 'Liberation Sans', Arial, Helvetica, sans-serif";

/** The text colours: #1a1a1a and #4d4d4d on white are 17.4:1 and 8.5:1 (WCAG 2.2 1.4.3 asks 4.5:1). */
export const INK = "#1a1a1a";
export const MUTED_INK = "#4d4d4d";
export const GRID = "#d9d9d9";

/** Wraps chart content in the accessible root element, with a white background (charts are shown on any page). */
export function svgDocument(frame: Frame, content: string): string {
  const titleId = `${frame.id}-title`;
  const descId = `${frame.id}-desc`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${num(frame.width)}" height="${num(frame.height)}"`,
    ` viewBox="0 0 ${num(frame.width)} ${num(frame.height)}" role="img" aria-labelledby="${titleId} ${descId}"`,
    ` font-family="${FONT_FAMILY}" font-size="12" fill="${INK}">`,
    `<title id="${titleId}">${text(frame.title)}</title>`,
    `<desc id="${descId}">${text(frame.description, 2000)}</desc>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    content,
    "</svg>",
  ].join("");
}

/** The chart's visible heading (the same text as its `<title>`), and an optional subtitle under it. */
export function heading(title: string, subtitle: string | null, width: number): string {
  const main = `<text x="16" y="24" font-size="16" font-weight="bold">${text(title, Math.floor(width / 8))}</text>`;
  if (subtitle === null) return main;
  return `${main}<text x="16" y="42" font-size="12" fill="${MUTED_INK}">${text(subtitle, Math.floor(width / 6))}</text>`;
}

/**
 * The chart drawn when there is nothing (or too little) to draw: the title and, in the middle, why.
 * Rendering never fails on data; a person sees what is missing.
 */
export function noDataChart(frame: Omit<Frame, "description">, reason: string): string {
  const middle = frame.height / 2;
  return svgDocument(
    { ...frame, description: `No data to show. ${reason}` },
    [
      heading(frame.title, null, frame.width),
      `<rect x="16" y="56" width="${num(frame.width - 32)}" height="${num(frame.height - 72)}" fill="none" stroke="${GRID}" stroke-dasharray="4 4"/>`,
      `<text x="${num(frame.width / 2)}" y="${num(middle)}" text-anchor="middle" font-size="16" font-weight="bold">No data to show</text>`,
      `<text x="${num(frame.width / 2)}" y="${num(middle + 22)}" text-anchor="middle" fill="${MUTED_INK}">${text(reason, Math.floor(frame.width / 6))}</text>`,
    ].join(""),
  );
}
