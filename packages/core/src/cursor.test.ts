/**
 * List cursors over the one base64url implementation (RFC 4648 §5, unpadded, ./encoding): what
 * `encodeCursor` writes `decodeCursor` reads back, and anything else is a 400 `invalid_cursor`.
 */
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";
import { ApiError } from "./errors";

function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ApiError ? error.code : String(error);
  }
  return undefined;
}

describe("list cursors", () => {
  it("read back the key they were made from, non-ASCII text and nulls included", () => {
    const key = ["Herzfrequenz ❤️ (Schläge/min)", 42, null];
    const cursor = encodeCursor("variables", key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor("variables", cursor, 3)).toEqual(key);
  });

  it("are refused for another list, another arity, or text that is not unpadded base64url JSON", () => {
    const cursor = encodeCursor("variables", ["a", 1]);
    expect(refusal(() => decodeCursor("units", cursor, 2))).toBe("invalid_cursor");
    expect(refusal(() => decodeCursor("variables", cursor, 3))).toBe("invalid_cursor");
    for (const bad of [`${cursor}=`, `${cursor.replace(/-/g, "+").replace(/_/g, "/")}+/`, "not a cursor", "e30"]) {
      expect(
        refusal(() => decodeCursor("variables", bad, 2)),
        bad,
      ).toBe("invalid_cursor");
    }
  });
});
