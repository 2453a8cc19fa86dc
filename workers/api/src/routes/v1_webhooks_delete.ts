/** DELETE /v1/webhooks/{id}: unsubscribes; its pending deliveries and log go with it. */
import { ApiError } from "@dfda/core";
import { deleteEndpoint } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { endpointOwner, WebhookIdParam } from "../lib/webhooks";

export const route = createRoute({
  method: "delete",
  path: "/v1/webhooks/{id}",
  operationId: "deleteWebhook",
  tags: ["Webhooks"],
  summary: "Delete a webhook endpoint",
  description: "Nothing more is delivered to it; its delivery log is deleted with it.",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: { params: WebhookIdParam },
  responses: { 204: { description: "Deleted." }, ...errorResponses, ...authErrorResponses },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const deleted = await deleteEndpoint(
      await c.var.db(),
      endpointOwner(c.var.principal),
      c.req.valid("param").id.toLowerCase(),
    );
    if (!deleted) throw new ApiError("not_found", { detail: "No such webhook endpoint." });
    return c.body(null, 204);
  });
}
