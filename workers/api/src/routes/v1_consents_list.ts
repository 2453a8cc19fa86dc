/**
 * GET /v1/consents: the owner's grants (all of them, or only the active ones), or with
 * `as=grantee` the live grants the caller holds (as a user, through a group, or as an app acting for
 * itself). Study grants are never listed to their grantees: they would name the participants.
 */
import { ApiError } from "@dfda/core";
import { listConsents, listHeldConsents } from "@dfda/db/repositories/consents";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { ConsentSchema, ownerActedFor, toConsentResponse } from "../lib/consents";
import { exampleConsent } from "../lib/examples";
import { afterIdOf, cursorAfterId } from "../lib/list-cursor";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const CURSOR_LIST = "consents";

export const route = createRoute({
  method: "get",
  path: "/v1/consents",
  operationId: "listConsents",
  tags: ["Consent"],
  summary: "List consent grants: those you gave, or those you hold",
  description:
    "Without `as`: the grants the owner gave (a custodian names the dependent with `user_id`), newest first, " +
    "with their status (`active`, `expired`, `revoked`); `status=active` keeps the live ones. With " +
    "`as=grantee`: the live grants naming the caller, a group of theirs, or (a client-credentials token) the " +
    "app: `owner_id` is whose data each opens.",
  ...protectedRoute({ scopes: ["consents:read"], allowClients: true }),
  request: {
    query: z.object({
      as: z.enum(["owner", "grantee"]).default("owner").openapi({ description: "Whose side of the grants." }),
      status: z.enum(["active", "all"]).default("all"),
      user_id: z
        .uuid()
        .optional()
        .openapi({ description: "Whose grants (default: the signed-in user); a custodian names their dependent." }),
      cursor: CursorParam,
      limit: LimitParam,
    }),
  },
  responses: {
    200: {
      description: "A page of grants.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(ConsentSchema), next_cursor: NextCursor }),
          example: {
            data: [exampleConsent],
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
    const query = c.req.valid("query");
    const principal = c.var.principal;
    if (principal.kind === "anonymous") throw new ApiError("unauthorized");
    const after = afterIdOf(CURSOR_LIST, query.cursor);
    const db = await c.var.db();
    let page: Awaited<ReturnType<typeof listConsents>>;
    if (query.as === "grantee") {
      page = await listHeldConsents(db, {
        principal,
        limit: query.limit,
        ...(after !== undefined && { afterId: after }),
      });
    } else {
      if (principal.kind !== "user") {
        throw new ApiError("forbidden", { detail: "An app holds grants: ask with as=grantee." });
      }
      const { ownerId } = await ownerActedFor(c, query.user_id, "consent.list");
      page = await listConsents(db, {
        tenantId: principal.tenantId,
        ownerId,
        status: query.status,
        limit: query.limit,
        ...(after !== undefined && { afterId: after }),
      });
    }
    return c.json(
      {
        data: page.rows.map(toConsentResponse),
        next_cursor: page.nextId === null ? null : cursorAfterId(CURSOR_LIST, page.nextId),
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });
}
