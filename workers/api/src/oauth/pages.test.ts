/**
 * The account pages as a person uses them: sign-up (confirmed through the link in the outbox),
 * TOTP enrolment forced for admins and by tenant policy, verification at login with replay refused,
 * recovery codes, and password reset through the e-mailed link.
 */
import { totp } from "@dfda/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm, type Page } from "../../test/browser";
import { api, testDb } from "../../test/helpers";
import {
  adminToken,
  makeClient,
  makeTenant,
  makeUser,
  resetPassword,
  type TestClient,
  type TestTenant,
} from "../../test/identity";

let tenant: TestTenant;
let client: TestClient;

beforeAll(async () => {
  tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public" });
});

function authorizeUrl(c: TestClient = client): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: "openid",
    state: "s1",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
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
      "select kind, body_text, payload from outbox where recipient = $1 order by created_at",
      [recipient],
    );
    return rows;
  } finally {
    await handle.close();
  }
}

function secretOn(page: Page): string {
  const match = /Key: <code>([A-Z2-7]+)<\/code>/.exec(page.html);
  if (!match?.[1]) throw new Error(`no TOTP key on the page:\n${page.html}`);
  return match[1];
}

describe("sign-up", () => {
  it("creates a data owner only after the e-mailed link is followed with the password, and continues the authorization", async () => {
    const browser = new Browser(client.redirectUri);
    const login = await browser.open(authorizeUrl());
    const signupLink = /href="(\/oauth\/signup\?[^"]+)"/.exec(login.html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const signup = await browser.open(signupLink);
    const email = `new-${Date.now()}@example.org`;
    const sent = await browser.submit(findForm(signup.html, "/oauth/signup"), {
      email,
      password: "a long enough password",
      name: "Ada",
    });
    expect(sent.html).toContain("Check your e-mail");

    const [message] = await outbox(email);
    expect(message?.kind).toBe("verify_email");
    const link = new URL(message?.payload.link ?? "");
    const verify = await browser.open(link.pathname + link.search);
    const consent = await browser.submit(findForm(verify.html, "/oauth/verify-email"), {
      password: "a long enough password",
    });
    const end = await browser.submit(findForm(consent.html, "/oauth/consent"), { decision: "approve" });
    expect(new URL(end.location ?? "").searchParams.get("code")).toBeTruthy();
    const again = await browser.open(link.pathname + link.search);
    expect(again.status).toBe(400);
  });

  it("refuses a short password, and answers an address already registered like a new one", async () => {
    const existing = await makeUser(tenant);
    const browser = new Browser(client.redirectUri);
    const login = await browser.open(authorizeUrl());
    const signupLink = /href="(\/oauth\/signup\?[^"]+)"/.exec(login.html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    let page = await browser.open(signupLink);
    page = await browser.submit(findForm(page.html, "/oauth/signup"), { email: "x@example.org", password: "short" });
    expect(page.status).toBe(400);
    expect(page.html).toContain("at least 12 characters");
    page = await browser.submit(findForm(page.html, "/oauth/signup"), {
      email: existing.email.toUpperCase(),
      password: "a long enough password",
    });
    expect(page.status).toBe(200);
    expect(page.html).toContain("Check your e-mail");
    expect(page.html).not.toContain("already");
  });
});

describe("two-step verification", () => {
  it("makes an admin enrol, then asks for a code at every login and refuses a replayed one", async () => {
    const admin = await makeUser(tenant, ["admin", "data_owner"]);
    const browser = new Browser(client.redirectUri);
    const enrol = await browser.signIn(await browser.open(authorizeUrl()), admin.email, admin.password, null);
    expect(enrol.html).toContain("Set up two-step verification");
    const secret = secretOn(enrol);
    // The very code used for enrolment is replayed below: computing "a code for now" again could land in
    // the next 30-second step on a slow machine and be a new, valid code.
    const enrolCode = await totp(secret, Date.now());
    const codes = await browser.submit(findForm(enrol.html, "/oauth/mfa/enrol"), { code: enrolCode });
    expect(codes.html).toContain("Save your recovery codes");
    const recovery = [...codes.html.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1] ?? "");
    expect(recovery).toHaveLength(10);

    // A new login asks for a code; the code just used for enrolment is refused (same time step).
    const second = new Browser(client.redirectUri);
    const mfa = await second.signIn(await second.open(authorizeUrl()), admin.email, admin.password, null);
    expect(mfa.html).toContain('action="/oauth/mfa"');
    const replay = await second.submit(findForm(mfa.html, "/oauth/mfa"), { code: enrolCode });
    expect(replay.status).toBe(401);
    // A recovery code works once.
    const consent = await second.submit(findForm(replay.html, "/oauth/mfa"), { code: recovery[0] ?? "" });
    expect(consent.html).toContain('action="/oauth/consent"');

    const third = new Browser(client.redirectUri);
    const mfa3 = await third.signIn(await third.open(authorizeUrl()), admin.email, admin.password, null);
    const reused = await third.submit(findForm(mfa3.html, "/oauth/mfa"), { code: recovery[0] ?? "" });
    expect(reused.status).toBe(401);
  });

  it("is enforced for everyone in a tenant that requires it", async () => {
    const strict = await makeTenant({ mfa_required: true });
    const strictClient = await makeClient(strict, { type: "public" });
    const member = await makeUser(strict);
    const browser = new Browser(strictClient.redirectUri);
    const page = await browser.signIn(
      await browser.open(authorizeUrl(strictClient)),
      member.email,
      member.password,
      null,
    );
    expect(page.html).toContain("Set up two-step verification");
  });

  it("is optional for a data owner in a tenant that does not require it", async () => {
    const member = await makeUser(tenant);
    const browser = new Browser(client.redirectUri);
    const page = await browser.signIn(await browser.open(authorizeUrl()), member.email, member.password, null);
    expect(page.html).toContain('action="/oauth/consent"');
  });
});

describe("password reset", () => {
  it("e-mails a single-use link that sets a new password and unlocks the account", async () => {
    const member = await makeUser(tenant);
    const browser = new Browser(client.redirectUri);
    const login = await browser.open(authorizeUrl());
    const forgotLink = /href="(\/oauth\/forgot-password\?[^"]+)"/.exec(login.html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const forgot = await browser.open(forgotLink);
    const sent = await browser.submit(findForm(forgot.html, "/oauth/forgot-password"), { email: member.email });
    expect(sent.html).toContain("If an account uses that address");
    // Same answer for an unknown address, and nothing is queued for it.
    const forgot2 = await browser.open(forgotLink);
    const unknown = await browser.submit(findForm(forgot2.html, "/oauth/forgot-password"), {
      email: "nobody@example.org",
    });
    expect(unknown.html).toBe(sent.html);
    expect(await outbox("nobody@example.org")).toEqual([]);

    const [message] = await outbox(member.email);
    expect(message?.kind).toBe("reset_password");
    const link = new URL(message?.payload.link ?? "");
    const form = await browser.open(link.pathname + link.search);
    const done = await browser.submit(findForm(form.html, "/oauth/reset-password"), {
      password: "a brand new password",
    });
    expect(done.html).toContain("Password changed");
    const reuse = await browser.open(link.pathname + link.search);
    const refused = await browser.submit(findForm(reuse.html, "/oauth/reset-password"), {
      password: "yet another password",
    });
    expect(refused.status).toBe(400);

    const fresh = new Browser(client.redirectUri);
    const old = await fresh.signIn(await fresh.open(authorizeUrl()), member.email, member.password, null);
    expect(old.status).toBe(401);
    const ok = await fresh.signIn(await fresh.open(authorizeUrl()), member.email, "a brand new password", null);
    expect(ok.html).toContain('action="/oauth/consent"');
  });

  it("keeps an enrolled second factor: the next sign-in still asks for it", async () => {
    // Recovery policy (docs/identity.md): the reset link proves control of the e-mail address only.
    const admin = await makeUser(tenant, ["admin", "data_owner"]);
    await adminToken(client, admin, "openid");
    await resetPassword(client, admin, "a brand new password");
    const browser = new Browser(client.redirectUri);
    const page = await browser.signIn(await browser.open(authorizeUrl()), admin.email, "a brand new password", null);
    expect(page.html).toContain('action="/oauth/mfa"');
    expect(page.html).not.toContain("Set up two-step verification");
  });
});

describe("the pages' Content-Security-Policy", () => {
  it("lets the sign-in and consent forms end at the client's redirect URI, and nowhere else", async () => {
    // Browsers apply form-action to the redirects after a submission (CSP Level 3): with 'self' alone,
    // Chromium stopped `dfda login` at the 303 to its loopback redirect URI.
    const res = await api(authorizeUrl());
    expect(await res.text()).toContain('action="/oauth/login"');
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain(`form-action 'self' ${new URL(client.redirectUri).origin};`);
    expect(csp).toContain("default-src 'none'");
  });
});
