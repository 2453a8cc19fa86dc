import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute, selfUser } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { authConfig } from "../oauth/config";
import { confirmTotpEnrolment } from "../oauth/mfa";

export const CodeBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Six digits from the authenticator app")
    .openapi({ example: "492039" }),
});

export const route = createRoute({
  method: "post",
  path: "/v1/me/mfa/totp/confirm",
  operationId: "confirmTotpEnrolment",
  tags: ["Account"],
  summary: "Turn on two-step verification with a first code",
  description:
    "Verifies a code from the new secret, turns two-step verification on and returns ten single-use recovery codes (shown once)." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["profile:write"], personPresent: true }),
  request: {
    body: { required: true, content: { "application/json": { schema: CodeBody, example: { code: "492039" } } } },
  },
  responses: {
    200: {
      description: "Two-step verification is on.",
      content: {
        "application/json": {
          schema: z.object({ recovery_codes: z.array(z.string()).length(10) }).openapi("RecoveryCodes"),
          example: {
            recovery_codes: [
              "7f3k-9q2m",
              "x4p8-2n6v",
              "c9w2-5r7t",
              "h3j6-8k1z",
              "m5n4-q2w9",
              "p7s3-d6f8",
              "t1y5-u9i4",
              "b8v2-e3r6",
              "g4h7-j2k5",
              "z6x9-c1v3",
            ],
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
    const { code } = c.req.valid("json");
    const db = await c.var.db();
    const codes = await confirmTotpEnrolment(db, authConfig(c.env, c.req.url).master, me.tenantId, me.userId, code);
    if (!codes) {
      throw new ApiError("validation_failed", {
        detail: "The code does not match a pending enrolment. Start one, then send a current code.",
        errors: [
          { location: "body", path: "code", pointer: "/code", message: "Not a valid code for the pending enrolment" },
        ],
      });
    }
    await recordAudit(db, {
      tenantId: me.tenantId,
      action: "auth.mfa_enrolled",
      outcome: "success",
      actorUserId: me.userId,
      actorClientId: me.clientId,
      subjectUserId: me.userId,
      requestId: c.var.requestId,
    });
    return c.json({ recovery_codes: codes }, 200, { "Cache-Control": "no-store" });
  });
}
