/**
 * gzip (RFC 1952) of JSON values through the Compression Streams API, which Workers and Node 18+ both
 * provide. Observation batches compress about tenfold (repeated keys, units and codes), so a batch
 * that would not fit a queue message as JSON usually does once compressed.
 */

async function pipe(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The UTF-8 text gzipped. */
export function gzipText(text: string): Promise<Uint8Array<ArrayBuffer>> {
  return pipe(new TextEncoder().encode(text), new CompressionStream("gzip"));
}

/** Gunzips and parses JSON; rejects on corrupt data. */
export async function gunzipJson(bytes: Uint8Array): Promise<unknown> {
  const plain = await pipe(bytes, new DecompressionStream("gzip"));
  return JSON.parse(new TextDecoder().decode(plain));
}
