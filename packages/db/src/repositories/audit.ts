/**
 * The append-only audit log: writing entries, and checking the per-tenant hash chain over them.
 *
 * Every authentication event (sign-in success, failure, lockout, token issue and revoke, MFA change,
 * client registration), authorization decision that denies, consent change, access to another
 * person's data, export, deletion and administrative action goes through `recordAudit`.
 *
 * The chain is kept by the database, not here: the `audit_log_chain` BEFORE INSERT trigger (migration
 * 0006) locks the tenant's `audit_chain_heads` row, numbers the entry (`seq`), sets `prev_hash` to the
 * head's hash (64 zeros for the first entry) and `hash` = SHA-256 of `prev_hash`, a newline and the
 * entry's canonical form. So no writer can skip or fork it, and callers do not change.
 *
 * `verifyAuditChain` recomputes that chain here, in TypeScript (`auditCanonicalForm`, WebCrypto), not
 * with the database's own functions: a check that asked the database to vouch for itself would miss
 * a database whose functions were altered along with its rows. Signed checkpoints (JWS, made by the
 * API Worker's weekly cron) pin the hash at an entry, so rewriting a whole chain suffix is caught too.
 *
 * Retention (docs/retention.md) archives the oldest entries up to a signed checkpoint to R2 and then
 * deletes them (`audit_log_prune`, migration 0007); verification then starts from that checkpoint.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { auditArchives, auditChainHeads, auditCheckpoints, auditLog } from "../schema";

export interface AuditEvent {
  tenantId: string;
  action: string;
  outcome: "success" | "failure" | "denied";
  actorUserId?: string | null;
  actorClientId?: string | null;
  subjectUserId?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  /** Never health data and never secrets: reasons, scopes, client names. */
  details?: Record<string, unknown>;
}

/**
 * Appends one entry to the tenant's audit log; the database chains it.
 *
 * Inside a transaction, the tenant's chain head stays locked until that transaction ends (that is what
 * keeps the chain linear), so other audit writes of the same tenant wait for it: record the audit entry
 * last in a transaction, not before slow work.
 *
 * @example
 * await recordAudit(db, { tenantId, action: "admin.code_mapping.put", outcome: "success", actorUserId });
 */
export async function recordAudit(db: Executor, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: event.tenantId,
    action: event.action,
    outcome: event.outcome,
    actorUserId: event.actorUserId ?? null,
    actorClientId: event.actorClientId ?? null,
    subjectUserId: event.subjectUserId ?? null,
    resourceType: event.resourceType ?? null,
    resourceId: event.resourceId ?? null,
    ip: event.ip ?? null,
    requestId: event.requestId ?? null,
    details: event.details ?? null,
  });
}

/** `prev_hash` of a tenant's first entry. */
export const AUDIT_GENESIS_HASH = "0".repeat(64);

/** Tag at the start of the canonical form; a new form gets a new tag (and a migration). */
export const AUDIT_CANONICAL_VERSION = "dfda-audit-v1";

/**
 * An entry as the chain sees it: every field as the text PostgreSQL gives for it (uuids lowercase,
 * `occurred_at` in UTC with microseconds, `details` as jsonb's own text), or null.
 */
export interface AuditChainEntry {
  id: string;
  seq: string | null;
  tenantId: string;
  occurredAt: string;
  actorUserId: string | null;
  actorClientId: string | null;
  subjectUserId: string | null;
  action: string;
  outcome: string;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  requestId: string | null;
  details: string | null;
  prevHash: string | null;
  hash: string | null;
}

const encoder = new TextEncoder();

function field(value: string | null): string {
  return value === null ? "|~" : `|${encoder.encode(value).byteLength}:${value}`;
}

/**
 * The canonical form of an entry, exactly as `public.audit_entry_canonical` (migration 0006) builds
 * it: the version tag, then each field in a fixed order as `|~` (NULL) or `|<UTF-8 bytes>:<text>`.
 * The length prefix keeps fields apart whatever they contain, and NULL differs from "".
 *
 * @example
 * auditCanonicalForm(entry) // "dfda-audit-v1|36:0193…|1:1|2:17|27:2026-01-02T03:04:05.123456Z|~|…"
 */
export function auditCanonicalForm(e: AuditChainEntry): string {
  return (
    AUDIT_CANONICAL_VERSION +
    field(e.tenantId) +
    field(e.seq) +
    field(e.id) +
    field(e.occurredAt) +
    field(e.actorUserId) +
    field(e.actorClientId) +
    field(e.subjectUserId) +
    field(e.action) +
    field(e.outcome) +
    field(e.resourceType) +
    field(e.resourceId) +
    field(e.ip) +
    field(e.requestId) +
    field(e.details)
  );
}

/** Hex SHA-256 of `prevHash`, a newline and the entry's canonical form: what the entry's `hash` must be. */
export async function auditEntryHash(prevHash: string, e: AuditChainEntry): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${prevHash}\n${auditCanonicalForm(e)}`));
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export interface AuditChainHead {
  lastId: number;
  lastSeq: number;
  lastHash: string;
  updatedAt: Date;
}

/** The tenant's chain head (last entry's id, seq and hash), or null before its first entry. */
export async function auditChainHead(db: Executor, tenantId: string): Promise<AuditChainHead | null> {
  const [row] = await db
    .select({
      lastId: auditChainHeads.lastId,
      lastSeq: auditChainHeads.lastSeq,
      lastHash: auditChainHeads.lastHash,
      updatedAt: auditChainHeads.updatedAt,
    })
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, tenantId));
  return row ?? null;
}

/**
 * A page of the tenant's chain in chain order: entries with `afterSeq < seq <= uptoSeq`, at most
 * `limit`, each field as text (see `AuditChainEntry`). Entries without a seq (which the CHECK
 * constraint forbids) cannot be reached this way; the chain's gaps reveal them.
 */
export async function auditChainPage(
  db: Executor,
  tenantId: string,
  afterSeq: number,
  uptoSeq: number,
  limit: number,
): Promise<AuditChainEntry[]> {
  const result = await db.execute<{
    id: string;
    seq: string | null;
    tenant_id: string;
    occurred_at: string;
    actor_user_id: string | null;
    actor_client_id: string | null;
    subject_user_id: string | null;
    action: string;
    outcome: string;
    resource_type: string | null;
    resource_id: string | null;
    ip: string | null;
    request_id: string | null;
    details: string | null;
    prev_hash: string | null;
    hash: string | null;
  }>(sql`
    -- Qualified: the output aliases (text) would otherwise order "10" before "2".
    select id::text as id, seq::text as seq, tenant_id::text as tenant_id,
           to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at,
           actor_user_id::text as actor_user_id, actor_client_id, subject_user_id::text as subject_user_id,
           action, outcome, resource_type, resource_id, ip, request_id, details::text as details, prev_hash, hash
      from audit_log
     where audit_log.tenant_id = ${tenantId} and audit_log.seq > ${afterSeq} and audit_log.seq <= ${uptoSeq}
     order by audit_log.seq
     limit ${limit}`);
  return result.rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    tenantId: r.tenant_id,
    occurredAt: r.occurred_at,
    actorUserId: r.actor_user_id,
    actorClientId: r.actor_client_id,
    subjectUserId: r.subject_user_id,
    action: r.action,
    outcome: r.outcome,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    ip: r.ip,
    requestId: r.request_id,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;

/** The tenant's checkpoints, newest first, a page at a time (`beforeId`: the last id of the previous page). */
export async function listAuditCheckpoints(
  db: Executor,
  tenantId: string,
  limit: number,
  beforeId?: number,
): Promise<AuditCheckpoint[]> {
  return db
    .select()
    .from(auditCheckpoints)
    .where(
      and(
        eq(auditCheckpoints.tenantId, tenantId),
        beforeId === undefined ? undefined : lt(auditCheckpoints.id, beforeId),
      ),
    )
    .orderBy(desc(auditCheckpoints.id))
    .limit(limit);
}

/** Every checkpoint of the tenant, oldest first (a few a year per tenant: one per week with activity). */
async function allCheckpoints(db: Executor, tenantId: string): Promise<AuditCheckpoint[]> {
  return db
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.tenantId, tenantId))
    .orderBy(auditCheckpoints.lastId, auditCheckpoints.id);
}

/**
 * Chain heads that moved since their tenant's latest checkpoint: the tenants that need a new one.
 * A head whose entry already has a checkpoint is skipped, so running twice makes nothing twice.
 */
export async function headsWithoutCheckpoint(
  db: Executor,
): Promise<Array<{ tenantId: string; lastId: number; lastSeq: number; lastHash: string }>> {
  const result = await db.execute<{ tenant_id: string; last_id: string; last_seq: string; last_hash: string }>(sql`
    select h.tenant_id, h.last_id::text as last_id, h.last_seq::text as last_seq, h.last_hash
      from audit_chain_heads h
     where h.last_seq > 0
       and not exists (select 1 from audit_checkpoints c where c.tenant_id = h.tenant_id and c.last_id = h.last_id)
     order by h.tenant_id`);
  return result.rows.map((r) => ({
    tenantId: r.tenant_id,
    lastId: Number(r.last_id),
    lastSeq: Number(r.last_seq),
    lastHash: r.last_hash,
  }));
}

export async function insertAuditCheckpoint(
  db: Executor,
  checkpoint: { tenantId: string; lastId: number; hash: string; signature: string; kid: string },
): Promise<AuditCheckpoint> {
  const [row] = await db.insert(auditCheckpoints).values(checkpoint).returning();
  if (!row) throw new Error("audit checkpoint insert returned no row");
  return row;
}

export type AuditArchive = typeof auditArchives.$inferSelect;

/** The tenant's latest archived range (the one verification starts after), or null if none. */
export async function latestAuditArchive(db: Executor, tenantId: string): Promise<AuditArchive | null> {
  const [row] = await db
    .select()
    .from(auditArchives)
    .where(eq(auditArchives.tenantId, tenantId))
    .orderBy(desc(auditArchives.uptoSeq))
    .limit(1);
  return row ?? null;
}

/** The range the next archive of a tenant covers: after the last archive, up to a signed checkpoint. */
export interface AuditArchiveRange {
  fromSeq: number;
  uptoSeq: number;
  uptoId: number;
  /** The prev_hash of entry `fromSeq` (the last archive's `upto_hash`, or genesis). */
  prevHash: string;
  uptoHash: string;
  checkpoint: AuditCheckpoint;
}

/**
 * The tenant's next range to archive, or null: from the entry after the last archive up to the entry
 * of the next checkpoint (in checkpoint order, which is chain order: the cron signs heads one run at a
 * time), provided that entry occurred before `cutoff`. One checkpoint interval (a week of the tenant's
 * entries, the API Worker's weekly cron) at a time keeps each archive object and each run bounded; a
 * tenant with years to archive catches up one interval per run.
 *
 * The checkpoint is taken as it is, even if its entry is gone or its hash no longer matches: the
 * archiver recomputes the range and refuses one that does not reach the checkpoint's hash, so a
 * rewritten stretch is kept as evidence rather than archived past.
 *
 * @example
 * const range = await nextAuditArchiveRange(db, tenantId, retentionCutoff(now, 365));
 */
export async function nextAuditArchiveRange(
  db: Executor,
  tenantId: string,
  cutoff: Date,
): Promise<AuditArchiveRange | null> {
  const last = await latestAuditArchive(db, tenantId);
  const afterSeq = last?.uptoSeq ?? 0;
  const found = await db.execute<{ checkpoint_id: string; seq: string | null; occurred_at: Date | string | null }>(sql`
    select c.id::text as checkpoint_id, l.seq::text as seq, l.occurred_at
      from audit_checkpoints c
      left join audit_log l on l.tenant_id = c.tenant_id and l.id = c.last_id
     where c.tenant_id = ${tenantId} and c.id > ${last?.checkpointId ?? 0} and (l.seq is null or l.seq > ${afterSeq})
     order by c.id
     limit 1`);
  const row = found.rows[0];
  if (row === undefined) return null;
  if (row.seq === null || row.occurred_at === null) {
    throw new Error(`audit checkpoint ${row.checkpoint_id} names an entry that is gone; not archived`);
  }
  if (new Date(row.occurred_at).getTime() >= cutoff.getTime()) return null;
  const [checkpoint] = await db
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.id, Number(row.checkpoint_id)));
  if (checkpoint === undefined) return null;
  return {
    fromSeq: afterSeq + 1,
    uptoSeq: Number(row.seq),
    uptoId: checkpoint.lastId,
    prevHash: last?.uptoHash ?? AUDIT_GENESIS_HASH,
    uptoHash: checkpoint.hash,
    checkpoint,
  };
}

/**
 * Records that `range` was written to the archive bucket as `object`. A second record of the same range
 * (a sweep that ran twice) is ignored; returns whether this call recorded it.
 */
export async function insertAuditArchive(
  db: Executor,
  tenantId: string,
  range: AuditArchiveRange,
  object: { r2Key: string; entries: number; sha256: string },
): Promise<boolean> {
  const rows = await db
    .insert(auditArchives)
    .values({
      tenantId,
      fromSeq: range.fromSeq,
      uptoSeq: range.uptoSeq,
      uptoId: range.uptoId,
      prevHash: range.prevHash,
      uptoHash: range.uptoHash,
      checkpointId: range.checkpoint.id,
      ...object,
    })
    .onConflictDoNothing({ target: [auditArchives.tenantId, auditArchives.uptoSeq] })
    .returning({ id: auditArchives.id });
  return rows.length > 0;
}

/**
 * Deletes up to `limit` of the tenant's oldest archived entries (those an archive with a matching
 * checkpoint covers; `audit_log_prune`, migration 0007, checks that in the database) and returns how
 * many it deleted. The Workers' role has no other way to delete audit entries.
 */
export async function pruneArchivedAuditEntries(db: Executor, tenantId: string, limit: number): Promise<number> {
  const result = await db.execute<{ removed: number }>(
    sql`select public.audit_log_prune(${tenantId}::uuid, ${limit}::int) as removed`,
  );
  return Number(result.rows[0]?.removed ?? 0);
}

/** Why a link is broken. */
export type AuditBreakReason =
  /** The entry's content no longer gives its stored hash: it was changed after it was written. */
  | "hash_mismatch"
  /** The entry's prev_hash is not the recomputed hash of the entry before it. */
  | "prev_hash_mismatch"
  /** Entries before this one are missing (its seq jumps), or the chain ends before its head. */
  | "entries_missing"
  /** A signed checkpoint pins another hash at this entry: the chain up to here was rewritten. */
  | "checkpoint_mismatch"
  /** A checkpoint's JWS does not verify, or names another tenant, entry or hash than its row. */
  | "checkpoint_signature_invalid"
  /** A checkpoint names an entry that is not in the chain. */
  | "checkpoint_entry_missing"
  /** The chain's last entry is not the one its head recorded (the entries at the end were rewritten). */
  | "head_mismatch";

export interface AuditBreak {
  /** The entry where the chain first fails (for a missing checkpoint entry: the id the checkpoint names). */
  id: number;
  seq: number | null;
  reason: AuditBreakReason;
  /** The hash this entry's prev_hash should be: the recomputed hash of the entry before it (or genesis). */
  expectedPrevHash: string | null;
  /** The prev_hash stored in this entry. */
  actualPrevHash: string | null;
  /** For hash and checkpoint failures: the hash this entry should have (recomputed, or as signed). */
  expectedHash: string | null;
  /** For hash and checkpoint failures: the hash stored (or recomputed, against a checkpoint). */
  actualHash: string | null;
  /** The checkpoint involved, for checkpoint failures. */
  checkpointId: number | null;
}

export interface AuditVerification {
  valid: boolean;
  /** Entries recomputed, up to and including the first broken one. */
  entriesChecked: number;
  firstBroken: AuditBreak | null;
  /** Checkpoints whose signature verified and whose hash matched the recomputed chain. */
  checkpointsVerified: number;
  checkpointsTotal: number;
  /** The head the check ran up to (entries written during the check are left for the next one). */
  head: AuditChainHead | null;
  /** The latest archived range: the check started after it, from its signed checkpoint. */
  archivedThrough: AuditArchive | null;
}

/**
 * What a checkpoint's signature says, checked by the caller (the API Worker holds the keys): the
 * signed tenant, entry id and hash, or why it does not verify.
 */
export type CheckpointSignatureCheck =
  | { ok: true; tenantId: string; lastId: number; hash: string }
  | { ok: false; reason: string };

export interface VerifyOptions {
  checkSignature: (checkpoint: AuditCheckpoint) => Promise<CheckpointSignatureCheck>;
  /** Entries read per query (default 1000): the chain is streamed, never loaded whole. */
  pageSize?: number;
}

/**
 * Recomputes the tenant's chain from its first entry to its head, in pages, and checks every signed
 * checkpoint against it. Stops at the first broken link and names it.
 *
 * Where retention archived the oldest entries (docs/retention.md), the check starts from the latest
 * archive's checkpoint instead of genesis: that checkpoint's signature must verify and pin the
 * archive's last entry and hash, and the remaining chain must continue from that hash at the next seq.
 * Checkpoints made before it name archived entries and are not looked for.
 *
 * Order of checks per entry: its seq follows the previous one (else `entries_missing`); its prev_hash
 * is the previous entry's recomputed hash (`prev_hash_mismatch`); its content gives its stored hash
 * (`hash_mismatch`); each checkpoint at it verifies and pins the recomputed hash (`checkpoint_*`).
 *
 * @example
 * const result = await verifyAuditChain(db, tenantId, { checkSignature });
 * if (!result.valid) console.log(result.firstBroken); // { id: 17, reason: "hash_mismatch", … }
 */
export async function verifyAuditChain(
  db: Executor,
  tenantId: string,
  options: VerifyOptions,
): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 1000;
  const head = await auditChainHead(db, tenantId);
  const archive = await latestAuditArchive(db, tenantId);
  const all = await allCheckpoints(db, tenantId);
  const base = archive === null ? undefined : all.find((c) => c.id === archive.checkpointId);
  // Checkpoints taken after the head was read name entries this check does not reach: left for later.
  // Those up to the archive's (checkpoint ids follow chain order: the cron signs heads one run at a
  // time) name archived entries.
  const checkpoints = all.filter(
    (c) => head !== null && c.lastId <= head.lastId && (archive === null || c.id > archive.checkpointId),
  );
  const pending = new Map<string, AuditCheckpoint[]>();
  for (const c of checkpoints) pending.set(String(c.lastId), [...(pending.get(String(c.lastId)) ?? []), c]);

  let checked = 0;
  let verified = 0;
  const result = (firstBroken: AuditBreak | null): AuditVerification => ({
    valid: firstBroken === null,
    entriesChecked: checked,
    firstBroken,
    checkpointsVerified: verified,
    checkpointsTotal: checkpoints.length + (archive === null ? 0 : 1),
    head,
    archivedThrough: archive,
  });
  const broken = (b: Partial<AuditBreak> & Pick<AuditBreak, "id" | "reason">): AuditBreak => ({
    seq: null,
    expectedPrevHash: null,
    actualPrevHash: null,
    expectedHash: null,
    actualHash: null,
    checkpointId: null,
    ...b,
  });

  let prevHash = AUDIT_GENESIS_HASH;
  let prevSeq = 0;
  let lastId = 0;
  if (archive !== null) {
    const at = {
      id: archive.uptoId,
      seq: archive.uptoSeq,
      checkpointId: archive.checkpointId,
      expectedHash: archive.uptoHash,
    };
    const signed = base === undefined ? null : await options.checkSignature(base);
    if (
      base === undefined ||
      signed === null ||
      !signed.ok ||
      signed.tenantId !== tenantId ||
      signed.lastId !== base.lastId ||
      signed.hash !== base.hash
    ) {
      return result(broken({ ...at, reason: "checkpoint_signature_invalid" }));
    }
    if (base.lastId !== archive.uptoId || base.hash !== archive.uptoHash) {
      return result(broken({ ...at, reason: "checkpoint_mismatch", actualHash: base.hash }));
    }
    verified += 1;
    prevHash = archive.uptoHash;
    prevSeq = archive.uptoSeq;
    lastId = archive.uptoId;
  }
  const upto = head?.lastSeq ?? 0;
  while (prevSeq < upto) {
    const page = await auditChainPage(db, tenantId, prevSeq, upto, pageSize);
    if (page.length === 0) break;
    for (const entry of page) {
      checked += 1;
      const id = Number(entry.id);
      const seq = Number(entry.seq);
      const link = { id, seq, expectedPrevHash: prevHash, actualPrevHash: entry.prevHash };
      if (seq !== prevSeq + 1) return result(broken({ ...link, reason: "entries_missing" }));
      if (entry.prevHash !== prevHash) return result(broken({ ...link, reason: "prev_hash_mismatch" }));
      const recomputed = await auditEntryHash(prevHash, entry);
      if (recomputed !== entry.hash) {
        return result(broken({ ...link, reason: "hash_mismatch", expectedHash: recomputed, actualHash: entry.hash }));
      }
      for (const checkpoint of pending.get(entry.id) ?? []) {
        const signed = await options.checkSignature(checkpoint);
        const at = { ...link, checkpointId: checkpoint.id };
        if (
          !signed.ok ||
          signed.tenantId !== tenantId ||
          signed.lastId !== checkpoint.lastId ||
          signed.hash !== checkpoint.hash
        ) {
          return result(
            broken({ ...at, reason: "checkpoint_signature_invalid", expectedHash: checkpoint.hash, actualHash: null }),
          );
        }
        if (checkpoint.hash !== recomputed) {
          return result(
            broken({ ...at, reason: "checkpoint_mismatch", expectedHash: checkpoint.hash, actualHash: recomputed }),
          );
        }
        verified += 1;
      }
      pending.delete(entry.id);
      prevHash = recomputed;
      prevSeq = seq;
      lastId = id;
    }
  }
  if (head !== null && prevSeq < head.lastSeq) {
    // The head says the chain is longer than what is there: its last entries were removed.
    return result(
      broken({ id: head.lastId, seq: head.lastSeq, reason: "entries_missing", expectedHash: head.lastHash }),
    );
  }
  if (head !== null && (prevHash !== head.lastHash || lastId !== head.lastId)) {
    // The last entry has no successor whose prev_hash would give it away; the head (written by the
    // trigger in the same transaction as the entry) does.
    return result(
      broken({ id: lastId, seq: prevSeq, reason: "head_mismatch", expectedHash: head.lastHash, actualHash: prevHash }),
    );
  }
  const [orphan] = [...pending.values()].flat().sort((a, b) => a.lastId - b.lastId);
  if (orphan !== undefined) {
    return result(
      broken({
        id: orphan.lastId,
        reason: "checkpoint_entry_missing",
        expectedHash: orphan.hash,
        checkpointId: orphan.id,
      }),
    );
  }
  return result(null);
}
