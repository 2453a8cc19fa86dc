/**
 * DELETE /v1/consents/{id}: revokes a grant. It stops working for every later request: each access
 * is decided by the owner's Durable Object from the grants as they are in Postgres at that moment
 * (nothing caches a grant), and the revocation is committed before this answers.
 */
import { ApiError } from "@dfda/core";
import { revokeConsent } from "@dfda/db/repositories/consents";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { OwnerQuery, ownerActedFor } from "../lib/consents";
import { EXAMPLE_IDS } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "delete",
  path: "/v1/consents/{id}",
  operationId: "revokeConsent",
  tags: ["Consent"],
  summary: "Revoke a consent grant",
  description:
    "Revokes the grant at once: from the next request on, the grantee's reads and writes through it are " +
    "refused (and the refusals are in the owner's access log). Revoking a revoked grant changes nothing (204). " +
    "A custodian revokes for the dependent with `user_id`.",
  ...protectedRoute({ scopes: ["consents:manage"] }),
  request: { params: z.object({ id: z.uuid().openapi({ example: EXAMPLE_IDS.consent }) }), query: OwnerQuery },
  responses: { 204: { description: "Revoked." }, ...errorResponses, ...authErrorResponses },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { principal, ownerId } = await ownerActedFor(c, c.req.valid("query").user_id, "consent.revoke");
    const outcome = await revokeConsent(await c.var.db(), {
      tenantId: principal.tenantId,
      ownerId,
      id: id.toLowerCase(),
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      requestId: c.var.requestId,
      ip: c.req.header("CF-Connecting-IP") ?? null,
    });
    if (outcome === null) throw new ApiError("not_found", { detail: "No such consent grant." });
    return c.body(null, 204);
  });
}
