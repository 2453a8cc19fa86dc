/**
 * Consent grants: what an owner (or their custodian, or the OAuth consent screen) shares, with whom,
 * for how long; created, listed and revoked with an audit entry each.
 *
 * Public entry points other modules call:
 *
 *   revokeClientConsents(db, { tenantId, ownerId, clientId, actorUserId, requestId? }): Promise<number>
 *     Revokes every live grant naming the OAuth client (what "revoke this app" must also do).
 *
 * The consent decision itself is `evaluateAccess` in @dfda/core, made by the owner's Durable Object
 * (durable-objects/user-writer) from `loadAccessFacts` (./access.ts), read from Postgres at every
 * question: nothing about grants is cached anywhere, so a revocation holds from the next request on.
 * Custodians, groups and studies have their own modules. docs/consent.md describes the model.
 */
import {
  type AccessAction,
  type ConsentGrant,
  type GranteeType,
  type Principal,
  parseScope,
  platformScopesOf,
  uuidv7,
  VARIABLE_CATEGORY_SLUGS,
} from "@dfda/core";
import { and, desc, eq, gt, isNotNull, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { consents, oauthClients, plugins, studySubjects, userGroupMembers, userGroups, users } from "../schema";
import { type AuditEvent, recordAudit } from "./audit";
import { findStudy } from "./studies";
import { recordWebhookEvent } from "./webhooks";

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

/**
 * The person a grant to `email` names: an active account of the tenant whose address is that one exactly
 * (case-insensitive, as `users_tenant_email_key` compares them) and verified, and who is not the owner.
 * An unverified address names nobody: anyone may sign up with any address, and a grant must not reach
 * whoever registered it first. Null for every other case alike, so a caller cannot tell them apart.
 */
export async function personByVerifiedEmail(
  db: Executor,
  tenantId: string,
  ownerId: string,
  email: string,
): Promise<string | null> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        sql`lower(${users.email}) = lower(${email})`,
        eq(users.status, "active"),
        isNotNull(users.emailVerifiedAt),
      ),
    )
    .limit(1);
  return row === undefined || row.id === ownerId ? null : row.id;
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
    case "plugin": {
      // A plugin the tenant's administrators registered and left enabled, by its slug (issue 14).
      const [row] = await db
        .select({ id: plugins.id })
        .from(plugins)
        .where(and(eq(plugins.tenantId, tenantId), eq(plugins.slug, id), eq(plugins.enabled, true)))
        .limit(1);
      return row !== undefined;
    }
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
    await recordWebhookEvent(tx, consentEvent(row, "consent.granted"));
    return row;
  });
}

/** A grant's webhook event (docs/webhooks.md): what it opens, never any data. */
function consentEvent(row: ConsentRow, type: "consent.granted" | "consent.revoked") {
  return {
    tenantId: row.tenantId,
    userId: row.userId,
    type,
    consentId: row.id,
    data: {
      consent_id: row.id,
      grantee: { type: row.granteeType, id: row.granteeId },
      actions: row.actions,
      categories: row.categories,
      variable_ids: row.variableIds,
      expires_at: row.expiresAt?.toISOString() ?? null,
    },
  };
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
    await recordWebhookEvent(tx, consentEvent(row, "consent.revoked"));
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
      await recordWebhookEvent(tx, consentEvent(row, "consent.revoked"));
    }
    return revoked.length;
  });
}

/**
 * The owner's live grants naming OAuth clients (background access: what each app's servers may do
 * with client credentials, whether ticked on the consent screen or made with POST /v1/consents), by
 * client id, for `GET /v1/me/apps`.
 */
export async function liveClientGrants(
  db: Executor,
  tenantId: string,
  ownerId: string,
): Promise<Map<string, ConsentRow[]>> {
  const rows = await db
    .select()
    .from(consents)
    .where(
      and(
        eq(consents.tenantId, tenantId),
        eq(consents.userId, ownerId),
        eq(consents.granteeType, "client"),
        ...activeConditions(),
      ),
    )
    .orderBy(consents.id);
  const byClient = new Map<string, ConsentRow[]>();
  for (const row of rows) byClient.set(row.granteeId, [...(byClient.get(row.granteeId) ?? []), row]);
  return byClient;
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
  // SMART scopes share what the platform scopes they alias share (the grant is of the person's own data).
  for (const scope of scopes.flatMap((s) => platformScopesOf(s).map((p) => p.scope))) {
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
 * Background access ticked on the OAuth consent screen, as consent grants (grantee: the client) that
 * expire at `expiresAt`, through the same `createConsent` as `POST /v1/consents`: one grant per action,
 * for the approved categories. A later approval that ticks it again widens and renews: the live
 * screen-made grant is revoked and a new one covers the union until the new date (history stays in
 * the table and the audit log).
 */
export async function recordOAuthConsent(
  db: Executor,
  q: {
    tenantId: string;
    ownerId: string;
    clientId: string;
    scopes: readonly string[];
    /** When the background access ends: the consent screen always sets one (issue 12). */
    expiresAt: Date;
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
      const same = live[0]?.expiresAt?.getTime() === q.expiresAt.getTime();
      if (live.length === 1 && live[0]?.categories.length === union.size && same) continue; // nothing new
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
          expiresAt: q.expiresAt,
          purpose: "Background access approved on the OAuth consent screen",
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
