/**
 * Dashboard: what is stored (counts by category and by source, the date range), the most recent values,
 * and a chart of one chosen variable over time, zoomable by range. The chart is the charts plugin's SVG
 * through GET /v1/visualizations/timeline (docs/plugins.md), shown as an image from a blob: URL, so no
 * markup from the network is ever inserted into the page.
 */
import type { components } from "@dfda/sdk";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { client } from "../session";
import { count, day, empty, errorBox, label, loading, scroller, when } from "../ui";

type Stats = components["schemas"]["MyStats"];
type StatVariable = Stats["variables"][number];
type Observation = components["schemas"]["Observation"];

const DAY = 86_400_000;
/** The longest window the timeline route draws (MAX_DAYS in v1_visualizations_get.ts), less a day. */
const MAX_WINDOW = 3659 * DAY;
const PRESETS: ReadonlyArray<[string, number]> = [
  ["7 days", 7],
  ["30 days", 30],
  ["90 days", 90],
  ["1 year", 365],
];

export const dashboard: Page = { path: "/app", title: "Dashboard", render };

async function render(main: HTMLElement): Promise<void> {
  main.append(h("h1", { tabindex: -1 }, "Dashboard"));
  const status = loading("your data");
  main.append(status);
  const [stats, recent] = await Promise.all([
    client.unwrap(client.api.GET("/v1/me/stats")),
    client.unwrap(client.api.GET("/v1/observations", { params: { query: { limit: 10 } } })),
  ]);
  status.remove();
  if (stats.total === 0) {
    main.append(
      empty(
        h("h2", null, "Nothing stored yet"),
        h(
          "p",
          null,
          "Your data appears here once it arrives. ",
          h("a", { href: "/app/upload" }, "Upload a file"),
          " (FHIR, CSV, Apple Health, HL7 v2 and more) to begin.",
        ),
      ),
    );
    return;
  }
  main.append(overview(stats), chartSection(stats), recentSection(recent.data));
}

function overview(stats: Stats): HTMLElement {
  const first = stats.variables.reduce((a, v) => (a === "" || v.first < a ? v.first : a), "");
  const last = stats.variables.reduce((a, v) => (v.last > a ? v.last : a), "");
  const byCategory = new Map<string, number>();
  for (const v of stats.variables)
    byCategory.set(v.variable.category, (byCategory.get(v.variable.category) ?? 0) + v.count);
  const categories = [...byCategory].sort((a, b) => b[1] - a[1]);
  return h(
    "section",
    { "aria-labelledby": "overview-title", class: "overview" },
    h("h2", { id: "overview-title" }, "What is stored"),
    h(
      "dl",
      { class: "figures" },
      h("div", null, h("dt", null, "Values"), h("dd", null, count(stats.total))),
      h("div", null, h("dt", null, "Variables"), h("dd", null, count(stats.variables.length))),
      h("div", null, h("dt", null, "Sources"), h("dd", null, count(stats.sources.length))),
      h("div", null, h("dt", null, "From"), h("dd", null, day(first))),
      h("div", null, h("dt", null, "To"), h("dd", null, day(last))),
    ),
    h(
      "div",
      { class: "columns" },
      table(
        "By category",
        ["Category", "Values"],
        categories.map(([c, n]) => [label(c), count(n)]),
      ),
      table(
        "By source",
        ["Source", "Values", "From", "To"],
        stats.sources.map((s) => [s.name, count(s.count), day(s.first), day(s.last)]),
      ),
    ),
  );
}

function table(caption: string, headers: string[], rows: string[][]): HTMLElement {
  return scroller(
    caption,
    h(
      "table",
      null,
      h("caption", null, caption),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          headers.map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((r) =>
          h(
            "tr",
            null,
            r.map((cell, i) => (i === 0 ? h("th", { scope: "row" }, cell) : h("td", null, cell))),
          ),
        ),
      ),
    ),
  );
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function chartSection(stats: Stats): HTMLElement {
  const numeric = stats.variables.filter((v) => v.mean !== null).sort((a, b) => b.count - a.count);
  const section = h(
    "section",
    { "aria-labelledby": "chart-title", class: "chart" },
    h("h2", { id: "chart-title" }, "Over time"),
  );
  const first = numeric[0];
  if (!first) {
    section.append(empty(h("p", null, "None of your variables has numbers to draw yet.")));
    return section;
  }
  let chosen: StatVariable = first;
  let from = 0;
  let to = 0;
  // The window ends with the variable's last value, so older data is not an empty chart: all of it when
  // it spans a year or less, else its last 90 days.
  const initialWindow = () => {
    to = Date.parse(chosen.last) + DAY;
    const start = Date.parse(chosen.first);
    from = to - start <= 366 * DAY ? start : to - 90 * DAY;
  };
  initialWindow();
  let objectUrl: string | null = null;

  const select = h(
    "select",
    { id: "chart-variable" },
    numeric.map((v) => h("option", { value: v.variable.slug }, `${v.variable.name}${v.unit ? ` (${v.unit})` : ""}`)),
  );
  const fromInput = h("input", { type: "date", id: "chart-from" });
  const toInput = h("input", { type: "date", id: "chart-to" });
  const figure = h("figure", { class: "chart-figure" });
  const announce = h("p", { class: "visually-hidden", "aria-live": "polite" });

  const draw = async () => {
    from = Math.max(from, to - MAX_WINDOW);
    fromInput.value = isoDate(from);
    toInput.value = isoDate(to - DAY);
    const range = `${day(new Date(from).toISOString())} to ${day(new Date(to - DAY).toISOString())}`;
    replace(figure, loading("the chart"));
    try {
      const blob = await client.unwrap(
        client.api.GET("/v1/visualizations/{kind}", {
          params: {
            path: { kind: "timeline" },
            query: {
              variables: chosen.variable.slug,
              from: new Date(from).toISOString(),
              to: new Date(to).toISOString(),
              width: Math.max(320, Math.min(1200, Math.floor(figure.clientWidth || 800))),
              height: 320,
            },
          },
          parseAs: "blob",
        }),
      );
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(new Blob([blob], { type: "image/svg+xml" }));
      const caption = `${chosen.variable.name}, ${range}`;
      replace(figure, h("img", { src: objectUrl, alt: `Chart of ${caption}` }), h("figcaption", null, caption));
      announce.textContent = `Chart shows ${caption}.`;
    } catch (error) {
      replace(figure, errorBox(error));
    }
  };
  const zoom = (factor: number) => {
    const middle = (from + to) / 2;
    const half = Math.max(DAY, ((to - from) * factor) / 2);
    from = Math.round(middle - half);
    to = Math.round(middle + half);
    void draw();
  };

  select.addEventListener("change", () => {
    const found = numeric.find((v) => v.variable.slug === select.value);
    if (!found) return;
    chosen = found;
    initialWindow();
    void draw();
  });

  section.append(
    h(
      "div",
      { class: "controls" },
      h("div", { class: "field" }, h("label", { for: "chart-variable" }, "Variable"), select),
      h(
        "div",
        { class: "field range", role: "group", "aria-label": "Range" },
        PRESETS.map(([name, days]) =>
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              onclick: () => {
                to = Date.parse(chosen.last) + DAY;
                from = to - days * DAY;
                void draw();
              },
            },
            name,
          ),
        ),
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            onclick: () => {
              from = Date.parse(chosen.first);
              to = Date.parse(chosen.last) + DAY;
              void draw();
            },
          },
          "All",
        ),
        h("button", { type: "button", class: "secondary", onclick: () => zoom(0.5) }, "Zoom in"),
        h("button", { type: "button", class: "secondary", onclick: () => zoom(2) }, "Zoom out"),
      ),
      h(
        "form",
        {
          class: "field dates",
          onsubmit: (event: Event) => {
            event.preventDefault();
            const f = Date.parse(fromInput.value);
            const t = Date.parse(toInput.value);
            if (Number.isNaN(f) || Number.isNaN(t) || t < f) {
              replace(figure, errorBox(new Error("Choose a start date on or before the end date.")));
              return;
            }
            from = f;
            to = t + DAY;
            void draw();
          },
        },
        h("label", { for: "chart-from" }, "From"),
        fromInput,
        h("label", { for: "chart-to" }, "To"),
        toInput,
        h("button", { type: "submit" }, "Show"),
      ),
    ),
    figure,
    announce,
  );
  // Drawn once the section is in the page (its width decides the chart's).
  queueMicrotask(() => void draw());
  return section;
}

function shownValue(o: Observation): string {
  if (o.value !== null) return `${o.comparator ?? ""}${o.value.toLocaleString()}${o.unit ? ` ${o.unit}` : ""}`;
  if (o.value_text !== null) return o.value_text;
  if (o.value_code !== null) return o.value_code;
  if (o.value_boolean !== null) return o.value_boolean ? "yes" : "no";
  return "—";
}

function recentSection(recent: Observation[]): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "recent-title" },
    h("h2", { id: "recent-title" }, "Recent values"),
    scroller(
      "Recent values",
      h(
        "table",
        null,
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["When", "Variable", "Value", "Source"].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          null,
          recent.map((o) =>
            h(
              "tr",
              null,
              h("td", null, when(o.start_at)),
              h("th", { scope: "row" }, o.variable.name),
              h("td", null, shownValue(o), o.flags.valid ? "" : " (outside the valid range)"),
              h("td", null, o.source),
            ),
          ),
        ),
      ),
    ),
  );
}
