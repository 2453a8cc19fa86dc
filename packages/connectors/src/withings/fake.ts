/**
 * A local fake of Withings' Public API, speaking its documented wire format (see ./index.ts for the
 * references): the authorize redirect, `POST /v2/oauth2` with `action=requesttoken` (code and refresh
 * grants, a new refresh token on each refresh) and `action=revoke` (checked nonce and HMAC signature),
 * `POST /v2/signature action=getnonce`, and the three services the connector reads (`/measure getmeas`
 * with `startdate`/`enddate` or `lastupdate`, `/v2/measure getactivity` and `/v2/sleep getsummary` with
 * `startdateymd`/`enddateymd`), each paged with `more`/`offset`, every answer wrapped in `{status, body}`.
 * Access tokens expire (`status: 401` in an HTTP 200, as Withings does); scripted faults: Withings'
 * own `status: 601` (too many requests), HTTP 429 with `Retry-After`, 5xx, a malformed page, an empty
 * page. Its data is computed from its settings, so a test checks exact values; its clock is its own.
 *
 * A `fetch`-shaped handler (`fake.fetch(request)`), handed to the connector as its `VendorHttp`.
 */
import {
  emptyPageMarker,
  type FakeIssuedTokens,
  FakeVendor,
  pageOrFault,
  postsClientCredentials,
  readForm,
} from "../fake-support";
import { withingsSignature } from "./index";

export interface FakeWithingsOptions {
  clientId: string;
  clientSecret: string;
  /** The fake's clock; data runs up to it. */
  now: Date;
  /** Days of data before the day of `now` (from local midnight `days` days before). */
  days: number;
  /** Items per page. */
  pageSize: number;
  /** Lifetime of an access token, in seconds (Withings: 3 hours). */
  accessTokenSeconds?: number;
  /** The person's IANA zone, as Withings reports it. */
  timezone?: string;
  /**
   * Where the fake reaches a callback URL (its HEAD check when subscribing); without it, every
   * subscription fails as Withings does for an unreachable URL.
   */
  callbacks?: (request: Request) => Promise<Response>;
}

/** A Notify subscription the fake holds. */
export interface FakeWithingsSubscription {
  callbackurl: string;
  appli: number;
  comment: string;
}

export interface FakeWithingsFault {
  /** `measure`, `activity`, `sleep`, `token`, `signature` or `revoke`. */
  path: string;
  /**
   * An HTTP status; `withings` (HTTP 200 with `status` below, e.g. 601); `malformed` (200 whose body is
   * not JSON); `empty` (a page with no items that says more follow at the same offset).
   */
  kind: number | "withings" | "malformed" | "empty";
  status?: number;
  retryAfter?: string;
  /** How many requests in a row it answers (default 1). */
  times?: number;
  /** Requests to the path answered normally before it (default 0): a failure in the middle of a sync. */
  after?: number;
}

interface Group {
  grpid: number;
  date: number;
  modified: number;
  measures: Array<{ type: number; value: number; unit: number }>;
}

const DAY_S = 86_400;
export const FAKE_WITHINGS_USERID = 4242;

/** Weight of day d in grams (unit -3): 80.000 kg falling 50 g a day. */
export const fakeWithingsWeightGrams = (d: number) => 80_000 - 50 * d;
/** Fat ratio of day d in tenths of a percent (unit -1). */
export const fakeWithingsFatTenths = (d: number) => 220 + d;
/** Blood pressure and pulse of day d. */
export const fakeWithingsBloodPressure = (d: number) => ({
  systolic: 120 + (d % 5),
  diastolic: 80 - (d % 3),
  pulse: 60 + (d % 7),
});
/** Body temperature of day d in hundredths of a degree (unit -2), every second day. */
export const fakeWithingsTemperature = (d: number) => (d % 2 === 0 ? 3680 + (d % 4) * 10 : null);
/** SpO2 of day d (%). */
export const fakeWithingsSpo2 = (d: number) => 97 - (d % 3);
/** Steps of day d. */
export const fakeWithingsSteps = (d: number) => 5000 + 211 * d;
/** Active calories of day d (kcal). */
export const fakeWithingsCalories = (d: number) => 300 + 12.5 * d;
/** Sleep of the night ending on day d, in seconds. */
export const fakeWithingsSleep = (d: number) => ({
  total_sleep_time: 25_200 + 60 * d,
  deepsleepduration: 5_400 + 30 * d,
  lightsleepduration: 14_400,
  remsleepduration: 5_400 - 30 * d,
});

export class FakeWithings extends FakeVendor<Required<Omit<FakeWithingsOptions, "callbacks">>, FakeWithingsFault> {
  /** The person's Notify subscriptions. */
  readonly subscriptions: FakeWithingsSubscription[] = [];
  private readonly nonces = new Set<string>();
  private readonly extraGroups: Group[] = [];
  private readonly callbacks: ((request: Request) => Promise<Response>) | undefined;

  constructor({ callbacks, ...options }: FakeWithingsOptions) {
    super({ accessTokenSeconds: 10_800, timezone: "Europe/Paris", ...options });
    this.callbacks = callbacks;
  }

  /**
   * The POSTs Withings sends for new data of category `appli` between `startdate` and `enddate` (Unix
   * seconds): form-encoded `userid`, `appli`, `startdate`, `enddate`, unsigned, one per subscription of
   * that category ("Notification categories").
   */
  notifications(appli: number, startdate: number, enddate: number): Request[] {
    return this.subscriptions
      .filter((s) => s.appli === appli)
      .map(
        (s) =>
          new Request(s.callbackurl, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              userid: String(FAKE_WITHINGS_USERID),
              appli: String(appli),
              startdate: String(startdate),
              enddate: String(enddate),
            }).toString(),
          }),
      );
  }

  /** A measure group the scale uploads late: dated `date`, created at `modified` (Unix seconds). */
  addMeasure(date: number, modified: number, measures: Group["measures"]): void {
    this.extraGroups.push({ grpid: 900_000 + this.extraGroups.length, date, modified, measures });
  }

  /** The days with data, from the first (index 0) to the day of the fake's construction, as local dates. */
  days(): Array<{ day: string; index: number }> {
    const today = this.options.now.toISOString().slice(0, 10);
    const out: Array<{ day: string; index: number }> = [];
    for (let d = 0; d <= this.options.days; d++) {
      const at = new Date(Date.parse(`${today}T00:00:00Z`) - (this.options.days - d) * DAY_S * 1000);
      out.push({ day: at.toISOString().slice(0, 10), index: d });
    }
    return out;
  }

  /** Every measure group: per day a weigh-in at 07:00Z, a blood pressure at 08:00Z, SpO2 at 09:00Z, a temperature at 20:00Z. */
  groups(): Group[] {
    const now = Math.floor(this.now.getTime() / 1000);
    const out: Group[] = [];
    for (const { day, index: d } of this.days()) {
      const midnight = Date.parse(`${day}T00:00:00Z`) / 1000;
      const bp = fakeWithingsBloodPressure(d);
      const temperature = fakeWithingsTemperature(d);
      const made: Array<[number, Group["measures"]]> = [
        [
          7,
          [
            { type: 1, value: fakeWithingsWeightGrams(d), unit: -3 },
            { type: 6, value: fakeWithingsFatTenths(d), unit: -1 },
          ],
        ],
        [
          8,
          [
            { type: 9, value: bp.diastolic, unit: 0 },
            { type: 10, value: bp.systolic, unit: 0 },
            { type: 11, value: bp.pulse, unit: 0 },
          ],
        ],
        [9, [{ type: 54, value: fakeWithingsSpo2(d), unit: 0 }]],
      ];
      if (temperature !== null) made.push([20, [{ type: 71, value: temperature, unit: -2 }]]);
      for (const [hour, measures] of made) {
        const date = midnight + hour * 3600;
        out.push({ grpid: d * 10 + hour, date, modified: date + 600, measures });
      }
    }
    return [...out, ...this.extraGroups].filter((g) => g.modified <= now);
  }

  /** Answers one request as Withings would. */
  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === "/oauth2_user/authorize2") {
      this.log.push(`GET ${url.pathname}`);
      return this.authorize(url);
    }
    if (request.method !== "POST") return new Response("Not Found", { status: 404 });
    const form = await readForm(request);
    const action = form.get("action") ?? "";
    const shown = [...form].filter(
      ([k]) => !["client_secret", "code", "refresh_token", "signature", "nonce"].includes(k),
    );
    this.log.push(`POST ${url.pathname} ${new URLSearchParams(shown)}`);
    if (url.pathname === "/v2/oauth2" && action === "requesttoken") return this.faulted("token") ?? this.token(form);
    if (url.pathname === "/v2/oauth2" && action === "revoke") return this.faulted("revoke") ?? this.revoke(form);
    if (url.pathname === "/v2/signature" && action === "getnonce")
      return this.faulted("signature") ?? this.getnonce(form);
    const service =
      url.pathname === "/measure" && action === "getmeas"
        ? "measure"
        : url.pathname === "/v2/measure" && action === "getactivity"
          ? "activity"
          : url.pathname === "/v2/sleep" && action === "getsummary"
            ? "sleep"
            : undefined;
    if (url.pathname === "/notify") return this.notify(request, form);
    if (service === undefined) return withings(2554, "Unknown action");
    if (this.auth.bearer(request) === undefined) {
      return withings(401, "XRequestID: Not provided invalid_token: The access token provided is invalid");
    }
    return pageOrFault(this.faulted(service), (empty) => this.service(service, form, empty));
  };

  /**
   * Notify ("Notify - Subscribe", "- Revoke", "- List"), with the person's token: a subscription's URL
   * is checked first with a HEAD request (a 2xx wanted), and a category is subscribed once per URL.
   */
  private async notify(request: Request, form: URLSearchParams): Promise<Response> {
    if (this.auth.bearer(request) === undefined) {
      return withings(401, "XRequestID: Not provided invalid_token: The access token provided is invalid");
    }
    const fault = this.faulted("notify");
    if (fault !== undefined) return fault;
    const action = form.get("action");
    if (action === "list") return withings(0, undefined, { profiles: this.subscriptions.map((s) => ({ ...s })) });
    const callbackurl = form.get("callbackurl") ?? "";
    const appli = Number(form.get("appli"));
    if (!/^https?:\/\//.test(callbackurl) || callbackurl.length > 255 || !Number.isInteger(appli)) {
      return withings(503, "Invalid Params: callbackurl/appli");
    }
    const index = this.subscriptions.findIndex((s) => s.callbackurl === callbackurl && s.appli === appli);
    if (action === "subscribe") {
      const head = await this.callbacks?.(new Request(callbackurl, { method: "HEAD" })).catch(() => undefined);
      if (head === undefined || !head.ok) return withings(2553, "The callback URL is unreachable");
      if (index === -1) this.subscriptions.push({ callbackurl, appli, comment: form.get("comment") ?? "" });
      return withings(0);
    }
    if (action === "revoke") {
      if (index === -1) return withings(294, "No such subscription");
      this.subscriptions.splice(index, 1);
      return withings(0);
    }
    return withings(2554, "Unknown action");
  }

  private faulted(path: string): Response | undefined {
    const fault = this.faults.take(path);
    if (fault === undefined) return undefined;
    if (fault.kind === "malformed") return new Response('{"status":0,"body":{"measuregrps":[{"grpid', { status: 200 });
    if (fault.kind === "empty") return emptyPageMarker();
    if (fault.kind === "withings") return withings(fault.status ?? 2555, "fault");
    const headers: Record<string, string> = { "Content-Type": "text/plain" };
    if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
    return new Response(`fault ${fault.kind}`, { status: fault.kind, headers });
  }

  private authorize(url: URL): Response {
    const redirect = url.searchParams.get("redirect_uri");
    if (url.searchParams.get("client_id") !== this.options.clientId || redirect === null) {
      return new Response("invalid client", { status: 400 });
    }
    return this.auth.redirectWithCode(redirect, redirect, url.searchParams.get("state") ?? "");
  }

  private token(form: URLSearchParams): Promise<Response> | Response {
    if (!postsClientCredentials(form, this.options)) {
      return withings(401, "invalid client");
    }
    return this.auth.grant(form, {
      checkCode: (redirect) =>
        redirect === undefined || redirect !== form.get("redirect_uri")
          ? withings(503, "Invalid Params: invalid code")
          : null,
      invalidRefresh: () => withings(503, "Invalid Params: invalid refresh_token"),
      unsupported: () => withings(503, "Invalid Params: grant_type"),
      issued: (tokens) => this.issue(tokens),
    });
  }

  private issue({ n, access, refresh, expiresIn }: FakeIssuedTokens): Response {
    return withings(0, undefined, {
      userid: String(FAKE_WITHINGS_USERID),
      access_token: access,
      refresh_token: refresh,
      expires_in: expiresIn,
      scope: "user.metrics,user.activity",
      csrf_token: `csrf-${n}`,
      token_type: "Bearer",
    });
  }

  private async getnonce(form: URLSearchParams): Promise<Response> {
    const clientId = form.get("client_id") ?? "";
    const timestamp = form.get("timestamp") ?? "";
    const expected = await withingsSignature(this.options.clientSecret, ["getnonce", clientId, timestamp]);
    if (clientId !== this.options.clientId || form.get("signature") !== expected) return withings(100, "signature");
    const nonce = `nonce-${this.auth.next()}`;
    this.nonces.add(nonce);
    return withings(0, undefined, { nonce });
  }

  private async revoke(form: URLSearchParams): Promise<Response> {
    const nonce = form.get("nonce") ?? "";
    const expected = await withingsSignature(this.options.clientSecret, ["revoke", this.options.clientId, nonce]);
    // A nonce works once (it prevents replays, "Signature v2 - Getnonce").
    if (!this.nonces.delete(nonce) || form.get("signature") !== expected) return withings(100, "signature");
    if (form.get("userid") !== String(FAKE_WITHINGS_USERID)) return withings(503, "Invalid Params: userid");
    this.auth.revokeEverything();
    return withings(0, undefined, {});
  }

  private service(name: "measure" | "activity" | "sleep", form: URLSearchParams, empty: boolean): Response {
    let items: Array<Record<string, unknown>>;
    if (name === "measure") {
      if (form.get("category") !== "1") return withings(503, "Invalid Params: category");
      const types = new Set((form.get("meastypes") ?? "").split(",").map(Number));
      const lastupdate = form.get("lastupdate");
      const start = Number(form.get("startdate"));
      const end = Number(form.get("enddate"));
      let groups = this.groups();
      if (lastupdate !== null) {
        // "Data that were updated or created after this date."
        groups = groups.filter((g) => g.modified > Number(lastupdate));
      } else if (form.has("startdate") && form.has("enddate") && Number.isInteger(start) && Number.isInteger(end)) {
        groups = groups.filter((g) => g.date >= start && g.date <= end);
      } else {
        return withings(503, "Invalid Params: startdate/enddate or lastupdate");
      }
      items = groups
        .sort((a, b) => b.date - a.date) // most recent first, as Withings lists them
        .map((g) => ({
          grpid: g.grpid,
          attrib: 0,
          date: g.date,
          created: g.modified,
          modified: g.modified,
          category: 1,
          deviceid: "fake-device",
          measures: g.measures.filter((m) => types.has(m.type)).map((m) => ({ ...m, algo: 0, fm: 3 })),
          comment: null,
        }))
        .filter((g) => g.measures.length > 0);
    } else {
      const start = form.get("startdateymd") ?? "";
      const end = form.get("enddateymd") ?? "";
      if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
        return withings(503, "Invalid Params: startdateymd/enddateymd");
      }
      // Both ends included.
      const days = this.days().filter((d) => d.day >= start && d.day <= end);
      const zone = this.options.timezone;
      items =
        name === "activity"
          ? days.map((d) => ({
              date: d.day,
              timezone: zone,
              deviceid: "fake-tracker",
              brand: 18,
              is_tracker: true,
              steps: fakeWithingsSteps(d.index),
              calories: fakeWithingsCalories(d.index),
              totalcalories: 1800 + fakeWithingsCalories(d.index),
            }))
          : days
              .map((d) => {
                const enddate = Date.parse(`${d.day}T06:00:00Z`) / 1000;
                return {
                  id: 70_000 + d.index,
                  timezone: zone,
                  model: 32,
                  startdate: enddate - 8 * 3600,
                  enddate,
                  date: d.day,
                  created: enddate + 900,
                  modified: enddate + 900,
                  data: fakeWithingsSleep(d.index),
                };
              })
              .filter((s) => s.modified * 1000 <= this.now.getTime());
    }
    const offset = Number(form.get("offset") ?? "0");
    if (!Number.isInteger(offset) || offset < 0) return withings(503, "Invalid Params: offset");
    const key = name === "measure" ? "measuregrps" : name === "activity" ? "activities" : "series";
    // getmeas says more as 0/1, the v2 services as booleans.
    const flag = (more: boolean) => (name === "measure" ? (more ? 1 : 0) : more);
    const extra =
      name === "measure" ? { updatetime: Math.floor(this.now.getTime() / 1000), timezone: this.options.timezone } : {};
    if (empty) return withings(0, undefined, { ...extra, [key]: [], more: flag(true), offset });
    const page = items.slice(offset, offset + this.options.pageSize);
    const more = offset + this.options.pageSize < items.length;
    return withings(0, undefined, {
      ...extra,
      [key]: page,
      more: flag(more),
      offset: more ? offset + this.options.pageSize : 0,
    });
  }
}

/** Withings' envelope: always HTTP 200, success or not. */
function withings(status: number, error?: string, body: unknown = {}): Response {
  return new Response(JSON.stringify({ status, body, ...(error === undefined ? {} : { error }) }), {
    status: 200,
    headers: { "Content-Type": "application/json" },
  });
}
