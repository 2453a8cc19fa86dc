/**
 * The retention sweep (docs/retention.md), run by the exporter Worker's hourly Cron after it expires
 * exports. For each tenant whose administrator set a period (PUT /v1/admin/retention), it removes what
 * is older than that period: the originals of uploaded files, raw vendor responses, the issues of
 * finished ingest jobs, and, archived first, the access log. A tenant that set nothing loses nothing.
 *
 * Bounded: each kind has a per-tenant budget per run, taken in batches; what is left waits for the next
 * run. Idempotent: everything it deletes is selected afresh from what is still there, an archive that
 * was already written is written again identically and recorded once. Each tenant's removals are
 * logged and recorded in its audit log (`retention.sweep`). A person's own erasure does not go through
 * here and is not changed by it.
 */
import { retentionCutoff, vendorResponseDay, vendorResponsePrefix } from "@dfda/core";
import { type Database, safeErrorMessage } from "@dfda/db";
import {
  type AuditArchiveRange,
  auditChainPage,
  auditEntryHash,
  insertAuditArchive,
  nextAuditArchiveRange,
  pruneArchivedAuditEntries,
  recordAudit,
} from "@dfda/db/repositories/audit";
import { deleteJobIssues, expireFiles, tenantsWithRetention } from "@dfda/db/repositories/retention";

/** The R2 buckets the sweep works on (the parts of their bindings it uses). */
export interface RetentionBuckets {
  /** `dfda-files`: originals of uploads, and raw vendor responses under `vendor-responses/`. */
  FILES: Pick<R2Bucket, "list" | "delete">;
  /** `dfda-archive`: archived ranges of audit logs. */
  ARCHIVE: Pick<R2Bucket, "head" | "put">;
}

/** How much one run may remove per tenant, and in what batches. */
export interface SweepLimits {
  files: number;
  fileBatch: number;
  vendorResponses: number;
  jobIssues: number;
  jobIssueBatch: number;
  /** Audit entries deleted per run; one archive (one checkpoint interval) is written per run at most. */
  auditEntries: number;
  auditBatch: number;
}

export const DEFAULT_SWEEP_LIMITS: SweepLimits = {
  files: 500,
  fileBatch: 100,
  vendorResponses: 5_000,
  jobIssues: 50_000,
  jobIssueBatch: 5_000,
  auditEntries: 50_000,
  auditBatch: 5_000,
};

/** What the sweep removed for one tenant. */
export interface TenantSweep {
  tenantId: string;
  filesExpired: string[];
  vendorResponsesDeleted: number;
  jobIssuesDeleted: number;
  auditEntriesArchived: number;
  auditEntriesDeleted: number;
  archiveKey: string | null;
  /** Why part of the tenant's sweep stopped (it is retried next run), or null. */
  error: string | null;
}

/** The object key of an archived audit range: `audit/{tenant_id}/{from_seq}-{upto_seq}.ndjson`, zero-padded. */
export function auditArchiveKey(tenantId: string, fromSeq: number, uptoSeq: number): string {
  const pad = (n: number) => String(n).padStart(12, "0");
  return `audit/${tenantId}/${pad(fromSeq)}-${pad(uptoSeq)}.ndjson`;
}

/**
 * Runs the sweep for every tenant with a retention period, as of `now`. One tenant's failure is logged
 * and does not stop the others.
 *
 * @example
 * const swept = await sweepRetention(db, env, new Date());
 */
export async function sweepRetention(
  db: Database,
  buckets: RetentionBuckets,
  now: Date,
  limits: SweepLimits = DEFAULT_SWEEP_LIMITS,
): Promise<TenantSweep[]> {
  const swept: TenantSweep[] = [];
  for (const { tenantId, policy } of await tenantsWithRetention(db)) {
    const result: TenantSweep = {
      tenantId,
      filesExpired: [],
      vendorResponsesDeleted: 0,
      jobIssuesDeleted: 0,
      auditEntriesArchived: 0,
      auditEntriesDeleted: 0,
      archiveKey: null,
      error: null,
    };
    // Each kind on its own: one that fails is named in `error` and retried next run; the others go on.
    const errors: string[] = [];
    const step = async (kind: string, days: number | null, run: (cutoff: Date) => Promise<void>) => {
      if (days === null) return;
      try {
        await run(retentionCutoff(now, days));
      } catch (error) {
        // Without the query's parameters: a failed query's message would carry them (safeErrorMessage).
        errors.push(`${kind}: ${safeErrorMessage(error)}`);
      }
    };
    await step("raw_files", policy.raw_files_days, async (cutoff) => {
      while (result.filesExpired.length < limits.files) {
        const batch = Math.min(limits.fileBatch, limits.files - result.filesExpired.length);
        const expired = await expireFiles(db, tenantId, cutoff, batch, now, (keys) => buckets.FILES.delete(keys));
        result.filesExpired.push(...expired.map((f) => f.id));
        if (expired.length < batch) break;
      }
    });
    await step("vendor_responses", policy.vendor_responses_days, async (cutoff) => {
      result.vendorResponsesDeleted = await deleteVendorResponses(buckets.FILES, tenantId, cutoff, limits);
    });
    await step("job_issues", policy.job_issues_days, async (cutoff) => {
      while (result.jobIssuesDeleted < limits.jobIssues) {
        const batch = Math.min(limits.jobIssueBatch, limits.jobIssues - result.jobIssuesDeleted);
        const deleted = await deleteJobIssues(db, tenantId, cutoff, batch);
        result.jobIssuesDeleted += deleted;
        if (deleted < batch) break;
      }
    });
    await step("access_log", policy.access_log_days, (cutoff) =>
      archiveAccessLog(db, buckets.ARCHIVE, tenantId, cutoff, limits, result),
    );
    result.error = errors.length === 0 ? null : errors.join("; ");
    try {
      await report(db, result);
    } catch (error) {
      // What was removed is in the log line report() wrote first; the next run goes on from here.
      console.error(
        JSON.stringify({
          level: "error",
          event: "retention_audit_failed",
          tenant_id: tenantId,
          error: safeErrorMessage(error),
        }),
      );
    }
    swept.push(result);
  }
  return swept;
}

/**
 * Deletes the tenant's raw vendor responses fetched on a UTC day before the cutoff's. The listing of
 * the tenant's prefix is in key order, which is fetch-day order (`vendorResponseKey`), so the first key
 * of a day to keep ends the run's work.
 */
async function deleteVendorResponses(
  bucket: RetentionBuckets["FILES"],
  tenantId: string,
  cutoff: Date,
  limits: SweepLimits,
): Promise<number> {
  const cutoffDay = cutoff.toISOString().slice(0, 10);
  let deleted = 0;
  let cursor: string | undefined;
  while (deleted < limits.vendorResponses) {
    const page = await bucket.list({
      prefix: vendorResponsePrefix(tenantId),
      limit: Math.min(1000, limits.vendorResponses - deleted),
      ...(cursor === undefined ? {} : { cursor }),
    });
    const due: string[] = [];
    let reachedKept = false;
    for (const object of page.objects) {
      const day = vendorResponseDay(object.key);
      if (day === null) continue;
      if (day >= cutoffDay) {
        reachedKept = true;
        break;
      }
      due.push(object.key);
    }
    if (due.length > 0) await bucket.delete(due);
    deleted += due.length;
    if (reachedKept || !page.truncated) break;
    cursor = page.cursor;
  }
  return deleted;
}

/**
 * Archives the tenant's next closed range of audit entries (up to a signed checkpoint older than the
 * cutoff) to R2, then deletes the archived entries in batches. Nothing is deleted that is not archived:
 * the range is recomputed as it is written, and a range whose chain does not verify up to its
 * checkpoint is neither archived nor deleted (it is evidence; GET /v1/admin/audit/verify names the
 * break). Leftovers of an earlier run (archived, not yet deleted) are deleted first.
 */
async function archiveAccessLog(
  db: Database,
  bucket: RetentionBuckets["ARCHIVE"],
  tenantId: string,
  cutoff: Date,
  limits: SweepLimits,
  result: TenantSweep,
): Promise<void> {
  const prune = async () => {
    while (result.auditEntriesDeleted < limits.auditEntries) {
      const batch = Math.min(limits.auditBatch, limits.auditEntries - result.auditEntriesDeleted);
      const deleted = await pruneArchivedAuditEntries(db, tenantId, batch);
      result.auditEntriesDeleted += deleted;
      if (deleted < batch) return true;
    }
    return false;
  };
  if (!(await prune())) return;
  const range = await nextAuditArchiveRange(db, tenantId, cutoff);
  if (range === null) return;
  const body = await archiveBody(db, tenantId, range);
  const key = auditArchiveKey(tenantId, range.fromSeq, range.uptoSeq);
  const bytes = new TextEncoder().encode(body.text);
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  // An archive is never overwritten (a bucket lock would refuse it anyway, docs/retention.md): one left by
  // a run that stopped before recording it has the same bytes, as the range and its checkpoint fix them.
  const existing = await bucket.head(key);
  if (existing === null) {
    await bucket.put(key, bytes, {
      httpMetadata: { contentType: "application/x-ndjson" },
      customMetadata: { tenant_id: tenantId, from_seq: String(range.fromSeq), upto_seq: String(range.uptoSeq) },
      sha256,
    });
  } else if (existing.checksums.sha256 === undefined || hex(existing.checksums.sha256) !== sha256) {
    throw new Error(`archive ${key} exists with other content; not overwritten, nothing deleted`);
  }
  await insertAuditArchive(db, tenantId, range, { r2Key: key, entries: body.entries, sha256 });
  result.auditEntriesArchived = body.entries;
  result.archiveKey = key;
  await prune();
}

/**
 * The archive object: NDJSON, a header line (format, tenant, range, the hash it continues from, the
 * checkpoint with its JWS) and then one line per entry, every field as the chain hashes it
 * (`AuditChainEntry`), so the archive can be verified on its own. Throws when the range's chain does
 * not verify, link by link, up to the checkpoint's hash.
 */
async function archiveBody(
  db: Database,
  tenantId: string,
  range: AuditArchiveRange,
): Promise<{ text: string; entries: number }> {
  const lines = [
    JSON.stringify({
      format: "dfda-audit-archive",
      version: 1,
      tenant_id: tenantId,
      from_seq: range.fromSeq,
      upto_seq: range.uptoSeq,
      prev_hash: range.prevHash,
      upto_hash: range.uptoHash,
      checkpoint: {
        id: range.checkpoint.id,
        last_id: range.checkpoint.lastId,
        hash: range.checkpoint.hash,
        signature: range.checkpoint.signature,
        kid: range.checkpoint.kid,
        created_at: range.checkpoint.createdAt.toISOString(),
      },
    }),
  ];
  let prevHash = range.prevHash;
  let prevSeq = range.fromSeq - 1;
  while (prevSeq < range.uptoSeq) {
    const page = await auditChainPage(db, tenantId, prevSeq, range.uptoSeq, 1000);
    if (page.length === 0) break;
    for (const entry of page) {
      const seq = Number(entry.seq);
      if (
        seq !== prevSeq + 1 ||
        entry.prevHash !== prevHash ||
        (await auditEntryHash(prevHash, entry)) !== entry.hash
      ) {
        throw new Error(`audit chain does not verify at seq ${seq}; not archived`);
      }
      lines.push(JSON.stringify(entry));
      prevHash = entry.hash;
      prevSeq = seq;
    }
  }
  if (prevSeq !== range.uptoSeq || prevHash !== range.uptoHash) {
    throw new Error(`audit chain does not reach its checkpoint at seq ${range.uptoSeq}; not archived`);
  }
  return { text: `${lines.join("\n")}\n`, entries: lines.length - 1 };
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Logs the tenant's sweep when it removed anything or stopped on an error (a quiet hour logs nothing),
 * and records what it removed in the tenant's audit log.
 */
async function report(db: Database, r: TenantSweep): Promise<void> {
  const details = {
    files_expired: r.filesExpired.length,
    file_ids: r.filesExpired,
    vendor_responses_deleted: r.vendorResponsesDeleted,
    job_issues_deleted: r.jobIssuesDeleted,
    audit_entries_archived: r.auditEntriesArchived,
    audit_entries_deleted: r.auditEntriesDeleted,
    archive_key: r.archiveKey,
  };
  const removed =
    r.filesExpired.length +
    r.vendorResponsesDeleted +
    r.jobIssuesDeleted +
    r.auditEntriesArchived +
    r.auditEntriesDeleted;
  if (removed === 0 && r.error === null) return;
  console.log(
    JSON.stringify({
      level: r.error === null ? "info" : "error",
      event: "retention_swept",
      tenant_id: r.tenantId,
      ...details,
      file_ids: undefined,
      error: r.error ?? undefined,
    }),
  );
  if (removed === 0) return;
  await recordAudit(db, {
    tenantId: r.tenantId,
    action: "retention.sweep",
    outcome: "success",
    resourceType: "tenant",
    resourceId: r.tenantId,
    details,
  });
}
