/**
 * The connector contract: what every connector (built in, or a third-party plugin Worker behind a
 * service binding) declares and does. The declaration (`ConnectorDefinition`) is data, parsed with zod
 * at the boundary like a mapper plugin's manifest (docs/plugins.md); the behaviour (`Connector`) is a
 * small interface whose only I/O is the `VendorHttp` it is handed, so the same code talks to the
 * vendor when deployed and to its local fake in tests (vendor base URLs are configuration).
 */
import type { ObservationInput } from "@dfda/core";
import { z } from "zod";
import { AppRateWindow } from "./quota";

/** A connector id: lowercase, as it appears in URLs (`/v1/connectors/{id}/callback`) and R2 keys. */
export const ConnectorId = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "lowercase letters, digits and '-' (2–32)");

/**
 * What a connector declares. `auth` describes the vendor's OAuth 2.0 authorization-code flow (RFC 6749
 * §4.1): where to send the person, where to exchange and refresh (§6), where to revoke (RFC 7009, or the
 * vendor's own), the scopes asked for, and whether the vendor takes PKCE (RFC 7636). `rate_limit` is the
 * vendor's published quota per person: a sync never makes more requests than `requests` in one run and
 * waits `per_seconds` before the next run, so a connection never bursts past it. `app_rate_limit` is the
 * vendor's quota per APPLICATION (all people together; one or more windows, e.g. Strava's 15 minutes and
 * day): the connectors Worker draws every connection's requests from one counter per application
 * (./quota.ts, the `VendorQuota` Durable Object), so many connections together never burst past it.
 */
export const ConnectorDefinition = z
  .object({
    id: ConnectorId,
    name: z.string().min(1).max(100),
    /** Marks a connector that talks to a fake vendor (`npm start`), never to real accounts. */
    demo: z.boolean().default(false),
    /** The kinds of data it brings in (`heart_rate`, `steps` …), for the catalog. */
    data_types: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1),
    auth: z.object({
      kind: z.literal("oauth2"),
      authorize_path: z.string().startsWith("/"),
      token_path: z.string().startsWith("/"),
      revoke_path: z.string().startsWith("/").nullable(),
      scopes: z.array(z.string().min(1)).min(1),
      pkce: z.boolean(),
    }),
    /** The vendor's own base URLs; configuration may replace them (a fake, a regional host). */
    base_urls: z.object({ auth: z.url(), api: z.url() }),
    rate_limit: z.object({ requests: z.int().min(1), per_seconds: z.int().min(1) }),
    app_rate_limit: z.array(AppRateWindow).min(1).max(8).optional(),
    /** How far back a new connection's first sync reaches, in days. */
    backfill_days: z.int().min(1).max(3660),
  })
  .strict();
export type ConnectorDefinition = z.output<typeof ConnectorDefinition>;

/** Tokens as the vendor issued them (RFC 6749 §5.1), with the expiry made absolute. Never logged. */
export const VendorTokens = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullable(),
  /** ISO instant the access token expires, or null when the vendor gave no `expires_in`. */
  expires_at: z.iso.datetime().nullable(),
  scope: z.string().nullable(),
  /** The vendor's id of the person, where its API needs it beside the token (Withings' revoke takes `userid`). */
  vendor_user_id: z.string().min(1).max(128).optional(),
});
export type VendorTokens = z.infer<typeof VendorTokens>;

/** Where a sync stands: per vendor endpoint, the latest time fully imported (an instant or a day). */
export const SyncCursor = z.record(z.string(), z.string().max(64));
export type SyncCursor = z.infer<typeof SyncCursor>;

/** The only I/O a connector does: one HTTP exchange (global `fetch` when deployed, a fake in tests). */
export type VendorHttp = (request: Request) => Promise<Response>;

/** A deployment's settings for one connector: its client credentials and, optionally, other base URLs. */
export interface ConnectorSettings {
  clientId: string;
  clientSecret: string;
  baseUrls: { auth: string; api: string };
  /**
   * Present where the deployment takes this vendor's push notifications and the vendor subscribes each
   * person separately (Fitbit's Subscriptions API, Withings' Notify): what to register there.
   */
  webhook?: WebhookSubscriptionSettings;
}

/** What a per-person subscription at the vendor registers (`ConnectorWebhook.subscribe`). */
export interface WebhookSubscriptionSettings {
  /** The notification URL, `https://<API origin>/v1/connectors/<id>/webhook`, with any token it carries. */
  callbackUrl: string;
  /** The vendor's id of the subscriber (Fitbit's `X-Fitbit-Subscriber-Id`), where the app has several. */
  subscriberId?: string;
  /** The connector's webhook secret, for a vendor authenticated by a token in the URL (Withings). */
  secret?: string;
}

/** One vendor response as received, with what it mapped to. The raw body is kept (encrypted) in R2. */
export interface VendorPage {
  /** The endpoint's name within the connector (`heartrate`, `daily_activity` …). */
  endpoint: string;
  /** The request path and query, without host or credentials (for the raw copy's metadata). */
  request: string;
  body: string;
  observations: ObservationInput[];
  /** Items of the page that could not be mapped, in plain words (never their values). */
  skipped: string[];
  /**
   * The cursor a later run resumes from once this page is stored (this page and every one before it
   * imported). The framework saves it as soon as the page is written, so a failure after it (a 429, a
   * 5xx, the run's end) never fetches these pages again. Absent: this page moves no cursor.
   */
  resume?: SyncCursor;
}

export interface SyncContext {
  http: VendorHttp;
  settings: ConnectorSettings;
  accessToken: string;
  cursor: SyncCursor;
  now: Date;
  /** Called with each page, in order, before the cursor moves past it; throwing stops the sync. */
  onPage(page: VendorPage): Promise<void>;
  /**
   * Asks for the permit to make one more vendor request under the application's quota
   * (`app_rate_limit`); false: the application's quota is spent for now, so the run stops with
   * `more: true` (the framework schedules the rest when the quota's window opens again). Absent: no
   * application quota applies (a connector's own unit tests). `mayRequest` asks it.
   */
  permit?(): Promise<boolean>;
}

/**
 * Whether a run may make its next request: under the connection's own quota (`rate_limit.requests` a
 * run) and with a permit of the application's (`context.permit`). Asked before each request, the
 * connection's limit first, so no application permit is taken for a request the run will not make.
 *
 * @example
 * if (!(await mayRequest(context, definition, requests))) return { cursor, requests, more: true };
 */
export async function mayRequest(
  context: Pick<SyncContext, "permit">,
  definition: Pick<ConnectorDefinition, "rate_limit">,
  requestsSoFar: number,
): Promise<boolean> {
  if (requestsSoFar >= definition.rate_limit.requests) return false;
  return context.permit === undefined || (await context.permit());
}

export interface SyncOutcome {
  cursor: SyncCursor;
  requests: number;
  /**
   * True when the run stopped at a quota with pages left: its own (sync again after `per_seconds`) or
   * the application's (again when the `VendorQuota` window opens).
   */
  more: boolean;
}

/** Why a vendor exchange failed, in the connector's terms; the consumer decides what each means. */
export type VendorErrorKind = "unauthorized" | "invalid_grant" | "rate_limited" | "unavailable" | "malformed";

/**
 * A vendor exchange that failed. `unauthorized` (401) asks for one refresh; `invalid_grant` (RFC 6749
 * §5.2: the refresh token or code is no longer good) means the person must connect again;
 * `rate_limited` (429) carries the vendor's `Retry-After` in seconds (RFC 9110 §10.2.3);
 * `unavailable` (5xx, timeouts) is retried with backoff; `malformed` is a response we cannot read.
 */
export class VendorError extends Error {
  override readonly name = "VendorError";
  constructor(
    readonly kind: VendorErrorKind,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/**
 * A connector. Every method takes the HTTP port and the deployment's settings; none keeps state.
 *
 * @example
 * const url = oura.authorizeUrl(settings, { state, redirectUri });
 * const tokens = await oura.exchangeCode(fetch, settings, { code, redirectUri, now: new Date() });
 * const { cursor } = await oura.sync({ http: fetch, settings, accessToken: tokens.access_token, cursor: {}, now, onPage });
 */
export interface Connector {
  readonly definition: ConnectorDefinition;
  /** Only the public settings: the API builds this URL without the client secret. */
  authorizeUrl(
    settings: Omit<ConnectorSettings, "clientSecret">,
    request: { state: string; redirectUri: string; codeChallenge?: string },
  ): string;
  exchangeCode(
    http: VendorHttp,
    settings: ConnectorSettings,
    grant: { code: string; redirectUri: string; codeVerifier?: string; now: Date },
  ): Promise<VendorTokens>;
  refresh(http: VendorHttp, settings: ConnectorSettings, tokens: VendorTokens, now: Date): Promise<VendorTokens>;
  /** Revokes the grant at the vendor; a vendor without revocation resolves (nothing to do). */
  revoke(http: VendorHttp, settings: ConnectorSettings, tokens: VendorTokens): Promise<void>;
  sync(context: SyncContext): Promise<SyncOutcome>;
  /** Present when the vendor pushes notifications (webhooks) to `POST /v1/connectors/{id}/webhook`. */
  readonly webhook?: ConnectorWebhook;
  /**
   * The vendor's id of the person, for a vendor whose token response names none (Oura): asked once, at
   * the first sync that lacks it, and kept as `vendor_user_id` (notifications are matched by it).
   */
  identify?(http: VendorHttp, settings: ConnectorSettings, accessToken: string, now: Date): Promise<string>;
}

/**
 * A vendor's push notifications. `verify` checks the vendor's signature over the raw body with the
 * deployment's webhook secret for this connector (`CONNECTOR_WEBHOOK_SECRETS`); `vendorUserIds` reads
 * which of the vendor's users have new data (matched to `connector_connections.external_user_id`), or
 * null when the body is not a notification the connector knows.
 */
export interface ConnectorWebhook {
  /**
   * `request` carries the request's URL and this deployment's client id: a vendor that signs nothing is
   * authenticated by a token in the URL (Withings, Garmin) and, for Garmin, its `garmin-client-id` header.
   */
  verify(headers: Headers, body: string, secret: string, request?: WebhookRequest): Promise<boolean>;
  vendorUserIds(body: string): string[] | null;
  /** Present when the vendor pushes the data itself (Garmin's Push and Ping services), not just a notice. */
  readonly push?: ConnectorPush;
  /**
   * The vendor's check of the notification URL (`GET` or `HEAD /v1/connectors/{id}/webhook`): Oura's
   * `verification_token`/`challenge`, Fitbit's `verify` code, Withings' reachability check. `ok` with
   * `json` is answered 200 with that JSON, `ok` alone 204, not `ok` 404.
   */
  check?(url: URL, keys: WebhookKeys): Promise<WebhookCheck>;
  /**
   * Subscribes the person at the vendor after connecting (Fitbit, Withings: per person), with the
   * person's token; `settings.webhook` says where. Resolves when the vendor holds the subscription.
   */
  subscribe?(http: VendorHttp, settings: ConnectorSettings, tokens: VendorTokens, now: Date): Promise<void>;
  /** Removes the person's subscription before the grant is revoked (a gone subscription is fine). */
  unsubscribe?(http: VendorHttp, settings: ConnectorSettings, tokens: VendorTokens, now: Date): Promise<void>;
}

/**
 * What a vendor that authenticates its notifications without a signature over the body needs beside
 * it (Garmin: a secret in the registered URL, and its `garmin-client-id` header): the request's URL and
 * this deployment's client id for the connector (public: it is in every authorization URL).
 */
export interface WebhookRequest {
  url: URL;
  clientId: string | undefined;
}

/**
 * A vendor that pushes data (or pings with a URL to pull it from) for many of its users in one request.
 * The API splits a verified notification by vendor user (`split`), keeps each connection's part
 * encrypted in R2 and queues a `push` message; the connectors Worker then maps that part (`receive`),
 * pulling any callback URL it names at the vendor, through the same pipeline as a sync.
 */
export interface ConnectorPush {
  /**
   * Each vendor user's part of a notification (a body of the vendor's own shape holding only that
   * user's items), and the vendor users who withdrew their consent; null when it is not a notification
   * the connector knows.
   */
  split(body: string): { parts: Map<string, string>; deregistered: string[] } | null;
  /** Maps one user's part, handing each page (pushed, or pulled from a callback URL) to `onPage`. */
  receive(context: PushContext): Promise<{ requests: number }>;
}

export interface PushContext {
  http: VendorHttp;
  settings: ConnectorSettings;
  /** One vendor user's part of a notification, as `split` made it. */
  body: string;
  now: Date;
  /** `pulled`: the page was fetched from a callback URL (its raw body is not yet kept), else pushed. */
  onPage(page: VendorPage, pulled: boolean): Promise<void>;
}

/** What the API knows to answer a vendor's URL check: the webhook secret, and a code the vendor chose. */
export interface WebhookKeys {
  secret: string | undefined;
  /** A verification code the vendor shows the operator (Fitbit's subscriber "verification code"). */
  verificationCode: string | undefined;
}

export type WebhookCheck = { ok: true; json?: Record<string, string> } | { ok: false };

/**
 * The token a vendor is handed to prove a request is meant for us, derived from the connector's webhook
 * secret so the API and whoever registers the URL agree without a second setting: Oura's
 * `verification_token`, the token in Withings' callback URL. Hex HMAC-SHA256 (RFC 2104) of
 * `dfda-webhook-token:<id>`; the secret itself never appears in a URL.
 */
export async function webhookToken(secret: string, connectorId: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`dfda-webhook-token:${connectorId}`));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether two strings are equal, in time that depends only on their lengths: the SHA-256 of each is
 * compared with WebCrypto's HMAC verify (a fixed-time check), so a token is not found byte by byte.
 */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    "raw",
    crypto.getRandomValues(new Uint8Array(32)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  const macOfA = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(a));
  return crypto.subtle.verify("HMAC", key, macOfA, new TextEncoder().encode(b));
}

/** HMAC-SHA256 (RFC 2104) of `message` under `secret`, checked against `hex` in constant time (WebCrypto verify). */
export async function hmacSha256HexMatches(secret: string, message: string, hex: string): Promise<boolean> {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signature = new Uint8Array(32);
  for (let i = 0; i < 32; i++) signature[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return crypto.subtle.verify("HMAC", key, signature, new TextEncoder().encode(message));
}
