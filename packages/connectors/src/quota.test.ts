/**
 * The application-quota counting (./quota.ts) on a set clock: Strava's fixed windows open exactly at
 * its documented resets (:00/:15/:30/:45, midnight UTC); a sliding window never lets any span of its
 * length hold more than its limit, wherever the span starts; the next opening it reports is the earliest
 * a permit is granted again; permits given back are granted again in the same window.
 */
import { describe, expect, it } from "vitest";
import { DEMO, DEXCOM, FITBIT, OURA, WITHINGS } from "./index";
import { type AppRateWindow, giveBack, QuotaAcquire, type QuotaState, take } from "./quota";
import { STRAVA } from "./strava";

const at = (iso: string) => Date.parse(iso);
const strava = STRAVA.app_rate_limit ?? [];

describe("application quotas: fixed windows (Strava)", () => {
  it("grants 100 in a quarter hour, then none until the next quarter hour; the day's 1,000 until midnight UTC", () => {
    const state: QuotaState = {};
    expect(take(state, strava, 60, at("2026-11-20T12:03:00Z"))).toEqual({
      granted: 60,
      granted_at: at("2026-11-20T12:03:00Z"),
      retry_at: null,
    });
    // 40 left in this quarter hour: asked 50, granted 40, and the window opens at 12:15.
    expect(take(state, strava, 50, at("2026-11-20T12:14:59Z"))).toMatchObject({
      granted: 40,
      retry_at: at("2026-11-20T12:15:00Z"),
    });
    expect(take(state, strava, 1, at("2026-11-20T12:14:59.999Z"))).toMatchObject({ granted: 0 });
    expect(take(state, strava, 100, at("2026-11-20T12:15:00Z"))).toMatchObject({ granted: 100, retry_at: null });
    // Spend the rest of the day's 1,000 (800 more over eight quarter hours).
    for (let q = 0; q < 8; q++) {
      const t = at("2026-11-20T12:30:00Z") + q * 900_000;
      expect(take(state, strava, 100, t).granted).toBe(100);
    }
    // The day is spent: the next quarter hour does not open it; midnight UTC does.
    const grant = take(state, strava, 1, at("2026-11-20T14:45:00Z"));
    expect(grant).toMatchObject({ granted: 0, retry_at: at("2026-11-21T00:00:00Z") });
    expect(take(state, strava, 1, at("2026-11-21T00:00:00Z")).granted).toBe(1);
  });

  it("permits given back are granted again in the same window; a slot that no longer counts takes nothing back", () => {
    const state: QuotaState = {};
    const t = at("2026-11-20T12:00:00Z");
    expect(take(state, strava, 100, t).granted).toBe(100);
    giveBack(state, strava, 30, t);
    expect(take(state, strava, 50, t + 1000).granted).toBe(30);
    // Given back after its window closed: the new window's count is untouched.
    const next = t + 900_000;
    expect(take(state, strava, 10, next).granted).toBe(10);
    giveBack(state, strava, 5, t);
    expect(take(state, strava, 100, next).granted).toBe(90);
  });
});

describe("application quotas: sliding windows", () => {
  const perMinute: AppRateWindow[] = [{ requests: 120, per_seconds: 60, resets: "sliding" }];

  it("no minute ever holds more than 120, wherever it starts; the reported opening is when a permit comes back", () => {
    const state: QuotaState = {};
    const grants: Array<{ t: number; n: number }> = [];
    // A deterministic stream of asks every 250 ms for 5 minutes, of 1–9 permits.
    let t = at("2026-11-20T12:00:00.000Z");
    let seed = 7;
    for (let i = 0; i < 1200; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const asked = 1 + (seed % 9);
      const grant = take(state, perMinute, asked, t);
      if (grant.granted > 0) grants.push({ t, n: grant.granted });
      if (grant.granted < asked) {
        const retry = grant.retry_at ?? 0;
        expect(retry).toBeGreaterThan(t);
        // Nothing is granted before the reported opening; at it, something is.
        const probe = structuredClone(state);
        if (grant.granted === 0 && retry - 1 > t) expect(take(probe, perMinute, 1, retry - 1).granted).toBe(0);
        expect(take(structuredClone(state), perMinute, 1, retry).granted).toBe(1);
      }
      t += 250;
    }
    // Every span of 60 s (starting at each grant) holds at most 120.
    for (const g of grants) {
      const inSpan = grants.filter((h) => h.t >= g.t && h.t < g.t + 60_000).reduce((n, h) => n + h.n, 0);
      expect(inSpan).toBeLessThanOrEqual(120);
    }
    // And the limit is used, not starved: over 5 minutes at least 4 minutes' worth was granted.
    expect(grants.reduce((n, h) => n + h.n, 0)).toBeGreaterThanOrEqual(480);
  });

  it("with two windows, the fewer left wins and the later opening is reported", () => {
    const windows: AppRateWindow[] = [
      { requests: 10, per_seconds: 60, resets: "sliding" },
      { requests: 15, per_seconds: 3600, resets: "fixed" },
    ];
    const state: QuotaState = {};
    const t = at("2026-11-20T12:00:00Z");
    expect(take(state, windows, 10, t).granted).toBe(10);
    expect(take(state, windows, 10, t + 61_000).granted).toBe(5);
    // The hour is spent: the minute opening again does not help; 13:00 does.
    expect(take(state, windows, 1, t + 130_000)).toMatchObject({ granted: 0, retry_at: at("2026-11-20T13:00:00Z") });
  });

  it("a malformed question does not parse (the object grants nothing to it)", () => {
    expect(QuotaAcquire.safeParse({ windows: [], asked: 1, now: 0 }).success).toBe(false);
    expect(QuotaAcquire.safeParse({ windows: perMinute, asked: 0, now: 0 }).success).toBe(false);
    expect(QuotaAcquire.safeParse({ windows: perMinute, asked: 1, now: -1 }).success).toBe(false);
    expect(QuotaAcquire.safeParse({ windows: perMinute, asked: 1, now: 0, extra: 1 }).success).toBe(false);
  });
});

describe("application quotas declared by the connectors (docs/connectors.md, Quotas)", () => {
  it("each vendor's published per-application limit; Fitbit's is per person; the demo's fake limits nothing", () => {
    expect(STRAVA.app_rate_limit).toEqual([
      { requests: 100, per_seconds: 900, resets: "fixed" },
      { requests: 1000, per_seconds: 86_400, resets: "fixed" },
    ]);
    expect(DEXCOM.app_rate_limit).toEqual([{ requests: 60_000, per_seconds: 3600, resets: "sliding" }]);
    expect(WITHINGS.app_rate_limit).toEqual([{ requests: 120, per_seconds: 60, resets: "sliding" }]);
    expect(OURA.app_rate_limit).toEqual([{ requests: 5000, per_seconds: 300, resets: "sliding" }]);
    expect(FITBIT.app_rate_limit).toBeUndefined();
    expect(DEMO.app_rate_limit).toBeUndefined();
  });
});
