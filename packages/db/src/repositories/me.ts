/**
 * What a person sees about their own data and whom they share it with: per-variable and per-source
 * statistics, the apps holding grants (revocable at once), and the access log (every access to their
 * data by someone else, allowed or denied). Scoped to one tenant and one person in every query.
 */
import { and, desc, eq, gte, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { auditLog, oauthClients, oauthGrants, oauthRefreshTokens, observations, sources, variables } from "../schema";

export interface VariableStats {
  variableId: string;
  slug: string;
  name: string;
  category: string;
  unit: string | null;
  count: number;
  first: Date;
  last: Date;
  min: number | null;
  max: number | null;
  mean: number | null;
  sources: string[];
}

export interface SourceStats {
  slug: string;
  name: string;
  count: number;
  first: Date;
  last: Date;
}

/** Per-variable and per-source statistics of the person's observations (one pass over their rows). */
export async function myStats(
  db: Database,
  tenantId: string,
  userId: string,
): Promise<{ variables: VariableStats[]; sources: SourceStats[]; total: number }> {
  const result = await db.execute<{
    variable_id: string;
    source_id: string;
    n: number;
    first: Date;
    last: Date;
    min: number | null;
    max: number | null;
    sum: number | null;
    numeric: number;
  }>(sql`
    select variable_id, source_id, count(*)::int as n, min(start_at) as first, max(start_at) as last,
           min(value) as min, max(value) as max, sum(value) as sum, count(value)::int as numeric
    from ${observations}
    where tenant_id = ${tenantId} and user_id = ${userId}
    group by variable_id, source_id`);
  const variableIds = [...new Set(result.rows.map((r) => r.variable_id))];
  const sourceIds = [...new Set(result.rows.map((r) => r.source_id))];
  const defs =
    variableIds.length === 0
      ? []
      : (
          await db.execute<{ id: string; slug: string; name: string; category: string; unit: string | null }>(sql`
            select distinct on (v.id) v.id, v.slug, v.name, c.slug as category, v.canonical_unit as unit
            from ${variables} v join variable_categories c on c.id = v.category_id
            where v.id = any(${sql.param(variableIds)}::uuid[])
            order by v.id, v.version desc`)
        ).rows;
  const srcs =
    sourceIds.length === 0
      ? []
      : await db
          .select({ id: sources.id, slug: sources.slug, name: sources.name })
          .from(sources)
          .where(and(eq(sources.tenantId, tenantId), sql`${sources.id} = any(${sql.param(sourceIds)}::uuid[])`));
  const defById = new Map(defs.map((d) => [d.id, d]));
  const srcById = new Map(srcs.map((s) => [s.id, s]));
  const byVariable = new Map<string, VariableStats & { sum: number; numeric: number }>();
  const bySource = new Map<string, SourceStats>();
  let total = 0;
  for (const r of result.rows) {
    const n = Number(r.n);
    total += n;
    const first = new Date(r.first);
    const last = new Date(r.last);
    const slug = srcById.get(r.source_id)?.slug ?? r.source_id;
    const def = defById.get(r.variable_id);
    const v = byVariable.get(r.variable_id) ?? {
      variableId: r.variable_id,
      slug: def?.slug ?? r.variable_id,
      name: def?.name ?? "",
      category: def?.category ?? "",
      unit: def?.unit ?? null,
      count: 0,
      first,
      last,
      min: null,
      max: null,
      mean: null,
      sources: [],
      sum: 0,
      numeric: 0,
    };
    v.count += n;
    if (first < v.first) v.first = first;
    if (last > v.last) v.last = last;
    const min = r.min === null ? null : Number(r.min);
    const max = r.max === null ? null : Number(r.max);
    if (min !== null) v.min = v.min === null ? min : Math.min(v.min, min);
    if (max !== null) v.max = v.max === null ? max : Math.max(v.max, max);
    v.sum += r.sum === null ? 0 : Number(r.sum);
    v.numeric += Number(r.numeric);
    if (!v.sources.includes(slug)) v.sources.push(slug);
    byVariable.set(r.variable_id, v);
    const s = bySource.get(slug) ?? { slug, name: srcById.get(r.source_id)?.name ?? slug, count: 0, first, last };
    s.count += n;
    if (first < s.first) s.first = first;
    if (last > s.last) s.last = last;
    bySource.set(slug, s);
  }
  return {
    total,
    variables: [...byVariable.values()]
      .map(({ sum, numeric, ...v }) => ({ ...v, mean: numeric > 0 ? sum / numeric : null, sources: v.sources.sort() }))
      .sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug)),
    sources: [...bySource.values()].sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug)),
  };
}

export interface ConnectedApp {
  clientId: string;
  name: string;
  scopes: string[];
  grantedAt: Date;
  lastUsedAt: Date | null;
}

/** The OAuth clients holding a live grant from the person. */
export async function connectedApps(db: Executor, tenantId: string, userId: string): Promise<ConnectedApp[]> {
  const rows = await db
    .select({
      clientId: oauthGrants.clientId,
      name: oauthClients.name,
      scopes: oauthGrants.scopes,
      grantedAt: oauthGrants.createdAt,
      lastUsedAt: oauthGrants.lastUsedAt,
    })
    .from(oauthGrants)
    .leftJoin(oauthClients, eq(oauthClients.clientId, oauthGrants.clientId))
    .where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.userId, userId), isNull(oauthGrants.revokedAt)))
    .orderBy(desc(oauthGrants.lastUsedAt), oauthGrants.clientId);
  return rows.map((r) => ({ ...r, name: r.name ?? r.clientId }));
}

/**
 * Revokes the person's grant to a client and, at once, its tokens: refresh tokens are revoked here,
 * and access tokens stop working because every request checks the grant (`tokenState`).
 */
export async function revokeApp(db: Database, tenantId: string, userId: string, clientId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(oauthGrants)
      .set({ revokedAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(oauthGrants.tenantId, tenantId),
          eq(oauthGrants.userId, userId),
          eq(oauthGrants.clientId, clientId),
          isNull(oauthGrants.revokedAt),
        ),
      )
      .returning({ id: oauthGrants.id });
    if (revoked.length === 0) return false;
    await tx
      .update(oauthRefreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(oauthRefreshTokens.tenantId, tenantId),
          eq(oauthRefreshTokens.userId, userId),
          eq(oauthRefreshTokens.clientId, clientId),
          isNull(oauthRefreshTokens.revokedAt),
        ),
      );
    return true;
  });
}

/** Records that a client used the person's grant (a token was issued for it). */
export async function touchGrant(db: Executor, tenantId: string, userId: string, clientId: string): Promise<void> {
  await db
    .update(oauthGrants)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.userId, userId), eq(oauthGrants.clientId, clientId)));
}

export type AccessLogEntry = typeof auditLog.$inferSelect;

/**
 * Narrows the access log (GET /v1/me/access-log's filters): each one given must hold. `actorKind` is
 * `user` for a person (with or without an app between) and `client` for an app acting for itself
 * (client credentials: no person). `from` is inclusive and `to` exclusive, on `occurred_at`.
 */
export interface AccessLogFilter {
  outcome?: "success" | "failure" | "denied";
  actorUserId?: string;
  actorClientId?: string;
  actorKind?: "user" | "client";
  action?: string;
  from?: Date;
  to?: Date;
}

/**
 * Accesses to the person's data by anyone else (another person, an app acting for itself, a
 * researcher), allowed or denied, newest first, keyset-paged by id, optionally narrowed by `filter`.
 */
export async function accessLog(
  db: Executor,
  tenantId: string,
  userId: string,
  limit: number,
  beforeId?: number,
  filter: AccessLogFilter = {},
): Promise<AccessLogEntry[]> {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.subjectUserId, userId),
        or(isNull(auditLog.actorUserId), ne(auditLog.actorUserId, userId)),
        beforeId === undefined ? undefined : lt(auditLog.id, beforeId),
        filter.outcome === undefined ? undefined : eq(auditLog.outcome, filter.outcome),
        filter.actorUserId === undefined ? undefined : eq(auditLog.actorUserId, filter.actorUserId),
        filter.actorClientId === undefined ? undefined : eq(auditLog.actorClientId, filter.actorClientId),
        filter.actorKind === "user" ? isNotNull(auditLog.actorUserId) : undefined,
        filter.actorKind === "client"
          ? and(isNull(auditLog.actorUserId), isNotNull(auditLog.actorClientId))
          : undefined,
        filter.action === undefined ? undefined : eq(auditLog.action, filter.action),
        filter.from === undefined ? undefined : gte(auditLog.occurredAt, filter.from),
        filter.to === undefined ? undefined : lt(auditLog.occurredAt, filter.to),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
