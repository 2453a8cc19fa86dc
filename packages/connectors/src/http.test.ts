import { describe, expect, it } from "vitest";
import { VendorError } from "./contract";
import { boundedHttp } from "./http";

const request = () => new Request("https://api.vendor.test/v2/usercollection/heartrate?start=1");

/** A body of `size` bytes sent in 1 KiB chunks, with no Content-Length (a chunked answer). */
function chunked(size: number): Response {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(1024, size - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "application/json" } });
}

describe("boundedHttp", () => {
  it("hands on an answer within the bound unchanged", async () => {
    const http = boundedHttp(async () => Response.json({ data: [1, 2] }, { status: 200 }), 1024);
    const response = await http(request());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: [1, 2] });
  });

  it("refuses a chunked answer past the bound as it arrives", async () => {
    const http = boundedHttp(async () => chunked(64 * 1024), 10 * 1024);
    const refusal = await http(request()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(VendorError);
    expect(refusal).toMatchObject({ kind: "malformed" });
    expect((refusal as Error).message).toContain("/v2/usercollection/heartrate");
  });

  it("refuses a declared Content-Length over the bound without reading it", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(10));
      },
    });
    const http = boundedHttp(
      async () => new Response(stream, { headers: { "content-length": String(1024 * 1024 * 1024) } }),
      1024,
    );
    await expect(http(request())).rejects.toMatchObject({ kind: "malformed" });
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("keeps status and headers, and answers without a body as they are", async () => {
    const http = boundedHttp(async () => new Response(null, { status: 204, headers: { "retry-after": "7" } }), 1024);
    const response = await http(request());
    expect(response.status).toBe(204);
    expect(response.headers.get("retry-after")).toBe("7");
  });
});
