/**
 * The consumer skeleton's settlement rules, on batches shaped like Cloudflare Queues' (`MessageBatch`):
 * every message ends acked or retried exactly once, by the rule its case calls for. The Workers' own
 * tests (ingest, pipeline, exporter) run the same skeleton against the real database and runtime.
 */
import { describe, expect, it } from "vitest";
import {
  consume,
  exponentialBackoff,
  type FailurePolicy,
  type MessageSchema,
  PermanentFailure,
  type QueueMessage,
} from "./consume";

interface Message {
  id: string;
  n: number;
}

/** `{id: string, n: integer}`, reporting the fields at fault as a zod schema would. */
const Message: MessageSchema<Message> = {
  safeParse: (body) => {
    const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : null;
    if (fields === null) return { success: false, error: { issues: [{ path: [], message: "Expected object" }] } };
    const { id, n } = fields;
    const issues = [
      ...(typeof id === "string" ? [] : [{ path: ["id"], message: "Expected string" }]),
      ...(Number.isInteger(n) ? [] : [{ path: ["n"], message: "Expected integer" }]),
    ];
    return typeof id === "string" && typeof n === "number" && issues.length === 0
      ? { success: true, data: { id, n } }
      : { success: false, error: { issues } };
  },
};

const ID = "0193a5b2-7c1e-7d4a-9f3b-2c8e1a0b4d6f";

/** A message that records how it was settled. */
function message(body: unknown, attempts = 1) {
  const settled: Array<{ ack: true } | { retry: number }> = [];
  const msg: QueueMessage = {
    id: `m-${JSON.stringify(body)}`,
    attempts,
    body,
    ack: () => settled.push({ ack: true }),
    retry: ({ delaySeconds }) => settled.push({ retry: delaySeconds }),
  };
  return { msg, settled };
}

/** A policy that records what it was asked to do; `failing` makes its steps throw. */
function policy(failing: { unreadable?: boolean; deadLetter?: boolean; fail?: boolean } = {}) {
  const calls: string[] = [];
  const recorded: FailurePolicy<Message> = {
    events: { unreadable: "test_invalid", attemptFailed: "test_attempt_failed", deadLetterFailed: "test_dlq_failed" },
    backoff: (attempts) => exponentialBackoff(attempts, 5, 300),
    logIds: (m) => ({ id: m.id }),
    failUnreadable: (body) =>
      typeof body === "object" && body !== null && "id" in body
        ? async (where) => {
            calls.push(`fail unreadable at ${where}`);
            if (failing.unreadable) throw new Error("database away");
          }
        : null,
    deadLetter: async (m, attempts) => {
      calls.push(`dead letter ${m.n} after ${attempts}`);
      if (failing.deadLetter) throw new Error("database away");
    },
    recordAttempt: async (m, attempts, reason) => {
      calls.push(`attempt ${attempts} of ${m.n}: ${reason}`);
    },
    fail: async (m, reason) => {
      calls.push(`fail ${m.n}: ${reason}`);
      if (failing.fail) throw new Error("database away");
    },
  };
  return { policy: recorded, calls };
}

/** A handler for messages that must not reach it. */
async function never(): Promise<void> {
  throw new Error("never handled");
}

describe("consume", () => {
  it("acks what it handled, retries with backoff what threw, and records the failed attempt", async () => {
    const ok = message({ id: ID, n: 1 });
    const failing = message({ id: ID, n: 2 }, 3);
    const { policy: p, calls } = policy();
    const handled: number[] = [];
    await consume(
      { queue: "q", messages: [ok.msg, failing.msg] },
      {
        schema: Message,
        handle: async (m) => {
          if (m.n === 2) throw new Error("write failed");
          handled.push(m.n);
        },
        policy: p,
      },
    );
    expect(handled).toEqual([1]);
    expect(ok.settled).toEqual([{ ack: true }]);
    expect(failing.settled).toEqual([{ retry: 20 }]);
    expect(calls).toEqual(["attempt 3 of 2: write failed"]);
  });

  it("ends the work an unreadable message names, with the fields at fault, and acks it", async () => {
    const named = message({ id: ID, n: "two" });
    const anonymous = message("not an object");
    const { policy: p, calls } = policy();
    await consume({ queue: "q", messages: [named.msg, anonymous.msg] }, { schema: Message, handle: never, policy: p });
    expect(calls).toEqual(["fail unreadable at n"]);
    expect(named.settled).toEqual([{ ack: true }]);
    expect(anonymous.settled).toEqual([{ ack: true }]);
  });

  it("retries an unreadable message while the work it names cannot be ended", async () => {
    const named = message({ id: ID }, 2);
    const { policy: p } = policy({ unreadable: true });
    await consume({ queue: "q", messages: [named.msg] }, { schema: Message, handle: async () => {}, policy: p });
    expect(named.settled).toEqual([{ retry: 10 }]);
  });

  it("on a dead-letter queue ends the work instead of handling it, and retries when that fails", async () => {
    const letter = message({ id: ID, n: 7 }, 6);
    const { policy: p, calls } = policy();
    await consume({ queue: "dfda-test-dlq", messages: [letter.msg] }, { schema: Message, handle: never, policy: p });
    expect(calls).toEqual(["dead letter 7 after 6"]);
    expect(letter.settled).toEqual([{ ack: true }]);

    const stuck = message({ id: ID, n: 8 }, 1);
    const failing = policy({ deadLetter: true });
    await consume(
      { queue: "dfda-test-dlq", messages: [stuck.msg] },
      {
        schema: Message,
        handle: async () => {},
        policy: failing.policy,
      },
    );
    // Not recorded as an attempt: a dead letter's attempts are over.
    expect(failing.calls).toEqual(["dead letter 8 after 1"]);
    expect(stuck.settled).toEqual([{ retry: 5 }]);
  });

  it("handles at most `concurrency` messages at once", async () => {
    const batch = Array.from({ length: 7 }, (_, n) => message({ id: ID, n }));
    let running = 0;
    let most = 0;
    const { policy: p } = policy();
    await consume(
      { queue: "q", messages: batch.map((b) => b.msg) },
      {
        schema: Message,
        handle: async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
        },
        policy: p,
        concurrency: 3,
      },
    );
    expect(most).toBe(3);
    expect(batch.every((b) => b.settled.length === 1 && "ack" in (b.settled[0] ?? {}))).toBe(true);
  });

  it("ends the work at once on a failure retrying cannot change, and acks it; retries while that cannot be recorded", async () => {
    const refused = message({ id: ID, n: 9 }, 1);
    const { policy: p, calls } = policy();
    const handle = async () => {
      throw new PermanentFailure("The JSON document is too long.");
    };
    await consume({ queue: "q", messages: [refused.msg] }, { schema: Message, handle, policy: p });
    expect(calls).toEqual(["fail 9: The JSON document is too long."]);
    expect(refused.settled).toEqual([{ ack: true }]);

    const stuck = message({ id: ID, n: 10 }, 2);
    const failing = policy({ fail: true });
    await consume({ queue: "q", messages: [stuck.msg] }, { schema: Message, handle, policy: failing.policy });
    expect(failing.calls).toEqual(["fail 10: The JSON document is too long.", "attempt 2 of 10: database away"]);
    expect(stuck.settled).toEqual([{ retry: 10 }]);
  });
});
