import { randomToken, timingSafeEqual } from "@dfda/auth";
import { findUser } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getCookie, setCookie } from "hono/cookie";
import { EXAMPLE_CSRF, EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { safeReturnTo } from "../authorize";
import { signInRequestFromReturnTo } from "../device";
import { confirmEmail, consumeEmailToken, findEmailToken } from "../email-flows";
import { clientIp, configOf, cookieName, cookieOptions, formOrPage, htmlResponse, LOGIN_CSRF_COOKIE } from "../http";
import { checkPassword, startSignedInSession } from "../login";
import {
  csrfField,
  formBody,
  htmlPage,
  internalErrorResponse,
  mount,
  rateLimitedResponse,
  redirect,
  returnToField,
} from "../openapi";
import { simplePage, verifyEmailPage, waitText } from "../pages";
import { rateLimited } from "../rate-limit";

export const route = createRoute({
  method: "post",
  path: "/oauth/verify-email",
  operationId: "confirmEmail",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Confirm an e-mail address with the account's password (the confirmation page's form)",
  description:
    "Checks the password (throttled as at sign-in), uses up the link's token, confirms the address and revokes " +
    "every session, refresh token, code and access token issued before (pre-account-hijacking), then signs the " +
    "person in and continues the authorization request they signed up from, through the second factor when one " +
    "is due (an administrator, or a tenant's `mfa_required`). Without a usable authorization request, a page " +
    "says to sign in. The form carries a double-submit CSRF token (OWASP CSRF Prevention Cheat Sheet).",
  request: {
    body: formBody(
      {
        token: { type: "string", description: "The token from the e-mail." },
        password: { type: "string" },
        return_to: returnToField,
        csrf_token: csrfField,
      },
      ["token", "password", "csrf_token"],
      {
        token: "Zp4Lw8Qe2Rt6Yu0Io3Pa7Sd1Fg5Hj9Kl",
        password: "correct horse battery staple",
        return_to: EXAMPLE_RETURN_TO,
        csrf_token: EXAMPLE_CSRF,
      },
    ),
  },
  responses: {
    200: htmlPage(
      "Confirmed, with no authorization request to continue: sign in.",
      "E-mail address confirmed",
      "<p>Your address is confirmed. Sign in from the app you signed up in.</p>",
    ),
    303: redirect(
      "Confirmed and signed in: on to the second-factor step or back to the authorization request.",
      EXAMPLE_RETURN_TO,
    ),
    400: htmlPage(
      "The form expired, or the link is used or expired.",
      "Cannot continue",
      "<p>This link was used or has expired. Ask for a new one.</p>",
    ),
    401: htmlPage(
      "Wrong password: the page again.",
      "Confirm your e-mail address",
      '<p role="alert">Wrong password.</p><form method="post" action="/oauth/verify-email"><input type="password" name="password"><button>Confirm and sign in</button></form>',
    ),
    403: htmlPage(
      "Too many failed passwords for a while, with `Retry-After`: the page again.",
      "Confirm your e-mail address",
      '<p role="alert">Too many failed attempts. Try again in 15 minutes.</p><form method="post" action="/oauth/verify-email"><input type="password" name="password"><button>Confirm and sign in</button></form>',
    ),
    429: rateLimitedResponse("login"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const body = await formOrPage(c);
    if (body instanceof Response) return body;
    const token = body.get("token") ?? "";
    const returnTo = safeReturnTo(body.get("return_to"));
    const cookieCsrf = getCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE)) ?? "";
    if (cookieCsrf === "" || !timingSafeEqual(cookieCsrf, body.get("csrf_token") ?? ""))
      return htmlResponse(c, simplePage("Form expired", "Open the link from the e-mail again."), 400);
    const expired = () =>
      htmlResponse(c, simplePage("Link expired", "This link is not valid any more. Sign in to get a new one."), 400);
    const row = await findEmailToken(db, token, "verify_email");
    const user = row ? await findUser(db, row.tenantId, row.userId) : null;
    if (!row || !user) return expired();
    const limited = await rateLimited(c, "login", null);
    if (limited) return limited;
    const again = (error: string, status: 401 | 403) => {
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(c, verifyEmailPage({ csrfToken, token, returnTo, email: user.email, error }), status);
    };
    const result = await checkPassword(db, row.tenantId, user.email, body.get("password") ?? "", {
      ip: clientIp(c),
      requestId: c.var.requestId,
      clientId: null,
    });
    if (!result.ok) {
      if (result.reason === "locked") {
        c.header("Retry-After", String(result.retryAfter));
        return again(`Too many failed attempts. Try again in ${waitText(result.retryAfter)}.`, 403);
      }
      if (result.reason === "disabled") return expired();
      return again("That is not this account's password.", 401);
    }
    // Used up only now, after the password: of two concurrent confirmations one wins.
    if (result.user.id !== row.userId || !(await consumeEmailToken(db, token, "verify_email"))) return expired();
    await confirmEmail(db, row, c.var.requestId);
    const resolved = returnTo ? await signInRequestFromReturnTo(db, cfg, returnTo) : null;
    if (!resolved || resolved.request.client.tenantId !== row.tenantId)
      return htmlResponse(
        c,
        simplePage("E-mail confirmed", "Your e-mail address is confirmed. Return to the application and sign in."),
      );
    return startSignedInSession(c, db, cfg, resolved.request, resolved.returnTo, row.userId);
  });
}
