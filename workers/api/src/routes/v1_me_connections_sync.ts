/** Sync now (POST /v1/me/connections/{id}/sync): queues a sync of one of your connections. */
import type { ConnectorMessage } from "@dfda/connectors";
import { ApiError } from "@dfda/core";
import { getConnection, requestSync } from "@dfda/db/repositories/connections";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute, selfUser } from "../lib/auth";
import { auditConnection, ConnectionIdParam, ConnectionSchema, connectionView } from "../lib/connections";
import { EXAMPLE_TIME, exampleConnection, exampleProblem } from "../lib/examples";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "post",
  path: "/v1/me/connections/{id}/sync",
  operationId: "syncMyConnection",
  tags: ["Connectors"],
  summary: "Sync a connection now",
  description:
    "Queues a sync of the connection from where the last one ended. A connection that needs you to connect " +
    "again (`needs_reauth`) cannot sync (409), nor can one whose sync is already queued (409).",
  ...protectedRoute({ scopes: ["observations:write"], action: "write" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { params: ConnectionIdParam },
  responses: {
    202: {
      description: "Queued.",
      content: {
        "application/json": {
          schema: z.object({ connection: ConnectionSchema }),
          example: { connection: { ...exampleConnection, status: "syncing", next_sync_at: EXAMPLE_TIME } },
        },
      },
    },
    409: problemResponse(
      "It needs you to connect again, or a sync is queued already.",
      exampleProblem("conflict", { detail: "A sync of this connection is queued already." }),
    ),
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const { id } = c.req.valid("param");
    const db = await c.var.db();
    const existing = await getConnection(db, principal.tenantId, principal.userId, id);
    if (existing === null) throw new ApiError("not_found", { detail: `You have no connection ${id}.` });
    if (!(await requestSync(db, principal.tenantId, principal.userId, id, new Date()))) {
      throw new ApiError("conflict", {
        detail:
          existing.status === "needs_reauth"
            ? "This connection needs you to connect it again first."
            : "A sync of this connection is queued already.",
      });
    }
    const message: ConnectorMessage = {
      v: 1,
      type: "sync",
      tenant_id: principal.tenantId,
      user_id: principal.userId,
      connection_id: id,
      reason: "requested",
    };
    await c.env.CONNECTORS_QUEUE.send(message, { contentType: "json" });
    await auditConnection(c, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "connector.sync_requested",
      connectionId: id,
      details: { connector: existing.connector },
    });
    const now = await getConnection(db, principal.tenantId, principal.userId, id);
    return c.json({ connection: connectionView(now ?? existing) }, 202);
  });
}
