/** GET /v1/me/security: the person's own security settings at a glance (issue 17, the portal's Security page). */

import { ApiError } from "@dfda/core";
import { findTenant, findUser } from "@dfda/db/repositories/identity";
import { securityOverview } from "@dfda/db/repositories/security";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute, selfUser } from "../lib/auth";
import { EXAMPLE_TIME } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Security = z
  .object({
    email: z.string().openapi({ example: "ada@example.org" }),
    email_verified: z.boolean(),
    password_set: z
      .boolean()
      .openapi({ description: "Whether the account has a password (an account made by an operator may not yet)." }),
    two_step: z
      .object({
        enabled: z.boolean().openapi({ description: "TOTP (RFC 6238) is confirmed and asked at every sign-in." }),
        enabled_at: z.iso.datetime({ offset: true }).nullable(),
        pending: z.boolean().openapi({
          description: "An enrolment was started and awaits its first code (POST /v1/me/mfa/totp/confirm).",
        }),
        required: z
          .boolean()
          .openapi({ description: "The account may not turn it off (administrators; tenants that require it)." }),
      })
      .openapi("TwoStepStatus"),
    recovery_codes_remaining: z.number().int().min(0).openapi({ description: "Unused single-use recovery codes." }),
  })
  .openapi("SecurityOverview");

export const route = createRoute({
  method: "get",
  path: "/v1/me/security",
  operationId: "getMySecurity",
  tags: ["Account"],
  summary: "Your security settings",
  description:
    "Whether two-step verification is on and since when, how many recovery codes are left, and whether the " +
    "account has a password. Only the person themselves in one of the platform's own apps (403 " +
    "`first_party_only` for a third-party app, whatever its scopes); no recent sign-in is needed to read it.",
  ...protectedRoute({ scopes: ["profile:write"], firstPartyOnly: true }),
  responses: {
    200: {
      description: "The settings.",
      content: {
        "application/json": {
          schema: Security,
          example: {
            email: "ada@example.org",
            email_verified: true,
            password_set: true,
            two_step: { enabled: true, enabled_at: EXAMPLE_TIME, pending: false, required: false },
            recovery_codes_remaining: 9,
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const me = selfUser(c);
    const db = await c.var.db();
    const user = await findUser(db, me.tenantId, me.userId);
    if (!user) throw new ApiError("not_found", { detail: "No such user." });
    const overview = await securityOverview(db, me.tenantId, me.userId);
    const tenant = await findTenant(db, me.tenantId);
    return c.json(
      {
        email: user.email,
        email_verified: user.emailVerifiedAt !== null,
        password_set: user.passwordHash !== null,
        two_step: {
          enabled: overview.totp.enabled,
          enabled_at: overview.totp.enabledAt === null ? null : overview.totp.enabledAt.toISOString(),
          pending: overview.totp.pending,
          required: me.roles.has("admin") || tenant?.settings.mfa_required === true,
        },
        recovery_codes_remaining: overview.recoveryCodesRemaining,
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });
}
