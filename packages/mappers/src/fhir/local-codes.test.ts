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

async function mapJson(value: unknown): Promise<{ observations: MappedObservation[]; issues: MappingIssue[] }> {
  const events = await collect(fhirMapper.map(fromBytes(new TextEncoder().encode(JSON.stringify(value))), { lookup }));
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
