/** The pending tally's bound (held-codes.ts): at most MAX_HELD_CODES codes named, the rest summed. */
import { describe, expect, it } from "vitest";
import { HeldCodes, MAX_HELD_CODES } from "./held-codes";

const system = "urn:dfda:local:hl7v2:ACME-LAB";

describe("HeldCodes", () => {
  it("names each code once with its count, as before, under the cap", () => {
    const held = new HeldCodes();
    held.add({ system, code: "ABC", display: "Some Test" });
    held.add({ system, code: "XYZ", display: null });
    held.add({ system, code: "ABC", display: "Some Test" });
    expect(held.issues().map((i) => [i.code, i.severity, i.message])).toEqual([
      [
        "local_code_pending",
        "warning",
        `2 observation(s) named by the local code ABC ("Some Test") of ${system} are held as pending: no mapping of this code to a variable exists yet. They are stored when an administrator maps it.`,
      ],
      [
        "local_code_pending",
        "warning",
        `1 observation(s) named by the local code XYZ of ${system} are held as pending: no mapping of this code to a variable exists yet. They are stored when an administrator maps it.`,
      ],
    ]);
  });

  it("past MAX_HELD_CODES distinct codes, counts the rest in one 'other local codes' issue, losing no count", () => {
    const held = new HeldCodes();
    const codes = MAX_HELD_CODES + 500;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < codes; i++) held.add({ system, code: `C${i}`, display: null });
    }
    expect(held.size).toBe(MAX_HELD_CODES);
    expect(held.total).toBe(2 * codes);
    const issues = held.issues();
    expect(issues).toHaveLength(MAX_HELD_CODES + 1);
    expect(issues[0]?.message).toMatch(/^2 observation\(s\) named by the local code C0 of /);
    expect(issues[MAX_HELD_CODES]?.message).toMatch(
      /^1000 observation\(s\) named by other local codes \(past the 1,000 codes listed one by one\) are held as pending/,
    );
  });

  it("quotes a long code or display cut", () => {
    const held = new HeldCodes();
    held.add({ system, code: "K".repeat(100_000), display: "d".repeat(100_000) });
    const [issue] = held.issues();
    expect(issue?.message.length).toBeLessThan(1_000);
    expect(issue?.message).toContain(`${"K".repeat(256)}…`);
  });

  it("holds nothing when nothing was pending", () => {
    expect(new HeldCodes().issues()).toEqual([]);
  });
});
