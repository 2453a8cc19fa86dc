/**
 * `dfda map` in-process on files of the shared corpus and on small temporary files: the exact lines it
 * prints, its exit codes, and its usage errors. No server and no database are involved.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { CODE_SYSTEMS, DETECT_HEAD_BYTES } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../../mappers/test/corpus";
import { run } from "./main";
import { issueLine, MAP_HELP, parseColumnMapping } from "./map";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
  errLines: string[];
}

async function dfda(args: string[]): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await run(
    args,
    {},
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      fetch: () => Promise.reject(new Error("dfda map must not use the network")),
    },
  );
  const split = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));
  return { code, stdout, stderr, lines: split(stdout), errLines: split(stderr) };
}

const catalog = seedCatalog();
const LOINC = CODE_SYSTEMS.loinc;
const HK = CODE_SYSTEMS.appleHealth;

function variableOf(system: string, code: string): string {
  const id = catalog.byCoding(system, code)?.id;
  if (id === undefined) throw new Error(`the seeded catalog does not know ${system}|${code}`);
  return id;
}

function variableNamed(label: string): string {
  const id = catalog.byLabel(label)?.id;
  if (id === undefined) throw new Error(`no seeded variable ${label}`);
  return id;
}

let dir: string;
const temp = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dfda-map-"));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("dfda map on corpus files", () => {
  it("prints a FHIR R4 Observation (hl7-r4-examples/Observation-f001.json) as one line", async () => {
    const result = await dfda(["map", corpusPath("01-fhir-r4/hl7-r4-examples/Observation-f001.json")]);
    expect(result.code, result.stderr).toBe(0);
    const glucose = { system: LOINC, code: "15074-8" };
    expect(result.lines).toEqual([
      JSON.stringify({
        source_coding: glucose,
        codings: [{ ...glucose, display: "Glucose [Moles/volume] in Blood" }],
        variable_id: variableOf(LOINC, "15074-8"),
        value: 6.3,
        comparator: null,
        unit: "mmol/L",
        start_at: "2013-04-02T09:30:10+01:00",
        end_at: null,
        location: "$.valueQuantity",
        metadata: {
          resource_type: "Observation",
          fhir_id: "f001",
          status: "final",
          interpretation: [
            {
              coding: [
                {
                  system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                  code: "H",
                  display: "High",
                },
              ],
            },
          ],
          reference_range: [
            {
              low: { value: 3.1, unit: "mmol/l", system: "http://unitsofmeasure.org", code: "mmol/L" },
              high: { value: 6.2, unit: "mmol/l", system: "http://unitsofmeasure.org", code: "mmol/L" },
            },
          ],
        },
      }),
    ]);
    expect(result.errLines).toEqual(["mapped 1 observation with fhir-r4 1.0.0: 0 errors, 0 warnings"]);
  });

  it("prints an HL7 v2 ORU (fhir-converter/LAB-ORU-1.hl7): results, pending ones as issues", async () => {
    const result = await dfda(["map", corpusPath("02-hl7v2/fhir-converter/LAB-ORU-1.hl7")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.lines).toHaveLength(8);
    const metadata = (resultStatus: string) => ({
      message_type: "ORU^R01",
      message_control_id: "182",
      value_type: "NM",
      result_status: resultStatus,
      abnormal_flags: ["N"],
      time_source: "OBX-14",
      time_precision: "second",
    });
    // Erythrocytes (11273-0) is no seeded variable: its variable_id is null, its coding still printed.
    expect(result.lines[0]).toBe(
      JSON.stringify({
        source_coding: { system: LOINC, code: "11273-0" },
        codings: [{ system: LOINC, code: "11273-0", display: "ERYTHROCYTES" }],
        variable_id: null,
        value: 4.06,
        comparator: null,
        unit: "tera.l-1",
        start_at: "2014-10-06T06:27:00+07:00",
        end_at: null,
        location: "MSH[1]/OBX[2]",
        metadata: metadata("P"),
      }),
    );
    expect(result.lines[1]).toBe(
      JSON.stringify({
        source_coding: { system: LOINC, code: "20570-8" },
        codings: [{ system: LOINC, code: "20570-8", display: "HEMATOCRIT" }],
        variable_id: variableOf(LOINC, "20570-8"),
        value: 40.1,
        comparator: null,
        unit: "%",
        start_at: "2014-10-06T08:30:00+07:00",
        end_at: null,
        location: "MSH[1]/OBX[4]",
        metadata: metadata("P"),
      }),
    );
    expect(result.lines.map((l) => (JSON.parse(l) as { location: string }).location)).toEqual([
      "MSH[1]/OBX[2]",
      "MSH[1]/OBX[4]",
      "MSH[1]/OBX[5]",
      "MSH[1]/OBX[6]",
      "MSH[1]/OBX[7]",
      "MSH[1]/OBX[8]",
      "MSH[1]/OBX[9]",
      "MSH[1]/OBX[10]",
    ]);
    expect(result.errLines).toEqual([
      "info no_result at MSH[1]/OBX[1]: OBX-11 result status I (specimen in lab, results pending): no value to map.",
      "info no_result at MSH[1]/OBX[3]: OBX-11 result status I (specimen in lab, results pending): no value to map.",
      "mapped 8 observations with hl7v2 1.0.0: 0 errors, 0 warnings",
    ]);
  });

  it("prints an Apple Health CSV export (05-csv-exports/.../DistanceWalkingRunning.csv)", async () => {
    const result = await dfda(["map", corpusPath("05-csv-exports/apple-health-derived/DistanceWalkingRunning.csv")]);
    expect(result.code, result.stderr).toBe(0);
    const coding = { system: HK, code: "HKQuantityTypeIdentifierDistanceWalkingRunning" };
    const line = (value: number, start: string, end: string, row: number) =>
      JSON.stringify({
        source_coding: coding,
        codings: [coding],
        variable_id: variableOf(coding.system, coding.code),
        value,
        comparator: null,
        unit: "km",
        start_at: start,
        end_at: end,
        location: `line ${row}`,
        metadata: { source_name: "Health", creation_date: "2014-09-21 07:08:49 +0100" },
      });
    expect(result.lines).toEqual([
      line(0.00288, "2014-09-20T10:41:28+01:00", "2014-09-20T10:41:30+01:00", 2),
      line(0.00284, "2014-09-20T10:41:30+01:00", "2014-09-20T10:41:33+01:00", 3),
      line(0.00142, "2014-09-20T10:41:33+01:00", "2014-09-20T10:41:36+01:00", 4),
      line(0.00639, "2014-09-20T10:43:54+01:00", "2014-09-20T10:43:56+01:00", 5),
      line(0.0059, "2014-09-20T10:43:59+01:00", "2014-09-20T10:44:01+01:00", 6),
    ]);
    expect(result.errLines).toEqual(["mapped 5 observations with csv 1.0.0: 0 errors, 0 warnings"]);
  });

  it("exits 1 on a broken FHIR file (fhir-test-cases/bad-json-close-2.json), with the issue on stderr", async () => {
    const file = corpusPath("01-fhir-r4/fhir-test-cases/bad-json-close-2.json");
    const result = await dfda(["map", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.errLines).toEqual([
      "error invalid_json at line 15: The file is not valid JSON: Unexpected '#', expected ',' or '}' at line 15, column 11; nothing in it is mapped",
      "mapped 0 observations with fhir-r4 1.0.0: 1 error, 0 warnings",
      `dfda map: fhir-r4 could not understand ${file}: no observation, 1 error`,
    ]);
  });

  it("exits 0 when a file is understood but holds nothing to map (an acknowledgment)", async () => {
    const result = await dfda(["map", corpusPath("02-hl7v2/hl7-standard/ack-error.hl7")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.errLines.at(-1)).toBe("mapped 0 observations with hl7v2 1.0.0: 0 errors, 1 warning");
  });
});

describe("dfda map on local files", () => {
  it("maps a FIT file, and refuses one cut short with the reason (exit 1)", async () => {
    const ok = await dfda(["map", corpusPath("09-fit/python-fitparse/garmin-fenix-5-run.fit")]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.errLines.at(-1)).toMatch(/^mapped \d+ observations with fit 1\.0\.0: 0 errors/);
    const cut = corpusPath("09-fit/python-fitparse/activity-unexpected-eof.fit");
    const refused = await dfda(["map", cut]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`dfda map: ${cut} is refused (fit_truncated): the FIT file ends in the middle of`);
  });

  it("exits 1 when no mapper recognises the file, and names --format", async () => {
    const file = temp("random.txt");
    await writeFile(file, "Lorem ipsum dolor sit amet; 42 zebras, 7 kettles.\nqwerty uiop\n");
    const result = await dfda(["map", file]);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.errLines).toEqual([
      `dfda map: no mapper recognises ${file} (best score 0.00, 0.5 needed). If you know its format, force it with --format (fhir-r4, openmhealth, openehr, vendor-json, hl7v2, ccda, apple-health-xml, csv, fit).`,
    ]);
  });

  it("--format forces a mapper the detection does not pick", async () => {
    // Rows of different widths: not taken for a CSV by detection, yet the CSV mapper reads it.
    const file = temp("ragged.txt");
    await writeFile(file, "date,weight\n2024-01-02T08:00:00Z,70.5\n2024-01-03T08:00:00Z,71.0,late\n");
    expect((await dfda(["map", file])).code).toBe(1);

    const result = await dfda(["map", "--format", "csv", file]);
    expect(result.code, result.stderr).toBe(0);
    const weight = variableNamed("weight");
    const line = (value: number, start: string, row: number) =>
      JSON.stringify({
        source_coding: null,
        codings: [],
        variable_id: weight,
        value,
        comparator: null,
        unit: null,
        start_at: start,
        end_at: null,
        location: `line ${row}, column "weight"`,
      });
    expect(result.lines).toEqual([line(70.5, "2024-01-02T08:00:00Z", 2), line(71, "2024-01-03T08:00:00Z", 3)]);
    expect(result.errLines).toEqual([
      "warning extra_fields at line 3: Line 3 has 3 fields, the header 2; the extra fields were ignored.",
      "mapped 2 observations with csv 1.0.0: 0 errors, 1 warning",
    ]);
  });

  it("--format with the wrong mapper reports what that mapper makes of the file", async () => {
    const result = await dfda([
      "map",
      corpusPath("05-csv-exports/apple-health-derived/Workout.csv"),
      "--format",
      "fhir-r4",
    ]);
    expect(result.code).toBe(1);
    expect(result.errLines[0]).toMatch(/^error invalid_json at /);
    expect(result.errLines[1]).toBe("mapped 0 observations with fhir-r4 1.0.0: 1 error, 0 warnings");
  });

  it("prints a censored value's comparator (an HL7 v2 SN <^0.05 and a CSV cell >200)", async () => {
    const hl7 = temp("censored.hl7");
    await writeFile(
      hl7,
      "MSH|^~\\&|LAB|FAC|APP|FAC|20240101080000+0000||ORU^R01|1|P|2.5.1\rOBX|1|SN|2160-0^Creatinine^LN||<^0.05|mg/dL^^UCUM|||||F|||20240101080000+0000\r",
    );
    const fromHl7 = await dfda(["map", hl7]);
    expect(fromHl7.code, fromHl7.stderr).toBe(0);
    expect(JSON.parse(fromHl7.lines[0] ?? "{}")).toMatchObject({ value: 0.05, comparator: "<", unit: "mg/dL" });
    const csv = temp("censored.csv");
    await writeFile(csv, "date,Glucose (mg/dL)\n2024-01-02T08:00:00Z,>200\n2024-01-03T08:00:00Z,90\n");
    const fromCsv = await dfda(["map", csv]);
    expect(fromCsv.lines.map((l) => JSON.parse(l) as { value: number; comparator: string | null })).toMatchObject([
      { value: 200, comparator: ">" },
      { value: 90, comparator: null },
    ]);
  });

  it("--timezone places times without an offset", async () => {
    const file = temp("local.csv");
    await writeFile(file, "date,weight\n2024-01-02 08:00,70.5\n");
    const utc = await dfda(["map", file]);
    expect(utc.code).toBe(0);
    expect(JSON.parse(utc.lines[0] ?? "{}")).toMatchObject({ start_at: "2024-01-02T08:00:00Z" });
    expect(utc.errLines[0]).toMatch(/^warning assumed_timezone at \(file\): /);

    const berlin = await dfda(["map", file, "--timezone", "Europe/Berlin"]);
    expect(JSON.parse(berlin.lines[0] ?? "{}")).toMatchObject({ start_at: "2024-01-02T08:00:00+01:00" });
    expect(berlin.errLines).toEqual(["mapped 1 observation with csv 1.0.0: 0 errors, 0 warnings"]);

    const offset = await dfda(["map", file, "--timezone=-05:00"]);
    expect(JSON.parse(offset.lines[0] ?? "{}")).toMatchObject({ start_at: "2024-01-02T08:00:00-05:00" });
  });

  it("--mapping maps a column no variable name matches", async () => {
    const file = temp("gewicht.csv");
    await writeFile(file, "date,Gewicht\n2024-01-02T08:00:00Z,70.5\n");
    const unmapped = await dfda(["map", file]);
    expect(unmapped.code, unmapped.stderr).toBe(0);
    expect(unmapped.stdout).toBe("");
    expect(unmapped.errLines.at(-1)).toBe("mapped 0 observations with csv 1.0.0: 0 errors, 2 warnings");

    const mapping = temp("mapping.json");
    const weight = variableNamed("weight");
    await writeFile(mapping, JSON.stringify({ Gewicht: { variable_id: weight, unit: "kg" } }));
    const result = await dfda(["map", file, "--mapping", mapping]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.lines).toEqual([
      JSON.stringify({
        source_coding: null,
        codings: [],
        variable_id: weight,
        value: 70.5,
        comparator: null,
        unit: "kg",
        start_at: "2024-01-02T08:00:00Z",
        end_at: null,
        location: 'line 2, column "Gewicht"',
      }),
    ]);
  });

  /** A CSV of `rows` heart rates, one a minute: far larger than the detection head. */
  async function bigCsv(rows: number): Promise<string> {
    const body = Array.from({ length: rows }, (_, i) => {
      const t = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
      return `${t},${60 + (i % 40)}`;
    });
    const text = `timestamp,heart rate\n${body.join("\n")}\n`;
    expect(text.length).toBeGreaterThan(2 * DETECT_HEAD_BYTES);
    const file = temp(`big-${rows}.csv`);
    await writeFile(file, text);
    return file;
  }

  it("streams a file larger than the detection head: every row once, in order", async () => {
    const rows = 5000;
    const result = await dfda(["map", await bigCsv(rows)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.lines).toHaveLength(rows);
    const parsed = result.lines.map((l) => JSON.parse(l) as { value: number; location: string; start_at: string });
    expect(parsed.map((o) => o.value)).toEqual(Array.from({ length: rows }, (_, i) => 60 + (i % 40)));
    expect(parsed.at(-1)?.location).toBe(`line ${rows + 1}, column "heart rate"`);
    expect(result.errLines).toEqual([`mapped ${rows} observations with csv 1.0.0: 0 errors, 0 warnings`]);
  });

  it("waits for a slow stdout stream to drain instead of buffering the whole output", async () => {
    const file = await bigCsv(5000);
    const chunks: string[] = [];
    let mostBuffered = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString("utf8"));
        setImmediate(callback);
      },
    });
    const write = slow.write.bind(slow);
    const stdout = {
      write: (text: string) => {
        const ok = write(text);
        mostBuffered = Math.max(mostBuffered, slow.writableLength);
        return ok;
      },
      on: slow.on.bind(slow),
      once: slow.once.bind(slow),
      removeListener: slow.removeListener.bind(slow),
    };
    let stderr = "";
    const code = await run(["map", file], {}, { stdout, stderr: { write: (t: string) => (stderr += t) } });
    expect(code, stderr).toBe(0);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(chunks.join("").split("\n").filter(Boolean)).toHaveLength(5000);
    // One piece of about 64 KiB at a time, never the whole output (about 1 MB).
    expect(mostBuffered).toBeLessThan(200_000);
  });

  it("stops quietly when the reader of stdout goes away (EPIPE, as in `dfda map big.csv | head`)", async () => {
    const file = await bigCsv(5000);
    let writes = 0;
    const closed = new Writable({
      write(_chunk, _encoding, callback) {
        writes += 1;
        callback(writes === 1 ? null : Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    let stderr = "";
    const code = await run(["map", file], {}, { stdout: closed, stderr: { write: (t: string) => (stderr += t) } });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(writes).toBeLessThanOrEqual(3);
  });
});

describe("dfda map usage errors (exit 2)", () => {
  const usage = async (args: string[], message: string | RegExp) => {
    const result = await dfda(["map", ...args]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("Run dfda map --help for usage.");
  };
  const fhir = () => corpusPath("01-fhir-r4/hl7-r4-examples/Observation-f001.json");

  it("needs exactly one FILE, and one that exists", async () => {
    await usage([], "dfda map: FILE is required.");
    await usage([fhir(), fhir()], "one FILE at a time (got 2)");
    await usage(
      [temp("does-not-exist.json")],
      /cannot read .*does-not-exist\.json: no such file or directory \(ENOENT\)/,
    );
    await usage([dir], `dfda map: ${dir} is not a file.`);
  });

  it("rejects unknown options and an unknown --format, listing the formats", async () => {
    await usage([fhir(), "--bogus"], "dfda map: Unknown option '--bogus'.\n");
    await usage([fhir(), "--format"], "argument missing");
    await usage(
      [fhir(), "--format", "fhir-r5"],
      "dfda map: unknown --format fhir-r5; the formats are fhir-r4, openmhealth, openehr, vendor-json, hl7v2, ccda, apple-health-xml, csv, fit.",
    );
  });

  it("rejects a --timezone that is neither a zone nor an offset", async () => {
    await usage([fhir(), "--timezone", "Mars/Olympus_Mons"], "--timezone Mars/Olympus_Mons is neither an IANA zone");
    // A negative offset after a space reads as an option: parseArgs says how to write it.
    await usage([fhir(), "--timezone", "-05:00"], "use '--timezone=-XYZ'");
  });

  it("rejects a --mapping file that is missing, not JSON, or not a column mapping", async () => {
    await usage([fhir(), "--mapping", temp("no-mapping.json")], /cannot read --mapping .*no-mapping\.json/);
    const notJson = temp("not.json");
    await writeFile(notJson, "{ Gewicht: kg }");
    await usage([fhir(), "--mapping", notJson], /--mapping .*not\.json is not JSON/);
    const list = temp("list.json");
    await writeFile(list, "[]");
    await usage([fhir(), "--mapping", list], /--mapping .*list\.json must be a JSON object/);
    const badId = temp("bad-id.json");
    await writeFile(badId, JSON.stringify({ Gewicht: { variable_id: "weight" } }));
    await usage([fhir(), "--mapping", badId], 'column "Gewicht": variable_id must be a UUID or null');
  });

  it("prints its help with --help, and dfda --help lists it", async () => {
    expect(await dfda(["map", "--help"])).toMatchObject({ code: 0, stdout: MAP_HELP });
    expect((await dfda(["--help"])).stdout).toMatch(/^ {2}map {13}Run the platform's mappers on a file/m);
  });
});

describe("pieces", () => {
  it("writes an issue of the whole file with location (file), on one line", () => {
    expect(issueLine({ severity: "warning", code: "assumed_timezone", location: null, message: "read\nas UTC" })).toBe(
      "warning assumed_timezone at (file): read as UTC",
    );
  });

  it("checks column mappings as the upload's mapping field does", () => {
    const id = variableNamed("weight");
    expect(
      parseColumnMapping(JSON.stringify({ A: { variable_id: id, unit: "kg" }, B: { variable_id: null } })),
    ).toEqual({
      A: { variable_id: id, unit: "kg" },
      B: { variable_id: null },
    });
    expect(parseColumnMapping(JSON.stringify({ A: { variable_id: id, units: "kg" } }))).toBe(
      'column "A": unknown field units',
    );
    expect(parseColumnMapping(JSON.stringify({ A: { variable_id: id, unit: "" } }))).toBe(
      'column "A": unit must be a string of 1 to 64 characters',
    );
    expect(parseColumnMapping(JSON.stringify({ A: { unit: "kg" } }))).toBe(
      'column "A": variable_id must be a UUID or null',
    );
  });
});

describe("dfda map and local codes (issue 15)", () => {
  it("prints each local code no variable resolves after the summary, with its count", async () => {
    const path = temp("local.hl7");
    await writeFile(
      path,
      [
        "MSH|^~\\&|ACME-LAB|HOSP|EHR|FAC|20240101120000+0000||ORU^R01|M1|P|2.5.1",
        "OBX|1|NM|ABC^Some Test||5.4|mmol/L|||||F|||20240101120000+0000",
        "OBX|2|NM|ABC^Some Test||5.9|mmol/L|||||F|||20240102120000+0000",
        "OBX|3|NM|8867-4^Heart rate^LN||64|/min|||||F|||20240101120000+0000",
      ].join("\r"),
    );
    const result = await dfda(["map", path]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.lines).toHaveLength(3);
    const system = "urn:dfda:local:hl7v2:acme-lab%5Ehosp";
    expect(JSON.parse(result.lines[0] ?? "{}")).toMatchObject({
      source_coding: { system, code: "ABC" },
      variable_id: null,
    });
    expect(result.errLines.slice(-1)).toEqual([`pending local code ABC (Some Test) of ${system}: 2 observations`]);
  });

  it("names the local codes of a file without a sender after the file's SHA-256, as the platform stores them", async () => {
    const path = temp("no-sender.hl7");
    const bytes = [
      "MSH|^~\\&|||||20240101120000+0000||ORU^R01|M1|P|2.5.1",
      "OBX|1|NM|XQ7^Odd assay||5.4|mmol/L|||||F|||20240101120000+0000",
    ].join("\r");
    await writeFile(path, bytes);
    const result = await dfda(["map", path]);
    expect(result.code, result.stderr).toBe(0);
    const system = `urn:dfda:local:hl7v2:file:${createHash("sha256").update(bytes).digest("hex")}`;
    expect(JSON.parse(result.lines[0] ?? "{}")).toMatchObject({ source_coding: { system, code: "XQ7" } });
    expect(result.errLines.slice(-1)).toEqual([`pending local code XQ7 (Odd assay) of ${system}: 1 observation`]);
  });
});
