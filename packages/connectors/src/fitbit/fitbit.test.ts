/**
 * The Fitbit connector against its local fake (./fake.ts), which speaks the Fitbit Web API's documented
 * wire format: OAuth with PKCE and Basic client authentication (authorize, token, refresh with single-use
 * refresh tokens, revoke), the person's UTC offset, one-day intraday heart rate, date ranges with
 * Fitbit's maxima, sleep-list paging with pagination.next, token expiry, 429 with Retry-After or only
 * Fitbit-Rate-Limit-Reset, the hourly quota, 5xx, malformed and empty pages. Values are checked exactly
 * against the fake's data.
 */
import type { ObservationInput } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { type ConnectorSettings, VendorError } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings, syncAll as syncPages } from "../test-support";
import {
  FakeFitbit,
  fakeFitbitBpm,
  fakeFitbitFat,
  fakeFitbitResting,
  fakeFitbitSleep,
  fakeFitbitSpo2,
  fakeFitbitSteps,
  fakeFitbitWeight,
} from "./fake";
import { FITBIT, fitbit } from "./index";

/**
 * 12:00 UTC is 13:00 for the person (Europe/Berlin, UTC+1 in November): their today is 2026-11-20,
 * their data starts 2026-11-17.
 */
const NOW = new Date("2026-11-20T12:00:00Z");
const OFFSET_MS = 3_600_000;
const settings: ConnectorSettings = fakeVendorSettings("fitbit");
const REDIRECT = callbackUri("fitbit");
/** An RFC 7636 §4.1 verifier and its S256 challenge (RFC 7636 Appendix B). */
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

function fake(options: { hourlyLimit?: number; days?: number; timezone?: string } = {}) {
  return new FakeFitbit({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    now: NOW,
    offsetMs: OFFSET_MS,
    timezone: "Europe/Berlin",
    days: 3,
    heartRateEveryMinutes: 60,
    pageSize: 2,
    ...options,
  });
}

/** Connects through the fake's authorize and token endpoints with PKCE; returns the tokens. */
function connect(vendor: FakeFitbit) {
  return connectThrough(fitbit, vendor.fetch, settings, {
    redirectUri: REDIRECT,
    codeChallenge: CHALLENGE,
    codeVerifier: VERIFIER,
    now: NOW,
  });
}

function syncAll(vendor: FakeFitbit, accessToken: string, cursor: Record<string, string> = {}, now = NOW) {
  return syncPages(fitbit.sync, { http: vendor.fetch, settings, accessToken, cursor, now });
}

const code = (o: ObservationInput) => (typeof o.variable === "string" ? o.variable : o.variable.code);
const ofCode = (observations: ObservationInput[], c: string) => observations.filter((o) => code(o) === c);

describe("Fitbit connector", () => {
  it("builds Fitbit's authorization URL with PKCE from the configured base URL", () => {
    const url = new URL(
      fitbit.authorizeUrl(settings, { state: "abc", redirectUri: REDIRECT, codeChallenge: CHALLENGE }),
    );
    expect(url.origin + url.pathname).toBe("https://fake-fitbit.test/oauth2/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client-1",
      redirect_uri: REDIRECT,
      scope: "activity heartrate sleep weight oxygen_saturation profile",
      state: "abc",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    });
  });

  it("exchanges the code with Basic client auth and the PKCE verifier; a code works once", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(tokens).toEqual({
      access_token: "access-2",
      refresh_token: "refresh-2",
      expires_at: new Date(NOW.getTime() + 28_800_000).toISOString(),
      scope: "activity heartrate sleep weight oxygen_saturation profile",
      vendor_user_id: "FAKE01",
    });
    expect(vendor.log).toContain("POST /oauth2/token");
    await expect(
      fitbit.exchangeCode(vendor.fetch, settings, {
        code: "code-1",
        redirectUri: REDIRECT,
        codeVerifier: VERIFIER,
        now: NOW,
      }),
    ).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("a wrong PKCE verifier is invalid_grant; wrong client credentials are reported, not taken for a lost grant", async () => {
    const vendor = fake();
    const authorize = fitbit.authorizeUrl(settings, { state: "s", redirectUri: REDIRECT, codeChallenge: CHALLENGE });
    const codeOf = async () =>
      new URL((await vendor.fetch(new Request(authorize))).headers.get("Location") ?? "").searchParams.get("code") ??
      "";
    await expect(
      fitbit.exchangeCode(vendor.fetch, settings, {
        code: await codeOf(),
        redirectUri: REDIRECT,
        codeVerifier: `${VERIFIER}x`,
        now: NOW,
      }),
    ).rejects.toMatchObject({ kind: "invalid_grant" });
    const wrong = { ...settings, clientSecret: "not-the-secret" };
    const error = await fitbit
      .exchangeCode(vendor.fetch, wrong, {
        code: await codeOf(),
        redirectUri: REDIRECT,
        codeVerifier: VERIFIER,
        now: NOW,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ kind: "malformed", message: "Fitbit token request: Fitbit answered invalid_client" });
  });

  it("backfills every endpoint in the person's time zone, with the fake's exact values", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.log.length = 0;
    const { observations, outcome } = await syncAll(vendor, tokens.access_token);

    // Intraday heart rate: a sample an hour from local 00:00 (23:00 UTC the day before) up to local now (13:00).
    const heart = ofCode(observations, "8867-4");
    const expected = [0, 1, 2, 3].flatMap((d) =>
      Array.from({ length: d === 3 ? 13 : 24 }, (_, i) => fakeFitbitBpm(d, i)),
    );
    expect(heart.map((o) => o.value)).toEqual(expected);
    expect(heart[0]).toEqual({
      variable: { system: "http://loinc.org", code: "8867-4" },
      value: fakeFitbitBpm(0, 0),
      unit: "/min",
      start_at: "2026-11-16T23:00:00.000Z",
      metadata: { vendor: "fitbit" },
    });
    expect(heart.at(-1)?.start_at).toBe("2026-11-20T11:00:00.000Z");

    // Daily values span the local day; today (not over) is left for a later sync.
    const day = (d: number) => {
      const start = Date.parse("2026-11-16T23:00:00.000Z") + d * 86_400_000;
      return [new Date(start).toISOString(), new Date(start + 86_400_000).toISOString()];
    };
    expect(ofCode(observations, "40443-4").map((o) => [o.start_at, o.end_at, o.value, o.unit])).toEqual(
      [0, 1, 2].map((d) => [...day(d), fakeFitbitResting(d), "/min"]),
    );
    expect(ofCode(observations, "41950-7").map((o) => [o.start_at, o.end_at, o.value, o.unit])).toEqual(
      [0, 1, 2].map((d) => [...day(d), fakeFitbitSteps(d), "{steps}"]),
    );

    // Weighed at 07:15 local (06:15 UTC) on days 0 and 2.
    expect(ofCode(observations, "29463-7").map((o) => [o.start_at, o.value, o.unit])).toEqual([
      ["2026-11-17T06:15:00.000Z", fakeFitbitWeight(0).weight, "kg"],
      ["2026-11-19T06:15:00.000Z", fakeFitbitWeight(2).weight, "kg"],
    ]);
    expect(ofCode(observations, "39156-5").map((o) => o.value)).toEqual([22, 22.07]);
    expect(ofCode(observations, "41982-0").map((o) => [o.start_at, o.value, o.unit, o.metadata])).toEqual([
      ["2026-11-17T06:15:00.000Z", fakeFitbitFat(0), "%", { vendor: "fitbit", fitbit_log_id: 2000 }],
      ["2026-11-19T06:15:00.000Z", fakeFitbitFat(2), "%", { vendor: "fitbit", fitbit_log_id: 2002 }],
    ]);

    // SpO2: the night's average, over the local day the sleep ended (today's night has ended: 06:30 < 13:00).
    expect(ofCode(observations, "59408-5").map((o) => [o.start_at, o.value])).toEqual(
      [0, 1, 2, 3].map((d) => [day(d)[0], fakeFitbitSpo2(d)]),
    );

    // Sleep: nights ending 06:30 local on days 1–3, over two pages (2 a page), stages from "stages" logs.
    const asleep = ofCode(observations, "93832-4");
    expect(asleep.map((o) => [o.start_at, o.end_at, o.value])).toEqual([
      ["2026-11-17T22:00:00.000Z", "2026-11-18T05:30:00.000Z", fakeFitbitSleep(1).asleep],
      ["2026-11-18T22:00:00.000Z", "2026-11-19T05:30:00.000Z", fakeFitbitSleep(2).asleep],
      ["2026-11-19T22:00:00.000Z", "2026-11-20T05:30:00.000Z", fakeFitbitSleep(3).asleep],
    ]);
    expect(ofCode(observations, "93831-6").map((o) => o.value)).toEqual([1, 2, 3].map((d) => fakeFitbitSleep(d).deep));
    expect(ofCode(observations, "93830-8").map((o) => o.value)).toEqual([1, 2, 3].map((d) => fakeFitbitSleep(d).light));
    expect(ofCode(observations, "93829-0").map((o) => o.value)).toEqual([1, 2, 3].map((d) => fakeFitbitSleep(d).rem));
    expect(asleep[0]?.metadata).toEqual({ vendor: "fitbit", fitbit_log_id: 30_000_000_001, is_main_sleep: true });

    expect(observations).toHaveLength(85 + 3 + 3 + 2 + 2 + 2 + 4 + 3 * 4);
    // profile, 31 days of intraday heart rate, steps, weight, fat (31 days each), SpO2 (30 + 1), 2 sleep pages.
    expect(outcome).toEqual({
      cursor: {
        heart: "2026-11-19",
        steps: "2026-11-19",
        weight: "2026-11-19",
        fat: "2026-11-19",
        spo2: "2026-11-19",
        sleep: "2026-11-20",
      },
      requests: 1 + 31 + 1 + 1 + 1 + 2 + 2,
      more: false,
    });
    expect(vendor.log).toEqual(
      expect.arrayContaining([
        "GET /1/user/-/profile.json",
        "GET /1/user/-/activities/heart/date/2026-10-21/1d/1min.json",
        "GET /1/user/-/activities/heart/date/2026-11-20/1d/1min.json",
        "GET /1/user/-/activities/steps/date/2026-10-21/2026-11-20.json",
        "GET /1/user/-/body/log/weight/date/2026-10-21/2026-11-20.json",
        "GET /1/user/-/body/log/fat/date/2026-10-21/2026-11-20.json",
        "GET /1/user/-/spo2/date/2026-10-21/2026-11-19.json",
        "GET /1/user/-/spo2/date/2026-11-20/2026-11-20.json",
        "GET /1.2/user/-/sleep/list.json?afterDate=2026-10-21&sort=asc&offset=0&limit=100",
        "GET /1.2/user/-/sleep/list.json?afterDate=2026-10-21&sort=asc&offset=2&limit=100",
      ]),
    );
  });

  it("reads local times in the person's zone on either side of a daylight-saving change", async () => {
    // 30 days back reaches 2026-10-21, when Berlin was UTC+2 (the change was 2026-10-25).
    const vendor = fake({ days: 30 });
    const tokens = await connect(vendor);
    const { observations } = await syncAll(vendor, tokens.access_token);
    const weights = ofCode(observations, "29463-7").map((o) => o.start_at);
    expect(weights[0]).toBe("2026-10-21T05:15:00.000Z"); // 07:15 CEST
    expect(weights).toContain("2026-10-25T06:15:00.000Z"); // 07:15 CET, the day of the change
    // The local day of the change is 25 hours long.
    const steps = ofCode(observations, "41950-7").find((o) => o.start_at === "2026-10-24T22:00:00.000Z");
    expect(steps?.end_at).toBe("2026-10-25T23:00:00.000Z");
    // A zone this runtime does not know: the profile's offset now, for every time.
    const unknown = fake({ days: 30, timezone: "Mars/Olympus_Mons" });
    const t = await connect(unknown);
    const fallback = ofCode((await syncAll(unknown, t.access_token)).observations, "29463-7");
    expect(fallback[0]?.start_at).toBe("2026-10-21T06:15:00.000Z");
  });

  it("a second sync asks only from the cursor minus the overlap and brings nothing new", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    vendor.log.length = 0;
    const second = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    expect(vendor.log).toEqual([
      "GET /1/user/-/profile.json",
      "GET /1/user/-/activities/heart/date/2026-11-18/1d/1min.json",
      "GET /1/user/-/activities/heart/date/2026-11-19/1d/1min.json",
      "GET /1/user/-/activities/heart/date/2026-11-20/1d/1min.json",
      "GET /1/user/-/activities/steps/date/2026-11-18/2026-11-20.json",
      "GET /1/user/-/body/log/weight/date/2026-11-18/2026-11-20.json",
      "GET /1/user/-/body/log/fat/date/2026-11-18/2026-11-20.json",
      "GET /1/user/-/spo2/date/2026-11-18/2026-11-20.json",
      "GET /1.2/user/-/sleep/list.json?afterDate=2026-11-19&sort=asc&offset=0&limit=100",
    ]);
    // Every observation of the overlap is one the first sync brought (the pipeline skips it as a duplicate).
    for (const o of second.observations) expect(first.observations).toContainEqual(o);
    expect(second.observations.length).toBeGreaterThan(0);
    expect(second.outcome).toEqual({ cursor: first.outcome.cursor, requests: 9, more: false });
  });

  it("late data within the overlap and the day that ended are brought by the next day's sync", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    vendor.addHeartRate("2026-11-19", "12:30:00", 123);
    const tomorrow = new Date(NOW.getTime() + 86_400_000);
    vendor.now = tomorrow;
    const fresh = await fitbit.refresh(vendor.fetch, settings, tokens, tomorrow);
    const next = await syncAll(vendor, fresh.access_token, first.outcome.cursor, tomorrow);
    const known = (o: ObservationInput) => first.observations.some((f) => JSON.stringify(f) === JSON.stringify(o));
    const added = next.observations.filter((o) => !known(o));
    expect(added).toContainEqual({
      variable: { system: "http://loinc.org", code: "8867-4" },
      value: 123,
      unit: "/min",
      start_at: "2026-11-19T11:30:00.000Z",
      metadata: { vendor: "fitbit" },
    });
    // 2026-11-20 is over now: its steps and resting heart rate come in.
    expect(ofCode(added, "41950-7").map((o) => o.value)).toEqual([fakeFitbitSteps(3)]);
    expect(ofCode(added, "40443-4").map((o) => o.value)).toEqual([fakeFitbitResting(3)]);
    expect(next.outcome.cursor.heart).toBe("2026-11-20");
  });

  it("an expired token is a 401 (unauthorized); refresh gives new tokens and retires the old refresh token", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.expireAccessTokens();
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    const fresh = await fitbit.refresh(vendor.fetch, settings, tokens, NOW);
    expect(fresh.access_token).not.toBe(tokens.access_token);
    expect(fresh.refresh_token).not.toBe(tokens.refresh_token);
    expect((await syncAll(vendor, fresh.access_token)).observations.length).toBeGreaterThan(0);
    await expect(fitbit.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("429 carries Retry-After, or Fitbit-Rate-Limit-Reset when that is all Fitbit sends", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "heart", kind: 429, retryAfter: "120" });
    const limited = await syncAll(vendor, tokens.access_token).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(VendorError);
    expect(limited).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 120 });
    vendor.fault({ path: "steps", kind: "reset-only" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({
      kind: "rate_limited",
      retryAfterSeconds: 900,
    });
  });

  it("stops at the person's hourly quota with pages left, and the next hour's run goes on from the cursor", async () => {
    const vendor = fake({ hourlyLimit: 10 });
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    // Fitbit-Rate-Limit-Remaining reached 0 on the 10th request: no 11th, which would be a 429.
    expect(first.outcome).toEqual({ cursor: { heart: "2026-10-29" }, requests: 10, more: true });
    vendor.resetRateLimit();
    const second = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    expect(second.outcome.more).toBe(true);
    expect(vendor.log).toContain("GET /1/user/-/activities/heart/date/2026-10-28/1d/1min.json");
    expect(FITBIT.rate_limit).toEqual({ requests: 150, per_seconds: 3600 });
  });

  it("5xx is unavailable; a malformed page is malformed", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "spo2", kind: 503 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "weight", kind: "malformed" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "malformed" });
    vendor.fault({ path: "profile", kind: "malformed" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "malformed" });
  });

  it("an empty page imports nothing and the sync goes on; an empty sleep page with a next page is followed", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "steps", kind: "empty" });
    vendor.fault({ path: "sleep", kind: "empty" });
    const { pages, observations } = await syncAll(vendor, tokens.access_token);
    expect(pages.find((p) => p.endpoint === "steps")?.observations).toEqual([]);
    expect(ofCode(observations, "41950-7")).toEqual([]);
    expect(pages.filter((p) => p.endpoint === "sleep").map((p) => p.observations.length)).toEqual([0, 8, 4]);
    expect(ofCode(observations, "93832-4")).toHaveLength(3);
  });

  it("a data type the person did not allow at Fitbit (403) is reported and skipped; the rest syncs", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "spo2", kind: 403, times: 5 });
    vendor.fault({ path: "sleep", kind: 403, times: 5 });
    const { pages, observations, outcome } = await syncAll(vendor, tokens.access_token);
    expect(pages.filter((p) => p.endpoint === "spo2").map((p) => p.skipped)).toEqual([
      ["Fitbit spo2 data, which the person did not allow this app to read at Fitbit (connect again to allow it)"],
    ]);
    expect(ofCode(observations, "59408-5")).toEqual([]);
    expect(ofCode(observations, "93832-4")).toEqual([]);
    expect(ofCode(observations, "41950-7")).toHaveLength(3);
    // One request each, then the endpoint is left alone until the next sync; no cursor moves for it.
    expect(outcome.requests).toBe(1 + 31 + 1 + 1 + 1 + 1 + 1);
    expect(outcome.cursor.spo2).toBeUndefined();
    expect(outcome.cursor.sleep).toBeUndefined();
    vendor.fault({ path: "profile", kind: 403 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("never sends the token to a host a sleep page's pagination.next names", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const seen: string[] = [];
    const http = async (request: Request) => {
      seen.push(new URL(request.url).origin);
      return vendor.fetch(request);
    };
    await fitbit.sync({
      http,
      settings,
      accessToken: tokens.access_token,
      cursor: {},
      now: NOW,
      onPage: async () => {},
    });
    // The fake's pagination.next names https://api.fitbit.com; the request went to the configured host.
    expect(new Set(seen)).toEqual(new Set(["https://fake-fitbit.test"]));
  });

  it("revoke ends the grant at Fitbit; revoking a grant already gone resolves", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(vendor.liveTokens).toBe(1);
    await fitbit.revoke(vendor.fetch, settings, tokens);
    expect(vendor.liveTokens).toBe(0);
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    await expect(fitbit.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "invalid_grant" });
    await expect(fitbit.revoke(vendor.fetch, settings, tokens)).resolves.toBeUndefined();
  });

  it("declares Fitbit's published quota, scopes and PKCE", () => {
    expect(FITBIT.auth.pkce).toBe(true);
    expect(FITBIT.base_urls).toEqual({ auth: "https://www.fitbit.com", api: "https://api.fitbit.com" });
  });
});
