/**
 * What the portal's Chromium tests share: axe-core run in the page, screenshots kept per run and, with
 * UPDATE_PORTAL_SCREENSHOTS=1, written to docs/portal/ (the README and docs/portal.md show them), and a
 * collector of what the page reports (console errors, CSP refusals among them, uncaught exceptions and
 * failed requests).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { ROOT } from "./fixtures";

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
const RUN_SHOTS = join(ROOT, ".data", "portal-screenshots");
const DOC_SHOTS = join(ROOT, "docs", "portal");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core in the page (evaluated over the DevTools protocol, which the page's CSP does not apply to). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const g = globalThis as unknown as {
      axe: { run: (c: unknown, o: unknown) => Promise<unknown> };
      document: unknown;
    };
    const result = (await g.axe.run(g.document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    })) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
}

/** A screenshot of the viewport: kept for this run, and in docs/portal/ when asked to update them. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const shot = await page.screenshot({ fullPage: false });
  // Something was painted: a blank page compresses to a few kilobytes.
  expect(shot.length, name).toBeGreaterThan(8000);
  mkdirSync(RUN_SHOTS, { recursive: true });
  writeFileSync(join(RUN_SHOTS, `${name}.png`), shot);
  if (process.env.UPDATE_PORTAL_SCREENSHOTS === "1") writeFileSync(join(DOC_SHOTS, `${name}.png`), shot);
  expect(existsSync(join(DOC_SHOTS, `${name}.png`)), `docs/portal/${name}.png (UPDATE_PORTAL_SCREENSHOTS=1)`).toBe(
    true,
  );
}

/** Collects what a page reports into `into`: console errors, uncaught exceptions, answers of 400 and above. */
export function collectErrors(page: Page, into: string[], allowStatus: (status: number, url: string) => boolean): void {
  page.on("pageerror", (e) => into.push(e.message));
  page.on("console", (m) => {
    // A failed request is reported below with its URL.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) into.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !allowStatus(r.status(), r.url())) into.push(`${r.status()} ${r.url()}`);
  });
}
