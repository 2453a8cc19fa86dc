/**
 * A local fake of Oura's API v2, speaking its documented wire format (see ./index.ts for the
 * references): the OAuth endpoints (authorize redirects back with a code and the state, token exchange
 * and refresh with client credentials in the form body, revoke), the three collections the connector
 * reads with their range parameters and `next_token` paging, access-token expiry (401), and scripted
 * faults: 429 with `Retry-After`, 5xx, a malformed page, an empty page. Its data is computed from its
 * settings, so a test checks exact values. Its clock is its own (`now`), never the wall clock.
 *
 * It is a `fetch`-shaped handler (`fake.fetch(request)`): tests hand it to the connector as its
 * `VendorHttp`, and the `npm start` demo serves it on a local port.
 */

import {
  emptyPageMarker,
  type FakeIssuedTokens,
  FakeVendor,
  pageOrFault,
  readForm,
  utcMidnightDaysBefore,
} from "../fake-support";

export interface FakeOuraOptions {
  clientId: string;
  clientSecret: string;
  /** The fake's clock; data runs up to it. */
  now: Date;
  /** Days of data before `now` as first given (from midnight UTC `days` days before that day). */
  days: number;
  /** One heart-rate sample every this many minutes. */
  heartRateEveryMinutes: number;
  /** Items per page. */
  pageSize: number;
  /** Lifetime of an access token, in seconds. */
  accessTokenSeconds?: number;
}

export interface FakeFault {
  /** The collection (`heartrate` …) or `token`. */
  path: string;
  /** HTTP status, or `malformed` (200 with a body that is not JSON), or `empty` (200, no items, same next page). */
  kind: number | "malformed" | "empty";
  retryAfter?: string;
  /** How many requests in a row it answers (default 1). */
  times?: number;
  /** Requests to the path answered normally before it (default 0): a failure in the middle of a sync. */
  after?: number;
}

const DAY_MS = 86_400_000;

/** Heart rate of sample i: a deterministic 55–94 bpm pattern. */
export const fakeBpm = (i: number) => 55 + ((i * 7) % 40);
/** Steps of day d (0 = the first day). */
export const fakeSteps = (d: number) => 4000 + 137 * d;
/** SpO2 average of day d, or null (every fifth day the ring took no reading). */
export const fakeSpo2 = (d: number) => (d % 5 === 4 ? null : 95 + (d % 4) * 0.5);

export class FakeOura extends FakeVendor<Required<FakeOuraOptions>, FakeFault> {
  private readonly extraHeartRate: Array<{ timestamp: string; bpm: number }> = [];
  private hrIndex: { key: string; samples: Array<Record<string, unknown>>; times: number[] } | undefined;

  constructor(options: FakeOuraOptions) {
    super({ accessTokenSeconds: 86_400, ...options });
  }

  /**
   * The first day with data (midnight UTC, `days` before the day the fake was made): fixed, so a day's
   * values stay the same as the clock moves on (its data then runs up to the new `now`).
   */
  get firstDay(): Date {
    return utcMidnightDaysBefore(this.options.now, this.options.days);
  }

  /** A sample the ring uploads late (it appears in later responses). */
  addHeartRate(timestamp: string, bpm: number): void {
    this.extraHeartRate.push({ timestamp, bpm });
  }

  /** Every heart-rate sample the fake holds, in time order. */
  heartRate(): Array<{ bpm: number; source: string; timestamp: string }> {
    const out: Array<{ bpm: number; source: string; timestamp: string }> = [];
    const step = this.options.heartRateEveryMinutes * 60_000;
    for (let t = this.firstDay.getTime(), i = 0; t < this.now.getTime(); t += step, i++) {
      out.push({ bpm: fakeBpm(i), source: "awake", timestamp: isoOffset(new Date(t)) });
    }
    for (const extra of this.extraHeartRate) out.push({ ...extra, source: "awake" });
    return out.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  }

  /**
   * The samples and their times, computed once per clock and late-sample count: a year of minute-level
   * data is half a million samples, and the bench pages through it for hundreds of connections.
   */
  private heartRateIndex(): { samples: Array<Record<string, unknown>>; times: number[] } {
    const key = `${this.now.getTime()}|${this.extraHeartRate.length}`;
    if (this.hrIndex?.key !== key) {
      const samples = this.heartRate();
      this.hrIndex = { key, samples, times: samples.map((s) => Date.parse(s.timestamp)) };
    }
    return this.hrIndex;
  }

  /** Every day with data, with its index. */
  days(): Array<{ day: string; index: number }> {
    const out: Array<{ day: string; index: number }> = [];
    for (let d = 0; this.firstDay.getTime() + d * DAY_MS < this.now.getTime(); d++) {
      out.push({ day: new Date(this.firstDay.getTime() + d * DAY_MS).toISOString().slice(0, 10), index: d });
    }
    return out;
  }

  /** Answers one request as Oura would. */
  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    this.log.push(`${request.method} ${url.pathname}${url.search}`);
    if (url.pathname === "/oauth/authorize") return this.authorize(url);
    if (url.pathname === "/oauth/token" && request.method === "POST") {
      const form = await readForm(request);
      return this.faulted("token") ?? this.token(form);
    }
    if (url.pathname === "/oauth/revoke") {
      const token = url.searchParams.get("access_token") ?? "";
      const known = this.auth.accessToken(token);
      if (known === undefined) return json({ detail: "Unknown token" }, 401);
      this.auth.revokeGrant(known.refresh);
      return new Response(null, { status: 200 });
    }
    const collection = /^\/v2\/usercollection\/([a-z_0-9]+)$/.exec(url.pathname)?.[1];
    if (collection === undefined || request.method !== "GET") return json({ detail: "Not Found" }, 404);
    if (this.auth.bearer(request) === undefined) return json({ detail: "Unauthorized" }, 401);
    return pageOrFault(this.faulted(collection), (empty) => this.collection(collection, url, empty));
  };

  private faulted(path: string): Response | undefined {
    const fault = this.faults.take(path);
    if (fault === undefined) return undefined;
    if (fault.kind === "malformed") return new Response('{"data": [{"bpm": 6', { status: 200, headers: JSON_TYPE });
    if (fault.kind === "empty") return emptyPageMarker();
    const headers: Record<string, string> = { ...JSON_TYPE };
    if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
    return new Response(JSON.stringify({ detail: `fault ${fault.kind}` }), { status: fault.kind, headers });
  }

  private authorize(url: URL): Response {
    const redirect = url.searchParams.get("redirect_uri");
    if (url.searchParams.get("client_id") !== this.options.clientId || redirect === null) {
      return json({ detail: "invalid client" }, 400);
    }
    return this.auth.redirectWithCode(redirect, redirect, url.searchParams.get("state") ?? "");
  }

  private token(form: URLSearchParams): Promise<Response> | Response {
    return this.auth.standardTokenEndpoint(form, this.options, (tokens) => this.issue(tokens));
  }

  private issue({ access, refresh, expiresIn }: FakeIssuedTokens): Response {
    return json({
      access_token: access,
      token_type: "bearer",
      expires_in: expiresIn,
      refresh_token: refresh,
      scope: "daily heartrate spo2",
    });
  }

  private collection(name: string, url: URL, empty: boolean): Response {
    let items: Array<Record<string, unknown>>;
    if (name === "heartrate") {
      const start = Date.parse(url.searchParams.get("start_datetime") ?? "");
      const end = Date.parse(url.searchParams.get("end_datetime") ?? "");
      if (Number.isNaN(start) || Number.isNaN(end)) return json({ detail: "start_datetime and end_datetime" }, 400);
      const { samples, times } = this.heartRateIndex();
      items = samples.slice(firstAtOrAfter(times, start), firstAtOrAfter(times, end));
    } else if (name === "daily_activity" || name === "daily_spo2") {
      const start = url.searchParams.get("start_date") ?? "";
      const end = url.searchParams.get("end_date") ?? "";
      if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
        return json({ detail: "start_date and end_date" }, 400);
      }
      // Oura's date ranges include both ends.
      const days = this.days().filter((d) => d.day >= start && d.day <= end);
      items =
        name === "daily_activity"
          ? days.map((d) => ({
              id: `act-${d.day}`,
              day: d.day,
              steps: fakeSteps(d.index),
              timestamp: `${d.day}T04:00:00+00:00`,
            }))
          : days.map((d) => {
              const average = fakeSpo2(d.index);
              return { id: `spo2-${d.day}`, day: d.day, spo2_percentage: average === null ? null : { average } };
            });
    } else {
      return json({ detail: "Not Found" }, 404);
    }
    const offset = Number(atob(url.searchParams.get("next_token") ?? btoa("0")));
    if (!Number.isInteger(offset) || offset < 0) return json({ detail: "bad next_token" }, 400);
    if (empty) return json({ data: [], next_token: btoa(String(offset)) });
    const page = items.slice(offset, offset + this.options.pageSize);
    const next = offset + this.options.pageSize < items.length ? btoa(String(offset + this.options.pageSize)) : null;
    return json({ data: page, next_token: next });
  }
}

const JSON_TYPE = { "Content-Type": "application/json" };

/** The index of the first time at or after `t` in ascending `times` (binary search). */
function firstAtOrAfter(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? Number.POSITIVE_INFINITY) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_TYPE });
}

/** Oura writes instants with a `+00:00` offset. */
function isoOffset(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}
