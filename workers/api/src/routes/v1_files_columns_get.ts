import { DETECT_HEAD_BYTES } from "@dfda/core";
import { findColumnMapping } from "@dfda/db/repositories/files";
import { ReferenceRepository } from "@dfda/db/repositories/reference";
import { headerSignature, readHeaders, suggestColumns } from "@dfda/mappers";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { ColumnMappingSchema, FileIdParam, ownFile, ownFilesRequirement, readFileHead } from "../lib/files";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Columns = z
  .object({
    signature: z
      .string()
      .openapi({ description: "Identifies the header row; a saved mapping applies to every file with it." }),
    headers: z.array(z.string()),
    columns: z.array(
      z.object({
        header: z.string(),
        role: z.string().openapi({
          description: "time, end_time, variable, value, unit, measurement, unit_of, metadata, unmatched …",
        }),
        variable: z.object({ id: z.uuid(), name: z.string(), canonical_unit: z.string().nullable() }).nullable(),
        unit: z.string().nullable(),
        explicit: z.boolean(),
      }),
    ),
    saved_mapping: ColumnMappingSchema.nullable(),
  })
  .openapi("FileColumns");
export type FileColumnsResponse = z.infer<typeof Columns>;

export const route = createRoute({
  method: "get",
  path: "/v1/files/{id}/columns",
  operationId: "getFileColumns",
  tags: ["Files"],
  summary: "How a CSV/TSV file's columns are matched to variables",
  description:
    "For a tabular file: its header row, what matching does with each column, and the mapping you saved for " +
    "this header row, if any. Confirm or correct it with PUT; it is then reused for files with the same columns.",
  ...protectedRoute({ scopes: ["files:read"] }, ownFilesRequirement),
  request: { params: FileIdParam },
  responses: {
    200: {
      description: "The columns.",
      content: {
        "application/json": {
          schema: Columns,
          example: {
            signature: "sha256:5d41402abc4b2a76b9719d911017c592",
            headers: ["Date", "Heart rate (bpm)", "Notes"],
            columns: [
              { header: "Date", role: "time", variable: null, unit: null, explicit: false },
              {
                header: "Heart rate (bpm)",
                role: "variable",
                variable: { id: EXAMPLE_IDS.variable, name: "Heart rate", canonical_unit: "/min" },
                unit: "/min",
                explicit: false,
              },
              { header: "Notes", role: "metadata", variable: null, unit: null, explicit: false },
            ],
            saved_mapping: null,
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
    const { principal, db, file } = await ownFile(c, c.req.valid("param").id, { tabular: true });
    const head = await readFileHead(c.env, db, file, DETECT_HEAD_BYTES);
    const headers = readHeaders(new TextDecoder().decode(head)) ?? [];
    const lookup = await new ReferenceRepository(db, { tenantId: principal.tenantId }).labelLookup();
    const signature = headerSignature(headers);
    const saved = await findColumnMapping(db, principal.tenantId, principal.userId, signature);
    const body: FileColumnsResponse = {
      signature,
      headers,
      columns: suggestColumns(headers, lookup).map((s) => ({
        header: s.header,
        role: s.role,
        variable: s.variable
          ? { id: s.variable.id, name: s.variable.name, canonical_unit: s.variable.canonicalUnit }
          : null,
        unit: s.unit ?? null,
        explicit: s.explicit === true,
      })),
      saved_mapping: (saved as FileColumnsResponse["saved_mapping"]) ?? null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
