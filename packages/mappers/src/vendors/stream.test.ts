/**
 * Vendor API responses streamed (issue 15): a response mapped pass by pass through a small look-ahead
 * window gives the same observations and issues as the same response mapped whole; the parser holds one
 * item at a time; a syntax error after items were passed on refuses the file.
 */
import type { MapContext, MapEvent } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { UnreadableFileError } from "../util/limits";
import { collect, fromBytes } from "../util/stream";
import { mapVendorResponse, type VendorStreamStats, vendorJsonMapper } from "./index";

const context: MapContext = { lookup: seedCatalog() };
const encode = (text: string) => new TextEncoder().encode(text);

/** Every event as a comparable line, sorted (a pass maps its items after the header's events). */
const lines = (events: MapEvent[]) => events.map((e) => JSON.stringify(e)).sort();

async function streamed(
  bytes: Uint8Array,
  windowChars: number,
  chunkSize = 97,
): Promise<{ events: MapEvent[]; stats: VendorStreamStats | null }> {
  let stats: VendorStreamStats | null = null;
  const events = await collect(
    mapVendorResponse(fromBytes(bytes, chunkSize), context, {
      windowChars,
      onStats: (s) => {
        stats = s;
      },
    }),
  );
  return { events, stats };
}

describe("vendor-json streaming", () => {
  const files = corpusFiles("04-wearables/shimmer-vendor-api");

  /**
   * Responses whose header follows their items: past the window their items are mapped without it
   * (Fitbit's `summary` after `activities`, iHealth's `WeightUnit` after the list, Withings' `timezone`
   * after `measuregrps`), which is why the window is as large as the whole-document limit was.
   */
  const HEADER_AFTER_ITEMS = [
    "fitbit-activities-date-multiple-in-activities-list.json",
    "ihealth-glucose.json",
    "ihealth-weight.json",
    "withings-body-measures.json",
  ];
  const headerFirst = files.filter((f) => !HEADER_AFTER_ITEMS.some((name) => f.endsWith(`/${name}`)));

  it("finds the corpus", () => expect(headerFirst.length).toBe(files.length - HEADER_AFTER_ITEMS.length));

  it.each(headerFirst)("%s maps the same through a 64-character window as whole", async (file) => {
    const bytes = corpusBytes(file);
    const whole = await collect(vendorJsonMapper.map(fromBytes(bytes), context));
    const { events, stats } = await streamed(bytes, 64);
    expect(lines(events)).toEqual(lines(whole));
    expect(stats).not.toBeNull();
  });

  it("maps a response with many items in passes, holding one item at a time, with the file's locations", async () => {
    const group = (i: number) =>
      JSON.stringify({
        grpid: i,
        attrib: 0,
        date: 1_700_000_000 + i * 60,
        category: 1,
        measures: [{ value: 70_000 + i, type: 1, unit: -3 }],
      });
    const count = 2_000;
    const text = `{"status": 0, "body": {"updatetime": 1700000000, "timezone": "Europe/Paris", "measuregrps": [${Array.from(
      { length: count },
      (_, i) => group(i),
    ).join(",")}]}}`;
    const whole = await collect(vendorJsonMapper.map(fromBytes(encode(text)), context));
    const { events, stats } = await streamed(encode(text), 10_000, 4096);
    expect(lines(events)).toEqual(lines(whole));
    expect(events).toHaveLength(count);
    expect(events.at(-1)).toMatchObject({
      kind: "observation",
      observation: { location: `$.body.measuregrps[${count - 1}].measures[0]`, value: (70_000 + count - 1) / 1000 },
    });
    expect(stats?.batches).toBeGreaterThan(10);
    expect(stats?.items).toBe(count);
    // One item (and the header around it) at a time, at most one chunk of text ahead.
    expect(stats?.maxHeldChars).toBeLessThanOrEqual(group(count - 1).length + 4096 + 200);
    // The window: its limit plus what one chunk of text completed (it is mapped after each chunk).
    expect(stats?.maxWindowChars).toBeLessThanOrEqual(10_000 + 4096 + group(count - 1).length);
  });

  it("knows an Oura response by its documents before `next_token`, past the window", async () => {
    const sample = (i: number) =>
      JSON.stringify({
        bpm: 60 + (i % 30),
        source: "awake",
        timestamp: `2026-01-01T00:${String(i % 60).padStart(2, "0")}:00+00:00`,
      });
    const text = `{"data": [${Array.from({ length: 500 }, (_, i) => sample(i)).join(",")}], "next_token": null}`;
    const whole = await collect(vendorJsonMapper.map(fromBytes(encode(text)), context));
    const { events, stats } = await streamed(encode(text), 1_000);
    expect(lines(events)).toEqual(lines(whole));
    expect(events.filter((e) => e.kind === "observation")).toHaveLength(500);
    expect(stats?.batches).toBeGreaterThan(1);
  });

  it("maps a Fitbit intraday dataset in passes with the date of its daily entry", async () => {
    const point = (i: number) =>
      JSON.stringify({
        time: `${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00`,
        value: 60 + (i % 40),
      });
    const text = `{"activities-heart": [{"dateTime": "2026-01-02", "value": {"restingHeartRate": 58, "heartRateZones": []}}], "activities-heart-intraday": {"dataset": [${Array.from(
      { length: 1440 },
      (_, i) => point(i),
    ).join(",")}], "datasetInterval": 1, "datasetType": "minute"}}`;
    const ctx: MapContext = { ...context, timezone: "Europe/Berlin" };
    const whole = await collect(vendorJsonMapper.map(fromBytes(encode(text)), ctx));
    const events = await collect(mapVendorResponse(fromBytes(encode(text), 512), ctx, { windowChars: 2_000 }));
    expect(lines(events)).toEqual(lines(whole));
    // The resting heart rate (outside the streamed dataset) is mapped once.
    expect(
      events.filter((e) => e.kind === "observation" && e.observation.location.includes("restingHeartRate")),
    ).toHaveLength(1);
    expect(events.filter((e) => e.kind === "observation")).toHaveLength(1441);
  });

  it("refuses the file whole on a syntax error after items were passed on, and gives one issue before", async () => {
    const sample = (i: number) =>
      JSON.stringify({ bpm: 60, source: "awake", timestamp: `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}Z` });
    const broken = `{"data": [${Array.from({ length: 200 }, (_, i) => sample(i)).join(",")}, {"bpm": 61,, ], "next_token": null}`;
    await expect(streamed(encode(broken), 1_000)).rejects.toThrow(UnreadableFileError);
    await expect(streamed(encode(broken), 1_000)).rejects.toMatchObject({ code: "invalid_json" });
    // Within the window nothing was passed on: the one issue a response read whole gives.
    const { events } = await streamed(encode(broken), 1_000_000);
    expect(events.map((e) => (e.kind === "issue" ? e.issue.code : e.kind))).toEqual(["invalid_json"]);
    expect((await streamed(encode("   "), 100)).events.map((e) => (e.kind === "issue" ? e.issue.code : ""))).toEqual([
      "invalid_json",
    ]);
  });

  it("says a response no shape reads is not one, past the window too", async () => {
    const text = `{"things": [${Array.from({ length: 100 }, (_, i) => `{"n": ${i}}`).join(",")}]}`;
    for (const window of [50, 1_000_000]) {
      const { events } = await streamed(encode(text), window);
      expect(events.map((e) => (e.kind === "issue" ? e.issue.code : e.kind))).toEqual(["unrecognized_format"]);
    }
  });
});
