/**
 * Opaque keyset cursors for every list that can grow. A cursor carries the sort key of the last row
 * sent and the list it belongs to, base64url-encoded; clients must treat it as opaque.
 */
import { base64UrlDecode, base64UrlEncode } from "./encoding";
import { ApiError } from "./errors";

export type CursorKey = ReadonlyArray<string | number | null>;

function toBase64Url(text: string): string {
  return base64UrlEncode(new TextEncoder().encode(text));
}

function fromBase64Url(text: string): string {
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(base64UrlDecode(text));
}

/**
 * Encodes the key of the last row of a page.
 *
 * @example
 * encodeCursor("variables", ["Heart rate", "0193…"]) // "eyJsIjoidmFyaWFibGVz…"
 */
export function encodeCursor(list: string, key: CursorKey): string {
  return toBase64Url(JSON.stringify({ l: list, k: key }));
}

/** Decodes a cursor made by `encodeCursor` for the same list, or throws a 400 `invalid_cursor`. */
export function decodeCursor(list: string, cursor: string, arity: number): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== "object" || parsed === null) throw invalidCursor();
  const { l, k } = parsed as { l?: unknown; k?: unknown };
  if (l !== list || !Array.isArray(k) || k.length !== arity) throw invalidCursor();
  for (const part of k) {
    if (part !== null && typeof part !== "string" && typeof part !== "number") throw invalidCursor();
  }
  return k as CursorKey;
}

function invalidCursor(): ApiError {
  return new ApiError("invalid_cursor", {
    detail: "The cursor is not one this list produced. Request the first page without a cursor.",
    errors: [{ location: "query", path: "cursor", pointer: "/cursor", message: "Invalid cursor" }],
  });
}
