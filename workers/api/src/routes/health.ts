import { ApiError } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { exampleProblem } from "../lib/examples";
import { problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  tags: ["Operations"],
  security: [],
  summary: "Liveness and database check",
  description: "200 when the Worker runs and the database answers a query; 503 problem+json otherwise.",
  responses: {
    200: {
      description: "Healthy.",
      content: {
        "application/json": {
          schema: z
            .object({
              status: z.literal("ok"),
              checks: z.object({
                database: z.object({
                  status: z.literal("ok"),
                  latency_ms: z.number(),
                  migrations: z.number().int().openapi({ description: "Migrations applied." }),
                }),
              }),
            })
            .openapi("Health"),
          example: { status: "ok", checks: { database: { status: "ok", latency_ms: 2.4, migrations: 31 } } },
        },
      },
    },
    503: problemResponse(
      "The database does not answer.",
      exampleProblem("service_unavailable", {
        detail: "The database is unavailable. Retry later; nothing was changed.",
      }),
    ),
  },
});

export type HealthResponse = z.infer<(typeof route.responses)[200]["content"]["application/json"]["schema"]>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const started = Date.now();
    let migrations: number;
    try {
      const db = await c.var.db();
      const result = await db.execute<{ count: number }>(
        sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
      );
      migrations = result.rows[0]?.count ?? 0;
    } catch (error) {
      throw new ApiError("service_unavailable", {
        detail: "The database does not answer.",
        headers: { "Retry-After": "5" },
        cause: error,
      });
    }
    const body: HealthResponse = {
      status: "ok",
      checks: { database: { status: "ok", latency_ms: Date.now() - started, migrations } },
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
