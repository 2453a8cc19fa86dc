/**
 * A sync's side of the application quota (docs/connectors.md, "Quotas"): the permits one run draws from
 * its application's `VendorQuota` Durable Object. The run asks before each vendor request
 * (`SyncContext.permit`, through `mayRequest`); permits are fetched from the object a few at a time (4,
 * then twice as many each time up to 32, never more than the run may still make), so a short hourly
 * sync costs one call to the object, and a long backfill a call every 32 requests. What the run did not
 * spend is given back at its end (`settle`), for the other connections in the same window.
 *
 * A connector that makes a request without asking (a third-party one, a request outside its page loop)
 * is still held to it: the HTTP port (`http`) takes a permit for every request not asked for before, and
 * when none is left it answers as the vendor would, a `rate_limited` error with the wait, before any
 * request leaves.
 */
import { type AppRateWindow, type QuotaGrant, VendorError, type VendorHttp } from "@dfda/connectors";

/** The object's RPC surface the gate uses (the binding's stub; a test may count calls). */
export interface QuotaStub {
  acquire(request: { windows: AppRateWindow[]; asked: number; now: number }): Promise<QuotaGrant>;
  release(request: { windows: AppRateWindow[]; count: number; granted_at: number }): Promise<void>;
}

const FIRST_ASK = 4;
const LARGEST_ASK = 32;

export class QuotaGate {
  /** Permits fetched from the object and not handed out yet, with the instant they were granted at. */
  private held: Array<{ count: number; grantedAt: number }> = [];
  /** Permits handed out by `permit()` whose request has not been made yet, and when the last was granted. */
  private asked = 0;
  private askedGrantedAt = 0;
  private nextAsk = FIRST_ASK;
  /** Requests the run may still ask permits for (its connection's own quota). */
  private budget: number;
  /** When the object granted fewer than asked: when its next permit frees up. */
  private spentUntil: Date | null = null;
  /** When the application's quota opens again, once a permit was refused; null while none was. */
  retryAt: Date | null = null;

  /**
   * @param stub The application's quota object, or null when the connector declares no application quota.
   * @param budget How many requests the run may make at most (its connection's own quota).
   */
  constructor(
    private readonly stub: QuotaStub | null,
    private readonly windows: AppRateWindow[],
    budget: number,
    private readonly now: () => Date,
  ) {
    this.budget = budget;
  }

  /** One permit for the next request; false (and `retryAt` set) when the application's quota is spent. */
  readonly permit = async (): Promise<boolean> => {
    if (this.stub === null) return true;
    let first = this.held[0];
    if (first === undefined) {
      // The object said its windows are spent: no call until the run ends (no busy loop on it).
      if (this.spentUntil !== null) {
        this.retryAt = this.spentUntil;
        return false;
      }
      const ask = Math.max(1, Math.min(this.nextAsk, this.budget));
      this.nextAsk = Math.min(LARGEST_ASK, this.nextAsk * 2);
      const at = this.now().getTime();
      const grant = await this.stub.acquire({ windows: this.windows, asked: ask, now: at });
      this.budget -= grant.granted;
      if (grant.granted < ask) this.spentUntil = new Date(grant.retry_at ?? at + 1000);
      if (grant.granted === 0) {
        this.retryAt = this.spentUntil;
        return false;
      }
      first = { count: grant.granted, grantedAt: grant.granted_at };
      this.held.push(first);
    }
    first.count--;
    if (first.count === 0) this.held.shift();
    this.asked++;
    this.askedGrantedAt = first.grantedAt;
    return true;
  };

  /** `http` held to the quota: each request spends a permit asked for before, or takes one itself. */
  http(inner: VendorHttp): VendorHttp {
    if (this.stub === null) return inner;
    return async (request) => {
      if (this.asked > 0) this.asked--;
      else if (!(await this.permit())) {
        const wait = Math.max(1, Math.ceil(((this.retryAt?.getTime() ?? 0) - this.now().getTime()) / 1000));
        throw new VendorError("rate_limited", "the application's quota at this vendor is spent for now", wait);
      } else this.asked--;
      return inner(request);
    };
  }

  /** Gives back the permits not spent (held, or asked for and not used), to the slots they were granted in. */
  async settle(): Promise<void> {
    if (this.stub === null) return;
    // A permit asked for and not used goes back to the grant it came from.
    const back = this.held.map((h) => ({ ...h }));
    this.held = [];
    if (this.asked > 0) back.push({ count: this.asked, grantedAt: this.askedGrantedAt });
    this.asked = 0;
    for (const h of back) {
      if (h.count > 0) await this.stub.release({ windows: this.windows, count: h.count, granted_at: h.grantedAt });
    }
  }
}
