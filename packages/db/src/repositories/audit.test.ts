/**
 * The audit log's hash chain, kept by the database (migration 0006), against the real PostgreSQL
 * server of the test run, and on the embedded PGlite `npm start` uses:
 *
 * - every insert is chained by the trigger, whatever the caller sends, also under concurrency, and the
 *   TypeScript recomputation agrees byte for byte with the database's canonical form;
 * - the Workers' role `dfda_app` may insert (and the entry chains) but not update, delete or truncate;
 * - `verifyAuditChain` names the first broken link for each way of tampering;
 * - the migration chains entries written before it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "@dfda/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../../../scripts/db-migrate";
import { startPglite } from "../../../../scripts/start";
import { connect, type DbHandle } from "../client";
import { runMigrations } from "../migrate";
import {
  AUDIT_GENESIS_HASH,
  type AuditCheckpoint,
  auditCanonicalForm,
  auditChainHead,
  auditChainPage,
  auditEntryHash,
  type CheckpointSignatureCheck,
  recordAudit,
  verifyAuditChain,
} from "./audit";

const databaseUrl = inject("databaseUrl");
let owner: DbHandle;

beforeAll(async () => {
  owner = await connect(databaseUrl);
});
afterAll(async () => {
  await owner?.close();
});

async function makeTenant(db: DbHandle = owner): Promise<string> {
  const id = uuidv7();
  await db.client.query("insert into tenants (id, slug, name) values ($1, $2, 'Audit test')", [id, `audit-${id}`]);
  return id;
}

/** Checkpoints are signed by the API Worker; here a checker that trusts each row as it stands. */
const trustRows = async (c: AuditCheckpoint): Promise<CheckpointSignatureCheck> => ({
  ok: true,
  tenantId: c.tenantId,
  lastId: c.lastId,
  hash: c.hash,
});
const verify = (tenantId: string, pageSize?: number, db: DbHandle = owner) =>
  verifyAuditChain(db.db, tenantId, { checkSignature: trustRows, ...(pageSize === undefined ? {} : { pageSize }) });

async function entries(tenantId: string) {
  const { rows } = await owner.client.query<{ id: string; seq: string; prev_hash: string; hash: string }>(
    "select id, seq, prev_hash, hash from audit_log where tenant_id = $1 order by seq",
    [tenantId],
  );
  return rows;
}

/** Runs a statement and returns the SQLSTATE it fails with (or null when it succeeds). */
async function sqlState(client: pg.Client, text: string, params: unknown[] = []): Promise<string | null> {
  try {
    await client.query(text, params);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "unknown";
  }
}

describe("the audit hash chain", () => {
  it("chains every entry, and TypeScript recomputes exactly what the database hashed", async () => {
    const tenant = await makeTenant();
    const events = [
      { action: "auth.login", outcome: "success" as const, actorUserId: uuidv7(), ip: "203.0.113.9" },
      // NULL and "" must hash differently; text with multi-byte characters counts in UTF-8 bytes.
      { action: "authz.decision", outcome: "denied" as const, resourceId: "", details: { reason: "not_owner" } },
      { action: "authz.decision", outcome: "denied" as const, resourceId: null, details: { reason: "not_owner" } },
      {
        action: "consent.granted",
        outcome: "success" as const,
        subjectUserId: uuidv7(),
        actorClientId: "app|with|pipes:and:colons",
        details: { z: [1.5, 2.0, { b: null, a: "Grüße 👋" }], a: true, "": "empty key" },
      },
    ];
    for (const e of events) await recordAudit(owner.db, { tenantId: tenant, ...e });

    const rows = await entries(tenant);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
    expect(rows[0]?.prev_hash).toBe(AUDIT_GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);

    const page = await auditChainPage(owner.db, tenant, 0, 100, 100);
    const { rows: db } = await owner.client.query<{ canonical: string; hash: string }>(
      "select public.audit_entry_canonical(a) as canonical, hash from audit_log a where tenant_id = $1 order by seq",
      [tenant],
    );
    for (const [i, entry] of page.entries()) {
      expect(auditCanonicalForm(entry)).toBe(db[i]?.canonical);
      expect(await auditEntryHash(entry.prevHash ?? "", entry)).toBe(entry.hash);
    }
    expect(auditCanonicalForm(page[1] ?? ({} as never))).toContain("|0:|");
    expect(auditCanonicalForm(page[2] ?? ({} as never))).toContain("|~|");
    expect(page[1]?.hash).not.toBe(page[2]?.hash);

    const head = await auditChainHead(owner.db, tenant);
    expect(head).toMatchObject({ lastSeq: 4, lastId: Number(rows[3]?.id), lastHash: rows[3]?.hash });
    expect(await verify(tenant, 3)).toMatchObject({ valid: true, entriesChecked: 4, firstBroken: null });
  });

  it("overwrites whatever a caller supplies for the chain columns, and chains a multi-row insert in order", async () => {
    const tenant = await makeTenant();
    await owner.client.query(
      `insert into audit_log (tenant_id, action, outcome, seq, prev_hash, hash)
       values ($1, 'a', 'success', 99, 'forged', 'forged'), ($1, 'b', 'success', 5, null, null)`,
      [tenant],
    );
    const rows = await entries(tenant);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
    expect(rows[0]?.prev_hash).toBe(AUDIT_GENESIS_HASH);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect((await verify(tenant)).valid).toBe(true);
  });

  it("forms one linear chain when many connections write a new tenant's first entries at once", async () => {
    const tenant = await makeTenant();
    const writers = await Promise.all(Array.from({ length: 8 }, () => connect(databaseUrl)));
    try {
      await Promise.all(
        writers.map(async (w, n) => {
          for (let i = 0; i < 5; i++) {
            await recordAudit(w.db, { tenantId: tenant, action: `w${n}.${i}`, outcome: "success" });
          }
        }),
      );
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const rows = await entries(tenant);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verify(tenant, 7)).toMatchObject({ valid: true, entriesChecked: 40 });
  });

  it("keeps a rolled-back entry out of the chain", async () => {
    const tenant = await makeTenant();
    await recordAudit(owner.db, { tenantId: tenant, action: "kept.1", outcome: "success" });
    await owner.db
      .transaction(async (tx) => {
        await recordAudit(tx, { tenantId: tenant, action: "rolled.back", outcome: "success" });
        throw new Error("roll back");
      })
      .catch(() => {});
    await recordAudit(owner.db, { tenantId: tenant, action: "kept.2", outcome: "success" });
    const rows = await entries(tenant);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
    expect((await verify(tenant)).valid).toBe(true);
  });
});

describe("the Workers' role dfda_app", () => {
  let app: DbHandle;
  beforeAll(async () => {
    app = await connect(databaseUrl);
    await app.client.query("set role dfda_app");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("is the role the session runs as", async () => {
    const { rows } = await app.client.query<{ current_user: string }>("select current_user");
    expect(rows[0]?.current_user).toBe("dfda_app");
  });

  it("inserts into audit_log and the entry is chained by the trigger", async () => {
    const tenant = await makeTenant();
    await recordAudit(owner.db, { tenantId: tenant, action: "by.owner", outcome: "success" });
    await recordAudit(app.db, { tenantId: tenant, action: "by.app", outcome: "denied", details: { reason: "x" } });
    const rows = await entries(tenant);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    // It can also read and check the chain (verify runs as this role in production).
    expect(await verify(tenant, undefined, app)).toMatchObject({ valid: true, entriesChecked: 2 });
  });

  it("may not update, delete or truncate the audit log, nor write the chain heads or change checkpoints", async () => {
    const tenant = await makeTenant();
    await recordAudit(app.db, { tenantId: tenant, action: "x", outcome: "success" });
    const denied = "42501"; // insufficient_privilege: "permission denied for table …"
    const c = app.client;
    expect(await sqlState(c, "update audit_log set action = 'changed' where tenant_id = $1", [tenant])).toBe(denied);
    expect(await sqlState(c, "delete from audit_log where tenant_id = $1", [tenant])).toBe(denied);
    expect(await sqlState(c, "truncate audit_log")).toBe(denied);
    expect(await sqlState(c, "update audit_chain_heads set last_seq = 0 where tenant_id = $1", [tenant])).toBe(denied);
    expect(await sqlState(c, "delete from audit_chain_heads where tenant_id = $1", [tenant])).toBe(denied);
    expect(
      await sqlState(
        c,
        "insert into audit_chain_heads (tenant_id, last_id, last_seq, last_hash) values ($1, 0, 0, 'x')",
        [await makeTenant()],
      ),
    ).toBe(denied);
    expect(await sqlState(c, "update audit_checkpoints set hash = 'x' where tenant_id = $1", [tenant])).toBe(denied);
    expect(await sqlState(c, "delete from audit_checkpoints where tenant_id = $1", [tenant])).toBe(denied);
    expect(await sqlState(c, "truncate audit_checkpoints")).toBe(denied);
    // Disabling the trigger needs ownership.
    expect(await sqlState(c, "alter table audit_log disable trigger audit_log_chain")).toBe(denied);
    expect(await sqlState(c, "set session_replication_role = replica")).toBe(denied);
    expect(await entries(tenant)).toHaveLength(1);
  });

  it("reads and writes the other tables the Workers use", async () => {
    const tenant = await makeTenant(app);
    expect(await sqlState(app.client, "update tenants set name = 'Renamed' where id = $1", [tenant])).toBeNull();
    expect(
      await sqlState(
        app.client,
        "insert into audit_checkpoints (tenant_id, last_id, hash, signature, kid) values ($1, 1, 'h', 's', 'k')",
        [tenant],
      ),
    ).toBeNull();
    // Deleting a tenant would cascade to its audit rows: not for this role.
    expect(await sqlState(app.client, "delete from tenants where id = $1", [tenant])).toBe("42501");
  });

  it("deletes audit entries only through audit_log_prune, and only those an archive with its checkpoint covers", async () => {
    const tenant = await makeTenant();
    for (let i = 0; i < 4; i++) await recordAudit(app.db, { tenantId: tenant, action: `a.${i}`, outcome: "success" });
    const rows = await entries(tenant);
    const at = (seq: number) => rows[seq - 1] ?? { id: "0", hash: "" };
    const checkpoint = async (seq: number) =>
      (
        await app.client.query<{ id: string }>(
          "insert into audit_checkpoints (tenant_id, last_id, hash, signature, kid) values ($1, $2, $3, 's', 'k') returning id",
          [tenant, at(seq).id, at(seq).hash],
        )
      ).rows[0]?.id;
    const archive = (uptoSeq: number, checkpointId: string | undefined, hash = at(uptoSeq).hash) =>
      app.client.query(
        `insert into audit_archives (tenant_id, from_seq, upto_seq, upto_id, prev_hash, upto_hash, checkpoint_id, r2_key, entries, sha256)
         values ($1, 1, $2::bigint, $3, $4, $5, $6, 'k', $2::int, 'x')`,
        [tenant, uptoSeq, at(uptoSeq).id, AUDIT_GENESIS_HASH, hash, checkpointId],
      );
    const prune = async (limit: number) =>
      Number(
        (await app.client.query<{ n: number }>("select public.audit_log_prune($1, $2) as n", [tenant, limit])).rows[0]
          ?.n,
      );

    // Nothing archived: nothing deleted.
    expect(await prune(100)).toBe(0);
    // An archive whose checkpoint pins another hash does not count.
    await archive(3, await checkpoint(1), at(3).hash);
    expect(await prune(100)).toBe(0);
    // A matching one: entries up to its seq, at most `limit` per call, oldest first.
    await archive(2, await checkpoint(2));
    expect(await prune(1)).toBe(1);
    expect(await prune(100)).toBe(1);
    expect((await entries(tenant)).map((r) => Number(r.seq))).toEqual([3, 4]);
    // Archives are append-only for this role.
    expect(await sqlState(app.client, "delete from audit_archives where tenant_id = $1", [tenant])).toBe("42501");
    expect(await sqlState(app.client, "update audit_archives set upto_seq = 4 where tenant_id = $1", [tenant])).toBe(
      "42501",
    );
    // verify starts from the latest archive, and names the one whose checkpoint pins something else.
    expect(await verify(tenant, undefined, app)).toMatchObject({
      valid: false,
      firstBroken: { seq: 3, reason: "checkpoint_mismatch" },
    });
  });
});

describe("verifyAuditChain names the first broken link", () => {
  /** A tenant with `n` entries; returns its id and the entries in chain order. */
  async function chain(n: number) {
    const tenant = await makeTenant();
    for (let i = 1; i <= n; i++) {
      await recordAudit(owner.db, { tenantId: tenant, action: `event.${i}`, outcome: "success", details: { i } });
    }
    return { tenant, rows: await entries(tenant) };
  }

  it("a changed entry: hash_mismatch at that entry", async () => {
    const { tenant, rows } = await chain(6);
    const target = rows[3];
    await owner.client.query(`update audit_log set details = '{"i": 400}' where id = $1`, [target?.id]);
    const result = await verify(tenant, 2);
    expect(result).toMatchObject({ valid: false, entriesChecked: 4 });
    expect(result.firstBroken).toMatchObject({
      id: Number(target?.id),
      seq: 4,
      reason: "hash_mismatch",
      expectedPrevHash: rows[2]?.hash,
      actualPrevHash: rows[2]?.hash,
      actualHash: target?.hash,
    });
    expect(result.firstBroken?.expectedHash).not.toBe(target?.hash);
  });

  it("a changed link: prev_hash_mismatch", async () => {
    const { tenant, rows } = await chain(4);
    await owner.client.query("update audit_log set prev_hash = $2 where id = $1", [rows[2]?.id, "f".repeat(64)]);
    const result = await verify(tenant);
    expect(result.firstBroken).toMatchObject({
      id: Number(rows[2]?.id),
      reason: "prev_hash_mismatch",
      expectedPrevHash: rows[1]?.hash,
      actualPrevHash: "f".repeat(64),
    });
  });

  it("a removed entry: entries_missing at the entry after the gap, and at the head when the end is removed", async () => {
    const { tenant, rows } = await chain(5);
    await owner.client.query("delete from audit_log where id = $1", [rows[1]?.id]);
    expect((await verify(tenant)).firstBroken).toMatchObject({
      id: Number(rows[2]?.id),
      seq: 3,
      reason: "entries_missing",
      expectedPrevHash: rows[0]?.hash,
      actualPrevHash: rows[1]?.hash,
    });

    const tail = await chain(3);
    await owner.client.query("delete from audit_log where id = $1", [tail.rows[2]?.id]);
    expect((await verify(tail.tenant)).firstBroken).toMatchObject({
      id: Number(tail.rows[2]?.id),
      seq: 3,
      reason: "entries_missing",
    });
  });

  it("a rewritten, re-hashed chain passes the links but not its head, nor a checkpoint taken before", async () => {
    const rehash = (tenant: string, fromSeq: number) =>
      owner.client.query(`
        do $$
        declare e public.audit_log; prev text;
        begin
          select prev_hash into prev from public.audit_log where tenant_id = '${tenant}' and seq = ${fromSeq};
          for e in select * from public.audit_log where tenant_id = '${tenant}' and seq >= ${fromSeq} order by seq loop
            e.prev_hash := prev;
            e.hash := public.audit_entry_hash(e);
            update public.audit_log set prev_hash = e.prev_hash, hash = e.hash where id = e.id;
            prev := e.hash;
          end loop;
        end $$`);

    // The last entry rewritten and re-hashed: only the head (written with the entry) tells.
    const last = await chain(3);
    await owner.client.query(`update audit_log set action = 'forged' where id = $1`, [last.rows[2]?.id]);
    await rehash(last.tenant, 3);
    expect((await verify(last.tenant)).firstBroken).toMatchObject({
      id: Number(last.rows[2]?.id),
      reason: "head_mismatch",
      expectedHash: last.rows[2]?.hash,
    });

    // An entry in the middle rewritten, everything after it and the head re-hashed: every link and the
    // head agree again; only the checkpoint signed at entry 4 still holds the original hash.
    const { tenant, rows } = await chain(6);
    await owner.client.query(
      "insert into audit_checkpoints (tenant_id, last_id, hash, signature, kid) values ($1, $2, $3, 'jws', 'kid')",
      [tenant, rows[3]?.id, rows[3]?.hash],
    );
    expect(await verify(tenant)).toMatchObject({ valid: true, checkpointsVerified: 1, checkpointsTotal: 1 });
    await owner.client.query(`update audit_log set details = '{"i": 200}' where id = $1`, [rows[1]?.id]);
    await rehash(tenant, 2);
    await owner.client.query(
      "update audit_chain_heads set last_hash = (select hash from audit_log where tenant_id = $1 and seq = 6) where tenant_id = $1",
      [tenant],
    );
    const result = await verify(tenant);
    expect(result.firstBroken).toMatchObject({
      id: Number(rows[3]?.id),
      reason: "checkpoint_mismatch",
      expectedHash: rows[3]?.hash,
    });
    expect(result.checkpointsVerified).toBe(0);
  });

  it("a checkpoint whose signature does not verify, or whose entry is gone", async () => {
    const { tenant, rows } = await chain(3);
    await owner.client.query(
      "insert into audit_checkpoints (tenant_id, last_id, hash, signature, kid) values ($1, $2, $3, 'jws', 'kid')",
      [tenant, rows[1]?.id, rows[1]?.hash],
    );
    const refuse = async (): Promise<CheckpointSignatureCheck> => ({ ok: false, reason: "bad signature" });
    const result = await verifyAuditChain(owner.db, tenant, { checkSignature: refuse });
    expect(result.firstBroken).toMatchObject({ id: Number(rows[1]?.id), reason: "checkpoint_signature_invalid" });

    const gone = await chain(2);
    await owner.client.query(
      "insert into audit_checkpoints (tenant_id, last_id, hash, signature, kid) values ($1, 1, $2, 'jws', 'kid')",
      [gone.tenant, "a".repeat(64)],
    );
    expect((await verify(gone.tenant)).firstBroken).toMatchObject({ id: 1, reason: "checkpoint_entry_missing" });
  });

  it("reports an empty log as valid", async () => {
    expect(await verify(await makeTenant())).toMatchObject({ valid: true, entriesChecked: 0, head: null });
  });
});

/** A copy of the migrations folder whose journal stops before `tag`. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dfda-migrations-"));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe("migration 0006_audit_chain", () => {
  const name = `dfda_audit_${process.pid}_${Date.now().toString(36)}`;
  let admin: pg.Client;
  let url: string;
  let before: string;

  beforeAll(async () => {
    const server = new URL(databaseUrl);
    admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    server.pathname = `/${name}`;
    url = server.toString();
    before = migrationsBefore("0006_audit_chain");
  });
  afterAll(async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    rmSync(before, { recursive: true, force: true });
  });

  it("chains the entries written before it, per tenant in id order, and sets the heads", async () => {
    expect((await runMigrations(url, before)).applied.at(-1)).toBe("0005_sharing");
    const handle = await connect(url);
    try {
      const tenants = [await makeTenant(handle), await makeTenant(handle)];
      // Written as a Worker did before 0006 (today's recordAudit names the new column `seq`).
      for (let i = 0; i < 6; i++) {
        await handle.client.query(
          `insert into audit_log (tenant_id, action, outcome, details) values ($1, $2, 'success', '{"n": 1}')`,
          [tenants[i % 2], `old.${i}`],
        );
      }
      expect((await runMigrations(url, MIGRATIONS_FOLDER)).applied[0]).toBe("0006_audit_chain");
      for (const tenant of tenants) {
        const result = await verifyAuditChain(handle.db, tenant, { checkSignature: trustRows });
        expect(result).toMatchObject({ valid: true, entriesChecked: 3 });
        expect(result.head?.lastSeq).toBe(3);
      }
      // New entries continue each chain.
      await recordAudit(handle.db, { tenantId: tenants[0] ?? "", action: "new", outcome: "success" });
      const after = await verifyAuditChain(handle.db, tenants[0] ?? "", { checkSignature: trustRows });
      expect(after).toMatchObject({ valid: true, entriesChecked: 4 });
    } finally {
      await handle.close();
    }
  });
});

describe("on the embedded database (PGlite, npm start)", () => {
  const dir = mkdtempSync(join(tmpdir(), "dfda-pglite-audit-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("migrates, creates dfda_app, chains entries and keeps them append-only for that role", async () => {
    const port = 55_000 + (process.pid % 1000);
    const db = await startPglite(join(dir, "pglite"), port);
    try {
      expect((await runMigrations(db.url, MIGRATIONS_FOLDER)).applied).toContain("0006_audit_chain");
      const handle = await connect(db.url);
      try {
        const tenant = await makeTenant(handle);
        await handle.client.query("set role dfda_app");
        await recordAudit(handle.db, { tenantId: tenant, action: "a", outcome: "success", details: { k: "é" } });
        await recordAudit(handle.db, { tenantId: tenant, action: "b", outcome: "denied" });
        expect(await sqlState(handle.client, "update audit_log set action = 'x'")).toBe("42501");
        expect(await sqlState(handle.client, "delete from audit_log")).toBe("42501");
        const result = await verifyAuditChain(handle.db, tenant, { checkSignature: trustRows });
        expect(result).toMatchObject({ valid: true, entriesChecked: 2 });
      } finally {
        await handle.close();
      }
    } finally {
      await db.stop();
    }
  }, 120_000);
});
