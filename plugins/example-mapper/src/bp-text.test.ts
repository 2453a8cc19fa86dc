/**
 * The example plugin's mapper on its own (and through the contract in-process). Runs in the vitest
 * project "plugins" (workerd, where the plugin runs); plugin.workers.test.ts crosses a real binding.
 */
import { DETECT_HEAD_BYTES, type MapEvent } from "@dfda/core";
import { collect, detectInput, fromBytes } from "@dfda/mappers";
import { pluginMapper, servePlugin } from "@dfda/mappers/plugin";
import { describe, expect, it } from "vitest";
import { bpTextLogMapper } from "./bp-text";

const encoder = new TextEncoder();
const lookup = { byLabel: () => null };

const map = (text: string, timezone?: string, chunk = 64 * 1024) =>
  collect(
    bpTextLogMapper.map(fromBytes(encoder.encode(text), chunk), {
      lookup,
      ...(timezone === undefined ? {} : { timezone }),
    }),
  );

/** `code value unit start_at location [note]` per observation, `code location` per issue. */
const brief = (events: MapEvent[]) =>
  events.map((e) =>
    e.kind === "observation"
      ? [
          e.observation.codings[0]?.code,
          e.observation.value,
          e.observation.unit,
          e.observation.start_at,
          e.observation.location,
          ...(e.observation.note === undefined ? [] : [e.observation.note]),
        ].join(" ")
      : `${e.issue.code} ${e.issue.location ?? "-"}`,
  );

describe("bpTextLogMapper.map", () => {
  it("maps each reading to systolic, diastolic and (when given) heart rate, with LOINC codings", async () => {
    const events = await map(
      "\uFEFF# my log\r\n\r\n2024-03-01 07:30 128/82 64\r\n2024-03-01T21:10:05 135 / 88 70 after a walk\r\n2024-03-02 07:25 122/79",
      "Europe/Berlin",
      1,
    );
    expect(brief(events)).toEqual([
      "8480-6 128 mm[Hg] 2024-03-01T07:30:00+01:00 line 3",
      "8462-4 82 mm[Hg] 2024-03-01T07:30:00+01:00 line 3",
      "8867-4 64 /min 2024-03-01T07:30:00+01:00 line 3",
      "8480-6 135 mm[Hg] 2024-03-01T21:10:05+01:00 line 4 after a walk",
      "8462-4 88 mm[Hg] 2024-03-01T21:10:05+01:00 line 4 after a walk",
      "8867-4 70 /min 2024-03-01T21:10:05+01:00 line 4 after a walk",
      "8480-6 122 mm[Hg] 2024-03-02T07:25:00+01:00 line 5",
      "8462-4 79 mm[Hg] 2024-03-02T07:25:00+01:00 line 5",
    ]);
    expect(events[0]).toEqual({
      kind: "observation",
      observation: {
        codings: [{ system: "http://loinc.org", code: "8480-6", display: "Systolic blood pressure" }],
        value: 128,
        unit: "mm[Hg]",
        start_at: "2024-03-01T07:30:00+01:00",
        location: "line 3",
      },
    });
  });

  it("reads wall-clock times in the given zone, DST included, or a fixed offset", async () => {
    const log = "2024-03-30 12:00 120/80\n2024-03-31 12:00 121/80\n";
    expect(brief(await map(log, "Europe/Berlin")).filter((_, i) => i % 2 === 0)).toEqual([
      "8480-6 120 mm[Hg] 2024-03-30T12:00:00+01:00 line 1",
      "8480-6 121 mm[Hg] 2024-03-31T12:00:00+02:00 line 2",
    ]);
    expect(brief(await map(log, "-05:00"))[0]).toBe("8480-6 120 mm[Hg] 2024-03-30T12:00:00-05:00 line 1");
  });

  it("reads times as UTC, and says so once, without a usable timezone", async () => {
    const log = "2024-03-30 12:00 120/80\n2024-03-31 12:00 121/80\n";
    const none = await map(log);
    expect(brief(none)).toEqual([
      "assumed_timezone -",
      "8480-6 120 mm[Hg] 2024-03-30T12:00:00Z line 1",
      "8462-4 80 mm[Hg] 2024-03-30T12:00:00Z line 1",
      "8480-6 121 mm[Hg] 2024-03-31T12:00:00Z line 2",
      "8462-4 80 mm[Hg] 2024-03-31T12:00:00Z line 2",
    ]);
    const invalid = await map(log, "Mars/Olympus_Mons");
    expect(brief(invalid).slice(0, 2)).toEqual(["invalid_timezone -", "assumed_timezone -"]);
  });

  it("reports lines it cannot read with their line number, and reads on", async () => {
    const events = await map(
      [
        "2024-03-01 07:30 128/82 64",
        "2024-03-01 7:30 128/82",
        "2024-02-30 07:30 128/82",
        "2024-03-01 24:00 128/82",
        "2024-03-01 08:00 80/120",
        "BP 128/82",
        "2024-03-02 07:30 125/80",
      ].join("\n"),
      "UTC",
    );
    expect(brief(events)).toEqual([
      "8480-6 128 mm[Hg] 2024-03-01T07:30:00Z line 1",
      "8462-4 82 mm[Hg] 2024-03-01T07:30:00Z line 1",
      "8867-4 64 /min 2024-03-01T07:30:00Z line 1",
      "invalid_line line 2",
      "invalid_date line 3",
      "invalid_date line 4",
      "implausible_reading line 5",
      "invalid_line line 6",
      "8480-6 125 mm[Hg] 2024-03-02T07:30:00Z line 7",
      "8462-4 80 mm[Hg] 2024-03-02T07:30:00Z line 7",
    ]);
    const issue = events.find((e) => e.kind === "issue" && e.issue.code === "implausible_reading");
    expect(issue).toEqual({
      kind: "issue",
      issue: {
        location: "line 5",
        code: "implausible_reading",
        severity: "error",
        message: "Line 5: the diastolic pressure (120) is not below the systolic (80); the reading was skipped.",
      },
    });
  });

  it("says when a log holds no readings", async () => {
    expect(brief(await map("# nothing yet\n\n"))).toEqual(["empty_file -"]);
  });

  it("passes the platform's validation when served as a plugin", async () => {
    const plugin = await pluginMapper(servePlugin(bpTextLogMapper));
    const text = "2024-03-01 07:30 128/82 64 morning\nnot a reading\n";
    const direct = await collect(bpTextLogMapper.map(fromBytes(encoder.encode(text)), { lookup, timezone: "+01:00" }));
    const served = await collect(plugin.map(fromBytes(encoder.encode(text), 5), { lookup, timezone: "+01:00" }));
    expect(served).toEqual(direct);
    expect(served.some((e) => e.kind === "issue" && e.issue.code === "plugin_protocol")).toBe(false);
    expect(plugin.id).toBe("plugin:bp-text-log");
  });
});

describe("bpTextLogMapper.detect", () => {
  const score = (text: string, name: string | null = null, head = encoder.encode(text)) =>
    bpTextLogMapper.detect(detectInput(head, name, null));

  it("is sure of a log, surer with a .txt or .log name, and tolerates the odd typo", () => {
    const log = "# log\n2024-03-01 07:30 128/82 64\n2024-03-01 21:10 135/88\n2024-03-02 07:25 122/79 60\n";
    expect(score(log)).toBe(0.9);
    expect(score(log, "bp.TXT")).toBe(0.95);
    expect(score(`${log}oops\n`)).toBe(0.9);
    expect(score(`${log}oops\nagain\n`)).toBe(0.6);
  });

  it("leaves other text formats alone", () => {
    expect(score("date,systolic,diastolic\n2024-03-01 07:30,128,82\n", "bp.csv")).toBe(0);
    expect(score("MSH|^~\\&|LAB\r")).toBe(0);
    expect(score("")).toBe(0);
    expect(score("# only comments\n")).toBe(0);
  });

  it("ignores the line a full head cuts", () => {
    const line = "2024-03-01 07:30 128/82 64\n";
    const text = line.repeat(Math.ceil(DETECT_HEAD_BYTES / line.length) + 1);
    const head = encoder.encode(text).subarray(0, DETECT_HEAD_BYTES);
    expect(score(text, null, head)).toBe(0.9);
  });
});
