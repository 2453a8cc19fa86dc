/**
 * The database schema: the source of truth from which drizzle-kit generates `migrations/`.
 *
 * Every table carries `tenant_id` (the `tenants` table's own id is the tenant id), and every table
 * that points at a user does so with a composite foreign key `(tenant_id, user_id)` so a row can
 * never name a user of another tenant. Reference data owned by the platform belongs to the system
 * tenant (`SYSTEM_TENANT_ID`); tenants may add their own rows beside it.
 *
 * docs/storage.md documents each table and why it is shaped the way it is.
 */
import {
  COMPARATORS,
  type CombinationOperation,
  type Comparator,
  JOB_STATUSES,
  type JobStatus,
  type RangeSeverity,
  ROLE_NAMES,
  type RoleName,
  type ValueType,
} from "@dfda/core";
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

/** Operators create tenants; everything else hangs off one. */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    status: text("status").notNull().default("active"),
    /** Tenant-wide policy switches (e.g. `{"mfa_required": true}`), validated by the API layer. */
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [check("tenants_status_check", sql`${t.status} in ('active', 'suspended')`)],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    email: text("email").notNull(),
    emailVerifiedAt: ts("email_verified_at"),
    passwordHash: text("password_hash"),
    displayName: text("display_name"),
    status: text("status").notNull().default("active"),
    /**
     * Access tokens issued before this instant are refused (set by a password reset): they are
     * stateless JWTs, so revoking "all of them" is a cut-off rather than a list of jtis.
     */
    tokensValidAfter: ts("tokens_valid_after"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // Referenced by every per-user table's composite foreign key.
    unique("users_tenant_id_id_key").on(t.tenantId, t.id),
    uniqueIndex("users_tenant_email_key").on(t.tenantId, sql`lower(${t.email})`),
    check("users_status_check", sql`${t.status} in ('active', 'disabled', 'deleted')`),
  ],
);

export const ROLES = ROLE_NAMES;
export type Role = RoleName;

export const roles = pgTable(
  "roles",
  {
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    role: text("role").$type<Role>().notNull(),
    grantedBy: uuid("granted_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.role] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("roles_role_check", sql.raw(`role in (${ROLES.map((r) => `'${r}'`).join(", ")})`)),
  ],
);

export const oauthClients = pgTable(
  "oauth_clients",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    /** The public `client_id` (RFC 6749 §2.2). */
    clientId: text("client_id").notNull().unique(),
    name: text("name").notNull(),
    logoUri: text("logo_uri"),
    redirectUris: text("redirect_uris").array().notNull().default(sql`'{}'::text[]`),
    /** RFC 6749 §2.1 client types. */
    clientType: text("client_type").notNull(),
    /** Only a hash of a confidential client's secret is kept. */
    secretHash: text("secret_hash"),
    allowedScopes: text("allowed_scopes").array().notNull().default(sql`'{}'::text[]`),
    grantTypes: text("grant_types").array().notNull().default(sql`'{authorization_code,refresh_token}'::text[]`),
    ownerUserId: uuid("owner_user_id"),
    /**
     * One of the platform's own apps, set only by an operator (`dfda client create --first-party`), never
     * by dynamic registration (RFC 7591). Only these may call operations that need the person themselves
     * (erasure, second-factor changes, bulk deletes; docs/identity.md).
     */
    firstParty: boolean("first_party").notNull().default(false),
    /**
     * The client's public keys (a JWK Set, RFC 7517 §5) for `private_key_jwt` authentication (RFC 7523
     * §2.2, SMART Backend Services): set, the client authenticates only with a signed assertion.
     */
    jwks: jsonb("jwks").$type<{ keys: Array<Record<string, unknown>> }>(),
    createdAt: createdAt(),
    disabledAt: ts("disabled_at"),
  },
  (t) => [
    check("oauth_clients_type_check", sql`${t.clientType} in ('public', 'confidential')`),
    foreignKey({ columns: [t.tenantId, t.ownerUserId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      "set null",
    ),
  ],
);

export const variableCategories = pgTable(
  "variable_categories",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [unique("variable_categories_tenant_slug_key").on(t.tenantId, t.slug)],
);

/**
 * Variables are versioned: a change of meaning (unit, range, value type) closes the current row
 * (`valid_to`) and adds `version + 1`, so observations stored under an earlier version keep the
 * definition they were validated against. `(id, version)` is the key; the current version is the
 * one row with `valid_to IS NULL`.
 */
export const variables = pgTable(
  "variables",
  {
    id: uuid("id").notNull(),
    version: integer("version").notNull(),
    tenantId: tenantId(),
    slug: text("slug").notNull(),
    validFrom: ts("valid_from").notNull().defaultNow(),
    validTo: ts("valid_to"),
    name: text("name").notNull(),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => variableCategories.id),
    valueType: text("value_type").$type<ValueType>().notNull(),
    /** Case-sensitive UCUM code, or NULL for code/text/boolean variables. */
    canonicalUnit: text("canonical_unit"),
    validMin: doublePrecision("valid_min"),
    validMax: doublePrecision("valid_max"),
    /** What validation does with a value outside [valid_min, valid_max]. */
    rangeSeverity: text("range_severity").$type<RangeSeverity>().notNull().default("flag"),
    /** g/mol, for mass ↔ molar conversion (UCUM §4.3 "mol" is 6.0221367e23, so g/mol bridges them). */
    molecularWeight: doublePrecision("molecular_weight"),
    isInputFactor: boolean("is_input_factor").notNull(),
    isOutcome: boolean("is_outcome").notNull(),
    combinationOperation: text("combination_operation").$type<CombinationOperation>().notNull(),
    synonyms: text("synonyms").array().notNull().default(sql`'{}'::text[]`),
    description: text("description").notNull().default(""),
    /** Hash of the defining attributes; the seed compares it to decide whether a new version is due. */
    definitionHash: text("definition_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.version] }),
    uniqueIndex("variables_current_key").on(t.id).where(sql`${t.validTo} is null`),
    uniqueIndex("variables_tenant_slug_current_key").on(t.tenantId, t.slug).where(sql`${t.validTo} is null`),
    unique("variables_tenant_slug_version_key").on(t.tenantId, t.slug, t.version),
    index("variables_category_idx").on(t.categoryId),
    index("variables_name_idx").on(t.name, t.id),
    check("variables_value_type_check", sql`${t.valueType} in ('numeric', 'code', 'text', 'boolean')`),
    check("variables_combination_check", sql`${t.combinationOperation} in ('sum', 'mean', 'last', 'max', 'min')`),
    check("variables_range_severity_check", sql`${t.rangeSeverity} in ('log', 'flag', 'reject')`),
    check(
      "variables_range_check",
      sql`${t.validMin} is null or ${t.validMax} is null or ${t.validMin} <= ${t.validMax}`,
    ),
    check("variables_validity_check", sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
    check("variables_unit_check", sql`(${t.valueType} = 'numeric') = (${t.canonicalUnit} is not null)`),
  ],
);

/**
 * Codes that identify a variable in an external code system (LOINC, SNOMED CT, RxNorm …). A code
 * names the variable, not one version of it. Tenants add local lab codes here under their own id.
 */
export const variableCodes = pgTable(
  "variable_codes",
  {
    tenantId: tenantId(),
    system: text("system").notNull(),
    code: text("code").notNull(),
    variableId: uuid("variable_id").notNull(),
    display: text("display"),
    isPreferred: boolean("is_preferred").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.system, t.code] }),
    index("variable_codes_variable_idx").on(t.variableId),
  ],
);

/** UCUM units (https://ucum.org/ucum), as @lhncbc/ucum-lhc parses them. */
export const units = pgTable(
  "units",
  {
    tenantId: tenantId(),
    /** Case-sensitive UCUM code (c/s), the form FHIR Quantity.code uses. */
    code: text("code").notNull(),
    name: text("name").notNull(),
    /** The kind of quantity (UCUM `property`), e.g. "mass concentration". */
    property: text("property"),
    /** ucum-lhc's dimension vector (L, M, T, A, Θ, Q, F, …) as text; NULL for dimensionless. */
    dimension: text("dimension"),
    /** Whether it is one of the common units people send (FHIR `ucum-common` value set). */
    isCommon: boolean("is_common").notNull().default(false),
    /** Whether UCUM defines it as a base unit. */
    isBase: boolean("is_base").notNull().default(false),
    synonyms: text("synonyms").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.code] })],
);

export const SOURCE_KINDS = ["api", "file", "connector", "plugin", "manual"] as const;

/** Where observations come from: an app, an upload, a connector, a plugin. */
export const sources = pgTable(
  "sources",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    clientId: text("client_id"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("sources_tenant_slug_key").on(t.tenantId, t.slug),
    check("sources_kind_check", sql.raw(`kind in (${SOURCE_KINDS.map((k) => `'${k}'`).join(", ")})`)),
  ],
);

/** File life cycle: `stored` once the encrypted bytes are in R2, then as its mapping goes. */
export const FILE_STATUSES = ["stored", "processing", "mapped", "unsupported_format", "failed"] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/**
 * Raw files as uploaded; the bytes live encrypted in R2 under `r2_key` (envelope encryption: the
 * file's data key, wrapped by the owner's key version `key_version`, is `wrapped_key`).
 */
export const files = pgTable(
  "files",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    sourceId: uuid("source_id").references(() => sources.id),
    originalName: text("original_name"),
    contentType: text("content_type"),
    /** The mapper id that detected it (`fhir-r4`, `hl7v2`, …), or `unknown`. */
    format: text("format"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    /** Hex SHA-256 of the plaintext, for de-duplication of re-uploads. */
    sha256: text("sha256").notNull(),
    r2Key: text("r2_key").notNull(),
    /** Version of the user key that wraps this file's data key. */
    keyVersion: integer("key_version").notNull(),
    wrappedKey: text("wrapped_key"),
    status: text("status").$type<FileStatus>().notNull().default("stored"),
    /** The mapper (and version) of the latest mapping run. */
    mapperId: text("mapper_id"),
    mapperVersion: text("mapper_version"),
    /** Column mapping sent with the file (tabular formats). */
    mapping: jsonb("mapping").$type<Record<string, unknown>>(),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
    /**
     * Set (with `deleted_at`) when the tenant's retention sweep removed the original from R2; the
     * observations mapped from it stay (docs/retention.md). A file its owner deleted leaves it null.
     */
    retentionExpiredAt: ts("retention_expired_at"),
  },
  (t) => [
    unique("files_tenant_id_id_key").on(t.tenantId, t.id),
    uniqueIndex("files_user_sha256_key").on(t.tenantId, t.userId, t.sha256).where(sql`${t.deletedAt} is null`),
    index("files_user_created_idx").on(t.tenantId, t.userId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * Each person's key-encryption keys, wrapped by a master key (the `FILES_MASTER_KEYS` secret).
 * Deleting a person's rows here makes every file of theirs unreadable (crypto-shredding).
 */
export const userKeys = pgTable(
  "user_keys",
  {
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    version: integer("version").notNull(),
    /** The user key wrapped by master key `master_key_id` (packages/vault). */
    wrappedKey: text("wrapped_key").notNull(),
    masterKeyId: text("master_key_id").notNull(),
    createdAt: createdAt(),
    rotatedAt: ts("rotated_at"),
  },
  (t) => [
    primaryKey({ name: "user_keys_pkey", columns: [t.tenantId, t.userId, t.version] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** Column mappings a person confirmed for a tabular file layout, reused for files with the same headers. */
export const columnMappings = pgTable(
  "column_mappings",
  {
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    /** `headerSignature()` of the file's header row (packages/mappers csv). */
    signature: text("signature").notNull(),
    headers: jsonb("headers").$type<string[]>().notNull(),
    mapping: jsonb("mapping").$type<Record<string, unknown>>().notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "column_mappings_pkey", columns: [t.tenantId, t.userId, t.signature] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

export const ingestJobs = pgTable(
  "ingest_jobs",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    clientId: text("client_id"),
    sourceId: uuid("source_id").references(() => sources.id),
    fileId: uuid("file_id"),
    kind: text("kind").notNull(),
    status: text("status").$type<JobStatus>().notNull().default("queued"),
    idempotencyKey: text("idempotency_key"),
    /**
     * Who wrote the job, the namespace of its idempotency key (jobs.ts `jobWriter`): the client, and the
     * user acting through it when there is one, so a grantee cannot claim keys another writer used for
     * the same owner. Null on jobs created before migration 0008.
     */
    writer: text("writer"),
    /** Hash of the request body, to tell a replay (same body) from a conflict (RFC draft Idempotency-Key). */
    requestHash: text("request_hash"),
    received: integer("received").notNull().default(0),
    stored: integer("stored").notNull().default(0),
    flagged: integer("flagged").notNull().default(0),
    outliers: integer("outliers").notNull().default(0),
    duplicates: integer("duplicates").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    completedAt: ts("completed_at"),
  },
  (t) => [
    unique("ingest_jobs_tenant_id_id_key").on(t.tenantId, t.id),
    uniqueIndex("ingest_jobs_writer_idempotency_key")
      .on(t.tenantId, t.userId, t.writer, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index("ingest_jobs_user_idx").on(t.tenantId, t.userId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.fileId], foreignColumns: [files.tenantId, files.id] }),
    check("ingest_jobs_status_check", sql.raw(`status in (${JOB_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
  ],
);

export const ingestIssues = pgTable(
  "ingest_issues",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: tenantId(),
    jobId: uuid("job_id").notNull(),
    itemIndex: integer("item_index"),
    /** Where in the source the item was: a line, an HL7 segment, a JSON path. */
    location: text("location"),
    code: text("code").notNull(),
    severity: text("severity").notNull(),
    message: text("message").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("ingest_issues_job_idx").on(t.jobId, t.id),
    foreignKey({ columns: [t.tenantId, t.jobId], foreignColumns: [ingestJobs.tenantId, ingestJobs.id] }).onDelete(
      "cascade",
    ),
    check("ingest_issues_severity_check", sql`${t.severity} in ('info', 'warning', 'error')`),
  ],
);

/**
 * The standardized time series. The primary key is the de-duplication key of the ingestion
 * pipeline and includes `start_at`, which TimescaleDB requires of every unique index on a
 * hypertable (migration 0001 converts the table where the extension exists).
 */
export const observations = pgTable(
  "observations",
  {
    id: uuid("id").notNull(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    variableId: uuid("variable_id").notNull(),
    variableVersion: integer("variable_version").notNull(),
    startAt: ts("start_at").notNull(),
    endAt: ts("end_at"),
    /** Value in the variable's canonical unit. */
    value: doublePrecision("value"),
    valueText: text("value_text"),
    valueCode: text("value_code"),
    valueBoolean: boolean("value_boolean"),
    /** The variable's canonical UCUM unit at `variable_version`. */
    unit: text("unit"),
    originalValue: doublePrecision("original_value"),
    originalUnit: text("original_unit"),
    /**
     * A censored value's comparator (FHIR R4 `Quantity.comparator`: `<`, `<=`, `>=`, `>`): `value` is
     * then the bound, e.g. `<5` mg/L is stored as 5 with `<`. Null for an exact value (issue 15).
     */
    comparator: text("comparator").$type<Comparator>(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id),
    fileId: uuid("file_id"),
    jobId: uuid("job_id"),
    isValid: boolean("is_valid").notNull().default(true),
    isOutlier: boolean("is_outlier").notNull().default(false),
    note: text("note"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({
      name: "observations_pkey",
      columns: [t.tenantId, t.userId, t.variableId, t.startAt, t.sourceId],
    }),
    uniqueIndex("observations_id_key").on(t.id, t.startAt),
    index("observations_user_variable_time_idx").on(t.userId, t.variableId, t.startAt.desc()),
    index("observations_file_idx").on(t.tenantId, t.userId, t.fileId).where(sql`${t.fileId} is not null`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.variableId, t.variableVersion], foreignColumns: [variables.id, variables.version] }),
    check("observations_period_check", sql`${t.endAt} is null or ${t.endAt} >= ${t.startAt}`),
    check(
      "observations_value_check",
      sql`num_nonnulls(${t.value}, ${t.valueText}, ${t.valueCode}, ${t.valueBoolean}) = 1`,
    ),
    check(
      "observations_comparator_check",
      sql.raw(
        `comparator is null or (value is not null and comparator in (${COMPARATORS.map((c) => `'${c}'`).join(", ")}))`,
      ),
    ),
  ],
);

/**
 * Rows of a file job waiting for its commit: a file maps to any number of rows, written here batch by
 * batch, then moved into `observations` in one transaction that also removes the rows of the file's
 * earlier mapping (so a reprocess replaces them atomically). Cleared at the commit and at a retry.
 */
export const ingestStagedRows = pgTable(
  "ingest_staged_rows",
  {
    jobId: uuid("job_id").notNull(),
    seq: integer("seq").notNull(),
    tenantId: tenantId(),
    variableId: uuid("variable_id").notNull(),
    variableVersion: integer("variable_version").notNull(),
    startAt: ts("start_at").notNull(),
    endAt: ts("end_at"),
    value: doublePrecision("value"),
    valueText: text("value_text"),
    valueCode: text("value_code"),
    valueBoolean: boolean("value_boolean"),
    unit: text("unit"),
    originalValue: doublePrecision("original_value"),
    originalUnit: text("original_unit"),
    comparator: text("comparator").$type<Comparator>(),
    sourceId: uuid("source_id").notNull(),
    isValid: boolean("is_valid").notNull(),
    isOutlier: boolean("is_outlier").notNull(),
    note: text("note"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ name: "ingest_staged_rows_pkey", columns: [t.jobId, t.seq] })],
);

/**
 * Hourly rollups of each person's valid observations (UTC hours), maintained in the same transaction
 * as every write and every delete, so summaries over long ranges read one row per hour instead of
 * every minute-level measurement (a year of heart rate: 8,760 rows instead of 525,600). Partial hours
 * at the edges of a query are read from `observations` itself.
 */
export const observationHourly = pgTable(
  "observation_hourly",
  {
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    variableId: uuid("variable_id").notNull(),
    /** The hour's first instant (UTC). */
    hour: ts("hour").notNull(),
    /** Valid observations in the hour (numeric or not). */
    count: integer("count").notNull(),
    /** Of which have a numeric value. */
    valueCount: integer("value_count").notNull(),
    sum: doublePrecision("sum"),
    min: doublePrecision("min"),
    max: doublePrecision("max"),
    /** The hour's latest numeric value (by start_at, then id), for `last` combinations. */
    lastValue: doublePrecision("last_value"),
    lastAt: ts("last_at"),
    lastId: uuid("last_id"),
  },
  (t) => [
    primaryKey({ name: "observation_hourly_pkey", columns: [t.tenantId, t.userId, t.variableId, t.hour] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** Consent grants (filled in by the consent issue; the columns are fixed here). */
export const consents = pgTable(
  "consents",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    /** The data owner who grants. */
    userId: uuid("user_id").notNull(),
    granteeType: text("grantee_type").notNull(),
    granteeId: text("grantee_id").notNull(),
    actions: text("actions").array().notNull(),
    categories: text("categories").array().notNull().default(sql`'{}'::text[]`),
    variableIds: uuid("variable_ids").array().notNull().default(sql`'{}'::uuid[]`),
    dataFrom: ts("data_from"),
    dataTo: ts("data_to"),
    expiresAt: ts("expires_at"),
    purpose: text("purpose"),
    /** SHA-256 of the consent document version the owner accepted (the document is not stored). */
    documentHash: text("document_hash"),
    /** Who created the grant: the owner, their custodian, or the OAuth consent screen (`via`). */
    grantedBy: uuid("granted_by"),
    via: text("via").notNull().default("api"),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    index("consents_owner_idx").on(t.tenantId, t.userId),
    index("consents_grantee_idx").on(t.tenantId, t.granteeType, t.granteeId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("consents_grantee_type_check", sql`${t.granteeType} in ('user', 'client', 'group', 'study', 'plugin')`),
  ],
);

/**
 * Append-only audit trail with a per-tenant hash chain. The chain columns (`seq`, `prev_hash`, `hash`)
 * are set by the database itself (the `audit_log_chain` BEFORE INSERT trigger of migration 0006), never
 * by callers: whatever an insert supplies for them is overwritten. The Workers' role may only SELECT and
 * INSERT here (docs/storage.md, "audit_log").
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: tenantId(),
    occurredAt: ts("occurred_at").notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    actorClientId: text("actor_client_id"),
    subjectUserId: uuid("subject_user_id"),
    action: text("action").notNull(),
    outcome: text("outcome").notNull(),
    resourceType: text("resource_type"),
    resourceId: text("resource_id"),
    ip: text("ip"),
    requestId: text("request_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    /** Position in the tenant's chain (1, 2, …): chain order, which ids (taken before the lock) need not follow. */
    seq: bigint("seq", { mode: "number" }),
    /** The previous entry's `hash`, or 64 zeros for the tenant's first entry. */
    prevHash: text("prev_hash"),
    /** Hex SHA-256 of `prev_hash`, a newline and the entry's canonical form (`auditCanonicalForm`). */
    hash: text("hash"),
  },
  (t) => [
    index("audit_log_tenant_time_idx").on(t.tenantId, t.occurredAt),
    index("audit_log_subject_idx").on(t.tenantId, t.subjectUserId, t.occurredAt),
    uniqueIndex("audit_log_tenant_seq_key").on(t.tenantId, t.seq),
    check("audit_log_outcome_check", sql`${t.outcome} in ('success', 'failure', 'denied')`),
    // NOT NULL in effect, written as a CHECK so drizzle's insert type keeps them optional (the trigger
    // fills them; callers never do). A row that bypassed the trigger is refused.
    check("audit_log_chained_check", sql`${t.seq} is not null and ${t.prevHash} is not null and ${t.hash} is not null`),
  ],
);

/**
 * The head of each tenant's audit hash chain: the last entry's id and hash. The audit insert trigger
 * (migration 0006) locks this row, so entries of one tenant chain in insertion order.
 */
export const auditChainHeads = pgTable("audit_chain_heads", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  lastId: bigint("last_id", { mode: "number" }).notNull(),
  /** The last entry's `seq`: the chain's length. */
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  lastHash: text("last_hash").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Signed checkpoints of a tenant's audit chain: the hash up to an entry, signed with a platform key (JWS). */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: tenantId(),
    lastId: bigint("last_id", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    /** RFC 7515 compact JWS (ES256, a signing key of `signing_keys`) over tenant, last id, hash and time. */
    signature: text("signature").notNull(),
    kid: text("kid").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_checkpoints_tenant_idx").on(t.tenantId, t.lastId)],
);

/**
 * Archived ranges of a tenant's audit chain (docs/retention.md): entries `from_seq`..`upto_seq` were
 * written to `r2_key` in the archive bucket, then deleted. The range ends at a signed checkpoint
 * (`checkpoint_id`, which pins `upto_hash` at entry `upto_id`), so verification starts there. Insert-only
 * for the Workers' role, like the audit log itself.
 */
export const auditArchives = pgTable(
  "audit_archives",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: tenantId(),
    fromSeq: bigint("from_seq", { mode: "number" }).notNull(),
    uptoSeq: bigint("upto_seq", { mode: "number" }).notNull(),
    uptoId: bigint("upto_id", { mode: "number" }).notNull(),
    /** The `prev_hash` of entry `from_seq`: the hash the range continues from. */
    prevHash: text("prev_hash").notNull(),
    uptoHash: text("upto_hash").notNull(),
    checkpointId: bigint("checkpoint_id", { mode: "number" })
      .notNull()
      .references(() => auditCheckpoints.id),
    r2Key: text("r2_key").notNull(),
    entries: integer("entries").notNull(),
    /** Hex SHA-256 of the archive object's bytes. */
    sha256: text("sha256").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("audit_archives_tenant_upto_key").on(t.tenantId, t.uptoSeq),
    check("audit_archives_range_check", sql`${t.fromSeq} >= 1 and ${t.uptoSeq} >= ${t.fromSeq}`),
  ],
);

/**
 * How long a tenant keeps each kind of record, in days; null keeps it for ever (the default: no
 * surprise deletion). Administrators set it with PUT /v1/admin/retention; the exporter Worker's Cron
 * enforces it (docs/retention.md).
 */
export const tenantRetention = pgTable(
  "tenant_retention",
  {
    tenantId: uuid("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Originals of uploaded files (R2); the observations mapped from them stay. */
    rawFilesDays: integer("raw_files_days"),
    /** Raw vendor responses that connectors store under `vendor-responses/<tenant>/` (R2). */
    vendorResponsesDays: integer("vendor_responses_days"),
    /** Ingest job issues (`ingest_issues` rows) of finished jobs. */
    jobIssuesDays: integer("job_issues_days"),
    /** Audit log entries: archived to R2 with their checkpoint, then deleted. */
    accessLogDays: integer("access_log_days"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    updatedBy: uuid("updated_by"),
  },
  (t) => [
    check(
      "tenant_retention_days_check",
      sql`coalesce(${t.rawFilesDays}, 1) >= 1 and coalesce(${t.vendorResponsesDays}, 1) >= 1 and coalesce(${t.jobIssuesDays}, 1) >= 1 and coalesce(${t.accessLogDays}, 1) >= 1`,
    ),
  ],
);

/** Export jobs: what the owner asked for, progress, and the encrypted result in R2. */
export const EXPORT_FORMATS = ["json", "csv", "fhir-ndjson"] as const;
export const EXPORT_STATUSES = ["queued", "processing", "completed", "failed"] as const;
export const dataExports = pgTable(
  "exports",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    /** Who asked (the owner, or their custodian). */
    requestedBy: uuid("requested_by"),
    format: text("format").$type<(typeof EXPORT_FORMATS)[number]>().notNull(),
    /** `{variables?, categories?, from?, to?, sources?}` */
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull().default({}),
    includeFiles: boolean("include_files").notNull().default(false),
    status: text("status").$type<(typeof EXPORT_STATUSES)[number]>().notNull().default("queued"),
    rowsWritten: integer("rows_written").notNull().default(0),
    filesWritten: integer("files_written").notNull().default(0),
    totalRows: integer("total_rows"),
    r2Key: text("r2_key"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    keyVersion: integer("key_version"),
    wrappedKey: text("wrapped_key"),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    completedAt: ts("completed_at"),
    /** The download link stops working at this time. */
    expiresAt: ts("expires_at"),
  },
  (t) => [
    unique("exports_tenant_id_id_key").on(t.tenantId, t.id),
    index("exports_user_idx").on(t.tenantId, t.userId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("exports_format_check", sql.raw(`format in (${EXPORT_FORMATS.map((f) => `'${f}'`).join(", ")})`)),
    check("exports_status_check", sql.raw(`status in (${EXPORT_STATUSES.map((f) => `'${f}'`).join(", ")})`)),
  ],
);

/**
 * The `jti` of every client assertion (RFC 7523 §3 item 7) accepted at the token endpoint, kept until
 * the assertion expires, so a replayed assertion is refused.
 */
export const oauthClientAssertions = pgTable(
  "oauth_client_assertions",
  {
    tenantId: tenantId(),
    clientId: text("client_id").notNull(),
    jti: text("jti").notNull(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "oauth_client_assertions_pkey", columns: [t.clientId, t.jti] }),
    index("oauth_client_assertions_expires_idx").on(t.expiresAt),
  ],
);

/**
 * FHIR Bulk Data exports (`$export`, docs/fhir.md): who started it (the client, and the person when a
 * person's token did), whose records it covers (`participants`: the decisions of their Durable Objects
 * at kick-off, with the grants that allowed them, checked again when the exporter runs), and the NDJSON
 * files written (encrypted, one object per resource type).
 */
export const BULK_EXPORT_STATUSES = ["queued", "processing", "completed", "failed", "cancelled"] as const;
export const bulkExports = pgTable(
  "bulk_exports",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    /** The OAuth client whose token started it: only that client reads its status and files. */
    clientId: text("client_id").notNull(),
    /** The person whose token started it (null: a client acting for itself). */
    requestedBy: uuid("requested_by"),
    /** A study's Group export: Patients under the study's pseudonyms. */
    studyId: uuid("study_id"),
    /** The kick-off request's URL (the manifest's `request`). */
    request: text("request").notNull(),
    types: text("types").array().notNull(),
    since: ts("since"),
    /** `[{user_id, subject_id, grant_ids, scope}]`: scope "all" for the person themselves. */
    participants: jsonb("participants").$type<Array<Record<string, unknown>>>().notNull(),
    status: text("status").$type<(typeof BULK_EXPORT_STATUSES)[number]>().notNull().default("queued"),
    /** Participants written so far (the `X-Progress` of the status answer). */
    done: integer("done").notNull().default(0),
    /** `[{type, key, count, size}]`, one per type, when completed. */
    output: jsonb("output").$type<Array<Record<string, unknown>>>().notNull().default([]),
    /** The files' data key, wrapped by the master key and bound to this export. */
    wrappedKey: text("wrapped_key"),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /** The manifest's `transactionTime`: the data is as of this instant. */
    transactionTime: ts("transaction_time").notNull(),
    completedAt: ts("completed_at"),
    expiresAt: ts("expires_at"),
  },
  (t) => [
    unique("bulk_exports_tenant_id_id_key").on(t.tenantId, t.id),
    index("bulk_exports_client_idx").on(t.tenantId, t.clientId, t.createdAt),
    check("bulk_exports_status_check", sql.raw(`status in (${BULK_EXPORT_STATUSES.map((f) => `'${f}'`).join(", ")})`)),
  ],
);

/** Research studies: consent grants name a study; its researchers query under per-study pseudonyms. */
export const studies = pgTable(
  "studies",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("studies_tenant_slug_key").on(t.tenantId, t.slug),
    unique("studies_tenant_id_id_key").on(t.tenantId, t.id),
  ],
);

/** Who works on a study (researchers). */
export const studyMembers = pgTable(
  "study_members",
  {
    tenantId: tenantId(),
    studyId: uuid("study_id").notNull(),
    userId: uuid("user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "study_members_pkey", columns: [t.tenantId, t.studyId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.studyId], foreignColumns: [studies.tenantId, studies.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** A participant's pseudonym in one study: the only subject id researchers ever see. */
export const studySubjects = pgTable(
  "study_subjects",
  {
    tenantId: tenantId(),
    studyId: uuid("study_id").notNull(),
    userId: uuid("user_id").notNull(),
    /** Random, per study: the same person has unrelated ids in two studies. */
    subjectId: uuid("subject_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "study_subjects_pkey", columns: [t.tenantId, t.studyId, t.userId] }),
    uniqueIndex("study_subjects_subject_key").on(t.subjectId),
    foreignKey({ columns: [t.tenantId, t.studyId], foreignColumns: [studies.tenantId, studies.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** Groups of users (a care team) that a consent grant can name. */
export const userGroups = pgTable(
  "user_groups",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique("user_groups_tenant_id_id_key").on(t.tenantId, t.id)],
);

export const userGroupMembers = pgTable(
  "user_group_members",
  {
    tenantId: tenantId(),
    groupId: uuid("group_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "user_group_members_pkey", columns: [t.tenantId, t.groupId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.groupId], foreignColumns: [userGroups.tenantId, userGroups.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** A data custodian (parent, guardian) linked to a dependent: acts for them as the owner would. */
export const custodianLinks = pgTable(
  "custodian_links",
  {
    tenantId: tenantId(),
    custodianId: uuid("custodian_id").notNull(),
    dependentId: uuid("dependent_id").notNull(),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    primaryKey({ name: "custodian_links_pkey", columns: [t.tenantId, t.custodianId, t.dependentId] }),
    foreignKey({ columns: [t.tenantId, t.custodianId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.tenantId, t.dependentId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      "cascade",
    ),
    check("custodian_links_not_self", sql`${t.custodianId} <> ${t.dependentId}`),
  ],
);

/**
 * Plugins registered in a tenant (issue 14, docs/plugins.md). `slug` is the plugin's own id (as in
 * `/v1/admin/plugins/{id}` and in grants to it); `manifest` is what its `describe()` answered when it was
 * registered (validated by @dfda/plugins' `PluginManifest`), asked again on every re-registration, so
 * `version` always names the code that answers. A plugin is reached by a service binding of the calling
 * Worker (`service_binding`) or over HTTPS (`url`, requests signed by the platform), never both. Only
 * enabled plugins are listed to people or called.
 */
export const plugins = pgTable(
  "plugins",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    version: text("version").notNull(),
    /** Name of the service binding through which the platform calls the plugin's WorkerEntrypoint. */
    serviceBinding: text("service_binding"),
    /** The plugin's HTTPS base URL, for plugins hosted elsewhere. */
    url: text("url"),
    manifest: jsonb("manifest").$type<Record<string, unknown>>().notNull().default({}),
    enabled: boolean("enabled").notNull().default(true),
    registeredBy: uuid("registered_by"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    unique("plugins_tenant_slug_key").on(t.tenantId, t.slug),
    check("plugins_kind_check", sql`${t.kind} in ('mapper', 'connector', 'analysis', 'visualization')`),
    check("plugins_endpoint_check", sql`(${t.serviceBinding} is null) <> (${t.url} is null)`),
  ],
);

/**
 * A connection's life (issue 13, docs/connectors.md): `active` (synced on schedule), `syncing` (a sync
 * is queued or running), `needs_reauth` (the vendor refused the tokens even after a refresh: the person
 * connects again), `paused` (by the person), `error` (the last sync failed for good; the next scheduled
 * one tries again).
 */
export const CONNECTION_STATUSES = ["active", "syncing", "needs_reauth", "paused", "error"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * A person's link to a vendor account (a wearable, a CGM …), synced by workers/connectors. The vendor
 * tokens are sealed with the connection's data key (`wrapped_key`, wrapped by the person's key of
 * version `key_version`, bound to `connection:<id>`, packages/vault), which also seals the raw vendor
 * responses kept in R2: deleting the person's keys crypto-shreds both.
 */
export const connectorConnections = pgTable(
  "connector_connections",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    connector: text("connector").notNull(),
    status: text("status").$type<ConnectionStatus>().notNull().default("syncing"),
    externalUserId: text("external_user_id"),
    /** Vendor tokens (JSON), sealed with the connection's data key: base64url of the vault's stream format. */
    encryptedTokens: text("encrypted_tokens"),
    wrappedKey: text("wrapped_key"),
    keyVersion: integer("key_version"),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    /** Per vendor endpoint, the latest time fully imported (the next sync starts there, minus an overlap). */
    syncCursor: jsonb("sync_cursor").$type<Record<string, string>>(),
    lastSyncAt: ts("last_sync_at"),
    nextSyncAt: ts("next_sync_at"),
    /** The last error, in words the person understands (never a token or a vendor payload). */
    error: text("error"),
    /** Observations stored through this connection (duplicates of stored ones are not counted). */
    importedCount: bigint("imported_count", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    unique("connector_connections_user_connector_key").on(t.tenantId, t.userId, t.connector),
    index("connector_connections_due_idx").on(t.nextSyncAt),
    // A vendor's push notification names its own user id, in any tenant (connectionsOfVendorUser).
    index("connector_connections_vendor_user_idx")
      .on(t.connector, t.externalUserId)
      .where(sql`${t.externalUserId} is not null`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check(
      "connector_connections_status_check",
      sql.raw(`status in (${CONNECTION_STATUSES.map((s) => `'${s}'`).join(", ")})`),
    ),
  ],
);

/**
 * The `state` of a vendor authorization request (RFC 6749 §10.12, CSRF): bound to the person, the
 * tenant and the connector, single use (deleted when the callback consumes it), expiring after minutes.
 * Only its SHA-256 is stored. `code_verifier` is the PKCE verifier (RFC 7636) for vendors that take one.
 */
export const connectorOauthStates = pgTable(
  "connector_oauth_states",
  {
    stateHash: text("state_hash").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    connector: text("connector").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    codeVerifier: text("code_verifier"),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("connector_oauth_states_expires_idx").on(t.expiresAt),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

// ---------------------------------------------------------------------------------------------------
// Identity and access (OAuth 2.0 / OpenID Connect authorization server). Secrets are never stored:
// codes, refresh tokens, session ids, e-mail tokens and recovery codes are kept as SHA-256 hashes;
// TOTP secrets and signing keys are sealed (AES-256-GCM) with a master key held as a Worker secret.
// ---------------------------------------------------------------------------------------------------

/** Token-signing keys. JWKS publishes `current` and `previous`; a `retired` key verifies nothing. */
export const signingKeys = pgTable(
  "signing_keys",
  {
    kid: text("kid").primaryKey(),
    tenantId: tenantId(),
    alg: text("alg").notNull(),
    publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>().notNull(),
    privateKeySealed: text("private_key_sealed").notNull(),
    status: text("status").notNull(),
    createdAt: createdAt(),
    retiredAt: ts("retired_at"),
  },
  (t) => [
    uniqueIndex("signing_keys_one_current").on(t.tenantId).where(sql`${t.status} = 'current'`),
    check("signing_keys_status_check", sql`${t.status} in ('current', 'previous', 'retired')`),
  ],
);

/** Browser sessions at the authorization server (login pages, consent screen). */
export const authSessions = pgTable(
  "auth_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    /** OpenID Connect `auth_time` and `amr` (RFC 8176: `pwd`, `otp`). */
    authTime: ts("auth_time").notNull(),
    amr: text("amr").array().notNull(),
    /** Password accepted but a second factor still due: the session may only finish MFA. */
    mfaPending: boolean("mfa_pending").notNull().default(false),
    csrfToken: text("csrf_token").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    index("auth_sessions_user_idx").on(t.tenantId, t.userId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** RFC 6749 §4.1.2 authorization codes: single use, short-lived, bound to client, redirect URI and PKCE. */
export const oauthAuthorizationCodes = pgTable(
  "oauth_authorization_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    tenantId: tenantId(),
    clientId: text("client_id").notNull(),
    userId: uuid("user_id").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    scopes: text("scopes").array().notNull(),
    codeChallenge: text("code_challenge"),
    nonce: text("nonce"),
    authTime: ts("auth_time").notNull(),
    amr: text("amr").array().notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    consumedAt: ts("consumed_at"),
    /** The refresh-token family issued from this code, revoked if the code is replayed (RFC 6749 §4.1.2). */
    familyId: uuid("family_id"),
    /** The access token issued from this code, revoked with the family on a replay (RFC 6749 §4.1.2). */
    accessTokenJti: text("access_token_jti"),
    accessTokenExpiresAt: ts("access_token_expires_at"),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * Refresh tokens, rotated on every use (OAuth 2.0 Security BCP, RFC 9700 §4.14.2): each use marks the
 * token `rotated_at` and issues a successor in the same family; presenting a rotated token again is
 * reuse, and revokes the whole family.
 */
export const oauthRefreshTokens = pgTable(
  "oauth_refresh_tokens",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    tokenHash: text("token_hash").notNull().unique(),
    familyId: uuid("family_id").notNull(),
    clientId: text("client_id").notNull(),
    userId: uuid("user_id").notNull(),
    scopes: text("scopes").array().notNull(),
    /** The original sign-in's time and methods (RFC 8176), kept through every rotation: a refresh is not a sign-in. */
    authTime: ts("auth_time").notNull(),
    amr: text("amr").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    rotatedAt: ts("rotated_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    index("oauth_refresh_tokens_family_idx").on(t.familyId),
    index("oauth_refresh_tokens_user_client_idx").on(t.tenantId, t.userId, t.clientId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** What a user approved for a client on the consent screen; listed for the user, revocable. */
export const oauthGrants = pgTable(
  "oauth_grants",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    clientId: text("client_id").notNull(),
    scopes: text("scopes").array().notNull(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    uniqueIndex("oauth_grants_user_client_key").on(t.tenantId, t.userId, t.clientId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/** Access tokens (JWTs) revoked before expiry (RFC 7009), by `jti`; rows past `expires_at` can go. */
export const revokedAccessTokens = pgTable("revoked_access_tokens", {
  jti: text("jti").primaryKey(),
  tenantId: tenantId(),
  expiresAt: ts("expires_at").notNull(),
  revokedAt: ts("revoked_at").notNull().defaultNow(),
});

/** RFC 6238 TOTP enrolment; `last_used_step` stops a code being replayed. */
export const mfaTotp = pgTable(
  "mfa_totp",
  {
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    secretSealed: text("secret_sealed").notNull(),
    confirmedAt: ts("confirmed_at"),
    lastUsedStep: bigint("last_used_step", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

export const mfaRecoveryCodes = pgTable(
  "mfa_recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    createdAt: createdAt(),
    usedAt: ts("used_at"),
  },
  (t) => [
    index("mfa_recovery_codes_user_idx").on(t.tenantId, t.userId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * Failed-attempt counters with exponential backoff (OWASP Authentication Cheat Sheet, "Account
 * lockout"; ASVS V2.2.1): `kind` is `password` or `second_factor`, `scope` is what the counter is per
 * (`ip:<address>` for one address's failures against the account, `account` for the ceiling over
 * every address). At `threshold` failures the counter locks until `locked_until`, each lock twice as
 * long as the previous (`lockouts`), capped; a success deletes it. docs/identity.md has the policies.
 */
export const authThrottles = pgTable(
  "auth_throttles",
  {
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    kind: text("kind").notNull(),
    scope: text("scope").notNull(),
    failures: integer("failures").notNull().default(0),
    lockouts: integer("lockouts").notNull().default(0),
    lockedUntil: ts("locked_until"),
    lastAttemptAt: ts("last_attempt_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.kind, t.scope] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("auth_throttles_kind_check", sql`${t.kind} in ('password', 'second_factor')`),
  ],
);

/** Single-use e-mail links: address verification and password reset. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    purpose: text("purpose").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("email_tokens_purpose_check", sql`${t.purpose} in ('verify_email', 'reset_password')`),
  ],
);

/** Messages for a mail plugin to send (transactional outbox); nothing is sent from the request path. */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    kind: text("kind").notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [index("outbox_unsent_idx").on(t.createdAt).where(sql`${t.sentAt} is null`)],
);

export const ANALYSIS_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

/**
 * An analysis run by a plugin for one person (issue 14): `POST /v1/analyses` queues it, the analysis
 * Worker runs it. The result is stored with the plugin version and the data window it saw; with
 * `recompute` set, the Cron sweep runs it again once newer data has arrived (`data_through` is the
 * newest observation time the last run saw). Erasing the person removes their analyses (cascade).
 */
export const analyses = pgTable(
  "analyses",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    /** The person whose data is analysed. */
    userId: uuid("user_id").notNull(),
    /** Who asked: the person, or the client acting for them. */
    requestedByUser: uuid("requested_by_user"),
    requestedByClient: text("requested_by_client"),
    pluginId: text("plugin_id").notNull(),
    pluginVersion: text("plugin_version"),
    input: jsonb("input").$type<unknown>().notNull(),
    status: text("status").$type<AnalysisStatus>().notNull().default("queued"),
    /** 0–1, reported while running. */
    progress: doublePrecision("progress").notNull().default(0),
    result: jsonb("result").$type<unknown>(),
    /** A problem+json object (RFC 9457) when the run failed. */
    problem: jsonb("problem").$type<Record<string, unknown>>(),
    dataFrom: ts("data_from"),
    dataTo: ts("data_to"),
    dataThrough: ts("data_through"),
    recompute: boolean("recompute").notNull().default(false),
    runs: integer("runs").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    index("analyses_owner_idx").on(t.tenantId, t.userId, t.createdAt),
    index("analyses_recompute_idx").on(t.tenantId, t.pluginId).where(sql`${t.recompute}`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("analyses_status_check", sql.raw(`status in (${ANALYSIS_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
  ],
);

export const UPLOAD_STATUSES = ["open", "completed", "aborted", "expired"] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export const DEVICE_CODE_STATUSES = ["pending", "approved", "denied", "consumed"] as const;
export type DeviceCodeStatus = (typeof DEVICE_CODE_STATUSES)[number];

/**
 * Observations named only by a local code no mapping resolves yet (issue 15): an HL7 v2 OBX-3 with an
 * empty coding system, a C-CDA or FHIR code from a sender's own system. Held here rather than rejected;
 * `GET /v1/admin/unmapped-codes` lists them per `{system, code}` with counts, and adding a mapping
 * (`PUT /v1/admin/code-mappings`) moves them into `observations` through the owner's writer.
 * `observation` is the item as `ObservationInput` would carry it, without `variable` (and with the
 * file location); erasure removes them with the person (cascade) and with their file.
 */
export const pendingObservations = pgTable(
  "pending_observations",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    /** The local coding system (derived from the sender where the file names none) and code. */
    system: text("system").notNull(),
    code: text("code").notNull(),
    display: text("display"),
    observation: jsonb("observation").$type<Record<string, unknown>>().notNull(),
    sourceId: uuid("source_id").notNull(),
    fileId: uuid("file_id"),
    jobId: uuid("job_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("pending_observations_code_idx").on(t.tenantId, t.system, t.code),
    index("pending_observations_owner_idx").on(t.tenantId, t.userId),
    index("pending_observations_file_idx").on(t.fileId).where(sql`${t.fileId} is not null`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * Resumable uploads (tus 1.0, issue 15): a file sent over several requests, resumed from `offset`
 * after a network drop, stored encrypted in R2 (multipart) and completed into `files` with the same
 * de-duplication and mapping as a single-request upload. `state` holds the multipart upload's parts
 * and the encryption stream's position; `expires_at` lets the sweep abort abandoned uploads.
 */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    /** Who created it: the person, or the client acting for them. */
    actorUserId: uuid("actor_user_id"),
    clientId: text("client_id"),
    /** Declared total size (tus `Upload-Length`). */
    length: bigint("length", { mode: "number" }).notNull(),
    /** Bytes received and durably stored (tus `Upload-Offset`). */
    offset: bigint("offset", { mode: "number" }).notNull().default(0),
    fileName: text("file_name"),
    contentType: text("content_type"),
    /** tus `Upload-Metadata`, decoded, and the upload's options (mapping, timezone, source). */
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    r2Key: text("r2_key").notNull(),
    r2UploadId: text("r2_upload_id"),
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: text("status").$type<UploadStatus>().notNull().default("open"),
    /** The `files` row created when it completed. */
    fileId: uuid("file_id"),
    jobId: uuid("job_id"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    index("uploads_owner_idx").on(t.tenantId, t.userId, t.createdAt),
    index("uploads_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'open'`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("uploads_status_check", sql.raw(`status in (${UPLOAD_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    check("uploads_offset_check", sql`${t.offset} >= 0 and ${t.offset} <= ${t.length}`),
  ],
);

/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628, issue 16): `dfda login` on a headless machine. The
 * device code is stored only as a hash; the user code is what the person types at the verification
 * page (normalised: upper case, no dash). `slow_down` is enforced from `last_polled_at` (§3.5).
 */
export const oauthDeviceCodes = pgTable(
  "oauth_device_codes",
  {
    deviceCodeHash: text("device_code_hash").primaryKey(),
    userCode: text("user_code").notNull(),
    tenantId: tenantId(),
    clientId: text("client_id").notNull(),
    scopes: text("scopes").array().notNull(),
    status: text("status").$type<DeviceCodeStatus>().notNull().default("pending"),
    /** Set when the person approves. */
    userId: uuid("user_id"),
    authTime: ts("auth_time"),
    amr: text("amr").array(),
    intervalSeconds: integer("interval_seconds").notNull().default(5),
    lastPolledAt: ts("last_polled_at"),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("oauth_device_codes_user_code_key").on(t.tenantId, t.userCode),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check(
      "oauth_device_codes_status_check",
      sql.raw(`status in (${DEVICE_CODE_STATUSES.map((s) => `'${s}'`).join(", ")})`),
    ),
  ],
);

// ---- Webhooks and owner notices (issue 18, docs/webhooks.md) ----------------------------------------

/** What a subscriber may subscribe to (docs/webhooks.md lists each event's `data`). */
export const WEBHOOK_EVENT_TYPES = [
  "job.completed",
  "data.rejected",
  "observations.created",
  "export.ready",
  "connection.needs_reauth",
  "consent.granted",
  "consent.revoked",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed", "skipped"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * A subscription (`POST /v1/webhooks`): an OAuth client's, acting for itself (`user_id` null), or a
 * person's through a client (`user_id` set; only events about that person's own data can match). The
 * signing secret is sealed with the master key (AAD `webhook-secret:<id>`); after a rotation the previous
 * one stays valid until `previous_secret_expires_at`, and both signatures are sent meanwhile.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    clientId: text("client_id").notNull(),
    userId: uuid("user_id"),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events").array().$type<WebhookEventType[]>().notNull(),
    /** Optional narrowing: only events about these variables / this connection. */
    variableIds: uuid("variable_ids").array().notNull().default(sql`'{}'::uuid[]`),
    connectionIds: uuid("connection_ids").array().notNull().default(sql`'{}'::uuid[]`),
    enabled: boolean("enabled").notNull().default(true),
    /** Why the platform disabled it (`failing`), null when the subscriber did or it is enabled. */
    disabledReason: text("disabled_reason"),
    sealedSecret: text("sealed_secret").notNull(),
    sealedPreviousSecret: text("sealed_previous_secret"),
    previousSecretExpiresAt: ts("previous_secret_expires_at"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("webhook_endpoints_owner_idx").on(t.tenantId, t.clientId, t.userId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * The outbox of events (transactional: written in the transaction of what it describes where there is
 * one). The webhooks Worker's Cron fans each unrelayed event out to the matching endpoints and sets
 * `relayed_at`. `user_id` is whose data the event is about; the consent check at delivery asks about them.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    type: text("type").$type<WebhookEventType>().notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    /** What filters match on, and what the consent check asks about. */
    variableIds: uuid("variable_ids").array().notNull().default(sql`'{}'::uuid[]`),
    connectionId: uuid("connection_id"),
    /** A consent event: the grant, delivered to its grantee whatever the grant now opens. */
    consentId: uuid("consent_id"),
    occurredAt: ts("occurred_at").notNull(),
    relayedAt: ts("relayed_at"),
  },
  (t) => [
    index("webhook_events_unrelayed_idx").on(t.occurredAt).where(sql`${t.relayedAt} is null`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("webhook_events_type_check", sql.raw(`type in (${WEBHOOK_EVENT_TYPES.map((s) => `'${s}'`).join(", ")})`)),
  ],
);

/**
 * One event for one endpoint (or a replay of one: `replay_of`). `queued_at` null: not yet handed to the
 * queue (the Cron sends it). Retried until delivered, skipped (consent), or failed after a day.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    replayOf: uuid("replay_of"),
    status: text("status").$type<WebhookDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    queuedAt: ts("queued_at"),
    firstAttemptAt: ts("first_attempt_at"),
    lastAttemptAt: ts("last_attempt_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_unqueued_idx").on(t.createdAt).where(sql`${t.queuedAt} is null`),
    uniqueIndex("webhook_deliveries_once_key").on(t.endpointId, t.eventId).where(sql`${t.replayOf} is null`),
    check(
      "webhook_deliveries_status_check",
      sql.raw(`status in (${WEBHOOK_DELIVERY_STATUSES.map((s) => `'${s}'`).join(", ")})`),
    ),
  ],
);

/** Each HTTP attempt of a delivery: the delivery log a subscriber reads. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid("id").primaryKey(),
    /** The delivery's tenant: every table carries one, so a tenant's rows can be found and erased alone. */
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: ts("attempted_at").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt)],
);

export const NOTICE_KINDS = ["data_rejected", "connection_problem", "webhook_disabled"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What the platform tells a person in their own channel (`GET /v1/me/notices`, and e-mail through `outbox`). */
export const ownerNotices = pgTable(
  "owner_notices",
  {
    id: uuid("id").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    kind: text("kind").$type<NoticeKind>().notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    readAt: ts("read_at"),
  },
  (t) => [
    index("owner_notices_owner_idx").on(t.tenantId, t.userId, t.id),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete("cascade"),
    check("owner_notices_kind_check", sql.raw(`kind in (${NOTICE_KINDS.map((s) => `'${s}'`).join(", ")})`)),
  ],
);
