/**
 * Custodian links (a parent or guardian and a dependent), made by the tenant's administrators after
 * whatever proof of guardianship the organisation requires: POST /v1/admin/custodian-links links,
 * DELETE unlinks. A linked custodian acts as the owner for the dependent (sees, exports, deletes,
 * shares); the link is read at every request, so unlinking holds at once.
 */
import { ApiError } from "@dfda/core";
import { linkCustodian, unlinkCustodian } from "@dfda/db/repositories/custodians";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const LinkSchema = z
  .object({
    custodian_id: z.uuid().openapi({ description: "The parent or guardian." }),
    dependent_id: z.uuid().openapi({ description: "The person whose data the custodian manages." }),
  })
  .strict()
  .refine((l) => l.custodian_id.toLowerCase() !== l.dependent_id.toLowerCase(), {
    message: "A person is not their own custodian",
    path: ["dependent_id"],
  })
  .openapi("CustodianLink");

/** A parent (the example's other person) who manages their child's record (the example person). */
const exampleLink = { custodian_id: EXAMPLE_IDS.otherUser, dependent_id: EXAMPLE_IDS.user };

const admin = protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"] });

export const createLinkRoute = createRoute({
  method: "post",
  path: "/v1/admin/custodian-links",
  operationId: "createCustodianLink",
  tags: ["Administration"],
  summary: "Link a custodian to a dependent",
  description:
    "Both must be active users of the organisation. The custodian receives the `data_custodian` role and acts " +
    "as the owner for the dependent: reads (`user_id` on the observation routes), exports, deletion, consent " +
    "grants. Linking again after an unlink revives the link.",
  ...admin,
  request: {
    body: { required: true, content: { "application/json": { schema: LinkSchema, example: exampleLink } } },
  },
  responses: {
    201: { description: "Linked.", content: { "application/json": { schema: LinkSchema, example: exampleLink } } },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const deleteLinkRoute = createRoute({
  method: "delete",
  path: "/v1/admin/custodian-links",
  operationId: "deleteCustodianLink",
  tags: ["Administration"],
  summary: "Unlink a custodian from a dependent",
  ...admin,
  request: {
    query: z.object({
      custodian_id: z.uuid().openapi({ example: exampleLink.custodian_id }),
      dependent_id: z.uuid().openapi({ example: exampleLink.dependent_id }),
    }),
  },
  responses: { 204: { description: "Unlinked." }, ...errorResponses, ...authErrorResponses },
});

function adminOf(c: { var: AppEnv["Variables"] }) {
  const p = c.var.principal;
  if (p.kind !== "user") throw new ApiError("forbidden", { detail: "Custodians are linked by administrators." });
  return p;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(createLinkRoute, async (c) => {
    const principal = adminOf(c);
    const body = c.req.valid("json");
    const link = {
      tenantId: principal.tenantId,
      custodianId: body.custodian_id.toLowerCase(),
      dependentId: body.dependent_id.toLowerCase(),
      actorUserId: principal.userId,
      requestId: c.var.requestId,
    };
    if (!(await linkCustodian(await c.var.db(), link))) {
      throw new ApiError("validation_failed", {
        detail: "Both the custodian and the dependent must be active users of the organisation.",
        errors: [{ location: "body", path: "custodian_id", pointer: "/custodian_id", message: "No such active user" }],
      });
    }
    return c.json({ custodian_id: link.custodianId, dependent_id: link.dependentId }, 201);
  });

  app.openapi(deleteLinkRoute, async (c) => {
    const principal = adminOf(c);
    const query = c.req.valid("query");
    const ended = await unlinkCustodian(await c.var.db(), {
      tenantId: principal.tenantId,
      custodianId: query.custodian_id.toLowerCase(),
      dependentId: query.dependent_id.toLowerCase(),
      actorUserId: principal.userId,
      requestId: c.var.requestId,
    });
    if (!ended) throw new ApiError("not_found", { detail: "No such custodian link." });
    return c.body(null, 204);
  });
}
