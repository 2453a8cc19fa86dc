/**
 * The owner's portal at /app (issue 17), driven in Chromium (playwright-core with Debian's chromium, as the
 * SDK's browser test) against the whole platform: a person made by the operator signs in on the platform's
 * own sign-in page as the first-party public client `dfda-portal` (PKCE), sees the empty dashboard, uploads
 * corpus files with the file chooser and by drag and drop and watches them map, reads the dashboard's
 * counts, recent values and chart and zooms it, downloads an original, maps it again and deletes it behind
 * the irreversible-action confirmation; each step checked through the API too. Every page passes axe-core
 * (WCAG 2.x A/AA, no violations) at desktop (1280x800) and phone (390x844) sizes under the page's strict
 * CSP (no violation reported), and a screenshot of each is saved: to .data/portal-screenshots/ on every
 * run, and to docs/portal/ (the README shows them) with UPDATE_PORTAL_SCREENSHOTS=1.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusBytes, corpusPath } from "../../packages/mappers/test/corpus";
import { browserAvailable, CHROMIUM, launch, signInOnPage } from "../../packages/sdk/test/browser";
import * as shared from "./browser";
import { DESKTOP, PHONE } from "./browser";
import { baseUrl, dfda, LOCAL_TENANT, publicClient, tokenFor } from "./fixtures";

const APPLE_HEALTH = "04-wearables/apple-health/export6s3sample.xml";
const FITBIT_STEPS = "04-wearables/shimmer-vendor-api/fitbit/fitbit-activities-steps-timeseries.json";

let browser: Browser;
let aliceId: string;
/** The person Alice shares with (the sharing test makes them). */
let bobId: string;
let context: BrowserContext;
let page: Page;
const email = `portal-${Date.now()}@example.org`;
const password = `correct horse ${Math.random()}`;
/** What the page reported: console errors (CSP refusals among them), uncaught exceptions, failed requests. */
const pageErrors: string[] = [];

async function apiAs(path: string, init: RequestInit = {}): Promise<Response> {
  const { access_token } = await tokenFor(email);
  return fetch(`${baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${access_token}` } });
}

const axeViolations = () => shared.axeViolations(page);
const screenshot = (name: string) => shared.screenshot(page, name);

async function go(path: string, heading: string): Promise<void> {
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: heading }).click();
  await page.waitForURL(`${baseUrl}${path}`);
  await expect.poll(() => page.getByRole("heading", { level: 1, name: heading }).count()).toBe(1);
}

/** Whether an <img> has loaded and decoded to a picture (its natural width is 0 until then, or when broken). */
function painted(image: Locator): Promise<boolean> {
  return image.evaluate((img) => {
    const i = img as unknown as { complete: boolean; naturalWidth: number };
    return i.complete && i.naturalWidth > 0;
  });
}

async function noLoading(): Promise<void> {
  await expect.poll(() => page.locator(".loading").count(), { timeout: 60_000 }).toBe(0);
}

if (!browserAvailable && process.env.REQUIRE_BROWSER === "1") {
  it("has a browser", () => {
    expect.fail(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  });
}

describe.runIf(browserAvailable)("the portal at /app, in Chromium", () => {
  beforeAll(async () => {
    const created = await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", email, "--password", password]);
    aliceId = (JSON.parse(created) as { id: string }).id;
    browser = await launch();
    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      // A failed request is reported below with its URL.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs in on the platform's own sign-in page (dfda-portal, PKCE) and shows the empty dashboard", async () => {
    await page.goto(`${baseUrl}/app`);
    await expect.poll(() => page.getByRole("button", { name: "Sign in" }).count()).toBe(1);
    expect(await axeViolations()).toEqual([]);
    await screenshot("welcome-desktop");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/oauth/authorize");
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get("client_id")).toBe("dfda-portal");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${baseUrl}/app/callback`);
    // First-party: no consent page; the code comes back to /app/callback and is redeemed there.
    await signInOnPage(page, email, password, `${baseUrl}/app/callback`);
    await page.waitForURL(`${baseUrl}/app`);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Dashboard" }).count()).toBe(1);
    await expect.poll(() => page.getByRole("heading", { name: "Nothing stored yet" }).count()).toBe(1);
    await expect.poll(() => page.locator(".who").textContent()).toBe(email);
    // The code is gone from the address, and the tokens are in this tab's sessionStorage only.
    expect(new URL(page.url()).search).toBe("");
    expect(await page.evaluate("Object.keys(localStorage).length")).toBe(0);
    expect(await page.evaluate("sessionStorage.getItem('dfda.portal.tokens') !== null")).toBe(true);
    expect(await axeViolations()).toEqual([]);
  });

  it("uploads several files by chooser and by drag and drop, with progress, mapping and issues in words", async () => {
    await go("/app/upload", "Upload");
    await noLoading();
    await expect.poll(() => page.getByText("No files yet.").count()).toBe(1);
    // Two files at once with the chooser (the hidden input behind "Choose files").
    await page.locator("#upload-input").setInputFiles([corpusPath(APPLE_HEALTH), corpusPath(FITBIT_STEPS)]);
    // A third dropped on the zone: an image, which no mapper reads.
    const dropped = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
      dt.items.add(new File([png], "scan.png", { type: "image/png" }));
      return dt;
    })()`);
    await page.dispatchEvent(".dropzone", "drop", { dataTransfer: dropped });
    const uploads = page.locator(".uploads > li");
    await expect.poll(() => uploads.count()).toBe(3);
    await expect
      .poll(
        () =>
          page
            .locator('.uploads > li[data-status="completed"], .uploads > li[data-status="completed_with_issues"]')
            .count(),
        {
          timeout: 90_000,
        },
      )
      .toBe(2);
    await expect
      .poll(() => page.locator('.uploads > li[data-status="unsupported_format"]').count(), { timeout: 90_000 })
      .toBe(1);
    const apple = uploads.filter({ hasText: "export6s3sample.xml" });
    await expect.poll(() => apple.locator(".line").textContent()).toMatch(/^Mapped(, with issues)?: \d+ stored/);
    const scan = uploads.filter({ hasText: "scan.png" });
    expect(await scan.locator(".line").textContent()).toMatch(/^Not a format the platform reads/);
    // The job's issue, in the words the mapper wrote it.
    await scan.locator(".issues summary").click();
    expect(await scan.locator(".issues li").first().textContent()).toMatch(/^Warning: No mapper understands this file/);
    // The list below shows all three, and the API agrees with the page.
    await expect.poll(() => page.locator("table.files tbody tr").count()).toBe(3);
    const listed = (await (await apiAs("/v1/files?limit=10")).json()) as { data: { name: string; status: string }[] };
    expect(listed.data.map((f) => f.name).sort()).toEqual([
      "export6s3sample.xml",
      "fitbit-activities-steps-timeseries.json",
      "scan.png",
    ]);
    const stats = (await (await apiAs("/v1/me/stats")).json()) as { total: number };
    expect(stats.total).toBeGreaterThan(0);
    expect(await axeViolations()).toEqual([]);
    await screenshot("upload-desktop");
  });

  it("shows counts by category and source, the date range, recent values and a chart zoomable by range", async () => {
    await go("/app", "Dashboard");
    await noLoading();
    const stats = (await (await apiAs("/v1/me/stats")).json()) as {
      total: number;
      sources: { name: string }[];
    };
    const figures = page.locator(".figures");
    await expect.poll(() => figures.locator("dd").first().textContent()).toBe(stats.total.toLocaleString("en-US"));
    for (const source of stats.sources) {
      expect(await page.getByRole("table", { name: "By source" }).getByText(source.name, { exact: true }).count()).toBe(
        1,
      );
    }
    expect(await page.getByRole("table", { name: "By category" }).locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator('section[aria-labelledby="recent-title"] tbody tr').count()).toBe(
      Math.min(10, stats.total),
    );
    // The chart: the charts plugin's SVG, painted as an image named after the variable and range.
    const chart = page.locator(".chart-figure img");
    await expect.poll(() => chart.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => painted(chart)).toBe(true);
    const before = await page.locator(".chart-figure figcaption").textContent();
    await page.getByRole("button", { name: "Zoom in" }).click();
    await expect.poll(() => page.locator(".chart-figure figcaption").textContent()).not.toBe(before);
    await page.getByRole("button", { name: "All" }).click();
    await expect.poll(() => painted(chart)).toBe(true);
    // Another variable, chosen from the list, by keyboard.
    const select = page.getByLabel("Variable");
    const options = await select.locator("option").count();
    expect(options).toBeGreaterThan(1);
    await select.focus();
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => page.locator(".chart-figure figcaption").textContent()).not.toBe(before);
    expect(await axeViolations()).toEqual([]);
    await page.getByRole("button", { name: "30 days" }).click();
    await expect.poll(() => painted(chart)).toBe(true);
    await screenshot("dashboard-desktop");
  });

  it("downloads an original, maps it again, and deletes it only after the confirmation", async () => {
    await go("/app/upload", "Upload");
    await noLoading();
    const row = page.locator("table.files tbody tr").filter({ hasText: "fitbit-activities-steps-timeseries.json" });
    // Download: the very bytes that were uploaded.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("button", { name: "Download fitbit-activities-steps-timeseries.json" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("fitbit-activities-steps-timeseries.json");
    const saved = await download.path();
    const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    expect(sha(readFileSync(saved))).toBe(sha(corpusBytes(FITBIT_STEPS)));
    // Reprocess: a new mapping job, followed to its end.
    await row.getByRole("button", { name: "Reprocess fitbit-activities-steps-timeseries.json" }).click();
    await expect
      .poll(() => page.locator(".file-messages").textContent(), { timeout: 90_000 })
      .toMatch(/^fitbit-activities-steps-timeseries\.json: Mapped/);
    // Delete: cancelled first (nothing happens), then confirmed.
    const files = () => page.locator("table.files tbody tr");
    await page.getByRole("button", { name: "Delete scan.png" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete scan.png?" });
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.getByText("This cannot be undone.").count()).toBe(1);
    expect(await axeViolations()).toEqual([]);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await files().count()).toBe(3);
    await page.getByRole("button", { name: "Delete scan.png" }).click();
    await dialog.getByRole("button", { name: "Delete file" }).click();
    await expect.poll(() => page.locator(".file-messages").textContent()).toBe("scan.png was deleted.");
    await expect.poll(() => files().count()).toBe(2);
    const listed = (await (await apiAs("/v1/files?limit=10")).json()) as { data: { name: string }[] };
    expect(listed.data.map((f) => f.name)).not.toContain("scan.png");
  });

  it("shares a category with another person, who reads it until the grant is revoked in the portal", async () => {
    const bobEmail = `grantee-${Date.now()}@example.org`;
    const bobCreated = await dfda([
      "user",
      "create",
      "--tenant",
      LOCAL_TENANT,
      "--email",
      bobEmail,
      "--password",
      password,
    ]);
    bobId = (JSON.parse(bobCreated) as { id: string }).id;
    const bobToken = (await tokenFor(bobEmail)).access_token;
    const readAsBob = () =>
      fetch(`${baseUrl}/v1/observations?user_id=${aliceId}&limit=50`, {
        headers: { Authorization: `Bearer ${bobToken}` },
      });
    const before = await readAsBob();
    expect(before.status).toBe(403);
    await before.body?.cancel();

    await go("/app/sharing", "Sharing");
    await noLoading();
    expect(await page.locator(".account-id").textContent()).toBe(aliceId);
    // Nothing chosen: refused in words, nothing sent.
    await page.getByLabel("Their id").fill(bobId);
    await page.getByRole("button", { name: "Share", exact: true }).click();
    await expect
      .poll(() => page.locator(".form-message").textContent())
      .toBe("Choose at least one category or variable.");
    expect(await page.locator('table[data-status="active"]').count()).toBe(0);

    const nextYear = `${new Date().getUTCFullYear() + 1}-12-31`;
    await page.getByLabel("With whom").selectOption("user");
    await page.getByLabel("Physical activity", { exact: true }).check();
    await page.getByLabel("Until (optional)").fill(nextYear);
    await page.getByLabel("Purpose (optional)").fill("My coach follows my walking.");
    await page.getByRole("button", { name: "Share", exact: true }).click();
    const active = page.locator('table[data-status="active"] tbody tr');
    await expect.poll(() => active.count()).toBe(1);
    expect(await active.first().textContent()).toContain("My coach follows my walking.");
    // The grant works: Bob reads Alice's physical activity, and only that.
    const granted = await readAsBob();
    expect(granted.status).toBe(200);
    const seen = (await granted.json()) as { data: { variable: { category: string } }[] };
    expect(seen.data.length).toBeGreaterThan(0);
    expect(new Set(seen.data.map((o) => o.variable.category))).toEqual(new Set(["physical_activity"]));
    expect(await axeViolations()).toEqual([]);
    await screenshot("sharing-desktop");

    await page.getByRole("button", { name: `Revoke grant to A person: ${bobId}` }).click();
    await page.getByRole("dialog", { name: "Revoke this grant?" }).getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => page.locator('table[data-status="revoked"] tbody tr').count()).toBe(1);
    expect(await page.locator('table[data-status="active"]').count()).toBe(0);
    // From the next request on, Bob is refused.
    const after = await readAsBob();
    expect(after.status).toBe(403);
    await after.body?.cancel();
  });

  it("lists the apps the person approved and disconnects one", async () => {
    const clientId = `step-counter-${Date.now()}`;
    const redirectUri = "http://127.0.0.1:9/callback";
    await publicClient({ name: "Step counter", clientId, redirectUri });
    // Alice approves it on the platform's consent page, in this browser (her sign-in session).
    const consent = await context.newPage();
    const authorize = new URL(`${baseUrl}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: "openid observations:read",
      state: "s",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }))
      authorize.searchParams.set(k, v);
    await consent.goto(authorize.href);
    const redirected = consent.waitForRequest((r) => r.url().startsWith(redirectUri));
    await consent.getByRole("button", { name: "Allow" }).click();
    await redirected;
    await consent.close();

    await page.reload();
    await noLoading();
    const row = page.locator("table.apps tbody tr").filter({ hasText: "Step counter" });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain("observations:read");
    await row.getByRole("button", { name: "Disconnect Step counter" }).click();
    await page
      .getByRole("dialog", { name: "Disconnect Step counter?" })
      .getByRole("button", { name: "Disconnect" })
      .click();
    await expect.poll(() => page.locator("table.apps tbody tr").filter({ hasText: "Step counter" }).count()).toBe(0);
    const apps = (await (await apiAs("/v1/me/apps")).json()) as { data: { client_id: string }[] };
    expect(apps.data.map((a) => a.client_id)).not.toContain(clientId);
  });

  it("shows who accessed the data, allowed and denied, and filters it", async () => {
    await go("/app/access-log", "Access log");
    await noLoading();
    const rows = page.locator("table.access-log tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const log = (await (await apiAs("/v1/me/access-log?limit=100")).json()) as {
      data: { outcome: string; actor: { user_id: string | null } }[];
    };
    // Bob's reads: refused before the grant and after the revoke, allowed while it lived.
    const bob = log.data.filter((e) => e.actor.user_id === bobId);
    expect(bob.map((e) => e.outcome)).toEqual(expect.arrayContaining(["success", "denied"]));
    await page.getByLabel("Who").fill(bobId);
    await expect.poll(() => rows.count()).toBe(bob.length);
    expect(await page.locator(".hint[aria-live]").textContent()).toMatch(
      new RegExp(`^Showing ${bob.length} of \\d+ entries loaded\\.$`),
    );
    await page.getByLabel("Outcome").selectOption("denied");
    await expect.poll(() => rows.count()).toBe(bob.filter((e) => e.outcome === "denied").length);
    expect(await page.locator('table.access-log tbody tr:not([data-outcome="denied"])').count()).toBe(0);
    await page.getByLabel("Outcome").selectOption("");
    await page.getByLabel("Who").fill("");
    expect(await axeViolations()).toEqual([]);
    await screenshot("access-log-desktop");
  });

  it("exports as JSON with progress and downloads it, and deletes values by filter behind the confirmation", async () => {
    await go("/app/data", "Export & delete");
    await noLoading();
    await expect.poll(() => page.getByText("No exports yet.").count()).toBe(1);
    const stats = (await (await apiAs("/v1/me/stats")).json()) as {
      total: number;
      variables: { variable: { id: string; slug: string }; count: number }[];
    };
    await page.getByLabel("JSON (one document)").check();
    await page.getByRole("button", { name: "Export", exact: true }).click();
    const link = page.locator(".export-progress a.download");
    await expect.poll(() => link.count(), { timeout: 90_000 }).toBe(1);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const exported = JSON.parse(readFileSync(await download.path(), "utf8")) as { observations: unknown[] };
    expect(exported.observations.length).toBe(stats.total);
    await expect.poll(() => page.locator("table.exports tbody tr").count()).toBe(1);

    // Delete one variable's values: cancelled first, then confirmed; the API agrees.
    const steps = stats.variables.find((v) => v.variable.slug === "steps");
    expect(steps).toBeDefined();
    await page.getByLabel("Variable", { exact: true }).selectOption(steps?.variable.id ?? "");
    await page.getByRole("button", { name: "Delete these values" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete these values?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.locator(".delete-message").textContent()).toBe("");
    await page.getByRole("button", { name: "Delete these values" }).click();
    await dialog.getByRole("button", { name: "Delete values" }).click();
    await expect
      .poll(() => page.locator(".delete-message").textContent())
      .toBe(`${steps?.count.toLocaleString("en-US")} values were deleted.`);
    const after = (await (await apiAs("/v1/me/stats")).json()) as {
      total: number;
      variables: { variable: { slug: string } }[];
    };
    expect(after.total).toBe(stats.total - (steps?.count ?? 0));
    expect(after.variables.map((v) => v.variable.slug)).not.toContain("steps");
    expect(await axeViolations()).toEqual([]);
    await screenshot("data-desktop");
  });

  it("fits a phone: every page without sideways scrolling, with its navigation, and passes axe there", async () => {
    await page.setViewportSize(PHONE);
    for (const [path, heading, shot] of [
      ["/app", "Dashboard", "dashboard-phone"],
      ["/app/upload", "Upload", "upload-phone"],
      ["/app/sharing", "Sharing", "sharing-phone"],
      ["/app/data", "Export & delete", "data-phone"],
      ["/app/access-log", "Access log", "access-log-phone"],
    ] as const) {
      await go(path, heading);
      await noLoading();
      if (path === "/app") {
        await expect
          .poll(() => painted(page.locator(".chart-figure img")), {
            timeout: 60_000,
          })
          .toBe(true);
      }
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
      expect(await axeViolations()).toEqual([]);
      await screenshot(shot);
    }
    // A deep link opens its page after a reload; an unknown one says so in words.
    await page.goto(`${baseUrl}/app/upload`);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Upload" }).count()).toBe(1);
    await page.goto(`${baseUrl}/app/nowhere`);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "No such page" }).count()).toBe(1);
    // No CSP refusal, no script error on any page.
    expect(pageErrors).toEqual([]);
  });

  it("closes the account behind the confirmation: erased, signed out, unknown to the platform", async () => {
    await page.setViewportSize(DESKTOP);
    await go("/app/data", "Export & delete");
    await noLoading();
    await page.getByRole("button", { name: "Close my account…" }).click();
    const dialog = page.getByRole("dialog", { name: "Close your account?" });
    expect(await dialog.getByText("This cannot be undone.").count()).toBe(1);
    await dialog.getByRole("button", { name: "Close my account" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Your account is closed" }).count()).toBe(1);
    expect(await page.evaluate("sessionStorage.getItem('dfda.portal.tokens')")).toBeNull();
    await expect(tokenFor(email)).rejects.toThrow();
    await page.getByRole("link", { name: "Back to the start" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Sign in" }).count()).toBe(1);
  });
});
