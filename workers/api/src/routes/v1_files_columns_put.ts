import { ApiError, DETECT_HEAD_BYTES } from "@dfda/core";
import { saveColumnMapping, setFileMapping } from "@dfda/db/repositories/files";
import { ReferenceRepository } from "@dfda/db/repositories/reference";
import { headerSignature, readHeaders } from "@dfda/mappers";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, exampleJobUrl } from "../lib/examples";
import {
  ColumnMappingSchema,
  FileIdParam,
  ownFile,
  ownFilesRequirement,
  queueFileMapping,
  readFileHead,
} from "../lib/files";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Confirmed = z
  .object({ file_id: z.uuid(), signature: z.string(), job_id: z.uuid(), status_url: z.string() })
  .openapi("FileColumnsConfirmed");

export const route = createRoute({
  method: "put",
  path: "/v1/files/{id}/columns",
  operationId: "putFileColumns",
  tags: ["Files"],
  summary: "Confirm how a CSV/TSV file's columns map to variables, and map it again",
  description:
    "Saves the mapping for the file's header row (reused for every later file with the same columns) and " +
    "reprocesses the file with it: its earlier observations are replaced.",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, ownFilesRequirement),
  request: {
    params: FileIdParam,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ mapping: ColumnMappingSchema }).strict(),
          example: {
            mapping: {
              "Heart rate (bpm)": { variable_id: EXAMPLE_IDS.variable, unit: "/min" },
              Notes: { variable_id: null },
            },
          },
        },
      },
    },
  },
  responses: {
    202: {
      description: "Saved; the file is queued for mapping.",
      content: {
        "application/json": {
          schema: Confirmed,
          example: {
            file_id: EXAMPLE_IDS.file,
            signature: "sha256:5d41402abc4b2a76b9719d911017c592",
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
    const { mapping } = c.req.valid("json");
    const { principal, db, file } = await ownFile(c, c.req.valid("param").id, { source: true, tabular: true });
    const headers = readHeaders(new TextDecoder().decode(await readFileHead(c.env, db, file, DETECT_HEAD_BYTES))) ?? [];
    const unknownHeaders = Object.keys(mapping).filter((h) => !headers.includes(h));
    const ids = [...new Set(Object.values(mapping).flatMap((m) => (m.variable_id === null ? [] : [m.variable_id])))];
    const { byId } = await new ReferenceRepository(db, { tenantId: principal.tenantId }).resolveVariables(ids, []);
    const errors = [
      ...unknownHeaders.map((h) => ({
        location: "body",
        path: `mapping.${h}`,
        pointer: `/mapping/${h.replace(/~/g, "~0").replace(/\//g, "~1")}`,
        message: "The file has no column with this header.",
      })),
      ...Object.entries(mapping)
        .filter(([, m]) => m.variable_id !== null && !byId.has(m.variable_id))
        .map(([h]) => ({
          location: "body",
          path: `mapping.${h}.variable_id`,
          pointer: `/mapping/${h.replace(/~/g, "~0").replace(/\//g, "~1")}/variable_id`,
          message: "No such variable.",
        })),
    ];
    if (errors.length > 0)
      throw new ApiError("validation_failed", { detail: "The mapping does not fit the file.", errors });
    const signature = headerSignature(headers);
    await saveColumnMapping(db, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      signature,
      headers,
      mapping,
    });
    await setFileMapping(db, principal.tenantId, file.id, mapping);
    const { jobId } = await queueFileMapping(c.env, db, principal, { ...file, sourceId: file.sourceId });
    const statusUrl = new URL(`/v1/ingest/jobs/${jobId}`, c.req.url).toString();
    return c.json({ file_id: file.id, signature, job_id: jobId, status_url: statusUrl }, 202, { Location: statusUrl });
  });
}
