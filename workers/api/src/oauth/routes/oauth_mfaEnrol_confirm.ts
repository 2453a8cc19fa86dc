import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientIp, configOf, htmlResponse, sessionForm } from "../http";
import { confirmTotpEnrolment } from "../mfa";
import { codeFormBody, htmlPage, internalErrorResponse, mount, pageError, redirect } from "../openapi";
import { recoveryCodesPage } from "../pages";
import { completeSessionMfa } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/mfa/enrol",
  operationId: "confirmSecondFactorEnrolment",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Confirm two-step verification with a first code (the enrolment page's form)",
  description:
    "A valid first code turns TOTP on, completes the session's sign-in and shows the recovery codes once; an " +
    "invalid one starts the enrolment page again.",
  request: { body: codeFormBody },
  responses: {
    200: htmlPage(
      "The recovery codes, shown once.",
      "Save your recovery codes",
      "<ul><li>7f3k-9q2m</li><li>x4p8-2n6v</li><li>…</li></ul><p>Each works once if you lose your authenticator.</p>",
    ),
    303: redirect(
      "The code was not valid: back to the enrolment page.",
      `/oauth/mfa/enrol?return_to=${encodeURIComponent(EXAMPLE_RETURN_TO)}`,
    ),
    400: pageError,
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
    const codes = await confirmTotpEnrolment(db, cfg.master, session.tenantId, session.userId, body.get("code") ?? "");
    if (!codes) return c.redirect(`/oauth/mfa/enrol?return_to=${encodeURIComponent(returnTo)}`, 303);
    await completeSessionMfa(db, session.idHash);
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "auth.mfa_enrolled",
      outcome: "success",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      ip: clientIp(c),
      requestId: c.var.requestId,
    });
    return htmlResponse(c, recoveryCodesPage({ codes, returnTo }));
  });
}
