/**
 * `npm start`'s local tenant (scripts/start.ts `ensureLocalTenant`), against the test database only: no
 * server, no port. Its `dfda-cli` client is first-party (issue 12: the platform's own CLI may erase an
 * account or change the second factor after a fresh sign-in), also when it was made before the mark.
 */
import { connect, type DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureLocalTenant, LOCAL_CLIENT_ID } from "./start";

const databaseUrl = inject("databaseUrl");
let handle: DbHandle;

beforeAll(async () => {
  handle = await connect(databaseUrl);
});
afterAll(async () => handle.close());

async function firstParty(): Promise<boolean[]> {
  const { rows } = await handle.client.query<{ first_party: boolean }>(
    "select first_party from oauth_clients where client_id = $1",
    [LOCAL_CLIENT_ID],
  );
  return rows.map((r) => r.first_party);
}

describe("ensureLocalTenant", () => {
  it("creates dfda-cli first-party, and marks one made before the column first-party again", async () => {
    await ensureLocalTenant(databaseUrl);
    expect(await firstParty()).toEqual([true]);
    await handle.client.query("update oauth_clients set first_party = false where client_id = $1", [LOCAL_CLIENT_ID]);
    await ensureLocalTenant(databaseUrl);
    expect(await firstParty()).toEqual([true]);
  });
});
