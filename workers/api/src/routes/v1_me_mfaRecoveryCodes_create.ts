/**
 * POST /v1/me/mfa/recovery-codes: new single-use recovery codes for a person with two-step verification
 * on, shown once; the old ones stop working in the same transaction (OWASP Multifactor Authentication
 * Cheat Sheet, recovery codes). Needs the person themselves after a recent sign-in, like the TOTP routes.
 */
import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute, selfUser } from "../lib/auth";
import { exampleProblem } from "../lib/examples";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { regenerateRecoveryCodes } from "../oauth/mfa";

export const route = createRoute({
  method: "post",
  path: "/v1/me/mfa/recovery-codes",
  operationId: "regenerateRecoveryCodes",
  tags: ["Account"],
  summary: "New recovery codes",
  description:
    "Replaces your recovery codes with ten new single-use ones, returned once (keep them somewhere safe). The " +
    "old codes, used or not, stop working. 409 when two-step verification is off." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["profile:write"], personPresent: true }),
  responses: {
    201: {
      description: "The new codes, shown this once.",
      content: {
        "application/json": {
          schema: z.object({ recovery_codes: z.array(z.string()).length(10) }),
          example: {
            recovery_codes: [
              "7k2q-m9xd-4tfa-0hcz",
              "x4p8-2n6v-c9w2-5r7t",
              "h3j6-8k1z-m5n4-q2w9",
              "p7s3-d6f8-t1y5-u9e4",
              "b8v2-e3r6-g4h7-j2k5",
              "z6x9-c1v3-a0s2-d4f6",
              "q1w2-e3r4-t5y6-u7e8",
              "m1n2-b3v4-c5x6-z7a8",
              "s1d2-f3g4-h5j6-k7m8",
              "r9t8-y7u6-e5p4-a3s2",
            ],
          },
        },
      },
    },
    409: problemResponse(
      "Two-step verification is off.",
      exampleProblem("conflict", { detail: "Two-step verification is off: there is nothing to recover." }),
    ),
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const me = selfUser(c);
    const db = await c.var.db();
    const codes = await regenerateRecoveryCodes(db, me.tenantId, me.userId);
    if (!codes)
      throw new ApiError("conflict", { detail: "Two-step verification is off: there is nothing to recover." });
    await recordAudit(db, {
      tenantId: me.tenantId,
      action: "auth.mfa_recovery_codes_regenerated",
      outcome: "success",
      actorUserId: me.userId,
      actorClientId: me.clientId,
      subjectUserId: me.userId,
      requestId: c.var.requestId,
    });
    return c.json({ recovery_codes: codes }, 201, { "Cache-Control": "no-store" });
  });
}
