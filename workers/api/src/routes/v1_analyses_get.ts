/** GET /v1/analyses/{id}: one of the person's analyses: status, progress, result or problem, version, data window. */
import { ApiError } from "@dfda/core";
import { findAnalysis } from "@dfda/db/repositories/analyses";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { AnalysisIdParam, AnalysisSchema, toAnalysisResponse } from "../lib/analyses";
import { protectedRoute, selfUser } from "../lib/auth";
import { exampleAnalysis } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/analyses/{id}",
  operationId: "getAnalysis",
  tags: ["Analyses"],
  summary: "Follow an analysis",
  description:
    "Status (`queued`, `running`, `succeeded`, `failed`), progress, and once finished the result (with the " +
    "plugin version and the data window it saw) or the problem that ended the run.",
  ...protectedRoute({ scopes: ["observations:read"], action: "read" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { params: AnalysisIdParam },
  responses: {
    200: {
      description: "The analysis.",
      content: { "application/json": { schema: AnalysisSchema, example: exampleAnalysis } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const { id } = c.req.valid("param");
    const row = await findAnalysis(await c.var.db(), principal, id);
    // Someone else's analysis is answered as absent: its existence is not theirs to know.
    if (row === null) throw new ApiError("not_found", { detail: `No analysis ${id}.` });
    return c.json(toAnalysisResponse(row), 200, { "Cache-Control": "no-store" });
  });
}
