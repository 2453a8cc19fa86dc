/**
 * The web example run as a developer runs it (`npm run dev -w examples/web`: serve.ts on a loopback
 * port), registered as a public OAuth client for its own page with `dfda client create`, and used by
 * a person in Chromium against the running platform (test/platform/global-setup.ts): sign in through
 * the platform's real sign-in and consent pages (authorization code + PKCE), send readings (one with
 * the mouse, one with the keyboard), see them in the table and as points of the SVG chart, sign out,
 * and the tokens the page held are revoked: the API answers the access token 401 and the token
 * endpoint refuses the refresh token. The page must pass axe-core with no serious or critical
 * violation, and break its Content-Security-Policy nowhere (no inline script or style, no other origin).
 *
 * Needs Chromium (Debian: `apt-get install chromium`; CHROMIUM_PATH overrides the path), like
 * packages/sdk/test/platform.test.ts; REQUIRE_BROWSER=1 (CI) makes a missing browser a failure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DfdaAuthError, refreshTokens, revokeToken, type Tokens } from "@dfda/sdk";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, CHROMIUM, launch, signInOnPage } from "../../../packages/sdk/test/browser";
import { baseUrl, dfda, LOCAL_TENANT, publicClient, ROOT } from "../../../test/platform/fixtures";

const SCOPE = "openid offline_access observations:read observations:write";

interface App {
  url: string;
  process: ChildProcess;
}

/** `npm run dev -w examples/web` is `tsx serve.ts`: run it so, on a free port, and read the URL it prints. */
async function startApp(clientId: string): Promise<App> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, "node_modules/tsx/dist/cli.mjs"),
      join(ROOT, "examples/web/serve.ts"),
      "--port",
      "0",
      "--base-url",
      baseUrl,
      "--client-id",
      clientId,
    ],
    { cwd: join(ROOT, "examples/web"), stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output);
      if (line?.[1]) resolve(line[1]);
    };
    child.stdout?.on("data", take);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve.ts exited with ${code}:\n${output}`)));
  });
  return { url, process: child };
}

async function stopApp(app: App | undefined): Promise<void> {
  const pid = app?.process.pid;
  if (!app || pid === undefined || app.process.exitCode !== null) return;
  const exited = new Promise((resolve) => app.process.once("exit", resolve));
  // The group: tsx runs the script in a child process of its own.
  process.kill(-pid, "SIGTERM");
  await exited;
}

/** The page's stored tokens (`WebStorageTokenStore` in sessionStorage, under its default key). */
function storedTokens(page: Page): Promise<string | null> {
  // In the page; this file is typed for Node, not the DOM.
  return page.evaluate(() =>
    (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(
      "dfda.tokens",
    ),
  );
}

/** axe-core's WCAG 2.x A/AA rules on the page as it is; the serious and critical violations. */
async function seriousViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[][] }[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (an injected
  // <script> would be refused, as it should be).
  const axe = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axe);
  const violations = await page.evaluate(async () => {
    // In the page: axe-core's global and the document (this file is typed for Node, not the DOM).
    const g = globalThis as unknown as {
      axe: { run: (context: unknown, options: unknown) => Promise<unknown> };
      document: unknown;
    };
    const result = (await g.axe.run(g.document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    })) as { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? "", nodes: v.nodes.map((n) => n.target) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

describe("examples/web", () => {
  if (!browserAvailable && process.env.REQUIRE_BROWSER === "1") {
    it("has a browser", () => {
      expect.fail(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
    });
  }

  let app: App | undefined;
  let browser: Browser | undefined;
  const clientId = `web-example-${randomUUID()}`;
  const email = `web-${randomUUID()}@example.org`;
  const password = `correct horse ${randomUUID()}`;

  beforeAll(async () => {
    if (!browserAvailable) return;
    app = await startApp(clientId);
    // As the README tells a developer: a public client whose redirect URI is the app's own page.
    await publicClient({ name: "Readings web example", clientId, redirectUri: app.url, scope: SCOPE });
    await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", email, "--password", password]);
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopApp(app);
  });

  it.runIf(browserAvailable)(
    "signs in with PKCE, sends readings, lists and charts them, and signs out revoking its tokens",
    async () => {
      if (!app || !browser) throw new Error("not started");
      const appUrl = app.url;
      // Berlin, so the time typed into the page (local) and the time stored (UTC) differ by an hour.
      const context = await browser.newContext({ timezoneId: "Europe/Berlin", locale: "en-GB" });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
      page.on("console", (m) => {
        // The app's own console only: CSP refusals ("Refused to …") and failed loads are errors there.
        if (m.type() === "error" && page.url().startsWith(appUrl)) problems.push(`${page.url()}: ${m.text()}`);
      });
      try {
        const main = await page.goto(appUrl);
        expect(main?.headers()["content-security-policy"]).toContain("script-src 'self'");
        const signIn = page.getByRole("button", { name: "Sign in" });
        await signIn.waitFor();
        expect(await seriousViolations(page)).toEqual([]);

        // Sign in: the app sends the browser to the authorization endpoint, with PKCE.
        const authorize = page.waitForRequest((r) => r.url().startsWith(`${baseUrl}/oauth/authorize`));
        await signIn.click();
        const request = new URL((await authorize).url());
        expect(request.searchParams.get("client_id")).toBe(clientId);
        expect(request.searchParams.get("redirect_uri")).toBe(appUrl);
        expect(request.searchParams.get("code_challenge_method")).toBe("S256");
        expect(request.searchParams.get("response_type")).toBe("code");
        // The platform's own sign-in page, then its consent page (a third-party app), then back.
        await signInOnPage(page, email, password, appUrl);
        await page.getByRole("heading", { name: "Add a reading" }).waitFor();
        await expect.poll(() => page.locator("#status").textContent()).toBe("You are signed in.");
        // The single-use code is gone from the address bar and the history.
        expect(page.url()).toBe(appUrl);

        // A value that is not a number is refused in the page, with the field named and focused.
        await page.getByRole("button", { name: "Save reading" }).click();
        await expect.poll(() => page.getByRole("alert").textContent()).toContain("Enter the heart rate");
        expect(
          await page.evaluate(
            () => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id,
          ),
        ).toBe("value");

        // A reading with the mouse.
        await page.getByLabel("Measurement").selectOption({ label: "Heart rate" });
        await page.getByLabel("Heart rate (/min)").fill("72");
        await page.getByLabel("Measured at").fill("2026-11-20T09:00");
        await page.getByRole("button", { name: "Save reading" }).click();
        await expect.poll(() => page.locator("#status").textContent(), { timeout: 60_000 }).toBe("Saved.");
        const rows = page.locator("#readings tbody tr");
        await expect.poll(() => rows.count()).toBe(1);
        expect(await rows.first().textContent()).toContain("72 /min");
        const chart = page.getByRole("img", { name: "Heart rate over time" });
        expect(await chart.locator("circle.point").count()).toBe(1);

        // A second one with the keyboard only: after saving, focus is back in the value field.
        await page.getByLabel("Measured at").fill("2026-11-20T10:30");
        await page.getByLabel("Heart rate (/min)").focus();
        await page.keyboard.type("75");
        await page.keyboard.press("Enter");
        await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
        // The list is redrawn before the outcome is announced.
        await expect.poll(() => page.locator("#status").textContent()).toBe("Saved.");
        expect(await rows.first().textContent()).toContain("75 /min"); // newest first
        const points = chart.locator("circle.point");
        expect(await points.count()).toBe(2);
        // The later, higher reading is drawn to the right of and above the earlier one.
        const [earlier, later] = await points.evaluateAll((nodes) =>
          nodes.map((n) => ({ x: Number(n.getAttribute("cx")), y: Number(n.getAttribute("cy")) })),
        );
        expect(later?.x).toBeGreaterThan(earlier?.x ?? Number.POSITIVE_INFINITY);
        expect(later?.y).toBeLessThan(earlier?.y ?? Number.NEGATIVE_INFINITY);
        expect(await chart.locator("path.line").getAttribute("d")).toMatch(/^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/);
        expect(await seriousViolations(page)).toEqual([]);

        // Another measurement lists its own readings: none yet.
        await page.getByLabel("Measurement").selectOption({ label: "Body weight" });
        await page.locator("#empty").waitFor();
        expect(await rows.count()).toBe(0);
        expect(await page.getByRole("img", { name: "Body weight over time" }).locator("circle").count()).toBe(0);
        await page.getByLabel("Measurement").selectOption({ label: "Heart rate" });
        await expect.poll(() => rows.count()).toBe(2);

        // What the page stored is the person's, at the instants typed in Berlin (UTC+1 in November).
        const tokens = JSON.parse((await storedTokens(page)) ?? "null") as {
          access_token: string;
          refresh_token?: string;
        } | null;
        expect(tokens?.refresh_token).toBeTruthy();
        const accessToken = tokens?.access_token ?? "";
        const listed = await fetch(`${baseUrl}/v1/observations?variable=http://loinc.org|8867-4`, {
          headers: { Authorization: `Bearer ${accessToken}` },
        });
        expect(listed.status).toBe(200);
        const { data } = (await listed.json()) as { data: { value: number; start_at: string }[] };
        expect(data.map((o) => [o.value, Date.parse(o.start_at)])).toEqual([
          [75, Date.parse("2026-11-20T09:30:00Z")],
          [72, Date.parse("2026-11-20T08:00:00Z")],
        ]);

        // Sign out: both tokens revoked, then forgotten.
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByRole("button", { name: "Sign in" }).waitFor();
        expect(await page.locator("#status").textContent()).toBe("You are signed out.");
        expect(await storedTokens(page)).toBeNull();
        const after = await fetch(`${baseUrl}/v1/observations?variable=http://loinc.org|8867-4`, {
          headers: { Authorization: `Bearer ${accessToken}` },
        });
        expect(after.status).toBe(401);
        await after.body?.cancel();
        const refused = await refreshTokens({ baseUrl, clientId, refreshToken: tokens?.refresh_token ?? "" }).catch(
          (e: unknown) => e,
        );
        expect(refused).toBeInstanceOf(DfdaAuthError);
        expect(refused).toMatchObject({ error: "invalid_grant" });
        expect(problems).toEqual([]);

        // Signed in again, and the app is disconnected elsewhere (its tokens revoked): the page's next
        // call is refused, the SDK's refresh too, and the page signs itself out and says so.
        // The platform's own browser session outlives the app's tokens (revocation ends tokens, RFC 7009),
        // so no password is asked again: the consent page if it is shown, then straight back.
        await page.getByRole("button", { name: "Sign in" }).click();
        const consent = page.getByRole("button", { name: "Allow" });
        const back = page.getByRole("heading", { name: "Add a reading" });
        await consent.or(back).first().waitFor();
        if (await consent.isVisible()) await consent.click();
        await back.waitFor();
        const again = JSON.parse((await storedTokens(page)) ?? "null") as Tokens | null;
        expect(again?.access_token).not.toBe(accessToken);
        for (const [token, hint] of [
          [again?.refresh_token, "refresh_token"],
          [again?.access_token, "access_token"],
        ] as const)
          await revokeToken({ baseUrl, clientId, token: token ?? "", tokenTypeHint: hint });
        await page.getByLabel("Measurement").selectOption({ label: "Body weight" });
        await page.getByRole("button", { name: "Sign in" }).waitFor();
        expect(await page.getByRole("alert").textContent()).toContain("Your session has ended");
        expect(await storedTokens(page)).toBeNull();
        // The browser logs the refused requests (401, then 400 from the token endpoint); nothing else.
        expect(problems.filter((p) => !p.includes("Failed to load resource"))).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );
});
