/**
 * What the webhook routes share (docs/webhooks.md): the owner a token manages endpoints as, the request
 * and response schemas, the endpoint URL check and the sealing of signing secrets.
 *
 * Who owns an endpoint: an app acting for itself (client credentials) owns the endpoints it made, which
 * receive events about everyone whose data the app may see at delivery time; a person's token owns the
 * endpoints made through that app for that person, which receive only events about the person. Either
 * way only the same token kind, client and person see or change them.
 */

import { seal } from "@dfda/auth";
import { ApiError, type Principal } from "@dfda/core";
import { NOTICE_KINDS, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "@dfda/db";
import type {
  DeliveryWithAttempts,
  EndpointOwner,
  OwnerNoticeRow,
  WebhookEndpointRow,
} from "@dfda/db/repositories/webhooks";
import { endpointUrlRefusal, URL_REFUSALS, webhookSecretAad } from "@dfda/webhooks";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { EXAMPLE_IDS, EXAMPLE_TIME } from "./examples";
import type { AppEnv } from "./types";

/** The endpoint owner the request's token acts as. */
export function endpointOwner(principal: Principal): EndpointOwner {
  if (principal.kind === "anonymous") throw new ApiError("unauthorized");
  return {
    tenantId: principal.tenantId,
    clientId: principal.clientId,
    userId: principal.kind === "user" ? principal.userId : null,
  };
}

export async function sealSecret(c: Context<AppEnv>, endpointId: string, secret: string): Promise<string> {
  const master = c.var.config.masterKeys;
  return seal(secret, {
    key: master.keys[master.currentKeyId] ?? "",
    keyId: master.currentKeyId,
    aad: webhookSecretAad(endpointId),
  });
}

/** A 400 naming the `url` field when the platform may not POST there. */
export function checkEndpointUrl(c: Context<AppEnv>, url: string): void {
  const refusal = endpointUrlRefusal(url, { production: c.var.config.deployed });
  if (refusal === null) return;
  throw new ApiError("validation_failed", {
    detail: `url: ${URL_REFUSALS[refusal]}`,
    errors: [{ location: "body", path: "url", pointer: "/url", message: URL_REFUSALS[refusal] }],
  });
}

export const EventType = z.enum(WEBHOOK_EVENT_TYPES).openapi({ example: "job.completed" });

const Url = z.string().max(2048).openapi({ example: "https://app.example.org/hooks/dfda" });
const Events = z.array(EventType).min(1).max(WEBHOOK_EVENT_TYPES.length);
const Filters = z
  .object({
    variable_ids: z.array(z.uuid()).max(100).optional(),
    connection_ids: z.array(z.uuid()).max(100).optional(),
  })
  .strict()
  .openapi({
    description:
      "Optional narrowing: only events about these variables (`observations.created`, `job.completed`, " +
      "`data.rejected`) or these connections (`connection.needs_reauth`). An event without that detail does not match a set filter.",
  });

export const CreateWebhookBody = z
  .object({
    url: Url,
    events: Events,
    description: z.string().max(500).optional(),
    filters: Filters.optional(),
  })
  .strict()
  .openapi("CreateWebhook");

export const UpdateWebhookBody = z
  .object({
    url: Url.optional(),
    events: Events.optional(),
    description: z.string().max(500).nullable().optional(),
    filters: Filters.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi("UpdateWebhook");

export const WebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(EventType),
    filters: z.object({ variable_ids: z.array(z.uuid()), connection_ids: z.array(z.uuid()) }),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().openapi({ description: "`failing` when the platform disabled it." }),
    user_id: z
      .uuid()
      .nullable()
      .openapi({ description: "The person whose own events it receives; null for an app's." }),
    previous_secret_expires_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Webhook");
export type WebhookResponse = z.infer<typeof WebhookSchema>;

export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: "The signing secret (`whsec_…`), shown only in this answer: keep it to verify signatures.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwXXXXXXXXXXXX",
  }),
}).openapi("WebhookWithSecret");

export function webhookResponse(row: WebhookEndpointRow): WebhookResponse {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    filters: { variable_ids: row.variableIds, connection_ids: row.connectionIds },
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    user_id: row.userId,
    previous_secret_expires_at: row.previousSecretExpiresAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export const DeliverySchema = z
  .object({
    id: z.uuid(),
    event_id: z.uuid().openapi({ description: "The `webhook-id` header of every attempt and replay." }),
    event_type: EventType,
    replay_of: z.uuid().nullable(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.array(
      z.object({
        at: z.iso.datetime(),
        status_code: z.number().int().nullable(),
        error: z.string().nullable(),
      }),
    ),
    last_error: z.string().nullable(),
    created_at: z.iso.datetime(),
    finished_at: z.iso.datetime().nullable(),
  })
  .openapi("WebhookDelivery");
export type DeliveryResponse = z.infer<typeof DeliverySchema>;

export function deliveryResponse({ delivery, eventType, attempts }: DeliveryWithAttempts): DeliveryResponse {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    event_type: eventType,
    replay_of: delivery.replayOf,
    status: delivery.status,
    attempts: attempts.map((a) => ({ at: a.attemptedAt.toISOString(), status_code: a.statusCode, error: a.error })),
    last_error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    finished_at: delivery.finishedAt?.toISOString() ?? null,
  };
}

export const WebhookIdParam = z.object({ id: z.uuid().openapi({ example: EXAMPLE_IDS.webhook }) });

export const exampleWebhook: WebhookResponse = {
  id: EXAMPLE_IDS.webhook,
  url: "https://app.example.org/hooks/dfda",
  description: "Job results for the lab importer",
  events: ["job.completed", "data.rejected"],
  filters: { variable_ids: [], connection_ids: [] },
  enabled: true,
  disabled_reason: null,
  user_id: null,
  previous_secret_expires_at: null,
  created_at: EXAMPLE_TIME,
  updated_at: EXAMPLE_TIME,
};

export const exampleDelivery: DeliveryResponse = {
  id: EXAMPLE_IDS.webhookDelivery,
  event_id: EXAMPLE_IDS.webhookEvent,
  event_type: "job.completed",
  replay_of: null,
  status: "delivered",
  attempts: [
    { at: EXAMPLE_TIME, status_code: 500, error: "HTTP 500" },
    { at: "2026-12-06T08:30:30.000Z", status_code: 204, error: null },
  ],
  last_error: null,
  created_at: EXAMPLE_TIME,
  finished_at: "2026-12-06T08:30:30.000Z",
};

// ---- owner notices (GET /v1/me/notices) ----

export const NoticeSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(NOTICE_KINDS),
    title: z.string(),
    body: z.string(),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: "Ids of what it is about (job, file, connection, endpoint)." }),
    created_at: z.iso.datetime(),
    read_at: z.iso.datetime().nullable(),
  })
  .openapi("Notice");
export type NoticeResponse = z.infer<typeof NoticeSchema>;

export const exampleNotice: NoticeResponse = {
  id: EXAMPLE_IDS.notice,
  kind: "data_rejected",
  title: "Some of your data was not stored",
  body: "3 of 120 rows of labs.csv were refused (for example: value out of range). See the job for each row.",
  data: { job_id: EXAMPLE_IDS.job, file_id: EXAMPLE_IDS.file, rejected: 3 },
  created_at: EXAMPLE_TIME,
  read_at: null,
};

export function noticeResponse(n: OwnerNoticeRow): NoticeResponse {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: n.data,
    created_at: n.createdAt.toISOString(),
    read_at: n.readAt?.toISOString() ?? null,
  };
}
