import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findUser } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute, selfUser } from "../lib/auth";
import { exampleProblem } from "../lib/examples";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { authConfig } from "../oauth/config";
import { startTotpEnrolment } from "../oauth/mfa";

export const route = createRoute({
  method: "post",
  path: "/v1/me/mfa/totp",
  operationId: "startTotpEnrolment",
  tags: ["Account"],
  summary: "Start setting up two-step verification (TOTP)",
  description:
    "Creates a new TOTP secret (RFC 6238) for the signed-in user and returns it with an otpauth:// URI for an " +
    "authenticator app. It takes effect only after `POST /v1/me/mfa/totp/confirm` with a code from the app." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["profile:write"], personPresent: true }),
  responses: {
    201: {
      description: "The secret to add to an authenticator app.",
      content: {
        "application/json": {
          schema: z
            .object({
              secret: z.string().openapi({ description: "Base32 (RFC 4648) secret.", example: "JBSWY3DPEHPK3PXP" }),
              otpauth_uri: z
                .string()
                .openapi({ example: "otpauth://totp/dFDA:you%40example.org?secret=…&issuer=dFDA" }),
            })
            .openapi("TotpEnrolment"),
          // RFC 6238 with the defaults Google Authenticator's Key Uri Format assumes (SHA-1, 6 digits, 30 s).
          example: {
            secret: "JBSWY3DPEHPK3PXP",
            otpauth_uri: "otpauth://totp/dFDA:ada%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=dFDA",
          },
        },
      },
    },
    409: problemResponse(
      "Two-step verification is already on.",
      exampleProblem("conflict", { detail: "Two-step verification is already on. Turn it off first." }),
    ),
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
    let enrolment: { secret: string; otpauthUri: string };
    try {
      enrolment = await startTotpEnrolment(
        db,
        authConfig(c.env, c.req.url).master,
        me.tenantId,
        me.userId,
        user.email,
        "dFDA",
      );
    } catch (cause) {
      throw new ApiError("conflict", { detail: "Two-step verification is already on. Turn it off first.", cause });
    }
    await recordAudit(db, {
      tenantId: me.tenantId,
      action: "auth.mfa_enrolment_started",
      outcome: "success",
      actorUserId: me.userId,
      actorClientId: me.clientId,
      subjectUserId: me.userId,
      requestId: c.var.requestId,
    });
    return c.json({ secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri }, 201, {
      "Cache-Control": "no-store",
    });
  });
}
