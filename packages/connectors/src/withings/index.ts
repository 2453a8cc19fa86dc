/**
 * Withings (Public API), from Withings' published reference (https://developer.withings.com/api-reference,
 * summarised at https://developer.withings.com/llms.md):
 *
 * - OAuth 2.0 authorization code: authorize at `https://account.withings.com/oauth2_user/authorize2`
 *   with a COMMA-separated `scope` (`user.metrics,user.activity`); tokens at `POST
 *   https://wbsapi.withings.net/v2/oauth2` with `action=requesttoken` ("OAuth 2.0 - Request Access and
 *   Refresh Tokens", client secret in the form body), for `grant_type=authorization_code` and
 *   `refresh_token`. Access tokens last 3 hours (`expires_in` 10800); a refresh returns a new refresh
 *   token. Withings documents no PKCE, so none is sent.
 * - Every answer is HTTP 200 wrapping `{ status, body, error? }`: `status` 0 is success, 100/101/102/200/401
 *   are authentication failures (an expired access token answers `status: 401`), 601 is "too many
 *   requests", 503 "invalid params" (a used or unknown code or refresh token), 2555 "an unknown error
 *   occurred" (reference, "Response status"). HTTP-level 429/5xx are handled as well.
 * - Revoke ("OAuth 2.0 - Revoke user access") is `POST /v2/oauth2` with `action=revoke`, `client_id`,
 *   `userid`, a `nonce` from `POST /v2/signature action=getnonce` ("Signature v2 - Getnonce") and a
 *   `signature`: HMAC-SHA256 (hex) with the client secret over the sorted parameters' values joined by
 *   `,` ("Sign your requests": `getnonce,<client_id>,<timestamp>` and `revoke,<client_id>,<nonce>`).
 *   The `userid` comes with the token response; it is kept as `vendor_user_id`.
 * - Data (`Authorization: Bearer`, parameters in the POST form):
 *   - `POST /measure action=getmeas` ("Measure - Getmeas") with `meastypes`, `category=1` (real measures,
 *     not objectives) and either `startdate`/`enddate` (Unix seconds) or `lastupdate` ("use this instead
 *     of startdate + enddate" for synchronisation); pages with `more`/`offset`. Each group has a `date`
 *     and `measures[]` of `{ type, value, unit }` meaning `value × 10^unit` in the type's unit.
 *   - `POST /v2/measure action=getactivity` ("Measure v2 - Getactivity"): daily `activities[]` with a
 *     local `date` and its `timezone`, ranged by `startdateymd`/`enddateymd`, paged with `more`/`offset`.
 *   - `POST /v2/sleep action=getsummary` ("Sleep v2 - Getsummary"): `series[]` of nights with
 *     `startdate`/`enddate` (Unix seconds), the `date` of the night, and `data` durations in seconds.
 * - Rate limit: 120 requests per minute (per application, the Public API plan); beyond it status 601.
 *
 * Measure types mapped (as packages/mappers/src/vendors/withings.ts maps the same payload from files):
 * 1 weight → LOINC 29463-7 (kg), 6 fat ratio → 41982-0 (%), 9/10 diastolic/systolic → 8462-4/8480-6
 * (mm[Hg]), 11 heart pulse → 8867-4 (/min), 12 and 71 temperature → 8310-5 (Cel), 54 SpO2 → 59408-5 (%).
 * Activity: steps → 41950-7 ({steps}) and active calories → 41981-2 (kcal) over the local day. Sleep: total sleep time → 93832-4, deep/light/REM
 * → 93831-6/93830-8/93829-0, in seconds (`s`, converted by the platform to the variables' units).
 */
import { CODE_SYSTEMS, type ObservationInput } from "@dfda/core";
import { z } from "zod";
import {
  type Connector,
  ConnectorDefinition,
  type ConnectorSettings,
  type ConnectorWebhook,
  constantTimeEqual,
  mayRequest,
  type SyncContext,
  type SyncCursor,
  type SyncOutcome,
  VendorError,
  type VendorHttp,
  type VendorTokens,
  webhookToken,
} from "../contract";
import { retryAfterSeconds, VENDOR_TIMEOUT_MS, vendorRequest } from "../oauth";

export const WITHINGS = ConnectorDefinition.parse({
  id: "withings",
  name: "Withings",
  data_types: [
    "weight",
    "body_fat",
    "blood_pressure",
    "heart_rate",
    "body_temperature",
    "oxygen_saturation",
    "steps",
    "active_energy",
    "sleep",
  ],
  auth: {
    kind: "oauth2",
    authorize_path: "/oauth2_user/authorize2",
    token_path: "/v2/oauth2",
    revoke_path: "/v2/oauth2",
    scopes: ["user.metrics", "user.activity"],
    pkce: false,
  },
  base_urls: { auth: "https://account.withings.com", api: "https://wbsapi.withings.net" },
  rate_limit: { requests: 120, per_seconds: 60 },
  // The Public API plan's limit is the application's (all people together), with no documented reset time.
  app_rate_limit: [{ requests: 120, per_seconds: 60, resets: "sliding" }],
  backfill_days: 30,
});

/**
 * Late data is fetched again: measures modified up to an hour before the last answer's `updatetime`
 * (`lastupdate` is Withings' own sync mechanism; the hour covers clock skew), daily documents 2 days back.
 */
export const WITHINGS_OVERLAP = { lastupdateSeconds: 3600, days: 2 };

/** Withings' `status` values (reference, "Response status"). */
const AUTH_FAILED = new Set([100, 101, 102, 200, 401]);
const TOO_MANY_REQUESTS = 601;
const INVALID_PARAMS = 503;
const UNKNOWN_ERROR = 2555;

/** The measure types asked for, with their variable and unit. */
const MEASURE_TYPES: Readonly<Record<number, { loinc: string; unit: string }>> = {
  1: { loinc: "29463-7", unit: "kg" },
  6: { loinc: "41982-0", unit: "%" },
  9: { loinc: "8462-4", unit: "mm[Hg]" },
  10: { loinc: "8480-6", unit: "mm[Hg]" },
  11: { loinc: "8867-4", unit: "/min" },
  12: { loinc: "8310-5", unit: "Cel" },
  54: { loinc: "59408-5", unit: "%" },
  71: { loinc: "8310-5", unit: "Cel" },
};
export const WITHINGS_MEASTYPES = Object.keys(MEASURE_TYPES).join(",");

const SLEEP_FIELDS = [
  { field: "total_sleep_time", loinc: "93832-4" },
  { field: "deepsleepduration", loinc: "93831-6" },
  { field: "lightsleepduration", loinc: "93830-8" },
  { field: "remsleepduration", loinc: "93829-0" },
] as const;

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });

const Envelope = z.object({ status: z.number().int(), body: z.unknown().optional(), error: z.string().optional() });
/** `more` is 0/1 in getmeas and a boolean in the v2 services. */
const More = z.union([z.boolean(), z.number().int()]).optional();
const MeasurePage = z.object({
  updatetime: z.number().int().nonnegative(),
  measuregrps: z.array(z.unknown()),
  more: More,
  offset: z.number().int().nonnegative().optional(),
});
const Offset = z.number().int().nonnegative().optional();
const ActivityPage = z.object({ activities: z.array(z.unknown()), more: More, offset: Offset });
const SleepPage = z.object({ series: z.array(z.unknown()), more: More, offset: Offset });
const Measure = z.object({ type: z.number().int(), value: z.number(), unit: z.number().int() });
const MeasureGroup = z.object({
  grpid: z.number().int(),
  /** How it was captured: 0 device, 1 device but possibly another person, 2 manual, 4 manual at sign-up … */
  attrib: z.number().int().optional(),
  date: z.number().int().nonnegative(),
  category: z.number().int(),
  measures: z.array(z.unknown()),
});
const Day = z.iso.date();
const Activity = z.object({
  date: Day,
  timezone: z.string().min(1),
  steps: z.number().int().nonnegative(),
  /** Active calories burned, kcal ("calculated by mixing fine granularity calories estimation, workouts …"). */
  calories: z.number().nonnegative().optional(),
});
const SleepSummary = z.object({
  date: Day,
  startdate: z.number().int().nonnegative(),
  enddate: z.number().int().nonnegative(),
  data: z.record(z.string(), z.unknown()),
});

/** `value × 10^unit`, by division for negative exponents so that 74126 × 10^-3 is exactly 74.126. */
export function scaled(value: number, exponent: number): number {
  return exponent < 0 ? value / 10 ** -exponent : value * 10 ** exponent;
}

const instant = (seconds: number) => new Date(seconds * 1000).toISOString();
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

/** The zone's offset from UTC at an instant, in ms (from Intl's wall-clock parts). */
function offsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - at;
}

/** The instant a local day starts in an IANA zone, or null for a zone Intl does not know. */
export function zonedMidnight(day: string, zone: string): Date | null {
  const wall = Date.parse(`${day}T00:00:00Z`);
  try {
    // Two passes: the offset at the guess, then at the corrected instant (right across DST changes).
    const first = wall - offsetMs(zone, wall);
    return new Date(wall - offsetMs(zone, first));
  } catch {
    return null;
  }
}

type Mapped = { observations: ObservationInput[]; at: string } | { skip: string } | "later";

function mapMeasureGroup(item: unknown, timezone: string | undefined): Mapped {
  const group = MeasureGroup.safeParse(item);
  if (!group.success) return { skip: "a measure group without a valid id, date and measures" };
  const g = group.data;
  // category 2 is a user objective, not a measurement (getmeas is asked for category=1 only).
  if (g.category !== 1) return { skip: "a measure group that is an objective, not a measurement" };
  const observations: ObservationInput[] = [];
  for (const raw of g.measures) {
    const measure = Measure.safeParse(raw);
    const kind = measure.success ? MEASURE_TYPES[measure.data.type] : undefined;
    if (!measure.success || kind === undefined) continue;
    observations.push({
      variable: loinc(kind.loinc),
      value: scaled(measure.data.value, measure.data.unit),
      unit: kind.unit,
      start_at: instant(g.date),
      metadata: {
        vendor: "withings",
        withings_grpid: g.grpid,
        withings_meastype: measure.data.type,
        // Kept, as the file mapper keeps it: attrib 1 may be another person on a shared scale.
        ...(g.attrib === undefined ? {} : { withings_attrib: g.attrib }),
        ...(timezone === undefined ? {} : { timezone }),
      },
    });
  }
  return { observations, at: instant(g.date) };
}

function mapActivity(item: unknown, now: Date): Mapped {
  const a = Activity.safeParse(item);
  if (!a.success) return { skip: "a daily activity without a valid date, timezone and steps" };
  const start = zonedMidnight(a.data.date, a.data.timezone);
  const end = zonedMidnight(addDays(a.data.date, 1), a.data.timezone);
  if (start === null || end === null) return { skip: "a daily activity in a time zone that is not known" };
  // A day not over yet is partial (steps grow all day): a later sync's overlap fetches it complete.
  if (end.getTime() > now.getTime()) return "later";
  const day = {
    start_at: start.toISOString(),
    end_at: end.toISOString(),
    metadata: { vendor: "withings", timezone: a.data.timezone },
  };
  const observations: ObservationInput[] = [
    { variable: loinc("41950-7"), value: a.data.steps, unit: "{steps}", ...day },
  ];
  if (a.data.calories !== undefined) {
    // Withings' `calories` are active calories (`totalcalories` adds the passive ones): LOINC 41981-2.
    observations.push({ variable: loinc("41981-2"), value: a.data.calories, unit: "kcal", ...day });
  }
  return { at: a.data.date, observations };
}

function mapSleep(item: unknown, now: Date): Mapped {
  const s = SleepSummary.safeParse(item);
  if (!s.success || s.data.enddate < s.data.startdate) {
    return { skip: "a sleep summary without a valid date, start and end" };
  }
  if (s.data.enddate * 1000 > now.getTime()) return "later";
  const observations: ObservationInput[] = [];
  for (const f of SLEEP_FIELDS) {
    const value = s.data.data[f.field];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) continue;
    observations.push({
      variable: loinc(f.loinc),
      value,
      unit: "s",
      start_at: instant(s.data.startdate),
      end_at: instant(s.data.enddate),
      metadata: { vendor: "withings", withings_field: f.field },
    });
  }
  return { observations, at: s.data.date };
}

/**
 * Reads Withings' `{status, body}` envelope: the body on status 0, else the `VendorError` the status
 * means. `token` marks the token endpoint, where invalid params (a used code, a retired refresh token)
 * and authentication failures mean the grant is gone.
 */
function unwrap(text: string, what: string, retryAfter: number | null, token = false): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw new VendorError("malformed", `${what}: an answer that is not Withings' JSON`);
  const { status } = envelope.data;
  if (status === 0) return envelope.data.body;
  if (token && (status === INVALID_PARAMS || AUTH_FAILED.has(status))) {
    throw new VendorError("invalid_grant", "Withings no longer accepts this connection's authorization");
  }
  if (AUTH_FAILED.has(status)) throw new VendorError("unauthorized", `${what}: Withings refused the token (${status})`);
  if (status === TOO_MANY_REQUESTS) {
    // Withings sends no Retry-After with 601; its quota is per minute, so a minute is when it resets.
    throw new VendorError("rate_limited", `${what}: Withings' rate limit was reached (601)`, retryAfter ?? 60);
  }
  if (status === UNKNOWN_ERROR) throw new VendorError("unavailable", `${what}: Withings had an error (${status})`);
  throw new VendorError("malformed", `${what}: Withings answered status ${status}`);
}

/** One POST to Withings with a form body; returns the raw text and the unwrapped `body`. */
async function call(
  http: VendorHttp,
  url: URL,
  form: Record<string, string>,
  what: string,
  now: Date,
  accessToken: string | null,
  token = false,
): Promise<{ text: string; body: unknown }> {
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  if (accessToken !== null) headers.Authorization = `Bearer ${accessToken}`;
  const request = new Request(url, {
    method: "POST",
    headers,
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
  });
  const response = await vendorRequest(http, request, what, now);
  const text = await response.text();
  return { text, body: unwrap(text, what, retryAfterSeconds(response.headers.get("Retry-After"), now), token) };
}

const TokenBody = z.object({
  userid: z.union([z.string().min(1), z.number().int()]),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
  token_type: z.string().regex(/^bearer$/i),
});

async function tokenCall(
  http: VendorHttp,
  definition: ConnectorDefinition,
  settings: ConnectorSettings,
  form: Record<string, string>,
  now: Date,
): Promise<VendorTokens> {
  const { body } = await call(
    http,
    new URL(definition.auth.token_path, settings.baseUrls.api),
    { action: "requesttoken", client_id: settings.clientId, client_secret: settings.clientSecret, ...form },
    "Withings token request",
    now,
    null,
    true,
  );
  const t = TokenBody.safeParse(body);
  if (!t.success) throw new VendorError("malformed", "Withings token request: the answer is not a token response");
  return {
    access_token: t.data.access_token,
    refresh_token: t.data.refresh_token,
    expires_at: new Date(now.getTime() + t.data.expires_in * 1000).toISOString(),
    scope: t.data.scope ?? null,
    vendor_user_id: String(t.data.userid),
  };
}

/** HMAC-SHA256 (hex) with the client secret over values joined by `,` (Withings, "Sign your requests"). */
export async function withingsSignature(secret: string, values: readonly string[]): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(values.join(","))));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

interface Endpoint {
  name: "measure" | "activity" | "sleep";
  path: string;
  action: string;
  /** The form parameters of a sync starting at the cursor (or the backfill start). */
  range(cursor: string | undefined, now: Date, backfillDays: number): Record<string, string>;
  /** Reads one page: its items, whether more follow, the next offset, and `updatetime` where given. */
  page(body: unknown): { items: unknown[]; more: boolean; offset: number | undefined; updatetime?: number } | null;
  map(item: unknown, now: Date, timezone: string | undefined): Mapped;
}

const isMore = (more: boolean | number | undefined) => more === true || more === 1;

function dailyRange(cursor: string | undefined, now: Date, backfillDays: number): Record<string, string> {
  const today = dayOf(now);
  const start = cursor === undefined ? addDays(today, -backfillDays) : addDays(cursor, -WITHINGS_OVERLAP.days);
  // Withings' local dates may run a day ahead of UTC (east of Greenwich): ask through tomorrow.
  return { startdateymd: start, enddateymd: addDays(today, 1) };
}

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: "measure",
    path: "/measure",
    action: "getmeas",
    range: (cursor, now, backfillDays) => {
      const common = { meastypes: WITHINGS_MEASTYPES, category: "1" };
      if (cursor === undefined) {
        const end = Math.floor(now.getTime() / 1000);
        return { ...common, startdate: String(end - backfillDays * 86_400), enddate: String(end) };
      }
      return { ...common, lastupdate: String(Math.max(0, Number(cursor) - WITHINGS_OVERLAP.lastupdateSeconds)) };
    },
    page: (body) => {
      const p = MeasurePage.safeParse(body);
      if (!p.success) return null;
      return {
        items: p.data.measuregrps,
        more: isMore(p.data.more),
        offset: p.data.offset,
        updatetime: p.data.updatetime,
      };
    },
    map: (item, _now, timezone) => mapMeasureGroup(item, timezone),
  },
  {
    name: "activity",
    path: "/v2/measure",
    action: "getactivity",
    range: (cursor, now, backfillDays) => ({
      ...dailyRange(cursor, now, backfillDays),
      data_fields: "steps,calories",
    }),
    page: (body) => {
      const p = ActivityPage.safeParse(body);
      return p.success ? { items: p.data.activities, more: isMore(p.data.more), offset: p.data.offset } : null;
    },
    map: (item, now) => mapActivity(item, now),
  },
  {
    name: "sleep",
    path: "/v2/sleep",
    action: "getsummary",
    range: (cursor, now, backfillDays) => ({
      ...dailyRange(cursor, now, backfillDays),
      data_fields: SLEEP_FIELDS.map((f) => f.field).join(","),
    }),
    page: (body) => {
      const p = SleepPage.safeParse(body);
      return p.success ? { items: p.data.series, more: isMore(p.data.more), offset: p.data.offset } : null;
    },
    map: (item, now) => mapSleep(item, now),
  },
];

const TimezoneOf = z.object({ timezone: z.string().min(1) });

/**
 * Pages through each service from its cursor (minus the overlap) to now, following `more`/`offset`,
 * handing each page to `onPage` with the cursor that resumes after it. A daily service's cursor moves to
 * the latest complete day in each page; the measure cursor moves, once its last page is in, to the first
 * page's `updatetime` (the server's clock), the next sync's `lastupdate`, and until then holds the
 * listing's range and next offset (`MEASURE_RESUME`). Stops, with `more: true`, at the quota.
 */
async function sync(definition: ConnectorDefinition, context: SyncContext): Promise<SyncOutcome> {
  const cursor: SyncCursor = { ...context.cursor };
  let requests = 0;
  for (const endpoint of ENDPOINTS) {
    // A measure listing a run left unfinished resumes at its next offset, in the same range.
    const resumed = endpoint.name === "measure" ? measureResumeOf(cursor) : null;
    const range = resumed?.range ?? endpoint.range(cursor[endpoint.name], context.now, definition.backfill_days);
    let offset: number | undefined = resumed?.offset;
    let updatetime: number | undefined = resumed?.updatetime;
    let more = true;
    while (more) {
      if (!(await mayRequest(context, definition, requests))) return { cursor, requests, more: true };
      const form: Record<string, string> = { action: endpoint.action, ...range };
      if (offset !== undefined) form.offset = String(offset);
      const url = new URL(endpoint.path, context.settings.baseUrls.api);
      requests++;
      const what = `Withings ${endpoint.name}`;
      const { text, body } = await call(context.http, url, form, what, context.now, context.accessToken);
      const page = endpoint.page(body);
      if (page === null) throw new VendorError("malformed", `${what}: a page that is not Withings' ${endpoint.action}`);
      const zone = TimezoneOf.safeParse(body);
      const observations: ObservationInput[] = [];
      const skipped: string[] = [];
      let latest = endpoint.name === "measure" ? undefined : cursor[endpoint.name];
      for (const item of page.items) {
        const mapped = endpoint.map(item, context.now, zone.success ? zone.data.timezone : undefined);
        if (mapped === "later") continue;
        if ("skip" in mapped) {
          skipped.push(mapped.skip);
          continue;
        }
        observations.push(...mapped.observations);
        if (latest === undefined || mapped.at > latest) latest = mapped.at;
      }
      updatetime ??= page.updatetime;
      if (endpoint.name !== "measure" && latest !== undefined) cursor[endpoint.name] = latest;
      // A page that says more but gives no new offset would be asked for forever: stop on it.
      more = page.more && page.offset !== undefined && page.offset !== offset;
      if (page.more && !more) throw new VendorError("malformed", `${what}: "more" without a next offset`);
      offset = page.offset;
      if (endpoint.name === "measure") {
        clearMeasureResume(cursor);
        if (more && offset !== undefined) {
          // The listing goes on: a later run asks the same range from the next offset.
          for (const key of MEASURE_RANGE_KEYS) {
            const value = range[key];
            if (value !== undefined) cursor[`measure_${key}`] = value;
          }
          cursor[MEASURE_RESUME.offset] = String(offset);
          if (updatetime !== undefined) cursor[MEASURE_RESUME.updatetime] = String(updatetime);
        } else if (updatetime !== undefined) cursor.measure = String(updatetime);
      }
      // Once stored, a later run starts after this page (a daily service from its latest complete day).
      await context.onPage({
        endpoint: endpoint.name,
        request: `${url.pathname}?${new URLSearchParams(form)}`,
        body: text,
        observations,
        skipped,
        resume: { ...cursor },
      });
    }
  }
  return { cursor, requests, more: false };
}

/**
 * The notification categories subscribed (Notify, "Notification categories", `appli`): 1 weight and body
 * composition, 2 temperature, 4 blood pressure, heart pulse and SpO2 (`user.metrics`), 16 activity
 * (`user.activity`), 44 sleep (`user.activity`): the data this connector reads.
 */
export const WITHINGS_NOTIFY_APPLIS = [1, 2, 4, 16, 44] as const;

/** The query parameter of the callback URL that carries the token Withings is given. */
export const WITHINGS_TOKEN_PARAM = "token";

/** The callback URL registered at Withings: the notification URL with its token (`webhookToken`). */
async function withingsCallbackUrl(settings: ConnectorSettings): Promise<string> {
  const webhook = settings.webhook;
  if (webhook?.secret === undefined) {
    throw new VendorError("malformed", "Withings notify: no webhook secret configured for withings");
  }
  const url = new URL(webhook.callbackUrl);
  url.searchParams.set(WITHINGS_TOKEN_PARAM, await webhookToken(webhook.secret, "withings"));
  return url.toString();
}

const WithingsNotification = z.object({
  userid: z.string().regex(/^\d{1,20}$/),
  appli: z.string().regex(/^\d{1,4}$/),
});

/**
 * Withings' Notify ("Notifications", "Notify - Subscribe", "Notify - Revoke"): after connecting, `POST
 * /notify action=subscribe` with the callback URL and each `appli`, with the person's token; before
 * revoking, `action=revoke` of each. Withings checks the URL with a HEAD request when subscribing, then
 * POSTs each notification form-encoded (`userid`, `appli`, `startdate`, `enddate`, …) and UNSIGNED: the
 * callback URL carries an unguessable token (`webhookToken` of the webhook secret), compared in constant
 * time, and only a URL with it is answered.
 */
export const withingsWebhook: ConnectorWebhook = {
  verify: async (_headers, _body, secret, request) => {
    const token = request?.url.searchParams.get(WITHINGS_TOKEN_PARAM) ?? null;
    if (token === null || token.length > 128) return false;
    return constantTimeEqual(token, await webhookToken(secret, "withings"));
  },
  vendorUserIds: (body) => {
    const form = new URLSearchParams(body);
    const notification = WithingsNotification.safeParse({
      userid: form.get("userid") ?? undefined,
      appli: form.get("appli") ?? undefined,
    });
    return notification.success ? [notification.data.userid] : null;
  },
  check: async (url, keys) => {
    const token = url.searchParams.get(WITHINGS_TOKEN_PARAM);
    if (token === null || keys.secret === undefined) return { ok: false };
    return (await constantTimeEqual(token, await webhookToken(keys.secret, "withings"))) ? { ok: true } : { ok: false };
  },
  subscribe: async (http, settings, tokens, now) => {
    const callbackurl = await withingsCallbackUrl(settings);
    for (const appli of WITHINGS_NOTIFY_APPLIS) {
      await call(
        http,
        new URL("/notify", settings.baseUrls.api),
        { action: "subscribe", callbackurl, appli: String(appli), comment: "dfda" },
        `Withings notify subscribe ${appli}`,
        now,
        tokens.access_token,
      );
    }
  },
  unsubscribe: async (http, settings, tokens, now) => {
    const callbackurl = await withingsCallbackUrl(settings);
    for (const appli of WITHINGS_NOTIFY_APPLIS) {
      try {
        await call(
          http,
          new URL("/notify", settings.baseUrls.api),
          { action: "revoke", callbackurl, appli: String(appli) },
          `Withings notify revoke ${appli}`,
          now,
          tokens.access_token,
        );
      } catch (error) {
        // A category with no subscription (status 294, "no such subscription") has nothing to revoke.
        if (!(error instanceof VendorError && error.kind === "malformed")) throw error;
      }
    }
  },
};

/**
 * Cursor keys of a measure listing left unfinished (at the quota, or a failure after some pages): its
 * range (`measure_startdate` and `measure_enddate`, or `measure_lastupdate`), the next `offset`, and the
 * first page's `updatetime` (the cursor once the listing is done). getmeas lists newest first within a
 * fixed range, so the same range from the next offset continues it.
 */
const MEASURE_RESUME = { offset: "measure_offset", updatetime: "measure_updatetime" } as const;
const MEASURE_RANGE_KEYS = ["startdate", "enddate", "lastupdate"] as const;

function clearMeasureResume(cursor: SyncCursor) {
  for (const key of [...Object.values(MEASURE_RESUME), ...MEASURE_RANGE_KEYS.map((k) => `measure_${k}`)]) {
    delete cursor[key];
  }
}

const epochSeconds = (v: string | undefined) => (v !== undefined && /^\d{1,12}$/.test(v) ? v : undefined);

/** The unfinished measure listing a cursor holds, or null (then a new one starts from `measure`). */
function measureResumeOf(
  cursor: SyncCursor,
): { range: Record<string, string>; offset: number; updatetime: number | undefined } | null {
  const offset = Number(cursor[MEASURE_RESUME.offset]);
  if (cursor[MEASURE_RESUME.offset] === undefined || !Number.isSafeInteger(offset) || offset < 0) return null;
  const range: Record<string, string> = { meastypes: WITHINGS_MEASTYPES, category: "1" };
  for (const key of MEASURE_RANGE_KEYS) {
    const value = epochSeconds(cursor[`measure_${key}`]);
    if (value !== undefined) range[key] = value;
  }
  const ranged = range.lastupdate !== undefined || (range.startdate !== undefined && range.enddate !== undefined);
  if (!ranged) return null;
  const updatetime = Number(cursor[MEASURE_RESUME.updatetime]);
  return {
    range,
    offset,
    updatetime:
      cursor[MEASURE_RESUME.updatetime] !== undefined && Number.isSafeInteger(updatetime) ? updatetime : undefined,
  };
}

/** A connector speaking Withings' Public API under `definition`. */
export function withingsApiConnector(definition: ConnectorDefinition): Connector {
  return {
    definition,
    authorizeUrl: (settings, request) => {
      // Withings' authorize URL (reference, "Authorization URL"): scopes separated by commas.
      const url = new URL(definition.auth.authorize_path, settings.baseUrls.auth);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", settings.clientId);
      url.searchParams.set("scope", definition.auth.scopes.join(","));
      url.searchParams.set("redirect_uri", request.redirectUri);
      url.searchParams.set("state", request.state);
      return url.toString();
    },
    exchangeCode: (http, settings, grant) =>
      tokenCall(
        http,
        definition,
        settings,
        { grant_type: "authorization_code", code: grant.code, redirect_uri: grant.redirectUri },
        grant.now,
      ),
    refresh: async (http, settings, tokens, now) => {
      if (tokens.refresh_token === null) {
        throw new VendorError("invalid_grant", "Withings gave no refresh token; connect again");
      }
      const fresh = await tokenCall(
        http,
        definition,
        settings,
        { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
        now,
      );
      return { ...fresh, vendor_user_id: fresh.vendor_user_id ?? tokens.vendor_user_id };
    },
    revoke: async (http, settings, tokens) => {
      if (tokens.vendor_user_id === undefined) {
        throw new VendorError("malformed", "Withings revoke: the connection has no Withings user id");
      }
      const now = new Date();
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const nonce = await call(
        http,
        new URL("/v2/signature", settings.baseUrls.api),
        {
          action: "getnonce",
          client_id: settings.clientId,
          timestamp,
          signature: await withingsSignature(settings.clientSecret, ["getnonce", settings.clientId, timestamp]),
        },
        "Withings getnonce",
        now,
        null,
      );
      const parsed = z.object({ nonce: z.string().min(1) }).safeParse(nonce.body);
      if (!parsed.success) throw new VendorError("malformed", "Withings getnonce: no nonce in the answer");
      try {
        await call(
          http,
          new URL(definition.auth.revoke_path ?? "/v2/oauth2", settings.baseUrls.api),
          {
            action: "revoke",
            client_id: settings.clientId,
            nonce: parsed.data.nonce,
            signature: await withingsSignature(settings.clientSecret, ["revoke", settings.clientId, parsed.data.nonce]),
            userid: tokens.vendor_user_id,
          },
          "Withings revoke",
          now,
          null,
        );
      } catch (error) {
        // A grant Withings no longer knows is revoked already.
        if (!(error instanceof VendorError && error.kind === "unauthorized")) throw error;
      }
    },
    sync: (context) => sync(definition, context),
    webhook: withingsWebhook,
  };
}

export const withings: Connector = withingsApiConnector(WITHINGS);
