/** GET /v1/webhooks: the caller's endpoints (docs/webhooks.md). */
import { decodeCursor, encodeCursor } from "@dfda/core";
import { listEndpoints } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { endpointOwner, exampleWebhook, WebhookSchema, webhookResponse } from "../lib/webhooks";

const WebhookList = z.object({ data: z.array(WebhookSchema), next_cursor: NextCursor }).openapi("WebhookList");
export type WebhookListResponse = z.infer<typeof WebhookList>;

export const route = createRoute({
  method: "get",
  path: "/v1/webhooks",
  operationId: "listWebhooks",
  tags: ["Webhooks"],
  summary: "Your webhook endpoints",
  description: "The endpoints this token's app (or this person through it) subscribed, oldest first.",
  ...protectedRoute({ scopes: ["webhooks:manage"], allowClients: true }),
  request: { query: z.object({ cursor: CursorParam, limit: LimitParam }) },
  responses: {
    200: {
      description: "A page of endpoints.",
      content: { "application/json": { schema: WebhookList, example: { data: [exampleWebhook], next_cursor: null } } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

const CURSOR = "webhooks";

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const after = cursor === undefined ? undefined : String(decodeCursor(CURSOR, cursor, 1)[0]);
    const rows = await listEndpoints(await c.var.db(), endpointOwner(c.var.principal), limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const body: WebhookListResponse = {
      data: page.map(webhookResponse),
      next_cursor: rows.length > limit && last ? encodeCursor(CURSOR, [last.id]) : null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
