/**
 * Server-rendered pages of the authorization server: sign-up, login, second factor, consent, and the
 * small forms around them. They work without JavaScript and can be submitted by a script (`dfda
 * login`): every form is a plain POST of named inputs. `html` escapes every interpolated value.
 */
import { describeScope, scopeInfo } from "@dfda/core";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { longDate } from "./tenant-settings";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
  body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f5f7fa;color:#1f2933;margin:0}
  main{max-width:420px;margin:48px auto;background:#fff;border-radius:12px;padding:32px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
  h1{font-size:1.4rem;margin:0 0 16px} label{display:block;margin:12px 0 4px;font-weight:600}
  input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:10px;border:1px solid #cbd2d9;border-radius:6px;font-size:1rem}
  button{margin-top:20px;padding:10px 18px;border:0;border-radius:6px;font-size:1rem;cursor:pointer;background:#2563eb;color:#fff}
  button.secondary{background:#e4e7eb;color:#1f2933;margin-left:8px}
  .error{background:#fde8e8;color:#9b1c1c;padding:10px;border-radius:6px;margin-bottom:12px}
  .notice{background:#e8f1fd;color:#1e429f;padding:10px;border-radius:6px;margin-bottom:12px}
  ul.scopes{padding-left:20px} .app{display:flex;align-items:center;gap:12px;margin-bottom:12px}
  .app img{width:48px;height:48px;border-radius:8px} small{color:#616e7c} a{color:#2563eb}
  code{word-break:break-all}`;

function page(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

function message(error: string | null, notice: string | null = null): Html {
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ""}${notice ? html`<p class="notice">${notice}</p>` : ""}`;
}

export function loginPage(p: {
  csrfToken: string;
  returnTo: string;
  tenantName: string;
  email?: string;
  error?: string | null;
  notice?: string | null;
}): Html {
  const signup = `/oauth/signup?return_to=${encodeURIComponent(p.returnTo)}`;
  const forgot = `/oauth/forgot-password?return_to=${encodeURIComponent(p.returnTo)}`;
  return page(
    "Sign in",
    html`<h1>Sign in to ${p.tenantName}</h1>
${message(p.error ?? null, p.notice ?? null)}
<form method="post" action="/oauth/login">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  <label for="email">E-mail</label>
  <input id="email" type="email" name="email" value="${p.email ?? ""}" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" type="password" name="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
<p><small><a href="${signup}">Create an account</a> · <a href="${forgot}">Forgot your password?</a></small></p>`,
  );
}

export function signupPage(p: {
  csrfToken: string;
  returnTo: string;
  tenantName: string;
  email?: string;
  name?: string;
  error?: string | null;
}): Html {
  return page(
    "Create an account",
    html`<h1>Create an account at ${p.tenantName}</h1>
${message(p.error ?? null)}
<form method="post" action="/oauth/signup">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  <label for="name">Name</label>
  <input id="name" type="text" name="name" value="${p.name ?? ""}" autocomplete="name">
  <label for="email">E-mail</label>
  <input id="email" type="email" name="email" value="${p.email ?? ""}" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" type="password" name="password" autocomplete="new-password" minlength="12" required>
  <small>At least 12 characters.</small>
  <button type="submit">Create account</button>
</form>`,
  );
}

/** "in 5 minutes": how long a lock lasts, in words, for the pages that say so. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** The form that asks for the confirmation link again (it answers the same whether or not it sends one). */
function resendForm(p: { csrfToken: string; returnTo: string; email: string }): Html {
  return html`<form method="post" action="/oauth/verify-email/resend">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  <input type="hidden" name="email" value="${p.email}">
  <button type="submit" class="secondary">Send the link again</button>
</form>`;
}

/**
 * The one answer to every well-formed sign-up, whether or not the address already has an account
 * (no enumeration): the e-mail says which case it is.
 */
export function signupSentPage(p: { csrfToken: string; returnTo: string; email: string }): Html {
  return page(
    "Check your e-mail",
    html`<h1>Check your e-mail</h1>
<p>We sent a message to <strong>${p.email}</strong>. Open the link in it to finish creating your account; the link works for two days.</p>
<p><small>Nothing arrived? Look in your spam folder, or ask for it again.</small></p>
${resendForm(p)}`,
  );
}

/** A correct password for an account whose address nobody has confirmed: no session until it is. */
export function unverifiedPage(p: { csrfToken: string; returnTo: string; email: string }): Html {
  return page(
    "Confirm your e-mail address",
    html`<h1>Confirm your e-mail address first</h1>
<p>Open the link we sent to <strong>${p.email}</strong> when you signed up, then sign in. The link works for two days.</p>
${resendForm(p)}`,
  );
}

/** The page a confirmation link opens: the account's password proves the person who signed up is here. */
export function verifyEmailPage(p: {
  csrfToken: string;
  token: string;
  returnTo: string | null;
  email: string;
  error?: string | null;
}): Html {
  const forgot = p.returnTo ? `/oauth/forgot-password?return_to=${encodeURIComponent(p.returnTo)}` : null;
  return page(
    "Confirm your e-mail address",
    html`<h1>Confirm your e-mail address</h1>
${message(p.error ?? null)}
<p>Enter the password you chose for <strong>${p.email}</strong> to confirm the address and sign in.</p>
<form method="post" action="/oauth/verify-email">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="token" value="${p.token}">
  ${p.returnTo ? html`<input type="hidden" name="return_to" value="${p.returnTo}">` : ""}
  <label for="password">Password</label>
  <input id="password" type="password" name="password" autocomplete="current-password" required>
  <button type="submit">Confirm</button>
</form>
<p><small>Did not create this account, or forgot the password? ${forgot ? html`<a href="${forgot}">Reset the password</a> instead.` : "Reset the password from the sign-in page instead."}</small></p>`,
  );
}

export function mfaPage(p: { csrfToken: string; returnTo: string; error?: string | null }): Html {
  return page(
    "Two-step verification",
    html`<h1>Two-step verification</h1>
${message(p.error ?? null)}
<form method="post" action="/oauth/mfa">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  <label for="code">Code from your authenticator app, or a recovery code</label>
  <input id="code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required>
  <button type="submit">Verify</button>
</form>`,
  );
}

export function mfaEnrolPage(p: {
  csrfToken: string;
  returnTo: string;
  secret: string;
  otpauthUri: string;
  error?: string | null;
}): Html {
  return page(
    "Set up two-step verification",
    html`<h1>Set up two-step verification</h1>
<p>Your organisation requires a second factor. Add this key to an authenticator app (RFC 6238 TOTP), then enter the code it shows.</p>
${message(p.error ?? null)}
<p>Key: <code>${p.secret}</code></p>
<p><small>Or open: <code>${p.otpauthUri}</code></small></p>
<form method="post" action="/oauth/mfa/enrol">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  <label for="code">Code</label>
  <input id="code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required>
  <button type="submit">Turn on</button>
</form>`,
  );
}

export function recoveryCodesPage(p: { codes: readonly string[]; returnTo: string }): Html {
  return page(
    "Recovery codes",
    html`<h1>Save your recovery codes</h1>
<p>Each code signs you in once if you lose your authenticator. They are shown only now.</p>
<ul>${p.codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
<p><a href="${p.returnTo}">Continue</a></p>`,
  );
}

/** The background-access choice of the consent page: what the app's servers could do, and until when. */
export interface BackgroundOffer {
  /** What it may do with the approved data scopes: read, add, or both. */
  actions: ReadonlyArray<"read" | "write">;
  until: Date;
}

/**
 * The consent page. Every scope is one line, in the words of the scope table in @dfda/core (the only
 * source: docs/identity.md), and what keeps working while the person is away is said with its date:
 * - scopes marked `whileAway` (offline_access: refresh tokens, OIDC Core §11), until the tenant's
 *   absolute refresh lifetime (`offlineUntil`);
 * - background access, an app's own servers reading or adding data through client credentials (RFC
 *   6749 §4.4), only as a separate choice left unticked (consent is a clear affirmative act: GDPR Art.
 *   4(11) and Recital 32, "pre-ticked boxes … should not constitute consent"), with its end date.
 */
export function consentPage(p: {
  csrfToken: string;
  returnTo: string;
  clientName: string;
  logoUri: string | null;
  scopes: readonly string[];
  userEmail: string;
  background: BackgroundOffer | null;
  offlineUntil: Date;
}): Html {
  const away = p.scopes.some((s) => scopeInfo(s)?.whileAway === true);
  const verbs = p.background?.actions.map((a) => (a === "read" ? "read" : "add")).join(" and ") ?? "";
  return page(
    "Allow access?",
    html`<div class="app">${p.logoUri ? html`<img src="${p.logoUri}" alt="">` : ""}<h1>${p.clientName} wants to</h1></div>
<ul class="scopes">${p.scopes.map((s) => html`<li>${describeScope(s)}</li>`)}</ul>
${
  away
    ? html`<p>${p.clientName} can use this access while you are not using it, until ${longDate(p.offlineUntil)} at the latest.</p>`
    : html`<p>${p.clientName} can use this access only while you are signed in here.</p>`
}
<form method="post" action="/oauth/consent">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  ${
    p.background
      ? html`<p><label style="font-weight:normal"><input type="checkbox" name="background" value="yes"> Also let ${p.clientName}'s own servers ${verbs} these observations at any time, without you signing in, until ${longDate(p.background.until)}.</label></p>`
      : ""
  }
  <p><small>Signed in as ${p.userEmail}. You can disconnect the app, and end everything above, at any time.</small></p>
  <button type="submit" name="decision" value="approve">Allow</button>
  <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}

export function simplePage(title: string, text: string, link?: { href: string; label: string }): Html {
  return page(
    title,
    html`<h1>${title}</h1><p>${text}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ""}`,
  );
}

export function emailFormPage(p: {
  action: string;
  csrfToken: string;
  returnTo: string;
  title: string;
  text: string;
  error?: string | null;
  notice?: string | null;
}): Html {
  return page(
    p.title,
    html`<h1>${p.title}</h1>
${message(p.error ?? null, p.notice ?? null)}
<p>${p.text}</p>
<form method="post" action="${p.action}">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  <label for="email">E-mail</label>
  <input id="email" type="email" name="email" autocomplete="username" required>
  <button type="submit">Send</button>
</form>`,
  );
}

export function newPasswordPage(p: { csrfToken: string; token: string; error?: string | null }): Html {
  return page(
    "Choose a new password",
    html`<h1>Choose a new password</h1>
${message(p.error ?? null)}
<form method="post" action="/oauth/reset-password">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="token" value="${p.token}">
  <label for="password">New password</label>
  <input id="password" type="password" name="password" autocomplete="new-password" minlength="12" required>
  <button type="submit">Save</button>
</form>`,
  );
}

/**
 * The device verification page (RFC 8628 §3.3): the person types the code their device shows. A GET
 * form, so the address it leads to is the same as the device's `verification_uri_complete`.
 */
export function deviceCodePage(p: { userCode?: string; error?: string | null }): Html {
  return page(
    "Connect a device",
    html`<h1>Connect a device</h1>
${message(p.error ?? null)}
<p>Enter the code your device shows.</p>
<form method="get" action="/oauth/device">
  <label for="user_code">Code</label>
  <input id="user_code" type="text" name="user_code" value="${p.userCode ?? ""}" autocomplete="off" autocapitalize="characters" spellcheck="false" required>
  <button type="submit">Continue</button>
</form>`,
  );
}

/**
 * Approving a device (RFC 8628 §3.3): the application, what it asks for, and the code to compare with
 * the device's screen, so a code someone else sent cannot be approved unnoticed (§5.4, remote phishing).
 */
export function deviceConsentPage(p: {
  csrfToken: string;
  returnTo: string;
  userCode: string;
  clientName: string;
  logoUri: string | null;
  scopes: readonly string[];
  userEmail: string;
  offlineUntil: Date;
}): Html {
  const away = p.scopes.some((s) => scopeInfo(s)?.whileAway === true);
  return page(
    "Connect a device?",
    html`<div class="app">${p.logoUri ? html`<img src="${p.logoUri}" alt="">` : ""}<h1>${p.clientName} on another device wants to</h1></div>
<ul class="scopes">${p.scopes.map((s) => html`<li>${describeScope(s)}</li>`)}</ul>
<p class="notice">Allow only if your device shows the code <strong>${p.userCode}</strong> and you started this yourself.</p>
${
  away
    ? html`<p>${p.clientName} can use this access while you are not using it, until ${longDate(p.offlineUntil)} at the latest.</p>`
    : html`<p>${p.clientName} can use this access only for a short while.</p>`
}
<form method="post" action="/oauth/device/decision">
  <input type="hidden" name="csrf_token" value="${p.csrfToken}">
  <input type="hidden" name="return_to" value="${p.returnTo}">
  <input type="hidden" name="user_code" value="${p.userCode}">
  <p><small>Signed in as ${p.userEmail}. You can disconnect the app at any time.</small></p>
  <button type="submit" name="decision" value="approve">Allow</button>
  <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}
