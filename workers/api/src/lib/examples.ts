/**
 * Example values the OpenAPI document shows for requests and responses (the `example` of a media type
 * or a parameter, OpenAPI 3.1.0 §4.8.14): one consistent story (a person's heart rate, a CSV upload, a
 * sharing grant) so the reference reads like a session. test/node/openapi-examples.test.ts checks that
 * every operation has them and that each validates against its schema.
 */

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

/** An HTML page of the sign-in flow (the real ones are longer). */
export const examplePage =
  '<!doctype html><html lang="en"><head><title>Sign in</title></head><body><main>…</main></body></html>';
