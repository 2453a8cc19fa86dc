/** MappingRun's once-per-file memory (run.ts): the unsupported resource types it remembers are capped. */
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { MAX_DISTINCT_NAMES } from "../util/limits";
import { MappingRun } from "./run";

describe("MappingRun.unsupported", () => {
  it("reports each type once, up to MAX_DISTINCT_NAMES, then one 'and more'", () => {
    const run = new MappingRun({ lookup: seedCatalog() });
    for (let i = 0; i < 3_000; i++) run.unsupported(`Custom${i % 1_500}`, `$.entry[${i}]`);
    const issues = run.drain().flatMap((e) => (e.kind === "issue" ? [e.issue] : []));
    expect(issues).toHaveLength(MAX_DISTINCT_NAMES + 1);
    expect(issues.every((i) => i.code === "unsupported_resource")).toBe(true);
    expect(issues[0]?.message).toBe(
      "Custom0 resources carry no measurements and are not mapped (first at this location)",
    );
    expect(issues[MAX_DISTINCT_NAMES]).toMatchObject({ location: "$.entry[1000]" });
    expect(issues[MAX_DISTINCT_NAMES]?.message).toMatch(/^Custom1000 and more resource types carry no measurements/);
  });

  it("quotes a type cut to MAX_NAME_CHARS and remembers it so", () => {
    const run = new MappingRun({ lookup: seedCatalog() });
    const long = `X${"y".repeat(100_000)}`;
    run.unsupported(long, "$");
    run.unsupported(long, "$");
    const issues = run.drain().flatMap((e) => (e.kind === "issue" ? [e.issue.message] : []));
    expect(issues).toEqual([
      `X${"y".repeat(63)}… resources carry no measurements and are not mapped (first at this location)`,
    ]);
  });
});
