import { describe, expect, it } from "vitest";
import { METADATA_LIMITS, ObservationInput } from "./observations";

const base = {
  variable: { system: "http://loinc.org", code: "8867-4" },
  value: 72,
  unit: "/min",
  start_at: "2026-11-23T08:30:00+01:00",
};

function metadataIssues(metadata: unknown): string[] {
  const result = ObservationInput.safeParse({ ...base, metadata });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("observation metadata bounds (issue 12, unbounded memory)", () => {
  it("accepts small, nested metadata", () => {
    expect(metadataIssues({ device: "Acme", firmware: { major: 2, minor: [1, 3] }, ok: true, none: null })).toEqual([]);
  });

  it("refuses too many keys", () => {
    const many = Object.fromEntries(Array.from({ length: METADATA_LIMITS.keys + 1 }, (_, i) => [`k${i}`, i]));
    expect(metadataIssues(many)).toEqual([`metadata: At most ${METADATA_LIMITS.keys} keys`]);
  });

  it("refuses a long key, a long string and deep nesting, naming where", () => {
    expect(metadataIssues({ ["k".repeat(METADATA_LIMITS.keyLength + 1)]: 1 })).toEqual([
      `metadata: Keys are at most ${METADATA_LIMITS.keyLength} characters`,
    ]);
    expect(metadataIssues({ a: { b: ["x".repeat(METADATA_LIMITS.stringLength + 1)] } })).toEqual([
      `metadata.a.b.0: Strings are at most ${METADATA_LIMITS.stringLength} characters`,
    ]);
    let deep: unknown = 1;
    for (let i = 0; i < 1_000; i++) deep = [deep];
    expect(metadataIssues({ deep })).toEqual([
      `metadata.deep${".0".repeat(METADATA_LIMITS.depth)}: Nested at most ${METADATA_LIMITS.depth} levels`,
    ]);
  });

  it("refuses metadata larger than the total size however it is spread", () => {
    const wide = Object.fromEntries(
      Array.from({ length: METADATA_LIMITS.keys }, (_, i) => [`k${i}`, "x".repeat(METADATA_LIMITS.stringLength)]),
    );
    expect(metadataIssues(wide)).toEqual([`metadata: At most ${METADATA_LIMITS.bytes} bytes as JSON`]);
  });

  it("refuses values JSON cannot carry", () => {
    expect(metadataIssues({ n: Number.NaN })).toEqual(["metadata.n: Not a JSON value"]);
  });
});
