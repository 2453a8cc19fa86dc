/**
 * A vendor's verified push of data (Garmin's Push and Ping services, POST /v1/connectors/{id}/webhook):
 * the vendor wants its 200 within 30 seconds and must not wait for mapping or pulls, so here the
 * notification is only split by vendor user, and each matched connection gets its own part kept
 * encrypted in R2 (the raw copy every vendor response gets: `vendorResponseKey`, under the connection's
 * data key, so erasing the person shreds it) and a `push` message naming it (a queue message holds at
 * most 128 KB; a push may hold megabytes). The connectors Worker maps and writes it. A person's part
 * never holds another person's items, and never crosses tenants: each connection is matched by its
 * vendor user id and gets only that user's items.
 *
 * A deregistration (the person removed the app in the vendor's own account pages, or we deregistered
 * them) leaves their connections `needs_reauth`, with words saying so: no sync is tried until they
 * connect again.
 */
import type { ConnectorMessage, ConnectorPush } from "@dfda/connectors";
import { connectorOf } from "@dfda/connectors";
import { ApiError, uuidv7, vendorResponseKey } from "@dfda/core";
import {
  connectionDataKey,
  connectionsOfVendorUser,
  getConnection,
  setConnectionStatus,
} from "@dfda/db/repositories/connections";
import { DataKeyError } from "@dfda/db/repositories/file-keys";
import { putEncrypted } from "@dfda/vault";
import type { Context } from "hono";
import { auditConnection } from "./connections";
import type { AppEnv } from "./types";

/** Vendor users whose parts are kept at once. */
const PARALLEL_USERS = 8;

/** What a person reads on a connection the vendor says was ended there. */
export const deregisteredError = (name: string) =>
  `${name} says this app's access was removed in your ${name} account. Connect it again to keep your data coming.`;

/** Keeps each matched connection's part of a verified push and queues it; marks deregistered ones. */
export async function receivePushed(c: Context<AppEnv>, id: string, push: ConnectorPush, body: string): Promise<void> {
  const split = push.split(body);
  if (split === null) {
    throw new ApiError("validation_failed", {
      detail: `This is not a ${id} notification.`,
      errors: [{ location: "body", path: "", pointer: "", message: "Not a notification this connector knows" }],
    });
  }
  const db = await c.var.db();
  const now = new Date();
  const name = connectorOf(id)?.definition.name ?? id;
  let matched = 0;
  const keep = async (vendorUserId: string, part: string) => {
    for (const match of await connectionsOfVendorUser(db, id, vendorUserId)) {
      const connection = await getConnection(db, match.tenantId, match.userId, match.id);
      if (connection === null) continue;
      matched++;
      let dataKey: Uint8Array;
      try {
        dataKey = await connectionDataKey(db, c.var.config.masterKeys, connection);
      } catch (error) {
        // Erased (keys shredded) or never authorized: nothing of this person can be kept.
        if (error instanceof DataKeyError) continue;
        throw error;
      }
      const key = vendorResponseKey({
        tenantId: connection.tenantId,
        userId: connection.userId,
        connector: id,
        fetchedAt: now,
        responseId: uuidv7(),
      });
      try {
        await putEncrypted(c.env.FILES, key, new Blob([part]).stream(), dataKey, key);
      } finally {
        dataKey.fill(0);
      }
      const message: ConnectorMessage = {
        v: 1,
        type: "push",
        tenant_id: connection.tenantId,
        user_id: connection.userId,
        connection_id: connection.id,
        connector: id,
        object_key: key,
      };
      await c.env.CONNECTORS_QUEUE.send(message, { contentType: "json" });
      await auditConnection(c, {
        tenantId: connection.tenantId,
        userId: connection.userId,
        action: "connector.pushed",
        connectionId: connection.id,
        details: { connector: id, bytes: part.length },
      });
    }
  };
  // A backfill's notification may name many users; Garmin waits at most 30 seconds for the 200, so a
  // few are kept at once (R2 and the queue in parallel; the database queues the queries).
  const users = [...split.parts];
  for (let i = 0; i < users.length; i += PARALLEL_USERS) {
    await Promise.all(users.slice(i, i + PARALLEL_USERS).map(([vendorUserId, part]) => keep(vendorUserId, part)));
  }
  for (const vendorUserId of split.deregistered) {
    for (const match of await connectionsOfVendorUser(db, id, vendorUserId)) {
      matched++;
      await setConnectionStatus(db, match, "needs_reauth", deregisteredError(name), null, now);
      await auditConnection(c, {
        tenantId: match.tenantId,
        userId: match.userId,
        action: "connector.deregistered",
        connectionId: match.id,
        details: { connector: id },
      });
    }
  }
  if (matched === 0) {
    // No tenant to audit under: logged (the vendor's user id is the vendor's, not a person's data here).
    console.warn(JSON.stringify({ level: "warn", event: "connector_notification_unmatched", connector: id }));
  }
}
