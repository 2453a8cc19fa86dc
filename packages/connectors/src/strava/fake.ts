/**
 * A local fake of Strava's API v3, speaking its documented wire format (see ./index.ts for the
 * references): the OAuth endpoints (authorize redirects back with a code, the state and the accepted
 * scope; token exchange and refresh with client credentials in the form body, answering `expires_at`
 * and a NEW refresh token on every refresh, the old one retired; deauthorize with a live access token),
 * `GET /api/v3/athlete/activities` with `before`/`after` (epoch seconds), `page` and `per_page` (at most
 * 200; a bare JSON array, newest first), access tokens that expire after six hours (401 with a Fault),
 * Strava's `X-RateLimit-*`/`X-ReadRateLimit-*` headers and its 429 without `Retry-After`, and scripted
 * faults: 429, 5xx, a malformed page, an empty page. Its data is computed from its settings, so a test
 * checks exact values. Its clock is its own (`now`), never the wall clock.
 *
 * It is a `fetch`-shaped handler (`fake.fetch(request)`), handed to the connector as its `VendorHttp`.
 */

import {
  type FakeIssuedTokens,
  FakeVendor,
  postsClientCredentials,
  readForm,
  redirectBack,
  utcMidnightDaysBefore,
} from "../fake-support";

export interface FakeStravaOptions {
  clientId: string;
  clientSecret: string;
  /** The fake's clock; activities run up to it. */
  now: Date;
  /** Days of activities before `now` (one a day, from midnight UTC `days` days before that day). */
  days: number;
  /** Lifetime of an access token, in seconds (Strava's: six hours). */
  accessTokenSeconds?: number;
}

export interface FakeStravaFault {
  /** `activities`, `token` or `deauthorize`. */
  path: string;
  /** HTTP status, or `malformed` (200 with a body that is not JSON), or `empty` (200 with `[]`). */
  kind: number | "malformed" | "empty";
  /** For a 429: the read usage to report ("15-minute,daily"); default the 15-minute limit spent. */
  readUsage?: string;
  /** How many requests in a row it answers (default 1). */
  times?: number;
  /** Requests to the path answered normally before it (default 0): a failure in the middle of a sync. */
  after?: number;
}

export interface FakeActivity {
  id: number;
  name: string;
  sport_type: string;
  type: string;
  start_date: string;
  start_date_local: string;
  timezone: string;
  elapsed_time: number;
  moving_time: number;
  distance: number;
  total_elevation_gain: number;
  kilojoules?: number;
  has_heartrate: boolean;
  average_heartrate?: number;
  max_heartrate?: number;
  manual: boolean;
  private: boolean;
}

/** The read limit the fake reports (Strava's default: 100 per 15 minutes, 1,000 a day). */
export const FAKE_STRAVA_READ_LIMIT = "100,1000";

const DAY_MS = 86_400_000;
const SPORTS = ["Run", "Ride", "Swim", "WeightTraining", "Walk"] as const;

/** Activity of day d (0 = the first day): a deterministic week of sports, times and heart rates. */
export function fakeActivity(firstDay: Date, d: number): FakeActivity {
  const sport = SPORTS[d % SPORTS.length] ?? "Run";
  const start = new Date(firstDay.getTime() + d * DAY_MS + 7 * 3600_000 + (d % 4) * 900_000);
  const elapsed = 1800 + 60 * (d % 30);
  const distance = {
    Run: 5000 + 100 * (d % 20),
    Ride: 20000 + 500 * (d % 20),
    Swim: 1000 + 25 * (d % 20),
    WeightTraining: 0,
    Walk: 3000 + 50 * (d % 20),
  }[sport];
  const heart = d % 4 !== 3;
  return {
    id: 9_000_000_000 + d,
    name: `${sport} ${d}`,
    sport_type: sport,
    type: sport,
    start_date: start.toISOString().replace(/\.\d{3}Z$/, "Z"),
    start_date_local: new Date(start.getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    timezone: "(GMT+01:00) Europe/Paris",
    elapsed_time: elapsed,
    moving_time: elapsed - 120,
    distance,
    total_elevation_gain: 12.5,
    ...(sport === "Ride" ? { kilojoules: 400 + d } : {}),
    has_heartrate: heart,
    ...(heart ? { average_heartrate: 120 + (d % 30) + 0.5, max_heartrate: 160 + (d % 20) } : {}),
    manual: false,
    private: d % 7 === 0,
  };
}

export class FakeStrava extends FakeVendor<Required<FakeStravaOptions>, FakeStravaFault> {
  private readonly late: FakeActivity[] = [];
  private readUsage = 0;

  constructor(options: FakeStravaOptions) {
    super({ accessTokenSeconds: 21_600, ...options });
  }

  /** Midnight UTC `days` before the day the fake was made: fixed, so each day's activity stays the same. */
  get firstDay(): Date {
    return utcMidnightDaysBefore(this.options.now, this.options.days);
  }

  /** An activity uploaded late (it appears in later responses). */
  addActivity(activity: FakeActivity): void {
    this.late.push(activity);
  }

  /** Every activity the fake holds that started before its clock, newest first (Strava's listing order). */
  activities(): FakeActivity[] {
    const out: FakeActivity[] = [...this.late];
    for (let d = 0; ; d++) {
      const a = fakeActivity(this.firstDay, d);
      if (Date.parse(a.start_date) >= this.now.getTime()) break;
      out.push(a);
    }
    return out.sort((a, b) => Date.parse(b.start_date) - Date.parse(a.start_date));
  }

  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    this.log.push(`${request.method} ${url.pathname}${url.search}`);
    if (url.pathname === "/oauth/authorize" && request.method === "GET") return this.authorize(url);
    if ((url.pathname === "/oauth/token" || url.pathname === "/oauth/deauthorize") && request.method === "POST") {
      const form = await readForm(request);
      if (url.pathname === "/oauth/token") return this.faulted("token") ?? this.token(form);
      return this.faulted("deauthorize") ?? this.deauthorize(form);
    }
    if (url.pathname !== "/api/v3/athlete/activities" || request.method !== "GET") {
      return fault(404, "Record Not Found", "resource", "invalid");
    }
    if (this.auth.bearer(request) === undefined) {
      return fault(401, "Authorization Error", "access_token", "invalid");
    }
    this.readUsage++;
    return this.faulted("activities") ?? this.list(url);
  };

  private rateHeaders(usage?: string): Record<string, string> {
    return {
      "Content-Type": "application/json; charset=utf-8",
      "X-RateLimit-Limit": "200,2000",
      "X-RateLimit-Usage": `${this.readUsage},${this.readUsage}`,
      "X-ReadRateLimit-Limit": FAKE_STRAVA_READ_LIMIT,
      "X-ReadRateLimit-Usage": usage ?? `${this.readUsage},${this.readUsage}`,
    };
  }

  private faulted(path: string): Response | undefined {
    const f = this.faults.take(path);
    if (f === undefined) return undefined;
    if (f.kind === "malformed") return new Response('[{"id": 90', { status: 200, headers: this.rateHeaders() });
    if (f.kind === "empty") return new Response("[]", { status: 200, headers: this.rateHeaders() });
    if (f.kind === 429) {
      // Strava's 429: a JSON error and its rate-limit headers, no Retry-After.
      return new Response(
        JSON.stringify({
          message: "Rate Limit Exceeded",
          errors: [{ resource: "Application", field: "rate limit", code: "exceeded" }],
        }),
        {
          status: 429,
          headers: this.rateHeaders(f.readUsage ?? `101,${this.readUsage}`),
        },
      );
    }
    return new Response(JSON.stringify({ message: "Internal Server Error" }), {
      status: f.kind,
      headers: this.rateHeaders(),
    });
  }

  private authorize(url: URL): Response {
    const redirect = url.searchParams.get("redirect_uri");
    if (
      url.searchParams.get("client_id") !== this.options.clientId ||
      redirect === null ||
      url.searchParams.get("response_type") !== "code"
    ) {
      return fault(400, "Bad Request", "client_id", "invalid");
    }
    const code = this.auth.issueCode(redirect);
    return redirectBack(redirect, [
      ["state", url.searchParams.get("state") ?? ""],
      ["code", code],
      ["scope", `read,${url.searchParams.get("scope") ?? ""}`],
    ]);
  }

  private token(form: URLSearchParams): Promise<Response> | Response {
    if (!postsClientCredentials(form, this.options)) {
      return fault(401, "Bad Request", "client_id", "invalid");
    }
    return this.auth.grant(form, {
      checkCode: (redirect) =>
        redirect === undefined ? fault(400, "Bad Request", "code", "invalid", "AuthorizationCode") : null,
      invalidRefresh: () => fault(400, "Bad Request", "refresh_token", "invalid", "RefreshToken"),
      unsupported: () => fault(400, "Bad Request", "grant_type", "invalid"),
      // The athlete comes with the code exchange only.
      issued: (tokens, grantType) => this.issue(tokens, grantType === "authorization_code"),
    });
  }

  private deauthorize(form: URLSearchParams): Response {
    const token = form.get("access_token") ?? "";
    if (!this.auth.isLive(this.auth.accessToken(token))) {
      return fault(401, "Authorization Error", "access_token", "invalid");
    }
    // Strava: every token of this athlete and application stops working.
    this.revokeEverything();
    return new Response(JSON.stringify({ access_token: token }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  }

  private issue({ access, refresh, expiresAt, expiresIn }: FakeIssuedTokens, withAthlete: boolean): Response {
    return new Response(
      JSON.stringify({
        token_type: "Bearer",
        expires_at: Math.floor(expiresAt / 1000),
        expires_in: expiresIn,
        refresh_token: refresh,
        access_token: access,
        ...(withAthlete ? { athlete: { id: 134815, resource_state: 2, firstname: "Fake", lastname: "Athlete" } } : {}),
      }),
      { status: 200, headers: { "Content-Type": "application/json" } },
    );
  }

  private list(url: URL): Response {
    const int = (name: string, fallback: number) => {
      const raw = url.searchParams.get(name);
      return raw === null ? fallback : /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
    };
    const before = int("before", Number.MAX_SAFE_INTEGER);
    const after = int("after", 0);
    const page = int("page", 1);
    const perPage = int("per_page", 30);
    if ([before, after, page, perPage].some(Number.isNaN) || page < 1 || perPage < 1) {
      return fault(400, "Bad Request", "page", "invalid");
    }
    const size = Math.min(perPage, 200); // Strava's largest page
    const items = this.activities().filter((a) => {
      const t = Date.parse(a.start_date) / 1000;
      return t > after && t < before;
    });
    return new Response(JSON.stringify(items.slice((page - 1) * size, page * size)), {
      status: 200,
      headers: this.rateHeaders(),
    });
  }
}

/** Strava's error body (`Fault`). */
function fault(status: number, message: string, field: string, code: string, resource = "Athlete"): Response {
  return new Response(JSON.stringify({ message, errors: [{ resource, field, code }] }), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}
