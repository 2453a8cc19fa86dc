/**
 * Groups of people (a care team, a clinic's staff) that an owner's consent grant can name as grantee:
 * POST /v1/admin/groups creates one, PUT/DELETE /v1/admin/groups/{id}/members/{user_id} change who is in
 * it. Membership is read at every access decision, so a member removed loses the group's grants at once.
 * Administrators of the tenant only; every change is audited.
 */
import { ApiError } from "@dfda/core";
import type { Database } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { addGroupMember, createGroup, findGroup, removeGroupMember } from "@dfda/db/repositories/groups";
import { findUser } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Group = z.object({ id: z.uuid(), name: z.string() }).openapi("UserGroup");
const admin = protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"] });
const MemberParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: EXAMPLE_IDS.group }),
  user_id: z.uuid().openapi({ param: { name: "user_id", in: "path" }, example: EXAMPLE_IDS.user }),
});

export const createGroupRoute = createRoute({
  method: "post",
  path: "/v1/admin/groups",
  operationId: "createGroup",
  tags: ["Administration"],
  summary: "Create a group that consent grants can name",
  ...admin,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ name: z.string().min(1).max(200) }).strict(),
          example: { name: "Cardiology ward 3" },
        },
      },
    },
  },
  responses: {
    201: {
      description: "Created.",
      content: {
        "application/json": {
          schema: Group,
          example: { id: EXAMPLE_IDS.group, name: "Cardiology ward 3" },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const addMemberRoute = createRoute({
  method: "put",
  path: "/v1/admin/groups/{id}/members/{user_id}",
  operationId: "addGroupMember",
  tags: ["Administration"],
  summary: "Add a person to a group",
  ...admin,
  request: { params: MemberParams },
  responses: { 204: { description: "Added (or already a member)." }, ...errorResponses, ...authErrorResponses },
});

export const removeMemberRoute = createRoute({
  method: "delete",
  path: "/v1/admin/groups/{id}/members/{user_id}",
  operationId: "removeGroupMember",
  tags: ["Administration"],
  summary: "Remove a person from a group",
  ...admin,
  request: { params: MemberParams },
  responses: { 204: { description: "Removed." }, ...errorResponses, ...authErrorResponses },
});

function adminOf(c: { var: AppEnv["Variables"] }) {
  const p = c.var.principal;
  if (p.kind !== "user") throw new ApiError("forbidden", { detail: "Groups are managed by administrators." });
  return p;
}

async function changeMembership(
  principal: ReturnType<typeof adminOf>,
  db: Database,
  groupId: string,
  userId: string,
  add: boolean,
): Promise<void> {
  if (!(await findGroup(db, principal.tenantId, groupId))) {
    throw new ApiError("not_found", { detail: `No group ${groupId}.` });
  }
  if (add) {
    if (!(await findUser(db, principal.tenantId, userId))) {
      throw new ApiError("not_found", { detail: `No user ${userId} in this organisation.` });
    }
    await addGroupMember(db, principal.tenantId, groupId, userId);
  } else if (!(await removeGroupMember(db, principal.tenantId, groupId, userId))) {
    throw new ApiError("not_found", { detail: `${userId} is not a member of group ${groupId}.` });
  }
  await recordAudit(db, {
    tenantId: principal.tenantId,
    action: add ? "admin.group.member_add" : "admin.group.member_remove",
    outcome: "success",
    actorUserId: principal.userId,
    actorClientId: principal.clientId,
    resourceType: "group",
    resourceId: groupId,
    details: { user_id: userId },
  });
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(createGroupRoute, async (c) => {
    const principal = adminOf(c);
    const { name } = c.req.valid("json");
    const db = await c.var.db();
    const { id } = await createGroup(db, principal.tenantId, name);
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "admin.group.create",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      resourceType: "group",
      resourceId: id,
    });
    return c.json({ id, name }, 201);
  });

  app.openapi(addMemberRoute, async (c) => {
    const { id, user_id } = c.req.valid("param");
    await changeMembership(adminOf(c), await c.var.db(), id, user_id, true);
    return c.body(null, 204);
  });
  app.openapi(removeMemberRoute, async (c) => {
    const { id, user_id } = c.req.valid("param");
    await changeMembership(adminOf(c), await c.var.db(), id, user_id, false);
    return c.body(null, 204);
  });
}
