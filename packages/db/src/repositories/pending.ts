/**
 * Pending observations (issue 15): values a file named only by a local code no mapping resolved yet.
 * Their whole life is here: the mapper stages them with its file job (`stagePending`, cleared with the
 * job's other staging by `clearStaged`), the file's next mapping replaces them (`removeFileObservations`),
 * administrators list them per code (`listUnmappedCodes`), a new code mapping moves them into
 * `observations` exactly once through the owner's writer (`pendingForRemap`, `commitPendingJob`), and
 * erasure and export see them (`deleteObservations`, `eraseUser`; the export reads them with `exportPendingPage`
 * in exports.ts).
 *
 * Every function takes the tenant explicitly; there is no unscoped query.
 */
import {
  decodeCursor,
  encodeCursor,
  type IngestIssue,
  type NormalizedRow,
  REMAP_MESSAGE_IDS,
  type RemapPendingMessage,
  uuidv7,
  type WriteResult,
} from "@dfda/core";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { ingestJobs, pendingObservations } from "../schema";
import { createJob, finishJob, insertIssues } from "./jobs";
import { insertObservations } from "./observations";
import { addToRollups } from "./rollups";
import { unnestRows } from "./row-columns";

/** One value held as pending: its local coding and the observation input without `variable`. */
export interface PendingItem {
  system: string;
  code: string;
  display: string | null;
  /** `ObservationInput` without `variable` (value, unit, start_at, end_at, note, metadata with `location`). */
  observation: Record<string, unknown>;
}

export interface PendingOwner {
  tenantId: string;
  userId: string;
  sourceId: string;
  fileId: string | null;
  jobId: string;
}

/** Rows per insert statement (each row is 9 parameters, far below PostgreSQL's 65,535). */
const PER_STATEMENT = 2_000;

/** Holds a file job's pending values (visible to the lists once the job has finished). */
export async function stagePending(db: Executor, owner: PendingOwner, items: readonly PendingItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += PER_STATEMENT) {
    await db.insert(pendingObservations).values(
      items.slice(i, i + PER_STATEMENT).map((item) => ({
        id: uuidv7(),
        tenantId: owner.tenantId,
        userId: owner.userId,
        system: item.system,
        code: item.code,
        display: item.display,
        observation: item.observation,
        sourceId: owner.sourceId,
        fileId: owner.fileId,
        jobId: owner.jobId,
      })),
    );
  }
}

/** How many values each job holds as pending (its `pending` count). */
export async function pendingCountOfJob(db: Executor, tenantId: string, jobId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(pendingObservations)
    .where(and(eq(pendingObservations.tenantId, tenantId), eq(pendingObservations.jobId, jobId)));
  return Number(row?.n ?? 0);
}

/** Jobs whose pending values are not (yet, or any longer) part of the record: staged by a running or failed job. */
const unsettled = (tenantId: string) => sql`(select j.id from ${ingestJobs} j where j.tenant_id = ${tenantId}
  and j.status in ('queued', 'processing', 'failed'))`;

export interface UnmappedCode {
  system: string;
  code: string;
  display: string | null;
  count: number;
  users: number;
  examples: Array<{ value: unknown; unit: string | null }>;
  units: string[];
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * The tenant's local codes with pending values, by `{system, code}`, with counts, a few example values
 * and the units seen, and when they were first and last received; `limit` per page, keyset-paged by
 * (system, code). Values of a job still running (or failed) are not counted.
 */
export async function listUnmappedCodes(
  db: Executor,
  tenantId: string,
  cursor: string | undefined,
  limit: number,
): Promise<{ rows: UnmappedCode[]; nextCursor: string | null }> {
  const after = cursor === undefined ? null : decodeCursor("unmapped-codes", cursor, 2);
  const result = await db.execute<{
    system: string;
    code: string;
    display: string | null;
    count: number;
    users: number;
    examples: Array<{ value: unknown; unit: string | null }>;
    units: string[] | null;
    first_seen: Date;
    last_seen: Date;
  }>(sql`
    select p.system, p.code, max(p.display) as display, count(*)::int as count,
      count(distinct p.user_id)::int as users,
      (array_agg(jsonb_build_object('value', p.observation->'value', 'unit', p.observation->>'unit')
         order by p.created_at desc))[1:3] as examples,
      array_agg(distinct p.observation->>'unit') filter (where p.observation ? 'unit') as units,
      min(p.created_at) as first_seen, max(p.created_at) as last_seen
    from ${pendingObservations} p
    where p.tenant_id = ${tenantId}
      and (p.job_id is null or p.job_id not in ${unsettled(tenantId)})
      ${after === null ? sql`` : sql`and (p.system, p.code) > (${String(after[0])}, ${String(after[1])})`}
    group by p.system, p.code
    order by p.system, p.code
    limit ${limit + 1}`);
  const rows = result.rows.slice(0, limit).map((r) => ({
    system: r.system,
    code: r.code,
    display: r.display,
    count: Number(r.count),
    users: Number(r.users),
    examples: r.examples,
    units: r.units ?? [],
    firstSeen: new Date(r.first_seen),
    lastSeen: new Date(r.last_seen),
  }));
  const last = rows[rows.length - 1];
  const nextCursor =
    result.rows.length > limit && last ? encodeCursor("unmapped-codes", [last.system, last.code]) : null;
  return { rows, nextCursor };
}

/** A group of pending values a new mapping resolves: one owner, one file job, one source. */
export interface RemapGroup {
  userId: string;
  sourceId: string;
  fileId: string | null;
  /** The job that held them (its writer is the actor of the re-mapped write). */
  jobId: string | null;
  ids: string[];
}

/**
 * The settled pending values of `{system, code}` in the tenant, grouped by owner, file job and source,
 * at most `REMAP_MESSAGE_IDS` per group (one queue message each).
 */
export async function pendingForRemap(
  db: Executor,
  tenantId: string,
  system: string,
  code: string,
): Promise<RemapGroup[]> {
  const rows = await db
    .select({
      id: pendingObservations.id,
      userId: pendingObservations.userId,
      sourceId: pendingObservations.sourceId,
      fileId: pendingObservations.fileId,
      jobId: pendingObservations.jobId,
    })
    .from(pendingObservations)
    .where(
      and(
        eq(pendingObservations.tenantId, tenantId),
        eq(pendingObservations.system, system),
        eq(pendingObservations.code, code),
        sql`(${pendingObservations.jobId} is null or ${pendingObservations.jobId} not in ${unsettled(tenantId)})`,
      ),
    )
    .orderBy(asc(pendingObservations.userId), asc(pendingObservations.id));
  const groups = new Map<string, RemapGroup>();
  const out: RemapGroup[] = [];
  for (const r of rows) {
    const key = JSON.stringify([r.userId, r.sourceId, r.fileId, r.jobId]);
    let group = groups.get(key);
    if (!group || group.ids.length >= REMAP_MESSAGE_IDS) {
      group = { userId: r.userId, sourceId: r.sourceId, fileId: r.fileId, jobId: r.jobId, ids: [] };
      groups.set(key, group);
      out.push(group);
    }
    group.ids.push(r.id);
  }
  return out;
}

/** The writer of a job (its client and acting user), to re-map its pending values as the same actor. */
export async function jobActor(
  db: Executor,
  tenantId: string,
  jobId: string,
): Promise<{ clientId: string | null; userId: string | null } | null> {
  const [job] = await db
    .select({ clientId: ingestJobs.clientId, writer: ingestJobs.writer, userId: ingestJobs.userId })
    .from(ingestJobs)
    .where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.id, jobId)));
  if (!job) return null;
  // `writer` is JSON [clientId, actorUserId] (jobs.ts jobWriter); jobs from before it: the owner.
  if (job.writer !== null) {
    const parsed: unknown = JSON.parse(job.writer);
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [client, user] = parsed as [unknown, unknown];
      return {
        clientId: typeof client === "string" ? client : null,
        userId: typeof user === "string" ? user : null,
      };
    }
  }
  return { clientId: job.clientId, userId: job.userId };
}

/** What the owner's writer commits for a re-map: the normalized rows and which pending value each came from. */
export interface PendingCommit {
  tenantId: string;
  userId: string;
  jobId: string;
  fileId: string | null;
  received: number;
  rows: NormalizedRow[];
  issues: IngestIssue[];
  counts: { rejected: number; duplicates_in_batch: number; flagged: number; outliers: number };
  /** `pendingIds[i]` is the pending value input i came from. */
  pendingIds: string[];
  /** Inputs the pipeline rejected: they stay pending (the job's issues say why). */
  rejectedIndexes: number[];
}

/**
 * Moves re-mapped pending values into `observations` in one transaction: the values are claimed
 * (deleted from `pending_observations`) and only the rows of claimed values are inserted, so a value is
 * stored at most once even when two re-maps race or a message is redelivered; what another re-map
 * claimed first is skipped. A job already finished changes nothing.
 */
export async function commitPendingJob(db: Database, c: PendingCommit): Promise<WriteResult & { claimed: number }> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .select({ status: ingestJobs.status, stored: ingestJobs.stored, duplicates: ingestJobs.duplicates })
      .from(ingestJobs)
      .where(and(eq(ingestJobs.tenantId, c.tenantId), eq(ingestJobs.id, c.jobId)))
      .for("update");
    if (!job) throw new Error(`job ${c.jobId} does not exist`);
    if (job.status !== "queued" && job.status !== "processing") {
      return { status: "already_done", stored: job.stored, duplicates: job.duplicates, claimed: 0 };
    }
    const rejected = new Set(c.rejectedIndexes);
    const wanted = c.pendingIds.filter((_, i) => !rejected.has(i));
    const claimed =
      wanted.length === 0
        ? []
        : await tx
            .delete(pendingObservations)
            .where(
              and(
                eq(pendingObservations.tenantId, c.tenantId),
                eq(pendingObservations.userId, c.userId),
                inArray(pendingObservations.id, wanted),
              ),
            )
            .returning({ id: pendingObservations.id });
    const mine = new Set(claimed.map((r) => r.id));
    const rows = c.rows.filter((r) => mine.has(c.pendingIds[r.index] ?? ""));
    const owner = { tenantId: c.tenantId, userId: c.userId, jobId: c.jobId, fileId: c.fileId };
    const result = await tx.execute<{ stored: number }>(sql`
      with ins as (${insertObservations(owner, sql`select * from ${unnestRows(rows)}`)}),
      rollup as (${addToRollups(c.tenantId, c.userId, sql`ins`)})
      select count(*)::int as stored from ins`);
    const stored = Number(result.rows[0]?.stored ?? 0);
    const issues = [...c.issues];
    if (rows.length > stored) {
      issues.push({
        index: null,
        location: null,
        code: "duplicate_stored",
        severity: "info",
        message: `${rows.length - stored} re-mapped observation(s) were already stored (same variable, time and source) and were skipped.`,
      });
    }
    await insertIssues(tx, c.tenantId, c.jobId, issues);
    const status = issues.some((i) => i.severity !== "info") ? "completed_with_issues" : "completed";
    const duplicates = rows.length - stored + c.counts.duplicates_in_batch;
    await finishJob(tx, c, { status, stored, duplicates });
    return { status, stored, duplicates, claimed: mine.size };
  });
}

/** The pending values of the person among `ids` that are still pending (another re-map may have stored some). */
export async function pendingByIds(db: Executor, tenantId: string, userId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: pendingObservations.id, observation: pendingObservations.observation })
    .from(pendingObservations)
    .where(
      and(
        eq(pendingObservations.tenantId, tenantId),
        eq(pendingObservations.userId, userId),
        inArray(pendingObservations.id, [...ids]),
      ),
    )
    .orderBy(asc(pendingObservations.id));
}

/**
 * Plans the re-map of `{system, code}`'s pending values after an administrator mapped the code: one
 * `remap` job per person, file job and source (at most `REMAP_MESSAGE_IDS` values each), written by the
 * actor who wrote the file job (so the person's consent decides as it did for the file), and the queue
 * message for each. The caller sends the messages to the ingest queue.
 */
export async function planRemaps(
  db: Executor,
  tenantId: string,
  system: string,
  code: string,
): Promise<RemapPendingMessage[]> {
  const messages: RemapPendingMessage[] = [];
  for (const group of await pendingForRemap(db, tenantId, system, code)) {
    // Values held outside a job (none are today) are written as their owner's.
    const actor = (group.jobId === null ? null : await jobActor(db, tenantId, group.jobId)) ?? {
      clientId: null,
      userId: group.userId,
    };
    const { job } = await createJob(db, {
      tenantId,
      userId: group.userId,
      clientId: actor.clientId,
      actorUserId: actor.userId,
      sourceId: group.sourceId,
      kind: "remap",
      idempotencyKey: null,
      requestHash: null,
      received: group.ids.length,
    });
    messages.push({
      v: 1,
      type: "remap_pending",
      job_id: job.id,
      tenant_id: tenantId,
      user_id: group.userId,
      actor_user_id: actor.userId,
      client_id: actor.clientId,
      source_id: group.sourceId,
      pending_file_id: group.fileId,
      system,
      code,
      pending_ids: group.ids,
    });
  }
  return messages;
}
