/**
 * Resumable uploads with tus 1.0.0 (https://tus.io/protocols/resumable-upload: core and the `creation`
 * extension), against `/v1/uploads` (docs/api.md "Resumable uploads"). The server keeps every byte a
 * PATCH delivered, even when the connection drops in the middle, so a broken upload goes on from the
 * offset a HEAD reports instead of starting again: what a big Apple Health export on a poor connection
 * needs. The source is a Blob (in Node, `fs.openAsBlob` of a path: `uploadPathResumable` in
 * `@dfda/sdk/node`), read slice by slice, so any offset can be sent again.
 */
import type { DfdaClient, IngestJob, JobProgress, UploadProgress } from "./client";
import { canStreamUploads, counting } from "./client";
import { DfdaError, DfdaNetworkError, problemFrom } from "./errors";
import { parseRetryAfter } from "./http";
import type { components } from "./openapi.generated";

export type Upload = components["schemas"]["Upload"];

/** tus 1.0.0 §Tus-Resumable: every request but OPTIONS names the protocol version. */
const TUS_VERSION = "1.0.0";

export interface ResumableUploadOptions {
  /** The file's name (a File's own name by default); it helps detect the format. */
  name?: string;
  /** The declared media type; a hint for format detection. */
  contentType?: string;
  /** An upload created earlier (its URL, as `onCreated` gave it): continue it from the server's offset. */
  uploadUrl?: string;
  /** Called with the upload's URL once created: keep it to resume after the process itself stopped. */
  onCreated?: (url: string) => void;
  /** Bytes the server holds so far, and the total. */
  onProgress?: UploadProgress;
  /**
   * Bytes per PATCH. Default: the rest of the file in one streamed request where the runtime streams
   * request bodies (Node, Workers), else 8 MiB slices (browsers need HTTP/2 to stream a body).
   */
  chunkSize?: number;
  /** How many times a dropped or refused PATCH is resumed before giving up (default 5). */
  maxResumes?: number;
  /** Wait for the mapping job; it is then returned as `job`. */
  wait?: boolean;
  onJobProgress?: JobProgress;
  signal?: AbortSignal;
}

/** tus 1.0.0 §Upload-Metadata: `key base64(value)` pairs, comma-separated; values are UTF-8. */
export function uploadMetadata(pairs: Record<string, string | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => {
      let binary = "";
      for (const b of new TextEncoder().encode(value)) binary += String.fromCharCode(b);
      return `${key} ${btoa(binary)}`;
    })
    .join(",");
}

const BROWSER_CHUNK = 8 * 1024 * 1024;

/**
 * Uploads `blob` with tus, resuming after a dropped connection, a 5xx, a 423 (another request still
 * writing) or a 409 offset mismatch from the offset HEAD reports; other refusals throw their problem.
 * Returns the completed upload (`file_id`, `job_id`) and, with `wait`, the finished mapping job.
 *
 * @example
 * const done = await uploadResumable(client, file, { onProgress: (sent, total) => bar(sent / total), wait: true });
 */
export async function uploadResumable(
  client: DfdaClient,
  blob: Blob,
  options: ResumableUploadOptions = {},
): Promise<Upload & { url: string; job?: IngestJob }> {
  const size = blob.size;
  if (size === 0) throw new DfdaError("an upload needs at least one byte (tus Upload-Length >= 1 here)");
  const named = blob as Blob & { name?: unknown };
  const name = options.name ?? (typeof named.name === "string" ? named.name : undefined);
  const contentType = options.contentType ?? (blob.type || undefined);
  const stream = canStreamUploads();
  const chunk = options.chunkSize ?? (stream ? size : BROWSER_CHUNK);
  const maxResumes = options.maxResumes ?? 5;
  const signal = options.signal;
  const tus = (extra: Record<string, string> = {}) => ({ "Tus-Resumable": TUS_VERSION, ...extra });
  const init = (method: string, headers: Record<string, string>) => ({
    method,
    headers,
    ...(signal === undefined ? {} : { signal }),
  });

  let url = options.uploadUrl;
  if (url === undefined) {
    const created = await client.fetch(
      new Request(
        `${client.baseUrl}/v1/uploads`,
        init(
          "POST",
          tus({
            "Upload-Length": String(size),
            "Upload-Metadata": uploadMetadata({ filename: name, filetype: contentType }),
          }),
        ),
      ),
    );
    if (created.status !== 201) throw await problemFrom(created);
    await created.body?.cancel();
    const location = created.headers.get("location");
    if (!location) throw new DfdaError("the server created the upload without a Location");
    url = new URL(location, client.baseUrl).toString();
    options.onCreated?.(url);
  }
  const uploadUrl = url;

  const head = async (): Promise<number> => {
    const answer = await client.fetch(new Request(uploadUrl, init("HEAD", tus())));
    if (!answer.ok) throw await problemFrom(answer);
    return readOffset(answer);
  };

  let offset = options.uploadUrl === undefined ? 0 : await head();
  options.onProgress?.(offset, size);
  let resumes = 0;
  const resume = async (wait: number, why: string, cause?: unknown) => {
    resumes++;
    if (resumes > maxResumes)
      throw new DfdaError(`the upload stopped at ${offset} of ${size} bytes: ${why}`, cause ? { cause } : undefined);
    await client.retry.sleep(wait, signal);
    offset = await head();
    options.onProgress?.(offset, size);
  };

  while (offset < size) {
    const end = Math.min(size, offset + chunk);
    const start = offset;
    const slice = blob.slice(start, end);
    const body = stream
      ? counting(slice.stream(), undefined, (sent) => options.onProgress?.(start + sent, size))
      : slice;
    const request = new Request(uploadUrl, {
      ...init("PATCH", tus({ "Upload-Offset": String(start), "Content-Type": "application/offset+octet-stream" })),
      body,
      ...(stream ? { duplex: "half" } : {}),
    } as RequestInit);
    let answer: Response;
    try {
      answer = await client.fetch(request, { replayable: false, ...(signal === undefined ? {} : { signal }) });
    } catch (error) {
      if (signal?.aborted || !(error instanceof DfdaNetworkError || error instanceof TypeError)) throw error;
      await resume(client.retry.delay(resumes, null), "the connection failed", error);
      continue;
    }
    if (answer.status === 204) {
      offset = readOffset(answer);
      options.onProgress?.(offset, size);
      resumes = 0;
      continue;
    }
    // 423: another PATCH still holds the upload; 409: our offset was stale; 5xx: the server's trouble.
    if (answer.status === 423 || answer.status === 409 || answer.status >= 500) {
      const retryAfter = parseRetryAfter(answer.headers.get("retry-after"));
      await answer.body?.cancel();
      await resume(client.retry.delay(resumes, retryAfter), `the server answered ${answer.status}`);
      continue;
    }
    throw await problemFrom(answer);
  }

  const id = new URL(uploadUrl).pathname.split("/").pop() ?? "";
  const done = await client.unwrap(
    client.api.GET("/v1/uploads/{id}", { params: { path: { id }, header: { "tus-resumable": TUS_VERSION } } }),
  );
  const result: Upload & { url: string; job?: IngestJob } = { ...done, url: uploadUrl };
  if (options.wait && done.job_id) {
    result.job = await client.jobs.wait(done.job_id, {
      ...(options.onJobProgress === undefined ? {} : { onProgress: options.onJobProgress }),
      ...(signal === undefined ? {} : { signal }),
    });
  }
  return result;
}

function readOffset(response: Response): number {
  const value = response.headers.get("upload-offset");
  if (value === null || !/^\d+$/.test(value)) throw new DfdaError("the server's answer has no valid Upload-Offset");
  return Number(value);
}
