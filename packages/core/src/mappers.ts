/**
 * The mapper interface: how a file of any health format becomes canonical observations.
 *
 * Defined once here so the core mappers (packages/mappers, run by the mapper Worker), plugin mappers
 * (a plugin Worker's `WorkerEntrypoint`, reached through a service binding) and the `dfda map` command
 * all speak the same shape. A mapper never touches the database: it names what it read the way the
 * source names it (codings, or a column label it matched through `MapContext.lookup`), and the
 * ingestion pipeline resolves, converts and validates exactly as it does for the JSON API.
 */

import type { Comparator } from "./observations";

/** A coding as the source gives it (FHIR R4 `Coding`: system URI + code, with display text). */
/** Systems are the URIs of `CODE_SYSTEMS` (./reference.ts) where the source uses one of them. */
export interface SourceCoding {
  system: string;
  code: string;
  display?: string;
}

/**
 * The coding system a mapper gives a local code whose source names no system (an HL7 v2 OBX-3 with an
 * empty third component): derived from the sender, so the same code from two labs stays two codes.
 * `urn:dfda:local:<kind>:<sender>`, the sender lower-cased and percent-encoded (RFC 3986 unreserved
 * characters kept), e.g. `urn:dfda:local:hl7v2:acme-lab%5Ehosp` for MSH-3 `ACME-LAB`, MSH-4 `HOSP`.
 * A code whose source does name a system (a C-CDA `codeSystem` OID, a FHIR `Coding.system`) keeps it.
 * When no coding of an observation resolves and one is not a standard system (`CODE_SYSTEMS`), the
 * pipeline holds it as pending (`pending_observations`) instead of rejecting it.
 *
 * A file that names no sender (`sender` empty) is its own sender when the caller knows which file it is
 * (`file`: `MapContext.fileSha256`): `urn:dfda:local:<kind>:file:<sha256>`. Two unrelated files without a
 * sender then never share a system (two labs' `GLU` stay two codes), and the same bytes, mapped again or
 * uploaded again, derive the same system, so a mapping made for it keeps resolving them. The `:` before
 * the hash cannot occur in a named sender (percent-encoded there), so no sender's name collides with it.
 * Without `file` (the `dfda map` command, a mapper test) such codes share `urn:dfda:local:<kind>:unknown`.
 */
export function localCodeSystem(kind: string, sender: string, file?: Pick<MapContext, "fileSha256">): string {
  const part = (s: string) =>
    encodeURIComponent(s.trim().toLowerCase()).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  const hash = file?.fileSha256;
  if (sender.trim() === "" && hash !== undefined && hash !== "") {
    return `urn:dfda:local:${part(kind)}:file:${part(hash)}`;
  }
  return `urn:dfda:local:${part(kind)}:${part(sender.trim() === "" ? "unknown" : sender)}`;
}

/** One measurement a mapper read from a file. */
export interface MappedObservation {
  /**
   * How the source names the measurement, most specific first (e.g. LOINC before a local lab code).
   * The pipeline takes the first coding the reference data (or the tenant's local code mappings) knows.
   */
  codings: SourceCoding[];
  /**
   * Set when the mapper matched the measurement itself through `MapContext.lookup` (a CSV header, an
   * explicit column mapping); takes precedence over `codings`.
   */
  variable_id?: string;
  /** A number for quantities; a string (code or text) or boolean otherwise. */
  value: number | string | boolean;
  /** The unit as the source gives it, preferably UCUM (`mg/dL`, `/min`, `[lb_av]`). */
  unit?: string;
  /**
   * A censored numeric value's comparator (`<5` → value 5, `<`): HL7 v2 `SN`, a C-CDA `IVL_PQ` with one
   * bound, FHIR `valueQuantity.comparator`, a CSV cell like `<5`.
   */
  comparator?: Comparator;
  /** RFC 3339 date-time with offset. */
  start_at: string;
  end_at?: string;
  note?: string;
  metadata?: Record<string, unknown>;
  /** Where in the file it came from: `line 12`, `MSH[1]/OBX[3]`, `$.entry[2].resource.component[0]`. */
  location: string;
}

export type MappingSeverity = "info" | "warning" | "error";

/** Something the mapper could not map, or mapped with a caveat. */
export interface MappingIssue {
  /** Same notation as `MappedObservation.location`; null when the issue concerns the whole file. */
  location: string | null;
  /** Stable, snake_case: `invalid_json`, `unknown_segment`, `missing_value`, `unmatched_column`, … */
  code: string;
  severity: MappingSeverity;
  message: string;
}

/** What a mapper streams out. */
export type MapEvent = { kind: "observation"; observation: MappedObservation } | { kind: "issue"; issue: MappingIssue };

/** What `detect` sees: the start of the file and what the uploader said about it. */
export interface DetectInput {
  /** The first bytes of the file (up to 64 KiB). */
  head: Uint8Array;
  /** The same bytes decoded as UTF-8 (a BOM removed), for text formats. */
  headText: string;
  /** File name as uploaded, if any. */
  name: string | null;
  /** Declared media type, if any (`application/fhir+json`, `text/csv`, …). */
  contentType: string | null;
}

/** A variable as a column match sees it. */
export interface VariableMatch {
  id: string;
  name: string;
  canonicalUnit: string | null;
}

/** Resolves free-text labels (CSV headers, device type names) to variables: names, synonyms, slugs, codes. */
export interface VariableLookup {
  byLabel(label: string): VariableMatch | null;
}

/** An explicit mapping of one column (a user confirmed it, or uploaded it with the file). */
export interface ColumnMapping {
  /** Variable id, or null to ignore the column. */
  variable_id: string | null;
  /** Unit of the column's values when the header does not say. */
  unit?: string;
}

export interface MapContext {
  lookup: VariableLookup;
  /** Tabular files: header → mapping; takes precedence over matching headers by name. */
  columns?: Record<string, ColumnMapping>;
  /**
   * The file's identity: the hex SHA-256 of its bytes (`files.sha256`, what the upload stored). Names the
   * local code system of a file that names no sender (`localCodeSystem`), so such files never share one;
   * a hash, not the file's id, so a reprocess or a new upload of the same bytes derives the same system
   * and the tenant's code mappings for it keep applying. Absent: such files share `…:unknown`.
   */
  fileSha256?: string;
  /**
   * IANA zone or `±hh:mm` offset for timestamps the file gives without one (CSV exports, HL7 v2 times
   * without an offset). Without it such times are read as UTC and a warning issue says so.
   */
  timezone?: string;
}

/** A file mapper: core or plugin. */
export interface Mapper {
  /** Stable id, e.g. `fhir-r4`, `hl7v2`, `ccda`, `csv`, `openmhealth`, `apple-health-xml`. */
  id: string;
  /** Semantic version; recorded with every job so a reprocess can tell what changed. */
  version: string;
  /** Human-readable description. */
  description: string;
  /** 0 (not this format) … 1 (certainly this format). */
  detect(input: DetectInput): number;
  /** Streams events in file order; never throws on bad input (a broken file yields issues). */
  map(source: AsyncIterable<Uint8Array>, context: MapContext): AsyncIterable<MapEvent>;
}

/** How many bytes of a file `detect` gets. */
export const DETECT_HEAD_BYTES = 64 * 1024;

/**
 * How labels are compared when matched to variables (CSV headers, device type names): case, accents,
 * punctuation and spacing do not distinguish them (`Heart-Rate`, `heart rate`, `HEART_RATE`).
 */
export function normalizeLabel(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9%]+/g, " ")
    .trim();
}
