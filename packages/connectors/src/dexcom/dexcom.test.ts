/**
 * The Dexcom connector against its local fake (./fake.ts), which speaks Dexcom's documented API v3 wire
 * format: OAuth (login, token, refresh with a new refresh token each time), `/v3/users/self/egvs` with
 * required `startDate`/`endDate` at most 30 days apart (the fake answers 400 otherwise), token expiry,
 * 429, 5xx, malformed and empty answers. Values are checked exactly against the fake's data.
 */
import { describe, expect, it } from "vitest";
import { ConnectorDefinition, type ConnectorSettings, VendorError } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings, syncAll as syncPages } from "../test-support";
import { FakeDexcom, fakeGlucose } from "./fake";
import { DEXCOM, DEXCOM_HOSTS, dexcom, dexcomApiConnector, mapEgv } from "./index";

const NOW = new Date("2026-11-20T12:00:00Z");
const settings: ConnectorSettings = fakeVendorSettings("dexcom");
const REDIRECT = callbackUri("dexcom");
const egvsQuery = (start: string, end: string) =>
  `GET /v3/users/self/egvs?startDate=${encodeURIComponent(start)}&endDate=${encodeURIComponent(end)}`;

function fake(days = 3) {
  return new FakeDexcom({ clientId: settings.clientId, clientSecret: settings.clientSecret, now: NOW, days });
}

/** Connects through the fake's login and token endpoints; returns the tokens. */
function connect(vendor: FakeDexcom) {
  return connectThrough(dexcom, vendor.fetch, settings, { redirectUri: REDIRECT, now: NOW });
}

function syncAll(vendor: FakeDexcom, accessToken: string, cursor: Record<string, string> = {}, connector = dexcom) {
  return syncPages(connector.sync, { http: vendor.fetch, settings, accessToken, cursor, now: NOW });
}

describe("Dexcom connector", () => {
  it("sends the person to Dexcom's login at the configured host (sandbox or a region), scope offline_access", () => {
    const sandbox = { clientId: "client-1", baseUrls: { auth: DEXCOM_HOSTS.sandbox, api: DEXCOM_HOSTS.sandbox } };
    const url = new URL(dexcom.authorizeUrl(sandbox, { state: "abc", redirectUri: REDIRECT }));
    expect(url.origin + url.pathname).toBe("https://sandbox-api.dexcom.com/v2/oauth2/login");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client-1",
      redirect_uri: REDIRECT,
      scope: "offline_access",
      state: "abc",
    });
    // Unconfigured, it is Dexcom's US production host.
    expect(DEXCOM.base_urls).toEqual({ auth: "https://api.dexcom.com", api: "https://api.dexcom.com" });
  });

  it("exchanges the code for tokens (2-hour expiry made absolute); a code works once", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(tokens).toEqual({
      access_token: "access-2",
      refresh_token: "refresh-2",
      expires_at: new Date(NOW.getTime() + 7200_000).toISOString(),
      scope: null,
    });
    await expect(
      dexcom.exchangeCode(vendor.fetch, settings, { code: "code-1", redirectUri: REDIRECT, now: NOW }),
    ).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("backfills 90 days in 30-day windows, with the fake's exact readings", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.log.length = 0;
    const { observations, outcome, pages } = await syncAll(vendor, tokens.access_token);
    // Dexcom allows at most 30 days a request, with no paging token: 90 days are three windows.
    expect(vendor.log).toEqual([
      egvsQuery("2026-08-22T12:00:00", "2026-09-21T12:00:00"),
      egvsQuery("2026-09-21T12:00:00", "2026-10-21T12:00:00"),
      egvsQuery("2026-10-21T12:00:00", "2026-11-20T12:00:00"),
    ]);
    expect(pages.map((p) => p.observations.length)).toEqual([0, 0, 998]);
    // 3.5 days of 5-minute readings: 1008, of which 10 have no value (the sensor gave none).
    const readings = vendor.readings();
    expect(readings).toHaveLength(1008);
    const expected = readings.map((_, i) => fakeGlucose(i)).filter((v) => v !== null);
    expect(observations.map((o) => o.value)).toEqual(expected);
    expect(observations[0]).toEqual({
      variable: { system: "http://loinc.org", code: "2339-0" },
      value: 70,
      unit: "mg/dL",
      start_at: "2026-11-17T00:00:00.000Z",
      metadata: {
        vendor: "dexcom",
        dexcom_record_id: "egv-0",
        dexcom_trend: "flat",
        dexcom_display_device: "iOS",
        dexcom_transmitter_generation: "g7",
      },
    });
    // A receiver's record has no UTC offset: its system time is read as UTC.
    expect(observations[1]).toMatchObject({ value: 87, start_at: "2026-11-17T00:05:00.000Z" });
    expect(pages.flatMap((p) => p.skipped)).toEqual([]);
    expect(outcome).toEqual({ cursor: { egvs: "2026-11-20T11:55:00.000Z" }, requests: 3, more: false });
  });

  it("a second sync asks only from the cursor minus 3 hours and brings nothing new but late readings", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token);
    vendor.log.length = 0;
    const again = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    expect(vendor.log).toEqual([egvsQuery("2026-11-20T08:55:00", "2026-11-20T12:00:00")]);
    // The overlap's 37 readings (08:55 … 11:55, one without a value) were all imported by the first sync.
    const firstKeys = new Set(first.observations.map((o) => `${o.start_at}|${o.value}`));
    expect(again.observations).toHaveLength(36);
    expect(again.observations.every((o) => firstKeys.has(`${o.start_at}|${o.value}`))).toBe(true);
    expect(again.outcome.cursor).toEqual(first.outcome.cursor);
    // A receiver plugged in late uploads a reading inside the overlap: the next sync brings it.
    vendor.addLateReading("2026-11-20T10:02:30Z", 151);
    const late = await syncAll(vendor, tokens.access_token, first.outcome.cursor);
    const fresh = late.observations.filter((o) => !firstKeys.has(`${o.start_at}|${o.value}`));
    expect(fresh).toMatchObject([{ value: 151, unit: "mg/dL", start_at: "2026-11-20T10:02:30.000Z" }]);
  });

  it("stops at the quota with more: true and continues from its cursor", async () => {
    const narrow = dexcomApiConnector(
      ConnectorDefinition.parse({ ...DEXCOM, rate_limit: { requests: 2, per_seconds: 3600 } }),
    );
    const vendor = fake(80);
    const tokens = await connect(vendor);
    const first = await syncAll(vendor, tokens.access_token, {}, narrow);
    // Both windows are over before the 3-hour overlap: the cursor moves to the second one's end.
    expect(first.outcome).toEqual({ cursor: { egvs: "2026-10-21T12:00:00.000Z" }, requests: 2, more: true });
    vendor.log.length = 0;
    const rest = await syncAll(vendor, tokens.access_token, first.outcome.cursor, narrow);
    expect(vendor.log).toEqual([
      egvsQuery("2026-10-21T09:00:00", "2026-11-20T09:00:00"),
      egvsQuery("2026-11-20T09:00:00", "2026-11-20T12:00:00"),
    ]);
    expect(rest.outcome).toEqual({ cursor: { egvs: "2026-11-20T11:55:00.000Z" }, requests: 2, more: false });
  });

  it("an expired token is a 401 (unauthorized); refresh returns a new refresh token and spends the old one", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.expireAccessTokens();
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    const fresh = await dexcom.refresh(vendor.fetch, settings, tokens, NOW);
    expect(fresh.access_token).not.toBe(tokens.access_token);
    expect(fresh.refresh_token).not.toBe(tokens.refresh_token);
    expect((await syncAll(vendor, fresh.access_token)).observations).toHaveLength(998);
    await expect(dexcom.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("429 is rate_limited (Retry-After when sent, else none); 5xx is unavailable; a malformed answer is malformed", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "egvs", kind: 429 });
    const limited = await syncAll(vendor, tokens.access_token).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(VendorError);
    expect(limited).toMatchObject({ kind: "rate_limited", retryAfterSeconds: null });
    vendor.fault({ path: "egvs", kind: 429, retryAfter: "90" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ retryAfterSeconds: 90 });
    vendor.fault({ path: "egvs", kind: 503 });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "token", kind: 502 });
    await expect(dexcom.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "unavailable" });
    vendor.fault({ path: "egvs", kind: "malformed" });
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "malformed" });
  });

  it("an empty answer moves on to the next window; the cursor moves past windows over before the overlap", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.fault({ path: "egvs", kind: "empty", times: 3 });
    const empty = await syncAll(vendor, tokens.access_token);
    expect(empty.pages).toHaveLength(3);
    expect(empty.observations).toEqual([]);
    // The first two windows are over (asked for once); the last one ends now and is asked again.
    expect(empty.outcome.cursor).toEqual({ egvs: "2026-10-21T12:00:00.000Z" });
    expect(empty.pages.map((p) => p.resume)).toEqual([
      { egvs: "2026-09-21T12:00:00.000Z" },
      { egvs: "2026-10-21T12:00:00.000Z" },
      { egvs: "2026-10-21T12:00:00.000Z" },
    ]);
    expect((await syncAll(vendor, tokens.access_token)).observations).toHaveLength(998);
  });

  it("revoke calls nothing (Dexcom has no revocation endpoint); a grant removed at Dexcom needs a new connection", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    vendor.log.length = 0;
    await dexcom.revoke(vendor.fetch, settings, tokens);
    expect(vendor.log).toEqual([]);
    expect(DEXCOM.auth.revoke_path).toBeNull();
    vendor.revokeEverything();
    await expect(syncAll(vendor, tokens.access_token)).rejects.toMatchObject({ kind: "unauthorized" });
    await expect(dexcom.refresh(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({ kind: "invalid_grant" });
  });

  it("maps mmol/L to LOINC 15074-8 and skips records it cannot read", () => {
    const record = { recordId: "r1", systemTime: "2026-11-19T08:00:00-05:00", value: 7, unit: "mmol/L" };
    expect(mapEgv(record)).toEqual({
      at: "2026-11-19T13:00:00.000Z",
      observations: [
        {
          variable: { system: "http://loinc.org", code: "15074-8" },
          value: 7,
          unit: "mmol/L",
          start_at: "2026-11-19T13:00:00.000Z",
          metadata: { vendor: "dexcom", dexcom_record_id: "r1" },
        },
      ],
    });
    expect(mapEgv({ ...record, unit: "unknown" })).toEqual({ skip: "a glucose record in a unit Dexcom did not name" });
    expect(mapEgv({ ...record, systemTime: "yesterday" })).toHaveProperty("skip");
    expect(mapEgv({ ...record, value: null })).toEqual({ at: "2026-11-19T13:00:00.000Z", observations: [] });
  });

  it("declares Dexcom's published quota, scope and no PKCE", () => {
    expect(DEXCOM.rate_limit).toEqual({ requests: 60_000, per_seconds: 3600 });
    expect(DEXCOM.auth).toMatchObject({ scopes: ["offline_access"], pkce: false, token_path: "/v2/oauth2/token" });
  });
});
