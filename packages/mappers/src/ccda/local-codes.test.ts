/**
 * Local codes in C-CDA (issue 15, class 1): a Result Observation `code` with `@code` and no
 * `@codeSystem` is kept under the document sender's local system (the custodian organization's id,
 * else the author's represented organization's), so the pipeline holds it as pending; a well-formed
 * LOINC code there is read as LOINC too, with a warning.
 */
import { CODE_SYSTEMS, localCodeSystem, type MappedObservation, type MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { ccdaMapper } from "./index";

const lookup = seedCatalog();

async function run(
  xml: string,
  fileSha256?: string,
): Promise<{ observations: MappedObservation[]; issues: MappingIssue[] }> {
  const context = fileSha256 === undefined ? { lookup } : { lookup, fileSha256 };
  const events = await collect(ccdaMapper.map(fromBytes(new TextEncoder().encode(xml), 13), context));
  return {
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

const AUTHOR = `<author><time value="20240101"/><assignedAuthor><id root="2.16.840.1.113883.4.6" extension="999"/>
  <representedOrganization><id root="2.16.840.1.113883.19.5" extension="AUTH-ORG"/><name>Clinic</name></representedOrganization></assignedAuthor></author>`;
const CUSTODIAN = `<custodian><assignedCustodian><representedCustodianOrganization><id root="2.16.840.1.113883.19.9"/>
  <name>Lab</name></representedCustodianOrganization></assignedCustodian></custodian>`;

function document(header: string, code: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <templateId root="2.16.840.1.113883.10.20.22.1.2"/>
  ${header}
  <component><structuredBody><component><section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/>
    <title>Results</title><text>t</text>
    <entry><organizer classCode="BATTERY" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.1"/>
      <statusCode code="completed"/><effectiveTime value="20240102080000+0000"/>
      <component><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>
        ${code}<statusCode code="completed"/><effectiveTime value="20240102080000+0000"/>
        <value xsi:type="PQ" value="5.4" unit="mmol/L"/></observation></component>
    </organizer></entry></section></component></structuredBody></component>
</ClinicalDocument>`;
}

describe("C-CDA codes without a codeSystem", () => {
  it("take the custodian's organization id (over the author's) as their sender", async () => {
    const r = await run(document(`${AUTHOR}${CUSTODIAN}`, `<code code="ABC" displayName="Some Test"/>`));
    expect(r.observations.map((o) => o.codings)).toEqual([
      [{ system: localCodeSystem("ccda", "2.16.840.1.113883.19.9"), code: "ABC", display: "Some Test" }],
    ]);
    expect(r.issues.filter((i) => i.severity !== "info")).toEqual([]);
  });

  it("take the author's represented organization (root^extension) without a custodian, else `unknown`", async () => {
    const authored = await run(document(AUTHOR, `<code code="ABC"/>`));
    expect(authored.observations[0]?.codings).toEqual([
      { system: localCodeSystem("ccda", "2.16.840.1.113883.19.5^AUTH-ORG"), code: "ABC" },
    ]);
    const anonymous = await run(document("", `<code code="ABC"/>`));
    expect(anonymous.observations[0]?.codings).toEqual([{ system: localCodeSystem("ccda", "unknown"), code: "ABC" }]);
  });

  it("a well-formed LOINC code is read as LOINC first, with a warning; a coded or null-flavoured code is unchanged", async () => {
    const r = await run(document(CUSTODIAN, `<code code="2345-7" displayName="Glucose"/>`));
    expect(r.observations[0]?.codings).toEqual([
      { system: CODE_SYSTEMS.loinc, code: "2345-7", display: "Glucose" },
      { system: localCodeSystem("ccda", "2.16.840.1.113883.19.9"), code: "2345-7", display: "Glucose" },
    ]);
    expect(r.issues.filter((i) => i.code === "loinc_code_recognized")).toHaveLength(1);
    const coded = await run(document(CUSTODIAN, `<code code="2345-7" codeSystem="2.16.840.1.113883.6.1"/>`));
    expect(coded.observations[0]?.codings).toEqual([{ system: CODE_SYSTEMS.loinc, code: "2345-7" }]);
    const nulled = await run(document(CUSTODIAN, `<code code="ABC" nullFlavor="UNK"/>`));
    expect(nulled.observations).toEqual([]);
    expect(nulled.issues.map((i) => i.code)).toContain("missing_code");
  });
});

describe("a C-CDA that names no custodian or author organization", () => {
  const FILE_A = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
  const FILE_B = "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";

  it("is its own sender: two files' ABC are two codes, the same file derives the same system again", async () => {
    const xml = document("", `<code code="ABC" displayName="Some Test"/>`);
    const a = await run(xml, FILE_A);
    expect(a.observations[0]?.codings).toEqual([
      { system: `urn:dfda:local:ccda:file:${FILE_A}`, code: "ABC", display: "Some Test" },
    ]);
    expect((await run(xml, FILE_A)).observations[0]?.codings).toEqual(a.observations[0]?.codings);
    expect((await run(xml, FILE_B)).observations[0]?.codings[0]?.system).toBe(`urn:dfda:local:ccda:file:${FILE_B}`);
  });

  it("a named custodian is kept whatever the file", async () => {
    const r = await run(document(CUSTODIAN, `<code code="ABC"/>`), FILE_A);
    expect(r.observations[0]?.codings).toEqual([
      { system: localCodeSystem("ccda", "2.16.840.1.113883.19.9"), code: "ABC" },
    ]);
  });
});
