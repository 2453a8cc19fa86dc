/**
 * The vendor's redirect back (GET /v1/connectors/{id}/callback, RFC 6749 §4.1.2). Public: the person's
 * browser arrives from the vendor without our token; the `state` is what binds the request to the
 * person, the tenant and the connector (single use, 10 minutes, §10.12). The code is not exchanged
 * here: it is sealed with the master key and queued for the connectors Worker, which alone holds the
 * vendor's client secret; the connection is `syncing` until its first sync ends.
 */
import { seal } from "@dfda/auth";
import { type ConnectorMessage, grantAad } from "@dfda/connectors";
import { ApiError } from "@dfda/core";
import { consumeOAuthState, upsertConnection } from "@dfda/db/repositories/connections";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { auditConnection, ConnectionSchema, connectionView } from "../lib/connections";
import { EXAMPLE_CONNECT_STATE, EXAMPLE_TIME, exampleConnection } from "../lib/examples";
import { errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/connectors/{id}/callback",
  operationId: "connectorCallback",
  tags: ["Connectors"],
  summary: "Where the vendor sends you back",
  description:
    "The redirect URI registered at each vendor. With the vendor's `code` and the `state` of " +
    "`POST /v1/me/connections`, it stores the connection and queues its first sync (a backfill). The state " +
    "works once and expires after 10 minutes; a refusal at the vendor (`error`) is answered in plain words.",
  security: [],
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(32)
        .openapi({ param: { name: "id", in: "path" }, example: "oura" }),
    }),
    query: z.object({
      state: z.string().min(1).max(512).optional().openapi({ example: EXAMPLE_CONNECT_STATE }),
      code: z.string().min(1).max(4096).optional().openapi({ example: "4/0AeanS0b8Xq2" }),
      error: z.string().max(256).optional().openapi({ description: "RFC 6749 §4.1.2.1: the vendor's refusal." }),
    }),
  },
  responses: {
    200: {
      description: "Connected; the first sync is queued.",
      content: {
        "application/json": {
          schema: z.object({ connection: ConnectionSchema }),
          example: {
            connection: {
              ...exampleConnection,
              status: "syncing",
              last_sync_at: null,
              next_sync_at: EXAMPLE_TIME,
              imported: 0,
              created_at: EXAMPLE_TIME,
            },
          },
        },
      },
    },
    ...errorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const db = await c.var.db();
    const now = new Date();
    // The state is consumed first, whatever came with it: a refused or replayed callback leaves nothing usable.
    const state = query.state === undefined ? null : await consumeOAuthState(db, id, query.state, now);
    if (state === null) {
      throw new ApiError("validation_failed", {
        detail: "This link is not valid any more (used, expired or not for this connector). Start connecting again.",
        errors: [{ location: "query", path: "state", pointer: "/state", message: "Unknown, used or expired" }],
      });
    }
    if (query.error !== undefined || query.code === undefined) {
      throw new ApiError("validation_failed", {
        detail:
          query.error === "access_denied"
            ? "You did not allow the connection at the vendor. Nothing was connected."
            : "The vendor did not send an authorization. Nothing was connected; start connecting again.",
        errors: [{ location: "query", path: "code", pointer: "/code", message: query.error ?? "Required" }],
      });
    }
    const connection = await upsertConnection(
      db,
      { tenantId: state.tenantId, userId: state.userId, connector: id },
      now,
    );
    const master = c.var.config.masterKeys;
    const grant = await seal(
      JSON.stringify({
        code: query.code,
        redirect_uri: state.redirectUri,
        ...(state.codeVerifier === null ? {} : { code_verifier: state.codeVerifier }),
      }),
      { key: master.keys[master.currentKeyId] ?? "", keyId: master.currentKeyId, aad: grantAad(connection.id) },
    );
    const message: ConnectorMessage = {
      v: 1,
      type: "authorize",
      tenant_id: state.tenantId,
      user_id: state.userId,
      connection_id: connection.id,
      grant,
    };
    await c.env.CONNECTORS_QUEUE.send(message, { contentType: "json" });
    await auditConnection(c, {
      tenantId: state.tenantId,
      userId: state.userId,
      action: "connector.connected",
      connectionId: connection.id,
      details: { connector: id },
    });
    return c.json({ connection: connectionView(connection) }, 200, { "Cache-Control": "no-store" });
  });
}
