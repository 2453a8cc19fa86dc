/**
 * Seconds to wait before attempt n+1 of a queued message: `base`, 2 × `base`, 4 × `base` … capped at
 * `cap`. Each Worker passes its own base and cap to `msg.retry({ delaySeconds })` (Cloudflare Queues
 * accepts per-message delays up to 12 hours).
 */
export function exponentialBackoff(attempts: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

/** The parts of a Cloudflare Queues `Message` that settling an unreadable one needs. */
export interface SettleableMessage {
  readonly id: string;
  readonly attempts: number;
  ack(): void;
  retry(options: { delaySeconds: number }): void;
}

/** What a schema said was wrong with a message: where, and why (never the values). */
export type MessageIssues = ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>;

/**
 * A queued message that does not parse will never parse, so retrying it cannot help. Logs the fields at
 * fault, then, when the message still names what it was for, runs `fail` (the job or export ends
 * `failed`, with `where` it went wrong, instead of waiting for ever) and acks. Only a `fail` that
 * throws (the database away just now) has the message retried.
 */
export async function settleUnreadable(
  msg: SettleableMessage,
  issues: MessageIssues,
  options: { event: string; delaySeconds: number; fail: ((where: string) => Promise<unknown>) | null },
): Promise<void> {
  const first = issues.slice(0, 5).map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  console.error(JSON.stringify({ level: "error", event: options.event, id: msg.id, issues: first }));
  if (options.fail !== null) {
    try {
      await options.fail([...new Set(first.map((i) => i.path || "(message)"))].join(", "));
    } catch {
      msg.retry({ delaySeconds: options.delaySeconds });
      return;
    }
  }
  msg.ack();
}
