/**
 * POST /v1/webhooks: subscribes an endpoint to events (issue 18, docs/webhooks.md). The answer carries
 * the signing secret once; deliveries are signed with it as Standard Webhooks prescribe.
 */
import { uuidv7 } from "@dfda/core";
import { createEndpoint } from "@dfda/db/repositories/webhooks";
import { newWebhookSecret } from "@dfda/webhooks";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import {
  CreateWebhookBody,
  checkEndpointUrl,
  endpointOwner,
  exampleWebhook,
  sealSecret,
  WebhookWithSecretSchema,
  webhookResponse,
} from "../lib/webhooks";

export const route = createRoute({
  method: "post",
  path: "/v1/webhooks",
  operationId: "createWebhook",
  tags: ["Webhooks"],
  summary: "Subscribe an endpoint to events",
  description:
    "An app (client-credentials token) subscribes to events about the data people share with it; a person's " +
    "token subscribes to events about their own data. Deliveries are signed (Standard Webhooks: `webhook-id`, " +
    "`webhook-timestamp`, `webhook-signature`) with the `secret` returned here, once. Outside development the " +
    "URL must be public `https`.",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: CreateWebhookBody,
          example: {
            url: "https://app.example.org/hooks/dfda",
            events: ["job.completed", "data.rejected"],
            description: "Job results for the lab importer",
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: "Subscribed; the secret is shown only here.",
      content: {
        "application/json": {
          schema: WebhookWithSecretSchema,
          example: { ...exampleWebhook, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwXXXXXXXXXXXX" },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    checkEndpointUrl(c, body.url);
    const owner = endpointOwner(c.var.principal);
    const id = uuidv7();
    const secret = newWebhookSecret();
    const row = await createEndpoint(await c.var.db(), owner, {
      id,
      url: body.url,
      description: body.description ?? null,
      events: [...new Set(body.events)],
      variableIds: body.filters?.variable_ids?.map((v) => v.toLowerCase()) ?? [],
      connectionIds: body.filters?.connection_ids?.map((v) => v.toLowerCase()) ?? [],
      sealedSecret: await sealSecret(c, id, secret),
    });
    return c.json({ ...webhookResponse(row), secret }, 201, {
      "Cache-Control": "no-store",
      Location: `/v1/webhooks/${row.id}`,
    });
  });
}
