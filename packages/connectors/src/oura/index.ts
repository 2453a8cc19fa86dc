/**
 * Oura (API v2), from Oura's published reference (https://cloud.ouraring.com/v2/docs and
 * https://cloud.ouraring.com/docs/authentication):
 *
 * - OAuth 2.0 authorization code: authorize at `https://cloud.ouraring.com/oauth/authorize`, token and
 *   refresh at `https://api.ouraring.com/oauth/token` (client credentials in the form body), revoke at
 *   `https://api.ouraring.com/oauth/revoke?access_token=…`. Scopes `daily heartrate spo2 personal`. Oura does not
 *   document PKCE, so none is sent.
 * - Collections under `/v2/usercollection/`, each a page `{ data: [...], next_token }`: `heartrate`
 *   (time series `{ bpm, source, timestamp }`, ranged by `start_datetime`/`end_datetime`), and the daily
 *   documents `daily_activity` (`{ day, steps, … }`) and `daily_spo2` (`{ day, spo2_percentage: {
 *   average } }`), ranged by `start_date`/`end_date`. A page is followed by passing its `next_token`.
 * - Rate limit: 5000 requests per 5-minute period, for each access token and for the application as a
 *   whole (`app_rate_limit`); beyond it a 429.
 *
 * Mapped to LOINC: heart rate 8867-4 (/min), steps in 24 hours 41950-7 ({steps}, the Oura day as
 * 00:00–24:00 UTC: Oura's `day` has no zone), SpO2 59408-5 (%, the night's average).
 */
import { CODE_SYSTEMS, type ObservationInput } from "@dfda/core";
import { z } from "zod";
import {
  type Connector,
  ConnectorDefinition,
  type ConnectorWebhook,
  constantTimeEqual,
  hmacSha256HexMatches,
  mayRequest,
  type SyncContext,
  type SyncCursor,
  type SyncOutcome,
  VendorError,
  type VendorHttp,
  webhookToken,
} from "../contract";
import { standardOAuth, VENDOR_TIMEOUT_MS, vendorRequest } from "../oauth";

export const OURA = ConnectorDefinition.parse({
  id: "oura",
  name: "Oura Ring",
  data_types: ["heart_rate", "steps", "oxygen_saturation"],
  auth: {
    kind: "oauth2",
    authorize_path: "/oauth/authorize",
    token_path: "/oauth/token",
    revoke_path: "/oauth/revoke",
    // `personal` for `personal_info`, whose `id` is the user id Oura's webhook events name (only `id` is read).
    scopes: ["daily", "heartrate", "spo2", "personal"],
    pkce: false,
  },
  base_urls: { auth: "https://cloud.ouraring.com", api: "https://api.ouraring.com" },
  rate_limit: { requests: 5000, per_seconds: 300 },
  // Oura limits each access token and, as well, the whole application ("5000 requests per 5 minute
  // period"; no reset time documented): every connection together stays under it.
  app_rate_limit: [{ requests: 5000, per_seconds: 300, resets: "sliding" }],
  backfill_days: 30,
});

/** Late data (a ring synced days later) is fetched again: time series 6 hours back, daily documents 2 days. */
export const OURA_OVERLAP = { heartrateMs: 6 * 3600_000, days: 2 };

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });

const Page = z.object({ data: z.array(z.unknown()), next_token: z.string().min(1).nullable().optional() });
const HeartRate = z.object({
  bpm: z.number().int().positive(),
  source: z.string(),
  timestamp: z.iso.datetime({ offset: true }),
});
const Day = z.iso.date();
const DailyActivity = z.object({ day: Day, steps: z.number().int().nonnegative() });
const DailySpo2 = z.object({ day: Day, spo2_percentage: z.object({ average: z.number().min(0).max(100) }).nullable() });

interface Endpoint {
  name: "heartrate" | "daily_activity" | "daily_spo2";
  /** The range query for a sync starting at the cursor (or the backfill start). */
  range(cursor: string | undefined, now: Date, backfillDays: number): Record<string, string>;
  /**
   * The item's observations and the time the cursor may move to, the reason it is skipped (an issue),
   * or `later` for a day not over yet (fetched again, complete, by the overlap of a later sync).
   */
  map(item: unknown, now: Date): { observations: ObservationInput[]; at: string } | { skip: string } | "later";
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

function dailyRange(cursor: string | undefined, now: Date, backfillDays: number): Record<string, string> {
  const today = dayOf(now);
  const start = cursor === undefined ? addDays(today, -backfillDays) : addDays(cursor, -OURA_OVERLAP.days);
  return { start_date: start, end_date: today };
}

/**
 * Whether a day (UTC) has ended. A document of a day not over yet is partial (today's steps grow all
 * day), and a stored observation is never overwritten by a later one of the same time (duplicates are
 * skipped), so it is left for a later sync, whose overlap window fetches it again once complete.
 */
const dayIsOver = (day: string, now: Date) => Date.parse(`${addDays(day, 1)}T00:00:00Z`) <= now.getTime();

/** A day's observation: the whole UTC day (Oura's `day` carries no zone). */
function daily(day: string, code: string, value: number, unit: string): ObservationInput {
  return {
    variable: loinc(code),
    value,
    unit,
    start_at: `${day}T00:00:00Z`,
    end_at: `${addDays(day, 1)}T00:00:00Z`,
    metadata: { vendor: "oura" },
  };
}

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: "heartrate",
    range: (cursor, now, backfillDays) => {
      const start =
        cursor === undefined
          ? new Date(now.getTime() - backfillDays * 86_400_000)
          : new Date(Date.parse(cursor) - OURA_OVERLAP.heartrateMs);
      return { start_datetime: start.toISOString(), end_datetime: now.toISOString() };
    },
    map: (item) => {
      const hr = HeartRate.safeParse(item);
      if (!hr.success) return { skip: "a heart rate sample without a valid bpm and timestamp" };
      const at = new Date(hr.data.timestamp).toISOString();
      return {
        at,
        observations: [
          {
            variable: loinc("8867-4"),
            value: hr.data.bpm,
            unit: "/min",
            start_at: at,
            metadata: { vendor: "oura", oura_source: hr.data.source },
          },
        ],
      };
    },
  },
  {
    name: "daily_activity",
    range: dailyRange,
    map: (item, now) => {
      const a = DailyActivity.safeParse(item);
      if (!a.success) return { skip: "a daily activity document without a valid day and steps" };
      if (!dayIsOver(a.data.day, now)) return "later";
      return { at: a.data.day, observations: [daily(a.data.day, "41950-7", a.data.steps, "{steps}")] };
    },
  },
  {
    name: "daily_spo2",
    range: dailyRange,
    map: (item, now) => {
      const s = DailySpo2.safeParse(item);
      if (!s.success) return { skip: "a daily SpO2 document without a valid day and percentage" };
      if (!dayIsOver(s.data.day, now)) return "later";
      // No average: the ring took no reading that night; nothing to import, the cursor still moves.
      const average = s.data.spo2_percentage?.average;
      return {
        at: s.data.day,
        observations: average === undefined ? [] : [daily(s.data.day, "59408-5", average, "%")],
      };
    },
  },
];

/**
 * Pages through each collection from its cursor (minus the overlap) to now, following `next_token`,
 * handing each page to `onPage` and then moving that collection's cursor to the latest time in it.
 * Stops, with `more: true`, at its quota or when the application's quota refuses a permit (`mayRequest`).
 */
async function sync(definition: ConnectorDefinition, context: SyncContext): Promise<SyncOutcome> {
  const cursor: SyncCursor = { ...context.cursor };
  let requests = 0;
  for (const endpoint of ENDPOINTS) {
    let nextToken: string | null = null;
    const range = endpoint.range(cursor[endpoint.name], context.now, definition.backfill_days);
    do {
      if (!(await mayRequest(context, definition, requests))) return { cursor, requests, more: true };
      const url = new URL(`/v2/usercollection/${endpoint.name}`, context.settings.baseUrls.api);
      for (const [k, v] of Object.entries(range)) url.searchParams.set(k, v);
      if (nextToken !== null) url.searchParams.set("next_token", nextToken);
      const request = new Request(url, {
        headers: { Authorization: `Bearer ${context.accessToken}`, Accept: "application/json" },
        signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
      });
      requests++;
      const response = await vendorRequest(context.http, request, `Oura ${endpoint.name}`, context.now);
      const body = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const page = Page.safeParse(json);
      if (!page.success) throw new VendorError("malformed", `Oura ${endpoint.name}: a page that is not Oura's JSON`);
      const observations: ObservationInput[] = [];
      const skipped: string[] = [];
      let latest = cursor[endpoint.name];
      for (const item of page.data.data) {
        const mapped = endpoint.map(item, context.now);
        if (mapped === "later") continue;
        if ("skip" in mapped) {
          skipped.push(mapped.skip);
          continue;
        }
        observations.push(...mapped.observations);
        if (latest === undefined || mapped.at > latest) latest = mapped.at;
      }
      if (latest !== undefined) cursor[endpoint.name] = latest;
      await context.onPage({
        endpoint: endpoint.name,
        request: `${url.pathname}${url.search}`,
        body,
        observations,
        skipped,
        // Once stored, a later run starts this collection from the page's latest time (minus the overlap).
        resume: { ...cursor },
      });
      nextToken = page.data.next_token ?? null;
    } while (nextToken !== null);
  }
  return { cursor, requests, more: false };
}

/** An Oura webhook event (API v2 webhooks): which user's which collection changed. */
const OuraEvent = z.object({
  event_type: z.string(),
  data_type: z.string(),
  user_id: z.string().min(1).max(128),
});

/**
 * Oura's webhooks (API v2, "Webhooks"): each event is POSTed with `x-oura-timestamp` and
 * `x-oura-signature`, the hex HMAC-SHA256 of the timestamp followed by the raw body, keyed with the
 * application's client secret (so the webhook secret configured for `oura` is the client secret), and
 * names the `user_id` whose `data_type` changed. A replayed event only asks for a sync that the
 * connection's state already de-duplicates, so no freshness window is enforced on the timestamp.
 *
 * Subscribing (`POST /v2/webhook/subscription`) is the application's, not a person's: Oura then calls
 * `GET <callback_url>?verification_token=…&challenge=…` and expects `{"challenge": …}` when the token is
 * the one the subscription was created with (`webhookToken(secret, "oura")`, see `ouraSubscriptions`).
 */
export const ouraWebhook: ConnectorWebhook = {
  verify: async (headers, body, secret) => {
    const timestamp = headers.get("x-oura-timestamp");
    const signature = headers.get("x-oura-signature");
    if (timestamp === null || signature === null) return false;
    return hmacSha256HexMatches(secret, timestamp + body, signature);
  },
  vendorUserIds: (body) => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return null;
    }
    const event = OuraEvent.safeParse(json);
    return event.success ? [event.data.user_id] : null;
  },
  check: async (url, keys) => {
    const token = url.searchParams.get("verification_token");
    const challenge = url.searchParams.get("challenge");
    if (keys.secret === undefined || token === null || challenge === null || challenge.length > 512) {
      return { ok: false };
    }
    const ok = await constantTimeEqual(token, await webhookToken(keys.secret, "oura"));
    return ok ? { ok: true, json: { challenge } } : { ok: false };
  },
};

const PersonalInfo = z.object({ id: z.string().min(1).max(128) });

/** The Oura user id (`GET /v2/usercollection/personal_info` → `id`, scope `personal`). */
async function identify(http: VendorHttp, apiBase: string, accessToken: string, now: Date): Promise<string> {
  const request = new Request(new URL("/v2/usercollection/personal_info", apiBase), {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
    signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
  });
  const response = await vendorRequest(http, request, "Oura personal_info", now);
  const info = PersonalInfo.safeParse(await response.json().catch(() => null));
  if (!info.success) throw new VendorError("malformed", "Oura personal_info: no user id in the answer");
  return info.data.id;
}

/**
 * A connector speaking Oura's API v2 under `definition` (Oura itself, or the `npm start` demo, which
 * runs Oura's local fake under its own id and name).
 */
export function ouraApiConnector(definition: ConnectorDefinition): Connector {
  return {
    definition,
    ...standardOAuth(definition, "Oura"),
    revoke: async (http, settings, tokens) => {
      const url = new URL(definition.auth.revoke_path ?? "/oauth/revoke", settings.baseUrls.api);
      url.searchParams.set("access_token", tokens.access_token);
      try {
        await vendorRequest(
          http,
          new Request(url, { signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS) }),
          "Oura revoke",
          new Date(),
        );
      } catch (error) {
        // A token the vendor no longer knows is revoked already.
        if (!(error instanceof VendorError && error.kind === "unauthorized")) throw error;
      }
    },
    sync: (context) => sync(definition, context),
    webhook: ouraWebhook,
    identify: (http, settings, accessToken, now) => identify(http, settings.baseUrls.api, accessToken, now),
  };
}

export const oura: Connector = ouraApiConnector(OURA);
