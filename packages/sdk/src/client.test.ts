/**
 * Retries, backoff, idempotency keys, batching and polling of the SDK, against a local HTTP server that
 * answers as the platform documents (docs/api.md: 429/503 with `Retry-After`, problem+json). The
 * platform itself is exercised by packages/sdk/test (the `platform` project); these cover the timing
 * paths that a real platform cannot be made to take on demand. Waits are recorded, never slept.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DfdaClient, MAX_BATCH } from "./client";
import { DfdaNetworkError, DfdaProblem } from "./errors";
import { parseRetryAfter, RetryPolicy } from "./http";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (seen: Seen, n: number, res: ServerResponse) => void;

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

/** A local server; `handler` answers the n-th request (0-based). */
async function serve(handler: Handler): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const created = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(s);
      handler(s, seen.length - 1, res);
    });
  });
  server = created;
  await new Promise<void>((r) => created.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${(created.address() as AddressInfo).port}`, seen };
}

function problem(res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/problem+json", "X-Request-Id": "req-1", ...headers });
  res.end(JSON.stringify({ type: `https://x/problems/${code}`, title: code, status, code, request_id: "req-1" }));
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const jobAccepted = (n: number) => ({
  job_id: `00000000-0000-4000-8000-00000000000${n}`,
  status_url: "/x",
  status: "queued",
  received: 1,
});
const reading = (i: number) => ({
  variable: { system: "http://loinc.org", code: "8867-4" },
  value: 60 + (i % 30),
  unit: "/min",
  start_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
});

describe("Retry-After (RFC 9110 §10.2.3)", () => {
  it("reads delta-seconds and HTTP-dates, and ignores anything else", () => {
    const now = Date.parse("2026-12-06T12:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Sun, 06 Dec 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 06 Dec 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("-1", now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("backs off with full jitter, capped, and caps a long Retry-After", () => {
    const policy = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999_999 });
    expect(policy.delay(0, null)).toBeCloseTo(100, 0);
    expect(policy.delay(3, null)).toBeCloseTo(800, 0);
    expect(policy.delay(10, null)).toBeCloseTo(1000, 0);
    expect(policy.delay(0, 60_000)).toBe(1000);
  });
});

describe("requests", () => {
  it("retries a read answered 429 after Retry-After, then returns the data", async () => {
    const { base, seen } = await serve((_, n, res) =>
      n < 2 ? problem(res, 429, "rate_limited", { "Retry-After": "2" }) : json(res, 200, { status: "ok" }),
    );
    const { waits, sleep } = recorder();
    const client = new DfdaClient({ baseUrl: base, accessToken: "t", retry: { sleep } });
    const { data } = await client.api.GET("/health");
    expect(data).toEqual({ status: "ok" });
    expect(waits).toEqual([2000, 2000]);
    expect(seen.map((s) => s.headers.authorization)).toEqual(["Bearer t", "Bearer t", "Bearer t"]);
  });

  it("gives up after maxAttempts with the last problem, typed", async () => {
    const { base, seen } = await serve((_, __, res) => problem(res, 503, "service_unavailable"));
    const { waits, sleep } = recorder();
    const client = new DfdaClient({
      baseUrl: base,
      accessToken: "t",
      retry: { sleep, maxAttempts: 3, random: () => 0.5 },
    });
    const error = await client.jobs.get("j").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DfdaProblem);
    expect(error).toMatchObject({ status: 503, code: "service_unavailable", requestId: "req-1" });
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([250, 500]); // 0.5 × 500 × 2^attempt
  });

  it("never repeats a write without an idempotency key", async () => {
    const { base, seen } = await serve((_, __, res) => problem(res, 503, "service_unavailable"));
    const { waits, sleep } = recorder();
    const client = new DfdaClient({ baseUrl: base, accessToken: "t", retry: { sleep } });
    const error = await client.exports.create({ format: "json" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
    expect(seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("says the platform is unreachable after retrying a refused connection", async () => {
    const { base } = await serve(() => undefined);
    server?.close();
    server = undefined;
    const { waits, sleep } = recorder();
    const client = new DfdaClient({ baseUrl: base, accessToken: "t", retry: { sleep, maxAttempts: 2 } });
    await expect(client.jobs.get("j")).rejects.toBeInstanceOf(DfdaNetworkError);
    expect(waits).toHaveLength(1);
  });
});

describe("observations.send", () => {
  it("retries a batch with the same Idempotency-Key and body, and a new key for the next batch", async () => {
    let accepted = 0;
    const { base, seen } = await serve((_, n, res) =>
      n === 0
        ? problem(res, 503, "service_unavailable", { "Retry-After": "1" })
        : json(res, 202, jobAccepted(accepted++)),
    );
    const { waits, sleep } = recorder();
    const client = new DfdaClient({ baseUrl: base, accessToken: "t", retry: { sleep } });
    const jobs = await client.observations.send(
      (function* () {
        for (let i = 0; i < 5; i++) yield reading(i);
      })(),
      { batchSize: 3 },
    );
    expect(jobs).toHaveLength(2);
    expect(waits).toEqual([1000]);
    const keys = seen.map((s) => s.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(seen[1]?.body).toBe(seen[0]?.body);
    expect(seen.map((s) => (JSON.parse(s.body) as { observations: unknown[] }).observations.length)).toEqual([3, 3, 2]);
  });

  it("splits by bytes too, so no request exceeds the 8 MiB body limit", async () => {
    let accepted = 0;
    const { base, seen } = await serve((_, __, res) => json(res, 202, jobAccepted(accepted++)));
    const client = new DfdaClient({ baseUrl: base, accessToken: "t" });
    const note = "x".repeat(1900); // the largest note is 2,000 characters
    async function* many() {
      for (let i = 0; i < 6000; i++) yield { ...reading(i), note };
    }
    await client.observations.send(many());
    expect(seen.length).toBeGreaterThan(1);
    for (const s of seen) expect(Buffer.byteLength(s.body)).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(seen.reduce((n, s) => n + (JSON.parse(s.body) as { observations: unknown[] }).observations.length, 0)).toBe(
      6000,
    );
  });

  it("refuses a batch size the server would refuse", async () => {
    const client = new DfdaClient({ baseUrl: "http://127.0.0.1:9", accessToken: "t" });
    await expect(client.observations.send([reading(0)], { batchSize: MAX_BATCH + 1 })).rejects.toBeInstanceOf(
      RangeError,
    );
    await expect(client.observations.send([reading(0)], { batchSize: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe("jobs.wait", () => {
  it("polls with growing waits and reports each poll", async () => {
    const states = ["queued", "processing", "processing", "completed"];
    const { base } = await serve((_, n, res) =>
      json(res, 200, { id: "j", status: states[n], progress: { processed: n, total: 3 } }),
    );
    const { waits, sleep } = recorder();
    const client = new DfdaClient({ baseUrl: base, accessToken: "t" });
    const seen: string[] = [];
    const job = await client.jobs.wait("j", { sleep, onProgress: (j) => seen.push(j.status) });
    expect(job.status).toBe("completed");
    expect(seen).toEqual(states);
    expect(waits).toEqual([250, 400, 640]);
  });
});
