/** GET /v1/webhooks/{id}/deliveries: the delivery log of one endpoint, newest first, with every attempt. */
import { ApiError, decodeCursor, encodeCursor } from "@dfda/core";
import { findEndpoint, listDeliveries } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { DeliverySchema, deliveryResponse, endpointOwner, exampleDelivery, WebhookIdParam } from "../lib/webhooks";

const DeliveryList = z
  .object({ data: z.array(DeliverySchema), next_cursor: NextCursor })
  .openapi("WebhookDeliveryList");
export type DeliveryListResponse = z.infer<typeof DeliveryList>;

export const route = createRoute({
  method: "get",
  path: "/v1/webhooks/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  tags: ["Webhooks"],
  summary: "A webhook endpoint's delivery log",
  description:
    "Each delivery with its status (`pending`, `delivered`, `failed`, `skipped` when the data's owner no longer " +
    "shares it with the subscriber) and every attempt's HTTP status or error. Never the event's data.",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: { params: WebhookIdParam, query: z.object({ cursor: CursorParam, limit: LimitParam }) },
  responses: {
    200: {
      description: "A page of deliveries.",
      content: {
        "application/json": { schema: DeliveryList, example: { data: [exampleDelivery], next_cursor: null } },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

const CURSOR = "webhook-deliveries";

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const db = await c.var.db();
    const { cursor, limit } = c.req.valid("query");
    const endpoint = await findEndpoint(db, endpointOwner(c.var.principal), c.req.valid("param").id.toLowerCase());
    if (endpoint === null) throw new ApiError("not_found", { detail: "No such webhook endpoint." });
    const before = cursor === undefined ? undefined : String(decodeCursor(CURSOR, cursor, 1)[0]);
    const rows = await listDeliveries(db, endpoint.id, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const body: DeliveryListResponse = {
      data: page.map(deliveryResponse),
      next_cursor: rows.length > limit && last ? encodeCursor(CURSOR, [last.delivery.id]) : null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
