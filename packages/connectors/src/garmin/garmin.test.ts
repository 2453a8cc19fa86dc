/**
 * The Garmin connector against its local fake (./fake.ts), which speaks Garmin's documented wire format:
 * the consent redirect and token endpoint with PKCE (S256), the user id, deregistration, the backfill
 * resources (202, 409 duplicates, 412 not permitted, 429 and 5xx), and the notifications Garmin would
 * POST afterwards (Push: the summaries; Ping: callback URLs with a pull token). Values are checked
 * exactly against the fake's data.
 */
import { base64UrlEncode } from "@dfda/core";
import { describe, expect, it } from "vitest";
import type { ConnectorSettings, VendorPage } from "../contract";
import { VendorError } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings, syncAll } from "../test-support";
import {
  FAKE_GARMIN_SPO2_HOURS,
  FAKE_GARMIN_USER_ID,
  FakeGarmin,
  fakeGarminBodyComp,
  fakeGarminDaily,
  fakeGarminSleep,
  fakeGarminSpo2,
} from "./fake";
import {
  GARMIN,
  GARMIN_TOKEN_ORIGIN,
  garmin,
  garminPush,
  garminTokenOrigin,
  garminWebhook,
  mapGarminSummaries,
} from "./index";

const NOW = new Date("2026-11-20T12:00:00Z");
const NOW_S = NOW.getTime() / 1000;
const host = "https://fake-garmin.test";
const settings: ConnectorSettings = fakeVendorSettings("garmin");
const REDIRECT = callbackUri("garmin");
const VERIFIER = "a-code-verifier-of-at-least-forty-three-characters-0123456789";

async function challengeOf(verifier: string): Promise<string> {
  return base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

function fake(
  options: {
    days?: number;
    mode?: "push" | "ping";
    denied?: Array<"dailies" | "sleeps" | "bodyComps" | "pulseox">;
  } = {},
) {
  return new FakeGarmin({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    now: NOW,
    days: options.days ?? 3,
    mode: options.mode ?? "push",
    apiOrigin: host,
    denied: options.denied ?? [],
  });
}

async function connect(vendor: FakeGarmin, verifier = VERIFIER) {
  return connectThrough(garmin, vendor.fetch, settings, {
    redirectUri: REDIRECT,
    now: NOW,
    codeChallenge: await challengeOf(VERIFIER),
    codeVerifier: verifier,
  });
}

/** Receives notifications (by default every one the fake has pending) as the Worker would after the API split them. */
async function receiveAll(vendor: FakeGarmin, notifications = vendor.notifications()) {
  const pages: Array<{ page: VendorPage; pulled: boolean }> = [];
  let requests = 0;
  for (const notification of notifications) {
    const split = garminPush.split(notification);
    if (split === null) throw new Error("not a notification");
    for (const part of split.parts.values()) {
      const outcome = await garminPush.receive({
        http: vendor.fetch,
        settings,
        body: part,
        now: NOW,
        onPage: async (page, pulled) => {
          pages.push({ page, pulled });
        },
      });
      requests += outcome.requests;
    }
  }
  return { pages, requests, observations: pages.flatMap((p) => p.page.observations) };
}

const coded = (code: string) => (o: { variable: unknown }) =>
  typeof o.variable === "object" && o.variable !== null && (o.variable as { code: string }).code === code;
const valuesOf = (observations: VendorPage["observations"], code: string) =>
  observations.filter(coded(code)).map((o) => o.value);

describe("Garmin connector", () => {
  it("sends the person to Garmin's consent page with PKCE (S256) and no scope; tokens come from diauth", async () => {
    const url = new URL(
      garmin.authorizeUrl(settings, { state: "abc", redirectUri: REDIRECT, codeChallenge: "c".repeat(43) }),
    );
    expect(url.origin + url.pathname).toBe(`${host}/oauth2Confirm`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client-1",
      redirect_uri: REDIRECT,
      state: "abc",
      code_challenge: "c".repeat(43),
      code_challenge_method: "S256",
    });
    expect(GARMIN.auth.pkce).toBe(true);
    expect(garminTokenOrigin({ baseUrls: GARMIN.base_urls })).toBe(GARMIN_TOKEN_ORIGIN);
    expect(garminTokenOrigin(settings)).toBe(host);
  });

  it("exchanges the code with its verifier, reads Garmin's user id, and refreshes with a new refresh token", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(tokens).toEqual({
      access_token: "access-2",
      refresh_token: "refresh-2",
      expires_at: new Date(NOW.getTime() + 86_400_000).toISOString(),
      scope: "PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE",
      vendor_user_id: FAKE_GARMIN_USER_ID,
    });
    expect(vendor.log).toEqual([
      "GET /oauth2Confirm",
      "POST /di-oauth2-service/oauth/token grant_type=authorization_code",
      "GET /wellness-api/rest/user/id",
    ]);
    const fresh = await garmin.refresh(vendor.fetch, settings, tokens, NOW);
    expect(fresh).toMatchObject({
      access_token: "access-3",
      refresh_token: "refresh-3",
      vendor_user_id: FAKE_GARMIN_USER_ID,
    });
    // The spent refresh token is refused: the grant is gone for whoever holds it.
    await expect(garmin.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("refuses a code without the right verifier (PKCE), and a code exchange without any", async () => {
    await expect(connect(fake(), `${VERIFIER}-wrong`)).rejects.toMatchObject({ kind: "invalid_grant" });
    const vendor = fake();
    const url = garmin.authorizeUrl(settings, {
      state: "s",
      redirectUri: REDIRECT,
      codeChallenge: await challengeOf(VERIFIER),
    });
    const code =
      new URL((await vendor.fetch(new Request(url))).headers.get("Location") ?? "").searchParams.get("code") ?? "";
    await expect(
      garmin.exchangeCode(vendor.fetch, settings, { code, redirectUri: REDIRECT, now: NOW }),
    ).rejects.toMatchObject({
      kind: "invalid_grant",
    });
  });

  it("backfills by request only (three a minute), and the pushed summaries map to the fake's exact values", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.log.length = 0;
    const first = await syncAll(garmin.sync, {
      http: vendor.fetch,
      settings,
      accessToken: tokens.access_token,
      cursor: {},
      now: NOW,
    });
    const start = NOW_S - 30 * 86_400;
    expect(first.outcome).toEqual({
      requests: 3,
      more: true,
      cursor: {
        backfill_dailies: NOW.toISOString(),
        backfill_sleeps: NOW.toISOString(),
        backfill_bodyComps: NOW.toISOString(),
      },
    });
    expect(first.pages).toEqual([]);
    expect(vendor.log).toEqual(
      ["dailies", "sleeps", "bodyComps"].map(
        (t) =>
          `GET /wellness-api/rest/backfill/${t}?summaryStartTimeInSeconds=${start}&summaryEndTimeInSeconds=${NOW_S}`,
      ),
    );
    const second = await syncAll(garmin.sync, {
      http: vendor.fetch,
      settings,
      accessToken: tokens.access_token,
      cursor: first.outcome.cursor,
      now: NOW,
    });
    expect(second.outcome).toMatchObject({ requests: 1, more: false });
    expect(second.outcome.cursor.backfill_pulseOx).toBe(NOW.toISOString());
    // Backfilled: nothing more is ever asked for (Garmin forbids unprompted pulls).
    const third = await syncAll(garmin.sync, {
      http: vendor.fetch,
      settings,
      accessToken: tokens.access_token,
      cursor: second.outcome.cursor,
      now: NOW,
    });
    expect(third.outcome).toEqual({ requests: 0, more: false, cursor: second.outcome.cursor });

    const { pages, observations, requests } = await receiveAll(vendor);
    expect(requests).toBe(0);
    expect(pages.map((p) => [p.page.endpoint, p.page.request, p.pulled])).toEqual([
      ["dailies", "push", false],
      ["sleeps", "push", false],
      ["bodyComps", "push", false],
      ["pulseox", "push", false],
    ]);
    const days = [0, 1, 2];
    // Today's daily is not complete (Garmin sends it again, fuller, after each device sync): not imported.
    expect(valuesOf(observations, "41950-7")).toEqual(days.map((d) => fakeGarminDaily(d).steps));
    expect(valuesOf(observations, "41981-2")).toEqual(days.map((d) => fakeGarminDaily(d).activeKilocalories));
    expect(valuesOf(observations, "40443-4")).toEqual(
      days.map((d) => fakeGarminDaily(d).restingHeartRateInBeatsPerMinute),
    );
    expect(valuesOf(observations, "HKQuantityTypeIdentifierDistanceWalkingRunning")).toEqual(
      days.map((d) => fakeGarminDaily(d).distanceInMeters),
    );
    const firstDaily = observations.find(coded("41950-7"));
    // Local midnight (offset +1 h) to the next: the day Garmin Connect shows.
    expect(firstDaily).toMatchObject({
      start_at: "2026-11-16T23:00:00.000Z",
      end_at: "2026-11-17T23:00:00.000Z",
      unit: "{steps}",
      metadata: {
        vendor: "garmin",
        garmin_summary_id: "x-daily-2026-11-17",
        calendar_date: "2026-11-17",
        utc_offset_seconds: 3600,
      },
    });
    const nights = [0, 1, 2, 3];
    expect(valuesOf(observations, "93832-4")).toEqual(
      nights.map((d) => fakeGarminSleep(d).deep + fakeGarminSleep(d).light + fakeGarminSleep(d).rem),
    );
    expect(valuesOf(observations, "93831-6")).toEqual(nights.map((d) => fakeGarminSleep(d).deep));
    expect(valuesOf(observations, "93830-8")).toEqual(nights.map((d) => fakeGarminSleep(d).light));
    expect(valuesOf(observations, "93829-0")).toEqual(nights.map((d) => fakeGarminSleep(d).rem));
    const sleep = fakeGarminSleep(0);
    expect(observations.find(coded("93832-4"))).toMatchObject({
      unit: "s",
      start_at: "2026-11-16T21:00:00.000Z",
      end_at: new Date(
        Date.parse("2026-11-16T21:00:00Z") + (sleep.deep + sleep.light + sleep.awake + sleep.rem) * 1000,
      ).toISOString(),
    });
    expect(valuesOf(observations, "29463-7")).toEqual(nights.map((d) => fakeGarminBodyComp(d).weightInGrams / 1000));
    expect(valuesOf(observations, "29463-7")).toEqual([80, 79.95, 79.9, 79.85]);
    expect(valuesOf(observations, "41982-0")).toEqual([22, 22.1, 22.2, 22.3]);
    expect(valuesOf(observations, "39156-5")).toEqual([24.7, 24.6, 24.7, 24.6]);
    expect(observations.find(coded("29463-7"))).toMatchObject({ unit: "kg", start_at: "2026-11-17T07:00:00.000Z" });
    const spo2 = observations.filter(coded("59408-5"));
    expect(spo2.map((o) => o.value)).toEqual(
      nights.flatMap((d) => FAKE_GARMIN_SPO2_HOURS.map((h) => fakeGarminSpo2(d, h))),
    );
    expect(spo2[0]).toMatchObject({ unit: "%", start_at: "2026-11-17T00:00:00.000Z", metadata: { on_demand: false } });
  });

  it("counts a duplicate backfill (409) as asked, records a type the person did not permit (412)", async () => {
    const vendor = fake({ denied: ["sleeps"] });
    const tokens = await connect(vendor);
    const context = { http: vendor.fetch, settings, accessToken: tokens.access_token, cursor: {}, now: NOW };
    const first = await syncAll(garmin.sync, context);
    expect(first.outcome.cursor).toMatchObject({ backfill_sleeps: "not_permitted" });
    vendor.notifications();
    // The same ranges again (a connection whose cursor was lost): Garmin answers 409, nothing is sent twice.
    const again = await syncAll(garmin.sync, context);
    expect(again.outcome.cursor).toEqual(first.outcome.cursor);
    expect(vendor.notifications()).toEqual([]);
  });

  it("turns Garmin's 429 (Retry-After), 5xx, and an unknown token (403) into the framework's errors", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const context = { http: vendor.fetch, settings, accessToken: tokens.access_token, cursor: {}, now: NOW };
    vendor.fault({ path: "backfill", kind: 429, retryAfter: "120" });
    await expect(syncAll(garmin.sync, context)).rejects.toMatchObject({ kind: "rate_limited", retryAfterSeconds: 120 });
    vendor.fault({ path: "backfill", kind: 503 });
    await expect(syncAll(garmin.sync, context)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "backfill", kind: 403 });
    await expect(syncAll(garmin.sync, context)).rejects.toMatchObject({ kind: "unauthorized" });
    vendor.expireAccessTokens();
    await expect(syncAll(garmin.sync, context)).rejects.toMatchObject({ kind: "unauthorized" });
    vendor.fault({ path: "userId", kind: "malformed" });
    await expect(connect(vendor)).rejects.toMatchObject({ kind: "malformed" });
  });

  it("pulls each ping's callback URL (Ping Service) with its pull token, kept out of the page's request", async () => {
    const vendor = fake({ mode: "ping", days: 1 });
    const tokens = await connect(vendor);
    await syncAll(garmin.sync, {
      http: vendor.fetch,
      settings,
      accessToken: tokens.access_token,
      cursor: {},
      now: NOW,
    });
    const notifications = vendor.notifications();
    expect(notifications).toHaveLength(3);
    expect(JSON.parse(notifications[0] ?? "")).toEqual({
      dailies: [
        {
          userId: FAKE_GARMIN_USER_ID,
          callbackURL: expect.stringMatching(
            /^https:\/\/fake-garmin\.test\/wellness-api\/rest\/dailies\?.*token=pull-\d+$/,
          ),
        },
      ],
    });
    const { pages, requests, observations } = await receiveAll(vendor, notifications);
    expect(requests).toBe(3);
    expect(pages.every((p) => p.pulled && !p.page.request.includes("token"))).toBe(true);
    expect(pages[0]?.page.request).toMatch(
      /^\/wellness-api\/rest\/dailies\?uploadStartTimeInSeconds=\d+&uploadEndTimeInSeconds=\d+$/,
    );
    expect(valuesOf(observations, "41950-7")).toEqual([fakeGarminDaily(0).steps]);

    // A callback to anywhere but Garmin's API is not called; a 5xx of a pull is retried by the caller.
    const forged = JSON.stringify({
      dailies: [{ userId: FAKE_GARMIN_USER_ID, callbackURL: "https://evil.test/wellness-api/rest/dailies?token=x" }],
    });
    await expect(receiveOne(vendor, forged)).rejects.toMatchObject({ kind: "malformed" });
    vendor.fault({ path: "pull", kind: 500 });
    await expect(receiveOne(vendor, notifications[0] ?? "")).rejects.toBeInstanceOf(VendorError);
    vendor.fault({ path: "pull", kind: "malformed" });
    await expect(receiveOne(vendor, notifications[0] ?? "")).rejects.toMatchObject({ kind: "malformed" });
  });

  it("maps only complete summaries: a partial day, a tentative sleep and malformed items are not imported", () => {
    const daily = {
      summaryId: "d1",
      calendarDate: "2026-11-20",
      startTimeInSeconds: NOW_S - 3_600 * 11,
      startTimeOffsetInSeconds: 3_600,
      durationInSeconds: 3_600 * 11,
      steps: 100,
    };
    expect(mapGarminSummaries("dailies", [daily], NOW)).toEqual({ observations: [], skipped: [] });
    // Once 24 hours have passed it is complete, whatever its duration (a short day at a clock change).
    expect(
      mapGarminSummaries("dailies", [{ ...daily, durationInSeconds: 82_800 }], new Date(NOW.getTime() + 86_400_000))
        .observations,
    ).toHaveLength(1);
    // The specification's own second example has no calendarDate: still a day.
    const { calendarDate: _date, ...undated } = { ...daily, durationInSeconds: 86_400 };
    expect(mapGarminSummaries("dailies", [undated], NOW).observations.map((o) => [o.value, o.metadata])).toEqual([
      [100, { vendor: "garmin", garmin_summary_id: "d1", utc_offset_seconds: 3_600 }],
    ]);
    const sleep = {
      summaryId: "s1",
      startTimeInSeconds: NOW_S - 30_000,
      startTimeOffsetInSeconds: 0,
      durationInSeconds: 25_000,
    };
    expect(mapGarminSummaries("sleeps", [{ ...sleep, validation: "AUTO_TENTATIVE" }], NOW).observations).toEqual([]);
    const offWrist = mapGarminSummaries(
      "sleeps",
      [{ ...sleep, validation: "OFF_WRIST", deepSleepDurationInSeconds: 0 }],
      NOW,
    );
    expect(offWrist.observations.map((o) => [o.value, o.end_at])).toEqual([
      [25_000, new Date((NOW_S - 5_000) * 1000).toISOString()],
    ]);
    const bad = mapGarminSummaries(
      "bodyComps",
      [{ summaryId: "b1" }, { summaryId: "b2", measurementTimeInSeconds: NOW_S, weightInGrams: 75_450 }],
      NOW,
    );
    expect(bad.skipped).toEqual(["a body composition without a valid id and measurement time"]);
    expect(bad.observations.map((o) => o.value)).toEqual([75.45]);
  });

  it("authenticates notifications by the URL's key and the garmin-client-id header, in constant time", async () => {
    const headers = new Headers({ "garmin-client-id": "client-1" });
    const url = (key: string) => new URL(`https://api.example/v1/connectors/garmin/webhook?key=${key}`);
    expect(await garminWebhook.verify(headers, "{}", "s3cret", { url: url("s3cret"), clientId: "client-1" })).toBe(
      true,
    );
    expect(await garminWebhook.verify(headers, "{}", "s3cret", { url: url("s3cre"), clientId: "client-1" })).toBe(
      false,
    );
    expect(await garminWebhook.verify(headers, "{}", "s3cret", { url: url("s3cret"), clientId: "client-2" })).toBe(
      false,
    );
    expect(
      await garminWebhook.verify(new Headers(), "{}", "s3cret", { url: url("s3cret"), clientId: "client-1" }),
    ).toBe(false);
    expect(
      await garminWebhook.verify(headers, "{}", "s3cret", {
        url: new URL("https://api.example/x"),
        clientId: "client-1",
      }),
    ).toBe(false);
    expect(await garminWebhook.verify(headers, "{}", "s3cret", { url: url("s3cret"), clientId: undefined })).toBe(
      false,
    );
    expect(await garminWebhook.verify(headers, "{}", "s3cret")).toBe(false);
  });

  it("splits a notification by Garmin user, keeps deregistrations apart, and refuses what is not Garmin's", () => {
    const body = JSON.stringify({
      dailies: [
        { userId: "u1", summaryId: "a" },
        { userId: "u2", summaryId: "b" },
      ],
      sleeps: [{ userId: "u1", summaryId: "c" }],
      epochs: [{ userId: "u1", summaryId: "e" }],
      deregistrations: [{ userId: "u3" }],
      userPermissionsChange: [{ userId: "u2", permissions: ["HEALTH_EXPORT"], changeTimeInSeconds: 1 }],
    });
    const split = garminPush.split(body);
    expect(split?.deregistered).toEqual(["u3"]);
    expect(Object.fromEntries([...(split?.parts ?? [])].map(([u, p]) => [u, JSON.parse(p)]))).toEqual({
      u1: { dailies: [{ userId: "u1", summaryId: "a" }], sleeps: [{ userId: "u1", summaryId: "c" }] },
      u2: { dailies: [{ userId: "u2", summaryId: "b" }] },
    });
    expect(garminWebhook.vendorUserIds(body)).toEqual(["u1", "u2", "u3"]);
    expect(garminPush.split("not json")).toBeNull();
    expect(garminPush.split("[]")).toBeNull();
    expect(garminPush.split("{}")).toBeNull();
    expect(garminPush.split(JSON.stringify({ dailies: [{ summaryId: "no user" }] }))).toBeNull();
  });

  it("deregisters the person at Garmin (DELETE registration), refreshing an expired token first", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    await garmin.revoke(vendor.fetch, settings, { ...tokens, expires_at: new Date(Date.now() - 1000).toISOString() });
    expect(vendor.registered).toBe(false);
    expect(vendor.log.slice(-2)).toEqual([
      "POST /di-oauth2-service/oauth/token grant_type=refresh_token",
      "DELETE /wellness-api/rest/user/registration",
    ]);
    expect(vendor.notifications()).toEqual([JSON.stringify({ deregistrations: [{ userId: FAKE_GARMIN_USER_ID }] })]);
    // Already deregistered (the grant is gone): nothing left to do, no error.
    await expect(garmin.revoke(vendor.fetch, settings, tokens)).resolves.toBeUndefined();
    const other = fake();
    const live = await connect(other);
    other.fault({ path: "registration", kind: 503 });
    await expect(garmin.revoke(other.fetch, settings, live)).rejects.toMatchObject({ kind: "unavailable" });
  });
});

/** Receives one notification body (split, then each part). */
async function receiveOne(vendor: FakeGarmin, body: string) {
  for (const part of garminPush.split(body)?.parts.values() ?? []) {
    await garminPush.receive({ http: vendor.fetch, settings, body: part, now: NOW, onPage: async () => {} });
  }
}
