/**
 * The index of resources already mapped (document.ts ResourceIndex, BoundedMap): bounded in estimated
 * bytes by its keys and by the Medications and Organizations it keeps whole (issue 12: memory bounded
 * whatever the file size).
 */
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { BoundedMap, DocumentReader, type Located, ResourceIndex, reportStub } from "./document";
import { MappingRun } from "./run";

const medication = (i: number, textChars: number): Located => {
  const resource = {
    resourceType: "Medication",
    id: `m${i}`,
    code: { text: "x".repeat(textChars) },
  };
  return { resource, path: `$.entry[${i}].resource`, fullUrl: `urn:uuid:m${i}` };
};

describe("ResourceIndex: bounded by keys and the resources kept whole", () => {
  it("counts a Medication kept whole by its source length, forgetting the oldest", () => {
    const budget = 100_000;
    const index = new ResourceIndex(budget);
    const from: Located = { resource: { resourceType: "MedicationStatement" }, path: "$" };
    for (let i = 0; i < 100; i++) {
      const located = { ...medication(i, 10_000), chars: 10_100 };
      index.add(located);
      index.forget(located);
      expect(index.cost).toBeLessThanOrEqual(2 * budget);
    }
    // 100 × 10,100 characters kept whole would be ≈ 2 MB per map: the oldest went, the newest stay whole.
    expect(index.resolve("Medication/m0", from, from)).toBeUndefined();
    expect(index.resolve("urn:uuid:m0", from, from)).toBeUndefined();
    const last = index.resolve("Medication/m99", from, from);
    expect((last?.resource.code as { text: string } | undefined)?.text).toHaveLength(10_000);
  });

  it("without a source length, counts the JSON length", () => {
    const index = new ResourceIndex(50_000);
    for (let i = 0; i < 20; i++) {
      const located = medication(i, 10_000);
      index.add(located);
      index.forget(located);
    }
    expect(index.cost).toBeLessThanOrEqual(100_000);
    expect(index.cost).toBeGreaterThan(20_000); // the newest Medication counts whole
  });

  it("stubs count by their keys only, as before", () => {
    const index = new ResourceIndex();
    const located: Located = {
      resource: { resourceType: "Patient", id: "p1", name: [{ text: "y".repeat(5_000) }] },
      path: "$",
      fullUrl: "urn:uuid:p1",
      chars: 5_100,
    };
    index.add(located);
    index.forget(located);
    expect(index.cost).toBe("urn:uuid:p1".length * 2 + 128 + "Patient/p1".length * 2 + 128);
  });
});

describe("DocumentReader: Medications past the window count by their entry's length", () => {
  it("a streamed Bundle of big Medications keeps only the newest within the index budget", () => {
    const run = new MappingRun({ lookup: seedCatalog() });
    const reader = new DocumentReader(run, { lookaheadChars: 1_000, indexBudget: 30_000 });
    const bundle = { resourceType: "Bundle", type: "collection" };
    reader.markStreamed(bundle);
    const statement = (id: string, medication: string) => ({
      resource: {
        resourceType: "MedicationStatement",
        id,
        status: "completed",
        medicationReference: { reference: medication },
        effectiveDateTime: "2026-01-02T08:00:00Z",
      },
    });
    for (let i = 0; i < 40; i++) {
      const entry = { fullUrl: `urn:uuid:m${i}`, resource: medication(i, 5_000).resource };
      reader.addEntry(entry, `$.entry[${i}]`, bundle, JSON.stringify(entry).length);
      for (const _ of reader.release(false));
    }
    reader.addEntry(statement("s0", "Medication/m0"), "$.entry[40]", bundle, 200);
    reader.addEntry(statement("s1", "Medication/m38"), "$.entry[41]", bundle, 200);
    for (const _ of reader.release(true));
    const unresolved = run
      .drain()
      .flatMap((e) => (e.kind === "issue" && e.issue.code === "unresolved_medication" ? [e.issue.location] : []));
    // m0 (5 KB, long mapped) was forgotten; m38, within the budget, still resolves.
    expect(unresolved).toEqual(["$.entry[40].resource.medicationReference"]);
  });
});

describe("BoundedMap", () => {
  it("a value's weight counts; replace re-weighs and evicts the oldest", () => {
    const map = new BoundedMap<number>(1_000);
    map.set("a", 1);
    map.set("b", 2);
    expect(map.cost).toBe(2 * (2 + 128));
    map.replace("b", 2, 800);
    expect(map.has("a")).toBe(false);
    expect(map.get("b")).toBe(2);
    expect(map.cost).toBe(2 + 128 + 800);
    map.delete("b");
    expect([map.cost, map.size]).toEqual([0, 0]);
  });
});

describe("reportStub", () => {
  it("keeps resourceType, id and effective[x] (a period's start and end), in order, and nothing else", () => {
    const stub = reportStub({
      resourceType: "DiagnosticReport",
      id: "r1",
      status: "final",
      conclusion: "c".repeat(10_000),
      effectiveTiming: { event: ["2026-01-01"] },
      effectivePeriod: { start: "2026-01-03", end: "2026-01-04", extension: [{ url: "x" }] },
      result: [{ reference: "Observation/o1" }],
    });
    expect(stub).toEqual({
      resourceType: "DiagnosticReport",
      id: "r1",
      effectiveTiming: null,
      effectivePeriod: { start: "2026-01-03", end: "2026-01-04" },
    });
    expect(Object.keys(stub)).toEqual(["resourceType", "id", "effectiveTiming", "effectivePeriod"]);
  });
});
