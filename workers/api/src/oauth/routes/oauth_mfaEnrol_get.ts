import { findUser } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { safeReturnTo } from "../authorize";
import { configOf, htmlResponse, sessionOf } from "../http";
import { startTotpEnrolment } from "../mfa";
import { htmlPage, internalErrorResponse, mount, pageError, returnToQuery } from "../openapi";
import { mfaEnrolPage, simplePage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/mfa/enrol",
  operationId: "showSecondFactorEnrolmentPage",
  tags: ["Sign-in pages"],
  security: [],
  summary: "The page that sets up two-step verification (TOTP, RFC 6238)",
  description:
    "Shown at sign-in when a second factor is required but none is set up (administrators, or a tenant that " +
    "requires it): a new secret with its otpauth:// URI, to confirm with a first code.",
  request: { query: returnToQuery },
  responses: {
    200: htmlPage(
      "The enrolment page.",
      "Set up two-step verification",
      '<p>Scan the QR code with your authenticator app, or enter the key JBSWY3DPEHPK3PXP.</p><form method="post" action="/oauth/mfa/enrol"><input name="code" inputmode="numeric" autocomplete="one-time-code"><button>Turn on</button></form>',
    ),
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const session = await sessionOf(c, db, cfg);
    const returnTo = safeReturnTo(c.req.query("return_to"));
    if (!session || !returnTo) return htmlResponse(c, simplePage("Session expired", "Sign in again."), 400);
    const user = await findUser(db, session.tenantId, session.userId);
    // The otpauth issuer is a product name: key URI issuers must not contain a colon, which a URL has.
    const enrolment = await startTotpEnrolment(
      db,
      cfg.master,
      session.tenantId,
      session.userId,
      user?.email ?? session.userId,
      "dFDA",
    );
    return htmlResponse(
      c,
      mfaEnrolPage({
        csrfToken: session.csrfToken,
        returnTo,
        secret: enrolment.secret,
        otpauthUri: enrolment.otpauthUri,
      }),
    );
  });
}
