/**
 * Least privilege and truthful consent (issue 12): a self-registered client gets the minimum scopes
 * and never an administrative one; the consent screen describes every scope from the one table in
 * @dfda/core; and approving an app gives its backend (client credentials, RFC 6749 §4.4) no access to
 * the person's data unless the person ticked the separate background-access choice, which expires and
 * is shown in GET /v1/me/apps.
 */
import { allScopes, describeScope, SCOPES, scopeInfo } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm, type Page } from "../../test/browser";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken,
  CHALLENGE,
  clientToken,
  exchangeCode,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { ConnectedAppResponse } from "../routes/v1_me_apps";
import { consentPage } from "./pages";

let handle: DbHandle;
let tenant: TestTenant;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
});
afterAll(async () => handle.close());

function register(token: string, metadata: unknown): Promise<Response> {
  return api("/oauth/register", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(metadata),
  });
}

/** Text a person reads on a page: tags dropped, entities decoded, whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

describe("dynamic registration gives least privilege (RFC 7591 §2)", () => {
  let developerToken: string;
  let adminDeveloperToken: string;

  beforeAll(async () => {
    const client = await makeClient(tenant, { type: "public" });
    developerToken = await userToken(client, await makeUser(tenant, ["app_developer"]), "clients:manage");
    // An administrator who is also a developer: still no administrative scope through registration.
    adminDeveloperToken = await adminToken(
      client,
      await makeUser(tenant, ["app_developer", "admin"]),
      "clients:manage",
    );
  }, 60_000);

  it("gives a client that names no scope only openid and profile", async () => {
    const res = await register(developerToken, { client_name: "Steps", redirect_uris: ["https://steps.example/cb"] });
    expect(res.status).toBe(201);
    const body = await json<{ scope: string; client_id: string }>(res);
    expect(body.scope).toBe("openid profile");
    const { rows } = await handle.client.query<{ allowed_scopes: string[] }>(
      "select allowed_scopes from oauth_clients where client_id = $1",
      [body.client_id],
    );
    expect(rows[0]?.allowed_scopes).toEqual(["openid", "profile"]);
  });

  it("refuses administrative and developer scopes, whoever registers", async () => {
    for (const scope of ["tenant:manage", "audit:read", "clients:manage", "openid clients:manage"]) {
      const res = await register(developerToken, {
        client_name: "x",
        redirect_uris: ["https://x.example/cb"],
        scope,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_client_metadata" });
    }
    for (const scope of ["tenant:manage", "audit:read"]) {
      const res = await register(adminDeveloperToken, {
        client_name: "x",
        redirect_uris: ["https://x.example/cb"],
        scope,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_client_metadata" });
    }
    const ok = await register(developerToken, {
      client_name: "Reader",
      redirect_uris: ["https://r.example/cb"],
      scope: "openid observations.vital_signs:read files:write",
    });
    expect(ok.status).toBe(201);
  });

  it("marks exactly the administrative and developer scopes as not self-registrable", () => {
    const operatorOnly = allScopes().filter((s) => scopeInfo(s)?.selfRegistrable !== true);
    expect(operatorOnly.sort()).toEqual(["audit:read", "clients:manage", "tenant:manage"]);
  });
});

describe("the consent screen describes each scope truthfully, from one table", () => {
  it("has a sentence for every scope the platform defines", () => {
    for (const scope of allScopes()) {
      const info = scopeInfo(scope);
      expect(info, scope).not.toBeNull();
      expect(describeScope(scope), scope).not.toBe(scope);
      expect(info?.description.length, scope).toBeGreaterThan(10);
    }
  });

  it("says delete where a scope deletes, that deleting needs the person in person, and which scope keeps access while the person is away", () => {
    // Deleting is one of the operations that need the person themselves (docs/identity.md): the
    // sentence must not promise an app what only the person, freshly signed in, can do.
    for (const scope of ["observations:write", "files:write", "profile:write"]) {
      expect(describeScope(scope)).toMatch(/\bdelet(e|ing)\b/i);
      expect(describeScope(scope)).toMatch(/in person, freshly signed in/);
    }
    for (const scope of ["observations:read", "observations.vital_signs:write", "files:read", "consents:read"]) {
      expect(describeScope(scope)).not.toMatch(/\bdelet(e|ing)\b/i);
    }
    const away = Object.entries(SCOPES)
      .filter(([, info]) => info.whileAway)
      .map(([s]) => s);
    // webhooks:manage: an app receives and manages its deliveries while the person is away (docs/webhooks.md).
    expect(away).toEqual(["offline_access", "webhooks:manage"]);
  });

  it("renders one line per requested scope, with the table's words", async () => {
    const scopes = allScopes();
    const html = await consentPage({
      csrfToken: "c",
      returnTo: "/oauth/authorize?x",
      clientName: "Step Counter",
      logoUri: null,
      scopes,
      userEmail: "p@example.org",
      background: null,
      offlineUntil: new Date("2027-03-05T12:00:00Z"),
    });
    const text = visibleText(html.toString());
    for (const scope of scopes) expect(text, scope).toContain(describeScope(scope));
    expect(html.toString().match(/<li>/g)?.length).toBe(scopes.length);
    // Access while away is dated.
    expect(text).toContain("5 March 2027");
    // No background choice is offered when the app cannot act from its servers.
    expect(html.toString()).not.toContain('name="background"');
  });
});

describe("background access (client credentials) needs its own, dated, unticked choice", () => {
  let app: TestClient;
  let person: TestUser;

  beforeAll(async () => {
    app = await makeClient(tenant, {
      scopes: ["openid", "offline_access", "observations:read", "consents:read", "consents:manage"],
    });
    person = await makeUser(tenant);
  }, 60_000);

  async function consentScreen(scope: string): Promise<{ browser: Browser; page: Page }> {
    const q = new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      scope,
      state: "s",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
      prompt: "consent",
    });
    const browser = new Browser(app.redirectUri);
    const page = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), person.email, person.password, null);
    expect(page.html).toContain('action="/oauth/consent"');
    return { browser, page };
  }

  async function approve(browser: Browser, page: Page, values: Record<string, string> = {}): Promise<string> {
    const end = await browser.submit(findForm(page.html, "/oauth/consent"), { decision: "approve", ...values });
    const code = new URL(end.location ?? "", BASE).searchParams.get("code");
    if (!code) throw new Error(`no code: ${end.location} ${end.html.slice(0, 300)}`);
    return exchangeCode(app, code);
  }

  function readAsApp(token: string): Promise<Response> {
    return api(`/v1/observations?user_id=${person.id}`, { headers: { Authorization: `Bearer ${token}` } });
  }

  it("approving the app, even with offline_access, gives its backend nothing", async () => {
    const { browser, page } = await consentScreen("openid offline_access observations:read");
    // The choice is offered, unticked, with its end date.
    expect(page.html).toMatch(/<input type="checkbox" name="background" value="yes"(?![^>]*checked)/);
    const until = new Date(Date.now() + 90 * 86_400_000);
    const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    expect(visibleText(page.html)).toContain(`until ${day.format(until)}`);
    await approve(browser, page);
    const backend = await clientToken(app, "observations:read");
    const refused = await expectProblem(await readAsApp(backend), 403, "forbidden");
    expect(refused.reason).toBe("no_grant");
  });

  it("ticked, lets the backend read until the expiry shown, listed in /v1/me/apps", async () => {
    const { browser, page } = await consentScreen("openid observations:read consents:read consents:manage");
    const userBearer = await approve(browser, page, { background: "yes" });
    const backend = await clientToken(app, "observations:read");
    expect((await readAsApp(backend)).status).toBe(200);

    const apps = await json<{ data: ConnectedAppResponse[] }>(
      await api("/v1/me/apps", { headers: { Authorization: `Bearer ${userBearer}` } }),
    );
    const listed = apps.data.find((a) => a.client_id === app.clientId);
    const background = listed?.background_access ?? [];
    expect(background).toHaveLength(1);
    expect(background[0]?.actions).toEqual(["read"]);
    const expires = new Date(background[0]?.expires_at ?? 0).getTime();
    expect(Math.abs(expires - (Date.now() + 90 * 86_400_000))).toBeLessThan(3_600_000);

    // It ends by itself: moved to the past, the backend is refused as expired.
    await handle.client.query("update consents set expires_at = now() - interval '1 second' where id = $1", [
      background[0]?.consent_id,
    ]);
    const expired = await expectProblem(await readAsApp(backend), 403, "forbidden");
    expect(expired.reason).toBe("expired");
    const after = await json<{ data: ConnectedAppResponse[] }>(
      await api("/v1/me/apps", { headers: { Authorization: `Bearer ${userBearer}` } }),
    );
    expect(after.data.find((a) => a.client_id === app.clientId)?.background_access).toEqual([]);
  });

  it("lasts as long as the organisation sets (background_access_days), and is revocable", async () => {
    await handle.client.query(
      `update tenants set settings = settings || '{"background_access_days": 7}'::jsonb where id = $1`,
      [tenant.id],
    );
    try {
      const { browser, page } = await consentScreen("openid observations:read consents:manage");
      const day = new Intl.DateTimeFormat("en-GB", {
        day: "numeric",
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      });
      expect(visibleText(page.html)).toContain(`until ${day.format(new Date(Date.now() + 7 * 86_400_000))}`);
      const userBearer = await approve(browser, page, { background: "yes" });
      const { rows } = await handle.client.query<{ id: string; days: number }>(
        `select id, extract(epoch from expires_at - created_at) / 86400 as days from consents
         where user_id = $1 and grantee_id = $2 and revoked_at is null and expires_at > now()`,
        [person.id, app.clientId],
      );
      expect(rows.map((r) => Math.round(Number(r.days)))).toEqual([7]);
      // The person revokes it alone (the app stays connected), and the backend is refused at once.
      const backend = await clientToken(app, "observations:read");
      expect((await readAsApp(backend)).status).toBe(200);
      const revoked = await api(`/v1/consents/${rows[0]?.id}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${userBearer}` },
      });
      expect(revoked.status).toBe(204);
      // (The reason names the most specific state of all the app's grants: an earlier one expired above.)
      await expectProblem(await readAsApp(backend), 403, "forbidden");
      const { rows: after } = await handle.client.query(
        "select 1 from consents where id = $1 and revoked_at is not null",
        [rows[0]?.id],
      );
      expect(after).toHaveLength(1);
    } finally {
      await handle.client.query(`update tenants set settings = settings - 'background_access_days' where id = $1`, [
        tenant.id,
      ]);
    }
  });

  it("is not offered to an app that cannot act from its own servers", async () => {
    const spa = await makeClient(tenant, { type: "public", scopes: ["openid", "observations:read"] });
    const q = new URLSearchParams({
      response_type: "code",
      client_id: spa.clientId,
      redirect_uri: spa.redirectUri,
      scope: "openid observations:read",
      state: "s",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    });
    const browser = new Browser(spa.redirectUri);
    const page = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), person.email, person.password, null);
    expect(page.html).toContain('action="/oauth/consent"');
    expect(page.html).not.toContain('name="background"');
  });
});
