/**
 * Disconnecting (DELETE /v1/me/connections/{id}): the connection and its sealed tokens are deleted here
 * at once, and their revocation at the vendor is queued for the connectors Worker (which holds the
 * client secret); with `?delete_data=true` the observations that came through the connector go too.
 */
import type { ConnectorMessage } from "@dfda/connectors";
import { ApiError } from "@dfda/core";
import { deleteConnection } from "@dfda/db/repositories/connections";
import { deleteObservations } from "@dfda/db/repositories/erasure";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute, selfUser } from "../lib/auth";
import { auditConnection, ConnectionIdParam } from "../lib/connections";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Deleted = z
  .object({
    deleted_observations: z.number().int().openapi({ description: "0 unless `delete_data=true`." }),
  })
  .openapi("ConnectionDeleted");
export type ConnectionDeletedResponse = z.infer<typeof Deleted>;

export const route = createRoute({
  method: "delete",
  path: "/v1/me/connections/{id}",
  operationId: "deleteMyConnection",
  tags: ["Connectors"],
  summary: "Disconnect a vendor account",
  description:
    "Deletes the connection and its tokens, and revokes them at the vendor. With `delete_data=true`, the " +
    "observations that came through this connector are deleted as well (otherwise they stay). " +
    "`delete_data=true` is a bulk delete, so it needs the person themselves: a first-party app with a " +
    "recent sign-in (`first_party_only`, `reauthentication_required`; docs/identity.md).",
  ...protectedRoute({ scopes: ["observations:write"], action: "write" }, (c) =>
    c.var.principal.kind === "user"
      ? {
          ownerId: c.var.principal.userId,
          // Issue 12: a bulk delete needs the person in person, whatever scopes an app was granted.
          ...(c.req.query("delete_data") === "true" ? { personPresent: true as const } : {}),
        }
      : {},
  ),
  request: {
    params: ConnectionIdParam,
    query: z.object({
      delete_data: z
        .enum(["true", "false"])
        .default("false")
        .openapi({ description: "Also delete the observations that came through this connector.", example: "true" }),
    }),
  },
  responses: {
    200: {
      description: "Disconnected.",
      content: { "application/json": { schema: Deleted, example: { deleted_observations: 8640 } } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const { id } = c.req.valid("param");
    const { delete_data } = c.req.valid("query");
    const db = await c.var.db();
    const gone = await deleteConnection(db, principal.tenantId, principal.userId, id);
    if (gone === null) throw new ApiError("not_found", { detail: `You have no connection ${id}.` });
    if (gone.encryptedTokens !== null && gone.wrappedKey !== null && gone.keyVersion !== null) {
      const message: ConnectorMessage = {
        v: 1,
        type: "revoke",
        tenant_id: principal.tenantId,
        user_id: principal.userId,
        connection_id: gone.id,
        connector: gone.connector,
        encrypted_tokens: gone.encryptedTokens,
        wrapped_key: gone.wrappedKey,
        key_version: gone.keyVersion,
      };
      await c.env.CONNECTORS_QUEUE.send(message, { contentType: "json" });
    }
    // The connector's source carries the connector's id as its slug (repositories/connections.ts).
    const deleted =
      delete_data === "true"
        ? await deleteObservations(db, principal.tenantId, principal.userId, { source: gone.connector })
        : 0;
    await auditConnection(c, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "connector.disconnected",
      connectionId: gone.id,
      details: { connector: gone.connector, delete_data: delete_data === "true", deleted_observations: deleted },
    });
    const response: ConnectionDeletedResponse = { deleted_observations: deleted };
    return c.json(response, 200);
  });
}
