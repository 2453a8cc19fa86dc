/**
 * Body limits through the real app (issue 12, "Unbounded memory"): every JSON and form route refuses a
 * body over its limit with a 413 `payload_too_large` problem naming the limit, whether the size is
 * declared (Content-Length) or only seen as the body arrives (chunked, no Content-Length).
 */
import { describe, expect, it } from "vitest";
import { api, expectProblem } from "../../test/helpers";
import { BODY_LIMITS, DEFAULT_BODY_LIMIT, INGEST_OBSERVATIONS_BODY_LIMIT } from "./body-limit";

/** A body of `size` bytes sent in 64 KiB chunks without a Content-Length (chunked transfer coding). */
function chunked(size: number, fill = 0x20): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) {
        controller.close();
        return;
      }
      const n = Math.min(64 * 1024, size - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(fill));
    },
  });
}

/** Puts `text` before the stream's bytes. */
function prefix(text: string): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
    },
  });
}

describe("body limits", () => {
  it("refuses a declared oversized JSON body before reading it (Content-Length)", async () => {
    const body = `{"observations":[],"pad":"${"x".repeat(INGEST_OBSERVATIONS_BODY_LIMIT)}"}`;
    const res = await api("/v1/ingest/observations", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer not-checked-yet" },
      body,
    });
    const problem = await expectProblem(res, 413, "payload_too_large");
    expect(problem.detail).toContain(INGEST_OBSERVATIONS_BODY_LIMIT.toLocaleString("en"));
    expect(problem.limit_bytes).toBe(INGEST_OBSERVATIONS_BODY_LIMIT);
  });

  it("refuses a chunked body without Content-Length once it passes the limit", async () => {
    const res = await api("/v1/consents", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: chunked(DEFAULT_BODY_LIMIT * 4),
      duplex: "half",
    } as RequestInit);
    const problem = await expectProblem(res, 413, "payload_too_large");
    expect(problem.limit_bytes).toBe(DEFAULT_BODY_LIMIT);
  });

  it("applies to the authorization server's form routes", async () => {
    for (const path of ["/oauth/token", "/oauth/login", "/oauth/signup", "/oauth/revoke", "/oauth/register"]) {
      const res = await api(path, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: chunked(DEFAULT_BODY_LIMIT + 1, 0x61),
        duplex: "half",
      } as RequestInit);
      await expectProblem(res, 413, "payload_too_large");
    }
  });

  it("passes a body of exactly the limit on to the route", async () => {
    const params = "grant_type=none&pad=";
    const res = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: chunked(DEFAULT_BODY_LIMIT - params.length, 0x61).pipeThrough(prefix(params)),
      duplex: "half",
    } as RequestInit);
    // The token endpoint answered in its own format (RFC 6749 §5.2): it read the whole body.
    expect(res.status).not.toBe(413);
    expect(typeof ((await res.json()) as { error?: unknown }).error).toBe("string");
  });

  it("leaves the streamed file upload to its own, larger limit", () => {
    expect(BODY_LIMITS).toContainEqual({ method: "POST", path: "/v1/ingest/files", bytes: null });
  });
});
