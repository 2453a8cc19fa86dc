import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientIp, configOf, htmlResponse, sessionForm } from "../http";
import { checkSecondFactor } from "../mfa";
import {
  codeFormBody,
  htmlPage,
  internalErrorResponse,
  mount,
  pageError,
  rateLimitedResponse,
  redirect,
} from "../openapi";
import { mfaPage, waitText } from "../pages";
import { rateLimited } from "../rate-limit";
import { completeSessionMfa } from "../store";

/** The second-factor form, with the message it shows. */
const MFA_FORM = (message: string) =>
  `<form method="post" action="/oauth/mfa"><p role="alert">${message}</p><input name="code" inputmode="numeric" autocomplete="one-time-code"><button>Verify</button></form>`;

export const route = createRoute({
  method: "post",
  path: "/oauth/mfa",
  operationId: "verifySecondFactor",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Check the second factor (the second-factor page's form)",
  description:
    "Checks a TOTP code (RFC 6238) or a single-use recovery code and completes the session's sign-in. Wrong " +
    "codes are counted per account: five lock the second factor for a minute, then twice as long each time " +
    "(capped at an hour), and the owner is e-mailed once per lock. The form carries the session's CSRF token " +
    "(synchronizer token, OWASP CSRF Prevention Cheat Sheet).",
  request: { body: codeFormBody },
  responses: {
    303: redirect("Verified: back to the authorization request.", EXAMPLE_RETURN_TO),
    400: pageError,
    401: htmlPage(
      "The code is not valid: the page again.",
      "Two-step verification",
      MFA_FORM("That code is not valid."),
    ),
    429: {
      description:
        "Too many wrong codes for this account: the page again, with `Retry-After` (`text/html`); or the address " +
        "is throttled (`rate_limited` problem, with `Retry-After`).",
      content: {
        ...htmlPage("", "Two-step verification", MFA_FORM("Too many wrong codes. Try again in a minute.")).content,
        ...rateLimitedResponse("login").content,
      },
    },
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const form = await sessionForm(c, db, cfg);
    if (form instanceof Response) return form;
    const { body, session, returnTo } = form;
    const limited = await rateLimited(c, "login", session.userId);
    if (limited) return limited;
    const check = await checkSecondFactor(db, cfg.master, session.tenantId, session.userId, body.get("code") ?? "", {
      requestId: c.var.requestId,
      ip: clientIp(c),
      clientId: null,
    });
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "auth.mfa_verify",
      outcome: check.ok ? "success" : check.reason === "locked" ? "denied" : "failure",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: check.ok ? { factor: check.factor } : { reason: check.reason },
    });
    if (!check.ok && check.reason === "locked") {
      c.header("Retry-After", String(check.retryAfter));
      const error = `Too many wrong codes. Try again in ${waitText(check.retryAfter)}.`;
      return htmlResponse(c, mfaPage({ csrfToken: session.csrfToken, returnTo, error }), 429);
    }
    if (!check.ok)
      return htmlResponse(
        c,
        mfaPage({ csrfToken: session.csrfToken, returnTo, error: "That code is not valid." }),
        401,
      );
    await completeSessionMfa(db, session.idHash);
    return c.redirect(returnTo, 303);
  });
}
