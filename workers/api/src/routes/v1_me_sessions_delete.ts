/**
 * DELETE /v1/me/sessions/{id}: signs the person out of one session. A browser session is revoked, so its
 * cookie is refused from then on (the sign-in page asks for the password again); an app's sign-in has its
 * refresh-token family revoked (RFC 7009 §2.1), so the app cannot refresh. Audit-logged.
 */
import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { endSession } from "@dfda/db/repositories/security";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute, selfUser } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "delete",
  path: "/v1/me/sessions/{id}",
  operationId: "endMySession",
  tags: ["Account"],
  summary: "Sign out of one session",
  description:
    "Ends a session that GET /v1/me/sessions lists: a browser session's cookie stops working at once; an app's " +
    "refresh token (its whole family) is revoked, and the access token it holds expires on its own within " +
    "minutes. 404 for an id that is not one of your live sessions." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["profile:write"], personPresent: true }),
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: "id", in: "path" }, example: "b_3f9a0c1e7d2b4a6f8e0c1d2b3a4f5e6d" }),
    }),
  },
  responses: { 204: { description: "Signed out of it." }, ...errorResponses, ...authErrorResponses },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const me = selfUser(c);
    const { id } = c.req.valid("param");
    const db = await c.var.db();
    const ended = await endSession(db, me.tenantId, me.userId, id);
    if (!ended) throw new ApiError("not_found", { detail: "No live session of yours has this id." });
    await recordAudit(db, {
      tenantId: me.tenantId,
      action: "auth.session_ended",
      outcome: "success",
      actorUserId: me.userId,
      actorClientId: me.clientId,
      subjectUserId: me.userId,
      resourceType: ended.kind === "browser" ? "auth_session" : "oauth_refresh_family",
      resourceId: ended.kind === "browser" ? ended.id : ended.familyId,
      requestId: c.var.requestId,
      ...(ended.kind === "app" ? { details: { client_id: ended.clientId } } : {}),
    });
    return c.body(null, 204);
  });
}
