import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { clientIp, configOf, htmlResponse, sessionForm } from "../http";
import { verifySecondFactor } from "../mfa";
import {
  codeFormBody,
  htmlContent,
  internalErrorResponse,
  mount,
  pageError,
  rateLimitedResponse,
  redirect,
} from "../openapi";
import { mfaPage } from "../pages";
import { rateLimited } from "../rate-limit";
import { completeSessionMfa } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/mfa",
  operationId: "verifySecondFactor",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Check the second factor (the second-factor page's form)",
  description:
    "Checks a TOTP code (RFC 6238) or a single-use recovery code and completes the session's sign-in. The form " +
    "carries the session's CSRF token (synchronizer token, OWASP CSRF Prevention Cheat Sheet).",
  request: { body: codeFormBody },
  responses: {
    303: redirect("Verified: back to the authorization request."),
    400: pageError,
    401: { description: "The code is not valid: the page again.", content: htmlContent },
    429: rateLimitedResponse,
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
    const factor = await verifySecondFactor(db, cfg.master, session.tenantId, session.userId, body.get("code") ?? "");
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "auth.mfa_verify",
      outcome: factor ? "success" : "failure",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: factor ? { factor } : {},
    });
    if (!factor)
      return htmlResponse(
        c,
        mfaPage({ csrfToken: session.csrfToken, returnTo, error: "That code is not valid." }),
        401,
      );
    await completeSessionMfa(db, session.idHash);
    return c.redirect(returnTo, 303);
  });
}
