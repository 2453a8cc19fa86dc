/**
 * Groups of users (care teams) that consent grants can name; a grant to a group applies to whoever
 * is a member when a request is decided. docs/consent.md describes the model.
 */
import { uuidv7 } from "@dfda/core";
import { and, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { userGroupMembers, userGroups } from "../schema";

/** A group of users (a care team) that grants can name. */
export async function createGroup(db: Executor, tenantId: string, name: string): Promise<{ id: string }> {
  const id = uuidv7();
  await db.insert(userGroups).values({ id, tenantId, name });
  return { id };
}

export async function addGroupMember(db: Executor, tenantId: string, groupId: string, userId: string) {
  await db.insert(userGroupMembers).values({ tenantId, groupId, userId }).onConflictDoNothing();
}

/** Removes a member; grants to the group stop applying to them at their next request. */
export async function removeGroupMember(db: Executor, tenantId: string, groupId: string, userId: string) {
  const removed = await db
    .delete(userGroupMembers)
    .where(
      and(
        eq(userGroupMembers.tenantId, tenantId),
        eq(userGroupMembers.groupId, groupId),
        eq(userGroupMembers.userId, userId),
      ),
    )
    .returning({ userId: userGroupMembers.userId });
  return removed.length > 0;
}

/** The tenant's group, or null. */
export async function findGroup(db: Executor, tenantId: string, id: string) {
  const [row] = await db
    .select()
    .from(userGroups)
    .where(and(eq(userGroups.tenantId, tenantId), eq(userGroups.id, id)))
    .limit(1);
  return row ?? null;
}
