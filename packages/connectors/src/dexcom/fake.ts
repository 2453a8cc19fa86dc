/**
 * A local fake of Dexcom's API v3, speaking its documented wire format (see ./index.ts for the
 * references): one host for OAuth and data, the login page (`/v2/oauth2/login` redirects back with a
 * code and the state), the token endpoint (`/v2/oauth2/token`, client credentials in the form body; a
 * refresh spends the refresh token and issues a new one), `/v3/users/self/egvs` with its required
 * `startDate`/`endDate` (`YYYY-MM-DDThh:mm:ss`, UTC, at most 30 days apart, else 400), access-token
 * expiry (401), and scripted faults: 429 (with a `Retry-After` only when asked: Dexcom documents none),
 * 5xx, a malformed answer, an empty answer. Its data is computed from its settings (one reading every 5
 * minutes, as a CGM takes them), so a test checks exact values; its clock is its own (`now`).
 *
 * It is a `fetch`-shaped handler (`fake.fetch(request)`), handed to the connector as its `VendorHttp`.
 */

import { type FakeIssuedTokens, FakeVendor, readForm, utcMidnightDaysBefore } from "../fake-support";

export interface FakeDexcomOptions {
  clientId: string;
  clientSecret: string;
  /** The fake's clock; readings run up to it. */
  now: Date;
  /** Days of readings before `now` as first given (from midnight UTC `days` days before that day). */
  days: number;
  /** Lifetime of an access token, in seconds (Dexcom's is 7200). */
  accessTokenSeconds?: number;
}

export interface FakeDexcomFault {
  /** `egvs` or `token`. */
  path: "egvs" | "token";
  /** HTTP status, or `malformed` (200 with a body that is not JSON), or `empty` (200, no records). */
  kind: number | "malformed" | "empty";
  retryAfter?: string;
  /** How many requests in a row it answers (default 1). */
  times?: number;
  /** Requests to the path answered normally before it (default 0): a failure in the middle of a sync. */
  after?: number;
}

interface FakeEgv {
  recordId: string;
  systemTime: string;
  displayTime: string;
  transmitterId: string;
  transmitterTicks: number;
  value: number | null;
  status: string | null;
  trend: string | null;
  trendRate: number | null;
  unit: "mg/dL";
  rateUnit: "mg/dL/min";
  displayDevice: "iOS" | "receiver";
  transmitterGeneration: "g7";
}

const DAY_MS = 86_400_000;
const FIVE_MINUTES_MS = 5 * 60_000;
const MAX_WINDOW_MS = 30 * DAY_MS;
const QUERY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Glucose of reading i in mg/dL (a deterministic 70–189 pattern), or null: every 100th reading the sensor gave none. */
export const fakeGlucose = (i: number): number | null => (i % 100 === 99 ? null : 70 + ((i * 17) % 120));
/** Readings from even indexes come from the phone app (UTC offset), odd ones from a receiver (no offset). */
export const fakeDisplayDevice = (i: number): "iOS" | "receiver" => (i % 2 === 0 ? "iOS" : "receiver");

export class FakeDexcom extends FakeVendor<Required<FakeDexcomOptions>, FakeDexcomFault> {
  private readonly late: FakeEgv[] = [];

  constructor(options: FakeDexcomOptions) {
    super({ accessTokenSeconds: 7200, ...options });
  }

  /** The first reading's time (midnight UTC, `days` before the day the fake was made): fixed as the clock moves. */
  get firstReading(): Date {
    return utcMidnightDaysBefore(this.options.now, this.options.days);
  }

  /** A reading a receiver uploads late (it appears in later answers). */
  addLateReading(systemTime: string, value: number): void {
    this.late.push(egv(`late-${this.late.length}`, systemTime.replace(/Z$/, ""), value, "receiver", 0));
  }

  /** Every reading the fake holds, in time order. */
  readings(): FakeEgv[] {
    const out: FakeEgv[] = [];
    const first = this.firstReading.getTime();
    for (let i = 0, t = first; t < this.now.getTime(); i++, t += FIVE_MINUTES_MS) {
      const iso = new Date(t).toISOString().slice(0, 19);
      const device = fakeDisplayDevice(i);
      // Dexcom: phone-app records carry a UTC offset, receiver records none.
      out.push(egv(`egv-${i}`, device === "iOS" ? `${iso}+00:00` : iso, fakeGlucose(i), device, i * 300));
    }
    return [...out, ...this.late].sort((a, b) => timeOf(a.systemTime) - timeOf(b.systemTime));
  }

  /** Answers one request as Dexcom would. */
  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    this.log.push(`${request.method} ${url.pathname}${url.search}`);
    if (url.pathname === "/v2/oauth2/login") return this.login(url);
    if (url.pathname === "/v2/oauth2/token" && request.method === "POST") {
      const form = await readForm(request);
      return this.faulted("token") ?? this.token(form);
    }
    if (url.pathname !== "/v3/users/self/egvs" || request.method !== "GET") return json({ message: "Not Found" }, 404);
    if (this.auth.bearer(request) === undefined) return json({ message: "Unauthorized" }, 401);
    return this.faulted("egvs") ?? this.egvs(url);
  };

  private faulted(path: "egvs" | "token"): Response | undefined {
    const fault = this.faults.take(path);
    if (fault === undefined) return undefined;
    if (fault.kind === "malformed") {
      return new Response('{"recordType":"egv","records":[{"value": 1', { status: 200, headers: JSON_TYPE });
    }
    if (fault.kind === "empty") return json({ recordType: "egv", recordVersion: "3.0", userId: USER_ID, records: [] });
    const headers: Record<string, string> = { ...JSON_TYPE };
    if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
    return new Response(JSON.stringify({ message: `fault ${fault.kind}` }), { status: fault.kind, headers });
  }

  private login(url: URL): Response {
    const redirect = url.searchParams.get("redirect_uri");
    if (
      url.searchParams.get("client_id") !== this.options.clientId ||
      redirect === null ||
      url.searchParams.get("response_type") !== "code" ||
      url.searchParams.get("scope") !== "offline_access"
    ) {
      return json({ error: "invalid_request" }, 400);
    }
    return this.auth.redirectWithCode(redirect, redirect, url.searchParams.get("state") ?? "");
  }

  private token(form: URLSearchParams): Promise<Response> | Response {
    // Dexcom's refresh tokens are spent by a refresh: a new one comes back with the new access token.
    return this.auth.standardTokenEndpoint(form, this.options, (tokens) => this.issue(tokens));
  }

  private issue({ n, access, refresh, expiresIn }: FakeIssuedTokens): Response {
    // As Dexcom's v3 reference shows it: no `scope`, and fields beyond RFC 6749 §5.1 (ignored by clients).
    return json({
      access_token: access,
      expires_in: expiresIn,
      token_type: "Bearer",
      refresh_token: refresh,
      refresh_expires_in: 0,
      "not-before-policy": "1726871301,",
      session_state: `session-${n}`,
    });
  }

  private egvs(url: URL): Response {
    const startDate = url.searchParams.get("startDate") ?? "";
    const endDate = url.searchParams.get("endDate") ?? "";
    if (!QUERY_TIME.test(startDate) || !QUERY_TIME.test(endDate)) {
      return json({ message: "startDate and endDate are required, as YYYY-MM-DDThh:mm:ss" }, 400);
    }
    const start = timeOf(startDate);
    const end = timeOf(endDate);
    if (end <= start || end - start > MAX_WINDOW_MS) {
      return json({ message: "endDate must be after startDate, at most 30 days" }, 400);
    }
    const records = this.readings().filter((r) => {
      const t = timeOf(r.systemTime);
      return t >= start && t < end;
    });
    return json({ recordType: "egv", recordVersion: "3.0", userId: USER_ID, records });
  }
}

const USER_ID = "f8ca7a1e0d2e4c5b9a3b1c2d3e4f5a6b";
const JSON_TYPE = { "Content-Type": "application/json" };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_TYPE });
}

/** A date-time with or without an offset (none is UTC, as Dexcom's system time). */
function timeOf(s: string): number {
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(s) ? s : `${s}Z`);
}

function egv(
  recordId: string,
  systemTime: string,
  value: number | null,
  device: "iOS" | "receiver",
  ticks: number,
): FakeEgv {
  return {
    recordId,
    systemTime,
    displayTime: systemTime,
    transmitterId: "8TXG7A",
    transmitterTicks: ticks,
    value,
    status: null,
    trend: value === null ? null : "flat",
    trendRate: value === null ? null : 0,
    unit: "mg/dL",
    rateUnit: "mg/dL/min",
    displayDevice: device,
    transmitterGeneration: "g7",
  };
}
