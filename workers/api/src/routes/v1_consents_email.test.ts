/**
 * POST /v1/consents naming a person by e-mail (issue 17) through the real API Worker: the grant names the
 * account with that verified address (any letter case); every address that names no one (unknown, not
 * verified, disabled, another organisation's, the owner's own) gets the same 400; only a person in a
 * first-party app may look addresses up (a third-party app with `consents:manage` is 403
 * `first_party_only`, an app acting for itself too); lookups are audited without the address, and past
 * API_LOOKUP_LIMITER's count the answer is 429 (the limiter swapped for the low test limiter, as
 * lib/rate-limit.test.ts does, so no window is timed).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import { newApp } from "../app";
import type { ConsentResponse } from "../lib/consents";

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

let handle: DbHandle;
let tenant: TestTenant;
let portal: TestClient;
let thirdParty: TestClient;
let alice: TestUser;
let bob: TestUser;
let aliceToken: string;

const SCOPES = ["openid", "consents:read", "consents:manage", "observations:read"];
const auth = (t: string) => ({ Authorization: `Bearer ${t}`, "Content-Type": "application/json" });
const grant = (email: string, type = "user") =>
  JSON.stringify({ grantee: { type, email }, actions: ["read"], scope: { categories: ["vital_signs"] } });

function share(token: string, email: string, type = "user"): Promise<Response> {
  return api("/v1/consents", { method: "POST", headers: auth(token), body: grant(email, type) });
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  portal = await makeClient(tenant, { type: "public", scopes: SCOPES, firstParty: true });
  thirdParty = await makeClient(tenant, { scopes: SCOPES });
  [alice, bob] = await Promise.all([makeUser(tenant), makeUser(tenant)]);
  aliceToken = await userToken(portal, alice, "consents:manage consents:read");
});
afterAll(async () => handle.close());

describe("POST /v1/consents with grantee.email", () => {
  it("grants the person with that verified address, whatever its letter case, and audits the lookup", async () => {
    const response = await share(aliceToken, bob.email.toUpperCase());
    expect(response.status).toBe(201);
    const consent = await json<ConsentResponse>(response);
    expect(consent.grantee).toEqual({ type: "user", id: bob.id });
    // Bob reads Alice's vital signs through it: the grant is the same as one made by id.
    const bobToken = await userToken(portal, bob, "observations:read");
    const read = await api(`/v1/observations?user_id=${alice.id}`, { headers: auth(bobToken) });
    expect(read.status).toBe(200);
    const audit = await handle.client.query<{ outcome: string; resource_id: string | null; details: unknown }>(
      `select outcome, resource_id, details from audit_log
        where tenant_id = $1 and action = 'consent.grantee_lookup' and actor_user_id = $2 order by id`,
      [tenant.id, alice.id],
    );
    expect(audit.rows).toEqual([{ outcome: "success", resource_id: bob.id, details: null }]);
  });

  it("answers the same 400 for every address that names no one", async () => {
    const unverified = await makeUser(tenant);
    await handle.client.query("update users set email_verified_at = null where id = $1", [unverified.id]);
    const disabled = await makeUser(tenant);
    await handle.client.query("update users set status = 'disabled' where id = $1", [disabled.id]);
    const elsewhere = await makeUser(await makeTenant());
    const details = new Set<string>();
    for (const email of ["nobody-here@example.org", unverified.email, disabled.email, elsewhere.email, alice.email]) {
      const problem = await expectProblem(await share(aliceToken, email), 400, "validation_failed");
      expect(problem.errors).toEqual([expect.objectContaining({ path: "grantee.email" })]);
      details.add(JSON.stringify([problem.detail, problem.errors]));
    }
    expect(details.size).toBe(1);
    const { rows } = await handle.client.query<{ n: string }>(
      `select count(*) as n from consents where tenant_id = $1 and user_id = $2 and grantee_id <> $3`,
      [tenant.id, alice.id, bob.id],
    );
    expect(rows[0]?.n).toBe("0");
    const failures = await handle.client.query<{ n: string }>(
      `select count(*) as n from audit_log where tenant_id = $1 and action = 'consent.grantee_lookup' and outcome = 'failure'`,
      [tenant.id],
    );
    expect(failures.rows[0]?.n).toBe("5");
  });

  it("refuses a bad body: both id and email, neither, e-mail for a non-person, not an address", async () => {
    for (const [body, field] of [
      [{ grantee: { type: "user", id: bob.id, email: bob.email } }, "grantee.id"],
      [{ grantee: { type: "user" } }, "grantee.id"],
      [{ grantee: { type: "client", email: bob.email } }, "grantee.email"],
      [{ grantee: { type: "user", email: "not an address" } }, "grantee.email"],
    ] as const) {
      const problem = await expectProblem(
        await api("/v1/consents", {
          method: "POST",
          headers: auth(aliceToken),
          body: JSON.stringify({ ...body, actions: ["read"], scope: { categories: ["vital_signs"] } }),
        }),
        400,
        "validation_failed",
      );
      expect(JSON.stringify(problem.errors)).toContain(field.split(".")[1]);
    }
  });

  it("looks up only for a person in a first-party app", async () => {
    const theirs = await userToken(thirdParty, alice, "consents:manage");
    await expectProblem(await share(theirs, bob.email), 403, "first_party_only");
    // An app acting for itself gives no consent: refused at the token endpoint or, if it got the scope, 403.
    const itself = await clientToken(thirdParty, "consents:manage").catch(() => null);
    if (itself !== null) await expectProblem(await share(itself, bob.email), 403, "forbidden");
    await expectProblem(await share("not-a-token", bob.email), 401, "unauthorized");
    // No lookup was recorded for the refused calls.
    const { rows } = await handle.client.query<{ n: string }>(
      `select count(*) as n from audit_log where tenant_id = $1 and action = 'consent.grantee_lookup' and actor_client_id = $2`,
      [tenant.id, thirdParty.clientId],
    );
    expect(rows[0]?.n).toBe("0");
  });

  it("is rate-limited per person (429 with Retry-After), another person counted apart", async () => {
    const testLimiter = (env as Env & { RATE_LIMIT_TEST_LIMITER: RateLimit }).RATE_LIMIT_TEST_LIMITER;
    const bindings = Object.create(env, { API_LOOKUP_LIMITER: { value: testLimiter, enumerable: true } }) as Env;
    const app = newApp();
    const call = async (token: string) => {
      const ctx = createExecutionContext();
      const response = await app.fetch(
        new Request(new URL("/v1/consents", BASE), {
          method: "POST",
          headers: auth(token),
          body: grant("nobody-at-all@example.org"),
        }),
        bindings,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return response;
    };
    const carol = await makeUser(tenant);
    const carolToken = await userToken(portal, carol, "consents:manage");
    // The test limiter allows 3 a minute; 7 calls span at most two fixed windows, so one is refused.
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 7; i++) {
      const response = await call(carolToken);
      statuses.push(response.status);
      if (response.status === 429 && refused === undefined) refused = response;
      else await response.body?.cancel();
    }
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect(refused).toBeDefined();
    expect(refused?.headers.get("retry-after")).toBe("60");
    await expectProblem(refused as Response, 429, "rate_limited");
    const dave = await makeUser(tenant);
    const other = await call(await userToken(portal, dave, "consents:manage"));
    expect(other.status).toBe(400);
  });
});
