import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { deleteObservations } from "@dfda/db/repositories/erasure";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute } from "../lib/auth";
import { InstantParam, requireVariable, VariableParam } from "../lib/observations";
import { fieldError } from "../lib/problem";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Deleted = z.object({ deleted: z.number().int() }).openapi("ObservationsDeleted");

export const route = createRoute({
  method: "delete",
  path: "/v1/me/observations",
  operationId: "deleteMyObservations",
  tags: ["Your data"],
  summary: "Delete your observations by filter",
  description:
    "Deletes every observation of yours that matches all the given filters (variable, `from` inclusive, " +
    "`to` exclusive, source slug), in one transaction; summaries change with them. At least one filter is " +
    "required: to delete everything, close the account with `DELETE /v1/me`." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["observations:write"], action: "write", personPresent: true }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: {
    query: z.object({
      variable: VariableParam.optional(),
      from: InstantParam.optional(),
      to: InstantParam.optional(),
      source: z.string().min(1).max(64).optional(),
    }),
  },
  responses: {
    200: {
      description: "How many were deleted.",
      content: { "application/json": { schema: Deleted, example: { deleted: 42 } } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Observations belong to a person." });
    const q = c.req.valid("query");
    if (q.variable === undefined && q.from === undefined && q.to === undefined && q.source === undefined) {
      throw new ApiError("validation_failed", {
        detail: "Give at least one of variable, from, to, source. DELETE /v1/me deletes everything.",
        errors: (["variable", "from", "to", "source"] as const).map((name) =>
          fieldError("query", [name], "One of variable, from, to, source is required"),
        ),
      });
    }
    const variable = q.variable === undefined ? undefined : await requireVariable(c, q.variable);
    const filter = {
      ...(variable === undefined ? {} : { variableId: variable.id }),
      ...(q.from === undefined ? {} : { from: new Date(q.from) }),
      ...(q.to === undefined ? {} : { to: new Date(q.to) }),
      ...(q.source === undefined ? {} : { source: q.source }),
    };
    const db = await c.var.db();
    const deleted = await deleteObservations(db, principal.tenantId, principal.userId, filter);
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "observations.delete",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      subjectUserId: principal.userId,
      resourceType: "observations",
      // The filter and a count: never values.
      details: { filter: { ...q }, deleted },
    });
    return c.json({ deleted }, 200);
  });
}
