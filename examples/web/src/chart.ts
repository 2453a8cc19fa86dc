/**
 * Draws a {@link ChartModel} into the page's `<svg>` with DOM calls only (no markup strings, no inline
 * styles: the page's Content-Security-Policy allows neither inline script nor inline style; the look
 * comes from style.css through classes). The chart is one image to assistive technology: `role="img"`
 * named by its `<title>` and described by its `<desc>` (WAI-ARIA Graphics Module; SVG 2 §5.9), and the
 * same readings are in the table below it, which is how a screen reader user reads them.
 */
import type { ChartModel } from "./chart-model";

const SVG = "http://www.w3.org/2000/svg";

function element<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface ChartLabels {
  title: string;
  /** A sentence summing the chart up for assistive technology. */
  description: string;
  formatValue: (value: number) => string;
  formatTime: (time: number) => string;
}

export function renderChart(svg: SVGSVGElement, model: ChartModel, labels: ChartLabels): void {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${model.width} ${model.height}`);
  svg.setAttribute("width", String(model.width));
  svg.setAttribute("height", String(model.height));
  svg.append(
    element("title", { id: "chart-title" }, labels.title),
    element("desc", { id: "chart-desc" }, labels.description),
  );
  const { left, right, top, bottom } = model.plot;
  const axes = element("g", { "aria-hidden": "true" });
  for (const tick of model.yTicks) {
    axes.append(
      element("line", { class: "grid", x1: left, x2: right, y1: tick.y, y2: tick.y }),
      element(
        "text",
        { x: left - 8, y: tick.y, "text-anchor": "end", "dominant-baseline": "middle" },
        labels.formatValue(tick.value),
      ),
    );
  }
  axes.append(
    element("line", { class: "axis", x1: left, x2: left, y1: top, y2: bottom }),
    element("line", { class: "axis", x1: left, x2: right, y1: bottom, y2: bottom }),
  );
  model.xTicks.forEach((tick, i) => {
    axes.append(
      element(
        "text",
        { x: tick.x, y: bottom + 22, "text-anchor": i === 0 ? "start" : "end" },
        labels.formatTime(tick.time),
      ),
    );
  });
  svg.append(axes);
  if (model.line !== "") svg.append(element("path", { class: "line", d: model.line }));
  const points = element("g", { class: "points" });
  for (const p of model.points) {
    const circle = element("circle", { class: "point", cx: p.x, cy: p.y, r: 4.5 });
    // A tooltip for pointer users; the table carries the same for everyone else.
    circle.append(element("title", {}, `${labels.formatValue(p.value)} at ${labels.formatTime(p.time)}`));
    points.append(circle);
  }
  svg.append(points);
}
