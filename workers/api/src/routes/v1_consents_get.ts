/** GET /v1/consents/{id}: one of the owner's grants, with its current status. */
import { ApiError } from "@dfda/core";
import { findConsent } from "@dfda/db/repositories/consents";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { ConsentSchema, OwnerQuery, ownerActedFor, toConsentResponse } from "../lib/consents";
import { EXAMPLE_IDS, exampleConsent } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/consents/{id}",
  operationId: "getConsent",
  tags: ["Consent"],
  summary: "One consent grant you gave",
  ...protectedRoute({ scopes: ["consents:read"] }),
  request: { params: z.object({ id: z.uuid().openapi({ example: EXAMPLE_IDS.consent }) }), query: OwnerQuery },
  responses: {
    200: {
      description: "The grant.",
      content: {
        "application/json": {
          schema: ConsentSchema,
          example: exampleConsent,
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { principal, ownerId } = await ownerActedFor(c, c.req.valid("query").user_id, "consent.read");
    const row = await findConsent(await c.var.db(), principal.tenantId, ownerId, id.toLowerCase());
    if (row === null) throw new ApiError("not_found", { detail: "No such consent grant." });
    return c.json(toConsentResponse(row), 200, { "Cache-Control": "no-store" });
  });
}
