import { describe, expect, it } from "vitest";
import { parseHl7Timestamp, parseIsoTimestamp } from "./time";

describe("HL7 v2 / CDA timestamps", () => {
  it("keeps the offset the source gives", () => {
    expect(parseHl7Timestamp("20110613083617-0500")).toEqual({
      instant: "2011-06-13T08:36:17-05:00",
      assumedZone: false,
      precision: "second",
    });
  });
  it("reads reduced precision and fractions", () => {
    expect(parseHl7Timestamp("200501")?.instant).toBe("2005-01-01T00:00:00Z");
    expect(parseHl7Timestamp("200501")?.precision).toBe("month");
    expect(parseHl7Timestamp("20050101120000.25+0100")?.instant).toBe("2005-01-01T12:00:00.250+01:00");
  });
  it("applies a default zone, DST included", () => {
    expect(parseHl7Timestamp("202607011200", "Europe/Berlin")?.instant).toBe("2026-07-01T12:00:00+02:00");
    expect(parseHl7Timestamp("202601011200", "Europe/Berlin")?.instant).toBe("2026-01-01T12:00:00+01:00");
    expect(parseHl7Timestamp("202601011200", "-03:30")?.instant).toBe("2026-01-01T12:00:00-03:30");
  });
  it("rejects what is not a timestamp", () => {
    expect(parseHl7Timestamp("2026-01-01")).toBeNull();
    expect(parseHl7Timestamp("20261301")).toBeNull();
    expect(parseHl7Timestamp("20260230")).toBeNull();
  });
});

describe("ISO 8601 timestamps", () => {
  it("reads FHIR dateTime and Apple Health's form", () => {
    expect(parseIsoTimestamp("2013-04-02T09:30:10+01:00")?.instant).toBe("2013-04-02T09:30:10+01:00");
    expect(parseIsoTimestamp("2016-06-17 21:09:29 -0700")?.instant).toBe("2016-06-17T21:09:29-07:00");
    expect(parseIsoTimestamp("2013-04-02")?.precision).toBe("day");
    expect(parseIsoTimestamp("2013-04-02", "America/New_York")?.instant).toBe("2013-04-02T00:00:00-04:00");
    expect(parseIsoTimestamp("2013-04-02T09:30:10.123456Z")?.instant).toBe("2013-04-02T09:30:10.123Z");
  });
  it("rejects nonsense", () => {
    expect(parseIsoTimestamp("yesterday")).toBeNull();
    expect(parseIsoTimestamp("2013-02-30")).toBeNull();
  });
});

describe("lines", async () => {
  const { collect, fromBytes, lines } = await import("./stream");
  const text = "a\r\nbb\rccc\n\nlast";
  it("splits on CRLF, CR and LF, however the chunks fall", async () => {
    for (const size of [1, 2, 3, 100]) {
      const got = await collect(lines(fromBytes(new TextEncoder().encode(text), size)));
      expect(got).toEqual([
        { text: "a", number: 1 },
        { text: "bb", number: 2 },
        { text: "ccc", number: 3 },
        { text: "", number: 4 },
        { text: "last", number: 5 },
      ]);
    }
  });
  it("reads a very long line in linear time", async () => {
    const long = "x".repeat(5_000_000);
    const got = await collect(lines(fromBytes(new TextEncoder().encode(`${long}\nend`), 1024)));
    expect(got.map((l) => l.text.length)).toEqual([5_000_000, 3]);
  });
});
