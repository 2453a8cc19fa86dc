/**
 * Analyses (issue 14, docs/plugins.md "Running analyses"): one row per analysis a person (or an app acting
 * for them) asked a plugin to run on their data. `POST /v1/analyses` creates it `queued`; the analysis
 * Worker claims a run (`running`), then stores the result with the plugin version and the data window it
 * saw (`succeeded`), or a problem (`failed`). With `recompute`, the Cron sweep queues the next run once the
 * person has data newer than `data_through`.
 *
 * Runs are numbered (`runs`): a queued message names the run it is for, and a run that already finished is
 * never claimed again, so a redelivered message changes nothing. Every query is scoped by tenant (and by
 * person where a person asks): an analysis is never visible across people.
 */
import { uuidv7 } from "@dfda/core";
import { and, desc, eq, lt, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { analyses, plugins } from "../schema";

export type AnalysisRow = typeof analyses.$inferSelect;

export interface AnalysisOwner {
  tenantId: string;
  userId: string;
}

/** An enabled plugin of the tenant, by its id (slug), as the registry stores it; null when there is none. */
export async function enabledPlugin(db: Executor, tenantId: string, slug: string) {
  const [row] = await db
    .select()
    .from(plugins)
    .where(and(eq(plugins.tenantId, tenantId), eq(plugins.slug, slug), eq(plugins.enabled, true)))
    .limit(1);
  return row ?? null;
}

/** Sets analyses the sweep queued but could not send back to `succeeded`, for the next sweep. */
export async function unqueue(db: Executor, q: { tenantId: string; id: string }): Promise<void> {
  await db
    .update(analyses)
    .set({ status: "succeeded" })
    .where(and(eq(analyses.tenantId, q.tenantId), eq(analyses.id, q.id), eq(analyses.status, "queued")));
}

export async function createAnalysis(
  db: Executor,
  input: AnalysisOwner & {
    requestedByUser: string | null;
    requestedByClient: string | null;
    pluginId: string;
    pluginVersion: string;
    input: unknown;
    recompute: boolean;
  },
): Promise<AnalysisRow> {
  const [row] = await db
    .insert(analyses)
    .values({
      id: uuidv7(),
      tenantId: input.tenantId,
      userId: input.userId,
      requestedByUser: input.requestedByUser,
      requestedByClient: input.requestedByClient,
      pluginId: input.pluginId,
      pluginVersion: input.pluginVersion,
      input: input.input,
      recompute: input.recompute,
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** Removes an analysis that could not be queued (no analysis waits for ever). */
export async function deleteAnalysis(db: Executor, owner: AnalysisOwner, id: string): Promise<void> {
  await db
    .delete(analyses)
    .where(and(eq(analyses.tenantId, owner.tenantId), eq(analyses.userId, owner.userId), eq(analyses.id, id)));
}

/** The person's analysis, or null (someone else's is null too). */
export async function findAnalysis(db: Executor, owner: AnalysisOwner, id: string): Promise<AnalysisRow | null> {
  const [row] = await db
    .select()
    .from(analyses)
    .where(and(eq(analyses.tenantId, owner.tenantId), eq(analyses.userId, owner.userId), eq(analyses.id, id)))
    .limit(1);
  return row ?? null;
}

/** The person's analyses, newest first (ids are UUIDv7: time-ordered), paged by id. */
export async function listAnalyses(
  db: Executor,
  q: AnalysisOwner & { afterId?: string; limit: number },
): Promise<{ rows: AnalysisRow[]; nextId: string | null }> {
  const rows = await db
    .select()
    .from(analyses)
    .where(
      and(
        eq(analyses.tenantId, q.tenantId),
        eq(analyses.userId, q.userId),
        q.afterId === undefined ? undefined : lt(analyses.id, q.afterId),
      ),
    )
    .orderBy(desc(analyses.id))
    .limit(q.limit + 1);
  const kept = rows.slice(0, q.limit);
  return { rows: kept, nextId: rows.length > q.limit ? (kept[kept.length - 1]?.id ?? null) : null };
}

/**
 * Claims run `run` of the analysis for the Worker: `running`, progress 0. Null when that run already
 * finished (or the analysis is gone): the message is a redelivery and is acked without work. A run found
 * `running` (an attempt that died) is claimed again.
 */
export async function claimRun(
  db: Executor,
  q: AnalysisOwner & { id: string; run: number; now: Date },
): Promise<AnalysisRow | null> {
  const [row] = await db
    .update(analyses)
    .set({ status: "running", runs: q.run, progress: 0, updatedAt: q.now })
    .where(
      and(
        eq(analyses.tenantId, q.tenantId),
        eq(analyses.userId, q.userId),
        eq(analyses.id, q.id),
        or(lt(analyses.runs, q.run), and(eq(analyses.runs, q.run), eq(analyses.status, "running"))),
      ),
    )
    .returning();
  return row ?? null;
}

/** Reports progress (0–1) of the run in flight. */
export async function reportProgress(db: Executor, q: { tenantId: string; id: string; run: number; progress: number }) {
  await db
    .update(analyses)
    .set({ progress: Math.max(0, Math.min(1, q.progress)), updatedAt: new Date() })
    .where(
      and(
        eq(analyses.tenantId, q.tenantId),
        eq(analyses.id, q.id),
        eq(analyses.runs, q.run),
        eq(analyses.status, "running"),
      ),
    );
}

/** Stores the result of run `run`, with the plugin version and the data window it saw. */
export async function finishRun(
  db: Executor,
  q: {
    tenantId: string;
    id: string;
    run: number;
    result: unknown;
    pluginVersion: string;
    dataFrom: Date;
    dataTo: Date;
    dataThrough: Date | null;
    now: Date;
  },
): Promise<boolean> {
  const rows = await db
    .update(analyses)
    .set({
      status: "succeeded",
      progress: 1,
      result: q.result,
      problem: null,
      pluginVersion: q.pluginVersion,
      dataFrom: q.dataFrom,
      dataTo: q.dataTo,
      dataThrough: q.dataThrough,
      updatedAt: q.now,
      finishedAt: q.now,
    })
    .where(and(eq(analyses.tenantId, q.tenantId), eq(analyses.id, q.id), eq(analyses.runs, q.run)))
    .returning({ id: analyses.id });
  return rows.length > 0;
}

/**
 * Ends the analysis `failed` with a problem (RFC 9457 members, safe to show). `run` null: whatever run is
 * current (a message that does not parse); a dead letter of run n ends it unless a later run started. A failed run clears the earlier result: after a
 * revoked grant, no result computed from the data it covered is served as current.
 */
export async function failRun(
  db: Executor,
  q: { tenantId: string; id: string; run: number | null; problem: Record<string, unknown>; now: Date },
): Promise<void> {
  await db
    .update(analyses)
    .set({ status: "failed", problem: q.problem, result: null, updatedAt: q.now, finishedAt: q.now })
    .where(
      and(
        eq(analyses.tenantId, q.tenantId),
        eq(analyses.id, q.id),
        // A failure of run n never overwrites what a later run did.
        q.run === null ? undefined : lte(analyses.runs, q.run),
      ),
    );
}

/**
 * The Cron sweep: analyses with `recompute` whose last run succeeded and whose person has valid data newer
 * than what that run saw (`data_through`; any data at all when it saw none) are set `queued` again, at
 * most `limit` of them, and returned with the run number to queue. Rows already queued are not picked.
 */
export async function queueStaleAnalyses(
  db: Executor,
  limit: number,
  now: Date,
): Promise<Array<{ tenantId: string; userId: string; id: string; run: number }>> {
  const { rows } = await db.execute<{ tenant_id: string; user_id: string; id: string; runs: number }>(sql`
    update analyses a set status = 'queued', updated_at = ${now.toISOString()}::timestamptz
    where a.id in (
      select s.id from analyses s
      where s.recompute and s.status = 'succeeded'
        and exists (select 1 from observation_hourly h
          where h.tenant_id = s.tenant_id and h.user_id = s.user_id
            and (s.data_through is null
                 or (h.hour >= date_trunc('hour', s.data_through, 'UTC') and h.last_at > s.data_through)))
      order by s.updated_at
      limit ${limit}
      for update skip locked)
    returning a.tenant_id, a.user_id, a.id, a.runs`);
  return rows.map((r) => ({ tenantId: r.tenant_id, userId: r.user_id, id: r.id, run: Number(r.runs) + 1 }));
}
