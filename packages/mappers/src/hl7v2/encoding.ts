/**
 * HL7 v2 delimiters and escape sequences (HL7 v2.5.1 Chapter 2, §2.5.4 "Message delimiters" and §2.7
 * "Use of escape sequences in text fields").
 *
 * A message declares its own delimiters in MSH-1 (field separator) and MSH-2 (component, repetition,
 * escape and subcomponent characters, plus the truncation character from v2.7 on), so nothing here
 * assumes `|^~\&`.
 */

/** The delimiters one message declares. A character the message does not declare is `""` (never split on). */
export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** MSH-2's fifth character (v2.7+); only `\P\` refers to it. */
  truncation: string;
}

/** The delimiters nearly every sender uses (HL7 v2.5.1 §2.5.4, "suggested values"). */
export const DEFAULT_DELIMITERS: Delimiters = {
  field: "|",
  component: "^",
  repetition: "~",
  escape: "\\",
  subcomponent: "&",
  truncation: "",
};

export type DelimiterResult = { ok: true; delimiters: Delimiters } | { ok: false; reason: string };

/** A character that can be a delimiter: printable, not a letter, digit or space (§2.5.4). */
function usable(ch: string): boolean {
  return ch.length === 1 && ch > " " && ch !== "\u007f" && !/[A-Za-z0-9]/.test(ch);
}

/**
 * Reads MSH-1 and MSH-2 (or FHS-1/FHS-2, BHS-1/BHS-2, which have the same layout) from the start of a
 * header segment. MSH-2 carries 4 characters (5 from v2.7, the fifth being the truncation character,
 * which a reader can ignore); a sender that leaves out the trailing ones (escape, subcomponent) simply
 * does not use them.
 */
export function readDelimiters(segment: string): DelimiterResult {
  const field = segment.charAt(3);
  if (field === "")
    return { ok: false, reason: `the segment ends before its field separator (${segment.length} characters)` };
  if (!usable(field)) return { ok: false, reason: `"${field}" cannot be the field separator (MSH-1)` };
  const end = segment.indexOf(field, 4);
  const chars = end === -1 ? segment.slice(4) : segment.slice(4, end);
  if (chars.length === 0) return { ok: false, reason: "MSH-2 (encoding characters) is empty" };
  if (chars.length > 5) return { ok: false, reason: `MSH-2 "${chars}" is not 4 encoding characters` };
  const seen = new Set<string>([field]);
  for (const ch of chars) {
    if (!usable(ch)) return { ok: false, reason: `MSH-2 "${chars}" holds "${ch}", which cannot be a delimiter` };
    if (seen.has(ch)) return { ok: false, reason: `MSH-2 "${chars}" repeats "${ch}" or reuses the field separator` };
    seen.add(ch);
  }
  return {
    ok: true,
    delimiters: {
      field,
      component: chars.charAt(0),
      repetition: chars.charAt(1),
      escape: chars.charAt(2),
      subcomponent: chars.charAt(3),
      truncation: chars.charAt(4),
    },
  };
}

/** Splits on a delimiter; a delimiter the message does not use leaves the text whole. */
export function splitOn(text: string, delimiter: string): string[] {
  return delimiter === "" ? [text] : text.split(delimiter);
}

/** Hex pairs (`\X41E9\`) as bytes, read as UTF-8 when they are valid UTF-8 and as Latin-1 otherwise. */
function decodeHex(hex: string): string | null {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/** Formatting commands of FT (HL7 v2.5.1 §2.7.6): `.br` and `.sp n` break lines, the others only lay out text. */
function formatting(command: string): string | null {
  const m = /^\.(br|sp|fi|nf|in|ti|sk|ce)\s*([+-]?\d+)?$/.exec(command);
  if (!m) return null;
  if (m[1] === "br") return "\n";
  if (m[1] === "sp") return "\n".repeat(Math.max(1, Number(m[2] ?? "1")));
  if (m[1] === "ce") return "\n";
  return "";
}

/**
 * Replaces escape sequences in one leaf value (after the value was split on delimiters, so an escaped
 * delimiter stays data): `\F\ \S\ \T\ \R\ \E\` (§2.7.1), `\P\` truncation (v2.7), `\Xhh..\` hex data
 * (§2.7.4), `\H\ \N\` highlighting and `\Cxxyy\ \Mxxyyzz\` character-set switches (dropped: the text is
 * already decoded), `\Zxxx\` locally defined (dropped), and FT formatting (`\.br\`, `\.sp n\`, §2.7.6).
 * An escape character without a closing one is kept as text.
 */
export function decodeEscapes(text: string, d: Delimiters): string {
  const e = d.escape;
  if (e === "" || !text.includes(e)) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf(e, i);
    if (start === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, start);
    const end = text.indexOf(e, start + 1);
    if (end === -1) {
      out += text.slice(start);
      break;
    }
    const body = text.slice(start + 1, end);
    const replacement = escapeValue(body, d);
    if (replacement === null) {
      // Not an escape sequence: keep the escape character as text and go on after it.
      out += e;
      i = start + 1;
      continue;
    }
    out += replacement;
    i = end + 1;
  }
  return out;
}

function escapeValue(body: string, d: Delimiters): string | null {
  switch (body) {
    case "F":
      return d.field;
    case "S":
      return d.component;
    case "T":
      return d.subcomponent;
    case "R":
      return d.repetition;
    case "E":
      return d.escape;
    case "P":
      return d.truncation;
    case "H":
    case "N":
      return "";
  }
  const head = body.charAt(0);
  if (head === "X") return decodeHex(body.slice(1));
  if (head === "C" || head === "M") return /^[CM][0-9A-Fa-f]{4,6}$/.test(body) ? "" : null;
  if (head === "Z") return "";
  if (head === ".") return formatting(body);
  return null;
}
