/**
 * POST /v1/webhooks/{id}/deliveries/{delivery_id}/replay: delivers that event again, as a new delivery
 * with the same `webhook-id` (a receiver that de-duplicates sees it as the same message). The consent
 * check is made again at delivery.
 */
import { ApiError } from "@dfda/core";
import { findEndpoint, replayDelivery } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { DeliverySchema, deliveryResponse, endpointOwner, exampleDelivery } from "../lib/webhooks";

export const route = createRoute({
  method: "post",
  path: "/v1/webhooks/{id}/deliveries/{delivery_id}/replay",
  operationId: "replayWebhookDelivery",
  tags: ["Webhooks"],
  summary: "Replay a delivery",
  description: "Queues the delivery's event again for this endpoint (within a minute), whatever became of it before.",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: {
    params: z.object({
      id: z.uuid().openapi({ example: EXAMPLE_IDS.webhook }),
      delivery_id: z.uuid().openapi({ example: EXAMPLE_IDS.webhookDelivery }),
    }),
  },
  responses: {
    202: {
      description: "The new delivery, pending.",
      content: {
        "application/json": {
          schema: DeliverySchema,
          example: {
            ...exampleDelivery,
            id: "0193a0d0-7e8f-7a9b-9c0d-1e2f3a4b5c67",
            replay_of: EXAMPLE_IDS.webhookDelivery,
            status: "pending",
            attempts: [],
            finished_at: null,
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
    const db = await c.var.db();
    const params = c.req.valid("param");
    const endpoint = await findEndpoint(db, endpointOwner(c.var.principal), params.id.toLowerCase());
    if (endpoint === null) throw new ApiError("not_found", { detail: "No such webhook endpoint." });
    const replay = await replayDelivery(db, endpoint.id, params.delivery_id.toLowerCase(), new Date());
    if (replay === null) throw new ApiError("not_found", { detail: "No such delivery of this endpoint." });
    return c.json(deliveryResponse(replay), 202, { "Cache-Control": "no-store" });
  });
}
