/**
 * @dfda/mappers: the core file mappers and format detection. Every mapper implements the `Mapper`
 * interface of @dfda/core; the mapper Worker, the upload route and `dfda map` pick one with
 * `detectFormat`.
 */
import { DETECT_HEAD_BYTES, type DetectInput, type Mapper } from "@dfda/core";
import { appleHealthMapper } from "./apple-health";
import { ccdaMapper } from "./ccda";
import { csvMapper } from "./csv";
import { fhirMapper } from "./fhir";
import { fitMapper } from "./fit";
import { hl7v2Mapper } from "./hl7v2";
import { openehrMapper } from "./openehr";
import { openmhealthMapper } from "./openmhealth";
import { vendorJsonMapper } from "./vendors";

export { type ColumnSuggestion, headerSignature, readHeaders, suggestColumns } from "./csv";
export * from "./plugin";
export {
  InputTooLargeError,
  MAX_DOCUMENT_CHARS,
  MAX_HL7_MESSAGE_CHARS,
  MAX_LINE_CHARS,
  MAX_XML_RUN_CHARS,
  UnreadableFileError,
} from "./util/limits";
export { peek } from "./util/peek";
export { collect, fromBytes } from "./util/stream";

/** The core mappers, most specific first (ties in `detect` go to the earlier one). */
export const CORE_MAPPERS: readonly Mapper[] = [
  fhirMapper,
  openmhealthMapper,
  openehrMapper,
  vendorJsonMapper,
  hl7v2Mapper,
  ccdaMapper,
  appleHealthMapper,
  csvMapper,
  fitMapper,
];

/** Below this score a file is not taken to be in a mapper's format. */
export const DETECT_THRESHOLD = 0.5;

/** File extensions the object keys and downloads use per format. */
const EXTENSIONS: Record<string, string> = {
  "fhir-r4": "json",
  openmhealth: "json",
  openehr: "json",
  "vendor-json": "json",
  hl7v2: "hl7",
  ccda: "xml",
  "apple-health-xml": "xml",
  csv: "csv",
  fit: "fit",
};

export interface Detection {
  /** The best mapper, or null when none scores at least DETECT_THRESHOLD. */
  mapper: Mapper | null;
  score: number;
  /** `mapper.id`, or `unknown`. */
  format: string;
  /** Extension for the stored object: the format's, else the uploaded name's (sanitized), else `bin`. */
  ext: string;
}

/** Builds `detect`'s input from the first bytes of a file (BOM dropped from the text). */
export function detectInput(head: Uint8Array, name: string | null, contentType: string | null): DetectInput {
  const bytes = head.subarray(0, DETECT_HEAD_BYTES);
  // A multi-byte character cut at the end of the head decodes to U+FFFD; detection does not mind.
  const headText = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
  return { head: bytes, headText, name, contentType };
}

/** Scores every mapper (core, then `extra`, e.g. plugin mappers) and picks the best. */
export function detectFormat(
  head: Uint8Array,
  name: string | null,
  contentType: string | null,
  extra: readonly Mapper[] = [],
): Detection {
  const input = detectInput(head, name, contentType);
  let best: Mapper | null = null;
  let bestScore = 0;
  for (const mapper of [...CORE_MAPPERS, ...extra]) {
    let score = 0;
    try {
      score = mapper.detect(input);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = mapper;
      bestScore = score;
    }
  }
  const nameExt = /\.([A-Za-z0-9]{1,10})$/.exec(name ?? "")?.[1]?.toLowerCase();
  if (best === null || bestScore < DETECT_THRESHOLD) {
    return { mapper: null, score: bestScore, format: "unknown", ext: nameExt ?? "bin" };
  }
  const ext =
    best.id === "fhir-r4" && nameExt === "ndjson"
      ? "ndjson"
      : best.id === "csv" && nameExt === "tsv"
        ? "tsv"
        : (EXTENSIONS[best.id] ?? nameExt ?? "bin");
  return { mapper: best, score: bestScore, format: best.id, ext };
}

/** A core mapper by id. */
export function mapperById(id: string): Mapper | null {
  return CORE_MAPPERS.find((m) => m.id === id) ?? null;
}
