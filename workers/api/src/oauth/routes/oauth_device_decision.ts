import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { EXAMPLE_CSRF } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { decideDeviceCode, findPendingDeviceCode } from "../device";
import { clientIp, configOf, htmlResponse, sessionForm } from "../http";
import { csrfField, formBody, htmlPage, internalErrorResponse, mount, pageError, returnToField } from "../openapi";
import { simplePage } from "../pages";
import { upsertGrant } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/device/decision",
  operationId: "decideDevice",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Allow or deny a device (the device approval page's form, RFC 8628 §3.3)",
  description:
    "Approval records the grant (the application then lists in `GET /v1/me/apps` and can be disconnected) and " +
    "lets the device's next poll of the token endpoint receive its tokens; denial answers the device " +
    "`access_denied`. A code is decided once. The form carries the session's CSRF token and needs a finished " +
    "second factor.",
  request: {
    body: formBody(
      {
        decision: { type: "string", description: "`approve`; anything else denies." },
        user_code: { type: "string", description: "The code being decided." },
        return_to: returnToField,
        csrf_token: csrfField,
      },
      ["decision", "user_code", "return_to", "csrf_token"],
      {
        decision: "approve",
        user_code: "BDWP-HQPK",
        return_to: "/oauth/device?user_code=BDWP-HQPK",
        csrf_token: EXAMPLE_CSRF,
      },
    ),
  },
  responses: {
    200: htmlPage(
      "Done: the person may go back to the device.",
      "Device connected",
      "<p>You can go back to your device.</p>",
    ),
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const form = await sessionForm(c, db, cfg, { requireMfaDone: true });
    if (form instanceof Response) return form;
    const { body, session } = form;
    const code = await findPendingDeviceCode(db, body.get("user_code"));
    const gone = () =>
      htmlResponse(
        c,
        simplePage("Cannot continue", "That code has expired or was already used. Start again on your device."),
        400,
      );
    // A code of another organisation is not this session's to decide (the page would have asked to sign in).
    if (!code || code.tenantId !== session.tenantId) return gone();
    const approved = body.get("decision") === "approve";
    const won = approved
      ? await decideDeviceCode(db, code, {
          approved: true,
          userId: session.userId,
          authTime: session.authTime,
          amr: session.amr,
        })
      : await decideDeviceCode(db, code, { approved: false, userId: session.userId });
    if (!won) return gone();
    if (approved) {
      await upsertGrant(db, {
        tenantId: session.tenantId,
        userId: session.userId,
        clientId: code.client.clientId,
        scopes: code.scopes,
      });
    }
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "oauth.consent",
      outcome: approved ? "success" : "denied",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      actorClientId: code.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: { scopes: code.scopes, grant_type: "urn:ietf:params:oauth:grant-type:device_code" },
    });
    return approved
      ? htmlResponse(
          c,
          simplePage("Device connected", `${code.client.name} is signed in. You can return to your device.`),
        )
      : htmlResponse(c, simplePage("Access denied", `${code.client.name} was not allowed. You can close this page.`));
  });
}
