import { hashPassword, randomToken, timingSafeEqual } from "@dfda/auth";
import { recordAudit } from "@dfda/db/repositories/audit";
import { createUser } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../lib/types";
import { sendVerification } from "../email-flows";
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
import { signupPage } from "../pages";
import { rateLimited } from "../rate-limit";
import { createSession } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/signup",
  operationId: "signUp",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Create an account (the sign-up page's form)",
  description:
    "Creates a data owner with a password of at least 12 characters (NIST SP 800-63B §5.1.1.2), queues the " +
    "e-mail that confirms the address, signs the person in and continues the authorization request.",
  request: {
    body: formBody(
      {
        email: { type: "string" },
        name: { type: "string", description: "Display name (optional)." },
        password: { type: "string" },
        return_to: returnToField,
        csrf_token: csrfField,
      },
      ["email", "password", "return_to", "csrf_token"],
    ),
  },
  responses: {
    303: redirect("Signed up and signed in: back to the authorization request."),
    400: { description: "The form is not valid or expired: the sign-up page again.", content: htmlContent },
    429: rateLimitedResponse,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const resolved = await requestForm(c, db, cfg, "The sign-up request is not valid.");
    if (resolved instanceof Response) return resolved;
    const { body, returnTo, request } = resolved;
    const email = (body.get("email") ?? "").trim();
    const name = (body.get("name") ?? "").trim();
    const password = body.get("password") ?? "";
    const again = (error: string, status: 400 | 429) => {
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(
        c,
        signupPage({ csrfToken, returnTo, tenantName: request.tenantName, email, name, error }),
        status,
      );
    };
    const cookieCsrf = getCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE)) ?? "";
    if (cookieCsrf === "" || !timingSafeEqual(cookieCsrf, body.get("csrf_token") ?? ""))
      return again("Your form expired. Try again.", 400);
    const limited = await rateLimited(c, "registration", request.client.clientId);
    if (limited) return limited;
    // Length first (RFC 5321 §4.5.3.1.3): the shape regex is quadratic in its input (CWE-1333).
    if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      return again("Enter a valid e-mail address.", 400);
    // NIST SP 800-63B §5.1.1.2: at least 8 characters; we ask 12, and allow up to 1024.
    if (password.length < 12 || password.length > 1024)
      return again("Choose a password of at least 12 characters.", 400);
    let userId: string;
    try {
      ({ id: userId } = await createUser(db, {
        tenantId: request.client.tenantId,
        email,
        passwordHash: await hashPassword(password),
        displayName: name || null,
        roles: ["data_owner"],
      }));
    } catch (error) {
      if (
        (error as { code?: string }).code === "23505" ||
        String((error as { cause?: { code?: string } }).cause?.code) === "23505"
      ) {
        return again("An account with this e-mail already exists. Sign in instead.", 400);
      }
      throw error;
    }
    await sendVerification(db, cfg, { tenantId: request.client.tenantId, userId, email });
    await recordAudit(db, {
      tenantId: request.client.tenantId,
      action: "auth.signup",
      outcome: "success",
      actorUserId: userId,
      subjectUserId: userId,
      actorClientId: request.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
    });
    const session = await createSession(
      db,
      { tenantId: request.client.tenantId, userId, authTime: new Date(), amr: ["pwd"], mfaPending: false },
      cfg.sessionTtl,
    );
    setCookie(c, cookieName(cfg, SESSION_COOKIE), session.id, cookieOptions(cfg, cfg.sessionTtl));
    return c.redirect(returnTo, 303);
  });
}
