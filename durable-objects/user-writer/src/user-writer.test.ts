/**
 * The per-user writer as the consent authority, in the ingest Worker that hosts it: the `authorize`
 * RPC (live grants, every answer in the audit log), and writes by an app through a client grant
 * arriving through the real queue consumer, stored only when every row lies inside the grant.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type AuthorizeRequest, type IngestMessage, type ObservationInput, userWriterName, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { createConsent, revokeConsent } from "@dfda/db/repositories/consents";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { createJob, getJob } from "@dfda/db/repositories/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worker, { type IngestEnv } from "../../../workers/ingest/src/index";

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
