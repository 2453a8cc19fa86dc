import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, exampleJobUrl } from "../lib/examples";
import { FileIdParam, ownFile, ownFilesRequirement, queueFileMapping } from "../lib/files";
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
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, ownFilesRequirement),
  request: { params: FileIdParam },
  responses: {
    202: {
      description: "Queued for mapping.",
      content: {
        "application/json": {
          schema: Reprocessing,
          example: {
            file_id: EXAMPLE_IDS.file,
            job_id: EXAMPLE_IDS.job,
            status_url: exampleJobUrl,
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
    const { principal, db, file } = await ownFile(c, c.req.valid("param").id, { source: true });
    const { jobId } = await queueFileMapping(c.env, db, principal, file);
    const statusUrl = new URL(`/v1/ingest/jobs/${jobId}`, c.req.url).toString();
    return c.json({ file_id: file.id, job_id: jobId, status_url: statusUrl }, 202, { Location: statusUrl });
  });
}
