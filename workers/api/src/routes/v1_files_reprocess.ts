import { ApiError } from "@dfda/core";
import { getFile } from "@dfda/db/repositories/files";
import { createJob, markJobFailed } from "@dfda/db/repositories/ingest";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { enqueueFile, FileIdParam } from "../lib/files";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Reprocessing = z
  .object({ file_id: z.uuid(), job_id: z.uuid(), status_url: z.string() })
  .openapi("FileReprocessing");

export const route = createRoute({
  method: "post",
  path: "/v1/files/{id}/reprocess",
  operationId: "reprocessFile",
  tags: ["Files"],
  summary: "Map a file again with today's mappers",
  description:
    "Detects the format again and maps the file with the current mappers. When the new job completes, the " +
    "observations of earlier runs are replaced by the new ones in one transaction: never both, never neither.",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { params: FileIdParam },
  responses: {
    202: { description: "Queued for mapping.", content: { "application/json": { schema: Reprocessing } } },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Files belong to a person." });
    const { id } = c.req.valid("param");
    const db = await c.var.db();
    const file = await getFile(db, principal.tenantId, principal.userId, id);
    if (!file || file.sourceId === null) throw new ApiError("not_found", { detail: `No file ${id}.` });
    const { job } = await createJob(db, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      clientId: principal.clientId,
      sourceId: file.sourceId,
      kind: "file",
      fileId: file.id,
      idempotencyKey: null,
      requestHash: file.sha256,
      received: 0,
    });
    try {
      await enqueueFile(c.env, {
        v: 1,
        type: "map_file",
        job_id: job.id,
        tenant_id: principal.tenantId,
        user_id: principal.userId,
        actor_user_id: principal.userId,
        client_id: principal.clientId,
        file_id: file.id,
        source_id: file.sourceId,
      });
    } catch (cause) {
      await markJobFailed(db, principal.tenantId, job.id, "enqueue_failed");
      throw new ApiError("service_unavailable", { detail: "The file could not be queued. Retry.", cause });
    }
    const statusUrl = new URL(`/v1/ingest/jobs/${job.id}`, c.req.url).toString();
    return c.json({ file_id: file.id, job_id: job.id, status_url: statusUrl }, 202, { Location: statusUrl });
  });
}
