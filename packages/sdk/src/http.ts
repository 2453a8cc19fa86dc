/**
 * Retries with the platform's documented behaviour (docs/api.md): 429 (`rate_limited`) and 503
 * (`service_unavailable`) carry `Retry-After` (RFC 9110 §10.2.3: delta-seconds or an HTTP-date);
 * without it the SDK backs off exponentially with full jitter. Only requests that are safe to repeat
 * are retried: reads, and writes that carry an `Idempotency-Key` (the API answers the first job again
 * for the same key), so a retry never stores anything twice. Mirrors sdks/python/dfda/_http.py.
 */
import { DfdaNetworkError } from "./errors";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** First backoff step in milliseconds (default 500). */
  baseDelayMs?: number;
  /** Longest wait, also the cap on `Retry-After` (default 30 000). */
  maxDelayMs?: number;
  /** Injectable so tests need no wall-clock waits. */
  sleep?: Sleep;
  /** Uniform in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: Sleep;
  readonly random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /** The wait before attempt `attempt + 1` (0-based `attempt` just failed). */
  delay(attempt: number, retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return Math.min(Math.max(retryAfterMs, 0), this.maxDelayMs);
    // "Full jitter" (AWS Architecture Blog, Exponential Backoff And Jitter): spreads clients retrying together.
    return this.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
  }
}

/** `Retry-After` in milliseconds from `now`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date is IMF-fixdate (or an obsolete form) in GMT; Date.parse alone would take "-1" for a year.
  if (!text.endsWith("GMT")) return null;
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  return Math.max(0, when - now);
}

/** Whether a request may be sent again without changing the outcome (RFC 9110 §9.2.2, plus idempotency keys). */
export function isRepeatable(request: Request): boolean {
  return ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].includes(request.method) || request.headers.has("idempotency-key");
}

/**
 * Sends `request`, retrying 429/503 (and failed connections) while it is repeatable. A streamed body
 * cannot be replayed, so a request whose body is a stream is sent once.
 */
export async function fetchWithRetry(
  fetcher: typeof fetch,
  request: Request,
  retry: RetryPolicy,
  signal?: AbortSignal,
): Promise<Response> {
  const repeatable = isRepeatable(request);
  // The body is read by the first send; each attempt sends its own copy.
  const template = repeatable ? request.clone() : request;
  for (let attempt = 0; ; attempt++) {
    const last = !repeatable || attempt + 1 >= retry.maxAttempts;
    const send = last ? template : template.clone();
    let response: Response;
    try {
      response = await fetcher(send);
    } catch (error) {
      if (signal?.aborted || (error instanceof Error && error.name === "AbortError")) throw error;
      if (last) throw new DfdaNetworkError(`${request.method} ${request.url}: ${describe(error)}`, { cause: error });
      await retry.sleep(retry.delay(attempt, null), signal);
      continue;
    }
    if (!last && RETRY_STATUSES.has(response.status)) {
      const wait = retry.delay(attempt, parseRetryAfter(response.headers.get("retry-after")));
      // Free the connection before waiting.
      await response.body?.cancel().catch(() => undefined);
      await retry.sleep(wait, signal);
      continue;
    }
    return response;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
