/**
 * Example values the OpenAPI document shows for requests and responses (the `example` of a media type
 * or a parameter, OpenAPI 3.1.0 §4.8.14): one consistent story (a person's heart rate, a CSV upload, a
 * sharing grant) so the reference reads like a session. test/node/openapi-examples.test.ts checks that
 * every operation has them and that each validates against its schema.
 */
import { ApiError, type ErrorCode, type FieldError, type ProblemDetails, toProblem } from "@dfda/core";

/** Identifiers used across examples, so a job's id in one example is the one another follows. */
export const EXAMPLE_IDS = {
  user: "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
  otherUser: "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
  variable: "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
  job: "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
  file: "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
  export: "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
  consent: "0193a0c4-5e6f-7a7b-9c8d-9e0f1a2b3c45",
  group: "0193a0c5-6f7a-7b8c-8d9e-0f1a2b3c4d56",
  study: "0193a0c6-7a8b-7c9d-9e0f-1a2b3c4d5e67",
  connection: "0193a0c7-8b9c-7d0e-8f1a-2b3c4d5e6f78",
  analysis: "0193a0c8-9c0d-7e1f-9a2b-3c4d5e6f7a89",
  plugin: "0193a0c9-0d1e-7f2a-8b3c-4d5e6f7a8b90",
  tenant: "0193a0ca-1e2f-7a3b-9c4d-5e6f7a8b9c01",
  category: "0193a0cb-2f3a-7b4c-8d5e-6f7a8b9c0d12",
  webhook: "0193a0cc-3a4b-7c5d-9e6f-7a8b9c0d1e23",
  webhookDelivery: "0193a0cd-4b5c-7d6e-8f7a-8b9c0d1e2f34",
  webhookEvent: "0193a0ce-5c6d-7e7f-9a8b-9c0d1e2f3a45",
  notice: "0193a0cf-6d7e-7f8a-8b9c-0d1e2f3a4b56",
} as const;

export const EXAMPLE_ORIGIN = "http://127.0.0.1:8787";
export const EXAMPLE_TIME = "2026-12-06T08:30:00.000Z";
export const EXAMPLE_LATER = "2026-12-06T08:30:04.000Z";

/** A variable as `GET /v1/variables` lists it. */
export const exampleVariable = {
  id: EXAMPLE_IDS.variable,
  version: 1,
  slug: "heart-rate",
  name: "Heart rate",
  category: "vital_signs",
  value_type: "numeric",
  canonical_unit: "/min",
  valid_min: 20,
  valid_max: 300,
  range_severity: "flag",
  molecular_weight: null,
  is_input_factor: false,
  is_outcome: true,
  combination_operation: "mean",
  synonyms: ["pulse", "HR"],
  description: "Number of heartbeats per minute.",
  codes: [{ system: "http://loinc.org", code: "8867-4", display: "Heart rate", preferred: true }],
  valid_from: "2025-01-01T00:00:00.000Z",
  valid_to: null,
  scope: "platform",
} as const;

/** A stored file as `GET /v1/files/{id}` answers it. */
export const exampleFile = {
  id: EXAMPLE_IDS.file,
  name: "heart-rate.csv",
  content_type: "text/csv",
  format: "csv",
  size_bytes: 2048,
  sha256: "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
  status: "mapped",
  mapper: { id: "csv", version: "1.0.0" },
  key_version: 1,
  error: null,
  created_at: EXAMPLE_TIME,
  updated_at: EXAMPLE_LATER,
  content_url: `${EXAMPLE_ORIGIN}/v1/files/${EXAMPLE_IDS.file}/content`,
} as const;

/** The reply to an upload or a batch: the job to follow. */
export const exampleJobUrl = `${EXAMPLE_ORIGIN}/v1/ingest/jobs/${EXAMPLE_IDS.job}`;

/** The request id every example problem carries (each real answer has its own, also in `X-Request-Id`). */
export const EXAMPLE_REQUEST_ID = "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11";

/**
 * A problem as the API answers it (RFC 9457), made by the same `toProblem` the error handler uses, so
 * `type`, `title` and `status` are the ones the code's catalog entry gives (packages/core/src/errors.ts).
 *
 * @example
 * exampleProblem("not_found", { detail: "No such file." })
 */
export function exampleProblem(
  code: ErrorCode,
  options: { detail?: string; errors?: FieldError[]; extensions?: Record<string, unknown> } = {},
): ProblemDetails {
  return exampleProblemOf(new ApiError(code, options));
}

/** The problem an error the code throws becomes (rateLimitedError("token"), …). */
export function exampleProblemOf(error: ApiError): ProblemDetails {
  return toProblem(error, { baseUrl: EXAMPLE_ORIGIN, requestId: EXAMPLE_REQUEST_ID });
}

/** The person's consent grant to their cardiologist (`GET /v1/consents/{id}`). */
export const exampleConsent = {
  id: EXAMPLE_IDS.consent,
  owner_id: EXAMPLE_IDS.user,
  grantee: { type: "user", id: EXAMPLE_IDS.otherUser },
  actions: ["read"],
  scope: { categories: ["vital_signs"], variable_ids: [] },
  data_window: { from: "2026-01-01T00:00:00.000Z", to: null },
  expires_at: "2027-12-31T00:00:00.000Z",
  purpose: "My cardiologist follows my resting heart rate.",
  document_hash: null,
  status: "active",
  granted_by: EXAMPLE_IDS.user,
  via: "api",
  created_at: EXAMPLE_TIME,
  revoked_at: null,
} as const;

/** The filters of the example export: vital signs since January. */
export const exampleExportFilters = { categories: ["vital_signs"], from: "2026-01-01T00:00:00Z" } as const;

/** A completed FHIR NDJSON export of the person's vital signs (`GET /v1/me/exports/{id}`). */
export const exampleExport = {
  id: EXAMPLE_IDS.export,
  status: "completed",
  format: "fhir-ndjson",
  include_files: false,
  filters: exampleExportFilters,
  progress: { rows_written: 1440, total_rows: 1440, files_written: 0 },
  content_type: "application/fhir+ndjson",
  size_bytes: 524288,
  error: null,
  created_at: EXAMPLE_TIME,
  updated_at: EXAMPLE_LATER,
  completed_at: EXAMPLE_LATER,
  expires_at: "2026-12-13T08:30:04.000Z",
  download_url: `${EXAMPLE_ORIGIN}/v1/me/exports/${EXAMPLE_IDS.export}/download?token=eyJhbGciOiJFUzI1NiJ9.e30.sig`,
  requested_by: EXAMPLE_IDS.user,
} as const;

/** One heart-rate reading as `GET /v1/observations` lists it (LOINC 8867-4, UCUM `/min`). */
export const exampleObservation = {
  id: "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
  variable: { id: EXAMPLE_IDS.variable, version: 1, slug: "heart-rate", name: "Heart rate", category: "vital_signs" },
  start_at: "2026-12-06T07:00:00.000Z",
  end_at: null,
  value: 62,
  comparator: null,
  value_code: null,
  value_text: null,
  value_boolean: null,
  unit: "/min",
  original: { value: 62, unit: "/min" },
  source: "manual",
  flags: { valid: true, outlier: false },
  note: null,
  job_id: EXAMPLE_IDS.job,
  file_id: null,
  created_at: EXAMPLE_LATER,
} as const;

/** A page of the sign-in flow: a title and its form (the real pages carry styles and more fields). */
export function exampleHtml(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

/** The example app's registered redirect (a loopback redirect of a native app, RFC 8252 §7.3). */
export const EXAMPLE_REDIRECT_URI = "http://127.0.0.1:53682/callback";
/** The example app's client id. */
export const EXAMPLE_CLIENT_ID = "dfda-cli";
/** An OAuth `state` (RFC 6749 §10.12) and the authorization request the sign-in pages carry in `return_to`. */
export const EXAMPLE_STATE = "af0ifjsldkj";
export const EXAMPLE_RETURN_TO = `/oauth/authorize?response_type=code&client_id=${EXAMPLE_CLIENT_ID}&redirect_uri=${encodeURIComponent(
  EXAMPLE_REDIRECT_URI,
)}&scope=openid%20observations%3Aread&state=${EXAMPLE_STATE}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`;
/** A form's CSRF token. */
export const EXAMPLE_CSRF = "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0";

/** An access token (a JWT, RFC 9068: header and claims shortened) and a refresh token, as the token endpoint issues them. */
export const EXAMPLE_ACCESS_TOKEN =
  "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIwMTkzYTBiNC02ZDFlLTdjMmEtOWYzYi0yYTRjNmU4ZjBhMTEifQ.MEUCIQDx";
export const EXAMPLE_REFRESH_TOKEN = "rt_4Gq8Lm2Np6Rs0Tv3Wx7Yz1Ab5Cd9Ef2Gh6Ij0Kl4Mn8";

/**
 * The example observation as each export format writes it (workers/exporter/src/formats.ts): one FHIR
 * R4 Observation per line (LOINC 8867-4 and UCUM `/min`), an RFC 4180 CSV record (`status` `stored`)
 * under its header, and the JSON document (no pending values).
 */
export const exampleExportFiles = {
  "fhir-ndjson": `${JSON.stringify({
    resourceType: "Observation",
    id: exampleObservation.id,
    extension: [{ url: `${EXAMPLE_ORIGIN}/fhir/StructureDefinition/observation-source`, valueString: "manual" }],
    status: "final",
    category: [
      {
        coding: [
          {
            system: "http://terminology.hl7.org/CodeSystem/observation-category",
            code: "vital-signs",
            display: "Vital Signs",
          },
        ],
      },
      { coding: [{ system: `${EXAMPLE_ORIGIN}/fhir/CodeSystem/variable-category`, code: "vital_signs" }] },
    ],
    code: {
      coding: [
        { system: "http://loinc.org", code: "8867-4", display: "Heart rate" },
        { system: `${EXAMPLE_ORIGIN}/fhir/CodeSystem/variable`, code: "heart-rate", display: "Heart rate" },
      ],
      text: "Heart rate",
    },
    subject: { reference: `Patient/${EXAMPLE_IDS.user}` },
    effectiveDateTime: "2026-12-06T07:00:00Z",
    issued: "2026-12-06T08:30:04Z",
    valueQuantity: { value: 62, unit: "/min", system: "http://unitsofmeasure.org", code: "/min" },
  })}\n`,
  csv:
    "id,start_at,end_at,variable,variable_name,category,value_type,value,comparator,unit,original_value,original_unit,source,is_valid,is_outlier,note,file_id,status,code_system,code,code_display\r\n" +
    `${exampleObservation.id},2026-12-06T07:00:00Z,,heart-rate,Heart rate,vital_signs,numeric,62,,/min,62,/min,manual,true,false,,,stored,,,\r\n`,
  json: {
    export: {
      id: EXAMPLE_IDS.export,
      format: "json",
      exported_at: EXAMPLE_LATER,
      filters: exampleExportFilters,
    },
    person: { id: EXAMPLE_IDS.user },
    observations: [
      {
        ...exampleObservation,
        start_at: "2026-12-06T07:00:00Z",
        value_type: "numeric",
        created_at: "2026-12-06T08:30:04Z",
      },
    ],
    // Values held under a local code no mapping resolves yet; the array is there even when empty.
    pending: [],
  },
} as const;

/** The person's Oura Ring connection (`GET /v1/me/connections`). */
export const exampleConnection = {
  id: EXAMPLE_IDS.connection,
  connector: "oura",
  status: "active",
  last_sync_at: "2026-12-06T06:00:00.000Z",
  next_sync_at: "2026-12-06T12:00:00.000Z",
  error: null,
  imported: 8640,
  created_at: "2026-11-01T19:12:00.000Z",
} as const;

/** The `state` of a connector's OAuth redirect (RFC 6749 §10.12), sealed by the server. */
export const EXAMPLE_CONNECT_STATE = "c1.eyJjIjoib3VyYSJ9.x9Qk2Lm7";

/**
 * The N-of-1 plugin as `describe()` answers its manifest (plugins/n-of-1/src/contract.ts), with its input
 * and output JSON Schemas shortened here to their top level.
 */
export const examplePluginManifest = {
  protocol: 1,
  id: "n-of-1",
  version: "1.0.0",
  kind: "analysis",
  name: "N-of-1 predictor → outcome analysis",
  description:
    "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action.",
  data: { categories: ["supplements", "symptoms", "sleep"], resolutions: ["day", "hour"] },
  input_schema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    oneOf: [
      {
        type: "object",
        properties: { mode: { const: "pair" }, predictor: { type: "string" }, outcome: { type: "string" } },
        required: ["mode", "predictor", "outcome"],
      },
      {
        type: "object",
        properties: { mode: { const: "predictor_search" }, outcome: { type: "string" } },
        required: ["mode", "outcome"],
      },
    ],
  },
  output_schema: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" },
  limits: { timeout_ms: 60000, max_output_bytes: 16777216 },
} as const;

/** The N-of-1 plugin registered in the tenant behind its service binding (`GET /v1/admin/plugins/{id}`). */
export const exampleRegisteredPlugin = {
  id: "n-of-1",
  name: examplePluginManifest.name,
  kind: "analysis",
  version: "1.0.0",
  enabled: true,
  service_binding: "PLUGIN_N_OF_1",
  url: null,
  manifest: examplePluginManifest,
  registered_by: EXAMPLE_IDS.otherUser,
  created_at: "2026-11-01T09:00:00.000Z",
  updated_at: "2026-11-01T09:00:00.000Z",
} as const;

const magnesium = { slug: "magnesium", name: "Magnesium", unit: "mg" } as const;
const headache = { slug: "headache", name: "Headache", unit: "{score}" } as const;

/**
 * A succeeded N-of-1 analysis: does magnesium (mg) lower headache severity (0–10, `{score}`)? The result
 * has the shape of @dfda/plugins' PairResult, with two of its aligned pairs.
 */
export const exampleAnalysis = {
  id: EXAMPLE_IDS.analysis,
  plugin: "n-of-1",
  plugin_version: "1.0.0",
  status: "succeeded",
  progress: 1,
  input: { mode: "pair", predictor: "magnesium", outcome: "headache" },
  result: {
    mode: "pair",
    relationship: {
      predictor: magnesium,
      outcome: headache,
      delay_hours: 24,
      duration_hours: 48,
      pearson: -0.41,
      spearman: -0.38,
      p_value: 0.0004,
      n_pairs: 92,
      reverse_pearson: -0.08,
      effect: { baseline_mean: 3.9, high_mean: 2.6, percent_change: -33.3, t: -3.7, p_value: 0.0004 },
      optimal_value: { value: 400, ci_low: 300, ci_high: 500, level: 0.95 },
      worst_value: { value: 0, ci_low: 0, ci_high: 100, level: 0.95 },
      higher_outcome_is_better: false,
      score: 0.62,
      grade: "B",
      sufficiency: {
        sufficient: true,
        reasons: [],
        n_pairs: 92,
        predictor_changes: 18,
        outcome_changes: 41,
        baseline_fraction: 0.45,
        follow_up_fraction: 0.55,
      },
    },
    delay_curve: [
      { delay_hours: 0, duration_hours: 24, pearson: -0.22, n_pairs: 93 },
      { delay_hours: 24, duration_hours: 48, pearson: -0.41, n_pairs: 92 },
    ],
    pairs: [
      { t: "2026-09-01T00:00:00.000Z", predictor: 0, outcome: 5 },
      { t: "2026-09-02T00:00:00.000Z", predictor: 400, outcome: 2 },
    ],
    fit: { slope: -0.0042, intercept: 3.9 },
    window: { start: "2026-09-01T00:00:00.000Z", end: "2026-12-01T00:00:00.000Z" },
  },
  problem: null,
  data_window: {
    from: "2026-09-01T00:00:00.000Z",
    to: "2026-12-01T00:00:00.000Z",
    through: "2026-11-30T21:00:00.000Z",
  },
  recompute: true,
  runs: 1,
  requested_by: { user_id: EXAMPLE_IDS.user, client_id: null },
  created_at: EXAMPLE_TIME,
  updated_at: EXAMPLE_LATER,
  finished_at: EXAMPLE_LATER,
} as const;

/** A small timeline chart of the example heart rate, as the charts plugin draws it (real ones carry axes and styles). */
export const exampleSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400" viewBox="0 0 800 400" role="img" aria-label="Heart rate (/min)"><title>Heart rate (/min)</title><polyline fill="none" stroke="#1f77b4" points="40,220 160,210 280,232 400,205 520,214 640,199 760,208"/></svg>';
