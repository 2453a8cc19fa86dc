/**
 * Issue 12: before background access became its own dated choice, every approval on the OAuth consent
 * screen made undated consent grants naming the client, which its servers could use through client
 * credentials for ever. The migration that ships the change revokes those (the person never chose them),
 * with one audit entry each in the tenant's chain; dated ones, API-made ones and others are kept.
 * Run here against the real database, on rows inserted as the old code made them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { uuidv7 } from "@dfda/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type DbHandle } from "../client";
import { verifyAuditChain } from "./audit";

const MIGRATIONS = fileURLToPath(new URL("../../../../migrations/", import.meta.url));
const file = readdirSync(MIGRATIONS).find((f) => /_background_access_consent\.sql$/.test(f));

let handle: DbHandle;
let tenantId: string;
let ownerId: string;

beforeAll(async () => {
  handle = await connect(inject("databaseUrl"));
  tenantId = uuidv7();
  ownerId = uuidv7();
  await handle.client.query("insert into tenants (id, slug, name) values ($1, $2, 'Background test')", [
    tenantId,
    `background-${tenantId}`,
  ]);
  await handle.client.query("insert into users (id, tenant_id, email) values ($1, $2, $3)", [
    ownerId,
    tenantId,
    `${ownerId}@example.org`,
  ]);
});
afterAll(async () => {
  await handle?.close();
});

async function consent(via: string, granteeType: string, expiresAt: string | null): Promise<string> {
  const id = uuidv7();
  await handle.client.query(
    `insert into consents (id, tenant_id, user_id, grantee_type, grantee_id, actions, categories, expires_at, granted_by, via)
     values ($1, $2, $3, $4, $5, '{read}', '{vital_signs}', $6, $3, $7)`,
    [id, tenantId, ownerId, granteeType, granteeType === "user" ? uuidv7() : "legacy_app", expiresAt, via],
  );
  return id;
}

describe("the background-access migration", () => {
  it("exists", () => {
    expect(file).toBeDefined();
  });

  it("revokes undated screen-made client grants, audited in the chain, and keeps every other grant", async () => {
    const legacy = await consent("oauth", "client", null);
    const dated = await consent("oauth", "client", new Date(Date.now() + 86_400_000).toISOString());
    const viaApi = await consent("api", "client", null);
    const delegate = await consent("api", "user", null);
    await handle.client.query(readFileSync(`${MIGRATIONS}${file}`, "utf8"));
    const { rows } = await handle.client.query<{ id: string; revoked: boolean }>(
      "select id, revoked_at is not null as revoked from consents where tenant_id = $1",
      [tenantId],
    );
    const revoked = new Map(rows.map((r) => [r.id, r.revoked]));
    expect([legacy, dated, viaApi, delegate].map((id) => revoked.get(id))).toEqual([true, false, false, false]);
    const { rows: audit } = await handle.client.query<{
      action: string;
      subject_user_id: string;
      actor_client_id: string;
      resource_id: string;
      details: Record<string, unknown>;
    }>("select action, subject_user_id, actor_client_id, resource_id, details from audit_log where tenant_id = $1", [
      tenantId,
    ]);
    expect(audit).toEqual([
      {
        action: "consent.revoke",
        subject_user_id: ownerId,
        actor_client_id: "legacy_app",
        resource_id: legacy,
        details: expect.objectContaining({ via: "oauth", reason: "background_access_not_approved" }),
      },
    ]);
    // No checkpoints exist for this tenant, so no signature is ever asked for.
    const refuse = async (): Promise<never> => {
      throw new Error("no checkpoint expected");
    };
    expect((await verifyAuditChain(handle.db, tenantId, { checkSignature: refuse })).valid).toBe(true);
  });
});
