/**
 * The charts plugin's SVG in a real browser (issue 14: "Charts render in Chromium … and a screenshot of
 * each is kept in docs/"): a page embedding one chart of each kind, drawn from the generated data of
 * plugins/charts/test/fixtures.ts, is opened in Chromium; each chart must be exposed as an image with its
 * title as accessible name, lay out at its declared size, paint something, and the page must pass
 * axe-core's WCAG 2.x A/AA rules. A screenshot of each chart is taken; `UPDATE_CHART_SCREENSHOTS=1`
 * writes them to docs/images/charts-<kind>.png (docs/plugins.md shows them).
 *
 * Needs Chromium (Debian: `apt-get install chromium`; CHROMIUM_PATH overrides the path), like
 * platform.e2e.test.ts; REQUIRE_BROWSER=1 makes a missing browser a failure.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { VISUALIZATION_KINDS } from "@dfda/plugins";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARIMO_BOLD, ARIMO_REGULAR } from "../../plugins/charts/src/fonts.generated";
import { render } from "../../plugins/charts/src/render";
import { sampleRequests } from "../../plugins/charts/test/fixtures";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const browserAvailable = existsSync(CHROMIUM);

describe("charts plugin in a browser", () => {
  it("embeds the fonts it ships (src/fonts.generated.ts is current: scripts/embed-fonts.ts)", () => {
    const font = (name: string) => readFileSync(`${ROOT}plugins/charts/fonts/${name}`).toString("base64");
    // Compared as booleans: a failure must not print a megabyte of base64.
    expect(ARIMO_REGULAR === font("Arimo-Regular.ttf")).toBe(true);
    expect(ARIMO_BOLD === font("Arimo-Bold.ttf")).toBe(true);
  });

  if (!browserAvailable && process.env.REQUIRE_BROWSER === "1") {
    it("has a browser", () => {
      expect.fail(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
    });
  }

  it.runIf(browserAvailable)(
    "renders every kind accessibly, and keeps a screenshot of each",
    async () => {
      const requests = sampleRequests();
      const charts = VISUALIZATION_KINDS.map((kind) => ({ kind, svg: render(requests[kind]).body }));
      const page = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charts</title></head>',
        '<body style="margin:16px;background:#fff"><main><h1>Charts</h1>',
        ...charts.map(({ kind, svg }) => `<figure id="fig-${kind}" style="margin:0 0 16px">${svg}</figure>`),
        "</main></body></html>",
      ].join("");
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"],
      });
      try {
        const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        const errors: string[] = [];
        tab.on("pageerror", (e) => errors.push(e.message));
        tab.on("console", (m) => {
          if (m.type() === "error") errors.push(m.text());
        });
        await tab.setContent(page);
        for (const { kind, svg } of charts) {
          const title = /<title id="[^"]+">([^<]*)<\/title>/.exec(svg)?.[1] ?? "";
          const width = Number(/ width="(\d+)"/.exec(svg)?.[1]);
          const height = Number(/ height="(\d+)"/.exec(svg)?.[1]);
          // Exposed as an image whose accessible name starts with its title (aria-labelledby: title, desc).
          const image = tab.locator(`#fig-${kind}`).getByRole("img", { name: title.replace(/&amp;/g, "&") });
          await expect.poll(() => image.count()).toBe(1);
          const box = await image.boundingBox();
          expect(box, kind).toMatchObject({ width, height });
          const shot = await image.screenshot();
          // Something was painted: a blank chart compresses to a few hundred bytes.
          expect(shot.length, kind).toBeGreaterThan(5000);
          const file = `${ROOT}docs/images/charts-${kind}.png`;
          if (process.env.UPDATE_CHART_SCREENSHOTS === "1") writeFileSync(file, shot);
          expect(existsSync(file), `${file} (run with UPDATE_CHART_SCREENSHOTS=1)`).toBe(true);
        }
        const axe = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
        await tab.addScriptTag({ content: axe });
        const violations = await tab.evaluate(async () => {
          // In the page: axe-core's global, and the page's document (this file is typed for Node, not the DOM).
          const page = globalThis as unknown as {
            axe: { run: (c: unknown, o: unknown) => Promise<unknown> };
            document: unknown;
          };
          const result = (await page.axe.run(page.document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
          })) as { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
          return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target) }));
        });
        expect(violations).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
