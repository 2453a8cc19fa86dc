import { randomToken, timingSafeEqual } from "@dfda/auth";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findTenant, userRoles } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../lib/types";
import {
  clientIp,
  configOf,
  cookieName,
  cookieOptions,
  htmlResponse,
  LOGIN_CSRF_COOKIE,
  requestForm,
  SESSION_COOKIE,
} from "../http";
import { checkPassword } from "../login";
import { secondFactorDue } from "../mfa";
import {
  csrfField,
  formBody,
  htmlContent,
  internalErrorResponse,
  mount,
  rateLimitedResponse,
  redirect,
  returnToField,
} from "../openapi";
import { loginPage } from "../pages";
import { rateLimited } from "../rate-limit";
import { createSession } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/login",
  operationId: "signIn",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Sign in with e-mail and password (the sign-in page's form)",
  description:
    "Checks the password (with lockout after repeated failures), starts the browser session and continues the " +
    "authorization request: to the second-factor step when one is due, else back to `/oauth/authorize`. The " +
    "form carries a double-submit CSRF token (OWASP CSRF Prevention Cheat Sheet).",
  request: {
    body: formBody(
      {
        email: { type: "string" },
        password: { type: "string" },
        return_to: returnToField,
        csrf_token: csrfField,
      },
      ["email", "password", "return_to", "csrf_token"],
    ),
  },
  responses: {
    303: redirect("Signed in: on to the second-factor step or back to the authorization request."),
    400: { description: "The form expired or the request is not valid: the page again.", content: htmlContent },
    401: { description: "Wrong e-mail or password: the sign-in page again.", content: htmlContent },
    403: { description: "The account is locked for a while: the sign-in page again.", content: htmlContent },
    429: rateLimitedResponse,
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
      if (result.reason === "locked")
        return again("Too many failed attempts. The account is locked for a while; try again later.", 403);
      return again("The e-mail or password is not correct.", 401);
    }
    const tenant = await findTenant(db, request.client.tenantId);
    const roles = await userRoles(db, request.client.tenantId, result.user.id);
    const due = await secondFactorDue(
      db,
      { id: request.client.tenantId, settings: tenant?.settings ?? {} },
      result.user.id,
      roles,
    );
    const session = await createSession(
      db,
      {
        tenantId: request.client.tenantId,
        userId: result.user.id,
        authTime: new Date(),
        amr: ["pwd"],
        mfaPending: due !== null,
      },
      cfg.sessionTtl,
    );
    setCookie(c, cookieName(cfg, SESSION_COOKIE), session.id, cookieOptions(cfg, cfg.sessionTtl));
    deleteCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), { path: "/", secure: cfg.issuer.startsWith("https://") });
    await recordAudit(db, {
      tenantId: request.client.tenantId,
      action: "auth.login",
      outcome: "success",
      actorUserId: result.user.id,
      subjectUserId: result.user.id,
      actorClientId: request.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: { mfa: due ?? "none" },
    });
    if (due === "verify") return c.redirect(`/oauth/mfa?return_to=${encodeURIComponent(returnTo)}`, 303);
    if (due === "enrol") return c.redirect(`/oauth/mfa/enrol?return_to=${encodeURIComponent(returnTo)}`, 303);
    return c.redirect(returnTo, 303);
  });
}
