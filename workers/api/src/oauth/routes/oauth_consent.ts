import { recordAudit } from "@dfda/db/repositories/audit";
import { recordOAuthConsent } from "@dfda/db/repositories/consents";
import { findTenant } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import {
  EXAMPLE_CSRF,
  EXAMPLE_ORIGIN,
  EXAMPLE_REDIRECT_URI,
  EXAMPLE_RETURN_TO,
  EXAMPLE_STATE,
} from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientRedirect, completeAuthorization, requestFromReturnTo } from "../authorize";
import { backgroundOffer } from "../background";
import { clientIp, configOf, htmlResponse, sessionForm } from "../http";
import { csrfField, formBody, internalErrorResponse, mount, pageError, redirect, returnToField } from "../openapi";
import { simplePage } from "../pages";
import { upsertGrant } from "../store";
import { tenantLifetimes } from "../tenant-settings";

export const route = createRoute({
  method: "post",
  path: "/oauth/consent",
  operationId: "decideConsent",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Approve or deny an application's access (the consent page's form)",
  description:
    "Approval records the grant (and, only when `background=yes` was ticked, a dated consent naming the " +
    "application for its servers: docs/consent.md), then redirects to the " +
    "client with a code; denial redirects with `access_denied` (RFC 6749 §4.1.2.1). The form carries the " +
    "session's CSRF token.",
  request: {
    body: formBody(
      {
        decision: { type: "string", description: "`approve`; anything else denies." },
        background: {
          type: "string",
          description:
            "`yes`: also allow background access (the app's servers, client credentials) until the date shown; " +
            "absent: none. Offered only to confidential clients with the client_credentials grant.",
        },
        return_to: returnToField,
        csrf_token: csrfField,
      },
      ["decision", "return_to", "csrf_token"],
      { decision: "approve", return_to: EXAMPLE_RETURN_TO, csrf_token: EXAMPLE_CSRF },
    ),
  },
  responses: {
    303: redirect(
      "To the client with a code or `access_denied`.",
      `${EXAMPLE_REDIRECT_URI}?code=SplxlOBeZQQYbYS6WxSbIA&state=${EXAMPLE_STATE}&iss=${encodeURIComponent(EXAMPLE_ORIGIN)}`,
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
    const { body, session, returnTo } = form;
    const resolved = await requestFromReturnTo(db, cfg, returnTo);
    if (!resolved) return htmlResponse(c, simplePage("Cannot continue", "The request is not valid."), 400);
    const request = resolved.request;
    if (body.get("decision") !== "approve") {
      await recordAudit(db, {
        tenantId: session.tenantId,
        action: "oauth.consent",
        outcome: "denied",
        actorUserId: session.userId,
        subjectUserId: session.userId,
        actorClientId: request.client.clientId,
        requestId: c.var.requestId,
        ip: clientIp(c),
      });
      return c.redirect(
        clientRedirect(
          request.redirectUri,
          { error: "access_denied", error_description: "The user denied the request.", state: request.state },
          cfg.issuer,
        ),
        303,
      );
    }
    await upsertGrant(db, {
      tenantId: session.tenantId,
      userId: session.userId,
      clientId: request.client.clientId,
      scopes: request.scopes,
    });
    // Background access (the app's servers, through client credentials) only when the person ticked
    // it, and only for as long as the screen said (background.ts). It is a consent grant naming the app,
    // made by the same code as POST /v1/consents (docs/consent.md): it lists with their grants and in
    // GET /v1/me/apps, and disconnecting the app revokes it. Without it the app reads and writes only
    // with the person's own tokens.
    const lifetimes = tenantLifetimes((await findTenant(db, session.tenantId))?.settings);
    const offer = backgroundOffer(request.client, request.scopes, lifetimes, new Date());
    const background = offer !== null && body.get("background") === "yes";
    if (background) {
      await recordOAuthConsent(db, {
        tenantId: session.tenantId,
        ownerId: session.userId,
        clientId: request.client.clientId,
        scopes: request.scopes,
        expiresAt: offer.until,
        requestId: c.var.requestId,
        ip: clientIp(c),
      });
    }
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "oauth.consent",
      outcome: "success",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      actorClientId: request.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: { scopes: request.scopes, background_until: background ? offer.until.toISOString() : null },
    });
    const outcome = await completeAuthorization(db, cfg, { ...request, prompt: null }, session);
    if (outcome.kind === "redirect") return c.redirect(outcome.location, 303);
    return c.redirect(returnTo, 303);
  });
}
