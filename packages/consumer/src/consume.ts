/**
 * The one skeleton of a queue consumer (Cloudflare Queues): parse each message with its schema, hand
 * the ones that parse to the consumer's handler, and settle every message explicitly, ack or retry,
 * by one failure policy:
 *
 * - a message that does not parse will never parse: the work it still names is ended and it is acked
 *   (`settleUnreadable`);
 * - a handler that throws (the database away, a write that failed) has the message retried with
 *   exponential backoff, after recording the attempt where its owner can see it;
 * - on the dead-letter queue (`…-dlq`, where Queues moves a message after its last retry) the work is
 *   ended for good instead of handled.
 *
 * Handlers are idempotent (a finished job or export is never written again), so a redelivered message
 * changes nothing. The ingest, mapper and exporter Workers use it, and so will the connectors'.
 */
import { safeErrorMessage } from "@dfda/db";

/**
 * Seconds to wait before attempt n+1 of a queued message: `base`, 2 × `base`, 4 × `base` … capped at
 * `cap`. Each Worker passes its own base and cap to `msg.retry({ delaySeconds })` (Cloudflare Queues
 * accepts per-message delays up to 12 hours).
 */
export function exponentialBackoff(attempts: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

/** The parts of a Cloudflare Queues `Message` a consumer settles. */
export interface QueueMessage {
  readonly id: string;
  readonly attempts: number;
  readonly body: unknown;
  ack(): void;
  retry(options: { delaySeconds: number }): void;
}

/** The parts of a Cloudflare Queues `MessageBatch` a consumer reads. */
export interface QueueBatch {
  readonly queue: string;
  readonly messages: readonly QueueMessage[];
}

/** What a schema said was wrong with a message: where, and why (never the values). */
export type MessageIssues = ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>;

/** A message schema (a zod schema, or anything with its `safeParse`). */
export interface MessageSchema<M> {
  safeParse(body: unknown): { success: true; data: M } | { success: false; error: { issues: MessageIssues } };
}

/** How a consumer's failures are settled. */
export interface FailurePolicy<M> {
  /** The log events of a message that does not parse, of a failed attempt and of a dead letter not settled. */
  events: { unreadable: string; attemptFailed: string; deadLetterFailed: string };
  /** Seconds before attempt n+1 (`exponentialBackoff` with the consumer's base and cap). */
  backoff(attempts: number): number;
  /** The ids that name a message's work in log lines (never its values). */
  logIds(message: M): Record<string, string>;
  /**
   * A message that does not parse: what ends the work it still names (given where it went wrong), or
   * null when it names nothing that could be ended.
   */
  failUnreadable(body: unknown): ((where: string) => Promise<unknown>) | null;
  /** A dead letter: ends its work for good (failed, with the reason the attempts left behind). */
  deadLetter(message: M, attempts: number): Promise<unknown>;
  /** Records a failed attempt where the work's owner sees it; best effort (its own failure is ignored). */
  recordAttempt?(message: M, attempts: number, reason: string): Promise<unknown>;
  /**
   * A PermanentFailure: ends the work for good now, with its reason (safe to show). Without it, a
   * PermanentFailure is retried like any other error.
   */
  fail?(message: M, reason: string): Promise<unknown>;
}

/**
 * A failure that retrying cannot change: the input itself is refused (a file past a size limit). The
 * consumer does not retry it until the dead-letter queue: the policy's `fail` ends the work at once
 * with this message, which the work's owner sees, and the message is acked.
 *
 * @example
 * throw new PermanentFailure("The JSON document is longer than 16,777,216 characters …");
 */
export class PermanentFailure extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = "PermanentFailure";
  }
}

export interface Consumer<M> {
  schema: MessageSchema<M>;
  /** Does the work of one message; throws to have it retried. */
  handle(message: M): Promise<void>;
  policy: FailurePolicy<M>;
  /** Messages handled at once (default 1: one after the other). Dead letters are settled one at a time. */
  concurrency?: number;
}

/**
 * Settles every message of a batch: parse, then handle (or end, on the dead-letter queue), then ack;
 * retry with backoff when that throws.
 *
 * @example
 * export default {
 *   async queue(batch, env) {
 *     await consume(batch, { schema: ExportMessage, handle: (m) => build(env, m), policy: exportPolicy(env) });
 *   },
 * } satisfies ExportedHandler<Env>;
 */
export async function consume<M>(batch: QueueBatch, consumer: Consumer<M>): Promise<void> {
  const deadLetters = batch.queue.endsWith("-dlq");
  const limit = deadLetters ? 1 : (consumer.concurrency ?? 1);
  await forEachConcurrently(batch.messages, limit, (msg) => settle(msg, deadLetters, consumer));
}

async function settle<M>(msg: QueueMessage, deadLetter: boolean, { schema, handle, policy }: Consumer<M>) {
  const parsed = schema.safeParse(msg.body);
  if (!parsed.success) {
    await settleUnreadable(msg, parsed.error.issues, {
      event: policy.events.unreadable,
      delaySeconds: policy.backoff(msg.attempts),
      fail: policy.failUnreadable(msg.body),
    });
    return;
  }
  const message = parsed.data;
  try {
    if (deadLetter) await policy.deadLetter(message, msg.attempts);
    else
      await handle(message).catch(async (error: unknown) => {
        if (!(error instanceof PermanentFailure) || policy.fail === undefined) throw error;
        console.warn(
          JSON.stringify({
            level: "warn",
            event: policy.events.attemptFailed,
            ...policy.logIds(message),
            attempt: msg.attempts,
            permanent: true,
            error: error.message,
          }),
        );
        // When the failure cannot be recorded, the message is retried as any failed attempt is.
        await policy.fail(message, error.message);
      });
  } catch (error) {
    // The database's reason, never the values.
    const reason = safeErrorMessage(error);
    const event = deadLetter ? policy.events.deadLetterFailed : policy.events.attemptFailed;
    console.error(
      JSON.stringify({ level: "error", event, ...policy.logIds(message), attempt: msg.attempts, error: reason }),
    );
    if (!deadLetter) await policy.recordAttempt?.(message, msg.attempts, reason).catch(() => {});
    msg.retry({ delaySeconds: policy.backoff(msg.attempts) });
    return;
  }
  msg.ack();
}

/**
 * A queued message that does not parse will never parse, so retrying it cannot help. Logs the fields at
 * fault, then, when the message still names what it was for, runs `fail` (the job or export ends
 * `failed`, with `where` it went wrong, instead of waiting for ever) and acks. Only a `fail` that
 * throws (the database away just now) has the message retried.
 */
export async function settleUnreadable(
  msg: Pick<QueueMessage, "id" | "ack" | "retry">,
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

/**
 * Runs `fn` over `items`, at most `limit` at a time. Unbounded, a batch of 100 messages put 100
 * validations and writes in flight at once: no faster (the writers and the database are the limit),
 * and everything else in the isolate waited behind that burst.
 */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
