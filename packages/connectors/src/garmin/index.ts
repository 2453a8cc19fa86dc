/**
 * Garmin (Garmin Connect Developer Program: Health API), from Garmin's published documents: the
 * "Health API" specification (v1.2.2, sections 3–8 and Appendix E), the "OAuth2 PKCE" specification and
 * the "Developer Program Start Guide" (user id and user registration endpoints). Garmin publishes them
 * to registered developers only; docs/connectors.md ("Garmin") says what was read and what was inferred.
 *
 * - **OAuth 2.0 with PKCE** (RFC 7636, S256): the person is sent to `https://connect.garmin.com/oauth2Confirm`
 *   (`response_type=code`, `client_id`, `code_challenge`, `code_challenge_method=S256`, `redirect_uri`,
 *   `state`; Garmin takes no `scope`: the person picks the permissions on its consent page); the code and
 *   refresh grants go to `POST https://diauth.garmin.com/di-oauth2-service/oauth/token` (form body with
 *   `client_id`, `client_secret`, and `code_verifier` for the code). Access tokens last 24 hours
 *   (`expires_in` 86400), refresh tokens 90 days (`refresh_token_expires_in`), and every refresh returns a
 *   new refresh token.
 * - **The user id**: `GET https://apis.garmin.com/wellness-api/rest/user/id` answers `{"userId": "…"}`,
 *   Garmin's stable id of the person, the one its notifications name (kept as `vendor_user_id`, so it
 *   becomes the connection's `external_user_id`).
 * - **Deregistration**: `DELETE /wellness-api/rest/user/registration` (204) ends the person's registration
 *   with this app (Garmin requires it when a person disconnects).
 * - **Data comes by notification only** (Health API §4, §5): Garmin POSTs either the summaries themselves
 *   (Push Service: `{"dailies": [{userId, summaryId, …}], …}`) or pings with a `callbackURL` to pull each
 *   user's summaries from (Ping Service: `{"dailies": [{userId, callbackURL}]}`; the URL carries a pull
 *   `token`, valid for that pull). Partners must answer 200 within 30 seconds and must not call the
 *   summary endpoints unprompted ("ad-hoc requests for data are not permitted").
 * - **Backfill** (§8): `GET /wellness-api/rest/backfill/{dailies|sleeps|bodyComps|pulseOx}` with
 *   `summaryStartTimeInSeconds`/`summaryEndTimeInSeconds` (at most 90 days) answers 202 and delivers the
 *   summaries later by notification; a duplicate request answers 409. Evaluation keys may backfill 100
 *   days of data per minute (production keys 10,000).
 * - Errors (Appendix E): 400 bad parameters, 401 authorization failed, 403 unknown or withdrawn token,
 *   412 the person did not grant the permission for that summary type, 500; bodies `{"errorMessage"}`.
 * - Time (§6.2): every timestamp is UTC in seconds; `…OffsetInSeconds` is the device's display offset
 *   (not a time zone), kept as metadata; one-a-day summaries name their `calendarDate`.
 *
 * Mapped (the codings other connectors and the file mappers use): dailies (§7.1) → steps 41950-7,
 * walking+running distance (HealthKit DistanceWalkingRunning, m), active energy 41981-2 (kcal, activity
 * only), basal energy (HealthKit BasalEnergyBurned, kcal), floors (HealthKit FlightsClimbed), resting
 * heart rate 40443-4 (/min), over the summary's span; sleeps (§7.3) → total sleep 93832-4, deep 93831-6,
 * light 93830-8, REM 93829-0 (seconds); body compositions (§7.4) → weight 29463-7 (grams → kg), body fat
 * 41982-0 (%), BMI 39156-5 (kg/m2) at the measurement time; pulse ox (§7.7) → SpO2 59408-5 (%) at each
 * sample's time (start + offset).
 */
import { CODE_SYSTEMS, type ObservationInput } from "@dfda/core";
import { z } from "zod";
import {
  type Connector,
  ConnectorDefinition,
  type ConnectorPush,
  type ConnectorSettings,
  type ConnectorWebhook,
  constantTimeEqual,
  type PushContext,
  type SyncContext,
  type SyncOutcome,
  VendorError,
  type VendorHttp,
  type VendorPage,
  type VendorTokens,
} from "../contract";
import { authorizationUrl, tokenRequest, VENDOR_TIMEOUT_MS, vendorRequest } from "../oauth";

export const GARMIN = ConnectorDefinition.parse({
  id: "garmin",
  name: "Garmin",
  data_types: [
    "steps",
    "distance",
    "active_energy",
    "basal_energy",
    "floors",
    "resting_heart_rate",
    "sleep",
    "weight",
    "body_fat",
    "bmi",
    "oxygen_saturation",
  ],
  auth: {
    kind: "oauth2",
    authorize_path: "/oauth2Confirm",
    token_path: "/di-oauth2-service/oauth/token",
    revoke_path: "/wellness-api/rest/user/registration",
    // Garmin's permission names (`GET /wellness-api/rest/user/permissions`): the person grants them on
    // Garmin's consent page; the authorization request carries no scope.
    scopes: ["HEALTH_EXPORT", "HISTORICAL_DATA_EXPORT"],
    pkce: true,
  },
  base_urls: { auth: "https://connect.garmin.com", api: "https://apis.garmin.com" },
  // Backfill is limited in days of data per minute (evaluation keys: 100): three 30-day requests a minute.
  rate_limit: { requests: 3, per_seconds: 60 },
  // "Per user rate limit: 1 month since the first user connection per summary type" (§8).
  backfill_days: 30,
});

/** Garmin's token endpoint host: neither the consent page's host nor the API's (OAuth2 PKCE spec). */
export const GARMIN_TOKEN_ORIGIN = "https://diauth.garmin.com";

/**
 * Where the token endpoint is: Garmin's own `diauth` host when the authorization host is Garmin's, else
 * the configured authorization host (a fake, which serves both).
 */
export function garminTokenOrigin(settings: Pick<ConnectorSettings, "baseUrls">): string {
  return settings.baseUrls.auth === GARMIN.base_urls.auth ? GARMIN_TOKEN_ORIGIN : settings.baseUrls.auth;
}

export const GARMIN_USER_ID_PATH = "/wellness-api/rest/user/id";
export const GARMIN_REGISTRATION_PATH = "/wellness-api/rest/user/registration";
/** The query parameter of the notification URL registered at Garmin that carries the webhook secret. */
export const GARMIN_WEBHOOK_KEY_PARAM = "key";

/** The summary types mapped: the key in a notification, and the backfill resource (Health API §5, §8). */
export const GARMIN_SUMMARIES = [
  { key: "dailies", backfill: "dailies" },
  { key: "sleeps", backfill: "sleeps" },
  { key: "bodyComps", backfill: "bodyComps" },
  { key: "pulseox", backfill: "pulseOx" },
] as const;
export type GarminSummaryKey = (typeof GARMIN_SUMMARIES)[number]["key"];

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });
const hk = (code: string) => ({ system: CODE_SYSTEMS.appleHealth, code });
const instant = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString();
const Seconds = z.number().int().nonnegative();
const Count = z.number().nonnegative();

const Daily = z.object({
  summaryId: z.string().min(1),
  // Present in practice; the specification's second example goes without it, so it is not required.
  calendarDate: z.iso.date().optional(),
  startTimeInSeconds: Seconds,
  startTimeOffsetInSeconds: z.number().int(),
  durationInSeconds: Seconds,
  steps: Count.optional(),
  distanceInMeters: Count.optional(),
  activeKilocalories: Count.optional(),
  bmrKilocalories: Count.optional(),
  floorsClimbed: Count.optional(),
  restingHeartRateInBeatsPerMinute: z.number().positive().optional(),
});

const Span = z.object({ startTimeInSeconds: Seconds, endTimeInSeconds: Seconds });
const Sleep = z.object({
  summaryId: z.string().min(1),
  calendarDate: z.iso.date().optional(),
  startTimeInSeconds: Seconds,
  startTimeOffsetInSeconds: z.number().int(),
  durationInSeconds: Seconds,
  deepSleepDurationInSeconds: Seconds.optional(),
  lightSleepDurationInSeconds: Seconds.optional(),
  remSleepInSeconds: Seconds.optional(),
  awakeDurationInSeconds: Seconds.optional(),
  unmeasurableSleepInSeconds: Seconds.optional(),
  sleepLevelsMap: z.record(z.string(), z.array(Span)).optional(),
  validation: z.string().min(1),
});

const BodyComp = z.object({
  summaryId: z.string().min(1),
  measurementTimeInSeconds: Seconds,
  measurementTimeOffsetInSeconds: z.number().int().optional(),
  weightInGrams: z.number().positive().optional(),
  bodyFatInPercent: z.number().min(0).max(100).optional(),
  bodyMassIndex: z.number().positive().optional(),
});

const PulseOx = z.object({
  summaryId: z.string().min(1),
  calendarDate: z.iso.date().optional(),
  // "float" in the specification's table; seconds all the same.
  startTimeInSeconds: z.number().nonnegative(),
  startTimeOffsetInSeconds: z.number().int(),
  durationInSeconds: Seconds.optional(),
  timeOffsetSpo2Values: z.record(z.string().regex(/^\d{1,6}$/), z.number()),
  onDemand: z.boolean().optional(),
});

type Mapped = { observations: ObservationInput[] } | { skip: string } | "later";

const meta = (id: string, offset: number | undefined, extra: Record<string, unknown> = {}) => ({
  vendor: "garmin",
  garmin_summary_id: id,
  ...(offset === undefined ? {} : { utc_offset_seconds: offset }),
  ...extra,
});

/**
 * A daily summary is imported once complete: Garmin re-sends a day with more data after each sync
 * ("Updated Summary Records", §6.1), and a stored observation is never replaced by a later one of the
 * same time (duplicates are skipped). Complete: `durationInSeconds` has reached 86400 ("86400 once a
 * full day is complete, but less if a user syncs mid-day"), or 24 hours have passed since its start (a
 * short day at a daylight-saving change).
 */
function mapDaily(item: unknown, now: Date): Mapped {
  const d = Daily.safeParse(item);
  if (!d.success) return { skip: "a daily summary without a valid id, start and duration" };
  const s = d.data;
  const complete = s.durationInSeconds >= 86_400 || (s.startTimeInSeconds + 86_400) * 1000 <= now.getTime();
  if (!complete) return "later";
  const span = {
    start_at: instant(s.startTimeInSeconds),
    end_at: instant(s.startTimeInSeconds + s.durationInSeconds),
    metadata: meta(
      s.summaryId,
      s.startTimeOffsetInSeconds,
      s.calendarDate === undefined ? {} : { calendar_date: s.calendarDate },
    ),
  };
  const fields: Array<[number | undefined, ObservationInput["variable"], string]> = [
    [s.steps, loinc("41950-7"), "{steps}"],
    [s.distanceInMeters, hk("HKQuantityTypeIdentifierDistanceWalkingRunning"), "m"],
    // Active kilocalories exclude the basal ones (§7.1), as LOINC 41981-2 is used for active energy.
    [s.activeKilocalories, loinc("41981-2"), "kcal"],
    [s.bmrKilocalories, hk("HKQuantityTypeIdentifierBasalEnergyBurned"), "kcal"],
    [s.floorsClimbed, hk("HKQuantityTypeIdentifierFlightsClimbed"), "{flights}"],
    [s.restingHeartRateInBeatsPerMinute, loinc("40443-4"), "/min"],
  ];
  const observations: ObservationInput[] = [];
  for (const [value, variable, unit] of fields) {
    if (value !== undefined) observations.push({ variable, value, unit, ...span });
  }
  return { observations };
}

/**
 * Tentative sleeps are left for the final one of the same night (§7.3: "further refinements to this
 * sleep record may come later"): only one observation per variable and start time is kept. OFF_WRIST
 * sleeps have start and end only (no stages): their total is imported.
 */
function mapSleep(item: unknown): Mapped {
  const p = Sleep.safeParse(item);
  if (!p.success) return { skip: "a sleep summary without a valid id, start, duration and validation" };
  const s = p.data;
  if (s.validation.endsWith("_TENTATIVE")) return "later";
  const levelEnds = Object.values(s.sleepLevelsMap ?? {}).flatMap((spans) => spans.map((x) => x.endTimeInSeconds));
  // durationInSeconds excludes awake and unmeasurable time (§7.3); the levels map, where given, says
  // when the night ended.
  const end =
    levelEnds.length > 0
      ? Math.max(...levelEnds)
      : s.startTimeInSeconds +
        s.durationInSeconds +
        (s.awakeDurationInSeconds ?? 0) +
        (s.unmeasurableSleepInSeconds ?? 0);
  const span = {
    start_at: instant(s.startTimeInSeconds),
    end_at: instant(Math.max(end, s.startTimeInSeconds)),
    metadata: meta(s.summaryId, s.startTimeOffsetInSeconds, {
      garmin_validation: s.validation,
      ...(s.calendarDate === undefined ? {} : { calendar_date: s.calendarDate }),
    }),
  };
  const observations: ObservationInput[] = [
    { variable: loinc("93832-4"), value: s.durationInSeconds, unit: "s", ...span },
  ];
  if (s.validation !== "OFF_WRIST") {
    const stages: Array<[number | undefined, string]> = [
      [s.deepSleepDurationInSeconds, "93831-6"],
      [s.lightSleepDurationInSeconds, "93830-8"],
      // REM only from a REM-capable device (§7.3): ENHANCED_* sleeps, or a REM time measured.
      [
        s.validation.startsWith("ENHANCED_") || (s.remSleepInSeconds ?? 0) > 0 ? s.remSleepInSeconds : undefined,
        "93829-0",
      ],
    ];
    for (const [value, code] of stages) {
      if (value !== undefined) observations.push({ variable: loinc(code), value, unit: "s", ...span });
    }
  }
  return { observations };
}

function mapBodyComp(item: unknown): Mapped {
  const p = BodyComp.safeParse(item);
  if (!p.success) return { skip: "a body composition without a valid id and measurement time" };
  const b = p.data;
  const at = {
    start_at: instant(b.measurementTimeInSeconds),
    metadata: meta(b.summaryId, b.measurementTimeOffsetInSeconds),
  };
  const observations: ObservationInput[] = [];
  // Grams to kilograms by division, so 75450 g is exactly 75.45 kg.
  if (b.weightInGrams !== undefined) {
    observations.push({ variable: loinc("29463-7"), value: b.weightInGrams / 1000, unit: "kg", ...at });
  }
  if (b.bodyFatInPercent !== undefined) {
    observations.push({ variable: loinc("41982-0"), value: b.bodyFatInPercent, unit: "%", ...at });
  }
  if (b.bodyMassIndex !== undefined) {
    observations.push({ variable: loinc("39156-5"), value: b.bodyMassIndex, unit: "kg/m2", ...at });
  }
  return { observations };
}

/** Each SpO2 sample at its own time (start + offset, one a minute): a later update adds samples, never changes one. */
function mapPulseOx(item: unknown): Mapped {
  const p = PulseOx.safeParse(item);
  if (!p.success) return { skip: "a pulse ox summary without a valid id, start and SpO2 values" };
  const x = p.data;
  const metadata = meta(x.summaryId, x.startTimeOffsetInSeconds, {
    on_demand: x.onDemand ?? null,
    ...(x.calendarDate === undefined ? {} : { calendar_date: x.calendarDate }),
  });
  const observations: ObservationInput[] = Object.entries(x.timeOffsetSpo2Values)
    .map(([offset, value]) => ({ offset: Number(offset), value }))
    .sort((a, b) => a.offset - b.offset)
    .map(({ offset, value }) => ({
      variable: loinc("59408-5"),
      value,
      unit: "%",
      start_at: instant(x.startTimeInSeconds + offset),
      metadata,
    }));
  return { observations };
}

const MAPPERS: Record<GarminSummaryKey, (item: unknown, now: Date) => Mapped> = {
  dailies: mapDaily,
  sleeps: (item) => mapSleep(item),
  bodyComps: (item) => mapBodyComp(item),
  pulseox: (item) => mapPulseOx(item),
};

/** Maps one page of summaries of a type: the observations, and what was skipped in plain words. */
export function mapGarminSummaries(
  key: GarminSummaryKey,
  items: readonly unknown[],
  now: Date,
): Pick<VendorPage, "observations" | "skipped"> {
  const observations: ObservationInput[] = [];
  const skipped: string[] = [];
  for (const item of items) {
    const mapped = MAPPERS[key](item, now);
    if (mapped === "later") continue;
    if ("skip" in mapped) skipped.push(mapped.skip);
    else observations.push(...mapped.observations);
  }
  return { observations, skipped };
}

// ---- HTTP ---------------------------------------------------------------------------------------

/**
 * One request to Garmin's API: a 2xx, or the `VendorError` its status means (Appendix E). 403 is an
 * unknown or withdrawn token, so it asks for a refresh like 401; `accept` lists statuses the caller
 * reads itself (409 for a duplicate backfill).
 */
async function garminRequest(
  http: VendorHttp,
  request: Request,
  what: string,
  now: Date,
  accept: readonly number[] = [],
): Promise<Response> {
  let response: Response;
  try {
    response = await http(request);
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not be reached";
    throw new VendorError("unavailable", `${what}: Garmin ${reason}`);
  }
  if (accept.includes(response.status)) return response;
  if (response.status === 403) {
    await response.body?.cancel().catch(() => {});
    throw new VendorError("unauthorized", `${what}: Garmin does not know this token (403)`);
  }
  return vendorRequest(async () => response, request, what, now);
}

const bearer = (url: URL, accessToken: string, method = "GET") =>
  new Request(url, {
    method,
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
    signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
  });

/** Garmin's id of the person (`GET /wellness-api/rest/user/id`, Start Guide). */
export async function garminUserId(
  http: VendorHttp,
  settings: ConnectorSettings,
  accessToken: string,
  now: Date,
): Promise<string> {
  const url = new URL(GARMIN_USER_ID_PATH, settings.baseUrls.api);
  const response = await garminRequest(http, bearer(url, accessToken), "Garmin user id", now);
  const parsed = z.object({ userId: z.string().min(1).max(128) }).safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new VendorError("malformed", "Garmin user id: the answer names no userId");
  return parsed.data.userId;
}

/** The settings with the API base replaced by the token endpoint's origin (`tokenRequest` posts there). */
const tokenSettings = (settings: ConnectorSettings): ConnectorSettings => ({
  ...settings,
  baseUrls: { ...settings.baseUrls, api: garminTokenOrigin(settings) },
});

// ---- sync: backfill requests ---------------------------------------------------------------------

/** The cursor key recording that a summary type's backfill was asked for (its value: the range's end). */
export const backfillCursorKey = (backfill: string) => `backfill_${backfill}`;

/**
 * A Garmin "sync" asks for the backfill of each summary type once per connection (the data then comes
 * by notification); it never reads summaries itself (Garmin forbids unprompted pulls). Each request
 * covers the whole backfill window (at most 90 days); a duplicate (409) counts as asked. A type the
 * person did not grant (412) is recorded as such and not asked again. Stops at the quota with `more`.
 */
async function sync(definition: typeof GARMIN, context: SyncContext): Promise<SyncOutcome> {
  const cursor = { ...context.cursor };
  let requests = 0;
  const end = Math.floor(context.now.getTime() / 1000);
  const start = end - definition.backfill_days * 86_400;
  for (const summary of GARMIN_SUMMARIES) {
    const key = backfillCursorKey(summary.backfill);
    if (cursor[key] !== undefined) continue;
    if (requests >= definition.rate_limit.requests) return { cursor, requests, more: true };
    const url = new URL(`/wellness-api/rest/backfill/${summary.backfill}`, context.settings.baseUrls.api);
    url.searchParams.set("summaryStartTimeInSeconds", String(start));
    url.searchParams.set("summaryEndTimeInSeconds", String(end));
    requests++;
    const response = await garminRequest(
      context.http,
      bearer(url, context.accessToken),
      `Garmin backfill ${summary.backfill}`,
      context.now,
      [409, 412],
    );
    await response.body?.cancel().catch(() => {});
    cursor[key] = response.status === 412 ? "not_permitted" : instant(end);
  }
  return { cursor, requests, more: false };
}

// ---- notifications ------------------------------------------------------------------------------

const Notification = z.record(z.string(), z.unknown());
const UserItem = z.object({ userId: z.string().min(1).max(128) }).loose();
const MAPPED_KEYS = new Set<string>(GARMIN_SUMMARIES.map((s) => s.key));

function parseNotification(body: string): Record<string, unknown> | null {
  try {
    const parsed = Notification.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The `userId` of each item of a list, or null when one has none. */
function usersOf(list: unknown): Array<{ userId: string; item: Record<string, unknown> }> | null {
  if (!Array.isArray(list)) return null;
  const out: Array<{ userId: string; item: Record<string, unknown> }> = [];
  for (const raw of list) {
    const item = UserItem.safeParse(raw);
    if (!item.success) return null;
    out.push({ userId: item.data.userId, item: item.data });
  }
  return out;
}

/**
 * Splits a notification by vendor user: every list Garmin may send is `{<type>: [{userId, …}]}`
 * (§4.2, §5.1); the mapped types go into each user's part, `deregistrations` name who withdrew. Other
 * summary types (enable only the mapped ones at Garmin's Endpoint Configuration tool) and
 * `userPermissionsChange` are acknowledged without being kept.
 */
function split(body: string): { parts: Map<string, string>; deregistered: string[] } | null {
  const notification = parseNotification(body);
  if (notification === null) return null;
  const perUser = new Map<string, Record<string, unknown[]>>();
  const deregistered: string[] = [];
  let known = false;
  for (const [key, list] of Object.entries(notification)) {
    const users = usersOf(list);
    if (users === null) return null;
    known = true;
    if (key === "deregistrations") {
      deregistered.push(...users.map((u) => u.userId));
      continue;
    }
    if (!MAPPED_KEYS.has(key)) continue;
    for (const { userId, item } of users) {
      const part = perUser.get(userId) ?? {};
      part[key] = [...(part[key] ?? []), item];
      perUser.set(userId, part);
    }
  }
  if (!known) return null;
  return {
    parts: new Map([...perUser].map(([userId, part]) => [userId, JSON.stringify(part)])),
    deregistered: [...new Set(deregistered)],
  };
}

const PingItem = z.object({ userId: z.string(), callbackURL: z.url() });

/**
 * A ping's callback URL, checked before it is called: it must be Garmin's API (the configured API
 * origin) and that summary type's resource, so a notification cannot make us call elsewhere.
 */
function callbackOf(settings: ConnectorSettings, key: GarminSummaryKey, raw: string): URL {
  const url = new URL(raw);
  const api = new URL(settings.baseUrls.api);
  if (url.origin !== api.origin || url.pathname !== `/wellness-api/rest/${key}`) {
    throw new VendorError("malformed", `Garmin ${key} ping: a callback URL that is not Garmin's ${key} resource`);
  }
  return url;
}

/** The request of a page without its pull token (a credential): path and query, as kept beside the raw copy. */
function withoutToken(url: URL): string {
  const query = new URLSearchParams(url.searchParams);
  query.delete("token");
  return `${url.pathname}?${query}`;
}

/**
 * Maps one user's part: pushed summaries are one page per type; each ping is pulled from its callback
 * URL (a GET carrying Garmin's pull token, §4.2; no other credential), its answer one page.
 */
async function receive(context: PushContext): Promise<{ requests: number }> {
  const part = parseNotification(context.body);
  if (part === null) throw new VendorError("malformed", "Garmin notification: not a JSON object");
  let requests = 0;
  for (const { key } of GARMIN_SUMMARIES) {
    const list = part[key];
    if (!Array.isArray(list)) continue;
    const pushed: unknown[] = [];
    for (const item of list) {
      const ping = PingItem.safeParse(item);
      if (!ping.success) {
        pushed.push(item);
        continue;
      }
      const url = callbackOf(context.settings, key, ping.data.callbackURL);
      requests++;
      const response = await garminRequest(
        context.http,
        new Request(url, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS) }),
        `Garmin ${key} pull`,
        context.now,
      );
      const text = await response.text();
      let items: unknown;
      try {
        items = JSON.parse(text);
      } catch {
        items = null;
      }
      if (!Array.isArray(items)) throw new VendorError("malformed", `Garmin ${key} pull: the answer is not a list`);
      await context.onPage(
        { endpoint: key, request: withoutToken(url), body: text, ...mapGarminSummaries(key, items, context.now) },
        true,
      );
    }
    if (pushed.length > 0) {
      await context.onPage(
        {
          endpoint: key,
          request: "push",
          body: JSON.stringify(pushed),
          ...mapGarminSummaries(key, pushed, context.now),
        },
        false,
      );
    }
  }
  return { requests };
}

export const garminPush: ConnectorPush = { split, receive };

/**
 * Garmin signs nothing (§4, §5: HTTPS POSTs with a `garmin-client-id` header): a notification is
 * authenticated by the secret in the URL registered at Garmin's Endpoint Configuration tool
 * (`…/v1/connectors/garmin/webhook?key=<secret>`, compared in constant time) and by its
 * `garmin-client-id` header naming this deployment's client id.
 */
export const garminWebhook: ConnectorWebhook = {
  async verify(headers, _body, secret, request) {
    if (request === undefined || request.clientId === undefined) return false;
    const key = request.url.searchParams.get(GARMIN_WEBHOOK_KEY_PARAM);
    const clientId = headers.get("garmin-client-id");
    const [keyOk, clientOk] = await Promise.all([
      constantTimeEqual(key ?? "", secret),
      constantTimeEqual(clientId ?? "", request.clientId),
    ]);
    return key !== null && clientId !== null && keyOk && clientOk;
  },
  vendorUserIds(body) {
    const parts = split(body);
    return parts === null ? null : [...new Set([...parts.parts.keys(), ...parts.deregistered])];
  },
  push: garminPush,
};

// ---- the connector ------------------------------------------------------------------------------

/** A connector speaking Garmin's Health API under `definition`. */
export function garminApiConnector(definition: typeof GARMIN): Connector {
  const refresh = async (
    http: VendorHttp,
    settings: ConnectorSettings,
    tokens: VendorTokens,
    now: Date,
  ): Promise<VendorTokens> => {
    if (tokens.refresh_token === null)
      throw new VendorError("invalid_grant", "Garmin gave no refresh token; connect again");
    const fresh = await tokenRequest(
      http,
      definition,
      tokenSettings(settings),
      { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
      now,
      tokens.refresh_token,
    );
    return { ...fresh, ...(tokens.vendor_user_id === undefined ? {} : { vendor_user_id: tokens.vendor_user_id }) };
  };
  return {
    definition,
    // Garmin's consent page takes no scope (OAuth2 PKCE spec): the person chooses the permissions there.
    authorizeUrl: (settings, request) => {
      const url = new URL(authorizationUrl(definition, settings, request));
      url.searchParams.delete("scope");
      return url.toString();
    },
    exchangeCode: async (http, settings, grant) => {
      if (grant.codeVerifier === undefined)
        throw new VendorError("invalid_grant", "Garmin needs PKCE: no code verifier");
      const tokens = await tokenRequest(
        http,
        definition,
        tokenSettings(settings),
        {
          grant_type: "authorization_code",
          code: grant.code,
          code_verifier: grant.codeVerifier,
          redirect_uri: grant.redirectUri,
        },
        grant.now,
      );
      // Notifications name Garmin's user id, not a token: it becomes the connection's external_user_id.
      return { ...tokens, vendor_user_id: await garminUserId(http, settings, tokens.access_token, grant.now) };
    },
    refresh,
    /**
     * Deregisters the person (`DELETE /wellness-api/rest/user/registration`, 204): the grant ends at
     * Garmin and its notifications stop. An expired access token is refreshed first, a 401 once; a
     * refresh refused means the registration is gone already.
     */
    revoke: async (http, settings, tokens) => {
      const now = new Date();
      let current = tokens;
      const expired = current.expires_at !== null && Date.parse(current.expires_at) <= now.getTime() + 60_000;
      try {
        if (expired) current = await refresh(http, settings, current, now);
        const call = (t: VendorTokens) =>
          garminRequest(
            http,
            bearer(new URL(GARMIN_REGISTRATION_PATH, settings.baseUrls.api), t.access_token, "DELETE"),
            "Garmin deregistration",
            now,
          );
        try {
          await call(current);
        } catch (error) {
          if (!(error instanceof VendorError && error.kind === "unauthorized")) throw error;
          await call(await refresh(http, settings, current, now));
        }
      } catch (error) {
        if (error instanceof VendorError && error.kind === "invalid_grant") return;
        throw error;
      }
    },
    sync: (context) => sync(definition, context),
    webhook: garminWebhook,
  };
}

export const garmin: Connector = garminApiConnector(GARMIN);
