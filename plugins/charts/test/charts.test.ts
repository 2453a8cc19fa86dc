/**
 * The charts, drawn from generated data (fixtures.ts) and read back with a strict XML parser: each chart
 * is well-formed, accessible (role, title, description, axis labels), draws the marks its data implies,
 * escapes hostile text, and draws "no data" instead of failing. Runs in workerd (vitest project
 * "plugins"), where the plugin runs.
 */
import { AlignedTable, type PairResult, PluginManifest, type RenderRequest } from "@dfda/plugins";
import { describe, expect, it } from "vitest";
import { CHARTS_MANIFEST } from "../src/manifest";
import { BAD, contrast, GOOD, SERIES, viridis } from "../src/palette";
import { ChartRequestError, MAX_SVG_BYTES, render } from "../src/render";
import { niceAxis, timeTicks } from "../src/scale";
import { displayUnit, formatNumber, INK, MUTED_INK, text } from "../src/svg";
import { choosePeriod } from "../src/timeline";
import { dailyYear, hourlyHeartRate, pairResult, predictorSearch, random, table } from "./fixtures";
import { all, allText, byClass, parseXml, type XmlElement } from "./xml";

const request = (kind: RenderRequest["kind"], parts: Partial<RenderRequest>): RenderRequest => ({
  protocol: 1,
  kind,
  input: {},
  table: null,
  analysis: null,
  ...parts,
});

/** Renders and parses; checks what every chart must have (accessible root, title and description). */
function draw(req: RenderRequest): { svg: XmlElement; body: string } {
  const result = render(req);
  expect(result.content_type).toBe("image/svg+xml");
  const svg = parseXml(result.body);
  expect(svg.name).toBe("svg");
  expect(svg.attributes.xmlns).toBe("http://www.w3.org/2000/svg");
  expect(svg.attributes.role).toBe("img");
  const [titleId, descId] = (svg.attributes["aria-labelledby"] ?? "").split(" ");
  const title = svg.children.find((c) => c.name === "title");
  const desc = svg.children.find((c) => c.name === "desc");
  expect(title?.attributes.id).toBe(titleId);
  expect(desc?.attributes.id).toBe(descId);
  expect(title?.text.trim()).not.toBe("");
  expect(desc?.text.trim()).not.toBe("");
  // Ids are unique within the chart (and prefixed per chart, so unique in a page of charts).
  const ids = all(svg).flatMap((e) => (e.attributes.id === undefined ? [] : [e.attributes.id]));
  expect(new Set(ids).size).toBe(ids.length);
  expect(result.body.length).toBeLessThanOrEqual(MAX_SVG_BYTES);
  return { svg, body: result.body };
}

const descOf = (svg: XmlElement) => svg.children.find((c) => c.name === "desc")?.text ?? "";
const axisLabels = (svg: XmlElement) => byClass(svg, "axis-label").map((e) => e.text);

describe("timeline", () => {
  it("draws every value of a short window as a point, one panel per variable with its unit", () => {
    const data = dailyYear(120);
    const { svg } = draw(request("timeline", { table: data, input: { variables: ["mood", "sleep-duration"] } }));
    const groups = byClass(svg, "points");
    expect(groups).toHaveLength(2);
    // Mood is missing on days 5, 42, 79, 116; sleep on days 7, 60, 113.
    const present = (slug: string) => data.columns.find((c) => c.slug === slug)?.values.filter((v) => v !== null);
    expect(groups[0]?.children).toHaveLength(present("mood")?.length ?? -1);
    expect(groups[0]?.children).toHaveLength(116);
    expect(groups[1]?.children).toHaveLength(117);
    // Different marker shapes per series, not colour alone.
    expect(groups[0]?.children[0]?.name).toBe("circle");
    expect(groups[1]?.children[0]?.name).toBe("rect");
    // A gap breaks the line: mood's line is five runs (four missing days inside the window).
    const lines = byClass(svg, "line");
    expect(lines[0]?.attributes.d?.match(/M/g)).toHaveLength(5);
    expect(byClass(svg, "panel-label").map((e) => e.text)).toEqual(["Mood (score)", "Sleep duration (h)"]);
    expect(axisLabels(svg)).toEqual(["score", "h", "Date (UTC)"]);
    expect(byClass(svg, "band")).toHaveLength(0);
    expect(descOf(svg)).toContain("Mood: 116 daily values");
  });

  it("puts month ticks on the first of each month for a four-month window", () => {
    const { svg } = draw(request("timeline", { table: dailyYear(120), input: { variables: ["mood"] } }));
    const time = all(svg).find((e) => e.attributes.class === "axis axis-time");
    const labels = (time?.children ?? []).filter((e) => e.name === "text" && e.attributes.class === undefined);
    expect(labels.map((e) => e.text)).toEqual(["Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025", "May 2025"]);
  });

  it("draws weekly means with min–max bands for two years of daily values", () => {
    const { svg } = draw(request("timeline", { table: dailyYear(730), input: { variables: ["steps"] } }));
    // 2025-01-01 is a Wednesday: days 0–4 are the first ISO week, then whole weeks: 105 weeks in all.
    expect(byClass(svg, "points")[0]?.children).toHaveLength(105);
    const band = byClass(svg, "band")[0];
    expect(band?.attributes.d?.match(/M/g)).toHaveLength(1);
    expect(descOf(svg)).toContain("105 weekly means");
  });

  it("draws daily means of hourly values, with the range of the hours in the description", () => {
    const data = hourlyHeartRate(8);
    const { svg } = draw(request("timeline", { table: data }));
    expect(byClass(svg, "points")[0]?.children).toHaveLength(56);
    const values = (data.columns[0]?.values ?? []).filter((v): v is number => v !== null);
    const lo = values.reduce((a, b) => Math.min(a, b));
    const hi = values.reduce((a, b) => Math.max(a, b));
    expect(descOf(svg)).toContain(`56 daily means, from ${formatNumber(lo)} to ${formatNumber(hi)} /min`);
    expect(descOf(svg)).toContain("daily means of hourly values");
  });

  it("chooses the period: buckets while they fit, else the finest period that fits", () => {
    const hours = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2025, 0, 1) + i * 3_600_000);
    const days = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2025, 0, 1) + i * 86_400_000);
    expect(choosePeriod("hour", hours(200), "auto", 200)).toBe("none");
    expect(choosePeriod("hour", hours(201), "auto", 200)).toBe("day");
    expect(choosePeriod("hour", hours(24 * 400), "auto", 200)).toBe("week");
    expect(choosePeriod("day", days(3650), "auto", 200)).toBe("month");
    expect(choosePeriod("day", days(90), "day", 200)).toBe("none");
    expect(choosePeriod("day", days(90), "month", 200)).toBe("month");
    expect(choosePeriod("day", days(3000), "none", 200)).toBe("none");
    // Past a year of hours, "none" is treated as "auto": the output stays bounded.
    expect(choosePeriod("hour", hours(24 * 400), "none", 200)).toBe("week");
  });

  it("stays small for ten years of hourly values, whatever is asked", () => {
    const rand = random(5);
    const big = table("hour", "2016-01-01T00:00:00Z", 24 * 3653, () => [
      {
        slug: "glucose",
        name: "Glucose",
        category: "metabolic",
        unit: "mg/dL",
        combination: "mean",
        filling: "none",
        is_outcome: false,
        is_input_factor: false,
        values: Array.from({ length: 24 * 3653 }, () => Math.round(80 + rand() * 60)),
      },
    ]);
    const { svg, body } = draw(request("timeline", { table: big, input: { aggregate: "none" } }));
    expect(body.length).toBeLessThan(200_000);
    // 2016-01-01 to 2026-01-01: 120 calendar months.
    expect(byClass(svg, "points")[0]?.children).toHaveLength(120);
    expect(descOf(svg)).toContain("monthly means");
  });

  it("says which requested variables are not in the data, and draws the others", () => {
    const { svg } = draw(request("timeline", { table: dailyYear(30), input: { variables: ["mood", "weight"] } }));
    expect(byClass(svg, "panel-label").map((e) => e.text)).toEqual(["Mood (score)"]);
    expect(allText(svg)).toContain("Not in the data: weight");
  });
});

describe("scatter", () => {
  it("draws one point per pair and the fitted line across the predictor's range", () => {
    const result = pairResult(120);
    const { svg } = draw(request("scatter", { analysis: result }));
    const points = byClass(svg, "point");
    expect(points).toHaveLength(120);
    const fit = byClass(svg, "fit")[0];
    expect(fit?.name).toBe("line");
    const cx = points.map((p) => Number(p.attributes.cx));
    expect(Number(fit?.attributes.x1)).toBeCloseTo(Math.min(...cx), 1);
    expect(Number(fit?.attributes.x2)).toBeCloseTo(Math.max(...cx), 1);
    // The line's ends lie where the fit puts them, in the same pixel scale as the points.
    const [a, b] = [0, 1].map((i) => ({ pair: result.pairs[i] as PairResult["pairs"][number], el: points[i] }));
    if (a === undefined || b === undefined || result.fit === null) throw new Error("fixture");
    const scaleX = (Number(b.el?.attributes.cx) - Number(a.el?.attributes.cx)) / (b.pair.predictor - a.pair.predictor);
    const scaleY = (Number(b.el?.attributes.cy) - Number(a.el?.attributes.cy)) / (b.pair.outcome - a.pair.outcome);
    const xLo = Math.min(...result.pairs.map((p) => p.predictor));
    const predictedY = result.fit.intercept + result.fit.slope * xLo;
    expect(Number(fit?.attributes.y1)).toBeCloseTo(
      Number(a.el?.attributes.cy) + (predictedY - a.pair.outcome) * scaleY,
      0,
    );
    expect(scaleX).toBeGreaterThan(0);
    expect(scaleY).toBeLessThan(0);
    expect(axisLabels(svg)).toEqual(["Mood (score)", "Sleep duration (h), from 3 d to 1 d before"]);
    expect(descOf(svg)).toContain("120 pairs");
    expect(descOf(svg)).toContain(`r = ${formatNumber(result.relationship.pearson ?? 0, 2)}`);
  });

  it("draws an evenly spaced subset of very many pairs, and says so", () => {
    const { svg } = draw(request("scatter", { analysis: pairResult(20_000) }));
    expect(byClass(svg, "point")).toHaveLength(5000);
    expect(descOf(svg)).toContain("20,000 pairs (every 4th drawn)");
  });
});

describe("delay curve", () => {
  it("draws the correlation at each scanned delay and marks the strongest", () => {
    const result = pairResult();
    const { svg } = draw(request("delay-curve", { analysis: result }));
    const markers = byClass(svg, "point");
    // 14 delays scanned, none correlated at 14 days.
    expect(markers).toHaveLength(13);
    const best = byClass(svg, "best")[0];
    const at24 = markers[6];
    expect(Number(best?.attributes.x1)).toBeCloseTo(Number(at24?.attributes.cx), 1);
    expect(allText(svg)).toContain("strongest: 1 d delay, 2 d duration");
    expect(axisLabels(svg)).toEqual(["Pearson correlation (r)", "Onset delay (scanned values, in order)"]);
    // The highest marker (smallest y) is the strongest delay's.
    const ys = markers.map((m) => Number(m.attributes.cy ?? m.attributes.d?.split(" ")[1]));
    expect(ys.indexOf(Math.min(...ys))).toBe(6);
  });
});

describe("outcome label", () => {
  it("lists the top predictors with effect, direction in words, grade and optimal value", () => {
    const { svg } = draw(request("outcome-label", { analysis: predictorSearch() }));
    const rows = byClass(svg, "row");
    expect(rows).toHaveLength(6);
    expect(byClass(svg, "predictor").map((e) => e.text)).toEqual([
      "Magnesium (mg)",
      "Caffeine (mg)",
      "Steps (steps)",
      "Alcohol (g)",
      "Daylight exposure (h)",
      "Screen time after 9 pm (h)",
    ]);
    const effects = byClass(svg, "effect");
    expect(effects.map((e) => e.text)).toEqual([
      "+18.4% better",
      "\u221214.2% worse",
      "+9.7% better",
      "\u221211.3% worse",
      "+6.2% better",
      "\u22123.1% worse",
    ]);
    expect(effects[0]?.attributes.fill).toBe(GOOD);
    expect(effects[1]?.attributes.fill).toBe(BAD);
    expect(allText(svg)).toContain("Grade A · optimal 400 mg (360–440)");
    expect(byClass(svg, "insufficient")[0]?.text).toBe("Not enough data yet: Melatonin, Ashwagandha");
  });

  it("reads better and worse by the outcome's direction (a symptom: lower is better)", () => {
    const search = predictorSearch();
    const symptom = {
      ...search,
      predictors: search.predictors.map((p) => ({ ...p, higher_outcome_is_better: false })),
    };
    const { svg } = draw(request("outcome-label", { analysis: symptom, input: { top: 2 } }));
    expect(byClass(svg, "effect").map((e) => e.text)).toEqual(["+18.4% worse", "\u221214.2% better"]);
  });
});

describe("heatmap", () => {
  const data = hourlyHeartRate(8);
  const meanAt = (weekday: number, hour: number, offsetMs = 0) => {
    const values = data.times.flatMap((t, i) => {
      const d = new Date(Date.parse(t) + offsetMs);
      const v = data.columns[0]?.values[i];
      return (d.getUTCDay() + 6) % 7 === weekday && d.getUTCHours() === hour && v !== null && v !== undefined
        ? [v]
        : [];
    });
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const cellTitle = (svg: XmlElement, index: number) => byClass(svg, "cell")[index]?.children[0]?.text;

  it("draws 7 × 24 cells, each the mean of its hour and weekday, with its value in words", () => {
    const { svg } = draw(request("heatmap", { table: data }));
    expect(byClass(svg, "cell")).toHaveLength(168);
    expect(cellTitle(svg, 8)).toBe(`Monday 08:00: ${formatNumber(meanAt(0, 8), 0)} /min (mean of 8)`);
    expect(cellTitle(svg, 6 * 24 + 23)).toBe(`Sunday 23:00: ${formatNumber(meanAt(6, 23), 0)} /min (mean of 8)`);
    expect(axisLabels(svg)).toEqual(["Hour of day (UTC)"]);
    // Weekday commute hours are the hottest cells.
    expect(descOf(svg)).toMatch(/highest \d+ \/min on (Monday|Tuesday|Wednesday|Thursday|Friday) at (08|18):00/);
  });

  it("places hours in the person's time zone", () => {
    const { svg } = draw(request("heatmap", { table: data, input: { timezone: "Asia/Kolkata" } }));
    // 08:00 UTC is 13:30 in India (UTC+05:30, no daylight saving).
    const offset = 5.5 * 3_600_000;
    expect(cellTitle(svg, 13)).toBe(`Monday 13:00: ${formatNumber(meanAt(0, 13, offset), 0)} /min (mean of 8)`);
    expect(meanAt(0, 13, offset)).toBe(meanAt(0, 8));
    expect(axisLabels(svg)).toEqual(["Hour of day (Asia/Kolkata)"]);
  });

  it("follows daylight saving time within the window", () => {
    const { svg } = draw(request("heatmap", { table: data, input: { timezone: "Europe/Berlin" } }));
    // Central European Summer Time starts on 2025-03-30 at 01:00 UTC: +01:00 before, +02:00 after.
    const dst = Date.UTC(2025, 2, 30, 1);
    const values = data.times.flatMap((t, i) => {
      const ms = Date.parse(t);
      const local = new Date(ms + (ms < dst ? 1 : 2) * 3_600_000);
      const v = data.columns[0]?.values[i];
      return local.getUTCDay() === 1 && local.getUTCHours() === 9 && v !== null && v !== undefined ? [v] : [];
    });
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(values).toHaveLength(8);
    expect(cellTitle(svg, 9)).toBe(`Monday 09:00: ${formatNumber(mean, 0)} /min (mean of 8)`);
  });

  it("says so when the time zone is unknown, and uses UTC", () => {
    const { svg } = draw(request("heatmap", { table: data, input: { timezone: "Mars/Olympus_Mons" } }));
    expect(descOf(svg)).toContain("the time zone Mars/Olympus_Mons is unknown; hours are UTC");
    expect(cellTitle(svg, 8)).toBe(`Monday 08:00: ${formatNumber(meanAt(0, 8), 0)} /min (mean of 8)`);
  });

  it("needs hourly values", () => {
    const { svg } = draw(request("heatmap", { table: dailyYear(30) }));
    expect(allText(svg)).toContain("A heatmap by hour of day needs hourly values");
  });
});

describe("hostile text", () => {
  const evil = `</text><script>alert("x")</script><img src=x onerror=alert(1)> & ]]> \u0001\u0008'`;

  it("is escaped wherever it appears: names, units, slugs, titles", () => {
    const data = AlignedTable.parse({
      ...dailyYear(20),
      columns: dailyYear(20).columns.map((c) => ({ ...c, name: evil, unit: `{${evil}}` })),
    });
    const pair = pairResult(30);
    const hostilePair = {
      ...pair,
      relationship: {
        ...pair.relationship,
        predictor: { slug: "x", name: evil, unit: evil },
        outcome: { slug: "y", name: evil, unit: evil },
      },
    };
    const search = predictorSearch();
    const hostileSearch = {
      ...search,
      outcome: { ...search.outcome, name: evil },
      predictors: search.predictors.map((p) => ({ ...p, predictor: { ...p.predictor, name: evil, unit: evil } })),
    };
    const hourly = hourlyHeartRate(1);
    const hostileHourly = { ...hourly, columns: hourly.columns.map((c) => ({ ...c, name: evil, unit: evil })) };
    const input = { title: evil.slice(0, 200) };
    for (const req of [
      request("timeline", { table: data, input }),
      request("timeline", { table: data }),
      request("scatter", { analysis: hostilePair }),
      request("delay-curve", { analysis: hostilePair }),
      request("outcome-label", { analysis: hostileSearch }),
      request("heatmap", { table: hostileHourly }),
      request("timeline", { table: data, input: { variables: ["mood", "no-such-variable"] } }),
    ]) {
      const { svg, body } = draw(req);
      const names = new Set(all(svg).map((e) => e.name));
      expect(names.has("script")).toBe(false);
      expect(names.has("img")).toBe(false);
      expect(all(svg).some((e) => Object.keys(e.attributes).some((a) => a.startsWith("on")))).toBe(false);
      // The text survives, as text, without the control characters XML forbids.
      expect(allText(svg)).toContain(`</text><script>alert("x")</script>`);
      expect(body.includes("\u0001") || body.includes("\u0008")).toBe(false);
    }
  });

  it("escapes all five XML special characters and truncates long text", () => {
    expect(text(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(text("x".repeat(500), 10)).toBe(`${"x".repeat(9)}…`);
  });
});

describe("no data", () => {
  const empty = table("day", "2025-01-01T00:00:00Z", 10, () => [
    {
      slug: "mood",
      name: "Mood",
      category: "emotions",
      unit: "{score}",
      combination: "mean",
      filling: "none",
      is_outcome: true,
      is_input_factor: false,
      values: Array.from({ length: 10 }, () => null),
    },
  ]);
  const pair = pairResult(10);
  const search = predictorSearch();

  it.each([
    ["timeline without a table", request("timeline", {}), "There are no values in this time window."],
    ["heatmap without a table", request("heatmap", {}), "There are no values in this time window."],
    ["scatter without an analysis", request("scatter", {}), "none was given"],
    ["scatter of a predictor search", request("scatter", { analysis: search }), "none was given"],
    ["scatter without pairs", request("scatter", { analysis: { ...pair, pairs: [] } }), "no aligned pairs"],
    [
      "delay curve without correlations",
      request("delay-curve", {
        analysis: { ...pair, delay_curve: pair.delay_curve.map((p) => ({ ...p, pearson: null })) },
      }),
      "No onset delay had enough pairs",
    ],
    ["outcome label of a pair", request("outcome-label", { analysis: pair }), "none was given"],
    [
      "outcome label without sufficient predictors",
      request("outcome-label", {
        analysis: { ...search, predictors: search.predictors.filter((p) => p.grade === "insufficient") },
      }),
      "None of the 2 predictors of Sleep quality has enough data yet.",
    ],
    ["timeline of unknown variables", request("timeline", { table: empty, input: { variables: ["x"] } }), "x."],
  ])("%s: draws a clear no-data chart", (_, req, reason) => {
    const { svg } = draw(req);
    expect(allText(svg)).toContain("No data to show");
    expect(allText(svg)).toContain(reason);
    expect(descOf(svg)).toContain(reason);
  });

  it("draws an empty panel for a variable without values in the window", () => {
    const { svg } = draw(request("timeline", { table: empty }));
    expect(allText(svg)).toContain("No values in this window");
    expect(descOf(svg)).toContain("Mood: no values in this window.");
    expect(byClass(svg, "point")).toHaveLength(0);
  });

  it("draws 'no data' for a heatmap of a variable that has no values", () => {
    const hourly = hourlyHeartRate(1);
    const blank = { ...hourly, columns: hourly.columns.map((c) => ({ ...c, values: c.values.map(() => null) })) };
    const { svg } = draw(request("heatmap", { table: blank }));
    expect(allText(svg)).toContain("There are no values of Heart rate in this time window.");
  });
});

describe("requests", () => {
  it("throws ChartRequestError for a malformed request or options outside the input schema", () => {
    expect(() => render({ kind: "timeline" })).toThrow(ChartRequestError);
    expect(() => render(request("pie" as RenderRequest["kind"], {}))).toThrow(ChartRequestError);
    for (const input of [{ width: 10 }, { colour: "red" }, { timezone: "../etc" }, { top: 0 }, "big"]) {
      let error: unknown;
      try {
        render(request("timeline", { input }));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ChartRequestError);
      expect((error as ChartRequestError).errors.length).toBeGreaterThan(0);
    }
  });

  it("is deterministic, and two different charts never share an id prefix", () => {
    const a = render(request("scatter", { analysis: pairResult() })).body;
    expect(render(request("scatter", { analysis: pairResult() })).body).toBe(a);
    const b = render(request("scatter", { analysis: pairResult(), input: { width: 700 } })).body;
    const idOf = (body: string) => /<title id="([^"]+)"/.exec(body)?.[1];
    expect(idOf(a)).not.toBe(idOf(b));
  });

  it("honours width and height", () => {
    const { svg } = draw(request("scatter", { analysis: pairResult(), input: { width: 400, height: 300 } }));
    expect([svg.attributes.width, svg.attributes.height, svg.attributes.viewBox]).toEqual([
      "400",
      "300",
      "0 0 400 300",
    ]);
  });
});

describe("manifest", () => {
  it("is a valid visualization manifest that reads no data", () => {
    const manifest = PluginManifest.parse(CHARTS_MANIFEST);
    expect(manifest).toMatchObject({ id: "charts", kind: "visualization", data: { categories: [] } });
    expect(manifest.input_schema).toMatchObject({ type: "object", additionalProperties: false });
    expect(Object.keys(manifest.input_schema.properties as object)).toEqual([
      "title",
      "width",
      "height",
      "variables",
      "variable",
      "aggregate",
      "max_points",
      "timezone",
      "top",
    ]);
    expect(manifest.output_schema).toMatchObject({ required: ["content_type", "body"] });
  });
});

describe("scales and colours", () => {
  it("labels value axes with nice numbers (Heckbert)", () => {
    expect(niceAxis(0, 97).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceAxis(0.12, 0.93).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // Range 36 → nice 50; step nice(50 / 3) = 20; widened to whole steps.
    expect(niceAxis(52, 88, 4)).toMatchObject({ min: 40, max: 100, step: 20, decimals: 0 });
    expect(niceAxis(-3.3, 2.1).ticks).toEqual([-4, -2, 0, 2, 4]);
    const flat = niceAxis(5, 5);
    expect(flat.min).toBeLessThan(5);
    expect(flat.max).toBeGreaterThan(5);
  });

  it("aligns time ticks to UTC hours, days and months", () => {
    const t = (s: string) => Date.parse(s);
    expect(timeTicks(t("2025-03-01T00:00:00Z"), t("2025-03-03T00:00:00Z"), 700).map((k) => k.label)).toEqual([
      "Mar 1 00:00",
      "Mar 1 12:00",
      "Mar 2 00:00",
      "Mar 2 12:00",
      "Mar 3 00:00",
    ]);
    expect(timeTicks(t("2025-01-01T00:00:00Z"), t("2025-01-15T00:00:00Z"), 700).map((k) => k.label)).toEqual([
      "Jan 1",
      "Jan 3",
      "Jan 5",
      "Jan 7",
      "Jan 9",
      "Jan 11",
      "Jan 13",
      "Jan 15",
    ]);
    expect(timeTicks(t("2016-01-01T00:00:00Z"), t("2026-01-01T00:00:00Z"), 700).map((k) => k.label)).toEqual([
      "2016",
      "2018",
      "2020",
      "2022",
      "2024",
      "2026",
    ]);
  });

  it("formats numbers with grouping and a true minus sign", () => {
    expect(formatNumber(12345.678)).toBe("12,346");
    expect(formatNumber(-0.5)).toBe("\u22120.500");
    expect(formatNumber(2.5, 1)).toBe("2.5");
    expect(formatNumber(-0.0001, 1)).toBe("0.0");
    expect(formatNumber(Number.NaN)).toBe("–");
  });

  it("has enough contrast: text 4.5:1, marks 3:1 (WCAG 2.2 1.4.3, 1.4.11)", () => {
    for (const colour of [INK, MUTED_INK, GOOD, BAD]) expect(contrast(colour, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    for (const { colour } of SERIES) expect(contrast(colour, "#ffffff")).toBeGreaterThanOrEqual(3);
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect([viridis(0), viridis(1)]).toEqual(["#440154", "#fde725"]);
  });
});

describe("units for display", () => {
  it("drop UCUM annotations (§6.4), keep a lone annotation's text, and leave an unclosed brace as written", () => {
    expect(displayUnit("1")).toBe("");
    expect(displayUnit("{steps}")).toBe("steps");
    expect(displayUnit("10*3{cells}/uL")).toBe("10*3/uL");
    expect(displayUnit("mg/dL")).toBe("mg/dL");
    expect(displayUnit("{a}{b")).toBe("{b");
    expect(displayUnit(`${"{".repeat(50_000)}x`)).toBe(`${"{".repeat(50_000)}x`);
  });
});
