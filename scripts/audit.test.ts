import { describe, expect, it } from "vitest";
import { auditVerdict } from "./audit";

/** Reports in the shape `npm audit --json` prints (npm 7+: auditReportVersion 2). */
const report = (counts: Record<string, number>, vulnerabilities: Record<string, { severity: string }> = {}) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } },
  });

describe("auditVerdict", () => {
  it("passes a tree with only low and moderate advisories", () => {
    expect(auditVerdict(report({ low: 2, moderate: 1 }, { a: { severity: "low" } })).kind).toBe("clean");
  });

  it("fails on high and critical advisories and names the packages", () => {
    const verdict = auditVerdict(
      report(
        { high: 1, critical: 1, low: 1 },
        { b: { severity: "critical" }, a: { severity: "high" }, c: { severity: "low" } },
      ),
    );
    expect(verdict).toEqual({
      kind: "vulnerable",
      counts: expect.objectContaining({ high: 1, critical: 1 }),
      packages: ["a (high)", "b (critical)"],
    });
  });

  it("tells an unreachable advisory database apart from a clean tree", () => {
    // What npm prints when the registry (here, a mirror) refuses the bulk advisory endpoint.
    const refused = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      body: "",
      error: { summary: "", detail: "" },
    });
    expect(auditVerdict(refused)).toEqual({ kind: "unavailable", reason: expect.stringContaining("405") });
    expect(auditVerdict("npm ERR! network").kind).toBe("unavailable");
  });
});
