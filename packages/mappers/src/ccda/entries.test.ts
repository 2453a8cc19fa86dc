/**
 * C-CDA constructs the corpus does not hold (Medication Activities, Problem Observations, the other
 * value types, times without offsets, broken XML), on small hand-written documents.
 */
import type { MapContext, MappedObservation, MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { systemUri } from "./datatypes";
import { ccdaMapper } from "./index";

const context: MapContext = { lookup: seedCatalog() };

async function run(xml: string, ctx: MapContext = context, chunkSize?: number) {
  const events = await collect(ccdaMapper.map(fromBytes(new TextEncoder().encode(xml), chunkSize), ctx));
  const observations: MappedObservation[] = [];
  const issues: MappingIssue[] = [];
  for (const e of events) {
    if (e.kind === "observation") observations.push(e.observation);
    else issues.push(e.issue);
  }
  return { events, observations, issues };
}

/** A ClinicalDocument whose structured body holds these sections. */
function doc(...sections: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <templateId root="2.16.840.1.113883.10.20.22.1.2"/>
  <effectiveTime value="20240101120000+0000"/>
  <component><structuredBody>
${sections.map((s) => `    <component>${s}</component>`).join("\n")}
  </structuredBody></component>
</ClinicalDocument>`;
}

function section(templateId: string, title: string, ...entries: string[]): string {
  return `<section><templateId root="${templateId}"/><title>${title}</title><text>narrative</text>${entries
    .map((e) => `<entry>${e}</entry>`)
    .join("")}</section>`;
}

const MEDS = "2.16.840.1.113883.10.20.22.2.1.1";
const PROBLEMS = "2.16.840.1.113883.10.20.22.2.5.1";
const RESULTS = "2.16.840.1.113883.10.20.22.2.3.1";
const VITALS = "2.16.840.1.113883.10.20.22.2.4.1";
const BODY = "/ClinicalDocument/component/structuredBody";
const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
const SNOMED = "http://snomed.info/sct";
const ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
const LOINC = "http://loinc.org";

function medication(attrs: string, inner: string): string {
  return `<substanceAdministration classCode="SBADM" ${attrs}>
    <templateId root="2.16.840.1.113883.10.20.22.4.16"/>
    <id root="cdbd33f0-6cde-11db-9fe1-0800200c9a66"/>
    <statusCode code="completed"/>
    ${inner}
    <consumable><manufacturedProduct><templateId root="2.16.840.1.113883.10.20.22.4.23"/>
      <manufacturedMaterial>
        <code code="197361" codeSystem="2.16.840.1.113883.6.88" displayName="Amlodipine 5 MG Oral Tablet">
          <translation code="1234" codeSystem="2.16.840.1.113883.3.999" displayName="local"/>
        </code>
      </manufacturedMaterial>
    </manufacturedProduct></consumable>
  </substanceAdministration>`;
}

describe("Medication Activity (2.16.840.1.113883.10.20.22.4.16)", () => {
  it("maps an EVN activity: RxNorm drug, dose value + unit, IVL_TS low/high, PIVL_TS frequency, route", async () => {
    const xml = doc(
      section(
        MEDS,
        "Medications",
        medication(
          'moodCode="EVN"',
          `<effectiveTime xsi:type="IVL_TS"><low value="20240301"/><high value="20240315"/></effectiveTime>
           <effectiveTime xsi:type="PIVL_TS" institutionSpecified="true" operator="A"><period value="12" unit="h"/></effectiveTime>
           <routeCode code="C38288" codeSystem="2.16.840.1.113883.3.26.1.1" displayName="ORAL"/>
           <doseQuantity value="5" unit="mg"/>`,
        ),
      ),
    );
    const { observations, issues } = await run(xml, { ...context, timezone: "America/New_York" });
    expect(issues).toEqual([]);
    expect(observations).toEqual([
      {
        codings: [
          { system: RXNORM, code: "197361", display: "Amlodipine 5 MG Oral Tablet" },
          { system: "urn:oid:2.16.840.1.113883.3.999", code: "1234", display: "local" },
        ],
        value: 5,
        unit: "mg",
        start_at: "2024-03-01T00:00:00-05:00",
        end_at: "2024-03-15T00:00:00-04:00",
        metadata: {
          section: "medications",
          mood: "EVN",
          status: "completed",
          time_precision: "day",
          route: { system: "urn:oid:2.16.840.1.113883.3.26.1.1", code: "C38288", display: "ORAL" },
          frequency: { period: { value: 12, unit: "h" }, institution_specified: true },
          source_id: "cdbd33f0-6cde-11db-9fe1-0800200c9a66",
        },
        location: `${BODY}/component[1]/section/entry[1]/substanceAdministration`,
      },
    ]);
  });

  it("a doseQuantity without unit counts units of the product: {form} from administrationUnitCode, else 1", async () => {
    const time = '<effectiveTime xsi:type="IVL_TS"><low value="20240301080000-0500"/></effectiveTime>';
    const xml = doc(
      section(
        MEDS,
        "Medications",
        medication(
          'moodCode="EVN"',
          `${time}<doseQuantity value="2"/><administrationUnitCode code="C48542" codeSystem="2.16.840.1.113883.3.26.1.1" displayName="Tablet"/>`,
        ),
        medication('moodCode="EVN"', `${time}<doseQuantity value="1"/>`),
      ),
    );
    const { observations, issues } = await run(xml);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.value, o.unit, o.start_at, o.metadata?.dose_in_product_units])).toEqual([
      [2, "{tablet}", "2024-03-01T08:00:00-05:00", true],
      [1, "1", "2024-03-01T08:00:00-05:00", true],
    ]);
  });

  it("INT (intended), negated and doseless activities yield no observation, each with an issue", async () => {
    const time = '<effectiveTime xsi:type="IVL_TS"><low value="20240301080000-0500"/></effectiveTime>';
    const xml = doc(
      section(
        MEDS,
        "Medications",
        medication('moodCode="INT"', `${time}<doseQuantity value="5" unit="mg"/>`),
        medication('moodCode="EVN" negationInd="true"', `${time}<doseQuantity value="5" unit="mg"/>`),
        medication('moodCode="EVN"', time),
        medication('moodCode="EVN"', '<doseQuantity value="5" unit="mg"/>'),
      ),
    );
    const { observations, issues } = await run(xml);
    expect(observations).toEqual([]);
    const at = (n: number) => `${BODY}/component[1]/section/entry[${n}]/substanceAdministration`;
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      [at(1), "not_taken", "info"],
      [at(2), "not_taken", "info"],
      [at(3), "missing_dose", "error"],
      [at(4), "missing_time", "error"],
    ]);
    expect(issues[0]?.message).toContain("moodCode INT (intended)");
  });

  it("a drug without a code is matched by name through the catalog, or reported", async () => {
    const noCode = (name: string) => `<substanceAdministration classCode="SBADM" moodCode="EVN">
      <effectiveTime value="20240301080000-0500"/><doseQuantity value="400" unit="mg"/>
      <consumable><manufacturedProduct><manufacturedMaterial><code nullFlavor="UNK"/><name>${name}</name></manufacturedMaterial></manufacturedProduct></consumable>
    </substanceAdministration>`;
    const lookup = {
      byLabel: (label: string) =>
        label === "Ibuprofen" ? { id: "var-ibuprofen", name: "Ibuprofen", canonicalUnit: "mg" } : null,
    };
    const { observations, issues } = await run(doc(section(MEDS, "Meds", noCode("Ibuprofen"), noCode("Mystery"))), {
      lookup,
    });
    expect(observations.map((o) => [o.variable_id, o.codings, o.value, o.unit])).toEqual([
      ["var-ibuprofen", [], 400, "mg"],
    ]);
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["missing_code", "error"]]);
    expect(issues[0]?.message).toContain('"Mystery" matches no variable');
  });
});

function problem(attrs: string, inner: string, value: string): string {
  return `<act classCode="ACT" moodCode="EVN">
    <templateId root="2.16.840.1.113883.10.20.22.4.3"/>
    <code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
    <statusCode code="active"/>
    <effectiveTime><low value="20200105093000-0500"/></effectiveTime>
    <entryRelationship typeCode="SUBJ">
      <observation classCode="OBS" moodCode="EVN" ${attrs}>
        <templateId root="2.16.840.1.113883.10.20.22.4.4"/>
        <id root="ab1791b0-5c71-11db-b0de-0800200c9a66"/>
        <code code="55607006" codeSystem="2.16.840.1.113883.6.96" displayName="Problem"/>
        <statusCode code="completed"/>
        ${inner}
        ${value}
      </observation>
    </entryRelationship>
  </act>`;
}

const ASTHMA = `<value xsi:type="CD" code="195967001" codeSystem="2.16.840.1.113883.6.96" displayName="Asthma">
  <translation code="J45.909" codeSystem="2.16.840.1.113883.6.90" displayName="Unspecified asthma, uncomplicated"/>
</value>`;

describe("Problem Observation (2.16.840.1.113883.10.20.22.4.4)", () => {
  const at = (n: number) => `${BODY}/component[1]/section/entry[${n}]/act/entryRelationship[1]/observation`;
  const asthma = [
    { system: SNOMED, code: "195967001", display: "Asthma" },
    { system: ICD10, code: "J45.909", display: "Unspecified asthma, uncomplicated" },
  ];

  it("value true over effectiveTime low..high; negationInd=true → false; ICD-10 translation as a further coding", async () => {
    const xml = doc(
      section(
        PROBLEMS,
        "Problems",
        problem("", '<effectiveTime><low value="20100301"/><high value="20120415"/></effectiveTime>', ASTHMA),
        problem('negationInd="true"', '<effectiveTime><low value="20230101120000-0500"/></effectiveTime>', ASTHMA),
      ),
    );
    const { observations, issues } = await run(xml, { ...context, timezone: "+01:00" });
    expect(issues).toEqual([]);
    expect(observations).toEqual([
      {
        codings: asthma,
        value: true,
        start_at: "2010-03-01T00:00:00+01:00",
        end_at: "2012-04-15T00:00:00+01:00",
        metadata: {
          section: "problems",
          concern_status: "active",
          problem_type: [{ system: SNOMED, code: "55607006", display: "Problem" }],
          time_precision: "day",
          source_id: "ab1791b0-5c71-11db-b0de-0800200c9a66",
        },
        location: at(1),
      },
      {
        codings: asthma,
        value: false,
        start_at: "2023-01-01T12:00:00-05:00",
        metadata: {
          section: "problems",
          concern_status: "active",
          problem_type: [{ system: SNOMED, code: "55607006", display: "Problem" }],
          negated: true,
          source_id: "ab1791b0-5c71-11db-b0de-0800200c9a66",
        },
        location: at(2),
      },
    ]);
  });

  it("resolved without a resolution date: present from onset, end unknown; no onset → false as of the status; unknown onset → concern time", async () => {
    const status = `<entryRelationship typeCode="REFR"><observation classCode="OBS" moodCode="EVN">
      <templateId root="2.16.840.1.113883.10.20.22.4.6"/><code code="33999-4" codeSystem="2.16.840.1.113883.6.1"/>
      <statusCode code="completed"/><effectiveTime><low value="20210601100000-0500"/></effectiveTime>
      <value xsi:type="CD" code="413322009" codeSystem="2.16.840.1.113883.6.96" displayName="Resolved"/>
    </observation></entryRelationship>`;
    const xml = doc(
      section(
        PROBLEMS,
        "Problems",
        problem("", `<effectiveTime><low value="20190101080000-0500"/></effectiveTime>`, `${ASTHMA}${status}`),
        problem("", '<effectiveTime><low nullFlavor="UNK"/></effectiveTime>', ASTHMA),
        problem("", `<effectiveTime><low nullFlavor="UNK"/></effectiveTime>`, `${ASTHMA}${status}`),
      ),
    );
    const { observations, issues } = await run(xml);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.value, o.start_at, o.end_at, o.metadata?.clinical_status])).toEqual([
      [true, "2019-01-01T08:00:00-05:00", undefined, "resolved"],
      [true, "2020-01-05T09:30:00-05:00", undefined, undefined],
      [false, "2021-06-01T10:00:00-05:00", undefined, "resolved"],
    ]);
    expect(observations[0]?.metadata).toMatchObject({
      abatement_unknown: true,
      not_present_as_of: "2021-06-01T10:00:00-05:00",
    });
    expect(observations[1]?.metadata?.onset_unknown).toBe(true);
    expect(observations[2]?.metadata).not.toHaveProperty("onset_unknown");
  });

  it("a problem value with a nullFlavor and no text → info, no observation", async () => {
    const xml = doc(section(PROBLEMS, "Problems", problem("", "", '<value xsi:type="CD" nullFlavor="UNK"/>')));
    const { observations, issues } = await run(xml);
    expect(observations).toEqual([]);
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([[at(1), "no_information", "info"]]);
  });
});

/** A Results section with one organizer whose components are these observations. */
function results(...observations: string[]): string {
  return doc(
    section(
      RESULTS,
      "Results",
      `<organizer classCode="BATTERY" moodCode="EVN"><statusCode code="completed"/>
        <effectiveTime value="20240102083000-0500"/>
        ${observations.map((o) => `<component>${o}</component>`).join("")}
      </organizer>`,
    ),
  );
}

function obs(code: string, value: string, extra = ""): string {
  return `<observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>
    <code code="${code}" codeSystem="2.16.840.1.113883.6.1"/><statusCode code="completed"/>${extra}${value}</observation>`;
}

describe("observation values (HL7 V3 data types)", () => {
  const at = (n: number) => `${BODY}/component[1]/section/entry[1]/organizer/component[${n}]/observation`;

  it("INT, REAL, BL, CD, IVL_PQ point, IVL_PQ upper bound, and text without xsi:type", async () => {
    const xml = results(
      obs("A-1", '<value xsi:type="INT" value="3"/>'),
      obs("A-2", '<value xsi:type="REAL" value="1.25"/>'),
      obs("A-3", '<value xsi:type="BL" value="true"/>'),
      obs(
        "A-4",
        '<value xsi:type="CD" code="260385009" codeSystem="2.16.840.1.113883.6.96" displayName="Negative"><translation code="NEG" codeSystem="1.2.3"/></value>',
      ),
      obs("A-5", '<value xsi:type="IVL_PQ"><low value="7" unit="mmol/L"/><high value="7" unit="mmol/L"/></value>'),
      obs("A-6", '<value xsi:type="IVL_PQ"><low nullFlavor="NINF"/><high value="0.1" unit="ng/mL"/></value>'),
      obs("A-7", "<value>trace</value>"),
      obs("A-8", '<value xsi:type="PQ" value="42"/>'),
    );
    const { observations, issues } = await run(xml);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.comparator, o.location])).toEqual([
      ["A-1", 3, undefined, undefined, at(1)],
      ["A-2", 1.25, undefined, undefined, at(2)],
      ["A-3", true, undefined, undefined, at(3)],
      ["A-4", "260385009", undefined, undefined, at(4)],
      ["A-5", 7, "mmol/L", undefined, at(5)],
      ["A-6", 0.1, "ng/mL", "<=", at(6)],
      ["A-7", "trace", undefined, undefined, at(7)],
      // PQ without a unit: the HL7 default unit 1.
      ["A-8", 42, "1", undefined, at(8)],
    ]);
    expect(observations[3]?.metadata?.value_coding).toEqual([
      { system: SNOMED, code: "260385009", display: "Negative" },
      { system: "urn:oid:1.2.3", code: "NEG" },
    ]);
    // No effectiveTime on the observations: the organizer's.
    expect(observations.every((o) => o.start_at === "2024-01-02T08:30:00-05:00")).toBe(true);
  });

  it("IVL_PQ with one bound (HL7 V3 DT R1 §2.27): low/high × inclusive true/false/absent × other bound absent/PINF/NINF", async () => {
    // `inclusive` defaults to true; the missing side may be absent or written as an infinite nullFlavor.
    const cases: Array<[string, string, string]> = [
      ['<low value="500" unit="mg/dL" inclusive="false"/><high nullFlavor="PINF"/>', ">", "500"],
      ['<low value="500" unit="mg/dL" inclusive="true"/>', ">=", "500"],
      ['<low value="500" unit="mg/dL"/>', ">=", "500"],
      ['<low nullFlavor="NINF"/><high value="0.1" unit="mg/dL" inclusive="false"/>', "<", "0.1"],
      ['<high value="0.1" unit="mg/dL" inclusive="true"/>', "<=", "0.1"],
      ['<high value="0.1" unit="mg/dL"/>', "<=", "0.1"],
    ];
    const xml = results(...cases.map(([bounds], i) => obs(`C-${i}`, `<value xsi:type="IVL_PQ">${bounds}</value>`)));
    const { observations, issues } = await run(xml);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.comparator, String(o.value), o.unit])).toEqual(
      cases.map(([, comparator, value]) => [comparator, value, "mg/dL"]),
    );
    expect(observations.every((o) => o.metadata?.comparator === undefined)).toBe(true);
  });

  it("nullFlavor, ranges, unknown types and bad numbers: issues, no observations", async () => {
    const xml = results(
      obs("B-1", '<value xsi:type="PQ" nullFlavor="UNK"/>'),
      '<observation classCode="OBS" moodCode="EVN" nullFlavor="NI"><code code="B-2" codeSystem="2.16.840.1.113883.6.1"/></observation>',
      obs("B-3", '<value xsi:type="IVL_PQ"><low value="2" unit="/[HPF]"/><high value="5" unit="/[HPF]"/></value>'),
      obs("B-4", '<value xsi:type="RTO_PQ_PQ"><numerator value="1"/><denominator value="40"/></value>'),
      obs("B-5", '<value xsi:type="PQ" value="1,5" unit="mg"/>'),
      obs("B-6", '<value xsi:type="PQ" value="1" unit="mg"/>').replace('moodCode="EVN"', 'moodCode="RQO"'),
      obs("B-7", '<value xsi:type="PQ" value="1" unit="mg"/>').replace(
        '<statusCode code="completed"/>',
        '<statusCode code="cancelled"/>',
      ),
      '<observation classCode="OBS" moodCode="EVN"><code nullFlavor="UNK"/><value xsi:type="PQ" value="1" unit="mg"/></observation>',
    );
    const { observations, issues } = await run(xml);
    expect(observations).toEqual([]);
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      [at(1), "no_value", "info"],
      [at(2), "no_information", "info"],
      [at(3), "unsupported_range", "error"],
      [at(4), "unsupported_value_type", "error"],
      [at(5), "invalid_value", "error"],
      [at(6), "not_performed", "info"],
      [at(7), "cancelled", "info"],
      [at(8), "missing_code", "error"],
    ]);
  });

  it("local lab codes keep their system; LOINC translations come first", async () => {
    const xml = results(
      `<observation classCode="OBS" moodCode="EVN"><code code="GLU" codeSystem="2.16.840.1.113883.19.5" displayName="Glucose">
        <translation code="2345-7" codeSystem="2.16.840.1.113883.6.1" displayName="Glucose [Mass/volume] in Serum or Plasma"/>
      </code><value xsi:type="PQ" value="95" unit="mg/dL"/></observation>`,
    );
    const { observations } = await run(xml);
    expect(observations[0]?.codings).toEqual([
      { system: LOINC, code: "2345-7", display: "Glucose [Mass/volume] in Serum or Plasma" },
      { system: "urn:oid:2.16.840.1.113883.19.5", code: "GLU", display: "Glucose" },
    ]);
  });

  it("maps the code-system OIDs to the platform URIs", () => {
    expect(systemUri("2.16.840.1.113883.6.1")).toBe(LOINC);
    expect(systemUri("2.16.840.1.113883.6.96")).toBe(SNOMED);
    expect(systemUri("2.16.840.1.113883.6.88")).toBe(RXNORM);
    expect(systemUri("2.16.840.1.113883.6.90")).toBe(ICD10);
    expect(systemUri("2.16.840.1.113883.12.292")).toBe("http://hl7.org/fhir/sid/cvx");
    expect(systemUri("2.16.840.1.113883.19.5.99999")).toBe("urn:oid:2.16.840.1.113883.19.5.99999");
    expect(systemUri("A3B0C6E4-1F6D-4E3B-9C41-0A2A5D6B7C8E")).toBe("urn:uuid:a3b0c6e4-1f6d-4e3b-9c41-0a2a5d6b7c8e");
  });
});

describe("times", () => {
  const vitals = (time: string) =>
    doc(
      section(
        VITALS,
        "Vital signs",
        `<organizer classCode="CLUSTER" moodCode="EVN"><statusCode code="completed"/>${time}
          <component>${obs("8867-4", '<value xsi:type="PQ" value="61" unit="/min"/>')}</component>
          <component>${obs("9279-1", '<value xsi:type="PQ" value="14" unit="/min"/>')}</component>
        </organizer>`,
      ),
    );

  it("a time without offset is UTC with ONE assumed_timezone warning per file", async () => {
    const { observations, issues } = await run(vitals('<effectiveTime value="202402031415"/>'));
    expect(observations.map((o) => o.start_at)).toEqual(["2024-02-03T14:15:00Z", "2024-02-03T14:15:00Z"]);
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([[null, "assumed_timezone", "warning"]]);
  });

  it("a time without offset takes context.timezone (no warning)", async () => {
    const { observations, issues } = await run(vitals('<effectiveTime value="202407031415"/>'), {
      ...context,
      timezone: "Europe/Berlin",
    });
    expect(issues).toEqual([]);
    expect(observations[0]?.start_at).toBe("2024-07-03T14:15:00+02:00");
  });

  it("IVL_TS low/high on the organizer become start_at/end_at; an invalid TS is missing_time", async () => {
    const period = await run(
      vitals('<effectiveTime><low value="20240203140000+0100"/><high value="20240203143000+0100"/></effectiveTime>'),
    );
    expect(period.observations.map((o) => [o.start_at, o.end_at])).toEqual([
      ["2024-02-03T14:00:00+01:00", "2024-02-03T14:30:00+01:00"],
      ["2024-02-03T14:00:00+01:00", "2024-02-03T14:30:00+01:00"],
    ]);
    const invalid = await run(vitals('<effectiveTime value="2024-02-03"/>'));
    expect(invalid.observations).toEqual([]);
    expect(invalid.issues.map((i) => [i.code, i.severity])).toEqual([
      ["missing_time", "error"],
      ["missing_time", "error"],
    ]);
    expect(invalid.issues[0]?.message).toContain('"2024-02-03" is not a valid HL7 TS');
  });

  it("an invalid context.timezone is reported once and UTC is used", async () => {
    const { observations, issues } = await run(vitals('<effectiveTime value="202402031415"/>'), {
      ...context,
      timezone: "Mars/Olympus",
    });
    expect(observations[0]?.start_at).toBe("2024-02-03T14:15:00Z");
    expect(issues.map((i) => i.code)).toEqual(["invalid_timezone", "assumed_timezone"]);
  });
});

describe("document structure and broken input", () => {
  it("locations count sections, entries and components by position", async () => {
    const xml = doc(
      section("2.16.840.1.113883.10.20.22.2.6.1", "Allergies", "<act/>"),
      section(
        RESULTS,
        "Results",
        `<organizer moodCode="EVN"><component>${obs("X-1", '<value xsi:type="PQ" value="1" unit="mg"/>', '<effectiveTime value="20240101000000+0000"/>')}</component></organizer>`,
        `<organizer moodCode="EVN"><component>${obs("X-2", '<value xsi:type="PQ" value="1" unit="mg"/>', '<effectiveTime value="20240101000000+0000"/>')}</component><component>${obs("X-3", '<value xsi:type="PQ" value="2" unit="mg"/>', '<effectiveTime value="20240101000000+0000"/>')}</component></organizer>`,
      ),
    );
    const { observations, issues } = await run(xml);
    expect(observations.map((o) => o.location)).toEqual([
      `${BODY}/component[2]/section/entry[1]/organizer/component[1]/observation`,
      `${BODY}/component[2]/section/entry[2]/organizer/component[1]/observation`,
      `${BODY}/component[2]/section/entry[2]/organizer/component[2]/observation`,
    ]);
    expect(issues.map((i) => [i.location, i.code])).toEqual([[`${BODY}/component[1]/section`, "unsupported_section"]]);
  });

  it("malformed XML: an error with line and column; entries completed before it are kept, the broken one is not", async () => {
    const good = obs(
      "G-1",
      '<value xsi:type="PQ" value="1" unit="mg"/>',
      '<effectiveTime value="20240101000000+0000"/>',
    );
    const xml = doc(
      section(
        RESULTS,
        "Results",
        `<organizer moodCode="EVN"><component>${good}</component></organizer>`,
        `<organizer moodCode="EVN"><component>${good.replace("</observation>", "</observaton>")}</component></organizer>`,
      ),
    );
    const { observations, issues } = await run(xml);
    expect(observations.map((o) => o.codings[0]?.code)).toEqual(["G-1"]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe("malformed_xml");
    expect(issues[0]?.severity).toBe("error");
    expect(issues[0]?.location).toMatch(/^line \d+, column \d+$/);
    expect(issues[0]?.message).toMatch(/^The XML is not well-formed at line \d+, column \d+: /);
  });

  it("a truncated document and an empty file are reported, not thrown", async () => {
    const truncated = await run(doc(section(RESULTS, "Results")).slice(0, 200));
    expect(truncated.issues.map((i) => i.code)).toEqual(["malformed_xml"]);
    const empty = await run("");
    expect(empty.issues.map((i) => i.code)).toEqual(["malformed_xml"]);
    expect(empty.issues[0]?.message).toContain("root element");
  });

  it("other XML roots are not C-CDA", async () => {
    const { observations, issues } = await run('<Bundle xmlns="http://hl7.org/fhir"><type value="batch"/></Bundle>');
    expect(observations).toEqual([]);
    expect(issues.map((i) => [i.code, i.severity, i.location])).toEqual([["not_ccda", "error", "line 1, column 37"]]);
  });

  it("a nonXMLBody document says there is nothing structured to map", async () => {
    const xml =
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><component><nonXMLBody><text mediaType="text/plain">hi</text></nonXMLBody></component></ClinicalDocument>';
    const { issues } = await run(xml);
    expect(issues.map((i) => [i.location, i.code])).toEqual([
      ["/ClinicalDocument/component/nonXMLBody", "non_xml_body"],
    ]);
  });

  it("the same events whatever the chunk size", async () => {
    const xml = doc(
      section(
        MEDS,
        "Medications",
        medication('moodCode="EVN"', '<effectiveTime value="20240301080000-0500"/><doseQuantity value="5" unit="mg"/>'),
      ),
      section(PROBLEMS, "Problems", problem("", '<effectiveTime><low value="20100301"/></effectiveTime>', ASTHMA)),
    );
    const whole = await run(xml);
    expect(whole.observations).toHaveLength(2);
    for (const size of [1, 3, 7, 64]) expect((await run(xml, context, size)).events).toEqual(whole.events);
  });
});
