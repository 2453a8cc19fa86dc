/**
 * A local fake of the Fitbit Web API, speaking its documented wire format (see ./index.ts for the
 * references): the OAuth endpoints (authorize redirects back with a code and the state and checks the
 * PKCE challenge at the token endpoint; token and refresh with HTTP Basic client authentication and
 * single-use refresh tokens; revoke of either token ending the grant; errors in Fitbit's
 * `{"errors":[{errorType}],"success":false}` envelope), the profile (the person's UTC offset), the
 * endpoints the connector reads with Fitbit's local dates and times, their maximum ranges (a wider range
 * is a 400), sleep-list paging with `pagination.next`, access-token expiry (401 `expired_token`), the
 * rate-limit headers, and scripted faults: 429 with `Retry-After` or only `Fitbit-Rate-Limit-Reset`,
 * 5xx, a malformed page, an empty page. Its data is computed from its settings, so a test checks exact
 * values. Its clock is its own (`now`), never the wall clock.
 *
 * It is a `fetch`-shaped handler (`fake.fetch(request)`): tests hand it to the connector as its `VendorHttp`.
 */
import { base64UrlEncode } from "@dfda/core/encoding";
import {
  bearerToken,
  emptyPageMarker,
  type FakeIssuedTokens,
  FakeVendor,
  pageOrFault,
  readForm,
} from "../fake-support";

export interface FakeFitbitOptions {
  clientId: string;
  clientSecret: string;
  /** The fake's clock; data runs up to it. */
  now: Date;
  /** The person's offset from UTC now (their profile's `offsetFromUTCMillis`). */
  offsetMs: number;
  /** The person's IANA zone (their profile's `timezone`), whose offset at `now` is `offsetMs`. */
  timezone: string;
  /** Local days of data before the local day of `now` as first given. */
  days: number;
  /** One intraday heart-rate sample every this many minutes (local time, from 00:00). */
  heartRateEveryMinutes: number;
  /** Sleep logs per page at most (Fitbit's `limit` is capped to it). */
  pageSize: number;
  /** Lifetime of an access token, in seconds (Fitbit's is 28800). */
  accessTokenSeconds?: number;
  /** Requests a person may make per hour before a 429 (Fitbit's is 150); the hour is the fake's `now`. */
  hourlyLimit?: number;
}

export interface FakeFitbitFault {
  /** `heart`, `steps`, `weight`, `fat`, `spo2`, `sleep`, `profile`, or `token`. */
  path: string;
  /**
   * HTTP status; `malformed` (200 with a body that is not JSON); `empty` (200 with no items; for the
   * sleep list, the same next page); `reset-only` (a 429 that carries only `Fitbit-Rate-Limit-Reset`).
   */
  kind: number | "malformed" | "empty" | "reset-only";
  retryAfter?: string;
  /** How many requests in a row it answers (default 1). */
  times?: number;
  /** Requests to the path answered normally before it (default 0): a failure in the middle of a sync. */
  after?: number;
}

const DAY_MS = 86_400_000;

/** Heart rate of intraday sample i of local day d. */
export const fakeFitbitBpm = (d: number, i: number) => 55 + ((d * 11 + i * 7) % 40);
/** Resting heart rate of local day d. */
export const fakeFitbitResting = (d: number) => 58 + (d % 5);
/** Steps of local day d (0 = the first day). */
export const fakeFitbitSteps = (d: number) => 5000 + 173 * d;
/** Sleep ending on local day d: minutes asleep and stage minutes. */
export const fakeFitbitSleep = (d: number) => ({
  asleep: 400 + d,
  deep: 60 + (d % 7),
  light: 250 + d,
  rem: 90 - (d % 5),
});
/** Weight (kg) and BMI of local day d, weighed at 07:15 local every other day (even d). */
export const fakeFitbitWeight = (d: number) => ({ weight: 70 + d / 10, bmi: Math.round((22 + d / 30) * 100) / 100 });
/** Body fat (%) of local day d (weighed days only). */
export const fakeFitbitFat = (d: number) => 20 + (d % 3) / 2;
/** SpO2 average of the night ending on local day d, or null (every fifth night has no reading). */
export const fakeFitbitSpo2 = (d: number) => (d % 5 === 4 ? null : 95 + (d % 4) / 2);

/** The maximum range of each date-ranged endpoint, in days (Fitbit's documented maxima). */
const MAX_DAYS: Record<string, number> = { steps: 1095, weight: 31, fat: 31, spo2: 30 };

/** The Fitbit user id of the fake's one account (the token response's `user_id`, notifications' `ownerId`). */
export const FAKE_FITBIT_USER_ID = "FAKE01";

export class FakeFitbit extends FakeVendor<
  Required<FakeFitbitOptions>,
  FakeFitbitFault,
  { redirect: string; challenge: string | null }
> {
  private readonly extraHeartRate: Array<{ day: string; time: string; value: number }> = [];
  private apiRequests = 0;
  /** The subscriptions (Subscription API), by subscription id and collection, with their subscriber. */
  readonly subscriptions: Array<{ collectionType: string; subscriptionId: string; subscriberId: string }> = [];

  /**
   * The POST Fitbit sends the subscriber for new data of `collections` on local `date`: a JSON array of
   * `{collectionType, date, ownerId, ownerType, subscriptionId}`, one item per subscribed collection,
   * signed in `X-Fitbit-Signature` (base64 HMAC-SHA1 with key `<client secret>&`, "Using Subscriptions").
   * Null when none of them is subscribed.
   */
  async notification(subscriberUrl: string, collections: readonly string[], date: string): Promise<Request | null> {
    const items = this.subscriptions
      .filter((s) => collections.includes(s.collectionType))
      .map((s) => ({
        collectionType: s.collectionType,
        date,
        ownerId: FAKE_FITBIT_USER_ID,
        ownerType: "user",
        subscriptionId: s.subscriptionId,
      }));
    if (items.length === 0) return null;
    const body = JSON.stringify(items);
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(`${this.options.clientSecret}&`),
      { name: "HMAC", hash: "SHA-1" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
    return new Request(subscriberUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Fitbit-Signature": btoa(String.fromCharCode(...mac)) },
      body,
    });
  }

  constructor(options: FakeFitbitOptions) {
    super({ accessTokenSeconds: 28_800, hourlyLimit: 150, ...options });
  }

  /** The local day (yyyy-MM-dd) of an instant. */
  localDay(at: Date): string {
    return new Date(at.getTime() + this.options.offsetMs).toISOString().slice(0, 10);
  }

  /** The first local day with data: fixed, `days` before the local day the fake was made. */
  get firstDay(): string {
    return addDays(this.localDay(this.options.now), -this.options.days);
  }

  /** The index of a local day (0 = the first day). */
  dayIndex(day: string): number {
    return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${this.firstDay}T00:00:00Z`)) / DAY_MS);
  }

  /** A heart-rate sample the tracker uploads late (it appears in later responses). */
  addHeartRate(day: string, time: string, value: number): void {
    this.extraHeartRate.push({ day, time, value });
  }

  /** The local wall-clock time of now, as `yyyy-MM-ddTHH:mm:ss`. */
  private localNow(): string {
    return new Date(this.now.getTime() + this.options.offsetMs).toISOString().slice(0, 19);
  }

  /** Local days from the first day up to today (local). */
  days(): string[] {
    const out: string[] = [];
    for (let d = this.firstDay; d <= this.localDay(this.now); d = addDays(d, 1)) out.push(d);
    return out;
  }

  /** The intraday heart-rate samples of a local day, up to the local now. */
  heartRate(day: string): Array<{ time: string; value: number }> {
    const out: Array<{ time: string; value: number }> = [];
    const d = this.dayIndex(day);
    if (d < 0 || day > this.localDay(this.now)) return out;
    const now = this.localNow();
    for (let i = 0, m = 0; m < 1440; i++, m += this.options.heartRateEveryMinutes) {
      const time = `${pad(Math.floor(m / 60))}:${pad(m % 60)}:00`;
      if (`${day}T${time}` >= now) break;
      out.push({ time, value: fakeFitbitBpm(d, i) });
    }
    for (const e of this.extraHeartRate) if (e.day === day) out.push({ time: e.time, value: e.value });
    return out.sort((a, b) => a.time.localeCompare(b.time));
  }

  /** Every sleep log (one a night, ending 06:30 local on day d ≥ 1), once it has ended. */
  sleepLogs(): Array<Record<string, unknown>> {
    const now = this.localNow();
    return this.days()
      .filter((day) => this.dayIndex(day) >= 1 && `${day}T06:30:00.000` <= now)
      .map((day) => {
        const d = this.dayIndex(day);
        const s = fakeFitbitSleep(d);
        return {
          dateOfSleep: day,
          duration: 27_000_000,
          efficiency: 93,
          endTime: `${day}T06:30:00.000`,
          infoCode: 0,
          isMainSleep: true,
          levels: {
            summary: {
              deep: { count: 4, minutes: s.deep, thirtyDayAvgMinutes: 0 },
              light: { count: 20, minutes: s.light, thirtyDayAvgMinutes: 0 },
              rem: { count: 5, minutes: s.rem, thirtyDayAvgMinutes: 0 },
              wake: { count: 18, minutes: 50, thirtyDayAvgMinutes: 0 },
            },
            data: [],
          },
          logId: 30_000_000_000 + d,
          logType: "auto_detected",
          minutesAfterWakeup: 0,
          minutesAsleep: s.asleep,
          minutesAwake: 50,
          minutesToFallAsleep: 0,
          startTime: `${addDays(day, -1)}T23:00:00.000`,
          timeInBed: 450,
          type: "stages",
        };
      });
  }

  /** Answers one request as Fitbit would. */
  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    this.log.push(`${request.method} ${url.pathname}${url.search}`);
    if (url.pathname === "/oauth2/authorize") return this.authorize(url);
    if ((url.pathname === "/oauth2/token" || url.pathname === "/oauth2/revoke") && request.method === "POST") {
      if (
        request.headers.get("Authorization") !==
        `Basic ${btoa(`${this.options.clientId}:${this.options.clientSecret}`)}`
      ) {
        return errors(401, "invalid_client", "Invalid authorization header format.");
      }
      const form = await readForm(request);
      if (url.pathname === "/oauth2/revoke") return this.revoke(form);
      return this.faulted("token") ?? this.token(form);
    }
    const token = this.auth.accessToken(bearerToken(request));
    const subscription = /^\/1\/user\/-\/([a-zA-Z]+)\/apiSubscriptions\/([^/]+)\.json$/.exec(url.pathname);
    if (subscription !== null && (request.method === "POST" || request.method === "DELETE")) {
      if (token === undefined) return errors(401, "invalid_token", "Access token invalid");
      if (!this.auth.isLive(token)) return errors(401, "expired_token", "Access token expired");
      return this.subscription(request, subscription[1] ?? "", decodeURIComponent(subscription[2] ?? ""));
    }
    if (request.method !== "GET") return errors(405, "request", "Method not allowed");
    if (token === undefined) return errors(401, "invalid_token", "Access token invalid");
    if (!this.auth.isLive(token)) return errors(401, "expired_token", "Access token expired");
    const route = this.route(url.pathname);
    if (route === null) return errors(404, "not_found", "The API you are requesting could not be found.");
    if (++this.apiRequests > this.options.hourlyLimit)
      return this.limited(String(3600 - (Math.floor(this.now.getTime() / 1000) % 3600)));
    return pageOrFault(this.faulted(route.name), (empty) => {
      const response = this.answer(route, url, empty);
      response.headers.set("Fitbit-Rate-Limit-Limit", String(this.options.hourlyLimit));
      response.headers.set(
        "Fitbit-Rate-Limit-Remaining",
        String(Math.max(0, this.options.hourlyLimit - this.apiRequests)),
      );
      response.headers.set("Fitbit-Rate-Limit-Reset", "1800");
      return response;
    });
  };

  /**
   * Create (201 new, 200 already there for the same subscriber, 409 held by another subscriber) or delete
   * (204, 404 when there is none) a subscription (Subscription API, "Create/Delete Subscription").
   */
  private subscription(request: Request, collection: string, subscriptionId: string): Response {
    if (!["activities", "body", "foods", "sleep", "userRevokedAccess"].includes(collection)) {
      return errors(400, "validation", `Invalid collection: ${collection}`);
    }
    const subscriberId = request.headers.get("X-Fitbit-Subscriber-Id") ?? "default";
    const index = this.subscriptions.findIndex((s) => s.collectionType === collection);
    if (request.method === "DELETE") {
      if (index === -1 || this.subscriptions[index]?.subscriptionId !== subscriptionId) {
        return errors(404, "not_found", "Subscription not found");
      }
      this.subscriptions.splice(index, 1);
      return new Response(null, { status: 204 });
    }
    const existing = this.subscriptions[index];
    if (existing !== undefined && existing.subscriberId !== subscriberId) {
      return errors(409, "request", "This collection is subscribed by another subscriber");
    }
    const body = {
      collectionType: collection,
      ownerId: FAKE_FITBIT_USER_ID,
      ownerType: "user",
      subscriberId,
      subscriptionId,
    };
    if (existing !== undefined) return json(body);
    this.subscriptions.push({ collectionType: collection, subscriptionId, subscriberId });
    return json(body, 201);
  }

  /** Starts a new hour of the rate limit (the fake's hour is whatever the test says it is). */
  resetRateLimit(): void {
    this.apiRequests = 0;
  }

  private route(path: string): { name: string; args: string[] } | null {
    const patterns: Array<[string, RegExp]> = [
      ["profile", /^\/1\/user\/-\/profile\.json$/],
      ["heart", /^\/1\/user\/-\/activities\/heart\/date\/([^/]+)\/1d\/1min\.json$/],
      ["steps", /^\/1\/user\/-\/activities\/steps\/date\/([^/]+)\/([^/]+)\.json$/],
      ["weight", /^\/1\/user\/-\/body\/log\/weight\/date\/([^/]+)\/([^/]+)\.json$/],
      ["fat", /^\/1\/user\/-\/body\/log\/fat\/date\/([^/]+)\/([^/]+)\.json$/],
      ["spo2", /^\/1\/user\/-\/spo2\/date\/([^/]+)\/([^/]+)\.json$/],
      ["sleep", /^\/1\.2\/user\/-\/sleep\/list\.json$/],
    ];
    for (const [name, re] of patterns) {
      const m = re.exec(path);
      if (m !== null) return { name, args: m.slice(1) };
    }
    return null;
  }

  private limited(reset: string, retryAfter?: string): Response {
    const headers: Record<string, string> = { ...JSON_TYPE, "Fitbit-Rate-Limit-Reset": reset };
    if (retryAfter !== undefined) headers["Retry-After"] = retryAfter;
    return new Response(
      JSON.stringify({ errors: [{ errorType: "system", message: "Too Many Requests" }], success: false }),
      { status: 429, headers },
    );
  }

  private faulted(path: string): Response | undefined {
    const fault = this.faults.take(path);
    if (fault === undefined) return undefined;
    if (fault.kind === "malformed")
      return new Response('{"activities-heart": [{"dateTi', { status: 200, headers: JSON_TYPE });
    if (fault.kind === "empty") return emptyPageMarker();
    if (fault.kind === "reset-only") return this.limited("900");
    if (fault.kind === 429) return this.limited("1800", fault.retryAfter ?? "1800");
    return errors(fault.kind, "system", `fault ${fault.kind}`);
  }

  private authorize(url: URL): Response {
    const redirect = url.searchParams.get("redirect_uri");
    if (url.searchParams.get("client_id") !== this.options.clientId || redirect === null) {
      return errors(400, "invalid_request", "invalid client_id or redirect_uri");
    }
    if (url.searchParams.has("code_challenge") && url.searchParams.get("code_challenge_method") !== "S256") {
      return errors(400, "invalid_request", "code_challenge_method must be S256");
    }
    return this.auth.redirectWithCode(
      redirect,
      { redirect, challenge: url.searchParams.get("code_challenge") },
      url.searchParams.get("state") ?? "",
    );
  }

  private token(form: URLSearchParams): Promise<Response> {
    return this.auth.grant(form, {
      checkCode: async (issued) => {
        if (issued === undefined || issued.redirect !== form.get("redirect_uri")) {
          return errors(400, "invalid_grant", "Authorization code invalid");
        }
        if (issued.challenge !== null && (await s256(form.get("code_verifier") ?? "")) !== issued.challenge) {
          return errors(400, "invalid_grant", "Invalid code_verifier");
        }
        return null;
      },
      invalidRefresh: () => errors(400, "invalid_grant", "Refresh token invalid"),
      unsupported: () => errors(400, "unsupported_grant_type", "grant_type"),
      issued: (tokens) => this.issue(tokens),
    });
  }

  /** Revokes the grant of an access or refresh token (authorization/revoke-token): every token of it. */
  private revoke(form: URLSearchParams): Response {
    const token = form.get("token") ?? "";
    const refresh = this.auth.accessToken(token)?.refresh ?? (this.auth.hasRefreshToken(token) ? token : undefined);
    if (refresh === undefined) return errors(400, "invalid_token", "Token invalid");
    this.auth.revokeGrant(refresh);
    return new Response(null, { status: 200 });
  }

  private issue({ access, refresh, expiresIn }: FakeIssuedTokens): Response {
    return json({
      access_token: access,
      expires_in: expiresIn,
      refresh_token: refresh,
      scope: "activity heartrate sleep weight oxygen_saturation profile",
      token_type: "Bearer",
      user_id: FAKE_FITBIT_USER_ID,
    });
  }

  private answer(route: { name: string; args: string[] }, url: URL, empty: boolean): Response {
    if (route.name === "profile") {
      return json({
        user: { encodedId: "FAKE01", offsetFromUTCMillis: this.options.offsetMs, timezone: this.options.timezone },
      });
    }
    if (route.name === "sleep") return this.sleep(url, empty);
    const [start = "", end = start] = route.args;
    if (!DAY.test(start) || !DAY.test(end) || end < start) return errors(400, "validation", "Invalid date range");
    if (route.name !== "heart" && (Date.parse(end) - Date.parse(start)) / DAY_MS + 1 > (MAX_DAYS[route.name] ?? 0)) {
      return errors(400, "validation", `The maximum date range is ${MAX_DAYS[route.name]} days`);
    }
    const days = empty ? [] : this.days().filter((d) => d >= start && d <= end);
    switch (route.name) {
      case "heart": {
        const d = this.dayIndex(start);
        const inData = d >= 0 && start <= this.localDay(this.now);
        return json({
          "activities-heart": [
            {
              dateTime: start,
              value: {
                customHeartRateZones: [],
                heartRateZones: [],
                ...(inData && !empty ? { restingHeartRate: fakeFitbitResting(d) } : {}),
              },
            },
          ],
          "activities-heart-intraday": {
            dataset: inData && !empty ? this.heartRate(start) : [],
            datasetInterval: 1,
            datasetType: "minute",
          },
        });
      }
      case "steps":
        return json({
          "activities-steps": days.map((d) => ({ dateTime: d, value: String(fakeFitbitSteps(this.dayIndex(d))) })),
        });
      case "weight":
      case "fat": {
        const now = this.localNow();
        const weighed = days.filter((d) => this.dayIndex(d) % 2 === 0 && `${d}T07:15:00` <= now);
        if (route.name === "fat") {
          return json({
            fat: weighed.map((d) => ({
              date: d,
              fat: fakeFitbitFat(this.dayIndex(d)),
              logId: 2000 + this.dayIndex(d),
              source: "Aria",
              time: "07:15:00",
            })),
          });
        }
        return json({
          weight: weighed.map((d) => {
            const i = this.dayIndex(d);
            const w = fakeFitbitWeight(i);
            return {
              bmi: w.bmi,
              date: d,
              fat: fakeFitbitFat(i),
              logId: 1000 + i,
              source: "Aria",
              time: "07:15:00",
              weight: w.weight,
            };
          }),
        });
      }
      case "spo2": {
        const now = this.localNow();
        // The summary of a night appears once the sleep has ended (06:30 local); nights without a reading are absent.
        return json(
          days.flatMap((d) => {
            const avg = fakeFitbitSpo2(this.dayIndex(d));
            if (avg === null || `${d}T06:30:00` > now) return [];
            return [{ dateTime: d, value: { avg, min: avg - 2, max: avg + 1 } }];
          }),
        );
      }
      default:
        return errors(404, "not_found", "Not found");
    }
  }

  /** The sleep list (sleep/get-sleep-log-list): `afterDate` (inclusive), `sort=asc`, `offset`, `limit` ≤ 100. */
  private sleep(url: URL, empty: boolean): Response {
    const afterDate = url.searchParams.get("afterDate") ?? "";
    const sort = url.searchParams.get("sort");
    const limit = Number(url.searchParams.get("limit"));
    const offset = Number(url.searchParams.get("offset"));
    if (!DAY.test(afterDate.slice(0, 10)) || sort !== "asc") {
      return errors(400, "validation", "afterDate with sort=asc is required");
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(offset) || offset < 0) {
      return errors(400, "validation", "limit (1-100) and offset are required");
    }
    const logs = this.sleepLogs().filter((l) => String(l.dateOfSleep) >= afterDate.slice(0, 10));
    const size = Math.min(limit, this.options.pageSize);
    const page = empty ? [] : logs.slice(offset, offset + size);
    const nextOffset = empty ? offset : offset + size;
    const next = new URL("https://api.fitbit.com/1.2/user/-/sleep/list.json");
    next.search = new URLSearchParams({ afterDate, sort, offset: String(nextOffset), limit: String(limit) }).toString();
    return json({
      pagination: {
        afterDate,
        limit,
        next: nextOffset < logs.length ? next.toString() : "",
        offset,
        previous: "",
        sort,
      },
      sleep: page,
    });
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const JSON_TYPE = { "Content-Type": "application/json" };
const pad = (n: number) => String(n).padStart(2, "0");
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_TYPE });
}

/** Fitbit's error envelope. */
function errors(status: number, errorType: string, message: string): Response {
  return json({ errors: [{ errorType, message }], success: false }, status);
}

/** BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2). */
async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return base64UrlEncode(digest);
}
