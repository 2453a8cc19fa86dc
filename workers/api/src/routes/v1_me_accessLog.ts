import { ApiError, decodeCursor, encodeCursor } from "@dfda/core";
import { type AccessLogFilter, accessLog } from "@dfda/db/repositories/me";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { InstantParam, toAfterFrom } from "../lib/observations";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Entry = z
  .object({
    at: z.iso.datetime({ offset: true }),
    action: z.string().openapi({ example: "observations.read" }),
    outcome: z.enum(["success", "failure", "denied"]),
    actor: z.object({ user_id: z.uuid().nullable(), client_id: z.string().nullable() }),
    resource: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          "Scope and data asked for, reason of a denial. Identical decisions in a row are coalesced: " +
          "`coalesced` counts those this entry stands for besides its own (between `coalesced_first_at` " +
          "and `coalesced_last_at`); an entry with `count_only` stands for no decision of its own.",
      }),
  })
  .openapi("AccessLogEntry");
export type AccessLogEntryResponse = z.infer<typeof Entry>;

export const route = createRoute({
  method: "get",
  path: "/v1/me/access-log",
  operationId: "getMyAccessLog",
  tags: ["Your data"],
  summary: "Who accessed your data",
  description:
    "Every access to your data by someone other than you (a person you granted access, an app, a researcher), " +
    "allowed or denied, newest first. The filters narrow it on the server (each one given must hold), and " +
    "paging goes on under the same filters: send them again with `cursor`.",
  ...protectedRoute({ scopes: ["consents:read"] }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: {
    query: z
      .object({
        outcome: z
          .enum(["success", "failure", "denied"])
          .optional()
          .openapi({ description: "Only allowed (`success`), denied or failed accesses.", example: "denied" }),
        actor_user_id: z
          .uuid()
          .optional()
          .openapi({ description: "Only accesses by this person (whichever app they used)." }),
        actor_client_id: z
          .string()
          .min(1)
          .max(128)
          .optional()
          .openapi({ description: "Only accesses through this app (`client_id`).", example: "dfda-cli" }),
        actor_kind: z.enum(["user", "client"]).optional().openapi({
          description: "`user`: a person acted (through some app); `client`: an app acted for itself (no person).",
        }),
        action: z
          .string()
          .min(1)
          .max(100)
          .regex(/^[a-z][a-z0-9_.:-]*$/, "An action name such as observations.read")
          .optional()
          .openapi({ description: "Only this action.", example: "observations.read" }),
        from: InstantParam.optional().openapi({ description: "Earliest instant (inclusive)." }),
        to: InstantParam.optional().openapi({ description: "Latest instant (exclusive); after `from`." }),
        cursor: CursorParam,
        limit: LimitParam,
      })
      .refine(toAfterFrom, { message: "Must be later than from", path: ["to"] }),
  },
  responses: {
    200: {
      description: "A page of entries.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(Entry), next_cursor: NextCursor }),
          example: {
            data: [
              {
                at: "2026-12-06T08:30:00.000Z",
                action: "observations.read",
                outcome: "success",
                actor: { user_id: EXAMPLE_IDS.otherUser, client_id: null },
                resource: { type: "consent", id: EXAMPLE_IDS.consent },
                details: null,
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

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "The access log is a person's." });
    const q = c.req.valid("query");
    const { cursor, limit } = q;
    const before = cursor === undefined ? undefined : Number(decodeCursor("access-log", cursor, 1)[0]);
    // The cursor is a position (an entry id), not a filter: the next page is "older than the last entry
    // shown, under the filters sent with it", so the same filters must be sent again (as with every list).
    const filter: AccessLogFilter = {
      ...(q.outcome !== undefined && { outcome: q.outcome }),
      ...(q.actor_user_id !== undefined && { actorUserId: q.actor_user_id.toLowerCase() }),
      ...(q.actor_client_id !== undefined && { actorClientId: q.actor_client_id }),
      ...(q.actor_kind !== undefined && { actorKind: q.actor_kind }),
      ...(q.action !== undefined && { action: q.action }),
      ...(q.from !== undefined && { from: new Date(q.from) }),
      ...(q.to !== undefined && { to: new Date(q.to) }),
    };
    const rows = await accessLog(await c.var.db(), principal.tenantId, principal.userId, limit + 1, before, filter);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const data: AccessLogEntryResponse[] = page.map((r) => ({
      at: r.occurredAt.toISOString(),
      action: r.action,
      outcome: r.outcome as AccessLogEntryResponse["outcome"],
      actor: { user_id: r.actorUserId, client_id: r.actorClientId },
      resource: { type: r.resourceType, id: r.resourceId },
      details: r.details,
    }));
    return c.json(
      { data, next_cursor: rows.length > limit && last ? encodeCursor("access-log", [String(last.id)]) : null },
      200,
      { "Cache-Control": "no-store" },
    );
  });
}
