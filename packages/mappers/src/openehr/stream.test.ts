/**
 * openEHR compositions streamed (issue 15): a canonical composition's `content[]` entries and a FLAT
 * composition's members are handed over one by one; mapped pass by pass through a small look-ahead
 * window they give the same observations and issues as the composition read whole, with the file's
 * locations; the parser holds one entry at a time; a syntax error after a pass refuses the file.
 */
import type { MapContext, MapEvent } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { corpusBytes } from "../../test/corpus";
import { pulseObservation } from "../../test/openehr-fixtures";
import { InputTooLargeError, UnreadableFileError } from "../util/limits";
import { collect, fromBytes } from "../util/stream";
import { mapOpenEhr, type OpenEhrStreamStats, openehrMapper } from "./index";

const context: MapContext = { lookup: { byLabel: () => null } };
const encode = (text: string) => new TextEncoder().encode(text);
const lines = (events: MapEvent[]) => events.map((e) => JSON.stringify(e)).sort();
const codes = (events: MapEvent[]) => events.map((e) => (e.kind === "issue" ? e.issue.code : e.kind));

async function streamed(
  bytes: Uint8Array,
  windowChars: number,
  chunkSize = 97,
): Promise<{ events: MapEvent[]; stats: OpenEhrStreamStats | null }> {
  let stats: OpenEhrStreamStats | null = null;
  const events = await collect(
    mapOpenEhr(fromBytes(bytes, chunkSize), context, {
      windowChars,
      onStats: (s) => {
        stats = s;
      },
    }),
  );
  return { events, stats };
}

const whole = (bytes: Uint8Array) => collect(openehrMapper.map(fromBytes(bytes), context));

const pulse = (i: number) => pulseObservation(i);

const HEADER = `"_type": "COMPOSITION", "name": {"value": "Vitals"}, "archetype_node_id": "openEHR-EHR-COMPOSITION.encounter.v1", "archetype_details": {"template_id": {"value": "vitals.v1"}}, "context": {"start_time": {"value": "2024-01-01T08:00:00Z"}, "health_care_facility": {"name": "Acme"}}`;

describe("openEHR streaming", () => {
  it.each([
    "compo_corona.json",
    "gecco_laborbefund.json",
    "virology_finding_with_specimen.json",
    "time_series.json",
    "invalid.json",
    "EREACT-covid-status-monitoring-FLAT.json",
  ])("%s maps the same through a 64-character window as whole", async (name) => {
    const bytes = corpusBytes(`08-openehr/openehr-sdk/${name}`);
    const { events } = await streamed(bytes, 64);
    expect(lines(events)).toEqual(lines(await whole(bytes)));
  });

  it("maps a canonical composition's content entry by entry, holding one at a time, with the file's locations", async () => {
    const count = 1_000;
    const text = `{${HEADER}, "content": [${Array.from({ length: count }, (_, i) => pulse(i)).join(",")}]}`;
    const { events, stats } = await streamed(encode(text), 20_000, 4096);
    expect(lines(events)).toEqual(lines(await whole(encode(text))));
    const observations = events.filter((e) => e.kind === "observation");
    expect(observations).toHaveLength(count);
    expect(observations.at(-1)).toMatchObject({
      observation: { location: `$.content[${count - 1}].data.events[0].data.items[0]`, value: 60 + ((count - 1) % 40) },
    });
    expect(stats?.passes).toBeGreaterThan(5);
    expect(stats?.maxHeldChars).toBeLessThanOrEqual(HEADER.length + pulse(count - 1).length + 4096 + 100);
    expect(stats?.maxWindowChars).toBeLessThanOrEqual(20_000 + 4096 + pulse(count - 1).length);
  });

  it("maps a FLAT composition member by member, event by event", async () => {
    const count = 500;
    const members = [`"ctx/language": "en"`, `"ctx/territory": "DE"`, `"ctx/time": "2024-06-01T12:00:00+01:00"`];
    for (let i = 0; i < count; i++) {
      const at = `my_vitals.v0/vital_signs/pulse_heart_beat:0/any_event:${i}`;
      members.push(`"${at}/rate|magnitude": ${60 + (i % 40)}`, `"${at}/rate|unit": "/min"`);
      if (i % 2 === 0)
        members.push(
          `"${at}/time": "2024-06-01T${String(Math.floor(i / 60) % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00+01:00"`,
        );
    }
    const text = `{${members.join(",\n")}}`;
    const { events, stats } = await streamed(encode(text), 2_000, 512);
    expect(lines(events)).toEqual(lines(await whole(encode(text))));
    expect(events.filter((e) => e.kind === "observation")).toHaveLength(count);
    // The members are handed over one by one: the parser holds at most a chunk beyond one.
    expect(stats?.maxHeldChars).toBeLessThanOrEqual(512 + 200);
    expect(stats?.units).toBe(members.length);
  });

  it("refuses the file whole on a syntax error after a pass, and gives the one issue before", async () => {
    const broken = `{${HEADER}, "content": [${Array.from({ length: 100 }, (_, i) => pulse(i)).join(",")}, {"_type": ]}`;
    await expect(streamed(encode(broken), 5_000)).rejects.toThrow(UnreadableFileError);
    await expect(streamed(encode(broken), 5_000)).rejects.toMatchObject({ code: "invalid_json" });
    expect(codes((await streamed(encode(broken), 1_000_000)).events)).toEqual(["invalid_json"]);
    expect(codes((await streamed(encode(" "), 100)).events)).toEqual(["invalid_json"]);
    expect(codes((await streamed(encode("42"), 100)).events)).toEqual(["unrecognized_format"]);
  });

  it("refuses a content entry larger than the limit, naming it", async () => {
    const source = (async function* () {
      yield encode(`{${HEADER}, "content": [${pulse(0)}, {"_type": "SECTION", "name": {"value": "`);
      const block = encode("x".repeat(1 << 20));
      for (let i = 0; i < 17; i++) yield block;
      yield encode(`"}}]}`);
    })();
    const error = await collect(mapOpenEhr(source, context)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect(error).toMatchObject({ location: "$.content[1]" });
  });
});
