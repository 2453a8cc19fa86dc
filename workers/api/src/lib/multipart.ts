/**
 * A streaming `multipart/form-data` reader (RFC 7578, on RFC 2046 §5.1's delimiter syntax): parts are
 * read in order and each part's body is a stream, so a file of gigabytes passes through with only a
 * chunk and a delimiter's length in memory. (Libraries we tried buffer each part whole.)
 *
 * Only the fields a route names are read, each at most once (issue 12, "Unbounded memory"): a part
 * with another name, no name (RFC 7578 §4.2 requires one) or a name seen before is refused with a 400
 * at once, so the number of parts and the memory they take are bounded by the route's field list and
 * `text`'s limit. Part headers are bounded by MAX_HEADER_BYTES.
 */
import { ApiError } from "@dfda/core";
import { fieldError } from "./problem";

export interface PartHeaders {
  name: string;
  filename: string | null;
  contentType: string | null;
}

const CRLF = new Uint8Array([13, 10]);
const HEADER_END = new Uint8Array([13, 10, 13, 10]);
const MAX_HEADER_BYTES = 16 * 1024;

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  outer: for (
    let i = haystack.indexOf(first ?? 0, from);
    i !== -1 && i <= haystack.length - needle.length;
    i = haystack.indexOf(first ?? 0, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function malformed(detail: string): ApiError {
  return new ApiError("validation_failed", {
    detail: `Malformed multipart/form-data body: ${detail}`,
    errors: [fieldError("body", [], detail)],
  });
}

/** The boundary of a `multipart/form-data` Content-Type, or null. */
export function multipartBoundary(contentType: string | null): string | null {
  if (contentType === null || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2] ?? null;
}

function headerParam(value: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}\\*?=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i").exec(value);
  const raw = m?.[1] ?? m?.[2];
  if (raw === undefined) return null;
  const star = new RegExp(`;\\s*${name}\\*=(?:UTF-8''([^;]*))`, "i").exec(value);
  if (star?.[1] !== undefined) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      return raw;
    }
  }
  return raw.replace(/\\(.)/g, "$1").trim();
}

export interface MultipartOptions {
  /** The field names the route reads; any other part is refused. */
  names: readonly string[];
}

export class MultipartReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly delimiter: Uint8Array;
  /** Starts with a virtual CRLF so the first delimiter has the same shape as every later one. */
  private buffer: Uint8Array = CRLF;
  private eof = false;
  private inPart = false;
  private finished = false;
  private readonly names: readonly string[];
  private readonly seen = new Set<string>();

  constructor(body: ReadableStream<Uint8Array>, boundary: string, options: MultipartOptions) {
    this.reader = body.getReader();
    this.delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
    this.names = options.names;
  }

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const next = await this.reader.read();
    if (next.done) {
      this.eof = true;
      return false;
    }
    this.buffer = concat(this.buffer, next.value);
    return true;
  }

  /** Skips to the next part (the rest of the current one is discarded); null after the last. */
  async next(): Promise<PartHeaders | null> {
    if (this.finished) return null;
    if (this.inPart) {
      const rest = this.body().getReader();
      while (!(await rest.read()).done) {}
    }
    // Find the delimiter (skipping a preamble before the first one).
    for (;;) {
      const at = indexOf(this.buffer, this.delimiter);
      if (at !== -1) {
        this.buffer = this.buffer.subarray(at + this.delimiter.length);
        break;
      }
      if (this.buffer.length > this.delimiter.length)
        this.buffer = this.buffer.subarray(this.buffer.length - this.delimiter.length);
      if (!(await this.fill())) throw malformed("no boundary delimiter found.");
    }
    while (this.buffer.length < 2) if (!(await this.fill())) throw malformed("the body ends after a delimiter.");
    if (this.buffer[0] === 45 && this.buffer[1] === 45) {
      this.finished = true;
      await this.reader.cancel().catch(() => {});
      return null;
    }
    let end = indexOf(this.buffer, HEADER_END);
    while (end === -1) {
      if (this.buffer.length > MAX_HEADER_BYTES) throw malformed("part headers are too long.");
      if (!(await this.fill())) throw malformed("the body ends inside part headers.");
      end = indexOf(this.buffer, HEADER_END);
    }
    const text = new TextDecoder().decode(this.buffer.subarray(0, end));
    this.buffer = this.buffer.subarray(end + HEADER_END.length);
    const headers = new Map<string, string>();
    for (const line of text.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get("content-disposition") ?? "";
    const name = headerParam(disposition, "name");
    if (name === null) throw this.refuse("a part has no name (RFC 7578 §4.2).");
    if (!this.names.includes(name)) {
      throw this.refuse(`unexpected field \`${name.slice(0, 64)}\` (expected: ${this.names.join(", ")}).`);
    }
    if (this.seen.has(name)) throw this.refuse(`the field \`${name}\` is repeated.`);
    this.seen.add(name);
    this.inPart = true;
    return {
      name,
      filename: headerParam(disposition, "filename"),
      contentType: headers.get("content-type") ?? null,
    };
  }

  /** Stops reading (the rest of the body is not read) and returns the error to throw. */
  private refuse(detail: string): ApiError {
    this.finished = true;
    this.reader.cancel().catch(() => {});
    return malformed(detail);
  }

  /** The current part's body, up to the next delimiter. Read it before calling `next` again. */
  body(): ReadableStream<Uint8Array> {
    const keep = this.delimiter.length - 1;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          if (!this.inPart) {
            controller.close();
            return;
          }
          const at = indexOf(this.buffer, this.delimiter);
          if (at !== -1) {
            if (at > 0) controller.enqueue(this.buffer.slice(0, at));
            // Leave the delimiter in the buffer for `next`.
            this.buffer = this.buffer.subarray(at);
            this.inPart = false;
            controller.close();
            return;
          }
          if (this.buffer.length > keep) {
            controller.enqueue(this.buffer.slice(0, this.buffer.length - keep));
            this.buffer = this.buffer.subarray(this.buffer.length - keep);
            return;
          }
          if (!(await this.fill())) {
            controller.error(malformed("the body ends inside a part."));
            return;
          }
        }
      },
    });
  }

  /** The current part's body as text, at most `limit` bytes. */
  async text(limit: number): Promise<string> {
    const reader = this.body().getReader();
    let out: Uint8Array = new Uint8Array(0);
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      out = concat(out, next.value);
      if (out.length > limit) throw malformed(`a form field is longer than ${limit} bytes.`);
    }
    return new TextDecoder().decode(out);
  }
}
