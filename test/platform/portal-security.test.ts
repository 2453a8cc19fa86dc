/**
 * The portal's Security page and the platform's own account pages (issue 17), in Chromium against the
 * whole platform: a new person signs UP through the portal's "Sign in" link (the platform's sign-up page,
 * then the e-mailed confirmation link, read from the `outbox` table the mail plugin delivers from),
 * resets the password through "Forgot your password?", turns on two-step verification in the portal
 * (the test computes the codes with the server's own RFC 6238 code, at the next 30-second step so no
 * code is replayed and nothing waits), signs in again with a code and with a recovery code, replaces the
 * recovery codes, signs another browser out and proves its cookie is refused, and goes through the
 * step-up path (a change refused for a stale sign-in, "Sign in again", then it succeeds). Each state is
 * checked with axe-core at desktop and phone widths, and screenshots go to docs/portal/ with
 * UPDATE_PORTAL_SCREENSHOTS=1.
 */
import { totp } from "@dfda/auth";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, CHROMIUM, launch } from "../../packages/sdk/test/browser";
import { axeViolations, collectErrors, DESKTOP, PHONE, screenshot } from "./browser";
import { baseUrl, databaseUrl } from "./fixtures";

const email = `security-${Date.now()}@example.org`;
const firstPassword = `first horse ${Math.random()}`;
const password = `correct horse ${Math.random()}`;
const db = new pg.Client({ connectionString: databaseUrl });
let browser: Browser;
let context: BrowserContext;
let page: Page;
let secret = "";
let recovery: string[] = [];
const pageErrors: string[] = [];
/** Refusals the test provokes on purpose: the stale sign-in's step-up (RFC 9470) and a wrong password. */
const expected = (status: number, url: string) =>
  (status === 401 && url.endsWith("/v1/me/mfa/recovery-codes")) ||
  (status >= 400 && status < 500 && (url.endsWith("/oauth/login") || url.endsWith("/oauth/mfa")));

async function newPage(): Promise<Page> {
  await context?.close();
  context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const p = await context.newPage();
  collectErrors(p, pageErrors, expected);
  return p;
}

/** The newest message of a kind to the person, as the mail plugin would deliver it. */
async function mailedLink(kind: "verify_email" | "reset_password"): Promise<string> {
  const { rows } = await db.query<{ payload: { link: string } }>(
    "select payload from outbox where lower(recipient) = lower($1) and kind = $2 order by created_at desc limit 1",
    [email, kind],
  );
  const link = rows[0]?.payload.link;
  if (!link) throw new Error(`no ${kind} e-mail to ${email}`);
  return link;
}

async function heading(name: string): Promise<void> {
  await expect.poll(() => page.getByRole("heading", { level: 1, name }).count(), { timeout: 60_000 }).toBe(1);
}

async function noLoading(): Promise<void> {
  await expect.poll(() => page.locator(".loading").count(), { timeout: 60_000 }).toBe(0);
}

/** From the portal's welcome page to the platform's sign-in page. */
async function toSignInPage(): Promise<void> {
  await page.goto(`${baseUrl}/app/security`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/oauth/authorize");
}

async function fillSignIn(withPassword = password): Promise<void> {
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(withPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function secondStep(code: string): Promise<void> {
  await page.getByLabel("Code from your authenticator app, or a recovery code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

async function onSecurityPage(): Promise<void> {
  // The platform shows its consent page the first time the person signs in to the portal (docs/portal.md).
  const allow = page.getByRole("button", { name: "Allow" });
  const arrived = page.waitForURL(`${baseUrl}/app/security`, { timeout: 60_000 }).then(
    () => "arrived" as const,
    () => "timeout" as const,
  );
  const consent = allow.waitFor({ timeout: 60_000 }).then(
    () => "consent" as const,
    () => "timeout" as const,
  );
  if ((await Promise.race([arrived, consent])) === "consent" && !page.url().startsWith(`${baseUrl}/app`)) {
    await allow.click();
  }
  if ((await arrived) !== "arrived") {
    // Say where the browser is instead, and what that page says.
    const text = await page.evaluate("document.body.innerText").catch(() => "");
    throw new Error(`not on /app/security but ${page.url()}: ${String(text).slice(0, 500)}`);
  }
  await heading("Security");
  await noLoading();
}

/** The code the authenticator shows `steps` periods from now (RFC 6238 §4, 30-second steps). */
function codeAt(steps: number): Promise<string> {
  if (secret === "") throw new Error("no TOTP secret: enrolment did not run");
  return totp(secret, Date.now() + steps * 30_000);
}

async function checkPage(name: string): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  // Nothing wider than the phone: the table scrolls inside its own region.
  expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

async function codesShown(): Promise<string[]> {
  const list = page.getByTestId("recovery-codes");
  await expect.poll(() => list.locator("li").count(), { timeout: 60_000 }).toBe(10);
  return (await list.locator("li").allTextContents()).map((c) => c.trim());
}

async function confirmDialog(action: string): Promise<void> {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: action }).click();
}

if (!browserAvailable && process.env.REQUIRE_BROWSER === "1") {
  it("has a browser", () => {
    expect.fail(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  });
}

describe.runIf(browserAvailable)("the Security page and the account pages, in Chromium", () => {
  beforeAll(async () => {
    await db.connect();
    browser = await launch();
    page = await newPage();
    // Chromium starts slowly on a busy machine.
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await db.end();
  }, 60_000);

  it("signs up through the portal's sign-in link and confirms the address from the e-mail", async () => {
    await toSignInPage();
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.locator("#name").fill("Ada");
    await page.locator("#email").fill(email);
    await page.locator("#password").fill(firstPassword);
    await page.getByRole("button", { name: "Create account" }).click();
    await heading("Check your e-mail");
    expect(await axeViolations(page)).toEqual([]);
    // The link in the e-mail asks for the password, then finishes the portal's sign-in.
    await page.goto(await mailedLink("verify_email"));
    await page.locator("#password").fill(firstPassword);
    await page.getByRole("button", { name: "Confirm" }).click();
    await onSecurityPage();
    await expect.poll(() => page.locator(".who").textContent()).toBe(email);
    await expect.poll(() => page.getByText("Off.").count()).toBe(1);
    // This browser's session is listed, and marked as this one.
    await expect.poll(() => page.getByRole("rowheader", { name: "This browser" }).count()).toBe(1);
    await checkPage("security");
  });

  it("resets the password through 'Forgot your password?'", async () => {
    page = await newPage();
    await toSignInPage();
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.locator("#email").fill(email);
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForLoadState();
    await page.goto(await mailedLink("reset_password"));
    await page.locator("#password").fill(password);
    await page.getByRole("button", { name: "Save" }).click();
    await heading("Password changed");
    // The old password no longer signs in; the new one does.
    await toSignInPage();
    await fillSignIn(firstPassword);
    await expect.poll(() => page.getByRole("alert").count()).toBe(1);
    await fillSignIn(password);
    await onSecurityPage();
  });

  it("turns on two-step verification in the portal and shows the recovery codes once", async () => {
    await page.getByRole("button", { name: "Set up two-step verification" }).click();
    const key = page.getByTestId("totp-secret");
    await key.waitFor();
    secret = (await key.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^[A-Z2-7]+$/);
    expect(await page.getByRole("link", { name: "Open in an authenticator app" }).getAttribute("href")).toMatch(
      /^otpauth:\/\/totp\//,
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("2. Enter the six-digit code it shows").fill(await codeAt(0));
    await page.getByRole("button", { name: "Turn on" }).click();
    recovery = await codesShown();
    expect(new Set(recovery).size).toBe(10);
    await checkPage("security-codes");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("recovery-codes.txt");
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect.poll(() => page.getByText("Recovery codes left: 10 of 10.", { exact: false }).count()).toBe(1);
  });

  it("signs in again with a code from the app, then with a recovery code", async () => {
    // A new browser: the sign-in page asks for the password, then the second step.
    page = await newPage();
    await toSignInPage();
    await fillSignIn();
    // The next step's code: the one used to turn it on may not be used again (RFC 6238 §5.2).
    await secondStep(await codeAt(1));
    await onSecurityPage();
    await expect.poll(() => page.getByText("Recovery codes left: 10 of 10.", { exact: false }).count()).toBe(1);

    page = await newPage();
    await toSignInPage();
    await fillSignIn();
    await secondStep(recovery[0] ?? "");
    await onSecurityPage();
    await expect.poll(() => page.getByText("Recovery codes left: 9 of 10.", { exact: false }).count()).toBe(1);
  });

  it("replaces the recovery codes: the new ones sign in, the old ones do not", async () => {
    await page.getByRole("button", { name: "New recovery codes" }).click();
    await confirmDialog("Replace codes");
    const fresh = await codesShown();
    expect(fresh.some((c) => recovery.includes(c))).toBe(false);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect.poll(() => page.getByText("Recovery codes left: 10 of 10.", { exact: false }).count()).toBe(1);
    const old = recovery[1] ?? "";
    recovery = fresh;

    const other = page;
    page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    collectErrors(page, pageErrors, expected);
    await toSignInPage();
    await fillSignIn();
    await secondStep(old);
    await expect.poll(() => page.getByRole("alert").count()).toBe(1);
    await secondStep(recovery[0] ?? "");
    await onSecurityPage();
    await page.context().close();
    page = other;
  });

  it("signs another browser out: its session cookie is refused from then on", async () => {
    const phone = await browser.newContext({ viewport: PHONE });
    const phonePage = await phone.newPage();
    collectErrors(phonePage, pageErrors, expected);
    const mine = page;
    page = phonePage;
    await toSignInPage();
    await fillSignIn();
    await secondStep(recovery[1] ?? "");
    await onSecurityPage();
    page = mine;
    // The phone's cookie signs in without a password while its session lives.
    const authorize = `${baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: "dfda-portal",
      redirect_uri: `${baseUrl}/app/callback`,
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    })}`;
    const before = await phone.request.get(authorize, { maxRedirects: 0 });
    expect(before.status()).toBe(302);
    expect(before.headers().location).toContain("code=");

    await page.reload();
    await onSecurityPage();
    const others = page.getByRole("button", { name: /^Sign out of this session: A browser/ });
    await expect.poll(() => others.count()).toBeGreaterThan(0);
    const count = await others.count();
    // Which "A browser" row is the phone: the newest sign-in is listed first.
    await others.first().click();
    await confirmDialog("Sign out");
    await expect.poll(() => page.getByText("Signed out of A browser.").count()).toBe(1);
    await expect
      .poll(() => page.getByRole("button", { name: /^Sign out of this session: A browser/ }).count())
      .toBe(count - 1);
    const after = await phone.request.get(authorize, { maxRedirects: 0 });
    expect(after.status()).toBe(200);
    expect(await after.text()).toContain('action="/oauth/login"');
    await phone.close();
  });

  it("asks a stale sign-in to sign in again, then does it (RFC 9470 step-up)", async () => {
    // The sign-in behind this browser's session was an hour ago (moved back, never waited for); the
    // portal signs out and in again on the same session, so its new token carries that old sign-in.
    await db.query(
      "update auth_sessions set auth_time = auth_time - interval '1 hour' where user_id = (select id from users where lower(email) = lower($1))",
      [email],
    );
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.goto(`${baseUrl}/app/security`);
    await page.getByRole("button", { name: "Sign in" }).click();
    // No password asked: the browser session still stands, with its old sign-in.
    await onSecurityPage();
    await page.getByRole("button", { name: "New recovery codes" }).click();
    await confirmDialog("Replace codes");
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toContain("please sign in again");
    expect(await alert.textContent()).toContain("Request id");
    expect(await axeViolations(page)).toEqual([]);
    await alert.getByRole("button", { name: "Sign in again" }).click();
    await page.waitForURL((u) => u.pathname === "/oauth/authorize" && u.searchParams.get("max_age") === "300");
    await fillSignIn();
    await secondStep(recovery[2] ?? "");
    await onSecurityPage();
    await page.getByRole("button", { name: "New recovery codes" }).click();
    await confirmDialog("Replace codes");
    expect(await codesShown()).toHaveLength(10);
  });

  it("reported no console error, CSP refusal or unexpected failed request", () => {
    expect(pageErrors).toEqual([]);
  });
});
