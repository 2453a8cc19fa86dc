/**
 * GET /v1/me/notices: what the platform told the person (issue 18): data of theirs it refused, a
 * connection that needs them, a webhook endpoint of theirs it disabled. The same text goes by e-mail
 * when their address is verified (docs/webhooks.md, "Owner notices").
 */
import { decodeCursor, encodeCursor } from "@dfda/core";
import { listNotices } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute, selfUser } from "../lib/auth";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { exampleNotice, NoticeSchema, noticeResponse } from "../lib/webhooks";

const NoticeList = z.object({ data: z.array(NoticeSchema), next_cursor: NextCursor }).openapi("NoticeList");
export type NoticeListResponse = z.infer<typeof NoticeList>;

export const route = createRoute({
  method: "get",
  path: "/v1/me/notices",
  operationId: "listMyNotices",
  tags: ["Your data"],
  summary: "Your notices",
  description: "Newest first; `unread=true` leaves out those marked read.",
  ...protectedRoute({ scopes: ["observations:read"] }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: {
    query: z.object({
      cursor: CursorParam,
      limit: LimitParam,
      unread: z
        .enum(["true", "false"])
        .optional()
        .openapi({ param: { name: "unread", in: "query" }, description: "Only unread notices.", example: "true" }),
    }),
  },
  responses: {
    200: {
      description: "A page of notices.",
      content: { "application/json": { schema: NoticeList, example: { data: [exampleNotice], next_cursor: null } } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

const CURSOR = "notices";

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const user = selfUser(c);
    const { cursor, limit, unread } = c.req.valid("query");
    const before = cursor === undefined ? undefined : String(decodeCursor(CURSOR, cursor, 1)[0]);
    const rows = await listNotices(await c.var.db(), user, limit + 1, {
      ...(before !== undefined && { before }),
      unreadOnly: unread === "true",
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const body: NoticeListResponse = {
      data: page.map(noticeResponse),
      next_cursor: rows.length > limit && last ? encodeCursor(CURSOR, [last.id]) : null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
