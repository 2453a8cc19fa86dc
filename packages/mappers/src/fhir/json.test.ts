import { describe, expect, it } from "vitest";
import { readDecimal, readInteger } from "./decimal";
import { isObject, JsonNumber, JsonSyntaxError, MAX_JSON_DEPTH, parseJson, toPlain } from "./json";

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

describe("parseJson", () => {
  it("parses what JSON.parse parses, keeping numbers as written", () => {
    const text = '{"a": [1, -0.50, 1E-22, true, false, null, "x\\u00e9\\n\\"y\\"\\/"], "b": {}}';
    const { value } = parseJson(text);
    expect(toPlain(value)).toEqual(JSON.parse(text));
    const a = isObject(value) ? value.a : undefined;
    expect(Array.isArray(a) && a.slice(0, 3).map((n) => (n as JsonNumber).source)).toEqual(["1", "-0.50", "1E-22"]);
  });

  it("keeps digits JSON.parse would round away", () => {
    const { value } = parseJson("[12345678901234567890.123456789, 1.000000000000000000E-24]");
    expect((value as JsonNumber[]).map((n) => n.source)).toEqual([
      "12345678901234567890.123456789",
      "1.000000000000000000E-24",
    ]);
  });

  it("reports where the text stops being JSON (line and column)", () => {
    expect(syntaxError('{\n  "a": [1,\n     #\n]}')).toMatchObject({ line: 3, column: 6, offset: 18 });
    expect(syntaxError('{"a": 1,}').reason).toBe("Unexpected '}', expected a property name");
    expect(syntaxError('{"a": 01}').reason).toBe("Unexpected '1', expected ',' or '}'");
    expect(syntaxError('{"a": "b').reason).toBe("Unterminated string");
    expect(syntaxError('"\u0001"').reason).toBe("Unescaped character U+0001 in string");
    expect(syntaxError('"\\x"').reason).toBe("Invalid escape sequence");
    expect(syntaxError("[NaN]").reason).toBe("Unexpected 'N', expected a value");
    expect(syntaxError("{} {}").reason).toBe("Unexpected '{' after the JSON value");
    expect(syntaxError("").reason).toBe("Unexpected end of input, expected a value");
    expect(syntaxError("-").reason).toBe("Invalid number");
    expect(syntaxError("[1.]").line).toBe(1);
  });

  it("refuses nesting beyond the limit instead of overflowing the stack", () => {
    const deep = "[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1);
    expect(syntaxError(deep).reason).toContain("Nesting deeper");
    const ok = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(() => parseJson(ok)).not.toThrow();
  });

  it("reports duplicate member names (last wins) and keeps __proto__ as data", () => {
    const { value, duplicateKeys } = parseJson('{"a": 1,\n "a": 2, "__proto__": {"x": 1}}');
    expect(duplicateKeys).toEqual([{ key: "a", line: 2 }]);
    expect(toPlain(value)).toEqual({ a: 2, ["__proto__"]: { x: 1 } });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as { x?: number }).x).toBeUndefined();
  });
});

describe("readDecimal (FHIR decimal → number)", () => {
  const d = (s: string) => readDecimal(new JsonNumber(s));

  it("reads decimals exactly when they have at most 15 significant digits", () => {
    expect(d("6.3")).toEqual({ ok: true, value: 6.3, source: "6.3", rounded: false, fromString: false });
    expect(d("1.00")).toMatchObject({ ok: true, value: 1, rounded: false });
    expect(d("1E-22")).toMatchObject({ ok: true, value: 1e-22, rounded: false });
    expect(d("-0")).toMatchObject({ ok: true, value: -0, rounded: false });
    expect(d("123456789012345")).toMatchObject({ ok: true, value: 123456789012345, rounded: false });
  });

  it("rounds beyond 15 significant digits to 15, and says so", () => {
    expect(d("66.899999999999991")).toMatchObject({ ok: true, value: 66.9, rounded: true });
    expect(d("0.10000000000000001")).toMatchObject({ ok: true, value: 0.1, rounded: true });
    // trailing zeros are precision, not extra digits
    expect(d("1.0000000000000000")).toMatchObject({ ok: true, value: 1, rounded: false });
  });

  it("rejects the decimals the HL7 validator rejects (obs-decimal.json) and what a double cannot hold", () => {
    for (const s of [
      "1000000000000000000",
      "1.000000000000000000E-24",
      "-1.000000000000000000E+245",
      "1E-400",
      "1E+400",
    ]) {
      expect(d(s), s).toMatchObject({ ok: false, code: "decimal_out_of_range" });
    }
    expect(d("1E-320")).toMatchObject({ ok: false, code: "decimal_out_of_range" }); // subnormal
    expect(d("999999999999999999")).toMatchObject({ ok: true, value: 1e18, rounded: true }); // 18 digits: supported
  });

  it("accepts a numeric string with a flag, refuses anything else", () => {
    expect(readDecimal("6.30")).toEqual({ ok: true, value: 6.3, source: "6.30", rounded: false, fromString: true });
    expect(readDecimal("six")).toMatchObject({ ok: false, code: "invalid_decimal" });
    expect(readDecimal(true)).toMatchObject({ ok: false, code: "invalid_decimal" });
    expect(readDecimal(undefined)).toMatchObject({ ok: false, code: "invalid_decimal" });
  });

  it("readInteger: 32-bit whole numbers only", () => {
    expect(readInteger(new JsonNumber("42"))).toEqual({ ok: true, value: 42 });
    expect(readInteger(new JsonNumber("-2147483648"))).toEqual({ ok: true, value: -2147483648 });
    expect(readInteger(new JsonNumber("2147483648")).ok).toBe(false);
    expect(readInteger(new JsonNumber("1.0")).ok).toBe(false);
    expect(readInteger(new JsonNumber("1e3")).ok).toBe(false);
    expect(readInteger("1").ok).toBe(false);
  });
});
