/**
 * Censored and locally coded results round-trip through the whole platform (issue 15), over HTTP as a
 * person and an administrator use it: an HL7 v2 message and a FHIR NDJSON file, each with a censored
 * glucose (`<0.5`, `>=10`) and a result under a local code, are uploaded, mapped by the mapper Worker and
 * stored by the person's writer; `GET /v1/observations` returns the comparators; a FHIR NDJSON export
 * holds the censored values with `valueQuantity.comparator` and the locally coded ones as pending
 * (`preliminary`, the local coding); once an administrator maps the local codes
 * (`PUT /v1/admin/code-mappings`), the re-mapped values are observations and the next export has them as
 * such, comparators kept, and nothing pending.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { baseUrl, dfda, LOCAL_TENANT, tokenFor } from "./fixtures";

/** The parts of a FHIR Observation read here. */
interface Observation {
  status: string;
  code: { coding: Array<{ system: string; code: string }> };
  effectiveDateTime?: string;
  valueQuantity?: { value: number; comparator?: string; unit?: string; code?: string };
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Polls `read` until `done` holds (the platform maps and exports in the background); bounded. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen`);
}

async function get<T>(token: string, path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: auth(token) });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

interface Job {
  status: string;
  counts: { received: number; stored: number; pending?: number };
}
const finished = (job: Job) => job.status !== "queued" && job.status !== "processing";

async function upload(token: string, name: string, body: string): Promise<Job> {
  const res = await fetch(`${baseUrl}/v1/ingest/files?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { ...auth(token), "Content-Type": "application/octet-stream" },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { job_id } = (await res.json()) as { job_id: string };
  return until(() => get<Job>(token, `/v1/ingest/jobs/${job_id}`), finished, `the mapping of ${name}`);
}

/** A FHIR NDJSON export of the person's data, downloaded through its signed link. */
async function exportFhir(token: string): Promise<Observation[]> {
  const res = await fetch(`${baseUrl}/v1/me/exports`, {
    method: "POST",
    headers: { ...auth(token), "Content-Type": "application/json" },
    body: JSON.stringify({ format: "fhir-ndjson" }),
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { status_url } = (await res.json()) as { status_url: string };
  const done = await until(
    async () =>
      (await (await fetch(status_url, { headers: auth(token) })).json()) as {
        status: string;
        download_url: string | null;
      },
    (e) => e.status !== "queued" && e.status !== "processing",
    "the export",
  );
  expect(done.status).toBe("completed");
  const text = await (await fetch(done.download_url ?? "")).text();
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Observation);
}

describe("censored and locally coded results, upload to export", () => {
  it("keep their comparators through mapping, reading and export, and are exported pending until a code mapping stores them", async () => {
    const run = randomUUID().slice(0, 8).toUpperCase();
    const email = `person-${randomUUID()}@example.org`;
    await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", email, "--password", `pw ${randomUUID()}`]);
    const person = (await tokenFor(email)).access_token;
    const adminEmail = `admin-${randomUUID()}@example.org`;
    await dfda([
      "admin",
      "create",
      "--tenant",
      LOCAL_TENANT,
      "--email",
      adminEmail,
      "--password",
      `pw ${randomUUID()}`,
    ]);
    const admin = (await tokenFor(adminEmail, { scope: "openid tenant:manage" })).access_token;

    // HL7 v2.5.1: OBX-2 SN with its comparator (§2.A.70), a LOINC glucose and a local code (no coding system).
    const hl7 = [
      `MSH|^~\\&|RT${run}|HOSP|EHR|FAC|20260301080000+0000||ORU^R01|M${run}|P|2.5.1`,
      "PID|1||P1",
      "OBR|1|||24323-8^Panel^LN|||20260301080000+0000",
      "OBX|1|SN|2339-0^Glucose^LN||<^0.5|mmol/L|||||F|||20260301080000+0000",
      `OBX|2|SN|KG${run}^Glucose (local)||>=^10|mmol/L|||||F|||20260301090000+0000`,
    ].join("\r");
    // FHIR R4 Observations (Quantity.comparator), one coded by a local system.
    const localFhir = `http://lab-${run.toLowerCase()}.example/codes`;
    const observation = (code: Record<string, string>, value: number, comparator: string, at: string) =>
      JSON.stringify({
        resourceType: "Observation",
        status: "final",
        code: { coding: [code] },
        effectiveDateTime: at,
        valueQuantity: { value, comparator, unit: "mmol/L", system: "http://unitsofmeasure.org", code: "mmol/L" },
      });
    const ndjson = [
      observation({ system: "http://loinc.org", code: "2339-0" }, 10, ">=", "2026-03-02T08:00:00Z"),
      observation({ system: localFhir, code: `FG${run}`, display: "Glucose (lab)" }, 0.5, "<", "2026-03-02T09:00:00Z"),
    ].join("\n");

    const hl7Job = await upload(person, "labs.hl7", hl7);
    const fhirJob = await upload(person, "labs.ndjson", `${ndjson}\n`);
    for (const job of [hl7Job, fhirJob]) {
      expect(job.counts).toMatchObject({ received: 2, stored: 1, pending: 1 });
    }

    // Read back: the bound with its comparator.
    const glucose = await get<{ data: Array<{ start_at: string; value: number; comparator: string | null }> }>(
      person,
      "/v1/observations?variable=http://loinc.org|2339-0",
    );
    expect(glucose.data.map((o) => [o.start_at, o.value, o.comparator])).toEqual([
      ["2026-03-02T08:00:00.000Z", 10, ">="],
      ["2026-03-01T08:00:00.000Z", 0.5, "<"],
    ]);

    // The export before any mapping: the stored values with comparators, the local ones pending.
    const before = await exportFhir(person);
    const quantities = (list: Observation[], status: string) =>
      list
        .filter((o) => o.status === status)
        .map((o) => [o.code.coding[0]?.code, o.effectiveDateTime, o.valueQuantity?.comparator, o.valueQuantity?.value]);
    expect(quantities(before, "final")).toEqual([
      ["2339-0", "2026-03-01T08:00:00Z", "<", 0.5],
      ["2339-0", "2026-03-02T08:00:00Z", ">=", 10],
    ]);
    expect(quantities(before, "preliminary").sort()).toEqual(
      [
        [`FG${run}`, "2026-03-02T09:00:00Z", "<", 0.5],
        [`KG${run}`, "2026-03-01T09:00:00Z", ">=", 10],
      ].sort(),
    );
    expect(before.find((o) => o.code.coding[0]?.code === `FG${run}`)?.code.coding[0]?.system).toBe(localFhir);

    // The administrator sees both codes unmapped, and maps them to glucose.
    const unmapped = await get<{ data: Array<{ system: string; code: string; count: number }> }>(
      admin,
      "/v1/admin/unmapped-codes?limit=200",
    );
    const ours = unmapped.data.filter((c) => c.code.endsWith(run));
    expect(ours.map((c) => [c.code, c.count]).sort()).toEqual([
      [`FG${run}`, 1],
      [`KG${run}`, 1],
    ]);
    const variable = (
      await get<{ data: Array<{ id: string }> }>(admin, "/v1/variables?system=http://loinc.org&code=2339-0")
    ).data[0];
    const remaps: string[] = [];
    for (const c of ours) {
      const res = await fetch(`${baseUrl}/v1/admin/code-mappings`, {
        method: "PUT",
        headers: { ...auth(admin), "Content-Type": "application/json" },
        body: JSON.stringify({ system: c.system, code: c.code, variable_id: variable?.id }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      remaps.push(...((await res.json()) as { remap_jobs: string[] }).remap_jobs);
    }
    expect(remaps).toHaveLength(2);
    for (const id of remaps) {
      const job = await until(() => get<Job>(person, `/v1/ingest/jobs/${id}`), finished, "a re-map");
      // `<0.5` mmol/L admits no value in glucose's valid range (from 0.5): stored flagged, with a warning.
      expect(["completed", "completed_with_issues"]).toContain(job.status);
      expect(job.counts.stored).toBe(1);
    }

    // The export after: four glucose observations, the re-mapped ones with their comparators; none pending.
    const after = await exportFhir(person);
    expect(after.filter((o) => o.status === "preliminary")).toEqual([]);
    expect(quantities(after, "final")).toEqual([
      ["2339-0", "2026-03-01T08:00:00Z", "<", 0.5],
      ["2339-0", "2026-03-01T09:00:00Z", ">=", 10],
      ["2339-0", "2026-03-02T08:00:00Z", ">=", 10],
      ["2339-0", "2026-03-02T09:00:00Z", "<", 0.5],
    ]);
  }, 180_000);
});
