/**
 * POST /v1/webhooks/{id}/rotate-secret: a new signing secret. The previous one keeps signing for 24
 * hours beside it (Standard Webhooks: `webhook-signature` may hold several `v1,` signatures), so a
 * receiver can switch without missing a delivery.
 */
import { ApiError } from "@dfda/core";
import { findEndpoint, rotateEndpointSecret } from "@dfda/db/repositories/webhooks";
import { newWebhookSecret, PREVIOUS_SECRET_SECONDS } from "@dfda/webhooks";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_LATER } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import {
  endpointOwner,
  exampleWebhook,
  sealSecret,
  WebhookIdParam,
  WebhookWithSecretSchema,
  webhookResponse,
} from "../lib/webhooks";

export const route = createRoute({
  method: "post",
  path: "/v1/webhooks/{id}/rotate-secret",
  operationId: "rotateWebhookSecret",
  tags: ["Webhooks"],
  summary: "Rotate a webhook endpoint's secret",
  description:
    "Returns the new secret, once. Until `previous_secret_expires_at` (24 hours) deliveries carry a signature " +
    "with each secret, so both verify.",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: { params: WebhookIdParam },
  responses: {
    200: {
      description: "The new secret.",
      content: {
        "application/json": {
          schema: WebhookWithSecretSchema,
          example: {
            ...exampleWebhook,
            previous_secret_expires_at: EXAMPLE_LATER,
            secret: "whsec_Q2hhbmdlZCBzZWNyZXQgZm9yIHRoZSBleGFtcGxlIQ==",
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
    const owner = endpointOwner(c.var.principal);
    const id = c.req.valid("param").id.toLowerCase();
    if ((await findEndpoint(db, owner, id)) === null)
      throw new ApiError("not_found", { detail: "No such webhook endpoint." });
    const secret = newWebhookSecret();
    const until = new Date(Date.now() + PREVIOUS_SECRET_SECONDS * 1000);
    const row = await rotateEndpointSecret(db, owner, id, await sealSecret(c, id, secret), until);
    if (row === null) throw new ApiError("not_found", { detail: "No such webhook endpoint." });
    return c.json({ ...webhookResponse(row), secret }, 200, { "Cache-Control": "no-store" });
  });
}
