/**
 * The canonical observation shape every source feeds (API, files, connectors, plugins), and the queue
 * message that carries a batch to the ingestion consumer. Defined once, parsed at every boundary:
 * the HTTP body, the queue message, the Durable Object call.
 */
import { z } from "zod";
import type { RangeSeverity, ValueType } from "./reference";

/**
 * The columns of one `variables` row (one version) that ingestion needs: what the database resolves
 * and what validation checks against.
 */
export interface VariableDefinition {
  id: string;
  version: number;
  valueType: ValueType;
  /** Case-sensitive UCUM code (https://ucum.org/ucum); NULL for code, text and boolean variables. */
  canonicalUnit: string | null;
  validMin: number | null;
  validMax: number | null;
  rangeSeverity: RangeSeverity;
  /** g/mol, bridges mass and amount-of-substance units (UCUM §4.3 treats `mol` as a dimensionless count). */
  molecularWeight: number | null;
}

/** A person's own history of one variable, for outlier detection (canonical unit). */
export interface HistoryStats {
  count: number;
  mean: number;
  /** Sample standard deviation. */
  stddev: number;
  /** First and third quartiles. */
  q1: number;
  q3: number;
}

/** Life cycle of an ingestion job. */
export const JOB_STATUSES = [
  "queued",
  "processing",
  "completed",
  "completed_with_issues",
  "failed",
  /** A file no mapper understands: kept, and mapped again by a reprocess once a mapper knows it. */
  "unsupported_format",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** How many observations one request may carry. */
export const MAX_BATCH = 20_000;

/**
 * Bounds of an observation's `metadata` (issue 12, "Unbounded memory"; OWASP API4:2023): it is stored
 * as JSON with every row, so its size, width and depth are limited where it enters. Listed in
 * docs/operations.md ("Input limits").
 */
export const METADATA_LIMITS = {
  /** Members of the metadata object, and of each object nested in it. */
  keys: 50,
  /** Characters of a member name. */
  keyLength: 100,
  /** Characters of a string value. */
  stringLength: 2_000,
  /**
   * Levels of values: `{"a": 1}` is one, `{"a": [1]}` two. FHIR elements kept as metadata nest five or
   * six (`interpretation[0].coding[0].system`).
   */
  depth: 8,
  /** UTF-8 bytes of the whole object as JSON. */
  bytes: 8 * 1024,
} as const;

type Issue = { message: string; path: (string | number)[] };

/** The first bound a metadata value breaks, with where; walks at most `depth` levels. */
function metadataIssue(value: unknown, level: number, path: (string | number)[]): Issue | null {
  if (level > METADATA_LIMITS.depth) return { message: `Nested at most ${METADATA_LIMITS.depth} levels`, path };
  if (value === null || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : { message: "Not a JSON value", path };
  if (typeof value === "string") {
    return value.length > METADATA_LIMITS.stringLength
      ? { message: `Strings are at most ${METADATA_LIMITS.stringLength} characters`, path }
      : null;
  }
  if (Array.isArray(value)) {
    if (value.length > METADATA_LIMITS.keys) return { message: `At most ${METADATA_LIMITS.keys} items`, path };
    for (const [i, item] of value.entries()) {
      const issue = metadataIssue(item, level + 1, [...path, i]);
      if (issue !== null) return issue;
    }
    return null;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return membersIssue(value as Record<string, unknown>, level, path);
  }
  return { message: "Not a JSON value", path };
}

function membersIssue(value: Record<string, unknown>, level: number, path: (string | number)[]): Issue | null {
  const keys = Object.keys(value);
  if (keys.length > METADATA_LIMITS.keys) return { message: `At most ${METADATA_LIMITS.keys} keys`, path };
  for (const key of keys) {
    if (key.length > METADATA_LIMITS.keyLength) {
      return { message: `Keys are at most ${METADATA_LIMITS.keyLength} characters`, path };
    }
    const member = value[key];
    // An absent optional field (`undefined`) is left out of the JSON, as JSON.stringify does.
    if (member === undefined) continue;
    const issue = metadataIssue(member, level + 1, [...path, key]);
    if (issue !== null) return issue;
  }
  return null;
}

/** Free-form JSON about an observation (device, provenance), within METADATA_LIMITS. */
export const ObservationMetadata = z.record(z.string(), z.unknown()).superRefine((metadata, ctx) => {
  const issue = membersIssue(metadata, 0, []);
  if (issue !== null) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return;
  }
  // Serialized once the walk passed: linear in what the request (or the mapped file) already carried.
  if (new TextEncoder().encode(JSON.stringify(metadata)).byteLength > METADATA_LIMITS.bytes) {
    ctx.addIssue({ code: "custom", message: `At most ${METADATA_LIMITS.bytes} bytes as JSON` });
  }
});

/**
 * PostgreSQL text and jsonb cannot hold NUL (U+0000: SQLSTATE 22021, and 22P05 for `\u0000` in jsonb),
 * so a batch carrying one was accepted (202) and then failed in the ingest consumer on every retry,
 * losing the whole batch. Text that will be stored is refused here, at the boundary, naming the field.
 */
const NO_NUL = { message: "NUL (U+0000) is not allowed" } as const;
function hasNoNul(text: string): boolean {
  return !text.includes("\u0000");
}

/** Whether a JSON value holds NUL in a key or a string, at any depth (an explicit stack: no recursion limit). */
export function jsonHasNoNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (!hasNoNul(item)) return false;
    } else if (Array.isArray(item)) {
      for (const member of item) stack.push(member);
    } else if (item !== null && typeof item === "object") {
      for (const [key, member] of Object.entries(item)) {
        if (!hasNoNul(key)) return false;
        stack.push(member);
      }
    }
  }
  return true;
}

/** A coding as FHIR R4 `Coding` carries it (system URI + code), used to name a variable. */
export const CodingRef = z.object({
  system: z.string().min(1).max(256).refine(hasNoNul, NO_NUL),
  code: z.string().min(1).max(128).refine(hasNoNul, NO_NUL),
});

/** RFC 3339 date-time with an explicit offset (`Z` or `±hh:mm`): local times are ambiguous. */
const Instant = z.iso.datetime({
  offset: true,
  message: "An RFC 3339 date-time with offset, e.g. 2026-11-23T08:30:00+01:00",
});

/**
 * A censored value's comparator, as FHIR R4 `Quantity.comparator` defines it (`<`, `<=`, `>=`, `>`):
 * `<5` is a measurement (below the assay's limit), stored as the bound 5 with `<` (issue 15).
 */
export const COMPARATORS = ["<", "<=", ">=", ">"] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const ObservationInput = z
  .object({
    /** The variable: its id, or any coding the reference data knows (LOINC, SNOMED CT, local codes …). */
    variable: z.union([z.uuid(), CodingRef]),
    /** A number for numeric variables; a string (code or text) or boolean otherwise. */
    value: z.union([z.number(), z.string().max(10_000).refine(hasNoNul, NO_NUL), z.boolean()]),
    /** UCUM unit (case-sensitive, e.g. `mg/dL`, `/min`, `[lb_av]`), required where the variable has one. */
    unit: z.string().min(1).max(64).refine(hasNoNul, NO_NUL).optional(),
    /**
     * Set for a censored numeric value (FHIR R4 `Quantity.comparator`): `value` is then the bound, e.g.
     * `<` with 5 for a result reported as "<5". Only a number can be a bound.
     */
    comparator: z.enum(COMPARATORS).optional(),
    start_at: Instant,
    end_at: Instant.optional(),
    /**
     * Slug of the source (device, app) within the caller's tenant; defaults to the calling client. A
     * slug that is another client's own source is refused for the item (`source_not_permitted`).
     */
    source: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "lowercase letters, digits, '.', '_' or '-' (1–64)")
      .optional(),
    note: z.string().max(2_000).refine(hasNoNul, NO_NUL).optional(),
    metadata: ObservationMetadata.refine(jsonHasNoNul, NO_NUL).optional(),
  })
  .strict()
  // A comparator bounds a quantity; "<" beside a code, text or boolean says nothing (FHIR R4 allows
  // `comparator` only on Quantity), so it is refused at the boundary rather than dropped.
  .refine((o) => o.comparator === undefined || typeof o.value === "number", {
    message: "comparator is allowed only with a numeric value (the bound of a censored measurement)",
    path: ["comparator"],
  });
export type ObservationInput = z.infer<typeof ObservationInput>;

export const IngestBatch = z
  .object({
    observations: z.array(ObservationInput).min(1).max(MAX_BATCH),
  })
  .strict();
export type IngestBatch = z.infer<typeof IngestBatch>;

/**
 * Queue message, version 1: the batch inline (as JSON, or gzipped JSON of the observation array when
 * that fits where the JSON would not), or staged in R2 when even compressed it is too large for a
 * message. Messages with `gzip` payloads are sent with the `v8` content type (structured clone keeps
 * the bytes).
 */
export const IngestMessage = z.object({
  v: z.literal(1),
  job_id: z.uuid(),
  tenant_id: z.uuid(),
  /** Whose record the observations go to. */
  user_id: z.uuid(),
  /** Who sent them (the token's subject); the user's writer checks consent when it is not the owner. */
  actor_user_id: z.uuid().nullable(),
  client_id: z.string().nullable(),
  /** Source id used for items that name no source. */
  default_source_id: z.uuid(),
  payload: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("inline"), observations: z.array(ObservationInput) }),
    z.object({ kind: z.literal("gzip"), data: z.instanceof(Uint8Array) }),
    z.object({ kind: z.literal("r2"), key: z.string().min(1) }),
  ]),
});
export type IngestMessage = z.infer<typeof IngestMessage>;

/** One observation ready to store, as the ingest consumer hands it to the user's writer. */
export const NormalizedRow = z.object({
  index: z.number().int(),
  variable_id: z.uuid(),
  variable_version: z.number().int(),
  start_at: z.iso.datetime({ offset: true }),
  end_at: z.iso.datetime({ offset: true }).nullable(),
  value: z.number().nullable(),
  value_text: z.string().nullable(),
  value_code: z.string().nullable(),
  value_boolean: z.boolean().nullable(),
  unit: z.string().nullable(),
  original_value: z.number().nullable(),
  original_unit: z.string().nullable(),
  /**
   * A censored value's comparator (`value` is the bound, converted like any value); absent or null for
   * an exact value (optional so rows built before comparators existed still parse).
   */
  comparator: z.enum(COMPARATORS).nullable().optional(),
  source_id: z.uuid(),
  is_valid: z.boolean(),
  is_outlier: z.boolean(),
  note: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});
export type NormalizedRow = z.infer<typeof NormalizedRow>;

export const IngestIssue = z.object({
  index: z.number().int().nullable(),
  location: z.string().nullable(),
  code: z.string(),
  severity: z.enum(["info", "warning", "error"]),
  message: z.string(),
});
export type IngestIssue = z.infer<typeof IngestIssue>;

/** The per-user writer's RPC argument (Durable Object boundary): everything one job stores, at once. */
export const WriteRequest = z.object({
  job_id: z.uuid(),
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  /** Who sent the data: the write-side consent check compares it with the owner. */
  actor: z.object({ user_id: z.uuid().nullable(), client_id: z.string().nullable() }),
  rows: z.array(NormalizedRow),
  issues: z.array(IngestIssue),
  counts: z.object({
    rejected: z.number().int(),
    duplicates_in_batch: z.number().int(),
    flagged: z.number().int(),
    outliers: z.number().int(),
  }),
});
export type WriteRequest = z.infer<typeof WriteRequest>;

export interface WriteResult {
  status: "completed" | "completed_with_issues" | "already_done" | "denied";
  stored: number;
  duplicates: number;
}
