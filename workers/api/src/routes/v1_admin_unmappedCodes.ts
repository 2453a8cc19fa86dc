/**
 * GET /v1/admin/unmapped-codes (issue 15): the tenant's local codes that values are held under because
 * no code mapping resolves them (an HL7 v2 OBX-3 without a coding system, a C-CDA code from a lab's own
 * OID, a FHIR coding from a local system). Per `{system, code}`: how many values and people, a few
 * example values with their units, when first and last received. Mapping a code
 * (`PUT /v1/admin/code-mappings`) stores its values. Administrators of the tenant only.
 */
import { ApiError } from "@dfda/core";
import { listUnmappedCodes } from "@dfda/db/repositories/pending";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const UnmappedCodeSchema = z
  .object({
    system: z.string().openapi({
      description:
        "The local coding system: `urn:dfda:local:<format>:<sender>` where the file named none (HL7 v2: MSH-3^MSH-4), else the file's own (`urn:oid:…`, a FHIR `Coding.system`).",
      example: "urn:dfda:local:hl7v2:acme-lab%5Ehosp",
    }),
    code: z.string().openapi({ example: "ABC" }),
    display: z.string().nullable().openapi({ example: "Some Test" }),
    count: z.number().int().openapi({ description: "Values held under this code.", example: 42 }),
    people: z.number().int().openapi({ description: "People whose values these are.", example: 3 }),
    examples: z
      .array(
        z.object({
          value: z.union([z.number(), z.string(), z.boolean()]).nullable(),
          unit: z.string().nullable(),
        }),
      )
      .openapi({
        description: "Up to three of the latest values, as received.",
        example: [{ value: 5.4, unit: "mmol/L" }],
      }),
    units: z.array(z.string()).openapi({ description: "Every unit the values came with.", example: ["mmol/L"] }),
    first_seen: z.iso.datetime({ offset: true }).openapi({ example: "2026-11-02T08:15:00Z" }),
    last_seen: z.iso.datetime({ offset: true }).openapi({ example: "2026-12-06T09:40:00Z" }),
  })
  .openapi("UnmappedCode");

export type UnmappedCodeResponse = z.infer<typeof UnmappedCodeSchema>;

export const route = createRoute({
  method: "get",
  path: "/v1/admin/unmapped-codes",
  operationId: "listUnmappedCodes",
  tags: ["Administration"],
  summary: "Local codes no mapping resolves yet",
  description:
    "Values named only by a local code are held as pending rather than rejected. This lists those codes with counts, examples and units, ordered by system and code, `limit` per page (`cursor` for the next). " +
    "Map one with `PUT /v1/admin/code-mappings` and its held values are stored.",
  ...protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"] }),
  request: {
    query: z.object({ cursor: CursorParam, limit: LimitParam }),
  },
  responses: {
    200: {
      description: "A page of the tenant's unmapped local codes.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(UnmappedCodeSchema), next_cursor: NextCursor }),
          example: {
            data: [
              {
                system: "urn:dfda:local:hl7v2:acme-lab%5Ehosp",
                code: "ABC",
                display: "Some Test",
                count: 42,
                people: 3,
                examples: [{ value: 5.4, unit: "mmol/L" }],
                units: ["mmol/L"],
                first_seen: "2026-11-02T08:15:00Z",
                last_seen: "2026-12-06T09:40:00Z",
              },
            ],
            next_cursor: null,
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

/** An example value as stored (the observation's JSON value), narrowed to what the schema allows. */
function exampleValue(value: unknown): number | string | boolean | null {
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? value : null;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind === "anonymous") throw new ApiError("unauthorized");
    const { cursor, limit } = c.req.valid("query");
    const page = await listUnmappedCodes(await c.var.db(), principal.tenantId, cursor, limit);
    const data: UnmappedCodeResponse[] = page.rows.map((r) => ({
      system: r.system,
      code: r.code,
      display: r.display,
      count: r.count,
      people: r.users,
      examples: r.examples.map((e) => ({ value: exampleValue(e.value), unit: e.unit ?? null })),
      units: r.units,
      first_seen: r.firstSeen.toISOString(),
      last_seen: r.lastSeen.toISOString(),
    }));
    return c.json({ data, next_cursor: page.nextCursor }, 200, { "Cache-Control": "no-store" });
  });
}
