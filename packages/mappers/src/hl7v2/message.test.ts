import { describe, expect, it } from "vitest";
import { collect, fromBytes, lines } from "../util/stream";
import { codingsOf, parseDate, parseNumber, parseStructuredNumeric, readCoded, systemUri } from "./datatypes";
import { DEFAULT_DELIMITERS } from "./encoding";
import { Hl7ParseError, messageUnits, parseMessage, readMessage } from "./message";
import { readPatient } from "./patient";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("segments and fields", () => {
  const message = parseMessage(
    [
      "MSH|^~\\&|LAB|FAC||EHR|20240101120000+0100||ORU^R01^ORU_R01|42|P|2.5.1",
      "PID|1||123^^^MRN~456^^^SSN||Doe\\T\\Roe&van^Jane^Q^^^^L~Alias^Al||19800229|F",
      "OBX|1|ST|1234-5^Note^LN||a\\F\\b^c",
    ].join("\r"),
  );

  it("numbers MSH fields as the standard does (MSH-1 is the separator)", () => {
    expect(message.msh.raw(1)).toBe("|");
    expect(message.msh.raw(2)).toBe("^~\\&");
    expect(message.msh.get(9, 1)).toBe("ORU");
    expect(message.msh.get(9, 3)).toBe("ORU_R01");
    expect(message.msh.get(10)).toBe("42");
    expect(message.msh.repetitions(2)).toEqual(["^~\\&"]);
  });

  it("splits repetitions, components and subcomponents, then unescapes", () => {
    const pid = message.segments[1];
    expect(pid?.id).toBe("PID");
    expect(pid?.line).toBe(2);
    expect(pid?.repetitions(3)).toEqual(["123^^^MRN", "456^^^SSN"]);
    expect(pid?.components(3, 1)).toEqual(["456", "", "", "SSN"]);
    expect(pid?.components(5)).toEqual(["Doe&Roe&van", "Jane", "Q", "", "", "", "L"]);
    expect(pid?.get(99)).toBe("");
    expect(pid?.repetitions(99)).toEqual([]);
    const obx = message.segments[2];
    expect(obx?.text(5)).toBe("a|b^c");
  });

  it("reads the patient for later use", () => {
    expect(readPatient(message)).toEqual({
      family: "Doe&Roe",
      given: ["Jane", "Q"],
      birthDate: "1980-02-29",
      sex: "female",
      sexCode: "F",
    });
    const noPid = parseMessage("MSH|^~\\&|A||B||2024||ADT^A08|1|P|2.5");
    expect(readPatient(noPid)).toBeNull();
    const partial = parseMessage("MSH|^~\\&|A||B||2024||ADT^A08|1|P|2.5\nPID|1||7||^^^^^^B~Smith^John^^^^^L||1961|U");
    expect(readPatient(partial)).toEqual({
      family: "Smith",
      given: ["John"],
      birthDate: "1961",
      sex: "unknown",
      sexCode: "U",
    });
  });

  it("throws a typed error for text that is not a message", () => {
    expect(() => parseMessage("PID|1||7")).toThrow(Hl7ParseError);
    expect(() => parseMessage("MSH|^~\\&|A")).toThrow(/MSH-9/);
  });

  it("reports lines that are not segments and keeps the rest", () => {
    const result = readMessage(1, [
      { text: "MSH|^~\\&|A||B||2024||ORU^R01|1|P|2.5", number: 1 },
      { text: "continued text", number: 2 },
      { text: "OBX|1", number: 3 },
      { text: "OB|1", number: 4 },
      { text: "NTE", number: 5 },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.segments.map((s) => s.id)).toEqual(["MSH", "OBX", "NTE"]);
    expect(result.problems.map((p) => p.line)).toEqual([2, 4]);
  });
});

describe("messageUnits (splitting a stream)", () => {
  const units = async (text: string, chunk = 5) => collect(messageUnits(lines(fromBytes(bytes(text), chunk))));

  it("splits at each MSH with \\r, \\n or \\r\\n and skips blank lines and MLLP framing", async () => {
    const text = "\u000bMSH|^~\\&|A|||||ADT^A01|1\r\n\r\nPID|1\n\nMSH|^~\\&|B|||||ORU^R01|2\rOBX|1\u001c\r";
    const result = await units(text);
    expect(result).toEqual([
      {
        kind: "message",
        index: 1,
        lines: [
          { text: "MSH|^~\\&|A|||||ADT^A01|1", number: 1 },
          { text: "PID|1", number: 3 },
        ],
      },
      {
        kind: "message",
        index: 2,
        lines: [
          { text: "MSH|^~\\&|B|||||ORU^R01|2", number: 5 },
          { text: "OBX|1", number: 6 },
        ],
      },
    ]);
  });

  it("drops batch envelopes and reports lines outside messages as runs", async () => {
    const text = "junk 1\njunk 2\nFHS|^~\\&|X\nBHS|^~\\&|Y\nMSH|^~\\&|A|||||ACK|1\nMSA|AA|1\nBTS|1\nafter\nFTS|1\n";
    const result = await units(text, 3);
    expect(result).toEqual([
      { kind: "outside", first: { text: "junk 1", number: 1 }, count: 2 },
      {
        kind: "message",
        index: 1,
        lines: [
          { text: "MSH|^~\\&|A|||||ACK|1", number: 5 },
          { text: "MSA|AA|1", number: 6 },
        ],
      },
      { kind: "outside", first: { text: "after", number: 8 }, count: 1 },
    ]);
  });

  it("does not split at MSH inside a field or at MSHX", async () => {
    const result = await units("MSH|^~\\&|A|||||RSP^K11|1\rOBX||||MSH||||MSH\rMSHX|1\r");
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ kind: "message", lines: [{ number: 1 }, { number: 2 }, { number: 3 }] });
  });
});

describe("data types", () => {
  const d = DEFAULT_DELIMITERS;

  it("maps table 0396 names to system URIs and keeps local ones", () => {
    expect(systemUri("LN")).toBe("http://loinc.org");
    expect(systemUri("sct")).toBe("http://snomed.info/sct");
    expect(systemUri("SNM")).toBe("http://snomed.info/sct");
    expect(systemUri("CVX")).toBe("http://hl7.org/fhir/sid/cvx");
    expect(systemUri("UCUM")).toBe("http://unitsofmeasure.org");
    expect(systemUri(" HL70136")).toBe("http://terminology.hl7.org/CodeSystem/v2-0136");
    expect(systemUri("99USI")).toBe("99USI");
    expect(systemUri("L")).toBe("L");
  });

  it("reads both triplets of a coded element", () => {
    const element = readCoded("57021-8^CBC panel^LN^4456544^CBC^99USI^^^CBC W Auto Differential", d);
    expect(element).toMatchObject({
      identifier: "57021-8",
      altIdentifier: "4456544",
      originalText: "CBC W Auto Differential",
    });
    expect(codingsOf(element)).toEqual([
      { system: "http://loinc.org", code: "57021-8", display: "CBC panel" },
      { system: "99USI", code: "4456544", display: "CBC" },
    ]);
    expect(codingsOf(readCoded("8867-4^^LN^8867-4^^LN", d))).toEqual([{ system: "http://loinc.org", code: "8867-4" }]);
    expect(codingsOf(readCoded("123^no system", d))).toEqual([]);
  });

  it("reads NM numbers", () => {
    expect(parseNumber("05")).toBe(5);
    expect(parseNumber(" -0.5 ")).toBe(-0.5);
    expect(parseNumber("+.25")).toBe(0.25);
    expect(parseNumber("7.")).toBe(7);
    expect(parseNumber("01I")).toBeNull();
    expect(parseNumber("1e3")).toBeNull();
    expect(parseNumber("")).toBeNull();
  });

  it("reads SN: comparator kept, ranges/ratios/suffixes have no single number", () => {
    expect(parseStructuredNumeric("^7.2", d)).toEqual({ kind: "number", value: 7.2, comparator: null });
    expect(parseStructuredNumeric("<^0.05", d)).toEqual({ kind: "number", value: 0.05, comparator: "<" });
    expect(parseStructuredNumeric(">=^10", d)).toEqual({ kind: "number", value: 10, comparator: ">=" });
    expect(parseStructuredNumeric("=^3", d)).toEqual({ kind: "number", value: 3, comparator: null });
    expect(parseStructuredNumeric("<5", d)).toEqual({ kind: "number", value: 5, comparator: "<" });
    expect(parseStructuredNumeric("<>^3", d)).toEqual({ kind: "not_equal", text: "<>3" });
    expect(parseStructuredNumeric("<=^-0.5", d)).toEqual({ kind: "number", value: -0.5, comparator: "<=" });
    expect(parseStructuredNumeric(">^1e3", d)).toEqual({ kind: "invalid", text: ">1e3" });
    expect(parseStructuredNumeric("^1^-^2", d)).toEqual({ kind: "range", text: "1-2" });
    expect(parseStructuredNumeric("^1^:^64", d)).toEqual({ kind: "ratio", text: "1:64" });
    expect(parseStructuredNumeric("^1^/^2", d)).toEqual({ kind: "ratio", text: "1/2" });
    expect(parseStructuredNumeric("^2^+", d)).toEqual({ kind: "suffix", text: "2+" });
    expect(parseStructuredNumeric("~^x", d)).toEqual({ kind: "invalid", text: "~x" });
    expect(parseStructuredNumeric("^abc", d)).toEqual({ kind: "invalid", text: "abc" });
  });

  it("reads DT dates at their precision", () => {
    expect(parseDate("20210818")).toBe("2021-08-18");
    expect(parseDate("202108")).toBe("2021-08");
    expect(parseDate("2021")).toBe("2021");
    expect(parseDate("12345678")).toBeNull();
    expect(parseDate("20210230")).toBeNull();
    expect(parseDate("2021081")).toBeNull();
  });
});
