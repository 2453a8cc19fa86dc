/**
 * The person at the browser, for the SDK and example tests: Chromium (Debian's /usr/bin/chromium, or
 * CHROMIUM_PATH) driven by playwright-core through the platform's own sign-in and consent pages. It
 * stands in for the person only; the authorization server, its pages and cookies are the platform's.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const browserAvailable = existsSync(CHROMIUM);

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"],
  });
}

/**
 * On the platform's sign-in page: signs in, approves the consent page when it is shown, and waits until
 * the browser has been sent to `redirectPrefix` (the app's redirect URI).
 */
export async function signInOnPage(page: Page, email: string, password: string, redirectPrefix: string): Promise<void> {
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const allow = page.getByRole("button", { name: "Allow" });
  // "commit": the app may close its loopback listener as soon as the redirect has arrived.
  const arrived = page
    .waitForURL((u) => u.href.startsWith(redirectPrefix), { timeout: 60_000, waitUntil: "commit" })
    .catch((error: unknown) => {
      // The navigation to the redirect may be aborted once the app has its code (it closes its listener);
      // whether the code arrived is what the caller checks.
      if (!(error instanceof Error && error.message.includes("ERR_ABORTED"))) throw error;
    });
  const consent = allow.waitFor({ timeout: 60_000 }).then(
    () => true,
    () => false,
  );
  const first = await Promise.race([arrived.then(() => "arrived" as const), consent.then(() => "consent" as const)]);
  if (first === "consent" && !page.url().startsWith(redirectPrefix)) await allow.click();
  await arrived;
}

/** Opens an authorization URL in a fresh browser context and completes the sign-in there, up to its redirect URI. */
export async function approve(browser: Browser, url: string, email: string, password: string) {
  // The platform is on 127.0.0.1 too: only the request's own redirect URI marks the end.
  const redirectPrefix = new URL(url).searchParams.get("redirect_uri") ?? "";
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await signInOnPage(page, email, password, redirectPrefix);
  } finally {
    await context.close();
  }
}
