import { ApiError, decodeCursor, encodeCursor, JOB_STATUSES } from "@dfda/core";
import { getJob, listIssues } from "@dfda/db/repositories/jobs";
import { pendingCountOfJob } from "@dfda/db/repositories/pending";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const JobSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    status: z.enum(JOB_STATUSES),
    counts: z.object({
      received: z.number().int(),
      stored: z.number().int(),
      flagged: z.number().int().openapi({ description: "Stored with is_valid = false (outside the valid range)." }),
      outliers: z.number().int().openapi({ description: "Stored with is_outlier = true." }),
      duplicates: z.number().int().openapi({ description: "Skipped: already stored or repeated in the batch." }),
      rejected: z.number().int(),
      pending: z.number().int().openapi({
        description:
          "Held, not rejected: values named by a local code no mapping resolves yet (GET /v1/admin/unmapped-codes); stored when an administrator maps the code.",
      }),
    }),
    progress: z.object({ processed: z.number().int(), total: z.number().int() }),
    error: z.string().nullable(),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
    completed_at: z.iso.datetime({ offset: true }).nullable(),
    issues: z.array(
      z.object({
        index: z.number().int().nullable().openapi({ description: "The item's position in the batch." }),
        location: z.string().nullable(),
        code: z.string(),
        severity: z.enum(["info", "warning", "error"]),
        message: z.string(),
      }),
    ),
    issues_next_cursor: NextCursor,
  })
  .openapi("IngestJob");

export const route = createRoute({
  method: "get",
  path: "/v1/ingest/jobs/{id}",
  operationId: "getIngestJob",
  tags: ["Ingestion"],
  summary: "Follow an ingestion job",
  description:
    "Status, counts and progress of a job, with its issues (item index, code, message) paged by `cursor`. " +
    "Only the person whose record it is, or the client that created it, can read it.",
  ...protectedRoute({ scopes: ["observations:write"], allowClients: true }),
  request: {
    params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: EXAMPLE_IDS.job }) }),
    query: z.object({ cursor: CursorParam, limit: LimitParam }),
  },
  responses: {
    200: {
      description: "The job.",
      content: {
        "application/json": {
          schema: JobSchema,
          example: {
            id: EXAMPLE_IDS.job,
            kind: "observations",
            status: "completed_with_issues",
            counts: { received: 2, stored: 1, flagged: 0, outliers: 0, duplicates: 0, rejected: 1, pending: 0 },
            progress: { processed: 2, total: 2 },
            error: null,
            created_at: "2026-12-06T08:30:00.000Z",
            updated_at: "2026-12-06T08:30:04.000Z",
            completed_at: "2026-12-06T08:30:04.000Z",
            issues: [
              {
                index: 1,
                location: "/observations/1/value",
                code: "out_of_range",
                severity: "error",
                message: "710 /min is above the variable's valid maximum of 300 /min.",
              },
            ],
            issues_next_cursor: null,
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export type GetJobResponse = z.infer<typeof JobSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind === "anonymous") throw new ApiError("unauthorized");
    const { id } = c.req.valid("param");
    const { cursor, limit } = c.req.valid("query");
    const db = await c.var.db();
    const job = await getJob(db, principal.tenantId, id);
    // The owner, or the client that created the job acting for itself; another person using the same
    // app is neither. Someone else's job is answered as absent: its existence is not theirs to know.
    const allowed =
      job !== null &&
      (principal.kind === "user" ? principal.userId === job.userId : principal.clientId === job.clientId);
    if (!job || !allowed) throw new ApiError("not_found", { detail: `No job ${id}.` });
    const after = cursor === undefined ? null : Number(decodeCursor(`job-issues:${id}`, cursor, 1)[0]);
    const issues = await listIssues(db, principal.tenantId, id, after, limit);
    const last = issues.rows[issues.rows.length - 1];
    const pending = await pendingCountOfJob(db, principal.tenantId, id);
    const done = job.status !== "queued" && job.status !== "processing";
    const body: GetJobResponse = {
      id: job.id,
      kind: job.kind,
      status: job.status,
      counts: {
        received: job.received,
        stored: job.stored,
        flagged: job.flagged,
        outliers: job.outliers,
        duplicates: job.duplicates,
        rejected: job.rejected,
        pending,
      },
      progress: {
        processed: done ? job.received : job.stored + job.duplicates + job.rejected + pending,
        total: job.received,
      },
      error: job.error,
      created_at: job.createdAt.toISOString(),
      updated_at: job.updatedAt.toISOString(),
      completed_at: job.completedAt === null ? null : job.completedAt.toISOString(),
      issues: issues.rows.map((i) => ({
        index: i.itemIndex,
        location: i.location,
        code: i.code,
        severity: i.severity as "info" | "warning" | "error",
        message: i.message,
      })),
      issues_next_cursor: issues.more && last ? encodeCursor(`job-issues:${id}`, [last.id]) : null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
