/**
 * Sign-up without pre-account-hijacking or enumeration (issue 12): an account holds no session, code
 * or token until its address is confirmed with the account's password; confirming revokes anything
 * issued before and continues the authorization request, through the tenant's second-factor policy;
 * every well-formed sign-up gets the same page, and the e-mail says whether the address was taken.
 */
import { totp } from "@dfda/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm, type Page } from "../../test/browser";
import { api, testDb } from "../../test/helpers";
import {
  CHALLENGE,
  exchangeCode,
  makeClient,
  makeTenant,
  makeUser,
  resetPassword,
  type TestClient,
  type TestTenant,
  VERIFIER,
} from "../../test/identity";

let tenant: TestTenant;
let client: TestClient;

beforeAll(async () => {
  tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public" });
});

function authorizeUrl(c: TestClient = client, scope = "openid"): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope,
    state: "s1",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  return `/oauth/authorize?${q}`;
}

async function outbox(
  recipient: string,
): Promise<Array<{ kind: string; body_text: string; payload: { link: string } }>> {
  const handle = await testDb();
  try {
    const { rows } = await handle.client.query(
      "select kind, body_text, payload from outbox where lower(recipient) = lower($1) order by created_at, id",
      [recipient],
    );
    return rows;
  } finally {
    await handle.close();
  }
}

async function sql<T extends Record<string, unknown>>(text: string, values: unknown[]): Promise<T[]> {
  const handle = await testDb();
  try {
    return (await handle.client.query<T>(text, values)).rows;
  } finally {
    await handle.close();
  }
}

/** Opens the sign-up page from the client's sign-in page and submits it. */
async function signUp(browser: Browser, email: string, password: string, c: TestClient = client): Promise<Page> {
  const login = await browser.open(authorizeUrl(c));
  const link = /href="(\/oauth\/signup\?[^"]+)"/.exec(login.html)?.[1]?.replace(/&amp;/g, "&") ?? "";
  const page = await browser.open(link);
  return browser.submit(findForm(page.html, "/oauth/signup"), { email, password, name: "Ada" });
}

function pathOf(link: string | undefined): string {
  const url = new URL(link ?? "");
  return url.pathname + url.search;
}

/** The page without what differs per request (its CSRF token) or per address. */
function shape(html: string, email: string): string {
  return html.replace(/value="[^"]*"/g, 'value=""').replaceAll(email, "EMAIL");
}

describe("sign-up", () => {
  it("creates an unconfirmed account with no session; the e-mailed link asks for the password, then continues", async () => {
    const browser = new Browser(client.redirectUri);
    const email = `new-${crypto.randomUUID()}@example.org`;
    const sent = await signUp(browser, email, "a long enough password");
    expect(sent.status).toBe(200);
    expect(sent.html).toContain("Check your e-mail");
    // No session: the authorization request shows the sign-in page again, not the consent screen.
    const again = await browser.open(authorizeUrl());
    expect(again.html).toContain('action="/oauth/login"');
    expect(again.html).not.toContain('action="/oauth/consent"');
    // The right password is refused until the address is confirmed, with a way to get the link again.
    const refused = await browser.signIn(again, email, "a long enough password", null);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain("Confirm your e-mail address first");
    expect(refused.html).toContain('action="/oauth/verify-email/resend"');
    const [user] = await sql<{ email_verified_at: Date | null; sessions: string }>(
      "select u.email_verified_at, (select count(*) from auth_sessions s where s.user_id = u.id) as sessions from users u where u.email = $1",
      [email],
    );
    expect(user?.email_verified_at).toBeNull();
    expect(Number(user?.sessions)).toBe(0);

    const [message] = await outbox(email);
    expect(message?.kind).toBe("verify_email");
    // Opening the link (as a mail scanner would) uses nothing up; it asks for the password.
    const link = pathOf(message?.payload.link);
    const confirmPage = await browser.open(link);
    expect(confirmPage.html).toContain('action="/oauth/verify-email"');
    const wrong = await browser.submit(findForm(confirmPage.html, "/oauth/verify-email"), {
      password: "not the password at all",
    });
    expect(wrong.status).toBe(401);
    const consent = await browser.submit(findForm(wrong.html, "/oauth/verify-email"), {
      password: "a long enough password",
    });
    expect(consent.html).toContain('action="/oauth/consent"');
    const end = await browser.submit(findForm(consent.html, "/oauth/consent"), { decision: "approve" });
    expect(new URL(end.location ?? "").searchParams.get("code")).toBeTruthy();
    // The link is single use.
    expect((await new Browser(client.redirectUri).open(link)).status).toBe(400);
  });

  it("revokes every session, refresh token and access token issued before the address was confirmed", async () => {
    // An account from before this rule (or any path that issued something early): tokens held, address unconfirmed.
    const early = await makeUser(tenant);
    const browser = new Browser(client.redirectUri);
    const end = await browser.signIn(
      await browser.open(authorizeUrl(client, "openid offline_access")),
      early.email,
      early.password,
    );
    const tokenRes = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: new URL(end.location ?? "").searchParams.get("code") ?? "",
        redirect_uri: client.redirectUri,
        code_verifier: VERIFIER,
        client_id: client.clientId,
      }),
    });
    const held = (await tokenRes.json()) as { access_token: string; refresh_token: string };
    expect(held.refresh_token).toBeTruthy();
    await sql("update users set email_verified_at = null where id = $1", [early.id]);

    // The owner asks for the link from the sign-in page and confirms.
    const owner = new Browser(client.redirectUri);
    const refused = await owner.signIn(await owner.open(authorizeUrl()), early.email, early.password, null);
    const resent = await owner.submit(findForm(refused.html, "/oauth/verify-email/resend"));
    expect(resent.html).toContain("Check your e-mail");
    const [message] = (await outbox(early.email)).filter((m) => m.kind === "verify_email");
    // A link anyone may have asked for continues no authorization request: confirmed, then sign in.
    const page = await owner.open(pathOf(message?.payload.link));
    const done = await owner.submit(findForm(page.html, "/oauth/verify-email"), { password: early.password });
    expect(done.html).toContain("E-mail confirmed");
    const consent = await owner.signIn(await owner.open(authorizeUrl()), early.email, early.password, null);
    expect(consent.html).toContain('action="/oauth/consent"');

    const refresh = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: held.refresh_token,
        client_id: client.clientId,
      }),
    });
    expect(refresh.status).toBe(400);
    const me = await api("/oauth/userinfo", { headers: { Authorization: `Bearer ${held.access_token}` } });
    expect(me.status).toBe(401);
    // The early browser session is gone too: the request asks to sign in again.
    expect((await browser.open(authorizeUrl())).html).toContain('action="/oauth/login"');
  });

  it("answers an address that has an account with the same page, and e-mails its owner instead", async () => {
    const existing = await makeUser(tenant);
    const fresh = `fresh-${crypto.randomUUID()}@example.org`;
    const taken = await signUp(new Browser(client.redirectUri), existing.email.toUpperCase(), "another long password");
    const created = await signUp(new Browser(client.redirectUri), fresh, "another long password");
    expect(taken.status).toBe(created.status);
    expect(shape(taken.html, existing.email.toUpperCase())).toBe(shape(created.html, fresh));
    const messages = await outbox(existing.email);
    expect(messages.map((m) => m.kind)).toEqual(["signup_existing_account"]);
    expect(messages[0]?.body_text).toContain("Forgot your password?");
    // No link: the sign-up and its authorization request were anyone's.
    expect(messages[0]?.body_text).not.toContain("http");
    // The account is untouched: its own password still signs in.
    const browser = new Browser(client.redirectUri);
    const page = await browser.signIn(await browser.open(authorizeUrl()), existing.email, existing.password, null);
    expect(page.html).toContain('action="/oauth/consent"');
  });

  it("does not let a second sign-up replace the password of an account awaiting confirmation", async () => {
    const email = `pending-${crypto.randomUUID()}@example.org`;
    await signUp(new Browser(client.redirectUri), email, "the first password chosen");
    const second = await signUp(new Browser(client.redirectUri), email, "an attacker's password");
    expect(second.html).toContain("Check your e-mail");
    const links = (await outbox(email)).filter((m) => m.kind === "verify_email");
    expect(links).toHaveLength(2);
    // The second link (asked for by whoever signed up second) carries no authorization request of theirs.
    expect(new URL(links[1]?.payload.link ?? "").searchParams.has("return_to")).toBe(false);
    const browser = new Browser(client.redirectUri);
    const page = await browser.open(pathOf(links[1]?.payload.link));
    const refused = await browser.submit(findForm(page.html, "/oauth/verify-email"), {
      password: "an attacker's password",
    });
    expect(refused.status).toBe(401);
  });

  it("makes a person in a tenant that requires two-step verification enrol before any code is issued", async () => {
    const strict = await makeTenant({ mfa_required: true });
    const strictClient = await makeClient(strict, { type: "public" });
    const email = `strict-${crypto.randomUUID()}@example.org`;
    const browser = new Browser(strictClient.redirectUri);
    await signUp(browser, email, "a long enough password", strictClient);
    const [message] = await outbox(email);
    const page = await browser.open(pathOf(message?.payload.link));
    const enrol = await browser.submit(findForm(page.html, "/oauth/verify-email"), {
      password: "a long enough password",
    });
    expect(enrol.location).toBeNull();
    expect(enrol.html).toContain("Set up two-step verification");
    // The session cannot skip the step: the authorization request does not issue a code.
    const skipped = await browser.open(authorizeUrl(strictClient));
    expect(skipped.location).toBeNull();
    // Each visit of the enrolment page starts enrolment again, with a new key: use the last one shown.
    expect(skipped.html).toContain("Set up two-step verification");
    const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(skipped.html)?.[1] ?? "";
    const codes = await browser.submit(findForm(skipped.html, "/oauth/mfa/enrol"), {
      code: await totp(secret, Date.now()),
    });
    expect(codes.html).toContain("Save your recovery codes");
    const next = /<a href="([^"]+)">Continue<\/a>/.exec(codes.html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const consent = await browser.open(next);
    const end = await browser.submit(findForm(consent.html, "/oauth/consent"), { decision: "approve" });
    const code = new URL(end.location ?? "").searchParams.get("code") ?? "";
    expect(await exchangeCode(strictClient, code)).toBeTruthy();
  });

  it("confirms the address through a password reset, whose link proves the mailbox too", async () => {
    // Whoever created an account with someone else's address knows its password; the address's owner
    // takes it over with a reset, which revokes everything and confirms the address.
    const pending = await makeUser(tenant);
    await sql("update users set email_verified_at = null where id = $1", [pending.id]);
    await resetPassword(client, pending, "the owner's new password");
    const browser = new Browser(client.redirectUri);
    const page = await browser.signIn(
      await browser.open(authorizeUrl()),
      pending.email,
      "the owner's new password",
      null,
    );
    expect(page.html).toContain('action="/oauth/consent"');
  });

  it("sends the link again only for an account awaiting confirmation, with the same answer for any address", async () => {
    const email = `resend-${crypto.randomUUID()}@example.org`;
    const browser = new Browser(client.redirectUri);
    const sent = await signUp(browser, email, "a long enough password");
    const resent = await browser.submit(findForm(sent.html, "/oauth/verify-email/resend"));
    const other = await browser.submit(findForm(sent.html, "/oauth/verify-email/resend"), {
      email: "nobody-at-all@example.org",
    });
    expect(other.html).toBe(resent.html);
    expect((await outbox(email)).filter((m) => m.kind === "verify_email")).toHaveLength(2);
    expect(await outbox("nobody-at-all@example.org")).toEqual([]);
  });
});
