/**
 * A local fake of Garmin's Health API (Connect Developer Program), speaking its documented wire format
 * (see ./index.ts for the references): the consent redirect (`GET /oauth2Confirm`, PKCE S256 required),
 * the token endpoint (`POST /di-oauth2-service/oauth/token`, client_secret_post, the code bound to its
 * redirect URI and code challenge, a new refresh token on each refresh), `GET /wellness-api/rest/user/id`,
 * `DELETE /wellness-api/rest/user/registration`, and the backfill resources
 * (`GET /wellness-api/rest/backfill/{dailies|sleeps|bodyComps|pulseOx}`: 202 and nothing else; 409 for a
 * duplicate; 400 for a range over 90 days or timestamps in milliseconds; 412 for a summary type the
 * person did not permit). Like Garmin, it delivers the data later, by notification: the bodies it would
 * POST (Push Service: the summaries; Ping Service: a `callbackURL` with a pull `token`, answered by
 * `GET /wellness-api/rest/{type}`) wait in `notifications()` for a test to POST them to the webhook.
 * Scripted faults: any HTTP status (429 with `Retry-After`, 5xx) and malformed answers. Its data is
 * computed from its settings, so a test checks exact values; its clock is its own.
 *
 * A `fetch`-shaped handler (`fake.fetch(request)`), handed to the connector as its `VendorHttp`.
 */
import { base64UrlEncode } from "@dfda/core";
import { type FakeIssuedTokens, FakeVendor, postsClientCredentials, readForm } from "../fake-support";
import { GARMIN_SUMMARIES, type GarminSummaryKey } from "./index";

export interface FakeGarminOptions {
  clientId: string;
  clientSecret: string;
  /** The fake's clock; data runs up to it. */
  now: Date;
  /** Days of data before the (UTC) day of `now`. */
  days: number;
  /** Garmin's id of the person. */
  userId?: string;
  /** Push Service (summaries in the notification) or Ping Service (callback URLs to pull). */
  mode?: "push" | "ping";
  /** The origin the ping callback URLs name (the API base URL the connector is configured with). */
  apiOrigin?: string;
  /** The device's display offset from UTC, in seconds. */
  offsetSeconds?: number;
  /** Lifetime of an access token, in seconds (Garmin: 24 hours). */
  accessTokenSeconds?: number;
  /** Summary types the person did not permit (their backfill answers 412). */
  denied?: GarminSummaryKey[];
}

export interface FakeGarminFault {
  /** `authorize`, `token`, `userId`, `registration`, `backfill` or `pull`. */
  path: string;
  /** An HTTP status, or `malformed` (a 200 whose body is not JSON). */
  kind: number | "malformed";
  retryAfter?: string;
  times?: number;
}

interface Grant {
  redirect: string;
  challenge: string;
}

const DAY_S = 86_400;
export const FAKE_GARMIN_USER_ID = "d3315b1072421d0dd7c8f6b8e1de4df8";

/** Daily values of day d (index 0 is the first day with data). */
export const fakeGarminDaily = (d: number) => ({
  steps: 6_000 + 123 * d,
  distanceInMeters: 4_000 + 50 * d,
  activeKilocalories: 350 + 10 * d,
  bmrKilocalories: 1_700,
  floorsClimbed: 5 + (d % 4),
  restingHeartRateInBeatsPerMinute: 58 + (d % 5),
});
/** Sleep stages (seconds) of the night ending on day d. */
export const fakeGarminSleep = (d: number) => ({
  deep: 5_400 + 30 * d,
  light: 14_400,
  rem: 5_400 - 30 * d,
  awake: 600,
});
/** Body composition of day d, weighed at 07:00 UTC. */
export const fakeGarminBodyComp = (d: number) => ({
  weightInGrams: 80_000 - 50 * d,
  bodyFatInPercent: (220 + d) / 10,
  bodyMassIndex: (247 - (d % 2)) / 10,
});
/** The all-day SpO2 of day d at hour h (1, 2, 3 hours after local midnight). */
export const fakeGarminSpo2 = (d: number, h: number) => 95 + ((d + h) % 4);
export const FAKE_GARMIN_SPO2_HOURS = [1, 2, 3] as const;

type Summary = Record<string, unknown> & { at: number };

export class FakeGarmin extends FakeVendor<Required<FakeGarminOptions>, FakeGarminFault, Grant> {
  private readonly pending: string[] = [];
  private readonly backfills = new Set<string>();
  private readonly pulls = new Map<string, { key: GarminSummaryKey; summaries: Summary[] }>();
  /** Whether the person's registration with the app stands (a DELETE ends it). */
  registered = true;

  constructor(options: FakeGarminOptions) {
    super({
      userId: FAKE_GARMIN_USER_ID,
      mode: "push",
      apiOrigin: "https://apis.garmin.fake.test",
      offsetSeconds: 3_600,
      accessTokenSeconds: DAY_S,
      denied: [],
      ...options,
    });
  }

  /** The notification bodies Garmin would have POSTed since the last call, oldest first. */
  notifications(): string[] {
    return this.pending.splice(0);
  }

  /** The notification Garmin sends when the person removes the app in Garmin Connect (or after a DELETE). */
  deregistrationNotification(): string {
    return JSON.stringify({ deregistrations: [{ userId: this.options.userId }] });
  }

  /** Local midnight of the days with data, oldest first (index d). */
  private days(): Array<{ d: number; date: string; start: number }> {
    const today = Date.parse(`${this.options.now.toISOString().slice(0, 10)}T00:00:00Z`) / 1000;
    const out: Array<{ d: number; date: string; start: number }> = [];
    for (let d = 0; d <= this.options.days; d++) {
      const midnight = today - (this.options.days - d) * DAY_S;
      out.push({
        d,
        date: new Date(midnight * 1000).toISOString().slice(0, 10),
        start: midnight - this.options.offsetSeconds,
      });
    }
    return out;
  }

  /** Every summary of a type up to the fake's clock, with `at` (the time a backfill range selects on). */
  summaries(key: GarminSummaryKey): Summary[] {
    const now = Math.floor(this.now.getTime() / 1000);
    const offset = this.options.offsetSeconds;
    const out: Summary[] = [];
    for (const { d, date, start } of this.days()) {
      if (key === "dailies" && start < now) {
        out.push({
          at: start,
          summaryId: `x-daily-${date}`,
          calendarDate: date,
          activityType: "WALKING",
          startTimeInSeconds: start,
          startTimeOffsetInSeconds: offset,
          // Today is not over: the monitoring period so far (§7.1).
          durationInSeconds: Math.min(DAY_S, now - start),
          ...fakeGarminDaily(d),
          averageStressLevel: 30,
        });
      }
      if (key === "sleeps") {
        const s = fakeGarminSleep(d);
        const begin = start - 2 * 3_600;
        const levels = {
          deep: begin + s.deep,
          light: begin + s.deep + s.light,
          awake: begin + s.deep + s.light + s.awake,
        };
        const end = levels.awake + s.rem;
        if (end <= now) {
          out.push({
            at: begin,
            summaryId: `x-sleep-${date}`,
            calendarDate: date,
            startTimeInSeconds: begin,
            startTimeOffsetInSeconds: offset,
            durationInSeconds: s.deep + s.light + s.rem,
            unmeasurableSleepInSeconds: 0,
            deepSleepDurationInSeconds: s.deep,
            lightSleepDurationInSeconds: s.light,
            remSleepInSeconds: s.rem,
            awakeDurationInSeconds: s.awake,
            sleepLevelsMap: {
              deep: [{ startTimeInSeconds: begin, endTimeInSeconds: levels.deep }],
              light: [{ startTimeInSeconds: levels.deep, endTimeInSeconds: levels.light }],
              awake: [{ startTimeInSeconds: levels.light, endTimeInSeconds: levels.awake }],
              rem: [{ startTimeInSeconds: levels.awake, endTimeInSeconds: end }],
            },
            validation: "ENHANCED_FINAL",
            overallSleepScore: { value: 80, qualifierKey: "GOOD" },
          });
        }
      }
      const weighed = Date.parse(`${date}T07:00:00Z`) / 1000;
      if (key === "bodyComps" && weighed <= now) {
        out.push({
          at: weighed,
          summaryId: `x-bodycomp-${date}`,
          measurementTimeInSeconds: weighed,
          measurementTimeOffsetInSeconds: offset,
          muscleMassInGrams: 25_478,
          boneMassInGrams: 2_437,
          bodyWaterInPercent: 59.4,
          ...fakeGarminBodyComp(d),
        });
      }
      if (key === "pulseox" && start + 3 * 3_600 <= now) {
        out.push({
          at: start,
          summaryId: `x-pulseox-${date}`,
          calendarDate: date,
          startTimeInSeconds: start,
          startTimeOffsetInSeconds: offset,
          durationInSeconds: DAY_S,
          timeOffsetSpo2Values: Object.fromEntries(
            FAKE_GARMIN_SPO2_HOURS.map((h) => [String(h * 3_600), fakeGarminSpo2(d, h)]),
          ),
          onDemand: false,
        });
      }
    }
    return out;
  }

  /**
   * Queues the notification Garmin sends when summaries become available (a device sync, a backfill):
   * the summaries themselves (Push), or a callback URL to pull them from (Ping, §4.2).
   */
  notify(key: GarminSummaryKey, summaries: Summary[]): void {
    if (summaries.length === 0) return;
    const userId = this.options.userId;
    if (this.options.mode === "push") {
      this.pending.push(JSON.stringify({ [key]: summaries.map(({ at: _at, ...s }) => ({ userId, ...s })) }));
      return;
    }
    const token = `pull-${this.auth.next()}`;
    this.pulls.set(token, { key, summaries });
    const upload = Math.floor(this.now.getTime() / 1000);
    const url = new URL(`/wellness-api/rest/${key}`, this.options.apiOrigin);
    url.searchParams.set("uploadStartTimeInSeconds", String(upload - 2));
    url.searchParams.set("uploadEndTimeInSeconds", String(upload));
    url.searchParams.set("token", token);
    this.pending.push(JSON.stringify({ [key]: [{ userId, callbackURL: url.toString() }] }));
  }

  readonly fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (request.method === "GET" && path === "/oauth2Confirm") {
      this.log.push(`GET ${path}`);
      return this.faulted("authorize") ?? this.authorize(url);
    }
    if (request.method === "POST" && path === "/di-oauth2-service/oauth/token") {
      const form = await readForm(request);
      this.log.push(`POST ${path} grant_type=${form.get("grant_type") ?? ""}`);
      return this.faulted("token") ?? this.token(form);
    }
    const shown = new URLSearchParams(url.searchParams);
    shown.delete("token");
    this.log.push(`${request.method} ${path}${shown.size > 0 ? `?${shown}` : ""}`);
    const pull = /^\/wellness-api\/rest\/(dailies|sleeps|bodyComps|pulseox)$/.exec(path);
    if (request.method === "GET" && pull !== null) return this.faulted("pull") ?? this.pull(url);
    const token = this.auth.bearer(request);
    if (request.method === "GET" && path === "/wellness-api/rest/user/id") {
      return (
        this.faulted("userId") ?? (token === undefined ? unauthorized() : json(200, { userId: this.options.userId }))
      );
    }
    if (request.method === "DELETE" && path === "/wellness-api/rest/user/registration") {
      const fault = this.faulted("registration");
      if (fault !== undefined) return fault;
      if (token === undefined) return unauthorized();
      this.registered = false;
      this.auth.revokeEverything();
      // Garmin confirms a deregistration to the Deregistration endpoint too.
      this.pending.push(this.deregistrationNotification());
      return new Response(null, { status: 204 });
    }
    const backfill = /^\/wellness-api\/rest\/backfill\/(\w+)$/.exec(path);
    if (request.method === "GET" && backfill !== null) {
      const fault = this.faulted("backfill");
      if (fault !== undefined) return fault;
      if (token === undefined) return unauthorized();
      return this.backfill(backfill[1] ?? "", url);
    }
    return json(404, { errorMessage: `No resource ${request.method} ${path}` });
  };

  private faulted(path: string): Response | undefined {
    const fault = this.faults.take(path);
    if (fault === undefined) return undefined;
    if (fault.kind === "malformed") return new Response('{"userId": "d33', { status: 200 });
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
    return new Response(JSON.stringify({ errorMessage: `fault ${fault.kind}` }), { status: fault.kind, headers });
  }

  private authorize(url: URL): Response {
    const q = url.searchParams;
    const redirect = q.get("redirect_uri");
    const challenge = q.get("code_challenge");
    if (
      q.get("client_id") !== this.options.clientId ||
      q.get("response_type") !== "code" ||
      redirect === null ||
      challenge === null ||
      !/^[A-Za-z0-9_-]{43}$/.test(challenge) ||
      q.get("code_challenge_method") !== "S256"
    ) {
      return new Response("invalid authorization request", { status: 400 });
    }
    return this.auth.redirectWithCode(redirect, { redirect, challenge }, q.get("state") ?? "");
  }

  private token(form: URLSearchParams): Promise<Response> | Response {
    const error = (code: string, status = 400) => json(status, { error: code });
    if (!postsClientCredentials(form, this.options)) return error("invalid_client", 401);
    return this.auth.grant(form, {
      checkCode: async (grant) => {
        if (grant === undefined || grant.redirect !== form.get("redirect_uri")) return error("invalid_grant");
        // PKCE S256 (RFC 7636 §4.6): BASE64URL(SHA-256(code_verifier)) must be the challenge.
        const verifier = form.get("code_verifier") ?? "";
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
        return base64UrlEncode(digest) === grant.challenge ? null : error("invalid_grant");
      },
      invalidRefresh: () => error("invalid_grant"),
      unsupported: () => error("unsupported_grant_type"),
      issued: (tokens) => this.issue(tokens),
    });
  }

  private issue({ n, access, refresh, expiresIn }: FakeIssuedTokens): Response {
    this.registered = true;
    return json(200, {
      access_token: access,
      expires_in: expiresIn,
      token_type: "bearer",
      refresh_token: refresh,
      scope: "PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE",
      jti: `jti-${n}`,
      refresh_token_expires_in: 7_775_998,
    });
  }

  private backfill(resource: string, url: URL): Response {
    const summary = GARMIN_SUMMARIES.find((s) => s.backfill === resource);
    if (summary === undefined) return json(404, { errorMessage: `Unknown summary type ${resource}` });
    const start = Number(url.searchParams.get("summaryStartTimeInSeconds"));
    const end = Number(url.searchParams.get("summaryEndTimeInSeconds"));
    if (!Number.isInteger(start) || !Number.isInteger(end) || start > end) {
      return json(400, { errorMessage: "summaryStartTimeInSeconds and summaryEndTimeInSeconds are required" });
    }
    if (end > 1e11) {
      return json(400, {
        errorMessage: `timestamp '${end}' appears to be in milliseconds. Please provide unix timestamps in seconds.`,
      });
    }
    if (end - start > 90 * DAY_S) return json(400, { errorMessage: "The maximum range of a backfill is 90 days" });
    if (this.options.denied.includes(summary.key)) {
      return json(412, { errorMessage: `The user has not given permission for ${summary.key}` });
    }
    const id = `${resource}:${start}:${end}`;
    if (this.backfills.has(id)) return json(409, { errorMessage: "Duplicate backfill request" });
    this.backfills.add(id);
    this.notify(
      summary.key,
      this.summaries(summary.key).filter((s) => s.at >= start && s.at <= end),
    );
    return new Response(null, { status: 202 });
  }

  private pull(url: URL): Response {
    const key = url.pathname.split("/").pop() as GarminSummaryKey;
    const pulled = this.pulls.get(url.searchParams.get("token") ?? "");
    if (pulled === undefined || pulled.key !== key) return json(401, { errorMessage: "Invalid pull token" });
    return json(
      200,
      pulled.summaries.map(({ at: _at, ...s }) => ({ userId: this.options.userId, ...s })),
    );
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

const unauthorized = () => json(401, { errorMessage: "The authorization for the request failed" });
