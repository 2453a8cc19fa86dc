import {
  type DetectInput,
  localCodeSystem,
  type MapContext,
  type MappedObservation,
  type MappingIssue,
} from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { collect, fromBytes } from "../util/stream";
import { hl7v2Mapper, parseMessage, readPatient } from "./index";

const LOINC = "http://loinc.org";
const SNOMED = "http://snomed.info/sct";
const FOLDER = "02-hl7v2";

async function run(input: Uint8Array | string, context: Partial<MapContext> = {}, chunkSize?: number) {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const events = await collect(hl7v2Mapper.map(fromBytes(bytes, chunkSize), { lookup: seedCatalog(), ...context }));
  const observations: MappedObservation[] = [];
  const issues: MappingIssue[] = [];
  for (const event of events) {
    if (event.kind === "observation") observations.push(event.observation);
    else issues.push(event.issue);
  }
  return { events, observations, issues };
}

const file = (name: string) => run(corpusBytes(`${FOLDER}/${name}`));
/** Issues as `location code` lines, for compact exact assertions. */
const briefly = (issues: MappingIssue[]) => issues.map((i) => `${i.location} ${i.code} ${i.severity}`);
const resolve = (o: MappedObservation) => {
  const first = o.codings[0];
  return first ? (seedCatalog().byCoding(first.system, first.code)?.name ?? null) : null;
};

/** Files with their own tests below; the loop test checks that this is every file of the folder. */
const COVERED = [
  "fhir-converter/ADT-A01-01.hl7",
  "fhir-converter/LAB-ORU-1.hl7",
  "fhir-converter/LRI_2.0-NG_CBC_Typ_Message.hl7",
  "fhir-converter/ORU-R01-01.hl7",
  "fhir-converter/OUL-R22-01.hl7",
  "fhir-converter/VXU-V04-01.hl7",
  "hl7-standard/ack-error.hl7",
  "hl7-standard/adt-a01-blank-lines.hl7",
  "hl7-standard/batch-fhs-bhs.hl7",
  "hl7-standard/rsp-k11-immunization-forecast.hl7",
  "simple-hl7/oru-vaers-immunization.hl7",
];

describe("hl7v2Mapper over the whole corpus folder", () => {
  it("has a specific test for every file of the folder", () => {
    expect(corpusFiles(FOLDER).map((path) => path.slice(FOLDER.length + 1))).toEqual(COVERED);
  });

  it.each(corpusFiles(FOLDER))("%s maps without throwing, with well-formed events", async (path) => {
    const { events, observations } = await run(corpusBytes(path));
    expect(events.length).toBeGreaterThan(0);
    for (const o of observations) {
      expect(o.location).toMatch(/^MSH\[\d+\]\/(OBX|RXA)\[\d+\](\/OBX-5\[\d+\])?$/);
      expect(o.start_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/);
      expect(o.codings.length > 0 || o.variable_id !== undefined).toBe(true);
    }
  });

  it.each(corpusFiles(FOLDER))("%s gives the same events when read 7 bytes at a time", async (path) => {
    const whole = await run(corpusBytes(path));
    const chunked = await run(corpusBytes(path), {}, 7);
    expect(chunked.events).toEqual(whole.events);
  });
});

describe("fhir-converter/LAB-ORU-1.hl7 (ORU^R01 CBC, ISO units, pending results)", () => {
  it("maps every OBX with a value, its LOINC code, unit and time with offset", async () => {
    const { observations, issues } = await file("fhir-converter/LAB-ORU-1.hl7");
    expect(
      observations.map((o) => [o.location, o.codings[0]?.code, o.value, o.unit, o.start_at, o.metadata?.result_status]),
    ).toEqual([
      ["MSH[1]/OBX[2]", "11273-0", 4.06, "tera.l-1", "2014-10-06T06:27:00+07:00", "P"],
      ["MSH[1]/OBX[4]", "20570-8", 40.1, "%", "2014-10-06T08:30:00+07:00", "P"],
      ["MSH[1]/OBX[5]", "11125-2", 221, "giga.l-1", "2014-10-06T08:30:00+07:00", "F"],
      ["MSH[1]/OBX[6]", "23761-0", 72, "%", "2014-10-06T06:27:00+07:00", "P"],
      ["MSH[1]/OBX[7]", "26450-7", 2, "%", "2014-10-06T06:27:00+07:00", "P"],
      ["MSH[1]/OBX[8]", "26478-8", 20, "%", "2014-10-06T06:27:00+07:00", "P"],
      ["MSH[1]/OBX[9]", "26485-3", 6, "%", "2014-10-06T06:27:00+07:00", "P"],
      ["MSH[1]/OBX[10]", "30180-4", 0, "%", "2014-10-06T06:27:00+07:00", "P"],
    ]);
    expect(observations[0]).toEqual({
      codings: [{ system: LOINC, code: "11273-0", display: "ERYTHROCYTES" }],
      value: 4.06,
      unit: "tera.l-1",
      start_at: "2014-10-06T06:27:00+07:00",
      location: "MSH[1]/OBX[2]",
      metadata: {
        message_type: "ORU^R01",
        message_control_id: "182",
        value_type: "NM",
        result_status: "P",
        abnormal_flags: ["N"],
        time_source: "OBX-14",
        time_precision: "second",
      },
    });
    // Status I (results pending) with an empty OBX-5: nothing, and an info issue saying why.
    expect(briefly(issues)).toEqual(["MSH[1]/OBX[1] no_result info", "MSH[1]/OBX[3] no_result info"]);
    expect(issues[0]?.message).toContain("I (specimen in lab, results pending)");
    expect(observations.slice(1).map(resolve)).toEqual([
      "Hematocrit",
      null,
      "Neutrophils (% of leukocytes)",
      "Eosinophils (% of leukocytes)",
      "Lymphocytes (% of leukocytes)",
      "Monocytes (% of leukocytes)",
      "Basophils (% of leukocytes)",
    ]);
  });
});

describe("fhir-converter/LRI_2.0-NG_CBC_Typ_Message.hl7 (LRI CBC, UCUM units)", () => {
  const numeric: [string, number, string, string, string, string][] = [
    ["26453-1", 4.41, "10*6/uL", "N", "4.3 to 6.2", "Red blood cell count"],
    ["718-7", 12.5, "g/mL", "L", "13 to 18", "Hemoglobin"],
    ["20570-8", 41, "%", "N", "40 to 52", "Hematocrit"],
    ["26464-8", 105600, "{cells}/uL", "HH", "4300 to 10800", "White blood cell count"],
    ["26515-7", 210000, "{cells}/uL", "N", "150000 to 350000", "Platelet count"],
    ["30428-7", 91, "fL", "N", "80 to 95", "Mean corpuscular volume (MCV)"],
    ["28539-5", 29, "pg/{cell}", "N", "27 to 31", "Mean corpuscular hemoglobin (MCH)"],
    ["28540-3", 32.4, "g/dL", "N", "32 to 36", "Mean corpuscular hemoglobin concentration (MCHC)"],
    ["30385-9", 10.5, "%", "N", "10.2 to 14.5", "Red cell distribution width (RDW)"],
    ["26444-0", 0.1, "10*3/uL", "N", "0 to 0.3", "Basophils (absolute count)"],
    ["30180-4", 0.1, "%", "N", "0 to 2", "Basophils (% of leukocytes)"],
    ["26484-6", 3, "10*3/uL", "N", "0.0 to 13.0", "Monocytes (absolute count)"],
    ["26485-3", 3, "%", "N", "0 to 10", "Monocytes (% of leukocytes)"],
    ["26449-9", 2.1, "10*3/uL", "HH", "0.0 to 0.45", "Eosinophils (absolute count)"],
    ["26450-7", 2, "%", "N", "0 to 6", "Eosinophils (% of leukocytes)"],
    ["26474-7", 41.2, "10*3/uL", "HH", "1.0 to 4.8", "Lymphocytes (absolute count)"],
    ["26478-8", 39, "%", "N", "15.0 to 45.0", "Lymphocytes (% of leukocytes)"],
    ["26499-4", 58, "10*3/uL", "HH", "1.5 to 7.0", "Neutrophils (absolute count)"],
    ["26511-6", 55, "%", "N", "50 to 73", "Neutrophils (% of leukocytes)"],
  ];

  it("maps the 19 numeric results with LOINC, UCUM unit, flag, range and time with offset", async () => {
    const { observations, issues } = await file("fhir-converter/LRI_2.0-NG_CBC_Typ_Message.hl7");
    expect(issues).toEqual([]);
    expect(observations).toHaveLength(28);
    numeric.forEach(([code, value, unit, flag, range, variable], i) => {
      const o = observations[i];
      expect(o).toMatchObject({
        value,
        unit,
        start_at: "2011-01-03T14:34:28-08:00",
        location: `MSH[1]/OBX[${i + 1}]`,
        metadata: {
          value_type: "NM",
          result_status: "F",
          abnormal_flags: [flag],
          reference_range: range,
          time_source: "OBX-14",
        },
      });
      expect(o?.codings).toEqual([{ system: LOINC, code, display: expect.any(String) }]);
      // The implausible g/mL hemoglobin is kept as written: the pipeline's unit check judges it.
      if (o) expect(resolve(o)).toBe(variable);
    });
  });

  it("maps the coded findings (SNOMED value codings) and the text morphology results", async () => {
    const { observations } = await file("fhir-converter/LRI_2.0-NG_CBC_Typ_Message.hl7");
    expect(observations[19]).toEqual({
      codings: [{ system: LOINC, code: "38892-6", display: "Anisocytosis [Presence] in Blood" }],
      value: "260348001",
      start_at: "2011-01-03T14:34:28-08:00",
      location: "MSH[1]/OBX[20]",
      metadata: {
        message_type: "ORU^R01",
        message_control_id: "NIST-LRI-NG-002.00",
        value_type: "CWE",
        result_status: "F",
        abnormal_flags: ["A"],
        time_source: "OBX-14",
        time_precision: "second",
        value_coding: [{ system: SNOMED, code: "260348001", display: "Present ++ out of ++++" }],
      },
    });
    expect(observations.slice(20, 25).map((o) => [o.codings[0]?.code, o.value, o.metadata?.value_coding])).toEqual(
      ["30400-6", "30424-6", "30434-5", "779-9", "10378-8"].map((code) => [
        code,
        "260415000",
        [{ system: SNOMED, code: "260415000", display: "not detected" }],
      ]),
    );
    expect(observations.slice(25).map((o) => [o.codings[0]?.code, o.value, o.metadata?.value_type])).toEqual([
      ["6742-1", "Many spherocytes present.", "TX"],
      ["11156-7", "Reactive morphology in lymphoid cells.", "TX"],
      ["11125-2", "Platelets show defective granulation.", "TX"],
    ]);
  });
});

describe("fhir-converter/ORU-R01-01.hl7 (messy public-health ORU)", () => {
  it("maps the one usable result: a CWE with a local observation code, SNOMED value and NTE notes", async () => {
    const { observations, issues } = await file("fhir-converter/ORU-R01-01.hl7");
    expect(observations).toEqual([
      {
        // OBX-3 names the system "XYZ", but 625-4 is a well-formed LOINC code (check digit): read as
        // LOINC first, with a warning, and kept as given. OBX-6 on a coded result is ignored.
        codings: [
          { system: LOINC, code: "625-4", display: "Bacteria identified in Stool by Culture" },
          { system: "XYZ", code: "625-4", display: "Bacteria identified in Stool by Culture" },
        ],
        value: "27268008",
        start_at: "2012-03-01T00:00:00Z",
        note: "Submission of serum\nNo Antibodies Detected",
        location: "MSH[1]/OBX[3]",
        metadata: {
          message_type: "ORU^R01",
          message_control_id: "2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325",
          value_type: "CWE",
          result_status: "P",
          abnormal_flags: ["A"],
          reference_range: "70-80",
          observation_sub_id: "1",
          time_source: "OBX-14",
          time_precision: "day",
          value_coding: [{ system: SNOMED, code: "27268008", display: "Salmonella" }],
        },
      },
    ]);
    expect(briefly(issues)).toEqual([
      "MSH[1]/OBX[1] unsupported_value_type info",
      "MSH[1]/OBX[2] unsupported_value_type info",
      "MSH[1]/OBX[3] loinc_code_recognized warning",
      "null assumed_timezone warning",
      "MSH[1]/OBX[4] no_result info",
      "MSH[1]/OBX[5] no_result info",
    ]);
  });
});

describe("fhir-converter/OUL-R22-01.hl7 (OUL^R22 specimen-oriented)", () => {
  it("maps the CWE heart-rate answers, rejects the repeated NM and skips images", async () => {
    const { observations, issues } = await file("fhir-converter/OUL-R22-01.hl7");
    expect(observations.map((o) => [o.location, o.codings[0]?.code, o.value, o.start_at, o.unit])).toEqual([
      ["MSH[1]/OBX[2]/OBX-5[1]", "8867-4", "160", "1999-08-02T00:00:00Z", undefined],
      ["MSH[1]/OBX[2]/OBX-5[2]", "8867-4", "120", "1999-08-02T00:00:00Z", undefined],
    ]);
    expect(observations[0]?.metadata).toMatchObject({
      message_type: "OUL^R22",
      result_status: "S",
      abnormal_flags: ["A", "B"],
      reference_range: "100-120",
    });
    expect(briefly(issues)).toEqual([
      "MSH[1]/OBX[1] ambiguous_value error",
      "null assumed_timezone warning",
      "MSH[1]/OBX[3] unsupported_value_type info",
      "MSH[1]/OBX[4] unsupported_value_type info",
      "MSH[1]/OBX[5] unsupported_value_type info",
      "MSH[1]/OBX[6] unsupported_value_type info",
      "MSH[1]/OBX[7] unsupported_value_type info",
    ]);
    expect(issues[0]?.message).toContain("(60, 120)");
  });
});

describe("fhir-converter/VXU-V04-01.hl7 (VXU^V04)", () => {
  it("maps the RXA as an immunization and its OBX as coded observations", async () => {
    const { observations, issues } = await file("fhir-converter/VXU-V04-01.hl7");
    expect(observations[0]).toEqual({
      // RXA-5 here is an NDC product code (TENIVAC), not CVX: kept as the source gives it.
      codings: [{ system: "http://hl7.org/fhir/sid/ndc", code: "49281021588", display: "TENIVAC" }],
      value: true,
      start_at: "2021-08-18T00:00:00Z",
      location: "MSH[1]/RXA[1]",
      metadata: {
        message_type: "VXU^V04",
        message_control_id: "MSG00001",
        dose_quantity: 0.5,
        dose_unit: "mL",
        lot_number: "315841",
        manufacturer: { system: "http://hl7.org/fhir/sid/mvx", code: "PMC", display: "Sanofi Pasteur" },
        completion_status: "CP",
        action_code: "A",
        time_source: "RXA-3",
        time_precision: "day",
      },
    });
    expect(
      observations.slice(1).map((o) => [o.location, o.codings[0]?.code, o.value, o.metadata?.value_coding]),
    ).toEqual([
      ["MSH[1]/OBX[2]", "30963-3", "PHC70", [{ system: "CDCPHINVS", code: "PHC70", display: "Private" }]],
      [
        "MSH[1]/OBX[3]",
        "64994-7",
        "V01",
        [{ system: "http://terminology.hl7.org/CodeSystem/v2-0064", code: "V01", display: "Not VFC Eligible" }],
      ],
      [
        "MSH[1]/OBX[4]",
        "69764-9",
        "253088698300028811170411",
        [{ system: "cdcgs1vis", code: "253088698300028811170411", display: "Tetanus/Diphtheria (Td) Vaccine VIS" }],
      ],
      ["MSH[1]/OBX[5]", "29769-7", "2021-08-18", undefined],
    ]);
    expect(observations.slice(1).every((o) => o.start_at === "2021-08-18T00:00:00Z")).toBe(true);
    expect(briefly(issues)).toEqual(["MSH[1]/OBX[1] ambiguous_value error", "null assumed_timezone warning"]);
  });
});

describe("fhir-converter/ADT-A01-01.hl7 (ADT^A01)", () => {
  it("maps the OBX in the admission (here a repeated NM, rejected) and says the message yields nothing", async () => {
    const { observations, issues } = await file("fhir-converter/ADT-A01-01.hl7");
    expect(observations).toEqual([]);
    expect(briefly(issues)).toEqual(["MSH[1]/OBX[1] ambiguous_value error", "MSH[1] no_observations info"]);
    expect(issues[1]?.message).toContain("ADT^A01");
  });

  it("reads the patient for later use", () => {
    const text = new TextDecoder().decode(corpusBytes(`${FOLDER}/fhir-converter/ADT-A01-01.hl7`));
    expect(readPatient(parseMessage(text))).toEqual({
      // PID-5's second repetition is the one typed L (legal name).
      family: "Josh",
      given: ["stanley"],
      birthDate: "1988-08-18",
      sex: "male",
      sexCode: "M",
    });
  });
});

describe("hl7-standard files", () => {
  it("ack-error.hl7: a rejection ACK is reported clearly and yields nothing", async () => {
    const { observations, issues } = await file("hl7-standard/ack-error.hl7");
    expect(observations).toEqual([]);
    expect(issues).toEqual([
      {
        location: "MSH[1]",
        code: "acknowledgment",
        severity: "warning",
        message:
          "Message 1 (line 1) is an acknowledgment (ACK^V01, MSA-1 AR (application reject): Not logged in: User login failed), not clinical data; nothing to map.",
      },
    ]);
  });

  it("adt-a01-blank-lines.hl7: parses (CRLF, extra blank lines too) and yields only no_observations", async () => {
    const bytes = corpusBytes(`${FOLDER}/hl7-standard/adt-a01-blank-lines.hl7`);
    const { observations, issues } = await run(bytes);
    expect(observations).toEqual([]);
    expect(briefly(issues)).toEqual(["MSH[1] no_observations info"]);
    const text = new TextDecoder().decode(bytes);
    const spaced = await run(text.replaceAll("\r\n", "\r\n\r\n\n"));
    expect(briefly(spaced.issues)).toEqual(["MSH[1] no_observations info"]);
    expect(readPatient(parseMessage(text))).toEqual({
      family: "MotherToBe",
      given: ["Jane", "A"],
      birthDate: "1965-06-01",
      sex: "female",
      sexCode: "F",
    });
  });

  it("batch-fhs-bhs.hl7: maps each message of the batch, not splitting at MSH inside fields", async () => {
    const { observations, issues } = await file("hl7-standard/batch-fhs-bhs.hl7");
    expect(observations).toEqual([]);
    expect(briefly(issues)).toEqual([
      "MSH[1] no_observations info",
      "MSH[2]/OBX[1] missing_value warning",
      "MSH[2]/OBX[2] missing_value warning",
      "MSH[2]/OBX[3] missing_value warning",
      "MSH[2] no_observations info",
    ]);
    expect(issues[0]?.message).toContain("ADT^A01, line 3");
    expect(issues[4]?.message).toContain("RSP^K11, line 13");
  });

  it("rsp-k11-immunization-forecast.hl7: a CVX 998 / NA record and its forecast OBX yield nothing", async () => {
    const { observations, issues } = await file("hl7-standard/rsp-k11-immunization-forecast.hl7");
    expect(observations).toEqual([]);
    expect(briefly(issues)).toEqual(["MSH[1]/RXA[1] not_administered info", "MSH[1] no_observations info"]);
    expect(issues[0]?.message).toContain("RXA-5 CVX 998 (no vaccine administered), RXA-20 NA (not administered)");
    expect(issues[0]?.message).toContain("The 26 OBX segments");
  });
});

describe("simple-hl7/oru-vaers-immunization.hl7 (VAERS ORU v2.3.1, messy)", () => {
  it("maps the first order's OBX with OBR-7 as their time", async () => {
    const { observations } = await file("simple-hl7/oru-vaers-immunization.hl7");
    expect(observations.map((o) => [o.location, o.codings[0]?.code, o.value, o.unit, o.metadata?.value_type])).toEqual([
      ["MSH[1]/OBX[1]", "21612-7", 5, "mo", "NM"],
      ["MSH[1]/OBX[2]", "30947-6", "2001-03-16", undefined, "TS"],
      [
        "MSH[1]/OBX[3]",
        "30948-4",
        "fever of 106F, with vomiting, seizures, persistent crying lasting over 3 hours, loss of appetite",
        undefined,
        "FT",
      ],
      ["MSH[1]/OBX[4]", "30949-2", "E", undefined, "CE"],
      ["MSH[1]/OBX[5]", "30949-2", "H", undefined, "CE"],
      ["MSH[1]/OBX[6]", "30950-0", 2, "d", "NM"],
      ["MSH[1]/OBX[7]", "30951-8", "Y", undefined, "CE"],
      ["MSH[1]/OBX[8]", "30952-6", "2001-02-16", undefined, "TS"],
      ["MSH[1]/OBX[9]", "30953-4", "2001-02-18T09:00:00Z", undefined, "TS"],
      ["MSH[1]/OBX[10]", "30954-2", "Electrolytes, CBC, Blood culture", undefined, "FT"],
    ]);
    for (const o of observations) {
      expect(o.start_at).toBe("2001-03-16T00:00:00Z");
      expect(o.metadata).toMatchObject({ time_source: "OBR-7", time_precision: "day" });
    }
    expect(observations[3]?.metadata?.value_coding).toEqual([
      { system: "NIP005", code: "E", display: "required emergency room/doctor visit" },
    ]);
    expect(observations[6]?.metadata?.value_coding).toEqual([
      { system: "http://terminology.hl7.org/CodeSystem/v2-0239", code: "Y", display: "Yes" },
    ]);
  });

  it("reports each broken or timeless OBX, and never uses MSH-7 as a time", async () => {
    const { issues } = await file("simple-hl7/oru-vaers-immunization.hl7");
    const at = (location: string) => issues.filter((i) => i.location === location).map((i) => i.code);
    expect(issues[0]).toMatchObject({ location: null, code: "assumed_timezone", severity: "warning" });
    expect(at("MSH[1]/OBX[11]")).toEqual(["invalid_value_type"]);
    expect(at("MSH[1]/OBX[16]")).toEqual(["invalid_value"]);
    // OBX-3 shifted to "CE" (no system): a local code now, so the missing time is what is reported.
    expect(at("MSH[1]/OBX[17]")).toEqual(["missing_time"]);
    expect(at("MSH[1]/OBX[45]")).toEqual(["invalid_value"]);
    expect(at("MSH[1]/OBX[12]")).toEqual(["missing_time"]);
    const counts: Record<string, number> = {};
    for (const issue of issues) counts[issue.code] = (counts[issue.code] ?? 0) + 1;
    expect(counts).toEqual({
      assumed_timezone: 1,
      invalid_value_type: 1,
      invalid_value: 2,
      missing_value: 4,
      missing_time: 30,
    });
    expect(issues.filter((i) => i.code === "missing_time").every((i) => i.severity === "error")).toBe(true);
  });
});

const msh = (type = "ORU^R01") => `MSH|^~\\&|LAB|FAC|EHR|FAC|20240101120000+0100||${type}|MSG1|P|2.5.1`;
/** A segment from its non-empty fields, by number. */
const segment = (id: string, fields: Record<number, string>) => {
  const last = Math.max(...Object.keys(fields).map(Number));
  return [id, ...Array.from({ length: last }, (_, i) => fields[i + 1] ?? "")].join("|");
};

describe("synthetic messages", () => {
  it("a broken message of a batch is reported with its location; the others still map", async () => {
    const text = [
      "FHS|^~\\&|X",
      "BHS|^~\\&|X",
      msh(),
      "OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F|||20240101120000+0100",
      "MSH|ABCD|broken",
      "OBX|1|NM|8867-4^Heart rate^LN||99|/min^^UCUM|||||F|||20240101120000+0100",
      "MSH|^~\\&|truncated",
      msh(),
      "OBX|1|NM|8310-5^Body temperature^LN||36.6|Cel^^UCUM|||||F|||20240102080000+0100",
      "BTS|2",
      "FTS|1",
    ].join("\r");
    const { observations, issues } = await run(text);
    expect(observations.map((o) => [o.location, o.value, o.unit, o.start_at])).toEqual([
      ["MSH[1]/OBX[1]", 72, "/min", "2024-01-01T12:00:00+01:00"],
      ["MSH[4]/OBX[1]", 36.6, "Cel", "2024-01-02T08:00:00+01:00"],
    ]);
    expect(briefly(issues)).toEqual(["MSH[2] malformed_message error", "MSH[3] malformed_message error"]);
    expect(issues[0]?.message).toBe(
      'Message 2 (line 5) cannot be read: MSH-2 "ABCD" holds "A", which cannot be a delimiter. Its 2 segments are not mapped.',
    );
    expect(issues[1]?.message).toContain("line 7");
    expect(issues[1]?.message).toContain("MSH-9 (message type) is missing");
  });

  it("text with no MSH, JSON, and an empty file yield errors and nothing else", async () => {
    const pid = await run("PID|1||7\rOBX|1|NM|8867-4^HR^LN||70||||||F|||20240101");
    expect(pid.observations).toEqual([]);
    expect(briefly(pid.issues)).toEqual(["line 1 missing_msh error"]);
    expect(pid.issues[0]?.message).toContain('Line 1 ("PID|1||7") and 1 more line belong to no message');
    const json = await run('{"resourceType": "Bundle"}');
    expect(briefly(json.issues)).toEqual(["line 1 missing_msh error"]);
    const empty = await run("");
    expect(briefly(empty.issues)).toEqual(["null empty_file error"]);
  });

  it("reads SN values: comparators kept, ranges and ratios not mapped", async () => {
    const text = [
      msh(),
      "OBR|1|||24331-1^Lipid panel^LN|||20240101080000-0500",
      "OBX|1|SN|2093-3^Cholesterol^LN||<^150|mg/dL^^UCUM|||||F",
      "OBX|2|SN|2571-8^Triglyceride^LN||^88|mg/dL^^UCUM|||||F",
      "OBX|3|SN|5334-6^Titer^LN||^1^:^64||||||F",
      "OBX|4|SN|2085-9^HDL^LN||^40^-^60|mg/dL^^UCUM|||||F",
      "OBX|5|SN|2085-9^HDL^LN||abc|mg/dL^^UCUM|||||F",
    ].join("\n");
    const { observations, issues } = await run(text);
    expect(observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.comparator, o.start_at])).toEqual([
      ["2093-3", 150, "mg/dL", "<", "2024-01-01T08:00:00-05:00"],
      ["2571-8", 88, "mg/dL", undefined, "2024-01-01T08:00:00-05:00"],
    ]);
    expect(observations[0]?.metadata?.time_source).toBe("OBR-7");
    expect(briefly(issues)).toEqual([
      "MSH[1]/OBX[3] unsupported_value error",
      "MSH[1]/OBX[4] unsupported_value error",
      "MSH[1]/OBX[5] invalid_value error",
    ]);
    expect(issues[0]?.message).toContain('"1:64" is a ratio');
    expect(issues[1]?.message).toContain('"40-60" is a range');
  });

  it("reads every SN.1 comparator of §2.A.70 (>, <, >=, <=, =, <>) and censored NM text as the spec and labs write them", async () => {
    // SN.1 is ">" or "<" or ">=" or "<=" or "=" or "<>"; "=" and none are exact, "<>" bounds nothing.
    const sn = [">", "<", ">=", "<=", "=", "", "<>"].map(
      (c, i) =>
        `OBX|${i + 1}|SN|2160-0^Creatinine^LN||${c}^1.5|mg/dL^^UCUM|||||F|||2024010108${String(i).padStart(2, "0")}-0500`,
    );
    // NM allows no comparator, but "<0.5" and ">= 200" in NM (and SN written flat) are common.
    const flat = ["<0.5", ">= 200", "<=7", "=3"].map(
      (v, i) =>
        `OBX|${i + 8}|${i < 2 ? "NM" : "SN"}|2160-0^Creatinine^LN||${v}|mg/dL^^UCUM|||||F|||2024010109${String(i).padStart(2, "0")}-0500`,
    );
    const { observations, issues } = await run(
      [msh(), ...sn, ...flat, "OBX|12|NM|2160-0^Creatinine^LN||<>5|mg/dL^^UCUM|||||F|||202401011000-0500"].join("\r"),
    );
    expect(observations.map((o) => [o.value, o.comparator ?? null])).toEqual([
      [1.5, ">"],
      [1.5, "<"],
      [1.5, ">="],
      [1.5, "<="],
      [1.5, null],
      [1.5, null],
      [0.5, "<"],
      [200, ">="],
      [7, "<="],
      [3, null],
    ]);
    expect(observations[6]?.metadata?.value_written).toBe("<0.5");
    expect(briefly(issues)).toEqual(["MSH[1]/OBX[7] unsupported_value error", "MSH[1]/OBX[12] invalid_value error"]);
    expect(issues[0]?.message).toContain("not equal to");
  });

  it("follows OBX-11: deleted, wrong and unobtainable results yield nothing; corrected ones are kept", async () => {
    const obx = (n: number, status: string) =>
      `OBX|${n}|NM|8867-4^HR^LN||7${n}|/min|||||${status}|||20240101120000+0000`;
    const text = [msh(), obx(1, "D"), obx(2, "W"), obx(3, "X"), obx(4, "C"), obx(5, "F"), obx(6, "")].join("\r");
    const { observations, issues } = await run(text);
    expect(observations.map((o) => [o.value, o.metadata?.result_status, o.start_at])).toEqual([
      [74, "C", "2024-01-01T12:00:00Z"],
      [75, "F", "2024-01-01T12:00:00Z"],
      [76, undefined, "2024-01-01T12:00:00Z"],
    ]);
    expect(briefly(issues)).toEqual([
      "MSH[1]/OBX[1] retracted_result info",
      "MSH[1]/OBX[2] retracted_result info",
      "MSH[1]/OBX[3] no_result info",
    ]);
  });

  it("takes OBX-14, else OBR-7, never MSH-7; applies the file's timezone to times without offset", async () => {
    const text = [
      msh(),
      "OBX|1|NM|8867-4^HR^LN||70|/min||||||||202407011200",
      "OBR|1|||X^Panel^L|||202401011200",
      "OBX|2|NM|8867-4^HR^LN||71|/min",
      "ORC|NW",
      "OBX|3|NM|8867-4^HR^LN||72|/min",
      "OBX|4|NM|8867-4^HR^LN||73|/min||||||||2024-07-01",
    ].join("\r");
    const berlin = await run(text, { timezone: "Europe/Berlin" });
    expect(berlin.observations.map((o) => [o.value, o.start_at, o.metadata?.time_source])).toEqual([
      [70, "2024-07-01T12:00:00+02:00", "OBX-14"],
      [71, "2024-01-01T12:00:00+01:00", "OBR-7"],
    ]);
    expect(briefly(berlin.issues)).toEqual(["MSH[1]/OBX[3] missing_time error", "MSH[1]/OBX[4] invalid_time error"]);

    const utc = await run(`${text}\r${msh()}\rOBX|1|NM|8867-4^HR^LN||80|/min||||||||202401021200`);
    expect(utc.observations.map((o) => o.start_at)).toEqual([
      "2024-07-01T12:00:00Z",
      "2024-01-01T12:00:00Z",
      "2024-01-02T12:00:00Z",
    ]);
    // One assumed_timezone warning for the whole file, however many messages rely on it.
    expect(utc.issues.filter((i) => i.code === "assumed_timezone")).toHaveLength(1);

    const bad = await run(text, { timezone: "Mars/Olympus" });
    expect(briefly(bad.issues).slice(0, 2)).toEqual(["null invalid_timezone warning", "null assumed_timezone warning"]);
  });

  it("reads units, escapes, FT formatting, alternate codings and custom delimiters", async () => {
    const text = [
      msh(),
      "OBX|1|NM|29463-7^Body weight^LN^WT^Weight^99LOCAL||70.5|kg^kilogram^UCUM|||||F|||20240101120000+0000",
      "OBX|2|NM|8302-2^Body height^LN||180|^centimeter|||||F|||20240101120000+0000",
      "OBX|3|NM|30973-2^Dose number^LN||1|NA^NA^HL70353|||||F|||20240101120000+0000",
      "OBX|4|ST|8251-1^Service comment^LN||Na\\T\\K \\F\\ ok||||||F|||20240101120000+0000",
      "OBX|5|FT|11488-4^Note^LN||line 1\\.br\\line 2~line 3||||||F|||20240101120000+0000",
      "OBX|6|CWE|883-9^ABO group^LN||112144000^Blood group A^SCT^A^Group A^L||||||F|||20240101120000+0000",
      "OBX|7|CE|883-9^ABO group^LN||^Type A, per patient||||||F|||20240101120000+0000",
    ].join("\r");
    const { observations, issues } = await run(text);
    expect(issues).toEqual([]);
    expect(observations[0]?.codings).toEqual([
      { system: LOINC, code: "29463-7", display: "Body weight" },
      { system: "99LOCAL", code: "WT", display: "Weight" },
    ]);
    expect(observations.map((o) => [o.value, o.unit])).toEqual([
      [70.5, "kg"],
      [180, "centimeter"],
      [1, undefined],
      ["Na&K | ok", undefined],
      ["line 1\nline 2\nline 3", undefined],
      ["112144000", undefined],
      ["Type A, per patient", undefined],
    ]);
    expect(observations[5]?.metadata?.value_coding).toEqual([
      { system: SNOMED, code: "112144000", display: "Blood group A" },
      { system: "L", code: "A", display: "Group A" },
    ]);
    expect(observations[6]?.metadata?.value_coding).toBeUndefined();

    const custom =
      "MSH#:*!@#LAB####20240101##ORU:R01#1#P#2.5.1\rOBX#1#NM#8867-4:Heart rate:LN##72#/min:per minute:UCUM#####F###20240101120000+0000";
    const mapped = await run(custom);
    expect(mapped.observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.metadata?.message_type])).toEqual([
      ["8867-4", 72, "/min", "ORU^R01"],
    ]);
  });

  it("matches an OBX-3 without a coding system by its text, keeps one that matches nothing as a local code", async () => {
    const text = [
      msh(),
      "OBX|1|NM|HR^Heart rate||64|/min|||||F|||20240101120000+0000",
      "OBX|2|NM|Q1^Some local thing||1||||||F|||20240101120000+0000",
      "OBX|3|NM|||1||||||F|||20240101120000+0000",
      "OBX|4|NM|^Only a text||1||||||F|||20240101120000+0000",
    ].join("\r");
    const { observations, issues } = await run(text);
    const local = localCodeSystem("hl7v2", "LAB^FAC");
    expect(observations).toHaveLength(2);
    expect(observations[0]).toMatchObject({
      codings: [{ system: local, code: "HR", display: "Heart rate" }],
      variable_id: seedCatalog().byLabel("Heart rate")?.id,
      value: 64,
    });
    expect(observations[1]).toMatchObject({
      codings: [{ system: local, code: "Q1", display: "Some local thing" }],
      value: 1,
    });
    expect(observations[1]?.variable_id).toBeUndefined();
    expect(briefly(issues)).toEqual(["MSH[1]/OBX[3] missing_code error", "MSH[1]/OBX[4] missing_code error"]);
  });

  it("maps RXA immunizations with CVX first; refused, not administered and deleted records yield nothing", async () => {
    const text = [
      msh("VXU^V04"),
      "ORC|RE",
      segment("RXA", {
        1: "0",
        2: "1",
        3: "20240105093000-0500",
        5: "90658^Flu vaccine^CPT^141^Influenza, seasonal, injectable^CVX",
        6: "0.5",
        7: "mL^^UCUM",
        15: "LOT1",
        17: "SKB^GSK^MVX",
        20: "CP",
        21: "A",
      }),
      "OBX|1|CE|30963-3^Funding^LN|1|VXC1^Private^CDCPHINVS||||||F|||20240105",
      "ORC|RE",
      segment("RXA", { 3: "20240106", 5: "03^MMR^CVX", 6: "999", 20: "RE" }),
      "OBX|1|CE|30945-0^Contraindication^LN|1|X^Y^L||||||F|||20240106",
      "ORC|RE",
      segment("RXA", { 3: "20240107", 5: "08^HepB^CVX", 6: "1", 20: "CP", 21: "D" }),
      segment("RXA", { 5: "21^Varicella^CVX", 6: "1" }),
    ].join("\r");
    const { observations, issues } = await run(text);
    expect(observations[0]).toEqual({
      codings: [
        { system: "http://hl7.org/fhir/sid/cvx", code: "141", display: "Influenza, seasonal, injectable" },
        { system: "CPT", code: "90658", display: "Flu vaccine" },
      ],
      value: true,
      start_at: "2024-01-05T09:30:00-05:00",
      location: "MSH[1]/RXA[1]",
      metadata: {
        message_type: "VXU^V04",
        message_control_id: "MSG1",
        dose_quantity: 0.5,
        dose_unit: "mL",
        lot_number: "LOT1",
        manufacturer: { system: "http://hl7.org/fhir/sid/mvx", code: "SKB", display: "GSK" },
        completion_status: "CP",
        action_code: "A",
        time_source: "RXA-3",
        time_precision: "second",
      },
    });
    const flu = observations[0];
    if (flu) expect(resolve(flu)).toBe("Influenza vaccine");
    expect(observations.map((o) => o.location)).toEqual(["MSH[1]/RXA[1]", "MSH[1]/OBX[1]"]);
    expect(briefly(issues)).toEqual([
      "null assumed_timezone warning",
      "MSH[1]/RXA[2] not_administered info",
      "MSH[1]/RXA[3] deleted_record info",
      "MSH[1]/RXA[4] missing_time error",
    ]);
    expect(issues[1]?.message).toContain("RXA-20 RE (refused)");
    expect(issues[1]?.message).toContain("The 1 OBX segment of this group");
  });

  it("reports lines inside a message that are not segments, and maps the rest", async () => {
    const text = [
      msh(),
      "OBX|1|NM|8867-4^HR^LN||70|/min|||||F|||20240101120000+0000",
      "this is not a segment",
      "OBX|2|NM|8867-4^HR^LN||71|/min|||||F|||20240101120100+0000",
      "PI|1",
    ].join("\n");
    const { events } = await run(text);
    expect(
      events.map((e) => (e.kind === "issue" ? `${e.issue.location} ${e.issue.code}` : e.observation.location)),
    ).toEqual(["MSH[1]/OBX[1]", "line 3 malformed_segment", "MSH[1]/OBX[2]", "line 5 malformed_segment"]);
  });

  it("an ACK that accepts is an info, not a warning", async () => {
    const { issues } = await run(`${msh("ACK^R01")}\rMSA|AA|MSG0`);
    expect(briefly(issues)).toEqual(["MSH[1] acknowledgment info"]);
  });
});

describe("detect", () => {
  const input = (bytes: Uint8Array, name: string | null = null, contentType: string | null = null): DetectInput => ({
    head: bytes.subarray(0, 64 * 1024),
    headText: new TextDecoder().decode(bytes.subarray(0, 64 * 1024)).replace(/^\uFEFF/, ""),
    name,
    contentType,
  });

  it.each(corpusFiles(FOLDER))("recognises %s", (path) => {
    expect(hl7v2Mapper.detect(input(corpusBytes(path)))).toBeGreaterThanOrEqual(0.9);
  });

  it("scores other formats of the corpus low", () => {
    const others = corpusFiles(".").filter((path) => !path.startsWith(FOLDER) && path !== "README.md");
    expect(others.length).toBeGreaterThan(50);
    for (const path of others) {
      const name = path.split("/").pop() ?? null;
      expect([path, hl7v2Mapper.detect(input(corpusBytes(path), name))]).toEqual([path, 0]);
    }
  });

  it("gives hints a middling score and needs MSH with valid delimiters for a high one", () => {
    const text = (t: string) => new TextEncoder().encode(t);
    expect(hl7v2Mapper.detect(input(text("hello"), "lab.hl7"))).toBe(0.4);
    expect(hl7v2Mapper.detect(input(text("hello"), null, "x-application/hl7-v2+er7"))).toBe(0.5);
    expect(hl7v2Mapper.detect(input(text("MSH|ABCD|x")))).toBe(0);
    expect(hl7v2Mapper.detect(input(text("\u000bMSH|^~\\&|A")))).toBe(0.98);
    expect(hl7v2Mapper.detect(input(text("MSH#:*!@#A")))).toBe(0.9);
    expect(hl7v2Mapper.detect(input(text("FHS|^~\\&|A\r")))).toBe(0.98);
  });
});
