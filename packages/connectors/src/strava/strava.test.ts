/**
 * The Strava connector against its local fake (./fake.ts), which speaks Strava's documented wire
 * format: OAuth (authorize with comma-delimited scopes, token exchange and refresh answering
 * `expires_at` and a new refresh token, deauthorize), `page`/`per_page` paging with `before`/`after`,
 * six-hour token expiry, Strava's 429 without Retry-After (its rate-limit headers instead), 5xx,
 * malformed and empty pages. Values are checked exactly against the fake's data.
 */
import { describe, expect, it } from "vitest";
import { ConnectorDefinition, type ConnectorSettings, VendorError } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings, syncAll as syncPages } from "../test-support";
import { FakeStrava, fakeActivity } from "./fake";
import { mapActivity, STRAVA, STRAVA_OVERLAP_MS, strava, stravaRetryAfterSeconds, stravaSync } from "./index";

const NOW = new Date("2026-11-20T12:00:00Z");
const settings: ConnectorSettings = fakeVendorSettings("strava", "12345");
const REDIRECT = callbackUri("strava");
const HOUR = 3600_000;

const fake = (days = 400) =>
  new FakeStrava({ clientId: settings.clientId, clientSecret: settings.clientSecret, now: NOW, days });

function connect(vendor: FakeStrava) {
  return connectThrough(strava, vendor.fetch, settings, { redirectUri: REDIRECT, now: NOW });
}

function syncAll(vendor: FakeStrava, accessToken: string, cursor: Record<string, string> = {}, definition = STRAVA) {
  return syncPages((context) => stravaSync(definition, context), {
    http: vendor.fetch,
    settings,
    accessToken,
    cursor,
    now: NOW,
  });
}

const code = (o: { variable: unknown }) =>
  typeof o.variable === "object" && o.variable !== null && "code" in o.variable ? String(o.variable.code) : "";

describe("Strava connector", () => {
  it("builds Strava's authorization URL: comma-delimited scopes, approval_prompt, no PKCE", () => {
    const url = new URL(strava.authorizeUrl(settings, { state: "abc", redirectUri: REDIRECT, codeChallenge: "x" }));
    expect(url.origin + url.pathname).toBe("https://fake-strava.test/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "12345",
      redirect_uri: REDIRECT,
      response_type: "code",
      approval_prompt: "auto",
      scope: "activity:read_all",
      state: "abc",
    });
  });

  it("exchanges the code (expires_at made an instant); a code works once (Strava's Fault is invalid_grant)", async () => {
    const vendor = fake();
    expect(await connect(vendor)).toEqual({
      access_token: "access-2",
      refresh_token: "refresh-2",
      expires_at: new Date(NOW.getTime() + 6 * HOUR).toISOString(),
      scope: null,
    });
    await expect(
      strava.exchangeCode(vendor.fetch, settings, { code: "code-1", redirectUri: REDIRECT, now: NOW }),
    ).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("backfills a year of activities over two pages of 200, with the fake's exact values", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const { observations, outcome, pages } = await syncAll(vendor, tokens.access_token);
    const after = NOW.getTime() - 365 * 86_400_000;
    const expected = vendor.activities().filter((a) => Date.parse(a.start_date) > after);
    // 2025-11-21 … 2026-11-20: 365 activities, newest first.
    expect(expected).toHaveLength(365);
    expect(vendor.log.filter((l) => l.startsWith("GET /api/v3/athlete/activities"))).toEqual([
      `GET /api/v3/athlete/activities?after=${after / 1000}&before=${NOW.getTime() / 1000}&page=1&per_page=200`,
      `GET /api/v3/athlete/activities?after=${after / 1000}&before=${NOW.getTime() / 1000}&page=2&per_page=200`,
    ]);
    expect(pages.map((p) => p.endpoint)).toEqual(["activities", "activities"]);
    const durations = observations.filter((o) => code(o) === "physical-activity");
    expect(durations.map((o) => o.value)).toEqual(expected.map((a) => a.moving_time));
    // The first listed (newest) is today's run (day 400 of the fake): all three observations exactly.
    const today = fakeActivity(vendor.firstDay, 400);
    expect(today).toMatchObject({ sport_type: "Run", elapsed_time: 2400, moving_time: 2280, distance: 5000 });
    const span = { start_at: "2026-11-20T07:00:00.000Z", end_at: "2026-11-20T07:40:00.000Z" };
    const metadata = { vendor: "strava", strava_activity_id: "9000000400", sport_type: "Run" };
    expect(observations.slice(0, 3)).toEqual([
      {
        variable: { system: "https://w3id.org/openmhealth/schemas/omh", code: "physical-activity" },
        value: 2280,
        unit: "s",
        ...span,
        note: "Run",
        metadata,
      },
      {
        variable: {
          system: "http://developer.apple.com/documentation/healthkit",
          code: "HKQuantityTypeIdentifierDistanceWalkingRunning",
        },
        value: 5000,
        unit: "m",
        ...span,
        metadata,
      },
      {
        variable: { system: "http://loinc.org", code: "8867-4" },
        value: 130.5,
        unit: "/min",
        ...span,
        metadata: { ...metadata, statistic: "average" },
      },
    ]);
    // Distance by sport; none for weight training; heart rate only where the activity has it.
    const distanceCodes = new Map(
      observations
        .filter((o) => code(o).startsWith("HKQuantityTypeIdentifierDistance"))
        .map((o) => [o.metadata?.sport_type, code(o)]),
    );
    expect(Object.fromEntries(distanceCodes)).toEqual({
      Walk: "HKQuantityTypeIdentifierDistanceWalkingRunning",
      Run: "HKQuantityTypeIdentifierDistanceWalkingRunning",
      Ride: "HKQuantityTypeIdentifierDistanceCycling",
      Swim: "HKQuantityTypeIdentifierDistanceSwimming",
    });
    expect(observations.filter((o) => code(o).startsWith("HKQuantityTypeIdentifierDistance"))).toHaveLength(
      expected.filter((a) => a.sport_type !== "WeightTraining").length,
    );
    expect(observations.filter((o) => code(o) === "8867-4").map((o) => o.value)).toEqual(
      expected.filter((a) => a.has_heartrate).map((a) => a.average_heartrate),
    );
    expect(outcome).toEqual({ cursor: { activities: "2026-11-20T07:00:00.000Z" }, requests: 2, more: false });
  });

  it("a second sync asks only from the cursor minus 7 days of overlap, and finds a late upload", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    vendor.log.length = 0;
    // An activity of three days ago uploaded only now (the watch synced late).
    vendor.addActivity({
      ...fakeActivity(vendor.firstDay, 397),
      id: 1,
      sport_type: "Run",
      start_date: "2026-11-17T18:00:00Z",
    });
    const second = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    const after = (Date.parse("2026-11-20T07:00:00Z") - STRAVA_OVERLAP_MS) / 1000;
    expect(vendor.log).toEqual([
      `GET /api/v3/athlete/activities?after=${after}&before=${NOW.getTime() / 1000}&page=1&per_page=200`,
    ]);
    const durations = second.observations.filter((o) => code(o) === "physical-activity");
    // The 7 days of overlap (13 Nov 07:15 … 20 Nov: 8 activities stored already, duplicates the writer
    // skips) and the late run.
    expect(durations).toHaveLength(9);
    expect(durations.some((o) => o.start_at === "2026-11-17T18:00:00.000Z")).toBe(true);
    expect(second.outcome.cursor).toEqual(first.outcome.cursor);
  });

  it("stops at the quota with the range and next page in the cursor, and the next run resumes there", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const oneRequest = ConnectorDefinition.parse({ ...STRAVA, rate_limit: { requests: 1, per_seconds: 900 } });
    const first = await syncAll(vendor, tokens.access_token, {}, oneRequest);
    const after = String((NOW.getTime() - 365 * 86_400_000) / 1000);
    expect(first.outcome).toEqual({
      cursor: {
        activities_after: after,
        activities_before: String(NOW.getTime() / 1000),
        activities_page: "2",
        activities_seen: "2026-11-20T07:00:00.000Z",
      },
      requests: 1,
      more: true,
    });
    vendor.log.length = 0;
    const rest = await syncAll(vendor, tokens.access_token, first.outcome.cursor, oneRequest);
    expect(vendor.log[0]).toContain("page=2");
    expect(rest.outcome).toEqual({ cursor: { activities: "2026-11-20T07:00:00.000Z" }, requests: 1, more: false });
    const all = [...first.observations, ...rest.observations].filter((o) => code(o) === "physical-activity");
    expect(all).toHaveLength(365);
  });

  it("an expired token is a 401; refresh gives new tokens and a NEW refresh token, retiring the old one", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.expireAccessTokens();
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    const fresh = await strava.refresh(vendor.fetch, settings, tokens, NOW);
    expect(fresh).toEqual({
      access_token: "access-3",
      refresh_token: "refresh-3",
      expires_at: new Date(NOW.getTime() + 6 * HOUR).toISOString(),
      scope: null,
    });
    expect((await syncAll(vendor, fresh.access_token)).observations.length).toBeGreaterThan(0);
    await expect(strava.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("Strava's 429 (no Retry-After) waits for the 15-minute window, or midnight UTC when the day's quota is spent", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "activities", kind: 429 });
    const limited = await syncAll(vendor, tokens.access_token).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(VendorError);
    // 12:00:00 → the window resets at 12:15.
    expect(limited).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 900 });
    vendor.fault({ path: "activities", kind: 429, readUsage: "40,1000" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({
      kind: "rate_limited",
      retryAfterSeconds: 12 * 3600,
    });
    const headers = new Headers({ "X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "201,300" });
    expect(stravaRetryAfterSeconds(headers, new Date("2026-11-20T12:44:59.500Z"))).toBe(1);
    expect(stravaRetryAfterSeconds(new Headers(), new Date("2026-11-20T12:31:00Z"))).toBe(840);
  });

  it("5xx is unavailable; a page that is not a JSON array is malformed; a malformed item is skipped", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "activities", kind: 503 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "activities", kind: "malformed" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "malformed" });
    vendor.fault({ path: "token", kind: 502 });
    await expect(strava.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "unavailable" });
    expect(mapActivity({ id: 1, start_date: "yesterday", elapsed_time: 10, moving_time: 10 })).toEqual({
      skip: "an activity without a valid id, start date and times",
    });
  });

  it("an empty page ends the list: an athlete with no activities moves no cursor, so the backfill is asked again", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "activities", kind: "empty" });
    const { pages, outcome } = await syncAll(vendor, tokens.access_token);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.observations).toEqual([]);
    expect(outcome).toEqual({ cursor: {}, requests: 1, more: false });
  });

  it("deauthorizes with the access token; an expired one is refreshed first; a grant gone already resolves", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(vendor.liveTokens).toBe(1);
    // No expiry known (revoke reads no clock then): straight to deauthorize.
    await strava.revoke(vendor.fetch, settings, { ...tokens, expires_at: null });
    expect(vendor.log.at(-1)).toBe("POST /oauth/deauthorize");
    expect(vendor.log.filter((l) => l === "POST /oauth/token")).toHaveLength(1);
    expect(vendor.liveTokens).toBe(0);
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    // Revoked already: deauthorize answers 401, the refresh is refused, and revoke resolves.
    await strava.revoke(vendor.fetch, settings, { ...tokens, expires_at: null });
    expect(vendor.log.slice(-2)).toEqual(["POST /oauth/deauthorize", "POST /oauth/token"]);

    const other = fake();
    const old = await connect(other);
    other.expireAccessTokens();
    await strava.revoke(other.fetch, settings, { ...old, expires_at: "2026-01-01T00:00:00.000Z" });
    expect(other.log.slice(-2)).toEqual(["POST /oauth/token", "POST /oauth/deauthorize"]);
    expect(other.liveTokens).toBe(0);
  });

  it("declares Strava's published read quota, scope and a year of backfill", () => {
    expect(STRAVA.rate_limit).toEqual({ requests: 100, per_seconds: 900 });
    expect(STRAVA.auth).toMatchObject({
      scopes: ["activity:read_all"],
      pkce: false,
      revoke_path: "/oauth/deauthorize",
    });
    expect(STRAVA.backfill_days).toBe(365);
  });
});
