import { ApiError } from "@dfda/core";
import { myStats } from "@dfda/db/repositories/me";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Stats = z
  .object({
    total: z.number().int(),
    variables: z.array(
      z.object({
        variable: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), category: z.string() }),
        unit: z.string().nullable(),
        count: z.number().int(),
        first: z.iso.datetime({ offset: true }),
        last: z.iso.datetime({ offset: true }),
        min: z.number().nullable(),
        max: z.number().nullable(),
        mean: z.number().nullable(),
        sources: z.array(z.string()),
      }),
    ),
    sources: z.array(
      z.object({
        slug: z.string(),
        name: z.string(),
        count: z.number().int(),
        first: z.iso.datetime({ offset: true }),
        last: z.iso.datetime({ offset: true }),
      }),
    ),
  })
  .openapi("MyStats");
export type MyStatsResponse = z.infer<typeof Stats>;

export const route = createRoute({
  method: "get",
  path: "/v1/me/stats",
  operationId: "getMyStats",
  tags: ["Your data"],
  summary: "An overview of your data",
  description:
    "Per variable: how many observations, the first and last time, min, max and mean (canonical unit) and " +
    "the sources; per source: how many and when.",
  ...protectedRoute({ scopes: ["observations:read"] }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  responses: {
    200: {
      description: "The overview.",
      content: {
        "application/json": {
          schema: Stats,
          example: {
            total: 1440,
            variables: [
              {
                variable: {
                  id: EXAMPLE_IDS.variable,
                  slug: "heart-rate",
                  name: "Heart rate",
                  category: "vital_signs",
                },
                unit: "/min",
                count: 1440,
                first: "2026-11-06T00:00:00.000Z",
                last: "2026-12-06T08:30:00.000Z",
                min: 48,
                max: 151,
                mean: 67.5,
                sources: ["oura"],
              },
            ],
            sources: [
              {
                slug: "oura",
                name: "Oura",
                count: 1440,
                first: "2026-11-06T00:00:00.000Z",
                last: "2026-12-06T08:30:00.000Z",
              },
            ],
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
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Statistics are of a person's data." });
    const stats = await myStats(await c.var.db(), principal.tenantId, principal.userId);
    const body: MyStatsResponse = {
      total: stats.total,
      variables: stats.variables.map((v) => ({
        variable: { id: v.variableId, slug: v.slug, name: v.name, category: v.category },
        unit: v.unit,
        count: v.count,
        first: v.first.toISOString(),
        last: v.last.toISOString(),
        min: v.min,
        max: v.max,
        mean: v.mean,
        sources: v.sources,
      })),
      sources: stats.sources.map((s) => ({
        slug: s.slug,
        name: s.name,
        count: s.count,
        first: s.first.toISOString(),
        last: s.last.toISOString(),
      })),
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
