/**
 * UUIDv7 (RFC 9562 §5.7): the time `uuidv7` writes into its first 48 bits is the time `uuidv7Time`
 * reads back, to the millisecond; other versions and non-UUIDs carry no time.
 */
import { describe, expect, it } from "vitest";
import { isUuid, uuidv7, uuidv7Time } from "./ids";

describe("uuidv7Time", () => {
  it("reads back the millisecond a UUIDv7 was made at", () => {
    for (const now of [0, 1, 1_700_000_000_123, 2 ** 48 - 1]) {
      const id = uuidv7(now);
      expect(isUuid(id)).toBe(true);
      expect(uuidv7Time(id)).toBe(now);
    }
  });

  it("answers null for other UUID versions and for non-UUIDs", () => {
    expect(uuidv7Time("123e4567-e89b-42d3-a456-426614174000")).toBeNull();
    expect(uuidv7Time("not-a-uuid")).toBeNull();
    expect(uuidv7Time("")).toBeNull();
  });
});
