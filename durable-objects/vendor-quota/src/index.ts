/**
 * The application quota of one vendor application: one Durable Object per connector and OAuth client
 * (`vendorQuotaName`, e.g. `strava:<client id>`), hosted by the connectors Worker. Every sync of every
 * connection of that application asks it for permits before making vendor requests, so together they
 * never pass the vendor's published per-application limit (Strava 100 per 15 minutes and 1,000 a day,
 * Dexcom 60,000 an hour, Withings 120 a minute, Oura 5,000 per 5 minutes; docs/connectors.md, "Quotas").
 * A Durable Object is the one place all of a deployment's Workers agree on a count: its calls run one at
 * a time, and a reply leaves only once the count it reports is stored (the output gate).
 *
 * - `acquire({ windows, asked, now })`: grants up to `asked` permits (fewer, or none, when a window is
 *   spent) and says when the next one frees up (`retry_at`), so a refused sync is scheduled then, not
 *   retried in a loop.
 * - `release({ windows, count, granted_at })`: gives back permits a sync took and did not spend (it
 *   finished early), so other connections can use them in the same window.
 *
 * The windows come with each call (they are the connector's declaration, code not state); the counters
 * are stored per window (packages/connectors/src/quota.ts counts). `now` is the caller's clock, the same
 * clock this object would read, so tests can set it; it never runs backwards here (the latest one seen
 * is used), so a late caller cannot reopen a spent window. RPC methods; every argument is parsed with the
 * shared zod schema (a malformed question is answered with nothing granted: fail closed).
 *
 * Storage (docs/connectors.md): one key, `state`, `{ now, counts: { "<resets>:<per_seconds>": { "<slot>":
 * permits } } }`; slots that no longer count are dropped at each call, so it stays at most a few hundred
 * numbers.
 */

import { DurableObject } from "cloudflare:workers";
import { giveBack, QuotaAcquire, type QuotaGrant, QuotaRelease, type QuotaState, take } from "@dfda/connectors";

export { vendorQuotaName } from "@dfda/connectors";

interface Stored {
  /** The latest caller clock seen (ms). */
  now: number;
  counts: QuotaState;
}

export class VendorQuota extends DurableObject<object> {
  private state: Stored = { now: 0, counts: {} };

  constructor(ctx: DurableObjectState, env: object) {
    super(ctx, env);
    // Loaded before the first call is delivered (workers-sdk's pattern for state in memory).
    ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get<Stored>("state")) ?? { now: 0, counts: {} };
    });
  }

  /** Grants up to `asked` permits under every window; see the module comment. */
  async acquire(request: QuotaAcquire): Promise<QuotaGrant> {
    const parsed = QuotaAcquire.safeParse(request);
    if (!parsed.success) return { granted: 0, granted_at: this.state.now, retry_at: null };
    const now = Math.max(parsed.data.now, this.state.now);
    const grant = take(this.state.counts, parsed.data.windows, parsed.data.asked, now);
    this.state.now = now;
    await this.ctx.storage.put("state", this.state);
    return grant;
  }

  /** Gives back permits granted at `granted_at` that were not spent. */
  async release(request: QuotaRelease): Promise<void> {
    const parsed = QuotaRelease.safeParse(request);
    if (!parsed.success) return;
    giveBack(this.state.counts, parsed.data.windows, parsed.data.count, parsed.data.granted_at);
    await this.ctx.storage.put("state", this.state);
  }
}
