/**
 * Application-wide vendor quotas (issue 13: "a connection never bursts past the vendor's published
 * limit"). Several vendors limit the APPLICATION, all its people together, not each person: Strava 100
 * read requests every 15 minutes and 1,000 a day, Dexcom 60,000 an hour, Withings 120 a minute, Oura
 * 5,000 every 5 minutes. A connector declares those windows (`app_rate_limit`); the connectors Worker
 * asks one `VendorQuota` Durable Object per application (connector and OAuth client id, `vendorQuotaName`)
 * for permits before spending them, so every connection of a deployment draws from the same counters.
 *
 * This module is the counting itself, pure and clock-free (the caller passes `now`), and the schemas of
 * the Durable Object's RPC arguments (parsed on both sides, like every boundary here):
 *
 * - a `fixed` window is the vendor's own counter that resets at multiples of `per_seconds` since the Unix
 *   epoch (Strava documents its 15-minute window resetting at :00, :15, :30 and :45 and its daily one at
 *   midnight UTC: exactly those multiples). One counter per window; it opens again at the next multiple.
 * - a `sliding` window is a vendor that publishes "N per period" with no reset time: no span of
 *   `per_seconds` may ever hold more than `requests`, wherever it starts. The window is cut into at most
 *   `SLIDING_SLOTS` slots; a permit counts in the slot it was granted in, and a grant counts every slot
 *   that overlaps the last `per_seconds` (one slot more than the span: never less than the truth).
 */
import { z } from "zod";

/** One window of a vendor's application quota. */
export const AppRateWindow = z
  .object({
    requests: z.int().min(1).max(10_000_000),
    per_seconds: z
      .int()
      .min(1)
      .max(31 * 86_400),
    /** `fixed`: resets at multiples of `per_seconds` since the epoch; `sliding`: no documented reset. */
    resets: z.enum(["fixed", "sliding"]).default("sliding"),
  })
  .strict();
export type AppRateWindow = z.output<typeof AppRateWindow>;

/** At most this many slots per sliding window (a minute-long window counts by the second, an hour by the minute). */
export const SLIDING_SLOTS = 60;

/** The RPC arguments of `VendorQuota.acquire`: the windows (from the connector's definition), how many, when. */
export const QuotaAcquire = z
  .object({
    windows: z.array(AppRateWindow).min(1).max(8),
    asked: z.int().min(1).max(100_000),
    /** The caller's clock, ms since the epoch (the Worker's; a test's fake clock). */
    now: z.int().min(0),
  })
  .strict();
export type QuotaAcquire = z.input<typeof QuotaAcquire>;

/** The RPC arguments of `VendorQuota.release`: permits granted at `granted_at` that were not spent. */
export const QuotaRelease = z
  .object({
    windows: z.array(AppRateWindow).min(1).max(8),
    count: z.int().min(1).max(100_000),
    granted_at: z.int().min(0),
  })
  .strict();
export type QuotaRelease = z.input<typeof QuotaRelease>;

/** What `acquire` answers: how many permits it grants (0 … asked), and when the next one frees up. */
export interface QuotaGrant {
  granted: number;
  /** The instant (ms) the grant counted at: what `release` takes back from. */
  granted_at: number;
  /** When a permit frees up again (ms), when fewer than asked were granted; otherwise null. */
  retry_at: number | null;
}

/** The counters of one window: slot index → permits granted in it. */
export type WindowCounts = Record<string, number>;
/** The counters of every window, by `windowKey`. */
export type QuotaState = Record<string, WindowCounts>;

/** A window's counters are keyed by its span and kind (a changed `requests` keeps what was counted). */
export const windowKey = (w: AppRateWindow) => `${w.resets}:${w.per_seconds}`;

/** The Durable Object name of an application's quota: the connector and the OAuth client it speaks as. */
export const vendorQuotaName = (connector: string, clientId: string) => `${connector}:${clientId}`;

/** A window's slot length (ms) and how many slots before the current one a grant still counts. */
function geometry(w: AppRateWindow): { slotMs: number; back: number } {
  const spanMs = w.per_seconds * 1000;
  if (w.resets === "fixed") return { slotMs: spanMs, back: 0 };
  const slotMs = Math.ceil(w.per_seconds / SLIDING_SLOTS) * 1000;
  // [now − span, now] lies within slots current−back … current, since back·slotMs ≥ span.
  return { slotMs, back: Math.ceil(spanMs / slotMs) };
}

/** Permits counted in the window at slot `current`, after dropping the slots that no longer count. */
function live(counts: WindowCounts, current: number, back: number): number {
  let used = 0;
  for (const [slot, n] of Object.entries(counts)) {
    if (Number(slot) < current - back) delete counts[slot];
    else used += n;
  }
  return used;
}

/** When the first permit of a full window frees up (ms). */
function freesAt(w: AppRateWindow, counts: WindowCounts, current: number): number {
  const { slotMs, back } = geometry(w);
  if (w.resets === "fixed") return (current + 1) * slotMs;
  let used = Object.values(counts).reduce((a, b) => a + b, 0);
  for (const slot of Object.keys(counts)
    .map(Number)
    .sort((a, b) => a - b)) {
    used -= counts[String(slot)] ?? 0;
    // Slot j stops counting once the current slot is past j + back.
    if (used < w.requests) return (slot + back + 1) * slotMs;
  }
  return (current + 1) * slotMs;
}

/**
 * Grants up to `asked` permits at `now` under every window (the fewest any window has left), counts
 * them in `state` (mutated), and says when the next permit frees up when fewer than asked were granted.
 *
 * @example
 * const state: QuotaState = {};
 * take(state, [{ requests: 100, per_seconds: 900, resets: "fixed" }], 30, Date.now()); // { granted: 30, … }
 */
export function take(state: QuotaState, windows: readonly AppRateWindow[], asked: number, now: number): QuotaGrant {
  const views = windows.map((w) => {
    const { slotMs, back } = geometry(w);
    const current = Math.floor(now / slotMs);
    state[windowKey(w)] ??= {};
    const counts = state[windowKey(w)] ?? {};
    return { w, counts, current, left: Math.max(0, w.requests - live(counts, current, back)) };
  });
  const granted = Math.max(0, Math.min(asked, ...views.map((v) => v.left)));
  for (const v of views) {
    if (granted > 0) v.counts[String(v.current)] = (v.counts[String(v.current)] ?? 0) + granted;
  }
  if (granted === asked) return { granted, granted_at: now, retry_at: null };
  // Every window must have a permit again: the latest of the full windows' next openings.
  const full = views.filter((v) => v.left - granted <= 0);
  const retryAt = Math.max(now + 1, ...full.map((v) => freesAt(v.w, v.counts, v.current)));
  return { granted, granted_at: now, retry_at: retryAt };
}

/** Gives back `count` permits granted at `grantedAt` and never spent (from the slot they counted in). */
export function giveBack(state: QuotaState, windows: readonly AppRateWindow[], count: number, grantedAt: number) {
  for (const w of windows) {
    const counts = state[windowKey(w)];
    if (counts === undefined) continue;
    const slot = String(Math.floor(grantedAt / geometry(w).slotMs));
    const n = counts[slot];
    if (n === undefined) continue; // its slot no longer counts: nothing to give back
    if (n <= count) delete counts[slot];
    else counts[slot] = n - count;
  }
}
