/**
 * The portal's additions of issue 17 in Chromium against the whole platform (as test/platform/portal.test.ts):
 * a person shares a category with another person named by their e-mail address (the platform looks the
 * verified address up; the grant names their account id) and the grantee reads it; the access log's
 * filters are the route's own (the page asks GET /v1/me/access-log with them, and shows exactly what the
 * API answers under them); axe-core (WCAG 2.x A/AA) finds nothing at desktop and phone sizes.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launch, signInOnPage } from "../../packages/sdk/test/browser";
import * as shared from "./browser";
import { baseUrl, dfda, LOCAL_TENANT, tokenFor } from "./fixtures";

const stamp = Date.now();
const password = `correct horse ${Math.random()}`;
const alice = { email: `more-alice-${stamp}@example.org`, id: "" };
const bob = { email: `more-bob-${stamp}@example.org`, id: "" };
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function person(p: { email: string; id: string }): Promise<void> {
  const created = await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", p.email, "--password", password]);
  p.id = (JSON.parse(created) as { id: string }).id;
}

/** axe-core's violations on the current page, as the other portal tests read them (./browser.ts). */
async function axeViolations(): Promise<{ id: string; nodes: string[] }[]> {
  return (await shared.axeViolations(page)).map(({ id, nodes }) => ({ id, nodes }));
}

async function go(path: string, heading: string): Promise<void> {
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: heading }).click();
  await page.waitForURL(`${baseUrl}${path}`);
  await expect.poll(() => page.getByRole("heading", { level: 1, name: heading }).count()).toBe(1);
  await expect.poll(() => page.locator(".loading").count(), { timeout: 60_000 }).toBe(0);
}

type LogEntry = { outcome: string; action: string; actor: { user_id: string | null } };

async function logAs(email: string, query: string): Promise<LogEntry[]> {
  const { access_token } = await tokenFor(email);
  const response = await fetch(`${baseUrl}/v1/me/access-log?limit=100${query}`, {
    headers: { Authorization: `Bearer ${access_token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: LogEntry[] }).data;
}

describe.runIf(browserAvailable)("the portal's sharing by e-mail and access-log filters, in Chromium", () => {
  beforeAll(async () => {
    await person(alice);
    await person(bob);
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${baseUrl}/app`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/oauth/authorize");
    await signInOnPage(page, alice.email, password, `${baseUrl}/app/callback`);
    await page.waitForURL(`${baseUrl}/app`);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("shares a category with a person named by e-mail; the grant names their account and works", async () => {
    const bobToken = (await tokenFor(bob.email)).access_token;
    const readAsBob = (path: string, init: RequestInit = {}) =>
      fetch(`${baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${bobToken}`, ...init.headers } });
    const before = await readAsBob(`/v1/observations?user_id=${alice.id}`);
    expect(before.status).toBe(403);
    await before.body?.cancel();

    await go("/app/sharing", "Sharing");
    await page.getByLabel("With whom").selectOption("user");
    // Typed the way people type addresses: the lookup ignores letter case.
    await page.getByLabel("Their id or e-mail").fill(bob.email.toUpperCase());
    await page.getByLabel("Physical activity", { exact: true }).check();
    await page.getByRole("button", { name: "Share", exact: true }).click();
    await expect.poll(() => page.locator(".form-message").textContent()).toBe(`Shared with a person ${bob.id}.`);
    const active = page.locator('table[data-status="active"] tbody tr');
    await expect.poll(() => active.count()).toBe(1);
    expect(await active.first().textContent()).toContain(bob.id);

    // Bob reads Alice's values through it, and is refused what it does not open (a write), so the log has both.
    const granted = await readAsBob(`/v1/observations?user_id=${alice.id}`);
    expect(granted.status).toBe(200);
    await granted.body?.cancel();
    const write = await readAsBob(`/v1/ingest/observations?user_id=${alice.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        observations: [
          {
            variable: { system: "http://loinc.org", code: "8867-4" },
            value: 70,
            unit: "/min",
            start_at: "2026-04-01T00:00:00Z",
          },
        ],
      }),
    });
    expect(write.status).toBe(403);
    await write.body?.cancel();

    // An address with no account here is refused in words, and nothing is granted.
    await page.getByLabel("Their id or e-mail").fill(`nobody-${stamp}@example.org`);
    await page.getByLabel("Physical activity", { exact: true }).check();
    await page.getByRole("button", { name: "Share", exact: true }).click();
    await expect
      .poll(() => page.locator(".form-message .error").textContent())
      .toContain("No person in this organisation has this verified e-mail address.");
    expect(await active.count()).toBe(1);
    // That 400 is the one failed request this test expects.
    const expected = `400 ${baseUrl}/v1/consents`;
    expect(pageErrors.filter((e) => e !== expected)).toEqual([]);
    pageErrors.length = 0;
    expect(await axeViolations()).toEqual([]);
  });

  it("filters the access log on the server: the rows are exactly what the API answers under the filters", async () => {
    await go("/app/access-log", "Access log");
    const rows = page.locator("table.access-log tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);

    const denied = page.waitForRequest(
      (r) => r.url().includes("/v1/me/access-log") && r.url().includes("outcome=denied"),
    );
    await page.getByLabel("Outcome").selectOption("denied");
    await denied;
    const deniedByApi = await logAs(alice.email, "&outcome=denied");
    expect(deniedByApi.length).toBeGreaterThan(0);
    await expect.poll(() => rows.count()).toBe(deniedByApi.length);
    expect(await page.locator('table.access-log tbody tr:not([data-outcome="denied"])').count()).toBe(0);

    const byBob = page.waitForRequest((r) => r.url().includes(`actor_user_id=${bob.id}`));
    await page.getByLabel("Who").fill(bob.id);
    await byBob;
    const bobDenied = await logAs(alice.email, `&outcome=denied&actor_user_id=${bob.id}`);
    expect(bobDenied.length).toBeGreaterThan(0);
    expect(bobDenied.every((e) => e.actor.user_id === bob.id && e.outcome === "denied")).toBe(true);
    await expect.poll(() => rows.count()).toBe(bobDenied.length);

    // A kind of actor that matches none of these: an app acting on its own.
    await page.getByLabel("Kind").selectOption("client");
    await expect.poll(() => page.getByText("No entry matches these filters.").count()).toBe(1);

    await page.getByLabel("Kind").selectOption("");
    await page.getByLabel("Outcome").selectOption("success");
    const bobAllowed = await logAs(alice.email, `&outcome=success&actor_user_id=${bob.id}`);
    expect(bobAllowed.length).toBeGreaterThan(0);
    await expect.poll(() => rows.count()).toBe(bobAllowed.length);
    expect(await page.locator('table.access-log tbody tr:not([data-outcome="success"])').count()).toBe(0);
    expect(await axeViolations()).toEqual([]);

    // On a phone: nothing scrolls sideways, and axe still finds nothing.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    expect(await axeViolations()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
