/**
 * Local codes in FHIR (issue 15, class 1): R4 Coding.system is 0..1, and a Coding without one is "a
 * code from an unidentified system". Such codes are kept under the sender's local system (meta.source,
 * the Bundle's meta.source, the performer Organization's identifier, else `unknown`), so the pipeline
 * holds them as pending; a well-formed LOINC code among them is read as LOINC too, with a warning.
 */
import { CODE_SYSTEMS, localCodeSystem, type MappedObservation, type MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { fhirMapper } from "./index";

const lookup = seedCatalog();

async function mapJson(
  value: unknown,
  fileSha256?: string,
): Promise<{ observations: MappedObservation[]; issues: MappingIssue[] }> {
  const context = fileSha256 === undefined ? { lookup } : { lookup, fileSha256 };
  const events = await collect(fhirMapper.map(fromBytes(new TextEncoder().encode(JSON.stringify(value))), context));
  return {
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

const observation = (coding: unknown[], extra: Record<string, unknown> = {}) => ({
  resourceType: "Observation",
  id: "o1",
  status: "final",
  code: { coding },
  effectiveDateTime: "2026-01-02T08:00:00Z",
  valueQuantity: { value: 5.4, unit: "mmol/L", system: "http://unitsofmeasure.org", code: "mmol/L" },
  ...extra,
});

describe("FHIR codings without a system", () => {
  it("are kept under the system of the resource's meta.source, with their display", async () => {
    const r = await mapJson(
      observation([{ code: "ABC", display: "Some Test" }], { meta: { source: "http://lab.example.org/lis" } }),
    );
    expect(r.observations.map((o) => o.codings)).toEqual([
      [{ system: localCodeSystem("fhir", "http://lab.example.org/lis"), code: "ABC", display: "Some Test" }],
    ]);
    expect(r.issues).toEqual([]);
  });

  it("take the Bundle's meta.source, else the performer Organization's identifier, else `unknown`", async () => {
    const bundle = {
      resourceType: "Bundle",
      type: "collection",
      meta: { source: "urn:oid:1.2.3.4" },
      entry: [{ resource: observation([{ code: "ABC" }]) }],
    };
    expect((await mapJson(bundle)).observations[0]?.codings).toEqual([
      { system: localCodeSystem("fhir", "urn:oid:1.2.3.4"), code: "ABC" },
    ]);

    const byReference = observation([{ code: "ABC" }], {
      performer: [{ type: "Organization", identifier: { system: "urn:ietf:rfc:3986", value: "urn:oid:2.16.840.1.9" } }],
    });
    expect((await mapJson(byReference)).observations[0]?.codings[0]?.system).toBe(
      localCodeSystem("fhir", "urn:ietf:rfc:3986|urn:oid:2.16.840.1.9"),
    );

    const resolved = {
      resourceType: "Bundle",
      type: "collection",
      entry: [
        { fullUrl: "urn:uuid:lab", resource: { resourceType: "Organization", identifier: [{ value: "ACME-LAB" }] } },
        { resource: observation([{ code: "ABC" }], { performer: [{ reference: "urn:uuid:lab" }] }) },
      ],
    };
    expect((await mapJson(resolved)).observations[0]?.codings[0]?.system).toBe(localCodeSystem("fhir", "ACME-LAB"));

    const practitioner = observation([{ code: "ABC", system: "" }], { performer: [{ reference: "Practitioner/1" }] });
    expect((await mapJson(practitioner)).observations[0]?.codings).toEqual([
      { system: localCodeSystem("fhir", "unknown"), code: "ABC" },
    ]);
  });

  it("a well-formed LOINC code without a system is read as LOINC first, with a warning; a bad check digit stays local", async () => {
    const r = await mapJson(observation([{ code: "2345-7", display: "Glucose" }]));
    expect(r.observations[0]?.codings).toEqual([
      { system: CODE_SYSTEMS.loinc, code: "2345-7", display: "Glucose" },
      { system: localCodeSystem("fhir", "unknown"), code: "2345-7", display: "Glucose" },
    ]);
    expect(r.issues.map((i) => [i.code, i.severity, i.location])).toEqual([
      ["loinc_code_recognized", "warning", "$.code.coding[0]"],
    ]);
    const bad = await mapJson(observation([{ code: "2345-6" }]));
    expect(bad.observations[0]?.codings).toEqual([{ system: localCodeSystem("fhir", "unknown"), code: "2345-6" }]);
    expect(bad.issues).toEqual([]);
  });

  it("come after the codings that have a system; a text naming a known variable still names it", async () => {
    const both = await mapJson(
      observation([{ code: "ABC" }, { system: "http://loinc.org", code: "2345-7" }], { meta: { source: "lis" } }),
    );
    expect(both.observations[0]?.codings.map((c) => `${c.system}|${c.code}`)).toEqual([
      `${CODE_SYSTEMS.loinc}|2345-7`,
      `${localCodeSystem("fhir", "lis")}|ABC`,
    ]);
    const heart = lookup.byCoding(CODE_SYSTEMS.loinc, "8867-4");
    const named = await mapJson({
      ...observation([{ code: "HR" }]),
      code: { coding: [{ code: "HR" }], text: heart?.name },
      valueQuantity: { value: 61, unit: "/min", system: "http://unitsofmeasure.org", code: "/min" },
    });
    expect(named.observations[0]?.variable_id).toBe(heart?.id);
    expect(named.observations[0]?.codings).toEqual([{ system: localCodeSystem("fhir", "unknown"), code: "HR" }]);
  });

  it("components' local codes take the Observation's sender; a coding with neither system nor code is still unknown", async () => {
    const r = await mapJson(
      observation([{ system: "http://loinc.org", code: "85354-9" }], {
        meta: { source: "device-gw" },
        valueQuantity: undefined,
        component: [
          {
            code: { coding: [{ code: "SYS" }] },
            valueQuantity: { value: 120, unit: "mm[Hg]", system: "http://unitsofmeasure.org", code: "mm[Hg]" },
          },
          { code: { coding: [{ display: "nothing" }] }, valueQuantity: { value: 1 } },
        ],
      }),
    );
    expect(r.observations.map((o) => o.codings)).toEqual([
      [{ system: localCodeSystem("fhir", "device-gw"), code: "SYS" }],
    ]);
    expect(r.issues.map((i) => i.code)).toEqual(["unknown_code"]);
  });
});

// Hex SHA-256 of two files' bytes, as the mapper Worker passes them (MapContext.fileSha256, files.sha256).
const FILE_A = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";
const FILE_B = "7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730";

describe("a FHIR file that names no sender (no meta.source, no Bundle meta.source, no performer Organization)", () => {
  it("is its own sender: two files' GLU are two codes, the same file derives the same system again", async () => {
    const glu = observation([{ code: "GLU", display: "Glucose" }]);
    const a = await mapJson(glu, FILE_A);
    expect(a.observations[0]?.codings).toEqual([
      { system: `urn:dfda:local:fhir:file:${FILE_A}`, code: "GLU", display: "Glucose" },
    ]);
    expect((await mapJson(glu, FILE_A)).observations[0]?.codings).toEqual(a.observations[0]?.codings);
    expect((await mapJson(glu, FILE_B)).observations[0]?.codings[0]?.system).toBe(`urn:dfda:local:fhir:file:${FILE_B}`);
  });

  it("a named sender is kept whatever the file", async () => {
    const r = await mapJson(observation([{ code: "GLU" }], { meta: { source: "lis" } }), FILE_A);
    expect(r.observations[0]?.codings).toEqual([{ system: localCodeSystem("fhir", "lis"), code: "GLU" }]);
  });
});

const UCUM = "http://unitsofmeasure.org";
const dose = (value: number) => ({ value, unit: "mg", system: UCUM, code: "mg" });
const request = (medication: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  resourceType: "MedicationRequest",
  status: "active",
  intent: "order",
  medicationCodeableConcept: medication,
  authoredOn: "2025-03-03T08:00:00Z",
  dosageInstruction: [{ doseAndRate: [{ doseQuantity: dose(400) }] }],
  ...extra,
});

describe("Condition and medication codes local to their sender (no system, or only a text)", () => {
  const condition = (code: unknown, extra: Record<string, unknown> = {}) => ({
    resourceType: "Condition",
    id: "c1",
    clinicalStatus: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
    },
    code,
    onsetDateTime: "2025-03-01T00:00:00Z",
    ...extra,
  });

  it("a Condition coding without a system is kept under the sender's local system", async () => {
    const r = await mapJson(
      condition({ coding: [{ code: "HTN-1", display: "Hypertension" }] }, { meta: { source: "ehr" } }),
    );
    expect(r.observations.map((o) => [o.codings, o.value, o.start_at])).toEqual([
      [
        [{ system: localCodeSystem("fhir", "ehr"), code: "HTN-1", display: "Hypertension" }],
        true,
        "2025-03-01T00:00:00Z",
      ],
    ]);
    expect(r.issues).toEqual([]);
  });

  it("a Condition with only a text is kept with its text as the code, in the file's system without a sender", async () => {
    const r = await mapJson(condition({ text: "  Sore knee after the marathon " }), FILE_A);
    expect(r.observations[0]?.codings).toEqual([
      {
        system: `urn:dfda:local:fhir:file:${FILE_A}`,
        code: "Sore knee after the marathon",
        display: "Sore knee after the marathon",
      },
    ]);
    expect(r.observations[0]?.metadata?.code_text).toBe("Sore knee after the marathon");
    expect(r.issues).toEqual([]);
  });

  it("a text naming a known variable still names it; a text too long to be a code, or none, is unknown_code", async () => {
    const heart = lookup.byCoding(CODE_SYSTEMS.loinc, "8867-4");
    const named = await mapJson(condition({ text: heart?.name }));
    expect(named.observations[0]?.variable_id).toBe(heart?.id);
    expect(named.observations[0]?.codings).toEqual([]);
    const long = await mapJson(condition({ text: "x".repeat(129) }));
    expect(long.observations).toEqual([]);
    expect(long.issues.map((i) => [i.code, i.location])).toEqual([["unknown_code", "$.code"]]);
    const none = await mapJson(condition({ coding: [{ display: "no code" }] }));
    expect(none.issues.map((i) => i.code)).toEqual(["unknown_code"]);
  });

  it("a MedicationStatement's drug without a system takes its informationSource Organization as sender", async () => {
    const r = await mapJson({
      resourceType: "MedicationStatement",
      status: "active",
      medicationCodeableConcept: { coding: [{ code: "PARA500", display: "Paracetamol 500 mg" }] },
      informationSource: { type: "Organization", identifier: { value: "PHARMACY-7" } },
      effectiveDateTime: "2025-03-02T08:00:00Z",
      dosage: [{ doseAndRate: [{ doseQuantity: dose(500) }] }],
    });
    expect(r.observations.map((o) => [o.codings, o.value, o.unit])).toEqual([
      [[{ system: localCodeSystem("fhir", "PHARMACY-7"), code: "PARA500", display: "Paracetamol 500 mg" }], 500, "mg"],
    ]);
    expect(r.issues).toEqual([]);
  });

  it("in a Bundle: a resource's meta.source, else the Bundle's (before any requester Organization)", async () => {
    const r = await mapJson({
      resourceType: "Bundle",
      type: "collection",
      meta: { source: "urn:oid:1.2.3.9" },
      entry: [
        {
          fullUrl: "urn:uuid:clinic",
          resource: { resourceType: "Organization", identifier: [{ system: "urn:x", value: "CLINIC" }] },
        },
        {
          resource: request({ text: "Ibuprofen 400" }, { meta: { source: "cpoe" } }),
        },
        {
          resource: request({ coding: [{ code: "IBU400" }] }, { requester: { reference: "urn:uuid:clinic" } }),
        },
        {
          resource: {
            resourceType: "MedicationAdministration",
            status: "completed",
            medicationCodeableConcept: { text: "Ibuprofen 400" },
            effectiveDateTime: "2025-03-03T10:00:00Z",
            dosage: { dose: dose(400) },
          },
        },
      ],
    });
    expect(r.observations.map((o) => o.codings)).toEqual([
      [{ system: localCodeSystem("fhir", "cpoe"), code: "Ibuprofen 400", display: "Ibuprofen 400" }],
      [{ system: localCodeSystem("fhir", "urn:oid:1.2.3.9"), code: "IBU400" }],
      [{ system: localCodeSystem("fhir", "urn:oid:1.2.3.9"), code: "Ibuprofen 400", display: "Ibuprofen 400" }],
    ]);
    expect(r.issues.map((i) => i.code)).toEqual(["unsupported_resource"]); // the Organization itself
  });

  it("a requester Organization names the sender when no meta.source does", async () => {
    const r = await mapJson(
      request(
        { coding: [{ code: "IBU400" }] },
        { requester: { type: "Organization", identifier: { system: "urn:x", value: "CLINIC" } } },
      ),
    );
    expect(r.observations[0]?.codings).toEqual([{ system: localCodeSystem("fhir", "urn:x|CLINIC"), code: "IBU400" }]);
  });

  it("a referenced Medication's code takes the Medication's meta.source, else the use's sender", async () => {
    const statement = (medication: Record<string, unknown>) => ({
      resourceType: "MedicationStatement",
      status: "active",
      meta: { source: "patient-app" },
      contained: [{ resourceType: "Medication", id: "m", ...medication }],
      medicationReference: { reference: "#m" },
      effectiveDateTime: "2025-03-02T08:00:00Z",
      dosage: [{ doseAndRate: [{ doseQuantity: dose(5) }] }],
    });
    const own = await mapJson(statement({ meta: { source: "formulary" }, code: { coding: [{ code: "M-5" }] } }));
    expect(own.observations[0]?.codings).toEqual([{ system: localCodeSystem("fhir", "formulary"), code: "M-5" }]);
    const inherited = await mapJson(statement({ code: { text: "Drops" } }), FILE_A);
    expect(inherited.observations[0]?.codings).toEqual([
      { system: localCodeSystem("fhir", "patient-app"), code: "Drops", display: "Drops" },
    ]);
  });

  it("an Immunization's vaccine named only by text is kept too", async () => {
    const r = await mapJson(
      {
        resourceType: "Immunization",
        status: "completed",
        vaccineCode: { text: "Flu shot 2025" },
        occurrenceDateTime: "2025-10-01T09:00:00Z",
        performer: [{ actor: { type: "Organization", identifier: { value: "CITY-CLINIC" } } }],
      },
      FILE_A,
    );
    expect(r.observations[0]?.codings).toEqual([
      { system: localCodeSystem("fhir", "CITY-CLINIC"), code: "Flu shot 2025", display: "Flu shot 2025" },
    ]);
  });
});
