import { decodeCursor, encodeCursor } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { referenceRepository } from "../lib/reference";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor, UnitSchema } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const UCUM = "http://unitsofmeasure.org";

export const route = createRoute({
  method: "get",
  path: "/v1/units",
  operationId: "listUnits",
  tags: ["Reference data"],
  // Reference data is not personal, but the platform serves nothing to callers it does not know.
  ...protectedRoute({ allowClients: true }),
  summary: "List and search units of measure",
  description:
    "UCUM units (https://ucum.org) the platform understands: every unit UCUM defines plus the units of FHIR's " +
    "`ucum-common` value set. `q` matches codes, names and synonyms; an exact code ranks first, then code " +
    "prefixes, then common units.",
  request: {
    query: z.object({
      system: z
        .enum(["ucum", UCUM])
        .optional()
        .openapi({ description: "Unit system: `ucum` (or its URI), the only one supported.", example: "ucum" }),
      q: z.string().trim().min(1).max(64).optional().openapi({ description: "Text search.", example: "mmol" }),
      cursor: CursorParam,
      limit: LimitParam,
    }),
  },
  responses: {
    200: {
      description: "A page of units.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(UnitSchema), next_cursor: NextCursor }),
          example: {
            data: [
              {
                system: "http://unitsofmeasure.org",
                code: "mmol/L",
                name: "millimole per liter",
                property: "substance concentration",
                dimension: "mol1.L-3",
                common: true,
                base: false,
                synonyms: ["mmol/l"],
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

export type ListUnitsResponse = z.infer<(typeof route.responses)[200]["content"]["application/json"]["schema"]>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { q, cursor, limit } = c.req.valid("query");
    // The cursor is bound to the query text: a rank from one search means nothing in another.
    const list = `units:${q ?? ""}`;
    const after = cursor === undefined ? null : decodeCursor(list, cursor, 2);
    const repo = await referenceRepository(c);
    const page = await repo.listUnits(
      q === undefined ? {} : { q },
      after === null ? null : { rank: Number(after[0]), code: String(after[1]) },
      limit,
    );
    const body: ListUnitsResponse = {
      data: page.rows.map((u) => ({
        system: UCUM,
        code: u.code,
        name: u.name,
        property: u.property,
        dimension: u.dimension,
        common: u.isCommon,
        base: u.isBase,
        synonyms: u.synonyms,
      })),
      next_cursor: page.nextKey === null ? null : encodeCursor(list, [page.nextKey.rank, page.nextKey.code]),
    };
    return c.json(body, 200);
  });
}
