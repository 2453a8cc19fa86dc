/** POST /v1/me/notices/{id}/read: marks one of the person's notices read (again: unchanged). */
import { ApiError } from "@dfda/core";
import { markNoticeRead } from "@dfda/db/repositories/webhooks";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute, selfUser } from "../lib/auth";
import { EXAMPLE_IDS, EXAMPLE_LATER } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { exampleNotice, NoticeSchema, noticeResponse } from "../lib/webhooks";

export const route = createRoute({
  method: "post",
  path: "/v1/me/notices/{id}/read",
  operationId: "markMyNoticeRead",
  tags: ["Your data"],
  summary: "Mark a notice read",
  description: "Sets `read_at` once; marking it again changes nothing.",
  ...protectedRoute({ scopes: ["observations:read"] }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { params: z.object({ id: z.uuid().openapi({ example: EXAMPLE_IDS.notice }) }) },
  responses: {
    200: {
      description: "The notice, read.",
      content: { "application/json": { schema: NoticeSchema, example: { ...exampleNotice, read_at: EXAMPLE_LATER } } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const user = selfUser(c);
    const n = await markNoticeRead(await c.var.db(), user, c.req.valid("param").id.toLowerCase(), new Date());
    if (n === null) throw new ApiError("not_found", { detail: "No such notice." });
    return c.json(noticeResponse(n), 200, { "Cache-Control": "no-store" });
  });
}
