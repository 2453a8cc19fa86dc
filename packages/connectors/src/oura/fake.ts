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
  /**
   * Where the fake's webhook side reaches a subscriber's callback URL (Oura's verification GET when a
   * subscription is created); without it, creating a subscription fails as if the URL were unreachable.
   */
  callbacks?: (request: Request) => Promise<Response>;
}

/** The Oura user id of the fake's one account (`personal_info.id`, webhook events' `user_id`). */
export const FAKE_OURA_USER_ID = "fake-oura-user-1";

/** A webhook subscription the fake holds (WebhookSubscriptionModel). */
export interface FakeOuraSubscription {
  id: string;
  callback_url: string;
  event_type: string;
  data_type: string;
  expiration_time: string;
}

/** How long a subscription lives before it must be renewed (Oura's subscriptions expire; renew extends them). */
const SUBSCRIPTION_MS = 90 * 86_400_000;

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

export class FakeOura extends FakeVendor<Required<Omit<FakeOuraOptions, "callbacks">>, FakeFault> {
  /** The application's webhook subscriptions, by id. */
  readonly subscriptions = new Map<string, FakeOuraSubscription>();
  private readonly callbacks: ((request: Request) => Promise<Response>) | undefined;
  private readonly extraHeartRate: Array<{ timestamp: string; bpm: number }> = [];
  private hrIndex: { key: string; samples: Array<Record<string, unknown>>; times: number[] } | undefined;

  constructor({ callbacks, ...options }: FakeOuraOptions) {
    super({ accessTokenSeconds: 86_400, ...options });
    this.callbacks = callbacks;
  }

  /**
   * The POST Oura sends each subscription of `dataType` (and `eventType`) when the account's data
   * changes: the event body, `x-oura-timestamp`, and `x-oura-signature`, the hex HMAC-SHA256 of the
   * timestamp followed by the body, keyed with the client secret (Oura's "Webhooks"). One per
   * subscription's callback URL (none without a subscription).
   */
  async notifications(dataType: string, eventType = "create"): Promise<Request[]> {
    const timestamp = String(Math.floor(this.now.getTime() / 1000));
    const body = JSON.stringify({
      event_type: eventType,
      data_type: dataType,
      object_id: `${dataType}-${this.auth.next()}`,
      event_time: isoOffset(this.now),
      user_id: FAKE_OURA_USER_ID,
    });
    const signature = await hmacHex(this.options.clientSecret, timestamp + body);
    return [...this.subscriptions.values()]
      .filter((s) => s.data_type === dataType && s.event_type === eventType)
      .map(
        (s) =>
          new Request(s.callback_url, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              "x-oura-timestamp": timestamp,
              "x-oura-signature": signature,
            },
            body,
          }),
      );
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
    if (url.pathname.startsWith("/v2/webhook/subscription")) return this.webhookSubscription(request, url);
    if (url.pathname === "/v2/usercollection/personal_info" && request.method === "GET") {
      if (this.auth.bearer(request) === undefined) return json({ detail: "Unauthorized" }, 401);
      return this.faulted("personal_info") ?? json({ id: FAKE_OURA_USER_ID, age: 40, weight: 70, height: 1.75 });
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
      scope: "daily heartrate spo2 personal",
    });
  }

  /**
   * Oura's webhook subscription API (`/v2/webhook/subscription`, the application's own, authenticated by
   * `x-client-id` and `x-client-secret`): list, create (Oura first calls the callback URL with
   * `verification_token` and `challenge` and wants `{"challenge": …}` back, else 400), renew
   * (`PUT /renew/{id}`, a new expiration) and delete.
   */
  private async webhookSubscription(request: Request, url: URL): Promise<Response> {
    if (
      request.headers.get("x-client-id") !== this.options.clientId ||
      request.headers.get("x-client-secret") !== this.options.clientSecret
    ) {
      return json({ detail: "Invalid client credentials" }, 403);
    }
    const expiration = () => new Date(this.now.getTime() + SUBSCRIPTION_MS).toISOString();
    if (url.pathname === "/v2/webhook/subscription" && request.method === "GET") {
      return json([...this.subscriptions.values()]);
    }
    if (url.pathname === "/v2/webhook/subscription" && request.method === "POST") {
      const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
      const { callback_url, verification_token, event_type, data_type } = body ?? {};
      if (
        typeof callback_url !== "string" ||
        typeof verification_token !== "string" ||
        typeof event_type !== "string" ||
        typeof data_type !== "string"
      ) {
        return json({ detail: "callback_url, verification_token, event_type and data_type are required" }, 422);
      }
      const challenge = `challenge-${this.auth.next()}`;
      const check = new URL(callback_url);
      check.searchParams.set("verification_token", verification_token);
      check.searchParams.set("challenge", challenge);
      const answer = await this.callbacks?.(new Request(check)).catch(() => undefined);
      const echoed = answer?.ok ? ((await answer.json().catch(() => null)) as { challenge?: unknown } | null) : null;
      if (echoed?.challenge !== challenge) return json({ detail: "Callback URL verification failed" }, 400);
      const subscription = {
        id: `sub-${this.auth.next()}`,
        callback_url,
        event_type,
        data_type,
        expiration_time: expiration(),
      };
      this.subscriptions.set(subscription.id, subscription);
      return json(subscription, 201);
    }
    const renew = /^\/v2\/webhook\/subscription\/renew\/([^/]+)$/.exec(url.pathname)?.[1];
    const id = renew ?? /^\/v2\/webhook\/subscription\/([^/]+)$/.exec(url.pathname)?.[1];
    const found = id === undefined ? undefined : this.subscriptions.get(id);
    if (found === undefined) return json({ detail: "Not Found" }, 404);
    if (renew !== undefined && request.method === "PUT") {
      found.expiration_time = expiration();
      return json(found);
    }
    if (renew === undefined && request.method === "DELETE") {
      this.subscriptions.delete(found.id);
      return new Response(null, { status: 204 });
    }
    return json({ detail: "Method Not Allowed" }, 405);
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

/** Hex HMAC-SHA256 (RFC 2104). */
async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Oura writes instants with a `+00:00` offset. */
function isoOffset(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}
