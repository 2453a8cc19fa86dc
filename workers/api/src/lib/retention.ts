/**
 * The tenant's retention periods as GET and PUT /v1/admin/retention show and take them
 * (docs/retention.md); the exporter Worker's hourly Cron enforces them.
 */
import { MAX_RETENTION_DAYS, type RetentionPolicy } from "@dfda/core";
import type { StoredRetention } from "@dfda/db/repositories/retention";
import { z } from "@hono/zod-openapi";

const days = (what: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_RETENTION_DAYS)
    .nullable()
    .openapi({ description: `${what} Days; null keeps them for ever (the default).`, example: 365 });

/** The four periods; every one is required in a PUT (null to keep that kind for ever). */
export const RetentionPolicySchema = z
  .object({
    raw_files_days: days(
      "Originals of uploaded files: older ones are removed from storage (the observations mapped from them stay). " +
        "A file still being mapped is never removed.",
    ),
    vendor_responses_days: days("Raw responses connectors fetched from vendors' APIs, by the day they were fetched."),
    job_issues_days: days("Issues recorded by finished ingest jobs."),
    access_log_days: days(
      "The access (audit) log: older entries are archived to storage with their signed checkpoint, then deleted; " +
        "GET /v1/admin/audit/verify then starts from that checkpoint. An entry goes up to one checkpoint interval " +
        "(a week) after its period.",
    ),
  })
  .strict()
  .openapi("RetentionPolicy") satisfies z.ZodType<RetentionPolicy>;

// The policy's fields spread into a new object, not `.extend()`: the document would render an extension
// as allOf [RetentionPolicy, …], and RetentionPolicy forbids additional properties (it is the strict request
// body), so no response could match it (found by test/node/openapi-examples.test.ts).
export const RetentionSchema = z
  .object({
    ...RetentionPolicySchema.shape,
    tenant_id: z.uuid(),
    updated_at: z.string().nullable().openapi({ description: "When an administrator last set it; null: never." }),
    updated_by: z.uuid().nullable(),
  })
  .openapi("Retention");
export type RetentionResponse = z.infer<typeof RetentionSchema>;

export function retentionResponse(tenantId: string, stored: StoredRetention): RetentionResponse {
  return {
    tenant_id: tenantId,
    ...stored.policy,
    updated_at: stored.updatedAt?.toISOString() ?? null,
    updated_by: stored.updatedBy,
  };
}
