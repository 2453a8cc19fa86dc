/** GET /v1/consents/{id}: one of the owner's grants, with its current status. */
import { ApiError } from "@dfda/core";
import { findConsent } from "@dfda/db/repositories/consents";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { ConsentSchema, OwnerQuery, ownerActedFor, toConsentResponse } from "../lib/consents";
import { EXAMPLE_IDS } from "../lib/examples";
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
          example: {
            id: "0193a0c4-5e6f-7a7b-9c8d-9e0f1a2b3c45",
            owner_id: "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
            grantee: { type: "user", id: "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22" },
            actions: ["read"],
            scope: { categories: ["vital_signs"], variable_ids: [] },
            data_window: { from: "2026-01-01T00:00:00.000Z", to: null },
            expires_at: "2027-12-31T00:00:00.000Z",
            purpose: "My cardiologist follows my resting heart rate.",
            document_hash: null,
            status: "active",
            granted_by: "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
            via: "api",
            created_at: "2026-12-06T08:30:00.000Z",
            revoked_at: null,
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
    const { id } = c.req.valid("param");
    const { principal, ownerId } = await ownerActedFor(c, c.req.valid("query").user_id, "consent.read");
    const row = await findConsent(await c.var.db(), principal.tenantId, ownerId, id.toLowerCase());
    if (row === null) throw new ApiError("not_found", { detail: "No such consent grant." });
    return c.json(toConsentResponse(row), 200, { "Cache-Control": "no-store" });
  });
}
