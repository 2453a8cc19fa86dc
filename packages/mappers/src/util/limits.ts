/**
 * How much of a file a mapper holds in memory at once (issue 12, "Unbounded memory"; OWASP
 * API4:2023). Uploads may be 2 GiB, a Worker has 128 MB: every format streams, and the units a mapper
 * must hold whole (a JSON document, one NDJSON line, one HL7 v2 message, one text line) are capped
 * here. Listed in docs/operations.md ("Input limits").
 */

/**
 * The largest unit held whole, in characters of text (bytes for ASCII): one FHIR resource or Bundle entry
 * (a Bundle itself streams entry by entry, fhir/README.md "Big Bundles"), one item of a vendor API response
 * and the response around its item arrays, one openEHR content entry or composition header, one Open mHealth
 * data point or single-object document (an array of them streams item by item); parsed, 16 MiB of JSON
 * takes about as much again in a Worker's 128 MB.
 */
export const MAX_DOCUMENT_CHARS = 16 * 1024 * 1024;

/** The longest line `lines()` keeps (a CSV row, an HL7 v2 segment, an NDJSON record). */
export const MAX_LINE_CHARS = MAX_DOCUMENT_CHARS;

/**
 * The longest XML text node or tag (C-CDA, Apple Health): saxes holds each one whole, and a C-CDA
 * attachment larger than this (`nonXMLBody`, base64) is refused with the document.
 */
export const MAX_XML_RUN_CHARS = MAX_DOCUMENT_CHARS;

/**
 * The deepest XML nesting read (C-CDA, Apple Health), in elements from the root: the readers keep one
 * frame per open element and each frame's location repeats its parents', so memory grows with the
 * square of the depth. Real documents nest a few dozen levels (a C-CDA entry about 15); a deeper one
 * is refused whole (`InputTooLargeError`), like a text node past `MAX_XML_RUN_CHARS`.
 */
export const MAX_XML_DEPTH = 256;

/**
 * The most `MetadataEntry` and `WorkoutStatistics` children kept for one Apple Health Record, Workout or
 * Correlation (a real one has a handful); the rest are ignored, with one `too_many_children` issue per
 * element.
 */
export const MAX_XML_CHILD_ENTRIES = 1_000;

/**
 * The most distinct names a mapper remembers per set and file: FHIR resource types and Apple Health
 * record types reported once each, XML element names, undeclared namespace prefixes, and each open XML
 * element's child-name counts (for positions). Past it new names are not recorded: reports end with
 * one "and more" issue, and an XML child of a new name is located by its position among all children
 * (`*[n]`).
 */
export const MAX_DISTINCT_NAMES = 1_000;

/** The largest HL7 v2 message (its segments together); a larger one is reported and skipped. */
export const MAX_HL7_MESSAGE_CHARS = MAX_DOCUMENT_CHARS;

/** The most characters of such a name remembered and quoted (real type names are under 64). */
export const MAX_NAME_CHARS = 64;

/**
 * A name as remembered: at most MAX_NAME_CHARS (longer ones cut, ending in `…`), copied so that it does
 * not keep the text it was cut from alive (V8 slices share their parent string).
 */
export function nameKey(name: string): string {
  const cut = name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS)}…` : name;
  return cut.split("").join("");
}

/**
 * A file a mapper cannot read within its limits. Retrying cannot change it: the mapper Worker fails the
 * job for good with this message instead of retrying (`@dfda/consumer` PermanentFailure).
 *
 * @example
 * if (text.length > MAX_DOCUMENT_CHARS) throw new InputTooLargeError("The JSON document", MAX_DOCUMENT_CHARS);
 */
export class InputTooLargeError extends Error {
  readonly code = "input_too_large";

  constructor(
    /** What is too large, as the message starts: "The JSON document", "Line 12". */
    readonly what: string,
    /** The limit, in `unit`s. */
    readonly limit: number,
    /** Where in the file (`line 12`), when known. */
    readonly location: string | null = null,
    /** What the person can do instead. */
    hint = "",
    /** What `limit` counts: characters (a length), or levels (a nesting depth). */
    readonly unit: "characters" | "levels" = "characters",
  ) {
    super(
      unit === "levels"
        ? `${what} is nested deeper than ${limit.toLocaleString("en")} levels, the most this format is read${hint === "" ? "" : `; ${hint}`}.`
        : `${what} is longer than ${limit.toLocaleString("en")} characters, the most this format is read in one piece${hint === "" ? "" : `; ${hint}`}.`,
    );
    this.name = "InputTooLargeError";
  }
}

/**
 * The refusal of an XML element nested deeper than `MAX_XML_DEPTH` (the whole file, as for a run past
 * `MAX_XML_RUN_CHARS`).
 *
 * @example
 * if (stack.length >= MAX_XML_DEPTH) throw xmlTooDeep(parser.line);
 */
export function xmlTooDeep(line: number): InputTooLargeError {
  return new InputTooLargeError(`The XML element at line ${line}`, MAX_XML_DEPTH, `line ${line}`, "", "levels");
}

/**
 * A file whose own integrity checks fail (a FIT file's CRC, a binary file cut short): no part of it can
 * be trusted, so none is stored. Like InputTooLargeError, retrying cannot change it: the mapper Worker
 * fails the job for good with this message (`@dfda/consumer` PermanentFailure) and drops staged rows.
 *
 * @example
 * throw new UnreadableFileError("fit_crc_mismatch", "the FIT file's CRC does not match its contents", "byte 770");
 */
export class UnreadableFileError extends Error {
  constructor(
    /** Stable, snake_case: `fit_crc_mismatch`, `fit_truncated`, … */
    readonly code: string,
    message: string,
    /** Where in the file (`byte 770`), when known. */
    readonly location: string | null = null,
  ) {
    super(message);
    this.name = "UnreadableFileError";
  }
}
