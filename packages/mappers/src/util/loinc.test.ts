import { describe, expect, it } from "vitest";
import { isLoincCode, loincCheckDigit } from "./loinc";

// Codes from the LOINC table (LOINC Users' Guide examples and common laboratory codes).
const VALID = ["2345-7", "718-7", "4548-4", "2160-0", "8867-4", "29463-7", "625-4", "12345-5", "1-8", "2093-3"];

describe("LOINC check digit (LOINC Users' Guide, mod 10)", () => {
  it("computes the Users' Guide example and real codes", () => {
    expect(loincCheckDigit("12345")).toBe(5);
    for (const code of VALID) expect(isLoincCode(code), code).toBe(true);
  });

  it("rejects every single-digit change of a valid code (mod 10 catches all single-digit errors)", () => {
    for (const code of VALID) {
      for (let i = 0; i < code.length; i++) {
        if (code[i] === "-") continue;
        for (let d = 0; d <= 9; d++) {
          if (String(d) === code[i]) continue;
          const changed = `${code.slice(0, i)}${d}${code.slice(i + 1)}`;
          // A leading zero added to the number keeps its value (and so its check digit).
          if (i === 0 && d === 0) continue;
          expect(isLoincCode(changed), changed).toBe(false);
        }
      }
    }
  });

  it("rejects what is not LOINC syntax (n{1,7}-c)", () => {
    for (const text of ["2345", "2345-", "-7", "2345-77", "12345678-9", "23a5-7", "2345_7", "", "ABC"]) {
      expect(isLoincCode(text), text).toBe(false);
    }
  });
});
