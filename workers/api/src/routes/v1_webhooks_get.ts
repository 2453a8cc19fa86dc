/** GET /v1/webhooks/{id}: one of the caller's endpoints (docs/webhooks.md). */
import { ApiError } from "@dfda/core";
import { findEndpoint } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { endpointOwner, exampleWebhook, WebhookIdParam, WebhookSchema, webhookResponse } from "../lib/webhooks";

export const route = createRoute({
  method: "get",
  path: "/v1/webhooks/{id}",
  operationId: "getWebhook",
  tags: ["Webhooks"],
  summary: "A webhook endpoint",
  description:
    "Its URL, events, filters and state (`enabled`, and `disabled_reason: failing` when the platform disabled it).",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: { params: WebhookIdParam },
  responses: {
    200: {
      description: "The endpoint.",
      content: { "application/json": { schema: WebhookSchema, example: exampleWebhook } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const row = await findEndpoint(
      await c.var.db(),
      endpointOwner(c.var.principal),
      c.req.valid("param").id.toLowerCase(),
    );
    if (row === null) throw new ApiError("not_found", { detail: "No such webhook endpoint." });
    return c.json(webhookResponse(row), 200, { "Cache-Control": "no-store" });
  });
}
