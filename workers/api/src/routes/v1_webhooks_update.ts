/**
 * PATCH /v1/webhooks/{id}: changes an endpoint's URL, events, filters or description, or disables and
 * enables it (enabling one the platform disabled clears `disabled_reason`; what it missed can be replayed).
 */
import { ApiError } from "@dfda/core";
import { type EndpointPatch, updateEndpoint } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import {
  checkEndpointUrl,
  endpointOwner,
  exampleWebhook,
  UpdateWebhookBody,
  WebhookIdParam,
  WebhookSchema,
  webhookResponse,
} from "../lib/webhooks";

export const route = createRoute({
  method: "patch",
  path: "/v1/webhooks/{id}",
  operationId: "updateWebhook",
  tags: ["Webhooks"],
  summary: "Change a webhook endpoint",
  description:
    "Only the fields sent change. `enabled: true` turns on an endpoint the platform disabled after a day of failures.",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: {
    params: WebhookIdParam,
    body: {
      required: true,
      content: {
        "application/json": { schema: UpdateWebhookBody, example: { events: ["export.ready"], enabled: true } },
      },
    },
  },
  responses: {
    200: {
      description: "The endpoint as it is now.",
      content: { "application/json": { schema: WebhookSchema, example: exampleWebhook } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    if (body.url !== undefined) checkEndpointUrl(c, body.url);
    const patch: EndpointPatch = {
      ...(body.url !== undefined && { url: body.url }),
      ...(body.description !== undefined && { description: body.description }),
      ...(body.events !== undefined && { events: [...new Set(body.events)] }),
      ...(body.filters?.variable_ids !== undefined && {
        variableIds: body.filters.variable_ids.map((v) => v.toLowerCase()),
      }),
      ...(body.filters?.connection_ids !== undefined && {
        connectionIds: body.filters.connection_ids.map((v) => v.toLowerCase()),
      }),
      ...(body.enabled !== undefined && { enabled: body.enabled }),
    };
    const row = await updateEndpoint(
      await c.var.db(),
      endpointOwner(c.var.principal),
      c.req.valid("param").id.toLowerCase(),
      patch,
      new Date(),
    );
    if (row === null) throw new ApiError("not_found", { detail: "No such webhook endpoint." });
    return c.json(webhookResponse(row), 200, { "Cache-Control": "no-store" });
  });
}
