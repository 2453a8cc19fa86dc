/**
 * The HTTP port the connectors Worker hands every connector, with the bound issue 12 asks of every
 * input ("Unbounded memory"): a vendor's answer is read whole by the connectors (a page is one JSON
 * document), so it is read here first, counted as it arrives, and refused past `maxBytes` before the
 * isolate's memory runs out. A refusal is a `malformed` vendor error: the connection is marked `error`
 * with words the person understands, and the page is not fetched again and again by retries.
 */
import { VendorError, type VendorHttp } from "./contract";

/**
 * The largest vendor answer read: 16 MiB, the mappers' bound on one document a mapper must hold whole
 * (packages/mappers/src/util/limits.ts), far above any vendor's documented page (Oura, Dexcom and Strava
 * pages are kilobytes to a few megabytes).
 */
export const MAX_VENDOR_RESPONSE_BYTES = 16 * 1024 * 1024;

function tooLarge(request: Request, maxBytes: number): VendorError {
  const mib = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new VendorError(
    "malformed",
    `The service sent an answer larger than ${mib} MiB (${new URL(request.url).pathname}), more than the platform reads.`,
  );
}

/**
 * `http` with every response body read up to `maxBytes` and handed on buffered; a declared
 * `Content-Length` over the bound is refused without reading.
 *
 * @example
 * const http = boundedHttp((request) => fetch(request));
 */
export function boundedHttp(http: VendorHttp, maxBytes = MAX_VENDOR_RESPONSE_BYTES): VendorHttp {
  return async (request) => {
    const response = await http(request);
    if (response.body === null) return response;
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body.cancel();
      throw tooLarge(request, maxBytes);
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge(request, maxBytes);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      body.set(chunk, at);
      at += chunk.byteLength;
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
