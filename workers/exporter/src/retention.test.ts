/**
 * The retention sweep in the Workers runtime, against the real database and local R2, with the clock
 * passed in (`NOW`; every row is written with its own timestamp): a tenant that set nothing loses
 * nothing; originals older than the period are expired (not one being mapped), their observations
 * kept; raw vendor responses and finished jobs' issues go by day; the audit log is archived one
 * checkpoint range at a time, then pruned, and still verifies from the archived checkpoint; a chain
 * that does not verify is neither archived nor deleted; each run is bounded and a second run changes
 * nothing more.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type RetentionPolicy, SYSTEM_TENANT_ID, uuidv7, vendorResponseKey } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import {
  type AuditCheckpoint,
  type CheckpointSignatureCheck,
  latestAuditArchive,
  verifyAuditChain,
} from "@dfda/db/repositories/audit";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { putRetention } from "@dfda/db/repositories/retention";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import exporter from "./index";
import { DEFAULT_SWEEP_LIMITS, type RetentionBuckets, sweepRetention, type TenantSweep } from "./retention";
import type { ExporterEnv } from "./run";

const exporterEnv = env as unknown as ExporterEnv;
const NOW = new Date("2030-06-01T12:00:00Z");
const OLD = new Date("2028-01-01T00:00:00Z");
const RECENT = new Date("2030-05-31T00:00:00Z");
const KEEP: RetentionPolicy = {
  raw_files_days: null,
  vendor_responses_days: null,
  job_issues_days: null,
  access_log_days: null,
};
let handle: DbHandle;

beforeAll(async () => {
  handle = await connect(exporterEnv.HYPERDRIVE.connectionString);
});
afterAll(async () => handle.close());

async function newTenant(policy: Partial<RetentionPolicy> | null): Promise<{ tenantId: string; userId: string }> {
  const tenantId = (await createTenant(handle.db, { slug: `ret-${uuidv7().slice(-12)}`, name: "Retention" })).id;
  const userId = (
    await createUser(handle.db, { tenantId, email: `r-${uuidv7()}@example.org`, passwordHash: null, roles: [] })
  ).id;
  if (policy !== null) await putRetention(handle.db, tenantId, { ...KEEP, ...policy }, userId);
  return { tenantId, userId };
}

const sweep = (limits = DEFAULT_SWEEP_LIMITS, now = NOW) => sweepRetention(handle.db, exporterEnv, now, limits);

function forTenant(swept: TenantSweep[], tenantId: string): TenantSweep | undefined {
  return swept.find((s) => s.tenantId === tenantId);
}

/** A file row uploaded at `createdAt`, with an object in R2; optionally one observation mapped from it. */
async function newFile(
  t: { tenantId: string; userId: string },
  createdAt: Date,
  options: { status?: string; observation?: boolean } = {},
): Promise<{ id: string; r2Key: string }> {
  const id = uuidv7();
  const r2Key = `test/${t.userId}/${id}.bin`;
  await exporterEnv.FILES.put(r2Key, new Uint8Array([1, 2, 3]));
  await handle.client.query(
    `insert into files (id, tenant_id, user_id, sha256, r2_key, key_version, status, created_at)
     values ($1, $2, $3, $4, $5, 1, $6, $7)`,
    [id, t.tenantId, t.userId, id.replaceAll("-", ""), r2Key, options.status ?? "mapped", createdAt],
  );
  if (options.observation === true) {
    const source = await clientSource(handle.db, t.tenantId, "test-watch", "Watch");
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
         original_value, original_unit, source_id, file_id)
       select gen_random_uuid(), $1, $2, v.id, v.version, $3, 61, '/min', 61, '/min', $4, $5
         from variables v where v.tenant_id = $6 and v.slug = 'heart-rate' and v.valid_to is null`,
      [t.tenantId, t.userId, createdAt, source, id, SYSTEM_TENANT_ID],
    );
  }
  return { id, r2Key };
}

async function newJob(t: { tenantId: string; userId: string }, status: string, fileId: string | null = null) {
  const id = uuidv7();
  await handle.client.query(
    `insert into ingest_jobs (id, tenant_id, user_id, file_id, kind, status) values ($1, $2, $3, $4, 'file', $5)`,
    [id, t.tenantId, t.userId, fileId, status],
  );
  return id;
}

async function newIssue(tenantId: string, jobId: string, createdAt: Date): Promise<number> {
  const { rows } = await handle.client.query<{ id: string }>(
    `insert into ingest_issues (tenant_id, job_id, code, severity, message, created_at)
     values ($1, $2, 'unit_unknown', 'warning', 'x', $3) returning id`,
    [tenantId, jobId, createdAt],
  );
  return Number(rows[0]?.id);
}

async function fileRow(id: string) {
  const { rows } = await handle.client.query<{ deleted_at: Date | null; retention_expired_at: Date | null }>(
    "select deleted_at, retention_expired_at from files where id = $1",
    [id],
  );
  return rows[0];
}

async function count(query: string, params: unknown[]): Promise<number> {
  const { rows } = await handle.client.query<{ n: string }>(query, params);
  return Number(rows[0]?.n);
}

describe("a tenant without retention periods", () => {
  it("keeps everything: old files, issues and audit entries stay, and the sweep does not visit it", async () => {
    const t = await newTenant(null);
    const file = await newFile(t, OLD);
    const issue = await newIssue(t.tenantId, await newJob(t, "completed"), OLD);
    await auditEntry(t.tenantId, OLD);
    await checkpointAtHead(t.tenantId);
    const swept = await sweep();
    expect(forTenant(swept, t.tenantId)).toBeUndefined();
    expect((await fileRow(file.id))?.deleted_at).toBeNull();
    expect(await exporterEnv.FILES.head(file.r2Key)).not.toBeNull();
    expect(await count("select count(*) as n from ingest_issues where id = $1", [issue])).toBe(1);
    expect(await count("select count(*) as n from audit_log where tenant_id = $1", [t.tenantId])).toBe(1);
  });
});

describe("raw files", () => {
  it("expires originals older than the period, keeps their observations, and never a file being mapped", async () => {
    const t = await newTenant({ raw_files_days: 365 });
    const old = await newFile(t, OLD, { observation: true });
    const recent = await newFile(t, RECENT);
    const mapping = await newFile(t, OLD, { status: "processing" });
    const queued = await newFile(t, OLD);
    await newJob(t, "queued", queued.id);
    const reprocessed = await newFile(t, OLD);
    await newJob(t, "completed", reprocessed.id);

    const swept = forTenant(await sweep(), t.tenantId);
    expect(swept?.error).toBeNull();
    expect(new Set(swept?.filesExpired)).toEqual(new Set([old.id, reprocessed.id]));
    expect(await exporterEnv.FILES.head(old.r2Key)).toBeNull();
    expect(await fileRow(old.id)).toEqual({ deleted_at: NOW, retention_expired_at: NOW });
    expect(await count("select count(*) as n from observations where file_id = $1", [old.id])).toBe(1);
    for (const kept of [recent, mapping, queued]) {
      expect(await exporterEnv.FILES.head(kept.r2Key)).not.toBeNull();
      expect((await fileRow(kept.id))?.deleted_at).toBeNull();
    }
    // Audited, with the files it expired.
    const { rows } = await handle.client.query<{ details: { files_expired: number; file_ids: string[] } }>(
      "select details from audit_log where tenant_id = $1 and action = 'retention.sweep'",
      [t.tenantId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details.files_expired).toBe(2);

    // Again: nothing more to do, nothing audited.
    expect(forTenant(await sweep(), t.tenantId)?.filesExpired).toEqual([]);
    expect(
      await count("select count(*) as n from audit_log where tenant_id = $1 and action = 'retention.sweep'", [
        t.tenantId,
      ]),
    ).toBe(1);
  });

  it("expires at most the run's budget, in batches, and the next run goes on", async () => {
    const t = await newTenant({ raw_files_days: 30 });
    const made = [await newFile(t, OLD), await newFile(t, OLD), await newFile(t, OLD)];
    const limits = { ...DEFAULT_SWEEP_LIMITS, files: 2, fileBatch: 1 };
    expect(forTenant(await sweep(limits), t.tenantId)?.filesExpired).toHaveLength(2);
    expect(forTenant(await sweep(limits), t.tenantId)?.filesExpired).toHaveLength(1);
    for (const f of made) expect((await fileRow(f.id))?.retention_expired_at).toEqual(NOW);
  });
});

describe("raw vendor responses", () => {
  it("deletes the tenant's responses fetched on a day before the period, and no other tenant's", async () => {
    const t = await newTenant({ vendor_responses_days: 90 });
    const other = await newTenant(null);
    const key = (tenantId: string, fetchedAt: Date) =>
      vendorResponseKey({ tenantId, userId: t.userId, connector: "fitbit", fetchedAt, responseId: uuidv7() });
    const oldKeys = [key(t.tenantId, OLD), key(t.tenantId, new Date("2029-12-31T23:00:00Z"))];
    const keptKeys = [key(t.tenantId, RECENT), key(other.tenantId, OLD)];
    for (const k of [...oldKeys, ...keptKeys]) await exporterEnv.FILES.put(k, "{}");

    expect(forTenant(await sweep(), t.tenantId)?.vendorResponsesDeleted).toBe(2);
    for (const k of oldKeys) expect(await exporterEnv.FILES.head(k)).toBeNull();
    for (const k of keptKeys) expect(await exporterEnv.FILES.head(k)).not.toBeNull();
    expect(forTenant(await sweep(), t.tenantId)?.vendorResponsesDeleted).toBe(0);
  });
});

describe("job issues", () => {
  it("deletes finished jobs' issues older than the period, in batches, keeping a running job's", async () => {
    const t = await newTenant({ job_issues_days: 7 });
    const done = await newJob(t, "completed_with_issues");
    const running = await newJob(t, "processing");
    const old = [await newIssue(t.tenantId, done, OLD), await newIssue(t.tenantId, done, OLD)];
    const keptRunning = await newIssue(t.tenantId, running, OLD);
    const keptRecent = await newIssue(t.tenantId, done, RECENT);

    const swept = forTenant(await sweep({ ...DEFAULT_SWEEP_LIMITS, jobIssueBatch: 1 }), t.tenantId);
    expect(swept?.jobIssuesDeleted).toBe(2);
    expect(await count("select count(*) as n from ingest_issues where id = any($1)", [old])).toBe(0);
    expect(await count("select count(*) as n from ingest_issues where id = any($1)", [[keptRunning, keptRecent]])).toBe(
      2,
    );
  });
});

/** An audit entry at `occurredAt` (chained by the trigger); its id and hash. */
async function auditEntry(tenantId: string, occurredAt: Date): Promise<{ id: number; seq: number; hash: string }> {
  const { rows } = await handle.client.query<{ id: string; seq: string; hash: string }>(
    `insert into audit_log (tenant_id, action, outcome, occurred_at, details)
     values ($1, 'auth.login', 'success', $2, '{"k": "v"}') returning id, seq, hash`,
    [tenantId, occurredAt],
  );
  const row = rows[0];
  if (row === undefined) throw new Error("no audit row");
  return { id: Number(row.id), seq: Number(row.seq), hash: row.hash };
}

/**
 * A checkpoint at the tenant's chain head, as the API Worker's weekly cron makes it. Its JWS is the
 * API's business (tested there); the sweep only copies it into the archive.
 */
async function checkpointAtHead(tenantId: string): Promise<number> {
  const { rows } = await handle.client.query<{ id: string }>(
    `insert into audit_checkpoints (tenant_id, last_id, hash, signature, kid)
     select tenant_id, last_id, last_hash, 'eyJ.test.sig', 'test-kid' from audit_chain_heads where tenant_id = $1
     returning id`,
    [tenantId],
  );
  return Number(rows[0]?.id);
}

/** Checkpoints as stored (signatures are checked by the API Worker's verify route). */
const trustRows = async (c: AuditCheckpoint): Promise<CheckpointSignatureCheck> => ({
  ok: true,
  tenantId: c.tenantId,
  lastId: c.lastId,
  hash: c.hash,
});

async function seqs(tenantId: string): Promise<number[]> {
  const { rows } = await handle.client.query<{ seq: string }>(
    "select seq from audit_log where tenant_id = $1 order by seq",
    [tenantId],
  );
  return rows.map((r) => Number(r.seq));
}

describe("the access log", () => {
  it("archives one checkpoint range per run to R2, prunes it, and the chain still verifies from there", async () => {
    const t = await newTenant({ access_log_days: 30 });
    for (let i = 0; i < 3; i++) await auditEntry(t.tenantId, OLD);
    const first = await checkpointAtHead(t.tenantId);
    for (let i = 0; i < 2; i++) await auditEntry(t.tenantId, OLD);
    await checkpointAtHead(t.tenantId);
    await auditEntry(t.tenantId, RECENT);
    const recentCheckpoint = await checkpointAtHead(t.tenantId);

    const run1 = forTenant(await sweep(), t.tenantId);
    expect(run1).toMatchObject({ error: null, auditEntriesArchived: 3, auditEntriesDeleted: 3 });
    // Entries 1–3 are gone; 4–6 stay, then the sweep's own audit entry (7).
    expect(await seqs(t.tenantId)).toEqual([4, 5, 6, 7]);
    const archive = await latestAuditArchive(handle.db, t.tenantId);
    expect(archive).toMatchObject({ fromSeq: 1, uptoSeq: 3, checkpointId: first, entries: 3, r2Key: run1?.archiveKey });

    // The object: a header with the checkpoint, then the three entries as the chain hashes them.
    const object = await exporterEnv.ARCHIVE.get(archive?.r2Key ?? "");
    const lines =
      (await object?.text())
        ?.trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)) ?? [];
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      format: "dfda-audit-archive",
      tenant_id: t.tenantId,
      from_seq: 1,
      upto_seq: 3,
      upto_hash: archive?.uptoHash,
      checkpoint: { id: first, signature: "eyJ.test.sig" },
    });
    expect(lines.slice(1).map((e: { seq: string }) => e.seq)).toEqual(["1", "2", "3"]);
    const digest = await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode(`${lines.map((l) => JSON.stringify(l)).join("\n")}\n`),
    );
    expect([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")).toBe(archive?.sha256);

    const verified = await verifyAuditChain(handle.db, t.tenantId, { checkSignature: trustRows });
    expect(verified).toMatchObject({ valid: true, entriesChecked: 4, checkpointsVerified: 3 });
    expect(verified.archivedThrough?.uptoSeq).toBe(3);

    // The next run archives the next range (4–5); the recent checkpoint's range is kept.
    const run2 = forTenant(await sweep(), t.tenantId);
    expect(run2).toMatchObject({ auditEntriesArchived: 2, auditEntriesDeleted: 2 });
    expect(await seqs(t.tenantId)).toEqual([6, 7, 8]);
    expect(forTenant(await sweep(), t.tenantId)).toMatchObject({ auditEntriesArchived: 0, auditEntriesDeleted: 0 });
    const again = await verifyAuditChain(handle.db, t.tenantId, { checkSignature: trustRows });
    expect(again).toMatchObject({ valid: true, entriesChecked: 3 });
    expect(again.archivedThrough?.uptoSeq).toBe(5);
    expect(recentCheckpoint).toBeGreaterThan(first);
  });

  it("neither archives nor deletes a range whose chain does not verify", async () => {
    const t = await newTenant({ access_log_days: 30 });
    const tampered = await auditEntry(t.tenantId, OLD);
    await auditEntry(t.tenantId, OLD);
    await checkpointAtHead(t.tenantId);
    // The test database's owner can rewrite an entry (the Workers' role cannot).
    await handle.client.query("update audit_log set action = 'auth.logout' where id = $1", [tampered.id]);

    const swept = forTenant(await sweep(), t.tenantId);
    expect(swept?.error).toMatch(/does not verify at seq 1/);
    expect(swept?.auditEntriesDeleted).toBe(0);
    expect(await seqs(t.tenantId)).toEqual([1, 2]);
    expect(await latestAuditArchive(handle.db, t.tenantId)).toBeNull();
    const verified = await verifyAuditChain(handle.db, t.tenantId, { checkSignature: trustRows });
    expect(verified.firstBroken).toMatchObject({ seq: 1, reason: "hash_mismatch" });
  });

  it("does not archive past a checkpoint that pins another hash than the chain's", async () => {
    const t = await newTenant({ access_log_days: 30 });
    for (let i = 0; i < 2; i++) await auditEntry(t.tenantId, OLD);
    const checkpoint = await checkpointAtHead(t.tenantId);
    await auditEntry(t.tenantId, OLD);
    await checkpointAtHead(t.tenantId);
    // As after a stretch rewritten and re-hashed since the checkpoint was signed: they disagree. A later
    // checkpoint (signed over the rewritten chain) must not carry the archive past the disagreement.
    await handle.client.query("update audit_checkpoints set hash = $2 where id = $1", [checkpoint, "f".repeat(64)]);
    const swept = forTenant(await sweep(), t.tenantId);
    expect(swept?.error).toMatch(/does not reach its checkpoint at seq 2/);
    expect(await seqs(t.tenantId)).toEqual([1, 2, 3]);
    expect(await latestAuditArchive(handle.db, t.tenantId)).toBeNull();
  });

  it("never overwrites an archive with other content (the other kinds go on), and finishes one a run wrote but did not record", async () => {
    const t = await newTenant({ access_log_days: 30, job_issues_days: 7 });
    const issue = await newIssue(t.tenantId, await newJob(t, "completed"), OLD);
    for (let i = 0; i < 2; i++) await auditEntry(t.tenantId, OLD);
    await checkpointAtHead(t.tenantId);
    const key = `audit/${t.tenantId}/000000000001-000000000002.ndjson`;
    await exporterEnv.ARCHIVE.put(key, "not this range\n");
    const refused = forTenant(await sweep(), t.tenantId);
    expect(refused?.error).toMatch(/^access_log: archive .* exists with other content/);
    // The other kinds went on.
    expect(refused?.jobIssuesDeleted).toBe(1);
    expect(await count("select count(*) as n from ingest_issues where id = $1", [issue])).toBe(0);
    // (Entry 3 is the sweep's own record of that.)
    expect(await seqs(t.tenantId)).toEqual([1, 2, 3]);
    expect(await (await exporterEnv.ARCHIVE.get(key))?.text()).toBe("not this range\n");

    // A run whose upload reached R2 but that stopped before recording it (its answer was lost): nothing
    // recorded, nothing deleted; the next run finds the same bytes there, keeps them and records the archive.
    await exporterEnv.ARCHIVE.delete(key);
    const lostAnswer: RetentionBuckets = {
      FILES: exporterEnv.FILES,
      ARCHIVE: {
        head: (k) => exporterEnv.ARCHIVE.head(k),
        put: async (k, value, options) => {
          await exporterEnv.ARCHIVE.put(k, value, options);
          throw new Error("connection lost after the upload");
        },
      },
    };
    const stopped = forTenant(await sweepRetention(handle.db, lostAnswer, NOW), t.tenantId);
    expect(stopped?.error).toBe("access_log: connection lost after the upload");
    expect(await seqs(t.tenantId)).toEqual([1, 2, 3]);
    const written = await (await exporterEnv.ARCHIVE.get(key))?.text();
    const archived = forTenant(await sweep(), t.tenantId);
    expect(archived).toMatchObject({ error: null, archiveKey: key, auditEntriesArchived: 2, auditEntriesDeleted: 2 });
    expect(await (await exporterEnv.ARCHIVE.get(key))?.text()).toBe(written);
    expect((await latestAuditArchive(handle.db, t.tenantId))?.r2Key).toBe(key);
  });

  it("names a forged archive checkpoint instead of trusting it", async () => {
    const t = await newTenant({ access_log_days: 30 });
    for (let i = 0; i < 2; i++) await auditEntry(t.tenantId, OLD);
    await checkpointAtHead(t.tenantId);
    await auditEntry(t.tenantId, RECENT);
    await sweep();
    const verified = await verifyAuditChain(handle.db, t.tenantId, {
      checkSignature: async () => ({ ok: false, reason: "bad signature" }),
    });
    expect(verified).toMatchObject({ valid: false, firstBroken: { seq: 2, reason: "checkpoint_signature_invalid" } });
  });
});

describe("the hourly Cron", () => {
  it("runs the sweep as of its scheduled time", async () => {
    const t = await newTenant({ raw_files_days: 365 });
    const file = await newFile(t, new Date("2020-01-01T00:00:00Z"));
    const scheduledTime = Date.now();
    await exporter.scheduled(createScheduledController({ scheduledTime, cron: "41 * * * *" }), exporterEnv);
    expect((await fileRow(file.id))?.retention_expired_at?.getTime()).toBe(scheduledTime);
    expect(await exporterEnv.FILES.head(file.r2Key)).toBeNull();
  });
});
