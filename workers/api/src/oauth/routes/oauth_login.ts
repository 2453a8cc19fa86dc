import { randomToken, timingSafeEqual } from "@dfda/auth";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getCookie, setCookie } from "hono/cookie";
import { EXAMPLE_CSRF, EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientIp, configOf, cookieName, cookieOptions, htmlResponse, LOGIN_CSRF_COOKIE, requestForm } from "../http";
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
import { loginPage, unverifiedPage, waitText } from "../pages";
import { rateLimited } from "../rate-limit";

export const route = createRoute({
  method: "post",
  path: "/oauth/login",
  operationId: "signIn",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Sign in with e-mail and password (the sign-in page's form)",
  description:
    "Checks the password (failures are throttled per client address and account, with a higher ceiling per " +
    "account: docs/identity.md), starts the browser session and continues the authorization request: to the " +
    "second-factor step when one is due, else back to `/oauth/authorize`. An account whose e-mail address is " +
    "not confirmed gets no session: a page offers the confirmation link again. The form carries a " +
    "double-submit CSRF token (OWASP CSRF Prevention Cheat Sheet).",
  request: {
    body: formBody(
      {
        email: { type: "string" },
        password: { type: "string" },
        return_to: returnToField,
        csrf_token: csrfField,
      },
      ["email", "password", "return_to", "csrf_token"],
      {
        email: "ada@example.org",
        password: "correct horse battery staple",
        return_to: EXAMPLE_RETURN_TO,
        csrf_token: EXAMPLE_CSRF,
      },
    ),
  },
  responses: {
    303: redirect(
      "Signed in: on to the second-factor step or back to the authorization request.",
      `/oauth/mfa?return_to=${encodeURIComponent(EXAMPLE_RETURN_TO)}`,
    ),
    400: htmlPage(
      "The form expired or the request is not valid: the page again.",
      "Sign in",
      `<form method="post" action="/oauth/login"><p role="alert">The form expired. Try again.</p><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form>`,
    ),
    401: htmlPage(
      "Wrong e-mail or password: the sign-in page again.",
      "Sign in",
      `<form method="post" action="/oauth/login"><p role="alert">Wrong e-mail or password.</p><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form>`,
    ),
    403: htmlPage(
      "Too many failures from this address (or for this account) for a while, with `Retry-After`: the sign-in " +
        "page again; or the e-mail address is not confirmed yet: a page offering the link again.",
      "Sign in",
      `<form method="post" action="/oauth/login"><p role="alert">Too many failed sign-ins. Try again in 15 minutes.</p><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form>`,
    ),
    429: rateLimitedResponse("login"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const resolved = await requestForm(c, db, cfg, "The sign-in request is not valid.");
    if (resolved instanceof Response) return resolved;
    const { body, returnTo, request } = resolved;
    const cookieCsrf = getCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE)) ?? "";
    const formCsrf = body.get("csrf_token") ?? "";
    const email = (body.get("email") ?? "").trim();
    const again = (error: string, status: 400 | 401 | 403 | 429) => {
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(c, loginPage({ csrfToken, returnTo, tenantName: request.tenantName, email, error }), status);
    };
    // Double-submit cookie against login CSRF (OWASP CSRF Prevention Cheat Sheet).
    if (cookieCsrf === "" || !timingSafeEqual(cookieCsrf, formCsrf))
      return again("Your sign-in form expired. Try again.", 400);
    const limited = await rateLimited(c, "login", request.client.clientId);
    if (limited) return limited;
    const result = await checkPassword(db, request.client.tenantId, email, body.get("password") ?? "", {
      ip: clientIp(c),
      requestId: c.var.requestId,
      clientId: request.client.clientId,
    });
    if (!result.ok) {
      if (result.reason === "locked") {
        c.header("Retry-After", String(result.retryAfter));
        return again(
          `Too many failed attempts: signing in to this account from here is locked for ${waitText(result.retryAfter)}. Try again then, or reset your password.`,
          403,
        );
      }
      return again("The e-mail or password is not correct.", 401);
    }
    // No session, code or token for an address nobody has confirmed (pre-account-hijack): the page
    // offers the link again. Said only after the right password, so it tells nothing to a guesser.
    if (result.user.emailVerifiedAt === null) {
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(c, unverifiedPage({ csrfToken, returnTo, email: result.user.email }), 403);
    }
    return startSignedInSession(c, db, cfg, request, returnTo, result.user.id);
  });
}
