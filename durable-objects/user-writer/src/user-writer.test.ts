/**
 * The per-user writer as the consent authority, in the ingest Worker that hosts it: the `authorize`
 * RPC (live grants, every answer in the audit log), and writes by an app through a client grant
 * arriving through the real queue consumer, stored only when every row lies inside the grant.
 */
import {
  createExecutionContext,
  createMessageBatch,
  evictDurableObject,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type AuthorizeRequest, type IngestMessage, type ObservationInput, userWriterName, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { verifyAuditChain } from "@dfda/db/repositories/audit";
import { createConsent, revokeConsent } from "@dfda/db/repositories/consents";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { createJob, getJob } from "@dfda/db/repositories/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worker, { type IngestEnv } from "../../../workers/ingest/src/index";
import { AUDIT_COALESCE_DEFAULT_SECONDS, type UserWriter } from "./index";

const LOINC = "http://loinc.org";
const APP = "sync-app";
const ingestEnv = env as unknown as IngestEnv;
let handle: DbHandle;
let tenantId: string;
let owner: string;
let delegate: string;
let sourceId: string;

async function user(): Promise<string> {
  return (
    await createUser(handle.db, {
      tenantId,
      email: `u-${uuidv7()}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
    })
  ).id;
}

beforeAll(async () => {
  handle = await connect(ingestEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `uw-${uuidv7().slice(-8)}`, name: "Writer" })).id;
  owner = await user();
  delegate = await user();
  sourceId = await clientSource(handle.db, tenantId, APP, "Sync app");
});
afterAll(async () => handle.close());

function writer(ownerId: string) {
  return ingestEnv.USER_WRITER.get(ingestEnv.USER_WRITER.idFromName(userWriterName(tenantId, ownerId)));
}

function question(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    v: 1,
    tenant_id: tenantId,
    owner_id: owner,
    principal: {
      kind: "user",
      tenant_id: tenantId,
      user_id: delegate,
      client_id: "web",
      scopes: ["observations:read"],
      roles: ["clinician_delegate"],
      token_id: "t",
    },
    action: "read",
    audit_action: "observations.read",
    request_id: uuidv7(),
    ...overrides,
  };
}

async function auditOf(requestId: string) {
  const { rows } = await handle.client.query<{
    outcome: string;
    subject_user_id: string;
    details: Record<string, unknown>;
  }>("select outcome, subject_user_id, details from audit_log where tenant_id = $1 and request_id = $2", [
    tenantId,
    requestId,
  ]);
  return rows;
}

describe("authorize", () => {
  it("answers from the live grants and records every answer with the owner as subject", async () => {
    const first = question();
    expect(await writer(owner).authorize(first)).toEqual({ allow: false, reason: "no_grant", grant_ids: [] });
    expect(await auditOf(first.request_id ?? "")).toEqual([
      expect.objectContaining({
        outcome: "denied",
        subject_user_id: owner,
        details: expect.objectContaining({ reason: "no_grant" }),
      }),
    ]);

    const grant = await createConsent(handle.db, {
      tenantId,
      ownerId: owner,
      granteeType: "user",
      granteeId: delegate,
      actions: ["read"],
      categories: ["vital_signs"],
      variableIds: [],
      dataFrom: new Date("2026-01-01T00:00:00Z"),
      grantedBy: owner,
      via: "api",
    });
    const second = question();
    expect(await writer(owner).authorize(second)).toEqual({
      allow: true,
      via: "grant",
      grant_ids: [grant.id],
      scope: [
        {
          grant_id: grant.id,
          categories: ["vital_signs"],
          variable_ids: [],
          from: "2026-01-01T00:00:00.000Z",
          to: null,
        },
      ],
    });
    expect((await auditOf(second.request_id ?? ""))[0]).toMatchObject({ outcome: "success" });

    await revokeConsent(handle.db, { tenantId, ownerId: owner, id: grant.id, actorUserId: owner });
    expect(await writer(owner).authorize(question())).toMatchObject({ allow: false, reason: "revoked" });
  });

  it("answers a malformed question no, instead of guessing", async () => {
    expect(await writer(owner).authorize({ v: 1, tenant_id: tenantId })).toEqual({
      allow: false,
      reason: "invalid_request",
      grant_ids: [],
    });
  });
});

describe("the access log under a loop of identical requests", () => {
  const WINDOW_MS = AUDIT_COALESCE_DEFAULT_SECONDS * 1000;

  /** A reader with no grant (each test its own, so its decisions are its own key) and its question. */
  async function reader(): Promise<(requestId: string) => AuthorizeRequest> {
    const id = await user();
    return (requestId) =>
      question({
        principal: { ...question().principal, user_id: id },
        request_id: requestId,
        route: "GET /v1/observations",
      });
  }

  /** The clocks this file gave writers, to tell a fresh instance from one that kept its memory. */
  const testClocks = new Set<() => number>();

  /**
   * The writer's clock, set by the test: `times` are what it reads, in order (one read per decision,
   * one per alarm), then the wall clock again. The windows are the test's, not the wall clock's.
   */
  async function setClock(ownerId: string, times: number[]): Promise<void> {
    await runInDurableObject(writer(ownerId), (instance: UserWriter) => {
      const queue = [...times];
      const clock = () => queue.shift() ?? Date.now();
      testClocks.add(clock);
      instance.clock = clock;
    });
  }

  async function rowsOf(requestIds: string[]) {
    const { rows } = await handle.client.query<{
      request_id: string;
      outcome: string;
      details: Record<string, unknown>;
    }>(
      "select request_id, outcome, details from audit_log where tenant_id = $1 and request_id = any($2) order by seq",
      [tenantId, requestIds],
    );
    return rows;
  }

  async function expectChainValid() {
    const result = await verifyAuditChain(handle.db, tenantId, {
      checkSignature: async () => {
        throw new Error("this tenant has no checkpoints");
      },
    });
    expect(result).toMatchObject({ valid: true, firstBroken: null });
  }

  it("writes the first of N identical denials, then their count at the window's end, kept across eviction", async () => {
    const ask = await reader();
    const t0 = Date.now();
    const N = 5;
    await setClock(owner, [...Array.from({ length: N }, (_, i) => t0 + i * 1000)]);
    const ids = Array.from({ length: N }, () => uuidv7());
    for (const id of ids) {
      expect(await writer(owner).authorize(ask(id))).toMatchObject({ allow: false, reason: "no_grant" });
    }
    // One row: the first attempt, denied and visible in the owner's access log at once.
    expect(await rowsOf(ids)).toEqual([
      { request_id: ids[0], outcome: "denied", details: expect.not.objectContaining({ coalesced: expect.anything() }) },
    ]);

    // The pending count is in the object's storage, not its memory: a new instance writes it.
    await evictDurableObject(writer(owner));
    expect(await runInDurableObject(writer(owner), (instance: UserWriter) => testClocks.has(instance.clock))).toBe(
      false,
    );
    await setClock(owner, [t0 + WINDOW_MS + 1]);
    expect(await runDurableObjectAlarm(writer(owner))).toBe(true);
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      request_id: ids[N - 1],
      outcome: "denied",
      details: expect.objectContaining({
        reason: "no_grant",
        route: "GET /v1/observations",
        coalesced: N - 1,
        count_only: true,
        coalesced_first_at: new Date(t0 + 1000).toISOString(),
        coalesced_last_at: new Date(t0 + (N - 1) * 1000).toISOString(),
      }),
    });
    await expectChainValid();
  });

  it("carries the count on the next row of the same decision after the window; other decisions are apart", async () => {
    const ask = await reader();
    const other = await reader();
    const t0 = Date.now();
    const ids = [uuidv7(), uuidv7(), uuidv7()];
    const otherId = uuidv7();
    const late = uuidv7();
    await setClock(owner, [t0, t0 + 1000, t0 + 2000, t0 + 2500, t0 + WINDOW_MS + 5000]);
    for (const id of ids) await writer(owner).authorize(ask(id));
    // Another reader's identical question is another key: written, not counted with the first reader's.
    await writer(owner).authorize(other(otherId));
    await writer(owner).authorize(ask(late));
    const rows = await rowsOf([...ids, otherId, late]);
    expect(rows.map((r) => [r.request_id, r.details.coalesced ?? 0])).toEqual([
      [ids[0], 0],
      [otherId, 0],
      [late, 2],
    ]);
    // The late read's own entry, carrying the two it follows (so it accounts for three).
    expect(rows[2]?.details).toMatchObject({
      coalesced_first_at: new Date(t0 + 1000).toISOString(),
      coalesced_last_at: new Date(t0 + 2000).toISOString(),
    });
    expect(rows[2]?.details).not.toHaveProperty("count_only");
    await expectChainValid();
  });
});

describe("writes by an app acting for itself", () => {
  async function message(observations: ObservationInput[]): Promise<IngestMessage> {
    const { job } = await createJob(handle.db, {
      tenantId,
      userId: owner,
      clientId: APP,
      sourceId,
      kind: "observations",
      idempotencyKey: null,
      requestHash: null,
      received: observations.length,
    });
    return {
      v: 1,
      job_id: job.id,
      tenant_id: tenantId,
      user_id: owner,
      actor_user_id: null,
      client_id: APP,
      default_source_id: sourceId,
      payload: { kind: "inline", observations },
    };
  }

  async function deliver(body: IngestMessage) {
    const batch = createMessageBatch("dfda-ingest", [{ id: uuidv7(), timestamp: new Date(), attempts: 1, body }]);
    await worker.queue(batch, ingestEnv);
    return getQueueResult(batch, createExecutionContext());
  }

  const hr = (minute: number) => ({
    variable: { system: LOINC, code: "8867-4" },
    value: 60 + minute,
    unit: "/min",
    start_at: new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString(),
  });
  const glucose = { variable: { system: LOINC, code: "2339-0" }, value: 99, unit: "mg/dL", start_at: hr(5).start_at };

  it("stores a batch inside the client grant, refuses one reaching outside it whole, and nothing after revocation", async () => {
    const denied = await message([hr(0)]);
    await deliver(denied);
    expect(await getJob(handle.db, tenantId, denied.job_id)).toMatchObject({ status: "failed", stored: 0 });

    const grant = await createConsent(handle.db, {
      tenantId,
      ownerId: owner,
      granteeType: "client",
      granteeId: APP,
      actions: ["write"],
      categories: ["vital_signs"],
      variableIds: [],
      grantedBy: owner,
      via: "api",
    });
    const inside = await message([hr(1), hr(2)]);
    await deliver(inside);
    expect(await getJob(handle.db, tenantId, inside.job_id)).toMatchObject({ status: "completed", stored: 2 });

    const mixed = await message([hr(3), glucose]);
    await deliver(mixed);
    expect(await getJob(handle.db, tenantId, mixed.job_id)).toMatchObject({ status: "failed", stored: 0 });
    const { rows } = await handle.client.query("select 1 from observations where job_id = $1", [mixed.job_id]);
    expect(rows).toEqual([]);

    await revokeConsent(handle.db, { tenantId, ownerId: owner, id: grant.id, actorUserId: owner });
    const late = await message([hr(4)]);
    await deliver(late);
    expect(await getJob(handle.db, tenantId, late.job_id)).toMatchObject({ status: "failed", stored: 0 });

    const { rows: log } = await handle.client.query<{ outcome: string; details: Record<string, unknown> }>(
      `select outcome, details from audit_log where tenant_id = $1 and subject_user_id = $2
         and action = 'observations.write' and actor_client_id = $3 order by id`,
      [tenantId, owner, APP],
    );
    expect(log.map((e) => `${e.outcome}:${String(e.details.reason ?? e.details.via)}`)).toEqual([
      "denied:no_grant",
      "success:grant",
      "denied:out_of_scope",
      "denied:revoked",
    ]);
  });
});
