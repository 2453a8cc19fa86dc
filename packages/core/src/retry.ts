/**
 * Seconds to wait before attempt n+1 of a queued message: `base`, 2 × `base`, 4 × `base` … capped at
 * `cap`. Each Worker passes its own base and cap to `msg.retry({ delaySeconds })` (Cloudflare Queues
 * accepts per-message delays up to 12 hours).
 */
export function exponentialBackoff(attempts: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}
