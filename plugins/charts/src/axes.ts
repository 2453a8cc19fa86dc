/**
 * Axes and marks shared by the charts: a value axis with its grid, a time axis, and marker shapes.
 * Every axis is drawn with its ticks' numbers and a label naming the quantity and unit (what a reader
 * needs to read a value off the chart without the colour key).
 */
import type { SeriesStyle } from "./palette";
import { linear, type NiceAxis, niceAxis, type TimeTick, timeTicks } from "./scale";
import { formatNumber, GRID, INK, MUTED_INK, num, text } from "./svg";

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A vertical value axis on the box's left edge, with horizontal grid lines across the box. */
export function valueAxisLeft(box: Box, axis: NiceAxis, label: string): { svg: string; y: (v: number) => number } {
  const y = linear(axis.min, axis.max, box.top + box.height, box.top);
  const parts: string[] = [`<g class="axis axis-y" font-size="11">`];
  for (const tick of axis.ticks) {
    const py = y(tick);
    parts.push(
      `<line x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${num(py)}" y2="${num(py)}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${num(box.left - 6)}" y="${num(py + 4)}" text-anchor="end" fill="${MUTED_INK}">${formatNumber(tick, axis.decimals)}</text>`,
    );
  }
  parts.push(
    `<line x1="${num(box.left)}" x2="${num(box.left)}" y1="${num(box.top)}" y2="${num(box.top + box.height)}" stroke="${INK}"/>`,
  );
  const cy = box.top + box.height / 2;
  parts.push(
    `<text class="axis-label" x="${num(box.left - 48)}" y="${num(cy)}" text-anchor="middle" transform="rotate(-90 ${num(box.left - 48)} ${num(cy)})" fill="${INK}">${text(label, Math.max(12, Math.floor(box.height / 6)))}</text>`,
    "</g>",
  );
  return { svg: parts.join(""), y };
}

/** A horizontal value axis on the box's bottom edge, with vertical grid lines. */
export function valueAxisBottom(box: Box, axis: NiceAxis, label: string): { svg: string; x: (v: number) => number } {
  const x = linear(axis.min, axis.max, box.left, box.left + box.width);
  const bottom = box.top + box.height;
  const parts: string[] = [`<g class="axis axis-x" font-size="11">`];
  for (const tick of axis.ticks) {
    const px = x(tick);
    parts.push(
      `<line x1="${num(px)}" x2="${num(px)}" y1="${num(box.top)}" y2="${num(bottom)}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${num(px)}" y="${num(bottom + 16)}" text-anchor="middle" fill="${MUTED_INK}">${formatNumber(tick, axis.decimals)}</text>`,
    );
  }
  parts.push(
    `<line x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${num(bottom)}" y2="${num(bottom)}" stroke="${INK}"/>`,
    `<text class="axis-label" x="${num(box.left + box.width / 2)}" y="${num(bottom + 36)}" text-anchor="middle" fill="${INK}">${text(label, Math.floor(box.width / 6))}</text>`,
    "</g>",
  );
  return { svg: parts.join(""), x };
}

/** A time axis under the box: UTC-aligned ticks (scale.ts) with vertical grid lines. */
export function timeAxisBottom(
  box: Box,
  start: number,
  end: number,
  label: string,
  gridTop = box.top,
): { svg: string; x: (t: number) => number; ticks: TimeTick[] } {
  const x = linear(start, end, box.left, box.left + box.width);
  const bottom = box.top + box.height;
  const ticks = timeTicks(start, end, box.width);
  const parts: string[] = [`<g class="axis axis-time" font-size="11">`];
  for (const tick of ticks) {
    const px = x(tick.t);
    // A label that would run past either end of the axis is anchored at its tick instead of centred on it.
    const half = tick.label.length * 3.2;
    const anchor = px + half > box.left + box.width + 20 ? "end" : px - half < box.left - 40 ? "start" : "middle";
    parts.push(
      `<line x1="${num(px)}" x2="${num(px)}" y1="${num(gridTop)}" y2="${num(bottom)}" stroke="${GRID}" stroke-width="1"/>`,
      `<line x1="${num(px)}" x2="${num(px)}" y1="${num(bottom)}" y2="${num(bottom + 4)}" stroke="${INK}"/>`,
      `<text x="${num(px)}" y="${num(bottom + 16)}" text-anchor="${anchor}" fill="${MUTED_INK}">${text(tick.label)}</text>`,
    );
  }
  parts.push(
    `<line x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${num(bottom)}" y2="${num(bottom)}" stroke="${INK}"/>`,
    `<text class="axis-label" x="${num(box.left + box.width / 2)}" y="${num(bottom + 36)}" text-anchor="middle" fill="${INK}">${text(label)}</text>`,
    "</g>",
  );
  return { svg: parts.join(""), x, ticks };
}

/** A marker of the series' shape centred on (x, y). */
export function marker(style: SeriesStyle, x: number, y: number, size = 3, cls = "point"): string {
  const fill = `fill="${style.colour}" class="${cls}"`;
  switch (style.marker) {
    case "circle":
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(size)}" ${fill}/>`;
    case "square":
      return `<rect x="${num(x - size)}" y="${num(y - size)}" width="${num(2 * size)}" height="${num(2 * size)}" ${fill}/>`;
    case "triangle":
      return `<path d="M${num(x)} ${num(y - size * 1.2)}L${num(x + size * 1.1)} ${num(y + size)}L${num(x - size * 1.1)} ${num(y + size)}Z" ${fill}/>`;
    case "diamond":
      return `<path d="M${num(x)} ${num(y - size * 1.3)}L${num(x + size * 1.3)} ${num(y)}L${num(x)} ${num(y + size * 1.3)}L${num(x - size * 1.3)} ${num(y)}Z" ${fill}/>`;
  }
}

/** A polyline path through runs of points, broken where a point is missing (a gap is not interpolated). */
export function brokenPath(points: readonly ({ x: number; y: number } | null)[]): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p === null) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${num(p.x)} ${num(p.y)}`;
    pen = true;
  }
  return d;
}

export { niceAxis };
