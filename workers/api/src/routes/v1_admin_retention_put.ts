/**
 * `PUT /v1/admin/retention`: sets how long the caller's tenant keeps raw files, raw vendor responses,
 * job issues and its access log (docs/retention.md). Administrators with `tenant:manage`; the change
 * is audited with the periods before and after.
 */
import { recordAudit } from "@dfda/db/repositories/audit";
import { getRetention, putRetention } from "@dfda/db/repositories/retention";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { administrator, PERSON_PRESENT_NOTE, protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { RetentionPolicySchema, RetentionSchema, retentionResponse } from "../lib/retention";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "put",
  path: "/v1/admin/retention",
  operationId: "putRetention",
  tags: ["Administration"],
  summary: "Set the tenant's retention periods",
  description:
    "Replaces all four periods (null keeps that kind for ever). The exporter Worker's hourly sweep applies " +
    "them, a bounded amount per run, so a shortened period takes effect over the following runs. A shortened " +
    "period deletes the tenant's data of that kind in bulk, so this is for the administrator in person." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"], personPresent: true }),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: RetentionPolicySchema,
          example: { raw_files_days: 365, vendor_responses_days: 90, job_issues_days: 180, access_log_days: null },
        },
      },
    },
  },
  responses: {
    200: {
      description: "The periods now in force.",
      content: {
        "application/json": {
          schema: RetentionSchema,
          example: {
            raw_files_days: 365,
            vendor_responses_days: 90,
            job_issues_days: 180,
            access_log_days: null,
            tenant_id: EXAMPLE_IDS.tenant,
            updated_at: "2026-12-06T08:30:00.000Z",
            updated_by: EXAMPLE_IDS.user,
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = administrator(c.var.principal);
    const policy = c.req.valid("json");
    const db = await c.var.db();
    const stored = await db.transaction(async (tx) => {
      const before = await getRetention(tx, principal.tenantId);
      const after = await putRetention(tx, principal.tenantId, policy, principal.userId);
      // Last in the transaction: the audit write holds the tenant's chain head until commit.
      await recordAudit(tx, {
        tenantId: principal.tenantId,
        action: "admin.retention.put",
        outcome: "success",
        actorUserId: principal.userId,
        actorClientId: principal.clientId,
        resourceType: "tenant",
        resourceId: principal.tenantId,
        requestId: c.var.requestId,
        details: { before: before.policy, after: after.policy },
      });
      return after;
    });
    return c.json(retentionResponse(principal.tenantId, stored), 200, { "Cache-Control": "no-store" });
  });
}
