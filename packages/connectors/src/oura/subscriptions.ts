/**
 * Oura's webhook subscriptions (API v2, "Webhooks", `/v2/webhook/subscription`): unlike Fitbit's and
 * Withings', they belong to the application, not to a person (one subscription per `data_type` and
 * `event_type` delivers every user's events), and they are authenticated by the application's
 * `x-client-id` and `x-client-secret` headers, not a person's token. They expire
 * (`expiration_time`) and are renewed with `PUT /v2/webhook/subscription/renew/{id}`.
 *
 * So subscribing is an operator step, run once after deploying and then regularly (weekly is ample):
 * `ensureOuraSubscriptions` lists the application's subscriptions, creates those missing for the
 * callback URL (Oura then calls `GET <callback>?verification_token=…&challenge=…`, which the API
 * answers, `ouraWebhook.check`) and renews those that expire within `renewWithinDays`. It is idempotent.
 * `scripts/oura-webhooks.ts` runs it from a shell.
 */
import { z } from "zod";
import { VendorError, type VendorHttp } from "../contract";
import { VENDOR_TIMEOUT_MS, vendorRequest } from "../oauth";

/** The collections the Oura connector reads, and the events that mean new or changed data. */
export const OURA_WEBHOOK_DATA_TYPES = ["heartrate", "daily_activity", "daily_spo2"] as const;
export const OURA_WEBHOOK_EVENT_TYPES = ["create", "update"] as const;

const Subscription = z.object({
  id: z.string().min(1),
  callback_url: z.string(),
  event_type: z.string(),
  data_type: z.string(),
  expiration_time: z.string(),
});

export interface OuraSubscriptionTarget {
  /** Oura's API host (`https://api.ouraring.com`, or a fake's). */
  apiBase: string;
  clientId: string;
  clientSecret: string;
  /** `https://<API origin>/v1/connectors/oura/webhook`. */
  callbackUrl: string;
  /** `webhookToken(<oura webhook secret>, "oura")`: what the API expects in Oura's verification GET. */
  verificationToken: string;
  now: Date;
  renewWithinDays?: number;
}

/** What `ensureOuraSubscriptions` did, as `data_type:event_type` pairs. */
export interface OuraSubscriptionReport {
  created: string[];
  renewed: string[];
  kept: string[];
}

/** Creates the missing subscriptions for the callback URL and renews those expiring soon; idempotent. */
export async function ensureOuraSubscriptions(
  http: VendorHttp,
  target: OuraSubscriptionTarget,
): Promise<OuraSubscriptionReport> {
  const headers = {
    "x-client-id": target.clientId,
    "x-client-secret": target.clientSecret,
    Accept: "application/json",
  };
  const call = async (method: string, path: string, what: string, body?: unknown) => {
    const response = await vendorRequest(
      http,
      new Request(new URL(path, target.apiBase), {
        method,
        headers: body === undefined ? headers : { ...headers, "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
      }),
      what,
      target.now,
    );
    return response.json().catch(() => null) as Promise<unknown>;
  };
  const listed = z.array(Subscription).safeParse(await call("GET", "/v2/webhook/subscription", "Oura subscriptions"));
  if (!listed.success) throw new VendorError("malformed", "Oura subscriptions: the list is not Oura's JSON");
  const ours = listed.data.filter((s) => s.callback_url === target.callbackUrl);
  const report: OuraSubscriptionReport = { created: [], renewed: [], kept: [] };
  const renewBefore = target.now.getTime() + (target.renewWithinDays ?? 14) * 86_400_000;
  for (const dataType of OURA_WEBHOOK_DATA_TYPES) {
    for (const eventType of OURA_WEBHOOK_EVENT_TYPES) {
      const name = `${dataType}:${eventType}`;
      const existing = ours.find((s) => s.data_type === dataType && s.event_type === eventType);
      if (existing === undefined) {
        await call("POST", "/v2/webhook/subscription", `Oura subscribe ${name}`, {
          callback_url: target.callbackUrl,
          verification_token: target.verificationToken,
          event_type: eventType,
          data_type: dataType,
        });
        report.created.push(name);
      } else if (!(Date.parse(existing.expiration_time) > renewBefore)) {
        await call("PUT", `/v2/webhook/subscription/renew/${encodeURIComponent(existing.id)}`, `Oura renew ${name}`);
        report.renewed.push(name);
      } else {
        report.kept.push(name);
      }
    }
  }
  return report;
}
