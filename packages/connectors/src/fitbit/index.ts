/**
 * Fitbit (Web API), from Fitbit's published reference (https://dev.fitbit.com/build/reference/web-api/):
 *
 * - OAuth 2.0 authorization code with PKCE (RFC 7636; Fitbit recommends it, developer-guide/authorization):
 *   authorize at `https://www.fitbit.com/oauth2/authorize`; token and refresh at
 *   `https://api.fitbit.com/oauth2/token` with the client authenticated by HTTP Basic (`Authorization:
 *   Basic base64(client_id:client_secret)`, authorization/oauth2-token and /refresh-token; RFC 6749
 *   §2.3.1); a refresh returns a NEW refresh token and retires the old one (refresh tokens are single use);
 *   revoke at `https://api.fitbit.com/oauth2/revoke` (form `token=…`, Basic auth; revoking either token
 *   ends the whole grant). Access tokens live 8 hours (`expires_in` 28800). Errors are Fitbit's own
 *   envelope `{"errors":[{"errorType":"invalid_grant","message":…}],"success":false}`, not RFC 6749 §5.2.
 * - Scopes `activity heartrate sleep weight oxygen_saturation profile` (`profile` for the person's time
 *   zone: every Fitbit time is the person's local wall-clock time without an offset, basics "Time Zones").
 * - Endpoints (all `Accept: application/json`, no `Accept-Language`, so the units are METRIC: kg, km;
 *   basics "Localization"):
 *   - `GET /1/user/-/profile.json` → `user.timezone` (IANA) and `user.offsetFromUTCMillis` (the offset now);
 *   - heart rate intraday, one day a request (maximum range 24 hours, intraday/get-heartrate-intraday-by-date):
 *     `GET /1/user/-/activities/heart/date/{day}/1d/1min.json` → `activities-heart[0].value.restingHeartRate`
 *     and `activities-heart-intraday.dataset[{time, value}]` (intraday needs a "Personal" app, or Fitbit's
 *     approval for other people's data);
 *   - steps, daily (maximum range 1095 days, activity-timeseries): `GET /1/user/-/activities/steps/date/{start}/{end}.json`
 *     → `activities-steps[{dateTime, value}]`, values as strings (the shape the file mapper reads);
 *   - sleep logs, paged (sleep/get-sleep-log-list): `GET /1.2/user/-/sleep/list.json?afterDate=…&sort=asc&offset=0&limit=100`
 *     → `{sleep: [...], pagination: {next, …}}`; the next page is `pagination.next` (Fitbit: "do not
 *     manually specify the offset"), asked for at the configured host, never at a host a response names;
 *   - weight logs (maximum range 31 days, body-timeseries/get-weight-timeseries-by-date-range):
 *     `GET /1/user/-/body/log/weight/date/{start}/{end}.json` → `weight[{date, time, weight, bmi, logId}]`;
 *   - body fat logs (31 days): `GET /1/user/-/body/log/fat/date/{start}/{end}.json` → `fat[{date, time, fat, logId}]`;
 *   - SpO2 summaries by interval (spo2/get-spo2-summary-by-interval; we ask 30 days at a time):
 *     `GET /1/user/-/spo2/date/{start}/{end}.json` → `[{dateTime, value: {avg, min, max}}]`.
 * - Rate limit: 150 requests per hour per person (basics "Rate Limits"); beyond it a 429 whose wait is in
 *   `Retry-After` or Fitbit's `Fitbit-Rate-Limit-Reset` (seconds). A run also stops early, with pages left
 *   for the next run, when `Fitbit-Rate-Limit-Remaining` says the person's hour is used up.
 *
 * Mapped to LOINC/UCUM as the Fitbit file mapper (packages/mappers/src/vendors/fitbit.ts) maps the same
 * payloads: heart rate 8867-4 (/min), resting heart rate 40443-4 (/min, the local day), steps in 24 hours
 * 41950-7 ({steps}, the local day), sleep duration 93832-4 and deep/light/REM 93831-6/93830-8/93829-0
 * (min, over the sleep), body weight 29463-7 (kg), BMI 39156-5 (kg/m2), body fat 41982-0 (%), SpO2
 * 59408-5 (%, the night's average, over the local day the sleep ended).
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
} from "../contract";
import { authorizationUrl, tokensOf, VENDOR_TIMEOUT_MS, vendorRequest } from "../oauth";

export const FITBIT = ConnectorDefinition.parse({
  id: "fitbit",
  name: "Fitbit",
  data_types: ["heart_rate", "resting_heart_rate", "steps", "sleep", "body_weight", "body_fat", "oxygen_saturation"],
  auth: {
    kind: "oauth2",
    authorize_path: "/oauth2/authorize",
    token_path: "/oauth2/token",
    revoke_path: "/oauth2/revoke",
    scopes: ["activity", "heartrate", "sleep", "weight", "oxygen_saturation", "profile"],
    pkce: true,
  },
  base_urls: { auth: "https://www.fitbit.com", api: "https://api.fitbit.com" },
  rate_limit: { requests: 150, per_seconds: 3600 },
  backfill_days: 30,
});

/** Late data (a tracker synced days later) is fetched again: the last 2 local days of every endpoint. */
export const FITBIT_OVERLAP_DAYS = 2;

/** The widest range each date-ranged endpoint takes in one request (Fitbit's documented maxima). */
export const FITBIT_MAX_RANGE_DAYS = { heart: 1, steps: 1095, weight: 31, fat: 31, spo2: 30 } as const;

/** Sleep logs per page (Fitbit's maximum `limit`). */
export const FITBIT_SLEEP_PAGE = 100;

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });
const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * The person's clock: Fitbit times are local wall-clock times without an offset (basics "Time Zones").
 * They are read in the person's IANA zone from their profile (`user.timezone`), so a time on either side
 * of a daylight-saving change gets its own offset; a zone this runtime does not know falls back to the
 * profile's `offsetFromUTCMillis` (the offset now) for every time.
 */
interface LocalClock {
  /** The UTC epoch ms of a local wall-clock time given as if it were UTC. */
  toUtc(localMs: number): number;
  /** The person's local day now (yyyy-MM-dd). */
  today: string;
}

/** The offset (ms) of an IANA zone at a UTC instant, from `Intl` (ECMA-402 `timeZone`). */
function zoneOffsetMs(format: Intl.DateTimeFormat, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(utcMs))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The person's clock from their profile (zone, else fixed offset) and the time of the sync. */
function localClock(zone: string, fallbackOffsetMs: number, now: Date): LocalClock {
  let format: Intl.DateTimeFormat | null = null;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  } catch {
    format = null; // RangeError: a zone this runtime does not know
  }
  const offsetAt = (utcMs: number) => (format === null ? fallbackOffsetMs : zoneOffsetMs(format, utcMs));
  return {
    // Two passes: the offset at the first guess, then at the instant it gives (exact but in the hour a
    // change skips or repeats, where a wall-clock time has no or two instants).
    toUtc: (localMs) => {
      const guess = localMs - offsetAt(localMs);
      return localMs - offsetAt(guess);
    },
    today: new Date(now.getTime() + offsetAt(now.getTime())).toISOString().slice(0, 10),
  };
}

/** A local `yyyy-MM-ddTHH:mm:ss(.SSS)` as a UTC instant, or null. */
function instant(local: string, clock: LocalClock): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(local)) return null;
  const t = Date.parse(`${local}Z`);
  return Number.isNaN(t) ? null : new Date(clock.toUtc(t)).toISOString();
}
/** A local day as the span 00:00–24:00 local, in UTC (23 or 25 hours on a daylight-saving change). */
function localDay(day: string, clock: LocalClock): { start_at: string; end_at: string } {
  const start = clock.toUtc(Date.parse(`${day}T00:00:00Z`));
  const end = clock.toUtc(Date.parse(`${addDays(day, 1)}T00:00:00Z`));
  return { start_at: new Date(start).toISOString(), end_at: new Date(end).toISOString() };
}

const Day = z.iso.date();
const Profile = z.object({
  user: z.object({ offsetFromUTCMillis: z.number().int(), timezone: z.string().min(1).max(64) }),
});
const HeartDay = z.object({
  "activities-heart": z.array(
    z.object({ dateTime: Day, value: z.object({ restingHeartRate: z.number().positive().optional() }).loose() }),
  ),
  "activities-heart-intraday": z
    .object({ dataset: z.array(z.unknown()), datasetInterval: z.number().optional(), datasetType: z.string() })
    .optional(),
});
const HeartSample = z.object({ time: z.string().regex(/^\d{2}:\d{2}:\d{2}$/), value: z.number().positive() });
const Steps = z.object({ "activities-steps": z.array(z.unknown()) });
const StepsDay = z.object({ dateTime: Day, value: z.string().regex(/^\d+$/) });
const SleepPage = z.object({
  sleep: z.array(z.unknown()),
  pagination: z.object({ next: z.string() }).loose(),
});
const SleepLog = z.object({
  dateOfSleep: Day,
  startTime: z.string(),
  endTime: z.string(),
  logId: z.number().int(),
  isMainSleep: z.boolean().optional(),
  minutesAsleep: z.number().int().nonnegative(),
  type: z.string(),
  levels: z
    .object({
      summary: z.record(z.string(), z.object({ minutes: z.number().int().nonnegative() }).loose()),
    })
    .loose()
    .optional(),
});
const Weight = z.object({ weight: z.array(z.unknown()) });
const WeightLog = z.object({
  date: Day,
  time: z.string().regex(/^\d{2}:\d{2}:\d{2}$/),
  weight: z.number().positive(),
  bmi: z.number().positive().optional(),
  logId: z.number().int(),
});
const Fat = z.object({ fat: z.array(z.unknown()) });
const FatLog = z.object({
  date: Day,
  time: z.string().regex(/^\d{2}:\d{2}:\d{2}$/),
  fat: z.number().min(0).max(100),
  logId: z.number().int(),
});
const Spo2 = z.array(z.unknown());
const Spo2Day = z.object({ dateTime: Day, value: z.object({ avg: z.number().min(0).max(100) }).loose() });

type Mapped = { observations: ObservationInput[]; skipped: string[] };

/** A date-ranged endpoint: asked for in windows of at most `maxDays`, each page mapped whole. */
interface RangedEndpoint {
  name: keyof typeof FITBIT_MAX_RANGE_DAYS;
  path(from: string, to: string): string;
  /** The page's observations, or null when the body is not this endpoint's JSON. */
  map(json: unknown, clock: LocalClock): Mapped | null;
}

const meta = (extra: Record<string, unknown> = {}) => ({ vendor: "fitbit", ...extra });

const RANGED: readonly RangedEndpoint[] = [
  {
    name: "heart",
    path: (from) => `/1/user/-/activities/heart/date/${from}/1d/1min.json`,
    map: (json, clock) => {
      const page = HeartDay.safeParse(json);
      if (!page.success) return null;
      const out: Mapped = { observations: [], skipped: [] };
      const day = page.data["activities-heart"][0];
      if (day === undefined) return out;
      // A day not over yet has no final resting heart rate: the overlap fetches it again once it is.
      const resting = day.value.restingHeartRate;
      if (resting !== undefined && day.dateTime < clock.today) {
        out.observations.push({
          variable: loinc("40443-4"),
          value: resting,
          unit: "/min",
          ...localDay(day.dateTime, clock),
          metadata: meta(),
        });
      }
      for (const item of page.data["activities-heart-intraday"]?.dataset ?? []) {
        const s = HeartSample.safeParse(item);
        const at = s.success ? instant(`${day.dateTime}T${s.data.time}`, clock) : null;
        if (!s.success || at === null) {
          out.skipped.push("a heart rate sample without a valid time and bpm");
          continue;
        }
        out.observations.push({
          variable: loinc("8867-4"),
          value: s.data.value,
          unit: "/min",
          start_at: at,
          metadata: meta(),
        });
      }
      return out;
    },
  },
  {
    name: "steps",
    path: (from, to) => `/1/user/-/activities/steps/date/${from}/${to}.json`,
    map: (json, clock) => {
      const page = Steps.safeParse(json);
      if (!page.success) return null;
      const out: Mapped = { observations: [], skipped: [] };
      for (const item of page.data["activities-steps"]) {
        const s = StepsDay.safeParse(item);
        if (!s.success) {
          out.skipped.push("a daily steps entry without a valid date and count");
          continue;
        }
        // Today's count grows all day: it is imported once the day is over (a later sync's overlap).
        if (s.data.dateTime >= clock.today) continue;
        out.observations.push({
          variable: loinc("41950-7"),
          value: Number(s.data.value),
          unit: "{steps}",
          ...localDay(s.data.dateTime, clock),
          metadata: meta(),
        });
      }
      return out;
    },
  },
  {
    name: "weight",
    path: (from, to) => `/1/user/-/body/log/weight/date/${from}/${to}.json`,
    map: (json, clock) => {
      const page = Weight.safeParse(json);
      if (!page.success) return null;
      const out: Mapped = { observations: [], skipped: [] };
      for (const item of page.data.weight) {
        const w = WeightLog.safeParse(item);
        const at = w.success ? instant(`${w.data.date}T${w.data.time}`, clock) : null;
        if (!w.success || at === null) {
          out.skipped.push("a weight log without a valid date, time and weight");
          continue;
        }
        const m = meta({ fitbit_log_id: w.data.logId });
        out.observations.push({
          variable: loinc("29463-7"),
          value: w.data.weight,
          unit: "kg",
          start_at: at,
          metadata: m,
        });
        if (w.data.bmi !== undefined) {
          out.observations.push({
            variable: loinc("39156-5"),
            value: w.data.bmi,
            unit: "kg/m2",
            start_at: at,
            metadata: m,
          });
        }
        // The log's own `fat` is the body fat log of the same weighing: imported from the fat endpoint.
      }
      return out;
    },
  },
  {
    name: "fat",
    path: (from, to) => `/1/user/-/body/log/fat/date/${from}/${to}.json`,
    map: (json, clock) => {
      const page = Fat.safeParse(json);
      if (!page.success) return null;
      const out: Mapped = { observations: [], skipped: [] };
      for (const item of page.data.fat) {
        const f = FatLog.safeParse(item);
        const at = f.success ? instant(`${f.data.date}T${f.data.time}`, clock) : null;
        if (!f.success || at === null) {
          out.skipped.push("a body fat log without a valid date, time and percentage");
          continue;
        }
        out.observations.push({
          variable: loinc("41982-0"),
          value: f.data.fat,
          unit: "%",
          start_at: at,
          metadata: meta({ fitbit_log_id: f.data.logId }),
        });
      }
      return out;
    },
  },
  {
    name: "spo2",
    path: (from, to) => `/1/user/-/spo2/date/${from}/${to}.json`,
    map: (json, clock) => {
      const page = Spo2.safeParse(json);
      if (!page.success) return null;
      const out: Mapped = { observations: [], skipped: [] };
      for (const item of page.data) {
        const s = Spo2Day.safeParse(item);
        if (!s.success) {
          out.skipped.push("an SpO2 summary without a valid date and average");
          continue;
        }
        // Fitbit gives the night's summary at the end of the main sleep, dated the day it ended.
        out.observations.push({
          variable: loinc("59408-5"),
          value: s.data.value.avg,
          unit: "%",
          ...localDay(s.data.dateTime, clock),
          metadata: meta(),
        });
      }
      return out;
    },
  },
];

const SLEEP_STAGES = [
  ["deep", "93831-6"],
  ["light", "93830-8"],
  ["rem", "93829-0"],
] as const;

function mapSleep(item: unknown, clock: LocalClock): { observations: ObservationInput[]; day: string } | null {
  const s = SleepLog.safeParse(item);
  if (!s.success) return null;
  const start = instant(s.data.startTime, clock);
  const end = instant(s.data.endTime, clock);
  if (start === null || end === null) return null;
  const span = { start_at: start, end_at: end };
  const m = meta({ fitbit_log_id: s.data.logId, is_main_sleep: s.data.isMainSleep ?? null });
  const observations: ObservationInput[] = [
    { variable: loinc("93832-4"), value: s.data.minutesAsleep, unit: "min", ...span, metadata: m },
  ];
  // Stage minutes exist only in `type: "stages"` logs (a "classic" log has asleep/restless/awake).
  const summary = s.data.type === "stages" ? s.data.levels?.summary : undefined;
  for (const [stage, code] of SLEEP_STAGES) {
    const minutes = summary?.[stage]?.minutes;
    if (minutes !== undefined)
      observations.push({ variable: loinc(code), value: minutes, unit: "min", ...span, metadata: m });
  }
  return { observations, day: s.data.dateOfSleep };
}

/** Reads a body as JSON, or undefined when it is not JSON. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The HTTP port with Fitbit's rate-limit signal made standard: a 429 without `Retry-After` gets one
 * from `Fitbit-Rate-Limit-Reset` (seconds until the person's hour resets), so `vendorRequest` reports it.
 */
function withFitbitRetryAfter(http: VendorHttp): VendorHttp {
  return async (request) => {
    const response = await http(request);
    const reset = response.headers.get("Fitbit-Rate-Limit-Reset");
    if (response.status !== 429 || response.headers.has("Retry-After") || reset === null) return response;
    const headers = new Headers(response.headers);
    headers.set("Retry-After", reset);
    return new Response(response.body, { status: 429, headers });
  };
}

/**
 * Syncs every endpoint from its cursor (minus the overlap) to the person's today: first the profile
 * (their zone), then each date-ranged endpoint window by window, then the sleep logs page by page. A
 * cursor is the last local day fully imported (a day not over yet is fetched again by the next sync).
 * Stops, with `more: true`, at the quota or when Fitbit says the person's hour is used up.
 */
async function sync(definition: ConnectorDefinition, context: SyncContext): Promise<SyncOutcome> {
  const cursor: SyncCursor = { ...context.cursor };
  const http = withFitbitRetryAfter(context.http);
  let requests = 0;
  let exhausted = false;
  const get = async (what: string, pathAndQuery: string) => {
    const url = new URL(pathAndQuery, context.settings.baseUrls.api);
    const request = new Request(url, {
      headers: { Authorization: `Bearer ${context.accessToken}`, Accept: "application/json" },
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
    requests++;
    let raw: Response;
    try {
      raw = await http(request);
    } catch (error) {
      // As vendorRequest words it (oauth.ts): a network failure or timeout is `unavailable`.
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not be reached";
      throw new VendorError("unavailable", `Fitbit ${what}: the vendor ${reason}`);
    }
    if (raw.headers.get("Fitbit-Rate-Limit-Remaining") === "0") exhausted = true;
    // 403: the person unticked this data's scope on Fitbit's consent screen (Fitbit lets them choose).
    if (raw.status === 403) {
      await raw.body?.cancel().catch(() => {});
      return { url, body: null };
    }
    const response = await vendorRequest(async () => raw, request, `Fitbit ${what}`, context.now);
    return { url, body: await response.text() };
  };
  /** A page saying the person did not let us read an endpoint (no cursor move: asked again next time). */
  const notGranted = (endpoint: string, url: URL) =>
    context.onPage({
      endpoint,
      request: `${url.pathname}${url.search}`,
      body: "",
      observations: [],
      skipped: [
        `Fitbit ${endpoint} data, which the person did not allow this app to read at Fitbit (connect again to allow it)`,
      ],
    });
  // Fitbit's own signal first: with the person's hour used up, no application permit is taken.
  const stop = async () => exhausted || !(await mayRequest(context, definition, requests));

  if (await stop()) return { cursor, requests, more: true };
  const profile = await get("profile", "/1/user/-/profile.json");
  // Without the profile (403: its scope not granted) the person's zone is unknown: nothing can be dated.
  if (profile.body === null) throw new VendorError("invalid_grant", "Fitbit: the profile scope was not granted");
  const parsedProfile = Profile.safeParse(parseJson(profile.body));
  if (!parsedProfile.success) throw new VendorError("malformed", "Fitbit profile: not Fitbit's JSON");
  const { timezone, offsetFromUTCMillis } = parsedProfile.data.user;
  const clock = localClock(timezone, offsetFromUTCMillis, context.now);
  const today = clock.today;
  const yesterday = addDays(today, -1);
  const startOf = (name: string) => {
    const at = cursor[name];
    return at === undefined ? addDays(today, -definition.backfill_days) : addDays(at, 1 - FITBIT_OVERLAP_DAYS);
  };

  for (const endpoint of RANGED) {
    for (let from = startOf(endpoint.name); from <= today; ) {
      if (await stop()) return { cursor, requests, more: true };
      const last = addDays(from, FITBIT_MAX_RANGE_DAYS[endpoint.name] - 1);
      const to = last < today ? last : today;
      const { url, body } = await get(endpoint.name, endpoint.path(from, to));
      if (body === null) {
        await notGranted(endpoint.name, url);
        break;
      }
      const mapped = endpoint.map(parseJson(body), clock);
      if (mapped === null)
        throw new VendorError("malformed", `Fitbit ${endpoint.name}: a page that is not Fitbit's JSON`);
      // The cursor moves to the last day of the window that is over (today comes again next time).
      const done = to < yesterday ? to : yesterday;
      const previous = cursor[endpoint.name];
      if (previous === undefined || done > previous) cursor[endpoint.name] = done;
      // Once stored, a later run starts this endpoint after the window (minus the overlap).
      await context.onPage({
        endpoint: endpoint.name,
        request: `${url.pathname}${url.search}`,
        body,
        ...mapped,
        resume: { ...cursor },
      });
      from = addDays(to, 1);
    }
  }

  // Sleep logs: from the day after the cursor minus the overlap, oldest first, following `pagination.next`.
  const afterDate = startOf("sleep");
  let next: string | null =
    `/1.2/user/-/sleep/list.json?afterDate=${afterDate}&sort=asc&offset=0&limit=${FITBIT_SLEEP_PAGE}`;
  while (next !== null) {
    if (await stop()) return { cursor, requests, more: true };
    const { url, body } = await get("sleep", next);
    if (body === null) {
      await notGranted("sleep", url);
      break;
    }
    const page = SleepPage.safeParse(parseJson(body));
    if (!page.success) throw new VendorError("malformed", "Fitbit sleep: a page that is not Fitbit's JSON");
    const observations: ObservationInput[] = [];
    const skipped: string[] = [];
    let latest = cursor.sleep;
    for (const item of page.data.sleep) {
      const mapped = mapSleep(item, clock);
      if (mapped === null) {
        skipped.push("a sleep log without valid dates, times and minutes asleep");
        continue;
      }
      observations.push(...mapped.observations);
      if (latest === undefined || mapped.day > latest) latest = mapped.day;
    }
    if (latest !== undefined) cursor.sleep = latest;
    await context.onPage({
      endpoint: "sleep",
      request: `${url.pathname}${url.search}`,
      body,
      observations,
      skipped,
      resume: { ...cursor },
    });
    next = nextSleepPage(page.data.pagination.next);
  }
  return { cursor, requests, more: false };
}

/**
 * The next sleep page's path and query, from Fitbit's `pagination.next` (an absolute URL, or "" on the
 * last page). Only its path and query are kept: the bearer token goes to the configured host, never to
 * a host a response names. An empty page that still names a next page is followed (Fitbit pages by
 * offset, so it moves on); a next that is not Fitbit's sleep list is refused.
 */
function nextSleepPage(next: string): string | null {
  if (next === "") return null;
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    throw new VendorError("malformed", "Fitbit sleep: pagination.next is not a URL");
  }
  if (url.pathname !== "/1.2/user/-/sleep/list.json") {
    throw new VendorError("malformed", "Fitbit sleep: pagination.next is not the sleep list");
  }
  return `${url.pathname}${url.search}`;
}

/** Fitbit's error envelope (authorization/oauth2-token "Response"; not RFC 6749 §5.2's `{error}`). */
const FitbitErrors = z.object({ errors: z.array(z.object({ errorType: z.string() }).loose()).min(1) });

/** HTTP Basic client authentication (RFC 6749 §2.3.1, RFC 7617), as Fitbit's token and revoke endpoints take it. */
const basic = (settings: ConnectorSettings) => `Basic ${btoa(`${settings.clientId}:${settings.clientSecret}`)}`;

/** A POST of a form to Fitbit's OAuth endpoints with Basic client authentication. */
function oauthPost(settings: ConnectorSettings, path: string, form: Record<string, string>): Request {
  return new Request(new URL(path, settings.baseUrls.api), {
    method: "POST",
    headers: {
      Authorization: basic(settings),
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
    },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
  });
}

/**
 * A token request (code §4.1.3 or refresh §6). Fitbit's 400/401 with `errorType` `invalid_grant` (a
 * code or refresh token used, expired or revoked) or `invalid_token` means the person must connect
 * again; `invalid_client` is this deployment's credentials, reported as such.
 */
async function fitbitToken(
  http: VendorHttp,
  settings: ConnectorSettings,
  form: Record<string, string>,
  now: Date,
): Promise<VendorTokens> {
  const request = oauthPost(settings, FITBIT.auth.token_path, form);
  let response: Response;
  try {
    response = await http(request);
  } catch {
    throw new VendorError("unavailable", "Fitbit token request: Fitbit could not be reached");
  }
  if (response.status === 400 || response.status === 401) {
    const error = FitbitErrors.safeParse(await response.json().catch(() => null));
    const type = error.success ? error.data.errors[0]?.errorType : undefined;
    if (type === "invalid_grant" || type === "invalid_token" || type === "expired_token") {
      throw new VendorError("invalid_grant", "Fitbit no longer accepts this connection's authorization");
    }
    throw new VendorError("malformed", `Fitbit token request: Fitbit answered ${type ?? response.status}`);
  }
  const ok = await vendorRequest(async () => response, request, "Fitbit token request", now);
  const text = await ok.text();
  // Fitbit always sends a new refresh token; the old one is spent (no previous one to keep).
  const tokens = await tokensOf(new Response(text), now, null, "Fitbit token request");
  // `user_id` (authorization/oauth2-token "Response"): the id notifications name as `ownerId`.
  const owner = FitbitUserId.safeParse(parseJson(text));
  return owner.success ? { ...tokens, vendor_user_id: owner.data.user_id } : tokens;
}

const FitbitUserId = z.object({ user_id: z.string().min(1).max(128) });

/**
 * The collections subscribed per person (Subscription API, "Create Subscription": `activities` needs the
 * `activity` scope, `body` `weight`, `sleep` `sleep`; the all-collections subscription would also need
 * `nutrition` and `settings`, which this connector does not ask for). Heart rate is in `activities`.
 */
export const FITBIT_SUBSCRIBED_COLLECTIONS = ["activities", "body", "sleep"] as const;

/** The subscription id of a person's collection: Fitbit echoes it in each notification (`subscriptionId`). */
const subscriptionPath = (tokens: VendorTokens, collection: string) => {
  if (tokens.vendor_user_id === undefined) {
    throw new VendorError("malformed", "Fitbit subscription: the connection has no Fitbit user id");
  }
  return `/1/user/-/${collection}/apiSubscriptions/${encodeURIComponent(`${tokens.vendor_user_id}-${collection}`)}.json`;
};

/** One subscription call (POST to create, DELETE to remove) with the person's token. */
async function subscriptionCall(
  http: VendorHttp,
  settings: ConnectorSettings,
  tokens: VendorTokens,
  method: "POST" | "DELETE",
  collection: string,
  now: Date,
): Promise<void> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${tokens.access_token}`,
    Accept: "application/json",
  };
  // Without the header Fitbit uses the application's default subscriber ("Using Subscriptions").
  if (settings.webhook?.subscriberId !== undefined) headers["X-Fitbit-Subscriber-Id"] = settings.webhook.subscriberId;
  const request = new Request(new URL(subscriptionPath(tokens, collection), settings.baseUrls.api), {
    method,
    headers,
    signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
  });
  let response: Response;
  try {
    response = await http(request);
  } catch {
    throw new VendorError("unavailable", `Fitbit subscription ${collection}: Fitbit could not be reached`);
  }
  // Create: 201 new, 200 already there for this subscriber; delete: 204, 404 none there (gone already).
  if (method === "DELETE" && response.status === 404) {
    await response.body?.cancel();
    return;
  }
  if (response.status === 409) {
    await response.body?.cancel();
    // "Each subscriber can have only one subscription for a specific user's collection": another subscriber holds it.
    throw new VendorError("malformed", `Fitbit subscription ${collection}: another subscriber holds it (409)`);
  }
  await vendorRequest(async () => response, request, `Fitbit subscription ${collection}`, now);
  await response.body?.cancel();
}

/** A notification's items (Subscription API, "Using Subscriptions": a JSON array, possibly of several). */
const FitbitNotification = z
  .array(
    z
      .object({
        collectionType: z.string(),
        date: z.string().optional(),
        ownerId: z.string().min(1).max(128),
        ownerType: z.string(),
        subscriptionId: z.string(),
      })
      .loose(),
  )
  .min(1)
  .max(1_000);

/** Base64 of HMAC-SHA1 (RFC 2104) of `body` under `key`. */
async function hmacSha1Base64(key: string, body: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  return btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(body)))),
  );
}

/**
 * Fitbit's Subscriptions API ("Using Subscriptions"):
 *
 * - a notification is a POST of a JSON array of `{collectionType, date, ownerId, ownerType,
 *   subscriptionId}`, signed in `X-Fitbit-Signature`: base64 of HMAC-SHA1 over the raw body with the
 *   key `<client secret>&` (the OAuth 1.0 signing-key form, token secret empty). The API holds no client
 *   secret, so the webhook secret configured for `fitbit` is the client secret itself (docs/connectors.md).
 *   Fitbit describes the value as base64 "then URL encoded"; a percent-escaped value is decoded first
 *   (a `+` is kept: it is base64, not a space).
 * - the subscriber's verification: two `GET <subscriber URL>?verify=<code>`; 204 when the code is the
 *   one Fitbit shows the operator (`CONNECTOR_WEBHOOK_VERIFICATION_CODES`), 404 when it is not.
 * - per person, `POST /1/user/-/<collection>/apiSubscriptions/<subscription id>.json` after connecting
 *   and `DELETE` of the same before revoking.
 */
export const fitbitWebhook: ConnectorWebhook = {
  verify: async (headers, body, secret) => {
    const header = headers.get("X-Fitbit-Signature");
    if (header === null || header.length > 200) return false;
    let signature = header;
    if (header.includes("%")) {
      try {
        signature = decodeURIComponent(header);
      } catch {
        return false;
      }
    }
    return constantTimeEqual(signature, await hmacSha1Base64(`${secret}&`, body));
  },
  vendorUserIds: (body) => {
    const items = FitbitNotification.safeParse(parseJson(body));
    if (!items.success) return null;
    return [...new Set(items.data.filter((i) => i.ownerType === "user").map((i) => i.ownerId))];
  },
  check: async (url, keys) => {
    const code = url.searchParams.get("verify");
    if (code === null || keys.verificationCode === undefined) return { ok: false };
    return (await constantTimeEqual(code, keys.verificationCode)) ? { ok: true } : { ok: false };
  },
  subscribe: async (http, settings, tokens, now) => {
    for (const collection of FITBIT_SUBSCRIBED_COLLECTIONS) {
      await subscriptionCall(http, settings, tokens, "POST", collection, now);
    }
  },
  unsubscribe: async (http, settings, tokens, now) => {
    for (const collection of FITBIT_SUBSCRIBED_COLLECTIONS) {
      await subscriptionCall(http, settings, tokens, "DELETE", collection, now);
    }
  },
};

/** A connector speaking the Fitbit Web API under `definition`. */
export function fitbitApiConnector(definition: ConnectorDefinition): Connector {
  return {
    definition,
    authorizeUrl: (settings, request) => authorizationUrl(definition, settings, request),
    exchangeCode: (http, settings, grant) =>
      fitbitToken(
        http,
        settings,
        {
          client_id: settings.clientId,
          grant_type: "authorization_code",
          code: grant.code,
          redirect_uri: grant.redirectUri,
          ...(grant.codeVerifier === undefined ? {} : { code_verifier: grant.codeVerifier }),
        },
        grant.now,
      ),
    refresh: (http, settings, tokens, now) => {
      if (tokens.refresh_token === null) {
        return Promise.reject(new VendorError("invalid_grant", "Fitbit gave no refresh token; connect again"));
      }
      return fitbitToken(http, settings, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, now);
    },
    revoke: async (http, settings, tokens) => {
      // Revoking the refresh token (or, without one, the access token) ends the whole grant.
      const request = oauthPost(settings, definition.auth.revoke_path ?? "/oauth2/revoke", {
        token: tokens.refresh_token ?? tokens.access_token,
      });
      let response: Response;
      try {
        response = await http(request);
      } catch {
        throw new VendorError("unavailable", "Fitbit revoke: Fitbit could not be reached");
      }
      if (response.status === 400 || response.status === 401) {
        // A token Fitbit no longer knows (expired, or the person revoked the app at Fitbit) is revoked already.
        const error = FitbitErrors.safeParse(await response.json().catch(() => null));
        const type = error.success ? error.data.errors[0]?.errorType : undefined;
        if (type === "invalid_token" || type === "expired_token" || type === "invalid_grant") return;
        throw new VendorError("malformed", `Fitbit revoke: Fitbit answered ${type ?? response.status}`);
      }
      await vendorRequest(async () => response, request, "Fitbit revoke", new Date());
    },
    sync: (context) => sync(definition, context),
    webhook: fitbitWebhook,
  };
}

export const fitbit: Connector = fitbitApiConnector(FITBIT);
