/**
 * A vendor's push notification (POST /v1/connectors/{id}/webhook, issue 13): the vendor says a person
 * has new data; we sync that person's connection now instead of waiting for the Cron. Public (the vendor
 * has no token of ours) but authenticated by the vendor's signature, checked here with the connector's
 * webhook secret (`CONNECTOR_WEBHOOK_SECRETS`), never with its client secret: the API holds no client
 * secret (they are the connectors Worker's alone), and verifying here, rather than queueing the raw
 * notification for the connectors Worker to verify, is what lets a forged one be answered with a 401
 * at once. A verified notification only queues syncs, so vendors get their quick 2xx. A notification
 * for a vendor user no connection has is answered the same (its existence is not disclosed) and logged.
 */
import { type ConnectorMessage, ConnectorWebhookEnv, connectorOf, webhookSecretOf } from "@dfda/connectors";
import { ApiError, ConfigError, parseConfigLogged } from "@dfda/core";
import { connectionsOfVendorUser, requestSync } from "@dfda/db/repositories/connections";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { auditConnection, connectorSettings } from "../lib/connections";
import { receivePushed } from "../lib/connector-push";
import { exampleProblem } from "../lib/examples";
import { errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "post",
  path: "/v1/connectors/{id}/webhook",
  operationId: "connectorWebhook",
  tags: ["Connectors"],
  summary: "A vendor's push notification",
  description:
    "The notification URL registered at a vendor that pushes (Oura's webhooks: `x-oura-timestamp` and " +
    "`x-oura-signature`, the HMAC-SHA256 of the timestamp and the raw body; Fitbit's `X-Fitbit-Signature`, " +
    "base64 HMAC-SHA1 of the raw body; Withings' form-encoded notifications, unsigned, authenticated by the " +
    "`token` in the registered callback URL). A notification with a valid " +
    "signature queues a sync of the connection of the vendor user it names and is answered 204 at once, " +
    "whether or not such a connection exists; a missing or wrong signature is a 401. Garmin's Push and " +
    "Ping notifications (unsigned: the secret is the registered URL's `key` parameter, and the " +
    "`garmin-client-id` header must name this deployment's client id) are answered 200, as Garmin " +
    "requires: each named Garmin user's part is kept encrypted and queued for mapping, and a " +
    "deregistration leaves the connection `needs_reauth`.",
  security: [],
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(32)
        .openapi({ param: { name: "id", in: "path" }, example: "oura" }),
    }),
  },
  responses: {
    200: { description: "Garmin's notification received (its data is queued for the connections it names)." },
    204: { description: "Received (a sync is queued if the vendor user has a connection here)." },
    401: problemResponse(
      "The vendor's signature is missing or does not match.",
      exampleProblem("unauthorized", { detail: "The notification's signature is missing or does not match." }),
    ),
    ...errorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const webhook = connectorOf(id)?.webhook;
    if (webhook === undefined) throw new ApiError("not_found", { detail: `No connector ${id} takes notifications.` });
    let secret: string | undefined;
    try {
      secret = webhookSecretOf(parseConfigLogged("dfda-api", ConnectorWebhookEnv, c.env), id);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ApiError("internal_error", { detail: "The server is not configured.", cause: error });
    }
    // The raw body, exactly as signed: the signature is checked before anything in it is read.
    // Read as bytes: a vendor may post a form (Withings), which workerd warns about reading as text.
    const body = new TextDecoder().decode(await c.req.arrayBuffer());
    // Vendors that sign nothing (Withings, Garmin) are checked on the URL (and Garmin on our client id).
    const request = { url: new URL(c.req.url), clientId: connectorSettings(c).get(id)?.clientId };
    if (secret === undefined || !(await webhook.verify(c.req.raw.headers, body, secret, request))) {
      throw new ApiError("unauthorized", { detail: "The notification's signature is missing or does not match." });
    }
    if (webhook.push !== undefined) {
      // The vendor pushed the data itself: kept per connection and queued (lib/connector-push.ts).
      await receivePushed(c, id, webhook.push, body);
      return c.body(null, 200);
    }
    const vendorUserIds = webhook.vendorUserIds(body);
    if (vendorUserIds === null) {
      throw new ApiError("validation_failed", {
        detail: `This is not a ${id} notification.`,
        errors: [{ location: "body", path: "", pointer: "", message: "Not a notification this connector knows" }],
      });
    }
    const db = await c.var.db();
    const now = new Date();
    let matched = 0;
    for (const vendorUserId of vendorUserIds) {
      for (const connection of await connectionsOfVendorUser(db, id, vendorUserId)) {
        matched++;
        // A connection already syncing (or needing the person) is not queued twice: requestSync says no.
        const queued = await requestSync(db, connection.tenantId, connection.userId, connection.id, now);
        if (queued) {
          const message: ConnectorMessage = {
            v: 1,
            type: "sync",
            tenant_id: connection.tenantId,
            user_id: connection.userId,
            connection_id: connection.id,
            reason: "notified",
          };
          await c.env.CONNECTORS_QUEUE.send(message, { contentType: "json" });
        }
        await auditConnection(c, {
          tenantId: connection.tenantId,
          userId: connection.userId,
          action: "connector.notified",
          connectionId: connection.id,
          details: { connector: id, queued },
        });
      }
    }
    if (matched === 0) {
      // No tenant to audit under: logged (the vendor's user id is the vendor's, not a person's data here).
      console.warn(JSON.stringify({ level: "warn", event: "connector_notification_unmatched", connector: id }));
    }
    return c.body(null, 204);
  });
}
