/**
 * Custodians: a parent or guardian who acts as the owner for a dependent (`custodian_links`).
 *
 * Public entry points other modules call:
 *
 *   actsForOwner(db: Executor, principal: Principal, ownerId: string): Promise<"owner" | "custodian" | null>
 *     "owner" when the principal is the user `ownerId` itself, "custodian" when it is a user with a live
 *     `custodian_links` row for that dependent (same tenant), otherwise null. Routes that let only the
 *     owner act (exports, erasure, the access log, sharing) accept both; token scopes are checked by
 *     the route as usual. Never cached: a revoked link stops working on the next request.
 *
 *   userActsForOwner(db: Executor, user: { tenantId, userId }, ownerId: string): the same question for a
 *     user named by a signed export link rather than a token.
 *
 * docs/consent.md describes the model.
 */
import type { Principal } from "@dfda/core";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { custodianLinks, roles, users } from "../schema";
import { type AuditEvent, recordAudit } from "./audit";

/**
 * May `principal` act as the owner of `ownerId`'s data? See the header of this module.
 *
 * @example
 * const role = await actsForOwner(db, principal, ownerId);
 * if (role === null) throw new ApiError("forbidden", { detail: "…" });
 */
export async function actsForOwner(
  db: Executor,
  principal: Principal,
  ownerId: string,
): Promise<"owner" | "custodian" | null> {
  if (principal.kind !== "user") return null;
  return userActsForOwner(db, principal, ownerId);
}

/**
 * `actsForOwner` for a user named without a token: the holder of a signed export link, whose right
 * to act for the owner is asked again at each download.
 *
 * @example
 * const role = await userActsForOwner(db, { tenantId, userId: holderId }, ownerId);
 */
export async function userActsForOwner(
  db: Executor,
  user: { tenantId: string; userId: string },
  ownerId: string,
): Promise<"owner" | "custodian" | null> {
  if (user.userId === ownerId) return "owner";
  return (await isCustodian(db, user.tenantId, user.userId, ownerId)) ? "custodian" : null;
}

/** A live link from custodian to an active dependent, in the tenant. */
async function isCustodian(db: Executor, tenantId: string, custodianId: string, dependentId: string) {
  // The composite foreign keys keep custodian and dependent in one tenant; the tenant filter keeps
  // the lookup in the caller's.
  const [row] = await db
    .select({ dependentId: custodianLinks.dependentId })
    .from(custodianLinks)
    .innerJoin(users, and(eq(users.tenantId, custodianLinks.tenantId), eq(users.id, custodianLinks.dependentId)))
    .where(
      and(
        eq(custodianLinks.tenantId, tenantId),
        eq(custodianLinks.custodianId, custodianId),
        eq(custodianLinks.dependentId, dependentId),
        isNull(custodianLinks.revokedAt),
        eq(users.status, "active"),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export interface CustodianLinkInput {
  tenantId: string;
  custodianId: string;
  dependentId: string;
  actorUserId: string;
  requestId?: string | null;
}

/** The audit entry of a link change: the dependent is the subject, the custodian the resource. */
function custodianAudit(link: CustodianLinkInput, action: string): AuditEvent {
  return {
    tenantId: link.tenantId,
    action,
    outcome: "success",
    actorUserId: link.actorUserId,
    subjectUserId: link.dependentId,
    resourceType: "custodian_link",
    resourceId: link.custodianId,
    requestId: link.requestId ?? null,
  };
}

/**
 * Links a custodian (parent, guardian) to a dependent, both active users of the tenant, and gives
 * the custodian the `data_custodian` role. Re-linking a revoked link revives it. Returns false when
 * either user is not an active user of the tenant.
 */
export async function linkCustodian(db: Executor, link: CustodianLinkInput): Promise<boolean> {
  if (link.custodianId === link.dependentId) return false;
  return db.transaction(async (tx) => {
    const found = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.tenantId, link.tenantId),
          inArray(users.id, [link.custodianId, link.dependentId]),
          eq(users.status, "active"),
        ),
      );
    if (found.length !== 2) return false;
    await tx
      .insert(custodianLinks)
      .values({ tenantId: link.tenantId, custodianId: link.custodianId, dependentId: link.dependentId })
      .onConflictDoUpdate({
        target: [custodianLinks.tenantId, custodianLinks.custodianId, custodianLinks.dependentId],
        set: { revokedAt: null, createdAt: new Date() },
      });
    await tx
      .insert(roles)
      .values({
        tenantId: link.tenantId,
        userId: link.custodianId,
        role: "data_custodian",
        grantedBy: link.actorUserId,
      })
      .onConflictDoNothing();
    await recordAudit(tx, custodianAudit(link, "custodian.link"));
    return true;
  });
}

/** Ends a custodian link; false when there was no live one. */
export async function unlinkCustodian(db: Executor, link: CustodianLinkInput): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(custodianLinks)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(custodianLinks.tenantId, link.tenantId),
          eq(custodianLinks.custodianId, link.custodianId),
          eq(custodianLinks.dependentId, link.dependentId),
          isNull(custodianLinks.revokedAt),
        ),
      )
      .returning({ id: custodianLinks.custodianId });
    if (ended.length === 0) return false;
    await recordAudit(tx, custodianAudit(link, "custodian.unlink"));
    return true;
  });
}
