/**
 * Strava (API v3), from Strava's published reference (https://developers.strava.com/docs/reference/,
 * /docs/authentication/ and /docs/rate-limits/):
 *
 * - OAuth 2.0 authorization code: authorize at `https://www.strava.com/oauth/authorize` (scopes
 *   comma-delimited, `approval_prompt=auto`), token exchange and refresh at
 *   `https://www.strava.com/oauth/token` (client credentials in the form body; the answer carries
 *   `token_type`, `access_token`, `refresh_token`, `expires_at`, `expires_in` and the `athlete`, and no
 *   `scope`: the scopes the athlete accepted come back on the redirect). Access tokens live six hours;
 *   every refresh may return a NEW refresh token, which replaces the old one. Deauthorize is
 *   `POST https://www.strava.com/oauth/deauthorize` with the (unexpired) `access_token`. Strava
 *   documents no PKCE, so none is sent. Strava's errors are its own `Fault` (`{message, errors:
 *   [{resource, field, code}]}`), not RFC 6749 §5.2's `{error}`: an invalid code or refresh token is a
 *   400 whose errors name the field `code` or `refresh_token` with code `invalid`.
 * - Scope `activity:read_all`: the athlete's activities including "Only You" ones (a person's own
 *   workouts are theirs to bring in, whatever they share on Strava).
 * - `GET /api/v3/athlete/activities?before=&after=&page=&per_page=`: `before`/`after` are epoch
 *   seconds, `page` starts at 1, `per_page` is at most 200; the answer is a bare JSON array of
 *   SummaryActivity (no next token: a page shorter than `per_page`, or empty, is the last one).
 * - Rate limits are per APPLICATION (all athletes together): by default 100 read ("non-upload")
 *   requests every 15 minutes and 1,000 a day; the 15-minute window resets at :00, :15, :30 and :45,
 *   the daily one at midnight UTC. Strava signals them with `X-RateLimit-Limit`/`-Usage` and
 *   `X-ReadRateLimit-Limit`/`-Usage` ("15-minute,daily") and a 429 with no `Retry-After`.
 *
 * Mapped (SummaryActivity fields: `start_date` UTC, `elapsed_time` and `moving_time` in seconds,
 * `distance` in meters, `sport_type`, `has_heartrate`/`average_heartrate` in beats per minute), each
 * over the activity's span `start_date` … `start_date + elapsed_time`:
 * - workout duration (Open mHealth `physical-activity`): `moving_time`, `s` (the platform converts to
 *   minutes); the sport type is the note;
 * - distance by sport: running and walking sports to HealthKit's DistanceWalkingRunning, cycling sports
 *   to DistanceCycling, `Swim` to DistanceSwimming, in `m`; other sports' distance has no variable;
 * - average heart rate (LOINC 8867-4, `/min`) over the span, when the activity has heart-rate data.
 * Energy is not mapped: the list gives only `kilojoules` (mechanical work of rides, not energy burned);
 * `calories` is only in DetailedActivity, one request per activity against the application's quota.
 */
import { CODE_SYSTEMS, type ObservationInput } from "@dfda/core";
import { z } from "zod";
import {
  type Connector,
  ConnectorDefinition,
  type ConnectorSettings,
  mayRequest,
  type SyncContext,
  type SyncCursor,
  type SyncOutcome,
  VendorError,
  type VendorHttp,
  type VendorTokens,
} from "../contract";
import { retryAfterSeconds, VENDOR_TIMEOUT_MS, vendorRequest } from "../oauth";

export const STRAVA = ConnectorDefinition.parse({
  id: "strava",
  name: "Strava",
  data_types: ["workout_duration", "distance", "heart_rate"],
  auth: {
    kind: "oauth2",
    authorize_path: "/oauth/authorize",
    token_path: "/oauth/token",
    revoke_path: "/oauth/deauthorize",
    scopes: ["activity:read_all"],
    pkce: false,
  },
  base_urls: { auth: "https://www.strava.com", api: "https://www.strava.com" },
  // The default read quota of a Strava application (per application, not per athlete: docs/connectors.md).
  rate_limit: { requests: 100, per_seconds: 900 },
  // Strava's windows reset at :00, :15, :30, :45 and at midnight UTC (docs/rate-limits): fixed windows.
  app_rate_limit: [
    { requests: 100, per_seconds: 900, resets: "fixed" },
    { requests: 1000, per_seconds: 86_400, resets: "fixed" },
  ],
  backfill_days: 365,
});

/** Strava's largest page (`per_page`). */
export const STRAVA_PAGE_SIZE = 200;
/** Activities uploaded late (a watch synced days later) are fetched again: 7 days before the cursor. */
export const STRAVA_OVERLAP_MS = 7 * 86_400_000;
const ACTIVITIES_PATH = "/api/v3/athlete/activities";

/**
 * Cursor keys. `activities`: the latest start fully imported (the list was read to its end). While a
 * run that stopped at the quota is unfinished: the range it reads (`after`, `before`, epoch seconds),
 * the next `page`, and the latest start seen so far (`seen`), so the next run resumes where it stopped.
 */
const K = {
  done: "activities",
  after: "activities_after",
  before: "activities_before",
  page: "activities_page",
  seen: "activities_seen",
} as const;

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });
const hk = (code: string) => ({ system: CODE_SYSTEMS.appleHealth, code });
const omh = (code: string) => ({ system: CODE_SYSTEMS.openmhealth, code });

/** Strava's SportType values whose distance is on foot, on a bicycle, or swum (HealthKit's three). */
const DISTANCE_BY_SPORT: Readonly<Record<string, { system: string; code: string }>> = Object.fromEntries([
  ...["Run", "TrailRun", "VirtualRun", "Walk", "Hike"].map((s) => [
    s,
    hk("HKQuantityTypeIdentifierDistanceWalkingRunning"),
  ]),
  ...["Ride", "MountainBikeRide", "GravelRide", "EBikeRide", "EMountainBikeRide", "VirtualRide", "Velomobile"].map(
    (s) => [s, hk("HKQuantityTypeIdentifierDistanceCycling")],
  ),
  ["Swim", hk("HKQuantityTypeIdentifierDistanceSwimming")],
]);

/** The SummaryActivity fields read (others are kept in the raw copy only). */
const SummaryActivity = z.object({
  id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
  start_date: z.iso.datetime({ offset: true }),
  elapsed_time: z.number().int().nonnegative(),
  moving_time: z.number().int().nonnegative(),
  distance: z.number().nonnegative().optional(),
  // `type` is deprecated in favour of `sport_type`; older activities may carry only `type`.
  sport_type: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(64).optional(),
  has_heartrate: z.boolean().optional(),
  average_heartrate: z.number().positive().nullable().optional(),
});

/** One activity's observations, and its start (for the cursor). */
export function mapActivity(item: unknown): { observations: ObservationInput[]; at: string } | { skip: string } {
  const parsed = SummaryActivity.safeParse(item);
  if (!parsed.success) return { skip: "an activity without a valid id, start date and times" };
  const a = parsed.data;
  const start = new Date(a.start_date);
  const span = {
    start_at: start.toISOString(),
    end_at: new Date(start.getTime() + a.elapsed_time * 1000).toISOString(),
  };
  const sport = a.sport_type ?? a.type ?? "Workout";
  const metadata = { vendor: "strava", strava_activity_id: String(a.id), sport_type: sport };
  const observations: ObservationInput[] = [
    { variable: omh("physical-activity"), value: a.moving_time, unit: "s", ...span, note: sport, metadata },
  ];
  const distanceVariable = DISTANCE_BY_SPORT[sport];
  if (distanceVariable !== undefined && a.distance !== undefined && a.distance > 0) {
    observations.push({ variable: distanceVariable, value: a.distance, unit: "m", ...span, metadata });
  }
  if (a.has_heartrate === true && typeof a.average_heartrate === "number") {
    observations.push({
      variable: loinc("8867-4"),
      value: a.average_heartrate,
      unit: "/min",
      ...span,
      metadata: { ...metadata, statistic: "average" },
    });
  }
  return { observations, at: span.start_at };
}

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const quarterHourMs = 15 * 60_000;

/**
 * Seconds until Strava's exhausted window resets, from its rate-limit headers ("15-minute,daily"; the
 * read limit's when present): midnight UTC when the daily limit is spent, else the next quarter hour.
 * Strava sends no `Retry-After`, so this is its own signal turned into one (RFC 9110 §10.2.3).
 */
export function stravaRetryAfterSeconds(headers: Headers, now: Date): number {
  const pair = (name: string) => {
    const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(headers.get(name) ?? "");
    return m === null ? null : [Number(m[1]), Number(m[2])];
  };
  const limit = pair("X-ReadRateLimit-Limit") ?? pair("X-RateLimit-Limit");
  const usage = pair("X-ReadRateLimit-Usage") ?? pair("X-RateLimit-Usage");
  const t = now.getTime();
  const dailySpent = limit !== null && usage !== null && (usage[1] ?? 0) >= (limit[1] ?? Number.POSITIVE_INFINITY);
  const reset = dailySpent
    ? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
    : (Math.floor(t / quarterHourMs) + 1) * quarterHourMs;
  return Math.max(1, Math.ceil((reset - t) / 1000));
}

/** The HTTP port with Strava's 429 given a `Retry-After` computed from its rate-limit headers. */
function withRetryAfter(http: VendorHttp, now: Date): VendorHttp {
  return async (request) => {
    const response = await http(request);
    if (response.status !== 429 || retryAfterSeconds(response.headers.get("Retry-After"), now) !== null)
      return response;
    const headers = new Headers(response.headers);
    headers.set("Retry-After", String(stravaRetryAfterSeconds(response.headers, now)));
    return new Response(response.body, { status: 429, headers });
  };
}

/** Strava's token response (https://developers.strava.com/docs/authentication/#tokenexchange). */
const TokenResponse = z.object({
  token_type: z.string().regex(/^bearer$/i),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_at: z.number().int().positive(),
  expires_in: z.number().int().optional(),
});
/** Strava's `Fault`: an invalid code or refresh token names its field with code `invalid`. */
const Fault = z.object({
  message: z.string().optional(),
  errors: z.array(z.object({ field: z.string().optional(), code: z.string().optional() })).optional(),
});

/** A token request (code exchange or refresh) the way Strava takes and answers it. */
async function stravaToken(
  http: VendorHttp,
  settings: ConnectorSettings,
  form: Record<string, string>,
  now: Date,
): Promise<VendorTokens> {
  const request = new Request(new URL(STRAVA.auth.token_path, settings.baseUrls.api), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, ...form }),
    signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
  });
  let response: Response;
  try {
    response = await withRetryAfter(http, now)(request);
  } catch {
    throw new VendorError("unavailable", "Strava token request: the vendor could not be reached");
  }
  if (response.status === 400 || response.status === 401) {
    const fault = Fault.safeParse(await response.json().catch(() => null));
    const invalid =
      fault.success &&
      (fault.data.errors ?? []).some(
        (e) => (e.field === "code" || e.field === "refresh_token") && e.code === "invalid",
      );
    // The grant is gone (RFC 6749 §5.2 invalid_grant): a used or expired code, a refresh token replaced or revoked.
    if (response.status === 401 || invalid) {
      throw new VendorError("invalid_grant", "Strava no longer accepts this connection's authorization");
    }
    throw new VendorError("malformed", "Strava token request: the vendor answered 400");
  }
  const ok = await vendorRequest(async () => response, request, "Strava token request", now);
  const parsed = TokenResponse.safeParse(await ok.json().catch(() => null));
  if (!parsed.success) throw new VendorError("malformed", "Strava token request: the answer is not a token response");
  return {
    access_token: parsed.data.access_token,
    // Strava's refresh answers the refresh token to use from now on (it may be a new one).
    refresh_token: parsed.data.refresh_token,
    expires_at: new Date(parsed.data.expires_at * 1000).toISOString(),
    // The accepted scopes come on the redirect, not here.
    scope: null,
  };
}

/**
 * Pages through the athlete's activities in one fixed range (`after` the cursor minus the overlap, or
 * the backfill start; `before` now), page 1, 2 … until a page shorter than `per_page`. The cursor moves
 * to the latest start seen only once the list was read to its end, whatever order Strava lists them in.
 * Each page is handed over with the cursor that resumes at the next one (range, next page, latest
 * start seen); at the quota (its own, or the application's) it stops with `more: true` and that cursor.
 */
export async function stravaSync(definition: ConnectorDefinition, context: SyncContext): Promise<SyncOutcome> {
  const cursor: SyncCursor = { ...context.cursor };
  const resuming = cursor[K.page] !== undefined && cursor[K.after] !== undefined && cursor[K.before] !== undefined;
  const done = cursor[K.done];
  const after = resuming
    ? Number(cursor[K.after])
    : epoch(
        done === undefined
          ? new Date(context.now.getTime() - definition.backfill_days * 86_400_000)
          : new Date(Date.parse(done) - STRAVA_OVERLAP_MS),
      );
  const before = resuming ? Number(cursor[K.before]) : epoch(context.now);
  let page = resuming ? Number(cursor[K.page]) : 1;
  let seen = resuming ? cursor[K.seen] : undefined;
  const http = withRetryAfter(context.http, context.now);
  let requests = 0;
  /** The cursor that resumes the list at `page` of the same range. */
  const resumeAt = (next: number): SyncCursor => {
    const progress: SyncCursor = {
      ...cursor,
      [K.after]: String(after),
      [K.before]: String(before),
      [K.page]: String(next),
    };
    if (seen !== undefined) progress[K.seen] = seen;
    return progress;
  };
  /** The cursor once the list was read to its end: the latest start seen, the range forgotten. */
  const finished = (): SyncCursor => {
    const complete: SyncCursor = { ...cursor };
    for (const key of [K.after, K.before, K.page, K.seen]) delete complete[key];
    const latest = [cursor[K.done], seen]
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1);
    if (latest !== undefined) complete[K.done] = latest;
    return complete;
  };
  for (;;) {
    if (!(await mayRequest(context, definition, requests))) return { cursor: resumeAt(page), requests, more: true };
    const url = new URL(ACTIVITIES_PATH, context.settings.baseUrls.api);
    url.searchParams.set("after", String(after));
    url.searchParams.set("before", String(before));
    url.searchParams.set("page", String(page));
    url.searchParams.set("per_page", String(STRAVA_PAGE_SIZE));
    const request = new Request(url, {
      headers: { Authorization: `Bearer ${context.accessToken}`, Accept: "application/json" },
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
    requests++;
    const response = await vendorRequest(http, request, "Strava activities", context.now);
    const body = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    if (!Array.isArray(json)) throw new VendorError("malformed", "Strava activities: a page that is not a JSON array");
    const observations: ObservationInput[] = [];
    const skipped: string[] = [];
    for (const item of json) {
      const mapped = mapActivity(item);
      if ("skip" in mapped) {
        skipped.push(mapped.skip);
        continue;
      }
      observations.push(...mapped.observations);
      if (seen === undefined || mapped.at > seen) seen = mapped.at;
    }
    const last = json.length < STRAVA_PAGE_SIZE;
    await context.onPage({
      endpoint: "activities",
      request: `${url.pathname}${url.search}`,
      body,
      observations,
      skipped,
      // Once stored, a later run resumes at the next page of the same range (or the list is done).
      resume: last ? finished() : resumeAt(page + 1),
    });
    if (last) break;
    page++;
  }
  return { cursor: finished(), requests, more: false };
}

/** Deauthorizes with an unexpired access token (one refresh first when it has expired or is refused). */
async function revoke(http: VendorHttp, settings: ConnectorSettings, tokens: VendorTokens): Promise<void> {
  const now = new Date();
  const deauthorize = (accessToken: string) =>
    vendorRequest(
      withRetryAfter(http, now),
      new Request(new URL(STRAVA.auth.revoke_path ?? "/oauth/deauthorize", settings.baseUrls.api), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ access_token: accessToken }),
        signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
      }),
      "Strava deauthorize",
      now,
    );
  const expired = tokens.expires_at !== null && Date.parse(tokens.expires_at) <= now.getTime();
  let accessToken = tokens.access_token;
  if (!expired) {
    try {
      await deauthorize(accessToken);
      return;
    } catch (error) {
      if (!(error instanceof VendorError && error.kind === "unauthorized")) throw error;
    }
  }
  // Strava deauthorizes only with a live access token: refresh once; a refused refresh is a grant gone already.
  if (tokens.refresh_token === null) return;
  try {
    accessToken = (
      await stravaToken(http, settings, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, now)
    ).access_token;
  } catch (error) {
    if (error instanceof VendorError && error.kind === "invalid_grant") return;
    throw error;
  }
  try {
    await deauthorize(accessToken);
  } catch (error) {
    if (!(error instanceof VendorError && error.kind === "unauthorized")) throw error;
  }
}

export const strava: Connector = {
  definition: STRAVA,
  authorizeUrl: (settings, request) => {
    // Strava's authorize request: scopes comma-delimited (not RFC 6749 §3.3's spaces), approval_prompt.
    const url = new URL(STRAVA.auth.authorize_path, settings.baseUrls.auth);
    url.searchParams.set("client_id", settings.clientId);
    url.searchParams.set("redirect_uri", request.redirectUri);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("approval_prompt", "auto");
    url.searchParams.set("scope", STRAVA.auth.scopes.join(","));
    url.searchParams.set("state", request.state);
    return url.toString();
  },
  // Strava's token exchange takes no redirect_uri (its reference lists client_id, client_secret, code, grant_type).
  exchangeCode: (http, settings, grant) =>
    stravaToken(http, settings, { grant_type: "authorization_code", code: grant.code }, grant.now),
  refresh: (http, settings, tokens, now) => {
    if (tokens.refresh_token === null) {
      return Promise.reject(new VendorError("invalid_grant", "Strava gave no refresh token; connect again"));
    }
    return stravaToken(http, settings, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, now);
  },
  revoke,
  sync: (context) => stravaSync(STRAVA, context),
};
