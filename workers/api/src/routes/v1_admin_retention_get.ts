/**
 * `GET /v1/admin/retention`: how long the caller's tenant keeps raw files, raw vendor responses, job
 * issues and its access log (docs/retention.md). Administrators with `tenant:manage`.
 */
import { getRetention } from "@dfda/db/repositories/retention";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { administrator, protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { RetentionSchema, retentionResponse } from "../lib/retention";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/admin/retention",
  operationId: "getRetention",
  tags: ["Administration"],
  summary: "The tenant's retention periods",
  description: "Every period is null (keep for ever) until an administrator sets it.",
  ...protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"] }),
  responses: {
    200: {
      description: "The periods.",
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
    const stored = await getRetention(await c.var.db(), principal.tenantId);
    return c.json(retentionResponse(principal.tenantId, stored), 200, { "Cache-Control": "no-store" });
  });
}
