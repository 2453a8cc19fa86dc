/**
 * Custodian links against the real PostgreSQL server of the test run: linking gives the custodian the
 * `data_custodian` role and lets them act for the dependent until the link ends, each change leaves
 * one audit entry (the dependent as subject, the custodian as resource), and a link needs two distinct
 * active users of the tenant.
 */
import { type Principal, uuidv7 } from "@dfda/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type DbHandle } from "../client";
import { actsForOwner, linkCustodian, unlinkCustodian } from "./custodians";

let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(inject("databaseUrl"));
  tenantId = uuidv7();
  await handle.client.query("insert into tenants (id, slug, name) values ($1, $2, 'Custodian test')", [
    tenantId,
    `custodian-${tenantId}`,
  ]);
});
afterAll(async () => {
  await handle?.close();
});

async function makeUser(status: "active" | "disabled" = "active"): Promise<string> {
  const id = uuidv7();
  await handle.client.query("insert into users (id, tenant_id, email, status) values ($1, $2, $3, $4)", [
    id,
    tenantId,
    `${id}@example.test`,
    status,
  ]);
  return id;
}

function userPrincipal(userId: string): Principal {
  return {
    kind: "user",
    tenantId,
    userId,
    clientId: "dfda-cli",
    scopes: new Set(),
    roles: new Set(),
    tokenId: uuidv7(),
    authTime: null,
    amr: new Set(),
    firstParty: false,
  };
}

async function auditOf(dependentId: string) {
  const { rows } = await handle.client.query<{
    action: string;
    outcome: string;
    actor_user_id: string | null;
    resource_type: string | null;
    resource_id: string | null;
    request_id: string | null;
  }>(
    `select action, outcome, actor_user_id, resource_type, resource_id, request_id from audit_log
     where tenant_id = $1 and subject_user_id = $2 order by id`,
    [tenantId, dependentId],
  );
  return rows;
}

describe("custodian links", () => {
  it("let the custodian act for the dependent while linked, and audit the link and its end", async () => {
    const [admin, parent, child, stranger] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const link = { tenantId, custodianId: parent, dependentId: child, actorUserId: admin, requestId: "req-1" };

    expect(await actsForOwner(handle.db, userPrincipal(parent), child)).toBeNull();
    expect(await linkCustodian(handle.db, link)).toBe(true);
    expect(await actsForOwner(handle.db, userPrincipal(parent), child)).toBe("custodian");
    expect(await actsForOwner(handle.db, userPrincipal(child), child)).toBe("owner");
    expect(await actsForOwner(handle.db, userPrincipal(stranger), child)).toBeNull();
    const client: Principal = { kind: "client", tenantId, clientId: "app", scopes: new Set(), tokenId: uuidv7() };
    expect(await actsForOwner(handle.db, client, child)).toBeNull();
    const { rows: roles } = await handle.client.query<{ role: string; granted_by: string }>(
      "select role, granted_by from roles where tenant_id = $1 and user_id = $2",
      [tenantId, parent],
    );
    expect(roles).toEqual([{ role: "data_custodian", granted_by: admin }]);

    expect(await unlinkCustodian(handle.db, link)).toBe(true);
    expect(await actsForOwner(handle.db, userPrincipal(parent), child)).toBeNull();
    // Nothing live to end: no second entry.
    expect(await unlinkCustodian(handle.db, link)).toBe(false);

    const entry = {
      outcome: "success",
      actor_user_id: admin,
      resource_type: "custodian_link",
      resource_id: parent,
      request_id: "req-1",
    };
    expect(await auditOf(child)).toEqual([
      { action: "custodian.link", ...entry },
      { action: "custodian.unlink", ...entry },
    ]);

    // Re-linking revives the ended link.
    expect(await linkCustodian(handle.db, link)).toBe(true);
    expect(await actsForOwner(handle.db, userPrincipal(parent), child)).toBe("custodian");
  });

  it("need two distinct active users of the tenant", async () => {
    const [admin, parent, child, disabled] = [
      await makeUser(),
      await makeUser(),
      await makeUser(),
      await makeUser("disabled"),
    ];
    const base = { tenantId, actorUserId: admin };
    expect(await linkCustodian(handle.db, { ...base, custodianId: parent, dependentId: parent })).toBe(false);
    expect(await linkCustodian(handle.db, { ...base, custodianId: parent, dependentId: uuidv7() })).toBe(false);
    expect(await linkCustodian(handle.db, { ...base, custodianId: parent, dependentId: disabled })).toBe(false);
    expect(await linkCustodian(handle.db, { ...base, custodianId: disabled, dependentId: child })).toBe(false);
    expect(await auditOf(parent)).toEqual([]);
    expect(await auditOf(child)).toEqual([]);
    expect(await auditOf(disabled)).toEqual([]);
  });
});
