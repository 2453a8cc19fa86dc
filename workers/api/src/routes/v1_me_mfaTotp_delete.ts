import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findTenant } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute, selfUser } from "../lib/auth";
import { exampleProblem } from "../lib/examples";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { authConfig } from "../oauth/config";
import { checkSecondFactor, disableTotp } from "../oauth/mfa";

/** A current TOTP code or an unused recovery code. */
const FactorBody = z.object({
  code: z
    .string()
    .trim()
    .min(6)
    .max(32)
    .openapi({ description: "A current code, or a recovery code.", example: "492039" }),
});

export const route = createRoute({
  method: "delete",
  path: "/v1/me/mfa/totp",
  operationId: "disableTotp",
  tags: ["Account"],
  summary: "Turn off two-step verification",
  description:
    "Needs a current code, so a stolen access token alone cannot remove the second factor. Wrong codes count " +
    "against the account's second-factor lock, shared with sign-in: five lock it for a minute, then twice as " +
    "long each time (`too_many_attempts`, with `Retry-After`). Refused for administrators and in tenants that " +
    "require two-step verification." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["profile:write"], personPresent: true }),
  request: {
    body: { required: true, content: { "application/json": { schema: FactorBody, example: { code: "492039" } } } },
  },
  responses: {
    204: { description: "Two-step verification is off; recovery codes are deleted." },
    ...errorResponses,
    ...authErrorResponses,
    429: problemResponse(
      "Too many wrong codes (`too_many_attempts`, with `Retry-After`).",
      exampleProblem("too_many_attempts", {
        detail: "Too many wrong codes. Try again later; the owner has been told by e-mail.",
      }),
    ),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const me = selfUser(c);
    const { code } = c.req.valid("json");
    const db = await c.var.db();
    const tenant = await findTenant(db, me.tenantId);
    if (me.roles.has("admin") || tenant?.settings.mfa_required === true) {
      throw new ApiError("forbidden", { detail: "Two-step verification is required for this account." });
    }
    const check = await checkSecondFactor(db, authConfig(c.env, c.req.url).master, me.tenantId, me.userId, code, {
      requestId: c.var.requestId,
      ip: c.req.header("CF-Connecting-IP") ?? null,
      clientId: me.clientId,
    });
    if (!check.ok && check.reason === "locked") {
      // OWASP ASVS V2.2.1: the same per-account counter as sign-in's second step, so this route is no oracle.
      throw new ApiError("too_many_attempts", {
        detail: "Too many wrong codes. Try again later; the owner has been told by e-mail.",
        headers: { "Retry-After": String(check.retryAfter) },
      });
    }
    if (!check.ok) {
      throw new ApiError("validation_failed", {
        detail: "The code is not valid.",
        errors: [{ location: "body", path: "code", pointer: "/code", message: "Not a valid current code" }],
      });
    }
    await disableTotp(db, me.tenantId, me.userId);
    await recordAudit(db, {
      tenantId: me.tenantId,
      action: "auth.mfa_disabled",
      outcome: "success",
      actorUserId: me.userId,
      actorClientId: me.clientId,
      subjectUserId: me.userId,
      requestId: c.var.requestId,
    });
    return c.body(null, 204);
  });
}
