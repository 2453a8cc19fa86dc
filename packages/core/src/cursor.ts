/**
 * Opaque keyset cursors for every list that can grow. A cursor carries the sort key of the last row
 * sent and the list it belongs to, base64url-encoded; clients must treat it as opaque.
 */
import { ApiError } from "./errors";

export type CursorKey = ReadonlyArray<string | number | null>;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
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
