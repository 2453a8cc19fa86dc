/**
 * What the connector routes share (issue 13, docs/connectors.md): this deployment's connectors (the
 * public settings: client ids and base URLs; the client secrets are the connectors Worker's alone),
 * the callback URL of each, the response shapes, and the audit entry of each connection change.
 * Tokens never reach this Worker's responses or logs: a connection's view leaves them out.
 */
import { ConnectorsPublicEnv, type PublicConnectorSettings, publicConnectorSettingsOf } from "@dfda/connectors";
import { ApiError, ConfigError, parseConfigLogged } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import type { ConnectionView } from "@dfda/db/repositories/connections";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { EXAMPLE_IDS } from "./examples";
import type { AppEnv } from "./types";

const settingsCache = new WeakMap<object, ReadonlyMap<string, PublicConnectorSettings>>();

/**
 * The connectors this deployment offers (those with a client id), parsed once per environment; a
 * malformed `CONNECTOR_CLIENT_IDS` or `CONNECTOR_BASE_URLS` is a logged 500, not a guess.
 */
export function connectorSettings(c: Context<AppEnv>): ReadonlyMap<string, PublicConnectorSettings> {
  const cached = settingsCache.get(c.env);
  if (cached !== undefined) return cached;
  try {
    const settings = publicConnectorSettingsOf(parseConfigLogged("dfda-api", ConnectorsPublicEnv, c.env));
    settingsCache.set(c.env, settings);
    return settings;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ApiError("internal_error", { detail: "The server is not configured.", cause: error });
  }
}

/** The callback the vendor sends the person back to (registered at the vendor as the redirect URI). */
export function callbackUrl(c: Context<AppEnv>, connector: string): string {
  const origin = c.var.config.issuer ?? new URL(c.req.url).origin;
  return `${origin}/v1/connectors/${connector}/callback`;
}

export const ConnectionSchema = z
  .object({
    id: z.uuid(),
    connector: z.string(),
    status: z.enum(["active", "syncing", "needs_reauth", "paused", "error"]).openapi({
      description:
        "`active`: synced on schedule; `syncing`: a sync is queued or running; `needs_reauth`: the vendor no " +
        "longer accepts the connection, connect it again; `paused`; `error`: the last sync failed (see `error`), " +
        "the next scheduled one tries again.",
    }),
    last_sync_at: z.iso.datetime({ offset: true }).nullable(),
    next_sync_at: z.iso.datetime({ offset: true }).nullable(),
    error: z.string().nullable().openapi({ description: "What went wrong last, in plain words." }),
    imported: z.number().int().openapi({ description: "Observations stored through this connection." }),
    created_at: z.iso.datetime({ offset: true }),
  })
  .openapi("Connection");
export type ConnectionResponse = z.infer<typeof ConnectionSchema>;

/** A connection as the person sees it: never its tokens, keys or cursor. */
export function connectionView(row: ConnectionView): ConnectionResponse {
  return {
    id: row.id,
    connector: row.connector,
    status: row.status,
    last_sync_at: row.lastSyncAt?.toISOString() ?? null,
    next_sync_at: row.nextSyncAt?.toISOString() ?? null,
    error: row.error,
    imported: row.importedCount,
    created_at: row.createdAt.toISOString(),
  };
}

/** The path parameter of a connection. */
export const ConnectionIdParam = z.object({
  id: z.uuid().openapi({
    param: { name: "id", in: "path" },
    description: "The connection's id.",
    example: EXAMPLE_IDS.connection,
  }),
});

/** Records a connection change in the audit log, with the owner as subject (their access log shows it). */
export async function auditConnection(
  c: Context<AppEnv>,
  event: { tenantId: string; userId: string; action: string; connectionId: string | null; details: object },
): Promise<void> {
  const principal = c.var.principal;
  await recordAudit(await c.var.db(), {
    tenantId: event.tenantId,
    action: event.action,
    outcome: "success",
    actorUserId: event.userId,
    actorClientId: principal.kind === "anonymous" ? null : principal.clientId,
    subjectUserId: event.userId,
    resourceType: "connector_connection",
    resourceId: event.connectionId,
    requestId: c.var.requestId,
    details: { ...event.details },
  });
}
