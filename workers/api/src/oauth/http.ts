/**
 * What the authorization server's endpoints share about HTTP: its configuration per request, the
 * browser session and CSRF cookies, form bodies, HTML page responses, and OAuth's error format. The
 * endpoints themselves are one file each in `routes/`; they import this, never each other.
 */
import { timingSafeEqual } from "@dfda/auth";
import type { Database } from "@dfda/db";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../lib/types";
import { type SignInRequest, safeReturnTo } from "./authorize";
import { authenticateClient, type OAuthClient } from "./client-auth";
import { type AuthConfig, authConfig } from "./config";
import { signInRequestFromReturnTo } from "./device";
import { OAuthError, oauthErrorResponse } from "./errors";
import { simplePage } from "./pages";
import { rateLimited } from "./rate-limit";
import { findSession } from "./store";

/** The browser session of the sign-in pages. */
export const SESSION_COOKIE = "dfda_session";
/** Double-submit token of the sign-in and sign-up forms. */
export const LOGIN_CSRF_COOKIE = "dfda_login_csrf";
/** Double-submit token of the password-reset forms. */
const FORM_CSRF_COOKIE = "dfda_form_csrf";

/** The authorization server's settings for this request (read from the bindings, see config.ts). */
export function configOf(c: Context<AppEnv>): AuthConfig {
  return authConfig(c.env, c.req.url);
}

export function cookieName(config: AuthConfig, base: string): string {
  // The __Host- prefix (RFC 6265bis §4.1.3.2) needs Secure, which needs HTTPS.
  return config.issuer.startsWith("https://") ? `__Host-${base}` : base;
}

export function cookieOptions(config: AuthConfig, maxAge: number) {
  return {
    path: "/",
    httpOnly: true,
    secure: config.issuer.startsWith("https://"),
    sameSite: "Lax" as const,
    maxAge,
  };
}

/** Sets the password-reset forms' CSRF cookie (an hour), named without the __Host- prefix. */
export function setFormCsrfCookie(c: Context<AppEnv>, config: AuthConfig, token: string): void {
  setCookie(c, FORM_CSRF_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: config.issuer.startsWith("https://"),
    maxAge: 3600,
  });
}

/** The password-reset forms' CSRF cookie, or "" when absent. */
export function formCsrfCookie(c: Context<AppEnv>): string {
  return getCookie(c, FORM_CSRF_COOKIE) ?? "";
}

export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

/** An `application/x-www-form-urlencoded` body (RFC 6749 §3.2, §4.1.3), or `invalid_request`. */
export async function form(c: Context<AppEnv>): Promise<URLSearchParams> {
  const type = c.req.header("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.");
  }
  // Decoded by hand: workerd warns when text() reads a body whose type is not text/*.
  return new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
}

/**
 * The CSP source of a client's redirect URI: its origin, or for a private-use scheme (RFC 8252 §7.1)
 * the scheme. A page whose form ends in a redirect to the client must allow it: browsers apply
 * `form-action` to the redirects that follow a form submission too (CSP Level 3 §6.3.1.3), so
 * `'self'` alone stops the sign-in at the last step.
 */
export function redirectSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol;
}

/** A page: never cached, never framed (clickjacking), and with a CSP that allows no script. */
export function htmlResponse(
  c: Context<AppEnv>,
  body: Parameters<Context["html"]>[0],
  status: 200 | 400 | 401 | 403 | 429 = 200,
  /** Where its forms may end up besides this server: the client's redirect URI (redirectSource). */
  formTargets: readonly string[] = [],
) {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action ${["'self'", ...formTargets].join(" ")}; frame-ancestors 'none'`,
  );
  return c.html(body, status);
}

export async function sessionOf(c: Context<AppEnv>, db: Database, config: AuthConfig) {
  const id = getCookie(c, cookieName(config, SESSION_COOKIE));
  return id ? findSession(db, id) : null;
}

/** Protocol endpoints answer their own errors in OAuth's format (RFC 6749 §5.2), not problem+json. */
export function protocol(handler: (c: Context<AppEnv>) => Promise<Response>) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(error);
      throw error;
    }
  };
}

/** Reads a form post for a page, or answers with a page saying the form was not understood. */
export async function formOrPage(c: Context<AppEnv>): Promise<URLSearchParams | Response> {
  try {
    return await form(c);
  } catch (error) {
    if (error instanceof OAuthError) return htmlResponse(c, simplePage("Cannot continue", error.description), 400);
    throw error;
  }
}

/**
 * A form posted from a page of a signed-in session: the session, its CSRF token (synchronizer token,
 * OWASP CSRF Prevention Cheat Sheet) and a safe `return_to`, or the page saying the session expired.
 */
export async function sessionForm(
  c: Context<AppEnv>,
  db: Database,
  cfg: AuthConfig,
  options: { requireMfaDone?: boolean } = {},
): Promise<
  { body: URLSearchParams; session: NonNullable<Awaited<ReturnType<typeof sessionOf>>>; returnTo: string } | Response
> {
  const body = await formOrPage(c);
  if (body instanceof Response) return body;
  const session = await sessionOf(c, db, cfg);
  const returnTo = safeReturnTo(body.get("return_to"));
  if (
    !session ||
    (options.requireMfaDone && session.mfaPending) ||
    !returnTo ||
    !timingSafeEqual(session.csrfToken, body.get("csrf_token") ?? "")
  ) {
    return htmlResponse(c, simplePage("Session expired", "Sign in again."), 400);
  }
  return { body, session, returnTo };
}

/**
 * A form posted from a sign-in page (sign-in, sign-up, forgotten password) that carries its
 * authorization request (or device verification) in `return_to`: the form with the request it continues, validated again
 * (the form may have been altered), or the page saying it cannot continue.
 */
export async function requestForm(
  c: Context<AppEnv>,
  db: Database,
  cfg: AuthConfig,
  invalid: string,
): Promise<{ body: URLSearchParams; returnTo: string; request: SignInRequest } | Response> {
  const body = await formOrPage(c);
  if (body instanceof Response) return body;
  const resolved = await signInRequestFromReturnTo(db, cfg, body.get("return_to"));
  if (!resolved) return htmlResponse(c, simplePage("Cannot continue", invalid), 400);
  return { body, ...resolved };
}

/**
 * The token a client asks about at the revocation or introspection endpoint (RFC 7009 §2.1, RFC 7662
 * §2.1), with the client, authenticated as at the token endpoint (RFC 6749 §2.3).
 */
export async function clientTokenForm(
  c: Context<AppEnv>,
  db: Database,
  options: { requireConfidential?: boolean } = {},
): Promise<{ body: URLSearchParams; client: OAuthClient; token: string }> {
  const body = await form(c);
  const client = await authenticateClient(db, c.req.header("Authorization"), body, options);
  const token = body.get("token");
  if (!token) throw new OAuthError("invalid_request", "token is required.");
  return { body, client, token };
}

/**
 * The form of a request where a client authenticates as at the token endpoint (the token and device
 * authorization endpoints: RFC 6749 §2.3.1 `client_secret_basic`, `client_secret_post`, or a public
 * client's `client_id` alone), read and throttled before any database work: the `token` limits count
 * per IP and per claimed client id (the body's `client_id`, else the Basic one), so guessing secrets for
 * one client is slowed wherever it comes from. Authentication itself is each endpoint's, after this
 * (`authenticateClient`), because the token endpoint first needs `grant_type` to know what it requires.
 * Answers the form, or the 429 problem to return.
 */
export async function throttledClientForm(c: Context<AppEnv>): Promise<URLSearchParams | Response> {
  const body = await form(c);
  const limited = await rateLimited(c, "token", body.get("client_id") ?? basicClientId(c.req.header("Authorization")));
  return limited ?? body;
}

/** The client id of an HTTP Basic `Authorization` header (RFC 6749 §2.3.1), for rate limiting only. */
export function basicClientId(header: string | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? "");
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(atob(match[1]).split(":")[0] ?? "");
  } catch {
    return null;
  }
}

/** The RFC 6750 §3 answer of a bearer-protected OAuth endpoint to a missing or unusable token. */
export function invalidTokenResponse(c: Context<AppEnv>) {
  return c.json({ error: "invalid_token" }, 401, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
}

/** The RFC 6750 §3.1 answer to a token without the scope the endpoint needs. */
export function insufficientScopeResponse(c: Context<AppEnv>, scope: string) {
  return c.json({ error: "insufficient_scope" }, 403, {
    "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${scope}"`,
  });
}
