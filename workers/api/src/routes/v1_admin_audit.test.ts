/**
 * GET /v1/admin/audit/verify and GET /v1/admin/audit/checkpoints in the Workers runtime: an intact
 * log verifies; a row tampered with by a database superuser (this test's own connection) is caught and
 * named; signed checkpoints verify, a forged one does not, and a chain rewritten and re-hashed after a
 * checkpoint is caught by it; after retention archived the oldest entries, the check starts from the
 * archive's signed checkpoint; administrators with `audit:read` of the tenant only.
 */
import { env } from "cloudflare:workers";
import type { DbHandle } from "@dfda/db";
import {
  insertAuditArchive,
  nextAuditArchiveRange,
  pruneArchivedAuditEntries,
  recordAudit,
} from "@dfda/db/repositories/audit";
import { CompactSign, compactVerify, generateKeyPair, importJWK, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken,
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  userToken,
} from "../../test/identity";
import { CHECKPOINT_TYP, createAuditCheckpoints } from "../lib/audit";
import { authConfig } from "../oauth/config";
import type { AuditCheckpointListResponse } from "./v1_admin_audit_checkpoints";
import type { AuditVerificationResponse } from "./v1_admin_audit_verify";

let handle: DbHandle;
let tenant: TestTenant;
let auditor: string;
let foreignAuditor: string;
let foreignTenant: TestTenant;
let ownerToken: string;
let managerToken: string;
let appToken: string;

const SCOPES = ["openid", "audit:read", "tenant:manage"];

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, { type: "public", scopes: SCOPES });
  const admin = await makeUser(tenant, ["admin"]);
  auditor = await adminToken(client, admin, "audit:read");
  // An administrator whose token lacks audit:read, and a data owner whose token has it.
  managerToken = await adminToken(client, await makeUser(tenant, ["admin"]), "tenant:manage");
  ownerToken = await userToken(client, await makeUser(tenant), "audit:read");
  const app = await makeClient(tenant, { type: "confidential", scopes: ["audit:read"] });
  appToken = await clientToken(app, "audit:read");
  foreignTenant = await makeTenant();
  const foreignClient = await makeClient(foreignTenant, { type: "public", scopes: SCOPES });
  foreignAuditor = await adminToken(foreignClient, await makeUser(foreignTenant, ["admin"]), "audit:read");
});
afterAll(async () => handle.close());

const get = (path: string, bearer: string) => api(path, { headers: { Authorization: `Bearer ${bearer}` } });
const verify = async (bearer = auditor) => {
  const res = await get("/v1/admin/audit/verify", bearer);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<AuditVerificationResponse>(res);
};
const master = () => authConfig(env, BASE).master;

async function chain(tenantId: string) {
  const { rows } = await handle.client.query<{ id: string; seq: string; prev_hash: string; hash: string }>(
    "select id, seq, prev_hash, hash from audit_log where tenant_id = $1 order by seq",
    [tenantId],
  );
  return rows.map((r) => ({ id: Number(r.id), seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash }));
}

describe("GET /v1/admin/audit/verify", () => {
  it("verifies an intact log from its first entry to its head, and audits the check", async () => {
    const entries = await chain(tenant.id);
    // Sign-ins and token issues of the beforeAll all went into the chain.
    expect(entries.length).toBeGreaterThan(3);
    const result = await verify();
    expect(result).toMatchObject({
      tenant_id: tenant.id,
      valid: true,
      first_broken: null,
      checkpoints_total: 0,
      checkpoints_verified: 0,
    });
    expect(result.entries_checked).toBeGreaterThanOrEqual(entries.length);
    expect(result.head?.seq).toBe(result.entries_checked);
    const { rows } = await handle.client.query<{ details: Record<string, unknown> }>(
      "select details from audit_log where tenant_id = $1 and action = 'admin.audit.verify' order by seq desc limit 1",
      [tenant.id],
    );
    expect(rows[0]?.details).toMatchObject({ valid: true, entries_checked: result.entries_checked });
  });

  it("catches a tampered row and names it as the first broken link", async () => {
    const entries = await chain(tenant.id);
    const target = entries[1];
    if (!target) throw new Error("no second entry");
    const before = await handle.client.query<{ details: string | null }>(
      "select details::text as details from audit_log where id = $1",
      [target.id],
    );
    // The test's connection is the database owner: it can do what the Workers' role cannot.
    await handle.client.query(`update audit_log set details = '{"reason": "nothing to see"}' where id = $1`, [
      target.id,
    ]);
    try {
      const result = await verify();
      expect(result.valid).toBe(false);
      expect(result.entries_checked).toBe(2);
      expect(result.first_broken).toMatchObject({
        id: target.id,
        seq: 2,
        reason: "hash_mismatch",
        expected_prev_hash: entries[0]?.hash,
        actual_prev_hash: target.prevHash,
        actual_hash: target.hash,
      });
      expect(result.first_broken?.expected_hash).not.toBe(target.hash);
      // Another tenant's chain is its own.
      expect(await verify(foreignAuditor)).toMatchObject({ tenant_id: foreignTenant.id, valid: true });
    } finally {
      await handle.client.query("update audit_log set details = $2::jsonb where id = $1", [
        target.id,
        before.rows[0]?.details ?? null,
      ]);
    }
    expect((await verify()).valid).toBe(true);
  });

  it("catches a changed link between two entries", async () => {
    const entries = await chain(tenant.id);
    const third = entries[2];
    if (!third) throw new Error("no third entry");
    await handle.client.query("update audit_log set prev_hash = $2 where id = $1", [third.id, "0".repeat(64)]);
    try {
      expect((await verify()).first_broken).toMatchObject({
        id: third.id,
        reason: "prev_hash_mismatch",
        actual_prev_hash: "0".repeat(64),
      });
    } finally {
      await handle.client.query("update audit_log set prev_hash = $2 where id = $1", [third.id, third.prevHash]);
    }
    expect((await verify()).valid).toBe(true);
  });

  it("checks signed checkpoints, and refuses a forged one", async () => {
    const made = await createAuditCheckpoints(handle.db, master());
    expect(made).toBeGreaterThanOrEqual(1);
    const [head] = (
      await handle.client.query<{ last_id: string; last_hash: string }>(
        "select last_id, last_hash from audit_chain_heads where tenant_id = $1",
        [tenant.id],
      )
    ).rows;
    // A second run right away signs nothing new for this tenant.
    await createAuditCheckpoints(handle.db, master());
    const list = await json<AuditCheckpointListResponse>(await get("/v1/admin/audit/checkpoints", auditor));
    expect(list.data).toHaveLength(1);
    const checkpoint = list.data[0];
    expect(checkpoint).toMatchObject({ last_id: Number(head?.last_id), hash: head?.last_hash });

    // The JWS verifies with the platform's public key for its kid and says what the row says.
    const { rows: keys } = await handle.client.query<{ public_jwk: JWK }>(
      "select public_jwk from signing_keys where kid = $1",
      [checkpoint?.kid],
    );
    const publicKey = await importJWK(keys[0]?.public_jwk ?? {}, "ES256");
    const { payload, protectedHeader } = await compactVerify(checkpoint?.signature ?? "", publicKey);
    expect(protectedHeader).toMatchObject({ alg: "ES256", kid: checkpoint?.kid, typ: CHECKPOINT_TYP });
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      tenant_id: tenant.id,
      last_id: checkpoint?.last_id,
      hash: checkpoint?.hash,
    });

    expect(await verify()).toMatchObject({ valid: true, checkpoints_total: 1, checkpoints_verified: 1 });

    // A checkpoint signed by someone else's key under the platform's kid.
    const entries = await chain(tenant.id);
    const pinned = entries[entries.length - 2];
    const forger = await generateKeyPair("ES256");
    const forged = await new CompactSign(
      new TextEncoder().encode(
        JSON.stringify({ tenant_id: tenant.id, last_id: pinned?.id, seq: pinned?.seq, hash: pinned?.hash, iat: 1 }),
      ),
    )
      .setProtectedHeader({ alg: "ES256", kid: checkpoint?.kid ?? "", typ: CHECKPOINT_TYP })
      .sign(forger.privateKey);
    const inserted = await handle.client.query<{ id: string }>(
      "insert into audit_checkpoints (tenant_id, last_id, hash, signature, kid) values ($1, $2, $3, $4, $5) returning id",
      [tenant.id, pinned?.id, pinned?.hash, forged, checkpoint?.kid],
    );
    try {
      const result = await verify();
      expect(result.first_broken).toMatchObject({
        id: pinned?.id,
        reason: "checkpoint_signature_invalid",
        checkpoint_id: Number(inserted.rows[0]?.id),
      });
    } finally {
      await handle.client.query("delete from audit_checkpoints where id = $1", [inserted.rows[0]?.id]);
    }
  });

  it("pages the checkpoints and refuses a foreign cursor", async () => {
    await createAuditCheckpoints(handle.db, master()); // the verify entries since then: a second checkpoint
    const first = await json<AuditCheckpointListResponse>(await get("/v1/admin/audit/checkpoints?limit=1", auditor));
    expect(first.data).toHaveLength(1);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<AuditCheckpointListResponse>(
      await get(`/v1/admin/audit/checkpoints?limit=1&cursor=${first.next_cursor}`, auditor),
    );
    expect(second.data[0]?.id).toBeLessThan(first.data[0]?.id ?? 0);
    await expectProblem(await get("/v1/admin/audit/checkpoints?cursor=bm9wZQ", auditor), 400, "invalid_cursor");
    const foreign = await json<AuditCheckpointListResponse>(await get("/v1/admin/audit/checkpoints", foreignAuditor));
    expect(foreign.data.every((c) => !first.data.some((f) => f.id === c.id))).toBe(true);
  });

  it("is for administrators with audit:read, of their own tenant only", async () => {
    for (const path of ["/v1/admin/audit/verify", "/v1/admin/audit/checkpoints"]) {
      await expectProblem(await api(path), 401, "unauthorized");
      expect((await expectProblem(await get(path, ownerToken), 403, "forbidden")).reason).toBe("missing_role");
      const res = await get(path, managerToken);
      expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
      await expectProblem(res, 403, "forbidden");
      expect((await expectProblem(await get(path, appToken), 403, "forbidden")).reason).toBe("client_not_allowed");
    }
    // The denials are in the log, and the log still verifies.
    const { rows } = await handle.client.query<{ n: string }>(
      "select count(*) as n from audit_log where tenant_id = $1 and action = 'authz.decision' and outcome = 'denied'",
      [tenant.id],
    );
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(6); // 3 tokens × 2 routes; anonymous calls have no tenant
    expect((await verify()).valid).toBe(true);
  });

  // Last: it leaves this tenant's chain broken for good.
  it("catches a chain rewritten and re-hashed after a checkpoint, at the checkpoint", async () => {
    await createAuditCheckpoints(handle.db, master());
    const [latest] = (
      await handle.client.query<{ last_id: string }>(
        "select last_id from audit_checkpoints where tenant_id = $1 order by last_id desc limit 1",
        [tenant.id],
      )
    ).rows;
    const entries = await chain(tenant.id);
    const first = entries[0];
    // Rewrite the first entry, then recompute every later hash and the head with the database's own
    // functions: every link and the head agree again; only signatures made before cannot be redone.
    await handle.client.query(`update audit_log set action = 'nothing.happened' where id = $1`, [first?.id]);
    await handle.client.query(`
      do $$
      declare e public.audit_log; prev text := repeat('0', 64);
      begin
        for e in select * from public.audit_log where tenant_id = '${tenant.id}' order by seq loop
          e.prev_hash := prev;
          e.hash := public.audit_entry_hash(e);
          update public.audit_log set prev_hash = e.prev_hash, hash = e.hash where id = e.id;
          prev := e.hash;
        end loop;
        update public.audit_chain_heads set last_hash = prev where tenant_id = '${tenant.id}';
      end $$`);
    const result = await verify();
    expect(result.valid).toBe(false);
    // The earliest checkpoint is the first to disagree.
    const { rows: cps } = await handle.client.query<{ id: string; last_id: string }>(
      "select id, last_id from audit_checkpoints where tenant_id = $1 order by last_id, id limit 1",
      [tenant.id],
    );
    expect(result.first_broken).toMatchObject({
      id: Number(cps[0]?.last_id),
      reason: "checkpoint_mismatch",
      checkpoint_id: Number(cps[0]?.id),
    });
    expect(Number(latest?.last_id)).toBeGreaterThanOrEqual(Number(cps[0]?.last_id));
  });
});

describe("GET /v1/admin/audit/verify after retention archived the oldest entries", () => {
  it("starts from the archive's signed checkpoint, says so, and still checks the entries after it", async () => {
    // A tenant of its own: its oldest entries are archived (as the exporter's sweep does, minus the R2
    // object, tested with the sweep) and deleted.
    const own = await makeTenant();
    const client = await makeClient(own, { type: "public", scopes: SCOPES });
    const bearer = await adminToken(client, await makeUser(own, ["admin"]), "audit:read");
    await createAuditCheckpoints(handle.db, master());
    const range = await nextAuditArchiveRange(handle.db, own.id, new Date(Date.now() + 86_400_000));
    if (range === null) throw new Error("no range to archive");
    await insertAuditArchive(handle.db, own.id, range, {
      r2Key: `audit/${own.id}/test.ndjson`,
      entries: range.uptoSeq,
      sha256: "0".repeat(64),
    });
    expect(await pruneArchivedAuditEntries(handle.db, own.id, 10_000)).toBe(range.uptoSeq);
    await recordAudit(handle.db, { tenantId: own.id, action: "after.archive", outcome: "success" });

    const result = await verify(bearer);
    expect(result).toMatchObject({
      tenant_id: own.id,
      valid: true,
      checkpoints_verified: 1,
      archived_through: { seq: range.uptoSeq, last_id: range.uptoId, checkpoint_id: range.checkpoint.id },
    });
    expect(result.entries_checked).toBe(1);

    // A change after the archive is still caught.
    const [next] = await chain(own.id);
    await handle.client.query("update audit_log set action = 'changed' where id = $1", [next?.id]);
    expect((await verify(bearer)).first_broken).toMatchObject({ id: next?.id, reason: "hash_mismatch" });
  });
});
