/**
 * Consent grants, custodians, groups and studies: who may act on whose data.
 *
 * Public entry points other modules call:
 *
 *   actsForOwner(db: Executor, principal: Principal, ownerId: string): Promise<"owner" | "custodian" | null>
 *     "owner" when the principal is the user `ownerId` itself, "custodian" when it is a user with a live
 *     `custodian_links` row for that dependent (same tenant), otherwise null. Routes that let only the
 *     owner act (exports, erasure, the access log, sharing) accept both; token scopes are checked by
 *     the route as usual. Never cached: a revoked link stops working on the next request.
 *
 *   revokeClientConsents(db, { tenantId, ownerId, clientId, actorUserId, requestId? }): Promise<number>
 *     Revokes every live grant naming the OAuth client (what "revoke this app" must also do).
 *
 * The consent decision itself is `evaluateAccess` in @dfda/core, made by the owner's Durable Object
 * (durable-objects/user-writer) from `loadAccessFacts`, read here from Postgres at every question:
 * nothing about grants is cached anywhere, so a revocation holds from the next request on.
 * docs/consent.md describes the model.
 */
import {
  type AccessAction,
  type AccessFacts,
  type ConsentGrant,
  type GranteeType,
  type GrantScope,
  type Principal,
  parseScope,
  SYSTEM_TENANT_ID,
  uuidv7,
  VARIABLE_CATEGORY_SLUGS,
} from "@dfda/core";
import { and, desc, eq, gt, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  consents,
  custodianLinks,
  ingestStagedRows,
  oauthClients,
  observations,
  roles,
  studies,
  studyMembers,
  studySubjects,
  userGroupMembers,
  userGroups,
  users,
  variableCategories,
  variables,
} from "../schema";
import { type AuditEvent, recordAudit } from "./audit";

// ---- custodians -----------------------------------------------------------------------------------

/**
 * May `principal` act as the owner of `ownerId`'s data? See the header of this file.
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
  if (principal.userId === ownerId) return "owner";
  return (await isCustodian(db, principal.tenantId, principal.userId, ownerId)) ? "custodian" : null;
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
    await recordAudit(tx, {
      tenantId: link.tenantId,
      action: "custodian.link",
      outcome: "success",
      actorUserId: link.actorUserId,
      subjectUserId: link.dependentId,
      resourceType: "custodian_link",
      resourceId: link.custodianId,
      requestId: link.requestId ?? null,
    });
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
    await recordAudit(tx, {
      tenantId: link.tenantId,
      action: "custodian.unlink",
      outcome: "success",
      actorUserId: link.actorUserId,
      subjectUserId: link.dependentId,
      resourceType: "custodian_link",
      resourceId: link.custodianId,
      requestId: link.requestId ?? null,
    });
    return true;
  });
}

// ---- groups ---------------------------------------------------------------------------------------

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

// ---- the live facts of one access question ------------------------------------------------------

export interface FactsQuestion {
  tenantId: string;
  ownerId: string;
  principal: Extract<Principal, { kind: "user" | "client" }>;
  studyId?: string;
}

/**
 * Everything `evaluateAccess` needs, read now: the owner's status, the principal's custodian link,
 * groups and studies, and the owner's grants that could name the principal (in any state, so a
 * denial can say "revoked" or "expired").
 */
export async function loadAccessFacts(db: Executor, q: FactsQuestion): Promise<AccessFacts> {
  const now = new Date();
  const userId = q.principal.kind === "user" ? q.principal.userId : null;
  const result = await db.execute<{
    owner_active: boolean;
    custodian: boolean;
    group_ids: string[] | null;
    study_ids: string[] | null;
  }>(sql`
    select
      exists (select 1 from ${users} where ${users.tenantId} = ${q.tenantId} and ${users.id} = ${q.ownerId}
              and ${users.status} = 'active') as owner_active,
      exists (select 1 from ${custodianLinks} where ${custodianLinks.tenantId} = ${q.tenantId}
              and ${custodianLinks.custodianId} = ${userId} and ${custodianLinks.dependentId} = ${q.ownerId}
              and ${custodianLinks.revokedAt} is null) as custodian,
      (select array_agg(${userGroupMembers.groupId}::text) from ${userGroupMembers}
        where ${userGroupMembers.tenantId} = ${q.tenantId} and ${userGroupMembers.userId} = ${userId}) as group_ids,
      (select array_agg(${studyMembers.studyId}::text) from ${studyMembers}
        where ${studyMembers.tenantId} = ${q.tenantId} and ${studyMembers.userId} = ${userId}) as study_ids`);
  const row = result.rows[0];
  const groupIds = row?.group_ids ?? [];
  const studyIds = row?.study_ids ?? [];
  const grantee: SQL[] = [];
  if (q.studyId !== undefined) {
    grantee.push(and(eq(consents.granteeType, "study"), eq(consents.granteeId, q.studyId)) as SQL);
  } else if (q.principal.kind === "user") {
    grantee.push(and(eq(consents.granteeType, "user"), eq(consents.granteeId, q.principal.userId)) as SQL);
    if (groupIds.length > 0) {
      grantee.push(and(eq(consents.granteeType, "group"), inArray(consents.granteeId, groupIds)) as SQL);
    }
  } else {
    grantee.push(and(eq(consents.granteeType, "client"), eq(consents.granteeId, q.principal.clientId)) as SQL);
  }
  const grants = await db
    .select()
    .from(consents)
    .where(and(eq(consents.tenantId, q.tenantId), eq(consents.userId, q.ownerId), or(...grantee)));
  return {
    ownerActive: row?.owner_active === true,
    custodian: row?.custodian === true,
    groupIds,
    studyIds,
    grants: grants.map(toGrant),
    now,
  };
}

/** The category slug of each variable (as stored: id and version), for the write-side check. */
export async function variableCategoriesOf(
  db: Executor,
  tenantId: string,
  variableIds: readonly string[],
): Promise<Map<string, string>> {
  if (variableIds.length === 0) return new Map();
  const rows = await db
    .selectDistinct({ id: variables.id, category: variableCategories.slug })
    .from(variables)
    .innerJoin(variableCategories, eq(variableCategories.id, variables.categoryId))
    .where(
      and(
        inArray(variables.id, [...variableIds]),
        inArray(variables.tenantId, [SYSTEM_TENANT_ID, tenantId]),
        isNull(variables.validTo),
      ),
    );
  return new Map(rows.map((r) => [r.id, r.category]));
}

/** The distinct (variable, time) of a file job's staged rows: what a file commit would write. */
export async function stagedRowKeys(
  db: Executor,
  tenantId: string,
  jobId: string,
): Promise<Array<{ variableId: string; startAt: Date }>> {
  return db
    .selectDistinct({ variableId: ingestStagedRows.variableId, startAt: ingestStagedRows.startAt })
    .from(ingestStagedRows)
    .where(and(eq(ingestStagedRows.tenantId, tenantId), eq(ingestStagedRows.jobId, jobId)));
}

// ---- consent grants -------------------------------------------------------------------------------

export type ConsentRow = typeof consents.$inferSelect;

export function toGrant(row: ConsentRow): ConsentGrant {
  return {
    id: row.id,
    tenantId: row.tenantId,
    ownerId: row.userId,
    granteeType: row.granteeType as GranteeType,
    granteeId: row.granteeId,
    actions: row.actions as AccessAction[],
    categories: row.categories,
    variableIds: row.variableIds,
    dataFrom: row.dataFrom,
    dataTo: row.dataTo,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/** A grant's state at `now`. */
export function consentStatus(row: ConsentRow, now = new Date()): "active" | "expired" | "revoked" {
  if (row.revokedAt !== null) return "revoked";
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export interface NewConsent {
  tenantId: string;
  ownerId: string;
  granteeType: GranteeType;
  granteeId: string;
  actions: readonly AccessAction[];
  categories: readonly string[];
  variableIds: readonly string[];
  dataFrom?: Date | null;
  dataTo?: Date | null;
  expiresAt?: Date | null;
  purpose?: string | null;
  /** SHA-256 (hex) of the consent document version accepted. */
  documentHash?: string | null;
  /** The owner, their custodian, or the owner on the OAuth consent screen. */
  grantedBy: string | null;
  via: "api" | "oauth";
  /** For the audit entry. */
  actorClientId?: string | null;
  requestId?: string | null;
  ip?: string | null;
}

/** Whether the grantee exists in the tenant (and is not the owner): a grant cannot name nobody. */
export async function granteeExists(
  db: Executor,
  tenantId: string,
  ownerId: string,
  type: GranteeType,
  id: string,
): Promise<boolean> {
  switch (type) {
    case "user": {
      if (id === ownerId) return false;
      const [row] = await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id), eq(users.status, "active")))
        .limit(1);
      return row !== undefined;
    }
    case "client": {
      const [row] = await db
        .select({ id: oauthClients.id })
        .from(oauthClients)
        .where(and(eq(oauthClients.tenantId, tenantId), eq(oauthClients.clientId, id), isNull(oauthClients.disabledAt)))
        .limit(1);
      return row !== undefined;
    }
    case "group": {
      const [row] = await db
        .select({ id: userGroups.id })
        .from(userGroups)
        .where(and(eq(userGroups.tenantId, tenantId), eq(userGroups.id, id)))
        .limit(1);
      return row !== undefined;
    }
    case "study":
      return (await findStudy(db, tenantId, id)) !== null;
  }
}

/** The audit entry of a consent change: who, what, never the data itself. */
function consentAudit(row: ConsentRow, action: string, extra: Partial<AuditEvent>): AuditEvent {
  return {
    tenantId: row.tenantId,
    action,
    outcome: "success",
    subjectUserId: row.userId,
    resourceType: "consent",
    resourceId: row.id,
    details: {
      grantee_type: row.granteeType,
      grantee_id: row.granteeId,
      actions: row.actions,
      categories: row.categories,
      variable_ids: row.variableIds,
      data_from: row.dataFrom?.toISOString() ?? null,
      data_to: row.dataTo?.toISOString() ?? null,
      expires_at: row.expiresAt?.toISOString() ?? null,
      document_hash: row.documentHash,
      via: row.via,
    },
    ...extra,
  };
}

/**
 * Records a grant, in one transaction with its audit entry and, for a study, the owner's per-study
 * pseudonym (a random UUID, RFC 9562 version 4: unrelated to the user id and to their pseudonyms in
 * other studies, and carrying no time). The grantee must exist (`granteeExists`).
 */
export async function createConsent(db: Executor, input: NewConsent): Promise<ConsentRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(consents)
      .values({
        id: uuidv7(),
        tenantId: input.tenantId,
        userId: input.ownerId,
        granteeType: input.granteeType,
        granteeId: input.granteeId,
        actions: [...input.actions],
        categories: [...input.categories],
        variableIds: [...input.variableIds],
        dataFrom: input.dataFrom ?? null,
        dataTo: input.dataTo ?? null,
        expiresAt: input.expiresAt ?? null,
        purpose: input.purpose ?? null,
        documentHash: input.documentHash ?? null,
        grantedBy: input.grantedBy,
        via: input.via,
      })
      .returning();
    if (!row) throw new Error("insert returned no row");
    if (input.granteeType === "study") {
      await tx
        .insert(studySubjects)
        .values({
          tenantId: input.tenantId,
          studyId: input.granteeId,
          userId: input.ownerId,
          subjectId: crypto.randomUUID(),
        })
        .onConflictDoNothing();
    }
    await recordAudit(
      tx,
      consentAudit(row, "consent.grant", {
        actorUserId: input.grantedBy,
        actorClientId: input.actorClientId ?? null,
        requestId: input.requestId ?? null,
        ip: input.ip ?? null,
      }),
    );
    return row;
  });
}

/** One grant of the owner, or null. */
export async function findConsent(db: Executor, tenantId: string, ownerId: string, id: string) {
  const [row] = await db
    .select()
    .from(consents)
    .where(and(eq(consents.tenantId, tenantId), eq(consents.userId, ownerId), eq(consents.id, id)))
    .limit(1);
  return row ?? null;
}

export interface ConsentPage {
  rows: ConsentRow[];
  /** The id of the last row when more may follow. */
  nextId: string | null;
}

/** The owner's grants, newest first (ids are UUIDv7: time-ordered), paged by id. */
export async function listConsents(
  db: Executor,
  q: { tenantId: string; ownerId: string; status?: "active" | "all"; afterId?: string; limit: number },
): Promise<ConsentPage> {
  const conditions: Array<SQL | undefined> = [eq(consents.tenantId, q.tenantId), eq(consents.userId, q.ownerId)];
  if (q.status === "active") conditions.push(...activeConditions());
  return consentPage(db, conditions, q);
}

/**
 * The live grants the principal holds: naming them as a user, a group of theirs, or (for a client
 * acting for itself) the client. Study grants are not listed: they would name the participants,
 * whom researchers only ever see under pseudonyms.
 */
export async function listHeldConsents(
  db: Executor,
  q: { principal: Extract<Principal, { kind: "user" | "client" }>; afterId?: string; limit: number },
): Promise<ConsentPage> {
  const p = q.principal;
  const grantee =
    p.kind === "user"
      ? or(
          and(eq(consents.granteeType, "user"), eq(consents.granteeId, p.userId)),
          and(
            eq(consents.granteeType, "group"),
            sql`${consents.granteeId} in (select ${userGroupMembers.groupId}::text from ${userGroupMembers}
              where ${userGroupMembers.tenantId} = ${p.tenantId} and ${userGroupMembers.userId} = ${p.userId})`,
          ),
        )
      : and(eq(consents.granteeType, "client"), eq(consents.granteeId, p.clientId));
  const conditions: Array<SQL | undefined> = [eq(consents.tenantId, p.tenantId), grantee, ...activeConditions()];
  return consentPage(db, conditions, q);
}

/** One page of grants matching `conditions`, newest first, after `afterId` (ids are UUIDv7). */
async function consentPage(
  db: Executor,
  conditions: Array<SQL | undefined>,
  q: { afterId?: string; limit: number },
): Promise<ConsentPage> {
  const where = q.afterId === undefined ? conditions : [...conditions, lt(consents.id, q.afterId)];
  return page(
    await db
      .select()
      .from(consents)
      .where(and(...where))
      .orderBy(desc(consents.id))
      .limit(q.limit + 1),
    q.limit,
  );
}

function activeConditions(): SQL[] {
  return [isNull(consents.revokedAt), or(isNull(consents.expiresAt), gt(consents.expiresAt, sql`now()`)) as SQL];
}

function page(rows: ConsentRow[], limit: number): ConsentPage {
  const kept = rows.slice(0, limit);
  return { rows: kept, nextId: rows.length > limit ? (kept[kept.length - 1]?.id ?? null) : null };
}

/**
 * Revokes one of the owner's grants now. "revoked" the first time, "already" when it was revoked
 * before, null when the owner has no such grant. The grant stops working at the next request: every
 * decision reads the grants afresh.
 */
export async function revokeConsent(
  db: Executor,
  q: {
    tenantId: string;
    ownerId: string;
    id: string;
    actorUserId: string | null;
    actorClientId?: string | null;
    requestId?: string | null;
    ip?: string | null;
  },
): Promise<"revoked" | "already" | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(consents)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(consents.tenantId, q.tenantId),
          eq(consents.userId, q.ownerId),
          eq(consents.id, q.id),
          isNull(consents.revokedAt),
        ),
      )
      .returning();
    if (!row) return (await findConsent(tx, q.tenantId, q.ownerId, q.id)) === null ? null : "already";
    await recordAudit(
      tx,
      consentAudit(row, "consent.revoke", {
        actorUserId: q.actorUserId,
        actorClientId: q.actorClientId ?? null,
        requestId: q.requestId ?? null,
        ip: q.ip ?? null,
      }),
    );
    return "revoked";
  });
}

/**
 * Revokes every live grant of the owner naming the OAuth client, however it was made (the consent
 * screen or the API): what revoking an app means. Returns how many were revoked.
 */
export async function revokeClientConsents(
  db: Executor,
  q: { tenantId: string; ownerId: string; clientId: string; actorUserId: string | null; requestId?: string | null },
): Promise<number> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(consents)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(consents.tenantId, q.tenantId),
          eq(consents.userId, q.ownerId),
          eq(consents.granteeType, "client"),
          eq(consents.granteeId, q.clientId),
          isNull(consents.revokedAt),
        ),
      )
      .returning();
    for (const row of revoked) {
      await recordAudit(
        tx,
        consentAudit(row, "consent.revoke", {
          actorUserId: q.actorUserId,
          actorClientId: q.clientId,
          requestId: q.requestId ?? null,
        }),
      );
    }
    return revoked.length;
  });
}

/**
 * What approved OAuth scopes share, per action: `observations:read` every category,
 * `observations.<category>:read` that one (the same for write). Other scopes share no health data.
 */
export function scopesToShares(scopes: readonly string[]): Map<AccessAction, Set<string>> {
  const shares = new Map<AccessAction, Set<string>>();
  const add = (action: AccessAction, categories: readonly string[]) => {
    const set = shares.get(action) ?? new Set<string>();
    for (const c of categories) set.add(c);
    shares.set(action, set);
  };
  for (const scope of scopes) {
    if (scope === "observations:read") add("read", VARIABLE_CATEGORY_SLUGS);
    else if (scope === "observations:write") add("write", VARIABLE_CATEGORY_SLUGS);
    else {
      const parsed = parseScope(scope);
      if (parsed?.kind === "category") add(parsed.action, [parsed.category]);
    }
  }
  return shares;
}

/**
 * The OAuth consent screen's approval as consent grants (grantee: the client), through the same
 * `createConsent` as `POST /v1/consents`: one grant per action, for the approved categories. A later
 * approval with more scopes widens, as the OAuth grant does: the live screen-made grant is revoked
 * and a new one covers the union (history stays in the table and the audit log).
 */
export async function recordOAuthConsent(
  db: Executor,
  q: {
    tenantId: string;
    ownerId: string;
    clientId: string;
    scopes: readonly string[];
    requestId?: string | null;
    ip?: string | null;
  },
): Promise<ConsentRow[]> {
  const shares = scopesToShares(q.scopes);
  if (shares.size === 0) return [];
  return db.transaction(async (tx) => {
    const created: ConsentRow[] = [];
    for (const [action, categories] of shares) {
      const live = await tx
        .select()
        .from(consents)
        .where(
          and(
            eq(consents.tenantId, q.tenantId),
            eq(consents.userId, q.ownerId),
            eq(consents.granteeType, "client"),
            eq(consents.granteeId, q.clientId),
            eq(consents.via, "oauth"),
            sql`${consents.actions} = array[${action}]::text[]`,
            ...activeConditions(),
          ),
        );
      const union = new Set(categories);
      for (const row of live) for (const c of row.categories) union.add(c);
      if (live.length === 1 && live[0]?.categories.length === union.size) continue; // nothing new
      for (const row of live) {
        await revokeConsent(tx, {
          tenantId: q.tenantId,
          ownerId: q.ownerId,
          id: row.id,
          actorUserId: q.ownerId,
          actorClientId: q.clientId,
          requestId: q.requestId ?? null,
          ip: q.ip ?? null,
        });
      }
      created.push(
        await createConsent(tx, {
          tenantId: q.tenantId,
          ownerId: q.ownerId,
          granteeType: "client",
          granteeId: q.clientId,
          actions: [action],
          categories: VARIABLE_CATEGORY_SLUGS.filter((c) => union.has(c)),
          variableIds: [],
          purpose: "Approved on the OAuth consent screen",
          grantedBy: q.ownerId,
          via: "oauth",
          actorClientId: q.clientId,
          requestId: q.requestId ?? null,
          ip: q.ip ?? null,
        }),
      );
    }
    return created;
  });
}

// ---- studies --------------------------------------------------------------------------------------

export type StudyRow = typeof studies.$inferSelect;

export async function createStudy(
  db: Executor,
  study: { tenantId: string; slug: string; name: string; description?: string | null },
): Promise<StudyRow | null> {
  const [row] = await db
    .insert(studies)
    .values({
      id: uuidv7(),
      tenantId: study.tenantId,
      slug: study.slug,
      name: study.name,
      description: study.description ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export async function findStudy(db: Executor, tenantId: string, id: string): Promise<StudyRow | null> {
  const [row] = await db
    .select()
    .from(studies)
    .where(and(eq(studies.tenantId, tenantId), eq(studies.id, id)))
    .limit(1);
  return row ?? null;
}

/**
 * Adds a researcher to a study. "added" (or "already"), or why not: the user is not an active user
 * of the tenant, or does not hold the `researcher` role.
 */
export async function addStudyMember(
  db: Executor,
  q: { tenantId: string; studyId: string; userId: string },
): Promise<"added" | "already" | "unknown_user" | "not_researcher"> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, q.tenantId), eq(users.id, q.userId), eq(users.status, "active")))
    .limit(1);
  if (!user) return "unknown_user";
  const [role] = await db
    .select({ role: roles.role })
    .from(roles)
    .where(and(eq(roles.tenantId, q.tenantId), eq(roles.userId, q.userId), eq(roles.role, "researcher")))
    .limit(1);
  if (!role) return "not_researcher";
  const inserted = await db
    .insert(studyMembers)
    .values({ tenantId: q.tenantId, studyId: q.studyId, userId: q.userId })
    .onConflictDoNothing()
    .returning({ userId: studyMembers.userId });
  return inserted.length > 0 ? "added" : "already";
}

export async function isStudyMember(db: Executor, tenantId: string, studyId: string, userId: string) {
  const [row] = await db
    .select({ userId: studyMembers.userId })
    .from(studyMembers)
    .where(and(eq(studyMembers.tenantId, tenantId), eq(studyMembers.studyId, studyId), eq(studyMembers.userId, userId)))
    .limit(1);
  return row !== undefined;
}

export interface StudyParticipant {
  userId: string;
  subjectId: string;
}

/**
 * Participants who may have consented: a pseudonym in the study and a live (unrevoked, unexpired)
 * study grant, in pseudonym order. The decision for each is still the
 * owner's Durable Object's; this only finds whom to ask.
 */
export async function studyParticipants(
  db: Executor,
  q: {
    tenantId: string;
    studyId: string;
    /** Start at this pseudonym (inclusive), or after it (`afterSubject`, exclusive). */
    fromSubject?: string;
    afterSubject?: string;
    limit: number;
  },
): Promise<StudyParticipant[]> {
  const conditions: Array<SQL | undefined> = [
    eq(studySubjects.tenantId, q.tenantId),
    eq(studySubjects.studyId, q.studyId),
    sql`exists (select 1 from ${consents} where ${consents.tenantId} = ${studySubjects.tenantId}
      and ${consents.userId} = ${studySubjects.userId} and ${consents.granteeType} = 'study'
      and ${consents.granteeId} = ${studySubjects.studyId}::text and ${consents.revokedAt} is null
      and (${consents.expiresAt} is null or ${consents.expiresAt} > now()))`,
  ];
  if (q.fromSubject !== undefined) conditions.push(sql`${studySubjects.subjectId} >= ${q.fromSubject}::uuid`);
  if (q.afterSubject !== undefined) conditions.push(sql`${studySubjects.subjectId} > ${q.afterSubject}::uuid`);
  return db
    .select({ userId: studySubjects.userId, subjectId: studySubjects.subjectId })
    .from(studySubjects)
    .where(and(...conditions))
    .orderBy(studySubjects.subjectId)
    .limit(q.limit);
}

/** One participant whose owner's Durable Object allowed the read, with what it opened. */
export interface AllowedParticipant extends StudyParticipant {
  scope: readonly GrantScope[];
}

/** A research row: a pseudonym and the measurement, nothing that identifies the person or the record. */
export interface StudyObservationRow {
  subjectId: string;
  variableId: string;
  variableSlug: string;
  variableName: string;
  category: string;
  startAt: Date;
  endAt: Date | null;
  value: number | null;
  valueCode: string | null;
  valueBoolean: boolean | null;
  unit: string | null;
  isValid: boolean;
  isOutlier: boolean;
}

/** The research sort key: pseudonym, exact start (microseconds), and a per-study row key. */
export interface StudyRowKey {
  subjectId: string;
  /** Null: continue with the next subject. */
  startAt: string | null;
  rowKey: string | null;
}

/**
 * The observations of the allowed participants, each narrowed to its grants' scopes (variables and
 * data windows), under their study pseudonyms. Only the columns of `StudyObservationRow` leave: no
 * user id, observation id, file or job id, source, note, free text or metadata. The page key's row
 * part is md5(study id ‖ observation id): stable within the study, meaningless outside it.
 */
export async function studyObservations(
  db: Executor,
  q: {
    tenantId: string;
    studyId: string;
    participants: readonly AllowedParticipant[];
    variableId?: string;
    categories?: readonly string[];
    from?: Date;
    to?: Date;
    after?: StudyRowKey;
    limit: number;
  },
): Promise<{ rows: StudyObservationRow[]; nextKey: StudyRowKey | null }> {
  const pieces = q.participants.flatMap((p) =>
    p.scope.map(
      (s) =>
        // sql.param: one array parameter each (a bare JS array would expand to a list of parameters).
        sql`(${p.userId}::uuid, ${p.subjectId}::uuid, ${sql.param([...s.categories])}::text[],
             ${sql.param([...s.variableIds])}::uuid[],
             ${s.from?.toISOString() ?? null}::timestamptz, ${s.to?.toISOString() ?? null}::timestamptz)`,
    ),
  );
  if (pieces.length === 0) return { rows: [], nextKey: null };
  const rowKey = sql`md5(${q.studyId}::text || ${observations.id}::text)`;
  const filters: SQL[] = [];
  if (q.variableId !== undefined) filters.push(sql`and ${observations.variableId} = ${q.variableId}::uuid`);
  if (q.categories !== undefined) {
    filters.push(
      q.categories.length === 0
        ? sql`and false`
        : sql`and ${variableCategories.slug} = any(${sql.param([...q.categories])}::text[])`,
    );
  }
  if (q.from !== undefined) filters.push(sql`and ${observations.startAt} >= ${q.from.toISOString()}::timestamptz`);
  if (q.to !== undefined) filters.push(sql`and ${observations.startAt} < ${q.to.toISOString()}::timestamptz`);
  if (q.after !== undefined) {
    const { subjectId, startAt, rowKey: key } = q.after;
    filters.push(
      startAt === null || key === null
        ? sql`and s.subject_id > ${subjectId}::uuid`
        : sql`and (s.subject_id, ${observations.startAt}, ${rowKey}) > (${subjectId}::uuid, ${startAt}::timestamptz, ${key})`,
    );
  }
  const result = await db.execute<{
    subject_id: string;
    variable_id: string;
    variable_slug: string;
    variable_name: string;
    category: string;
    start_at: string;
    start_key: string;
    end_at: string | null;
    value: number | null;
    value_code: string | null;
    value_boolean: boolean | null;
    unit: string | null;
    is_valid: boolean;
    is_outlier: boolean;
    row_key: string;
  }>(sql`
    with pieces (user_id, subject_id, categories, variable_ids, data_from, data_to) as (values ${sql.join(pieces, sql`, `)}),
         s as (select distinct user_id, subject_id from pieces)
    select s.subject_id::text as subject_id, ${variables.id} as variable_id, ${variables.slug} as variable_slug,
           ${variables.name} as variable_name, ${variableCategories.slug} as category,
           ${observations.startAt} as start_at,
           to_char(${observations.startAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as start_key,
           ${observations.endAt} as end_at, ${observations.value} as value, ${observations.valueCode} as value_code,
           ${observations.valueBoolean} as value_boolean, ${observations.unit} as unit,
           ${observations.isValid} as is_valid, ${observations.isOutlier} as is_outlier, ${rowKey} as row_key
    from s
    join ${observations} on ${observations.tenantId} = ${q.tenantId} and ${observations.userId} = s.user_id
    join ${variables} on ${variables.id} = ${observations.variableId} and ${variables.version} = ${observations.variableVersion}
    join ${variableCategories} on ${variableCategories.id} = ${variables.categoryId}
      and ${variableCategories.tenantId} in (${SYSTEM_TENANT_ID}, ${q.tenantId})
    where exists (
      select 1 from pieces p where p.user_id = s.user_id
        and (${variableCategories.slug} = any(p.categories) or ${observations.variableId} = any(p.variable_ids))
        and (p.data_from is null or ${observations.startAt} >= p.data_from)
        and (p.data_to is null or ${observations.startAt} < p.data_to))
    ${sql.join(filters, sql` `)}
    order by s.subject_id, ${observations.startAt}, ${rowKey}
    limit ${q.limit + 1}`);
  const rows = result.rows.slice(0, q.limit);
  const last = result.rows.length > q.limit ? rows[rows.length - 1] : undefined;
  return {
    rows: rows.map((r) => ({
      subjectId: r.subject_id,
      variableId: r.variable_id,
      variableSlug: r.variable_slug,
      variableName: r.variable_name,
      category: r.category,
      startAt: new Date(r.start_at),
      endAt: r.end_at === null ? null : new Date(r.end_at),
      value: r.value === null ? null : Number(r.value),
      valueCode: r.value_code,
      valueBoolean: r.value_boolean,
      unit: r.unit,
      isValid: r.is_valid,
      isOutlier: r.is_outlier,
    })),
    nextKey: last === undefined ? null : { subjectId: last.subject_id, startAt: last.start_key, rowKey: last.row_key },
  };
}
