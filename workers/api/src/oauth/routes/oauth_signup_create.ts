import { hashPassword, randomToken, timingSafeEqual } from "@dfda/auth";
import { recordAudit } from "@dfda/db/repositories/audit";
import { createUser, findUserByEmail } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getCookie, setCookie } from "hono/cookie";
import { EXAMPLE_CSRF, EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { resendVerification, sendExistingAccountNotice, sendVerification } from "../email-flows";
import { clientIp, configOf, cookieName, cookieOptions, htmlResponse, LOGIN_CSRF_COOKIE, requestForm } from "../http";
import {
  csrfField,
  formBody,
  htmlPage,
  internalErrorResponse,
  mount,
  rateLimitedResponse,
  returnToField,
} from "../openapi";
import { signupPage, signupSentPage } from "../pages";
import { rateLimited } from "../rate-limit";

/** Postgres unique_violation (SQLSTATE 23505), raised directly or wrapped by the driver. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.code === "23505" || e.cause?.code === "23505";
}

export const route = createRoute({
  method: "post",
  path: "/oauth/signup",
  operationId: "signUp",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Create an account (the sign-up page's form)",
  description:
    "Creates a data owner with a password of at least 12 characters (NIST SP 800-63B §5.1.1.2), not yet " +
    "confirmed, and queues the e-mail whose link confirms the address and continues the authorization request; " +
    "no session, code or token exists before that. Every well-formed sign-up gets the same page, whether or not " +
    "the address already has an account (that account's owner gets an e-mail saying so instead): no account " +
    "enumeration (OWASP Authentication Cheat Sheet).",
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
      {
        email: "ada@example.org",
        name: "Ada",
        password: "correct horse battery staple",
        return_to: EXAMPLE_RETURN_TO,
        csrf_token: EXAMPLE_CSRF,
      },
    ),
  },
  responses: {
    200: htmlPage(
      "Check your e-mail: the same page whether or not the address had an account.",
      "Check your e-mail",
      "<p>We sent a link to ada@example.org. Open it to confirm the address.</p>",
    ),
    400: htmlPage(
      "The form is not valid or expired: the sign-up page again.",
      "Create an account",
      '<p role="alert">The password must have at least 12 characters.</p><form method="post" action="/oauth/signup">…</form>',
    ),
    429: rateLimitedResponse("registration"),
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
    // The hash is made whether or not the address is taken, so timing does not tell which it is.
    const passwordHash = await hashPassword(password);
    const tenantId = request.client.tenantId;
    let created: string | null = null;
    try {
      ({ id: created } = await createUser(db, {
        tenantId,
        email,
        passwordHash,
        displayName: name || null,
        roles: ["data_owner"],
        emailVerified: false,
      }));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    if (created !== null) {
      await sendVerification(db, cfg, { tenantId, userId: created, email }, returnTo);
    } else {
      // The address has an account: the same page as a new sign-up, and an e-mail that says so. An
      // account still unconfirmed gets its link again; its password stays the one first chosen, so a
      // second sign-up cannot replace the password of someone else's pending account.
      const existing = await findUserByEmail(db, tenantId, email);
      if (existing?.status === "active" && existing.emailVerifiedAt === null) {
        await resendVerification(db, cfg, tenantId, email);
      } else if (existing?.status === "active") {
        await sendExistingAccountNotice(db, { tenantId, userId: existing.id, email: existing.email });
      }
    }
    await recordAudit(db, {
      tenantId,
      action: "auth.signup",
      outcome: created !== null ? "success" : "failure",
      actorUserId: created,
      subjectUserId: created,
      actorClientId: request.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: created !== null ? {} : { reason: "address_taken" },
    });
    const csrfToken = randomToken();
    setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
    return htmlResponse(c, signupSentPage({ csrfToken, returnTo, email }));
  });
}
