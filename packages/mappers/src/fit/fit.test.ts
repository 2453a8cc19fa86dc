/**
 * The FIT decoder and mapper, on files built byte by byte from the FIT protocol (./build.ts) and on the
 * corpus's FIT files (python-fitparse's test files, whose decoded records it ships as CSV).
 */
import type { MapEvent, MappedObservation, MappingIssue, VariableLookup } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { corpusBytes } from "../../test/corpus";
import { detectFormat } from "../index";
import { collect, fromBytes } from "../util/stream";
import { FitBuilder, fitSeconds, s16, u8, u16, u32 } from "./build";
import { decodeFit, FitFormatError, fitCrc } from "./decoder";
import { fitMapper, fitTime } from "./index";

const lookup: VariableLookup = { byLabel: () => null };

async function map(bytes: Uint8Array, chunk = 64 * 1024, variables: VariableLookup = lookup) {
  const events: MapEvent[] = await collect(fitMapper.map(fromBytes(bytes, chunk), { lookup: variables }));
  const observations: MappedObservation[] = [];
  const issues: MappingIssue[] = [];
  for (const e of events) {
    if (e.kind === "observation") observations.push(e.observation);
    else issues.push(e.issue);
  }
  return { observations, issues };
}

async function refusal(bytes: Uint8Array): Promise<FitFormatError> {
  try {
    await map(bytes);
  } catch (error) {
    if (error instanceof FitFormatError) return error;
    throw error;
  }
  throw new Error("the file was not refused");
}

const T0 = fitSeconds("2024-03-10T06:00:00Z");
const UINT32 = 0x86;
const UINT16 = 0x84;
const UINT8 = 0x02;
const SINT16 = 0x83;
const ENUM = 0x00;

/** file_id: type 32 (monitoring_b), manufacturer 1 (garmin). */
const withFileId = (b: FitBuilder) =>
  b
    .define(0, 0, [
      [0, 1, ENUM],
      [1, 2, UINT16],
    ])
    .data(0, u8(32), u16(1));

describe("FIT CRC", () => {
  it("is the protocol's CRC-16 (the check value of the FIT SDK's table-driven CRC for '123456789')", () => {
    // CRC-16/ARC (poly 0x8005 reflected, init 0), which the FIT nibble table computes: 0xBB3D.
    expect(fitCrc(new TextEncoder().encode("123456789"))).toBe(0xbb3d);
  });
});

describe("fitTime", () => {
  it("counts seconds from 1989-12-31T00:00:00Z and refuses times relative to power-up", () => {
    // 1989-12-31T00:00:00Z + 2^28 s
    expect(fitTime(0x10000000)).toBe("1998-07-03T21:24:16Z");
    expect(fitTime(fitSeconds("2024-03-10T06:00:00Z"))).toBe("2024-03-10T06:00:00Z");
    expect(fitTime(0x0fffffff)).toBeNull();
  });
});

describe("FIT files built from the protocol", () => {
  it("maps monitoring heart rate with full, compressed and 16-bit timestamps, and accumulated steps as differences", async () => {
    const b = withFileId(new FitBuilder());
    // monitoring: timestamp, heart_rate, activity_type, cycles (steps when walking)
    b.define(1, 55, [
      [253, 4, UINT32],
      [27, 1, UINT8],
      [5, 1, ENUM],
      [3, 4, UINT32],
    ]);
    b.data(1, u32(T0), u8(61), u8(6), u32(100));
    b.data(1, u32(T0 + 60), u8(64), u8(6), u32(250));
    // a compressed-timestamp record: local type 2, 5 bits of time; T0 + 60 ends in ...
    b.define(2, 55, [[27, 1, UINT8]]);
    const low = (T0 + 60) & 0x1f;
    b.compressed(2, (low + 10) & 0x1f, u8(70)); // ten seconds later
    // timestamp_16 only: the low 16 bits of T0 + 120
    b.define(3, 55, [
      [26, 2, UINT16],
      [27, 1, UINT8],
    ]);
    b.data(3, u16((T0 + 120) & 0xffff), u8(72));
    const { observations, issues } = await map(b.build());
    expect(issues).toEqual([]);
    const hr = observations.filter((o) => o.codings[0]?.code === "8867-4");
    expect(hr.map((o) => [o.start_at, o.value, o.unit])).toEqual([
      ["2024-03-10T06:00:00Z", 61, "/min"],
      ["2024-03-10T06:01:00Z", 64, "/min"],
      ["2024-03-10T06:01:10Z", 70, "/min"],
      ["2024-03-10T06:02:00Z", 72, "/min"],
    ]);
    const steps = observations.filter((o) => o.codings[0]?.code === "55423-8");
    expect(steps.map((o) => [o.start_at, o.end_at, o.value, o.unit])).toEqual([
      ["2024-03-10T06:00:00Z", "2024-03-10T06:01:00Z", 150, "{steps}"],
    ]);
    expect(hr[0]?.metadata).toMatchObject({ format: "fit", manufacturer: "garmin", fit_file_type: "monitoring_b" });
  });

  it("rolls a compressed time offset over 32 seconds", async () => {
    const b = new FitBuilder().define(0, 20, [
      [253, 4, UINT32],
      [3, 1, UINT8],
    ]);
    const t = T0 + 30 - (T0 & 0x1f); // low 5 bits 30: five seconds later is past the next multiple of 32
    b.data(0, u32(t), u8(100));
    b.define(1, 20, [[3, 1, UINT8]]);
    b.compressed(1, (t + 5) & 0x1f, u8(101)); // crosses a 32-second boundary
    const { observations } = await map(b.build());
    expect(observations.map((o) => o.start_at)).toEqual([fitTime(t), fitTime(t + 5)]);
  });

  it("maps stress, SpO2, sleep stages and beat-to-beat intervals", async () => {
    const b = withFileId(new FitBuilder());
    b.define(1, 227, [
      [0, 2, SINT16],
      [1, 4, UINT32],
    ]);
    b.data(1, s16(42), u32(T0));
    b.data(1, s16(-1), u32(T0 + 180)); // off wrist: not a measurement
    b.define(2, 269, [
      [253, 4, UINT32],
      [0, 1, UINT8],
    ]);
    b.data(2, u32(T0 + 60), u8(96));
    b.define(3, 275, [
      [253, 4, UINT32],
      [0, 1, ENUM],
    ]);
    b.data(3, u32(T0 + 600), u8(2)); // light for 30 min
    b.data(3, u32(T0 + 2400), u8(3)); // deep for 15 min
    b.data(3, u32(T0 + 3300), u8(1)); // awake for 10 min (matched by name)
    b.data(3, u32(T0 + 3900), u8(4)); // rem: its end is not in the file
    b.define(4, 20, [[253, 4, UINT32]]);
    b.data(4, u32(T0 + 3900));
    b.define(5, 78, [[0, 6, UINT16]]); // hrv.time, 3 values, scale 1000 (ms)
    b.data(5, [...u16(812), ...u16(0xffff), ...u16(790)]);
    const { observations, issues } = await map(b.build(), 64 * 1024, {
      byLabel: (label) =>
        label === "Awake time during sleep" ? { id: "awake-var", name: label, canonicalUnit: "min" } : null,
    });
    expect(issues.map((i) => [i.code, i.location])).toEqual([
      ["fit_sleep_level_open", expect.stringMatching(/^byte \d+$/)],
    ]);
    const by = (code: string) => observations.filter((o) => o.codings[0]?.code === code);
    expect(by("stress_level").map((o) => [o.start_at, o.value, o.codings[0]?.system])).toEqual([
      ["2024-03-10T06:00:00Z", 42, "urn:dfda:local:fit:garmin"],
    ]);
    expect(by("59408-5").map((o) => [o.start_at, o.value, o.unit])).toEqual([["2024-03-10T06:01:00Z", 96, "%"]]);
    expect(by("93830-8").map((o) => [o.start_at, o.end_at, o.value, o.unit])).toEqual([
      ["2024-03-10T06:10:00Z", "2024-03-10T06:40:00Z", 30, "min"],
    ]);
    expect(by("93831-6").map((o) => [o.value])).toEqual([[15]]);
    expect(by("sleep_level_awake").map((o) => [o.variable_id, o.start_at, o.end_at, o.value])).toEqual([
      ["awake-var", "2024-03-10T06:55:00Z", "2024-03-10T07:05:00Z", 10],
    ]);
    expect(by("93829-0")).toEqual([]);
    expect(by("rr-interval").map((o) => [o.start_at, o.value, o.unit])).toEqual([
      ["2024-03-10T07:05:00.812Z", 812, "ms"],
      ["2024-03-10T07:05:01.602Z", 790, "ms"],
    ]);
  });

  it("reads big-endian definitions, developer fields, a 12-byte header and 1-byte chunks alike", async () => {
    const b = new FitBuilder();
    // developer_data_id and field_description (a uint8 field 0 of developer 0)
    b.define(0, 207, [[3, 1, UINT8]]).data(0, u8(0));
    b.define(1, 206, [
      [0, 1, UINT8],
      [1, 1, UINT8],
      [2, 1, UINT8],
      [3, 8, 0x07],
    ]).data(1, u8(0), u8(0), u8(UINT8), [...new TextEncoder().encode("doughnut"), 0].slice(0, 8));
    b.define(
      2,
      20,
      [
        [253, 4, UINT32],
        [3, 1, UINT8],
      ],
      { bigEndian: true, developer: [[0, 1, 0]] },
    );
    const t = T0;
    b.data(2, [(t >>> 24) & 0xff, (t >>> 16) & 0xff, (t >>> 8) & 0xff, t & 0xff], u8(88), u8(7));
    for (const bytes of [b.build(), b.build({ headerSize: 12 }), b.build({ headerCrc: false })]) {
      const whole = await map(bytes);
      const tiny = await map(bytes, 1);
      expect(whole.observations.map((o) => [o.start_at, o.value])).toEqual([["2024-03-10T06:00:00Z", 88]]);
      expect(tiny).toEqual(whole);
    }
    const events = await collect(decodeFit(fromBytes(b.build())));
    const record = events.find((e) => e.kind === "message" && e.message.global === 20);
    expect(record?.kind === "message" ? record.message.developer.get("0:0") : undefined).toBe(7);
  });

  it("reads chained FIT files one after another", async () => {
    const one = new FitBuilder()
      .define(0, 20, [
        [253, 4, UINT32],
        [3, 1, UINT8],
      ])
      .data(0, u32(T0), u8(60))
      .build();
    const two = new FitBuilder()
      .define(0, 20, [
        [253, 4, UINT32],
        [3, 1, UINT8],
      ])
      .data(0, u32(T0 + 1), u8(61))
      .build();
    const { observations } = await map(new Uint8Array([...one, ...two]));
    expect(observations.map((o) => o.value)).toEqual([60, 61]);
  });

  it("refuses a file whose CRC does not match, a corrupt header CRC, a truncated file and an undefined local type", async () => {
    const b = new FitBuilder()
      .define(0, 20, [
        [253, 4, UINT32],
        [3, 1, UINT8],
      ])
      .data(0, u32(T0), u8(60));
    expect((await refusal(b.build({ corruptCrc: true }))).code).toBe("fit_crc_mismatch");
    const good = b.build();
    const badHeader = good.slice();
    badHeader[12] = (badHeader[12] ?? 0) ^ 0xff;
    expect((await refusal(badHeader)).code).toBe("fit_crc_mismatch");
    expect((await refusal(good.subarray(0, good.length - 3))).code).toBe("fit_truncated");
    const undefinedType = new FitBuilder().data(3, u32(T0)).build();
    expect((await refusal(undefinedType)).code).toBe("fit_invalid_record");
    const notFit = good.slice();
    notFit[9] = 0x58;
    expect((await refusal(notFit)).code).toBe("fit_bad_header");
  });

  it("is detected by its header, not its name", () => {
    const bytes = new FitBuilder().build();
    expect(detectFormat(bytes, "upload.bin", null).format).toBe("fit");
    expect(detectFormat(new TextEncoder().encode("header,.FIT,x\n1,2,3\n"), "a.fit", null).format).not.toBe("fit");
  });
});

describe("FIT corpus files (python-fitparse)", () => {
  /** The reference CSV's `timestamp,heart_rate,…` rows (times in US Pacific, as `date` prints them). */
  function csvHeartRates(path: string): [number, number][] {
    const text = new TextDecoder().decode(corpusBytes(path));
    const rows = text.trim().split("\n").slice(1);
    return rows.flatMap((row) => {
      const [time, hr] = row.split(",");
      const m = /^\w{3} (\w{3}) (\d+) (\d+):(\d+):(\d+) (PDT|PST) (\d{4})$/.exec(time ?? "");
      if (!m || hr === undefined || hr === "") return [];
      const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].indexOf(
        m[1] ?? "",
      );
      const offset = m[6] === "PDT" ? 7 : 8;
      const utc = Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]) + offset, Number(m[4]), Number(m[5]));
      return [[utc, Number(hr)] as [number, number]];
    });
  }

  for (const name of ["garmin-fenix-5-run", "garmin-edge-500-activity"]) {
    it(`${name}.fit: every record's heart rate and time, as the decoded CSV lists them`, async () => {
      const { observations, issues } = await map(corpusBytes(`09-fit/python-fitparse/${name}.fit`), 4096);
      expect(issues.filter((i) => i.severity === "error")).toEqual([]);
      const expected = csvHeartRates(`09-fit/python-fitparse/${name}-records.csv`).filter(([, hr]) => hr > 0);
      const got = observations
        .filter((o) => o.codings[0]?.code === "8867-4")
        .map((o) => [Date.parse(o.start_at), o.value]);
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(expected);
    });
  }

  it("Activity.fit decodes; WeightScaleMultiUser.fit says why its weights are not mapped", async () => {
    await map(corpusBytes("09-fit/python-fitparse/Activity.fit"));
    const scale = await map(corpusBytes("09-fit/python-fitparse/WeightScaleMultiUser.fit"));
    expect(scale.observations).toEqual([]);
    expect(scale.issues.map((i) => i.code)).toEqual(["fit_not_mapped"]);
  });

  it("refuses the truncated and the corrupt-header files", async () => {
    expect((await refusal(corpusBytes("09-fit/python-fitparse/activity-unexpected-eof.fit"))).code).toBe(
      "fit_truncated",
    );
    expect((await refusal(corpusBytes("09-fit/python-fitparse/activity-settings-corruptheader.fit"))).code).toMatch(
      /^fit_/,
    );
  });
});
