/**
 * The messages of the connectors queue (`dfda-connectors`), version 1, parsed by the connectors
 * Worker's consumer (and built by the API and the Cron): one schema for every boundary they cross.
 *
 * - `sync`: sync this connection now (the Cron found it due, the person asked, it was just connected, or
 *   the vendor notified new data at `POST /v1/connectors/{id}/webhook`).
 * - `authorize`: the vendor redirected back with a code; exchange it (only the connectors Worker holds
 *   the vendor's client secret), store the tokens, then sync. The code and the redirect URI travel
 *   sealed with the master key (`grant`, AAD `connector-grant:<connection_id>`), never in clear.
 * - `revoke`: the person deleted the connection; revoke its tokens at the vendor. The row is gone
 *   already, so the message carries the tokens as they were stored: sealed with the connection's data
 *   key, itself wrapped by the person's key (nothing readable without the master key and that key).
 * - `push`: a vendor pushed this connection's data (Garmin's Push/Ping services); map and write what
 *   the API kept at `object_key` (encrypted with the connection's data key: a queue message holds at
 *   most 128 KB, and a push may carry megabytes).
 */
import { z } from "zod";
import { ConnectorId } from "./contract";

const Ids = { v: z.literal(1), tenant_id: z.uuid(), user_id: z.uuid(), connection_id: z.uuid() };

export const ConnectorMessage = z.discriminatedUnion("type", [
  z.object({ ...Ids, type: z.literal("sync"), reason: z.enum(["scheduled", "requested", "connected", "notified"]) }),
  z.object({ ...Ids, type: z.literal("authorize"), grant: z.string().min(1).max(8_192) }),
  z.object({
    ...Ids,
    type: z.literal("revoke"),
    connector: ConnectorId,
    encrypted_tokens: z.string().min(1).max(16_384),
    wrapped_key: z.string().min(1).max(1_024),
    key_version: z.int().min(1),
  }),
  // A vendor pushed data (Garmin): its part for this connection is kept encrypted in R2 at `object_key`
  // (a `vendorResponseKey` of this tenant, person and connector, under the connection's data key).
  z.object({ ...Ids, type: z.literal("push"), connector: ConnectorId, object_key: z.string().min(1).max(512) }),
]);
export type ConnectorMessage = z.infer<typeof ConnectorMessage>;

/** What an `authorize` message's sealed `grant` holds. */
export const AuthorizationGrant = z.object({
  code: z.string().min(1).max(4_096),
  redirect_uri: z.url(),
  code_verifier: z.string().min(43).max(128).optional(),
});
export type AuthorizationGrant = z.infer<typeof AuthorizationGrant>;

/** The AAD binding a sealed grant to its connection. */
export const grantAad = (connectionId: string) => `connector-grant:${connectionId}`;
