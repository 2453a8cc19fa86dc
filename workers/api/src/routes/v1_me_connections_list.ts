/** Your connections (GET /v1/me/connections): each one's status, syncs, last error in plain words, and counts. */
import { listConnections } from "@dfda/db/repositories/connections";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute, selfUser } from "../lib/auth";
import { ConnectionSchema, connectionView } from "../lib/connections";
import { exampleConnection } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/me/connections",
  operationId: "listMyConnections",
  tags: ["Connectors"],
  summary: "Your connected vendor accounts",
  description:
    "Each connection's status, when it last synced and will sync next, what went wrong last in plain words, " +
    "and how many observations came through it. Tokens are never shown.",
  ...protectedRoute({ scopes: ["observations:read"] }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  responses: {
    200: {
      description: "The connections, oldest first.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(ConnectionSchema) }),
          example: { data: [exampleConnection] },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const rows = await listConnections(await c.var.db(), principal.tenantId, principal.userId);
    return c.json({ data: rows.map(connectionView) }, 200, { "Cache-Control": "no-store" });
  });
}
