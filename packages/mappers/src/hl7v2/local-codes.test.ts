/**
 * Local codes in OBX-3 (issue 15, classes 1 and 5), from the CE/CWE component rules of HL7 v2.5.1
 * §2.A.8 / §2.A.13: identifier ^ text ^ name of coding system ^ alternate identifier ^ alternate text ^
 * name of alternate coding system. The coding system is optional; table 0396 reserves `L` and `99zzz`
 * for local systems. A local code is kept with a system derived from the sender (MSH-3 / MSH-4, HD
 * §2.A.33), never dropped; a well-formed LOINC code whose system is not `LN` is read as LOINC, with a warning.
 */
import { CODE_SYSTEMS, localCodeSystem, type MapContext, type MappedObservation, type MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { hl7v2Mapper } from "./index";

const LOINC = CODE_SYSTEMS.loinc;

async function run(text: string, context: Partial<MapContext> = {}) {
  const events = await collect(
    hl7v2Mapper.map(fromBytes(new TextEncoder().encode(text)), { lookup: seedCatalog(), ...context }),
  );
  const observations: MappedObservation[] = [];
  const issues: MappingIssue[] = [];
  for (const e of events) {
    if (e.kind === "observation") observations.push(e.observation);
    else issues.push(e.issue);
  }
  return { observations, issues };
}

const message = (obx3: string, sender = "ACME-LAB|HOSP") =>
  [
    `MSH|^~\\&|${sender}|EHR|FAC|20240101120000+0000||ORU^R01|M1|P|2.5.1`,
    `OBX|1|NM|${obx3}||5.4|mmol/L^^UCUM|||||F|||20240101120000+0000`,
  ].join("\r");

const SENDER = localCodeSystem("hl7v2", "ACME-LAB^HOSP");

describe("OBX-3 local codes (CE/CWE component rules)", () => {
  it("derives the local system from MSH-3 ^ MSH-4, lower-cased and percent-encoded", () => {
    expect(SENDER).toBe("urn:dfda:local:hl7v2:acme-lab%5Ehosp");
  });

  // Every way table 0396 (and its absence) says a code is the sender's own.
  for (const system of ["", "L", "l", "LOCAL", "99zzz", "99LAB", "991", " L "]) {
    it(`keeps ABC^Some Test^${JSON.stringify(system)} as the sender's local code`, async () => {
      const { observations, issues } = await run(message(`ABC^Some Test^${system}`));
      expect(observations).toHaveLength(1);
      expect(observations[0]?.codings).toEqual([{ system: SENDER, code: "ABC", display: "Some Test" }]);
      expect(observations[0]?.value).toBe(5.4);
      expect(issues.filter((i) => i.severity !== "info")).toEqual([]);
    });
  }

  it("keeps a code without text (identifier only)", async () => {
    const { observations } = await run(message("ABC"));
    expect(observations[0]?.codings).toEqual([{ system: SENDER, code: "ABC" }]);
  });

  it("orders a standard alternate triplet before the local primary one, and keeps both", async () => {
    const { observations } = await run(message("GLU^Glucose^L^2345-7^Glucose SerPl-mCnc^LN"));
    expect(observations[0]?.codings).toEqual([
      { system: LOINC, code: "2345-7", display: "Glucose SerPl-mCnc" },
      { system: SENDER, code: "GLU", display: "Glucose" },
    ]);
  });

  it("keeps a local alternate after a LOINC primary", async () => {
    const { observations } = await run(message("2345-7^Glucose^LN^GLU^Glucose^99LAB"));
    expect(observations[0]?.codings).toEqual([
      { system: LOINC, code: "2345-7", display: "Glucose" },
      { system: SENDER, code: "GLU", display: "Glucose" },
    ]);
  });

  it("two different local codes of one triplet pair are both kept", async () => {
    const { observations } = await run(message("GLU^Glucose^L^G1^Glucose (old)^99OLD"));
    expect(observations[0]?.codings.map((c) => c.code)).toEqual(["GLU", "G1"]);
  });

  it("a named system outside table 0396's known names is kept as written", async () => {
    const { observations } = await run(message("ABC^Some Test^ACMELAB"));
    expect(observations[0]?.codings).toEqual([{ system: "ACMELAB", code: "ABC", display: "Some Test" }]);
  });

  it("the same code from two senders is two codes", async () => {
    const a = await run(message("ABC^Some Test", "LAB-A|SITE"));
    const b = await run(message("ABC^Some Test", "LAB-B|SITE"));
    expect(a.observations[0]?.codings[0]?.system).toBe(localCodeSystem("hl7v2", "LAB-A^SITE"));
    expect(b.observations[0]?.codings[0]?.system).toBe(localCodeSystem("hl7v2", "LAB-B^SITE"));
    expect(a.observations[0]?.codings[0]?.system).not.toBe(b.observations[0]?.codings[0]?.system);
  });

  it("names the sender by HD's universal id when the namespace id is empty, and 'unknown' without one", async () => {
    const universal = await run(message("ABC", "^2.16.840.1.113883.19.4^ISO|"));
    expect(universal.observations[0]?.codings[0]?.system).toBe(localCodeSystem("hl7v2", "2.16.840.1.113883.19.4"));
    const none = await run(message("ABC", "|"));
    expect(none.observations[0]?.codings[0]?.system).toBe("urn:dfda:local:hl7v2:unknown");
  });

  it("an OBX-3 with no identifier in either triplet names nothing: missing_code", async () => {
    const { observations, issues } = await run(message("^Some Test^L"));
    expect(observations).toEqual([]);
    expect(issues.map((i) => i.code)).toContain("missing_code");
  });
});

describe("OBX-3 LOINC codes under another system name (class 5)", () => {
  it("reads a LOINC code whose third component is its long name as LOINC, with a warning", async () => {
    const { observations, issues } = await run(message("2345-7^Glucose^Glucose [Mass/volume] in Serum or Plasma"));
    expect(observations[0]?.codings).toEqual([
      { system: LOINC, code: "2345-7", display: "Glucose" },
      { system: SENDER, code: "2345-7", display: "Glucose" },
    ]);
    const warning = issues.find((i) => i.code === "loinc_code_recognized");
    expect(warning).toMatchObject({ severity: "warning", location: "MSH[1]/OBX[1]" });
    expect(warning?.message).toContain("2345-7");
  });

  it("reads a LOINC code with an empty or unknown system name as LOINC", async () => {
    for (const system of ["", "LOINC", "LNC", "http://loinc.org"]) {
      const { observations, issues } = await run(message(`718-7^Hemoglobin^${system}`));
      expect(observations[0]?.codings[0], system).toEqual({ system: LOINC, code: "718-7", display: "Hemoglobin" });
      expect(issues.map((i) => i.code)).toContain("loinc_code_recognized");
    }
  });

  it("does not read a code with a wrong check digit as LOINC", async () => {
    const { observations, issues } = await run(message("2345-6^Glucose^Glucose [Mass/volume] in Serum or Plasma"));
    expect(observations[0]?.codings).toEqual([{ system: SENDER, code: "2345-6", display: "Glucose" }]);
    expect(issues.map((i) => i.code)).not.toContain("loinc_code_recognized");
  });

  it("does not second-guess a sender that says the code is local (L, 99zzz)", async () => {
    for (const system of ["L", "99LAB"]) {
      const { observations, issues } = await run(message(`2345-7^Glucose^${system}`));
      expect(observations[0]?.codings).toEqual([{ system: SENDER, code: "2345-7", display: "Glucose" }]);
      expect(issues.map((i) => i.code)).not.toContain("loinc_code_recognized");
    }
  });

  it("does not warn when the system is LN", async () => {
    const { observations, issues } = await run(message("2345-7^Glucose^LN"));
    expect(observations[0]?.codings).toEqual([{ system: LOINC, code: "2345-7", display: "Glucose" }]);
    expect(issues.filter((i) => i.severity !== "info")).toEqual([]);
  });
});

describe("a file that names no sender (no MSH-3, no MSH-4) is its own sender", () => {
  // Hex SHA-256 of two files' bytes, as the mapper Worker passes them (MapContext.fileSha256, files.sha256).
  const FILE_A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  const FILE_B = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

  it("two files' GLU are two codes; the same file mapped again derives the same system", async () => {
    const text = message("GLU^Glucose", "|");
    const a = await run(text, { fileSha256: FILE_A });
    const again = await run(text, { fileSha256: FILE_A });
    const b = await run(text, { fileSha256: FILE_B });
    expect(a.observations[0]?.codings).toEqual([
      { system: `urn:dfda:local:hl7v2:file:${FILE_A}`, code: "GLU", display: "Glucose" },
    ]);
    expect(again.observations[0]?.codings).toEqual(a.observations[0]?.codings);
    expect(b.observations[0]?.codings[0]?.system).toBe(`urn:dfda:local:hl7v2:file:${FILE_B}`);
  });

  it("a named sender is kept whatever the file; no sender and no file is `unknown`", async () => {
    const named = await run(message("GLU^Glucose"), { fileSha256: FILE_A });
    expect(named.observations[0]?.codings[0]?.system).toBe(SENDER);
    const anonymous = await run(message("GLU^Glucose", "|"));
    expect(anonymous.observations[0]?.codings[0]?.system).toBe("urn:dfda:local:hl7v2:unknown");
  });

  it("no sender's name can be the file's system: `:` is percent-encoded in a sender", () => {
    expect(localCodeSystem("hl7v2", `file:${FILE_A}`)).toBe(`urn:dfda:local:hl7v2:file%3A${FILE_A}`);
    expect(localCodeSystem("hl7v2", " ", { fileSha256: FILE_A })).toBe(`urn:dfda:local:hl7v2:file:${FILE_A}`);
  });
});
