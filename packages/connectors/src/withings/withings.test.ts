/**
 * The Withings connector against its local fake (./fake.ts), which speaks Withings' documented wire
 * format: the authorize redirect, `action=requesttoken` (code and refresh grants), signed revoke with a
 * nonce, `{status, body}` envelopes, getmeas with startdate/enddate then lastupdate, getactivity and
 * sleep getsummary with date ranges, `more`/`offset` paging, token expiry (`status: 401`), Withings' 601,
 * HTTP 429 with Retry-After, 5xx, malformed and empty pages. Values are checked exactly against the
 * fake's data.
 */
import { describe, expect, it } from "vitest";
import type { ConnectorSettings } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings, syncAll as syncPages } from "../test-support";
import {
  FAKE_WITHINGS_USERID,
  FakeWithings,
  fakeWithingsBloodPressure,
  fakeWithingsCalories,
  fakeWithingsSleep,
  fakeWithingsSpo2,
  fakeWithingsSteps,
} from "./fake";
import { WITHINGS, withings, withingsSignature, zonedMidnight } from "./index";

const NOW = new Date("2026-11-20T12:00:00Z");
const NOW_S = NOW.getTime() / 1000;
const settings: ConnectorSettings = fakeVendorSettings("withings");
const REDIRECT = callbackUri("withings");

function fake(options: { days?: number; pageSize?: number } = {}) {
  return new FakeWithings({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    now: NOW,
    days: options.days ?? 3,
    pageSize: options.pageSize ?? 5,
  });
}

/** Connects through the fake's authorize and token endpoints; returns the tokens. */
function connect(vendor: FakeWithings) {
  return connectThrough(withings, vendor.fetch, settings, { redirectUri: REDIRECT, now: NOW });
}

function syncAll(vendor: FakeWithings, accessToken: string, cursor: Record<string, string> = {}) {
  return syncPages(withings.sync, { http: vendor.fetch, settings, accessToken, cursor, now: NOW });
}

const coded = (code: string) => (o: { variable: unknown }) =>
  typeof o.variable === "object" && o.variable !== null && (o.variable as { code: string }).code === code;

describe("Withings connector", () => {
  it("builds Withings' authorization URL, scopes separated by commas", () => {
    const url = new URL(withings.authorizeUrl(settings, { state: "abc", redirectUri: REDIRECT }));
    expect(url.origin + url.pathname).toBe("https://fake-withings.test/oauth2_user/authorize2");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client-1",
      scope: "user.metrics,user.activity",
      redirect_uri: REDIRECT,
      state: "abc",
    });
  });

  it("exchanges the code with action=requesttoken, keeping Withings' userid; a code works once", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(tokens).toEqual({
      access_token: "access-2",
      refresh_token: "refresh-2",
      expires_at: new Date(NOW.getTime() + 10_800_000).toISOString(),
      scope: "user.metrics,user.activity",
      vendor_user_id: String(FAKE_WITHINGS_USERID),
    });
    expect(vendor.log[1]).toBe(
      `POST /v2/oauth2 action=requesttoken&client_id=client-1&grant_type=authorization_code&redirect_uri=${encodeURIComponent(REDIRECT)}`,
    );
    await expect(
      withings.exchangeCode(vendor.fetch, settings, { code: "code-1", redirectUri: REDIRECT, now: NOW }),
    ).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("backfills measures, activity and sleep through all pages, with the fake's exact values", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const { observations, outcome, pages } = await syncAll(vendor, tokens.access_token);
    // 4 days (17–20 Nov) of 3 groups, and temperatures on days 0 and 2: 14 groups, 5 a page.
    expect(pages.filter((p) => p.endpoint === "measure")).toHaveLength(3);
    const weight = observations.filter(coded("29463-7"));
    expect(weight.map((o) => [o.start_at, o.value, o.unit])).toEqual([
      ["2026-11-20T07:00:00.000Z", 79.85, "kg"],
      ["2026-11-19T07:00:00.000Z", 79.9, "kg"],
      ["2026-11-18T07:00:00.000Z", 79.95, "kg"],
      ["2026-11-17T07:00:00.000Z", 80, "kg"],
    ]);
    expect(weight[0]?.metadata).toEqual({
      vendor: "withings",
      withings_grpid: 37,
      withings_meastype: 1,
      withings_attrib: 0,
      timezone: "Europe/Paris",
    });
    expect(observations.filter(coded("41982-0")).map((o) => o.value)).toEqual([22.3, 22.2, 22.1, 22]);
    expect(observations.filter(coded("8480-6")).map((o) => o.value)).toEqual(
      [3, 2, 1, 0].map((d) => fakeWithingsBloodPressure(d).systolic),
    );
    expect(observations.filter(coded("8462-4")).map((o) => [o.value, o.unit])).toEqual(
      [3, 2, 1, 0].map((d) => [fakeWithingsBloodPressure(d).diastolic, "mm[Hg]"]),
    );
    expect(observations.filter(coded("8867-4")).map((o) => [o.value, o.unit])).toEqual(
      [3, 2, 1, 0].map((d) => [fakeWithingsBloodPressure(d).pulse, "/min"]),
    );
    expect(observations.filter(coded("59408-5")).map((o) => o.value)).toEqual([3, 2, 1, 0].map(fakeWithingsSpo2));
    expect(observations.filter(coded("8310-5")).map((o) => [o.start_at, o.value, o.unit])).toEqual([
      ["2026-11-19T20:00:00.000Z", 37, "Cel"],
      ["2026-11-17T20:00:00.000Z", 36.8, "Cel"],
    ]);
    // Steps over the local (Paris, UTC+1) day; today's partial day waits for a later sync.
    expect(observations.filter(coded("41950-7")).map((o) => [o.start_at, o.end_at, o.value])).toEqual([
      ["2026-11-16T23:00:00.000Z", "2026-11-17T23:00:00.000Z", fakeWithingsSteps(0)],
      ["2026-11-17T23:00:00.000Z", "2026-11-18T23:00:00.000Z", fakeWithingsSteps(1)],
      ["2026-11-18T23:00:00.000Z", "2026-11-19T23:00:00.000Z", fakeWithingsSteps(2)],
    ]);
    expect(observations.filter(coded("41981-2")).map((o) => [o.start_at, o.value, o.unit])).toEqual([
      ["2026-11-16T23:00:00.000Z", fakeWithingsCalories(0), "kcal"],
      ["2026-11-17T23:00:00.000Z", fakeWithingsCalories(1), "kcal"],
      ["2026-11-18T23:00:00.000Z", fakeWithingsCalories(2), "kcal"],
    ]);
    const asleep = observations.filter(coded("93832-4"));
    expect(asleep.map((o) => [o.start_at, o.end_at, o.value, o.unit])).toEqual(
      [0, 1, 2, 3].map((d) => [
        new Date(Date.parse("2026-11-16T22:00:00Z") + d * 86_400_000).toISOString(),
        new Date(Date.parse("2026-11-17T06:00:00Z") + d * 86_400_000).toISOString(),
        fakeWithingsSleep(d).total_sleep_time,
        "s",
      ]),
    );
    expect(observations.filter(coded("93829-0")).map((o) => o.value)).toEqual(
      [0, 1, 2, 3].map((d) => fakeWithingsSleep(d).remsleepduration),
    );
    expect(observations).toHaveLength(26 + 6 + 16);
    expect(outcome).toEqual({
      cursor: { measure: String(NOW_S), activity: "2026-11-19", sleep: "2026-11-20" },
      requests: 5,
      more: false,
    });
    // The backfill asked for backfill_days of measures, real ones only, the mapped types only.
    expect(vendor.log[2]).toBe(
      `POST /measure action=getmeas&meastypes=1%2C6%2C9%2C10%2C11%2C12%2C54%2C71&category=1&startdate=${NOW_S - 30 * 86_400}&enddate=${NOW_S}`,
    );
    expect(pages[0]?.request).toBe(
      `/measure?action=getmeas&meastypes=1%2C6%2C9%2C10%2C11%2C12%2C54%2C71&category=1&startdate=${NOW_S - 30 * 86_400}&enddate=${NOW_S}`,
    );
  });

  it("a second sync asks for measures by lastupdate and daily data from the cursor minus the overlap", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    vendor.log.length = 0;
    const second = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    expect(vendor.log[0]).toBe(
      `POST /measure action=getmeas&meastypes=1%2C6%2C9%2C10%2C11%2C12%2C54%2C71&category=1&lastupdate=${NOW_S - 3600}`,
    );
    expect(vendor.log[1]).toBe(
      "POST /v2/measure action=getactivity&startdateymd=2026-11-17&enddateymd=2026-11-21&data_fields=steps%2Ccalories",
    );
    // Nothing was measured since: no measure; the overlap's daily values are the same ones again
    // (the platform skips them as duplicates).
    expect(second.pages.find((p) => p.endpoint === "measure")?.observations).toEqual([]);
    const firstKeys = new Set(first.observations.map((o) => JSON.stringify(o)));
    expect(second.observations.every((o) => firstKeys.has(JSON.stringify(o)))).toBe(true);
    expect(second.outcome.cursor).toEqual(first.outcome.cursor);
  });

  it("a measure uploaded late (an old date, modified now) arrives through lastupdate", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    const twoDaysAgo = NOW_S - 2 * 86_400;
    vendor.addMeasure(twoDaysAgo, NOW_S - 60, [{ type: 1, value: 81234, unit: -3 }]);
    const second = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    expect(second.observations.filter(coded("29463-7")).map((o) => [o.start_at, o.value])).toEqual([
      [new Date(twoDaysAgo * 1000).toISOString(), 81.234],
    ]);
  });

  it("an expired token is status 401 (unauthorized); refresh gives new tokens and retires the old refresh token", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.expireAccessTokens();
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    const fresh = await withings.refresh(vendor.fetch, settings, tokens, NOW);
    expect(fresh.access_token).not.toBe(tokens.access_token);
    expect(fresh.refresh_token).not.toBe(tokens.refresh_token);
    expect(fresh.vendor_user_id).toBe(String(FAKE_WITHINGS_USERID));
    expect((await syncAll(vendor, fresh.access_token)).observations).toHaveLength(48);
    await expect(withings.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({
      kind: "invalid_grant",
    });
  });

  it("HTTP 429 carries Retry-After; Withings' status 601 waits the minute its quota resets", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "measure", kind: 429, retryAfter: "120" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({
      kind: "rate_limited",
      retryAfterSeconds: 120,
    });
    vendor.fault({ path: "sleep", kind: "withings", status: 601 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({
      kind: "rate_limited",
      retryAfterSeconds: 60,
    });
  });

  it("5xx and Withings' unknown error are unavailable; a malformed page is malformed", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "activity", kind: 502 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "measure", kind: "withings", status: 2555 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "measure", kind: "malformed" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "malformed" });
  });

  it("an empty page that says more is followed", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "measure", kind: "empty" });
    const { pages, observations } = await syncAll(vendor, tokens.access_token);
    expect(pages[0]?.observations).toEqual([]);
    expect(observations).toHaveLength(48);
  });

  it("a day in a time zone Intl does not know is skipped in plain words, not guessed", async () => {
    const vendor = new FakeWithings({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      now: NOW,
      days: 3,
      pageSize: 5,
      timezone: "Mars/Olympus_Mons",
    });
    const tokens = await connect(vendor);
    const { pages } = await syncAll(vendor, tokens.access_token);
    const activity = pages.find((p) => p.endpoint === "activity");
    expect(activity?.observations).toEqual([]);
    expect(activity?.skipped).toEqual(Array(4).fill("a daily activity in a time zone that is not known"));
  });

  it("stops at Withings' 120 requests a minute, and the next run goes on from the cursor", async () => {
    const vendor = fake({ days: 40, pageSize: 1 });
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    expect(first.outcome.requests).toBe(120);
    expect(first.outcome.more).toBe(true);
    const second = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    expect(second.outcome.more).toBe(false);
    expect(second.outcome.cursor).toEqual({ measure: String(NOW_S), activity: "2026-11-19", sleep: "2026-11-20" });
  });

  it("revoke signs a nonce and ends the grant at Withings", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(vendor.liveTokens).toBe(1);
    await withings.revoke(vendor.fetch, settings, tokens);
    expect(vendor.liveTokens).toBe(0);
    expect(vendor.log.slice(-2)).toEqual([
      expect.stringMatching(/^POST \/v2\/signature action=getnonce&client_id=client-1&timestamp=\d+$/),
      `POST /v2/oauth2 action=revoke&client_id=client-1&userid=${FAKE_WITHINGS_USERID}`,
    ]);
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    const { vendor_user_id: _, ...anonymous } = tokens;
    await expect(withings.revoke(vendor.fetch, settings, anonymous)).rejects.toMatchObject({ kind: "malformed" });
  });

  it("signs as Withings documents: HMAC-SHA256 hex over the values joined by commas", async () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(await withingsSignature("Jefe", ["what do ya want for nothing?"])).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("finds a local day's start across a DST change", () => {
    expect(zonedMidnight("2026-03-29", "Europe/Paris")?.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(zonedMidnight("2026-03-30", "Europe/Paris")?.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(zonedMidnight("2026-11-20", "Not/AZone")).toBeNull();
  });

  it("declares Withings' published quota and scopes", () => {
    expect(WITHINGS.rate_limit).toEqual({ requests: 120, per_seconds: 60 });
    expect(WITHINGS.auth.pkce).toBe(false);
  });
});
