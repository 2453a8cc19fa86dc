/**
 * Erasure (GDPR Art. 17; HIPAA right of access's counterpart): deleting a person's data by filter, and
 * everything at once. Rows go in one transaction; the caller then deletes the R2 objects this returns
 * (their contents are unreadable already: the person's keys are gone with the rows — crypto-shredding).
 * The audit log keeps what it has (it holds no health data: ids, actions, outcomes) and gains a
 * tombstone entry; it is append-only and hash-chained, so nothing in it is rewritten.
 */
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  consents,
  dataExports,
  files,
  ingestJobs,
  ingestStagedRows,
  observations,
  outbox,
  pendingObservations,
  sources,
  users,
} from "../schema";
import { refreshRollups } from "./rollups";

export interface ObservationFilter {
  variableId?: string;
  from?: Date;
  to?: Date;
  /** Source slug (as the list shows it). */
  source?: string;
}

/**
 * Deletes the person's observations matching every given filter, recomputing the hourly rollups of
 * the hours they were in; returns how many went. One transaction.
 */
export async function deleteObservations(
  db: Database,
  tenantId: string,
  userId: string,
  filter: ObservationFilter,
): Promise<number> {
  return db.transaction(async (tx) => {
    const where = and(
      eq(observations.tenantId, tenantId),
      eq(observations.userId, userId),
      filter.variableId === undefined ? undefined : eq(observations.variableId, filter.variableId),
      filter.from === undefined ? undefined : gte(observations.startAt, filter.from),
      filter.to === undefined ? undefined : lt(observations.startAt, filter.to),
      filter.source === undefined
        ? undefined
        : inArray(
            observations.sourceId,
            tx
              .select({ id: sources.id })
              .from(sources)
              .where(and(eq(sources.tenantId, tenantId), eq(sources.slug, filter.source))),
          ),
    );
    const gone = await tx.execute<{ variable_id: string; first: Date; last: Date; n: number }>(sql`
      with gone as (delete from ${observations} where ${where} returning variable_id, start_at)
      select variable_id, min(start_at) as first, max(start_at) as last, count(*)::int as n
      from gone group by variable_id`);
    let total = 0;
    for (const r of gone.rows) {
      total += Number(r.n);
      await refreshRollups(tx, tenantId, userId, {
        variableIds: [r.variable_id],
        from: new Date(r.first),
        to: new Date(new Date(r.last).getTime() + 3600_000),
      });
    }
    // Pending values (local codes not mapped yet, issue 15) are the person's data too. They have no
    // variable yet, so a filter on a variable cannot name them; the time and source filters can.
    if (filter.variableId === undefined) {
      const startAt = sql`(${pendingObservations.observation}->>'start_at')::timestamptz`;
      const pending = await tx
        .delete(pendingObservations)
        .where(
          and(
            eq(pendingObservations.tenantId, tenantId),
            eq(pendingObservations.userId, userId),
            filter.from === undefined ? undefined : sql`${startAt} >= ${filter.from.toISOString()}::timestamptz`,
            filter.to === undefined ? undefined : sql`${startAt} < ${filter.to.toISOString()}::timestamptz`,
            filter.source === undefined
              ? undefined
              : inArray(
                  pendingObservations.sourceId,
                  tx
                    .select({ id: sources.id })
                    .from(sources)
                    .where(and(eq(sources.tenantId, tenantId), eq(sources.slug, filter.source))),
                ),
          ),
        )
        .returning({ id: pendingObservations.id });
      total += pending.length;
    }
    return total;
  });
}

export interface ErasureResult {
  /** R2 objects to delete, per bucket binding name. */
  objects: { FILES: string[]; INGEST_STAGING: string[]; EXPORTS: string[] };
  /** What was deleted, by kind (counts only). */
  counts: Record<string, number>;
}

/**
 * Deletes the person and everything that is theirs: the account (and through it, by foreign keys:
 * observations, rollups, files, keys, jobs and issues, tokens, sessions, grants, consents they gave,
 * MFA, connector connections and their sealed vendor tokens, exports, memberships, custodian links),
 * consents naming them as grantee, staged rows and unsent e-mail. Returns the R2 objects to delete. One transaction: all or nothing.
 */
export async function eraseUser(db: Database, tenantId: string, userId: string): Promise<ErasureResult> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
      .for("update");
    if (!user) throw new Error("no such user");
    const fileKeys = await tx
      .select({ key: files.r2Key })
      .from(files)
      .where(and(eq(files.tenantId, tenantId), eq(files.userId, userId)));
    const jobs = await tx
      .select({ id: ingestJobs.id })
      .from(ingestJobs)
      .where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.userId, userId)));
    const jobIds = jobs.map((j) => j.id);
    const exportKeys = await tx
      .select({ key: dataExports.r2Key })
      .from(dataExports)
      .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.userId, userId)));
    const count = async (table: string) =>
      Number(
        (
          await tx.execute<{ n: number }>(
            sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId} and user_id = ${userId}`,
          )
        ).rows[0]?.n ?? 0,
      );
    const counts: Record<string, number> = {
      observations: await count("observations"),
      // Values of local codes not mapped yet: they go with the account (ON DELETE CASCADE).
      pending_observations: await count("pending_observations"),
      files: fileKeys.length,
      ingest_jobs: jobIds.length,
      exports: exportKeys.length,
      user_keys: await count("user_keys"),
      // Connector connections go with the account (ON DELETE CASCADE), and their sealed vendor tokens
      // with them; the raw vendor responses in R2 were sealed with the connection's data key, which
      // the person's deleted keys wrapped: unreadable from this commit on (crypto-shredding).
      connector_connections: await count("connector_connections"),
    };
    if (jobIds.length > 0) await tx.delete(ingestStagedRows).where(inArray(ingestStagedRows.jobId, jobIds));
    const asGrantee = await tx
      .delete(consents)
      .where(and(eq(consents.tenantId, tenantId), eq(consents.granteeType, "user"), eq(consents.granteeId, userId)))
      .returning({ id: consents.id });
    counts.consents_as_grantee = asGrantee.length;
    const mail = await tx
      .delete(outbox)
      .where(and(eq(outbox.tenantId, tenantId), eq(outbox.recipient, user.email)))
      .returning({ id: outbox.id });
    counts.outbox = mail.length;
    // The account: every table keyed by (tenant_id, user_id) follows by ON DELETE CASCADE.
    await tx.delete(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    return {
      objects: {
        FILES: fileKeys.map((f) => f.key),
        INGEST_STAGING: jobIds.map((id) => `ingest/${tenantId}/${id}.json`),
        EXPORTS: exportKeys.flatMap((e) => (e.key === null ? [] : [e.key])),
      },
      counts,
    };
  });
}
