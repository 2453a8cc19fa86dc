/**
 * The Oura connector against its local fake (./fake.ts), which speaks Oura's documented wire format:
 * OAuth (authorize, token, refresh, revoke), paging with next_token, date ranges, token expiry, 429
 * with Retry-After, 5xx, malformed and empty pages. Values are checked exactly against the fake's data.
 */
import { describe, expect, it } from "vitest";
import { type ConnectorSettings, VendorError } from "../contract";
import { retryAfterSeconds } from "../oauth";
import { callbackUri, connectThrough, fakeVendorSettings, syncAll as syncPages } from "../test-support";
import { FakeOura, fakeBpm, fakeSpo2, fakeSteps } from "./fake";
import { OURA, oura } from "./index";

const NOW = new Date("2026-11-20T12:00:00Z");
const settings: ConnectorSettings = fakeVendorSettings("oura");
const REDIRECT = callbackUri("oura");

function fake() {
  return new FakeOura({
    ...settings,
    clientId: settings.clientId,
    now: NOW,
    days: 3,
    heartRateEveryMinutes: 60,
    pageSize: 20,
  });
}

/** Connects through the fake's authorize and token endpoints; returns the tokens. */
function connect(vendor: FakeOura) {
  return connectThrough(oura, vendor.fetch, settings, { redirectUri: REDIRECT, now: NOW });
}

function syncAll(vendor: FakeOura, accessToken: string, cursor: Record<string, string> = {}) {
  return syncPages(oura.sync, { http: vendor.fetch, settings, accessToken, cursor, now: NOW });
}

describe("Oura connector", () => {
  it("builds Oura's authorization URL from the configured base URL", () => {
    const url = new URL(oura.authorizeUrl(settings, { state: "abc", redirectUri: REDIRECT }));
    expect(url.origin + url.pathname).toBe("https://fake-oura.test/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client-1",
      redirect_uri: REDIRECT,
      scope: "daily heartrate spo2 personal",
      state: "abc",
    });
  });

  it("exchanges the code for tokens with an absolute expiry; a code works once", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(tokens).toEqual({
      access_token: "access-2",
      refresh_token: "refresh-2",
      expires_at: new Date(NOW.getTime() + 86_400_000).toISOString(),
      scope: "daily heartrate spo2 personal",
    });
    await expect(
      oura.exchangeCode(vendor.fetch, settings, { code: "code-1", redirectUri: REDIRECT, now: NOW }),
    ).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("backfills every collection through all pages, with the fake's exact values", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const { observations, outcome, pages } = await syncAll(vendor, tokens.access_token);
    const hr = vendor.heartRate();
    // 3 days and 12 hours of hourly samples, 20 a page: 84 samples in 5 pages.
    expect(hr).toHaveLength(84);
    expect(pages.filter((p) => p.endpoint === "heartrate")).toHaveLength(5);
    const heart = observations.filter((o) => typeof o.variable !== "string" && o.variable.code === "8867-4");
    expect(heart.map((o) => o.value)).toEqual(hr.map((_, i) => fakeBpm(i)));
    expect(heart[0]).toEqual({
      variable: { system: "http://loinc.org", code: "8867-4" },
      value: fakeBpm(0),
      unit: "/min",
      start_at: "2026-11-17T00:00:00.000Z",
      metadata: { vendor: "oura", oura_source: "awake" },
    });
    const steps = observations.filter((o) => typeof o.variable !== "string" && o.variable.code === "41950-7");
    // Today (2026-11-20) is not over: its partial documents wait for a later sync.
    expect(steps.map((o) => [o.start_at, o.end_at, o.value])).toEqual([
      ["2026-11-17T00:00:00Z", "2026-11-18T00:00:00Z", fakeSteps(0)],
      ["2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z", fakeSteps(1)],
      ["2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z", fakeSteps(2)],
    ]);
    const spo2 = observations.filter((o) => typeof o.variable !== "string" && o.variable.code === "59408-5");
    expect(spo2.map((o) => o.value)).toEqual([0, 1, 2].map(fakeSpo2));
    expect(outcome).toEqual({
      cursor: { heartrate: "2026-11-20T11:00:00.000Z", daily_activity: "2026-11-19", daily_spo2: "2026-11-19" },
      requests: 7,
      more: false,
    });
    // The backfill asked for backfill_days of data, and the date ranges were Oura's.
    expect(vendor.log).toContain(`GET /v2/usercollection/daily_activity?start_date=2026-10-21&end_date=2026-11-20`);
  });

  it("a second sync asks only from the cursor minus the overlap", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    vendor.log.length = 0;
    const second = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    expect(vendor.log[0]).toBe(
      `GET /v2/usercollection/heartrate?start_datetime=${encodeURIComponent("2026-11-20T05:00:00.000Z")}&end_datetime=${encodeURIComponent(NOW.toISOString())}`,
    );
    // 6 hours of overlap (05:00 … 11:00), the last 3 days of daily documents (2 days of overlap).
    expect(second.observations.filter((o) => o.unit === "/min")).toHaveLength(7);
    expect(second.outcome.cursor).toEqual(first.outcome.cursor);
  });

  it("an expired token is a 401 (unauthorized); refresh gives a new one and retires the old refresh token", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.expireAccessTokens();
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    const fresh = await oura.refresh(vendor.fetch, settings, tokens, NOW);
    expect(fresh.access_token).not.toBe(tokens.access_token);
    expect((await syncAll(vendor, fresh.access_token)).observations.length).toBeGreaterThan(0);
    await expect(oura.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("429 carries Retry-After; 5xx is unavailable; a malformed page is malformed", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "heartrate", kind: 429, retryAfter: "120" });
    const limited = await syncAll(vendor, tokens.access_token).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(VendorError);
    expect(limited).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 120 });
    vendor.fault({ path: "daily_spo2", kind: 503 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "daily_activity", kind: "malformed" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "malformed" });
  });

  it("an empty page with a next_token is followed", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "heartrate", kind: "empty" });
    const { pages, observations } = await syncAll(vendor, tokens.access_token);
    expect(pages[0]?.observations).toEqual([]);
    expect(observations.filter((o) => o.unit === "/min")).toHaveLength(84);
  });

  it("revoke ends the grant at the vendor", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(vendor.liveTokens).toBe(1);
    await oura.revoke(vendor.fetch, settings, tokens);
    expect(vendor.liveTokens).toBe(0);
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
  });

  it("reads Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3)", () => {
    expect(retryAfterSeconds("120", NOW)).toBe(120);
    expect(retryAfterSeconds("Fri, 20 Nov 2026 12:01:30 GMT", NOW)).toBe(90);
    expect(retryAfterSeconds("Fri, 20 Nov 2026 11:00:00 GMT", NOW)).toBe(0);
    expect(retryAfterSeconds("soon", NOW)).toBeNull();
    expect(retryAfterSeconds(null, NOW)).toBeNull();
  });

  it("declares Oura's published quota and scopes", () => {
    expect(OURA.rate_limit).toEqual({ requests: 5000, per_seconds: 300 });
    expect(OURA.auth.pkce).toBe(false);
  });
});
