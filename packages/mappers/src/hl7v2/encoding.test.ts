import { describe, expect, it } from "vitest";
import { DEFAULT_DELIMITERS, decodeEscapes, readDelimiters } from "./encoding";

describe("readDelimiters (MSH-1, MSH-2)", () => {
  it("reads the usual delimiters", () => {
    expect(readDelimiters("MSH|^~\\&|APP")).toEqual({ ok: true, delimiters: DEFAULT_DELIMITERS });
  });

  it("reads any delimiters the message declares, and the v2.7 truncation character", () => {
    expect(readDelimiters("MSH#:*!@$#x")).toEqual({
      ok: true,
      delimiters: { field: "#", component: ":", repetition: "*", escape: "!", subcomponent: "@", truncation: "$" },
    });
    expect(readDelimiters("MSH|^~|A")).toEqual({
      ok: true,
      delimiters: { field: "|", component: "^", repetition: "~", escape: "", subcomponent: "", truncation: "" },
    });
  });

  it("rejects what cannot be delimiters", () => {
    expect(readDelimiters("MSH")).toMatchObject({ ok: false });
    expect(readDelimiters("MSHA^~\\&A")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("field separator"),
    });
    expect(readDelimiters("MSH||APP")).toMatchObject({ ok: false, reason: "MSH-2 (encoding characters) is empty" });
    expect(readDelimiters("MSH|^^\\&|")).toMatchObject({ ok: false, reason: expect.stringContaining("repeats") });
    expect(readDelimiters("MSH|^~|&|")).toMatchObject({ ok: true });
    expect(readDelimiters("MSH|ABCD|")).toMatchObject({ ok: false, reason: expect.stringContaining('holds "A"') });
    expect(readDelimiters("MSH|^~\\&%$#|")).toMatchObject({ ok: false, reason: expect.stringContaining("not 4") });
  });
});

describe("decodeEscapes (HL7 v2.5.1 §2.7)", () => {
  const d = DEFAULT_DELIMITERS;
  it("turns delimiter escapes into the delimiters", () => {
    expect(decodeEscapes("A\\F\\B\\S\\C\\T\\D\\R\\E\\E\\", d)).toBe("A|B^C&D~E\\");
    expect(decodeEscapes("Salmonella \\T\\ Shigella", d)).toBe("Salmonella & Shigella");
  });

  it("decodes hex data as UTF-8, or Latin-1 when it is not UTF-8", () => {
    expect(decodeEscapes("\\X41\\BC", d)).toBe("ABC");
    expect(decodeEscapes("Caf\\XC3A9\\", d)).toBe("Café");
    expect(decodeEscapes("Caf\\XE9\\", d)).toBe("Café");
  });

  it("drops highlighting and character-set switches, and reads FT line breaks", () => {
    expect(decodeEscapes("\\H\\bold\\N\\ text", d)).toBe("bold text");
    expect(decodeEscapes("a\\C2842\\b", d)).toBe("ab");
    expect(decodeEscapes("line 1\\.br\\line 2\\.sp 2\\end", d)).toBe("line 1\nline 2\n\nend");
  });

  it("keeps an escape character that opens no sequence", () => {
    expect(decodeEscapes("C:\\path", d)).toBe("C:\\path");
    expect(decodeEscapes("\\Q\\x", d)).toBe("\\Q\\x");
    expect(decodeEscapes("\\XZZ\\", d)).toBe("\\XZZ\\");
  });

  it("uses the message's own escape character", () => {
    const custom = { ...d, escape: "!", component: ":" };
    expect(decodeEscapes("a!S!b", custom)).toBe("a:b");
    expect(decodeEscapes("a\\S\\b", custom)).toBe("a\\S\\b");
  });
});
