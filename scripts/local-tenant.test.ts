/**
 * `npm start`'s local tenant (scripts/start.ts `ensureLocalTenant`), against the test database only: no
 * server, no port. Its `dfda-cli` client is first-party (issue 12: the platform's own CLI may erase an
 * account or change the second factor after a fresh sign-in), also when it was made before the mark.
 */
import { readFileSync } from "node:fs";
import { connect, type DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  DOCS_CLIENT_ID,
  DOCS_REDIRECT_URIS,
  ensureLocalTenant,
  LOCAL_CLIENT_ID,
  PORTAL_CLIENT_ID,
  PORTAL_REDIRECT_URIS,
} from "./start";

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

  it("creates the public, third-party client /docs signs in as, with Swagger UI's redirect page", async () => {
    await ensureLocalTenant(databaseUrl);
    await ensureLocalTenant(databaseUrl);
    const { rows } = await handle.client.query<{
      client_type: string;
      first_party: boolean;
      redirect_uris: string[];
      grant_types: string[];
    }>("select client_type, first_party, redirect_uris, grant_types from oauth_clients where client_id = $1", [
      DOCS_CLIENT_ID,
    ]);
    expect(rows).toEqual([
      {
        client_type: "public",
        first_party: false,
        redirect_uris: DOCS_REDIRECT_URIS,
        grant_types: ["authorization_code", "refresh_token"],
      },
    ]);
    // The page docs.js names as Swagger UI's oauth2RedirectUrl, and the client id it signs in as.
    const script = readFileSync(new URL("../workers/api/public/docs/assets/docs.js", import.meta.url), "utf8");
    expect(script).toContain(`clientId: "${DOCS_CLIENT_ID}"`);
    expect(script).toContain("usePkceWithAuthorizationCodeGrant: true");
    expect(DOCS_REDIRECT_URIS[0]).toMatch(/\/docs\/assets\/vendor\/oauth2-redirect\.html$/);
  });

  it("creates the public, first-party client the portal (/app) signs in as, with its callback page", async () => {
    await ensureLocalTenant(databaseUrl);
    await ensureLocalTenant(databaseUrl);
    const { rows } = await handle.client.query<{
      client_type: string;
      first_party: boolean;
      redirect_uris: string[];
      grant_types: string[];
    }>("select client_type, first_party, redirect_uris, grant_types from oauth_clients where client_id = $1", [
      PORTAL_CLIENT_ID,
    ]);
    expect(rows).toEqual([
      {
        client_type: "public",
        first_party: true,
        redirect_uris: PORTAL_REDIRECT_URIS,
        grant_types: ["authorization_code", "refresh_token"],
      },
    ]);
    // The client id and redirect path the portal's source signs in with.
    const session = readFileSync(new URL("../packages/portal/src/session.ts", import.meta.url), "utf8");
    expect(session).toContain(`CLIENT_ID = "${PORTAL_CLIENT_ID}"`);
    expect(session).toContain("/app/callback");
    expect(PORTAL_REDIRECT_URIS[0]).toMatch(/\/app\/callback$/);
  });
});
