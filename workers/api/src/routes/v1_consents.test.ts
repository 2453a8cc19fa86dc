/**
 * Consent end to end, in the Workers runtime against the real database: grants made through
 * POST /v1/consents, enforced by the owner's Durable Object (the real `UserWriter` of the ingest
 * Worker, reached through the API's cross-script binding), narrowed reads, expiry and revocation,
 * research under pseudonyms, custodians, apps writing through a client grant, the OAuth consent
 * screen's grants, tenant isolation, and the access log (audit_log rows with the owner as subject)
 * recording each attempt, allowed and denied.
 */
import { env } from "cloudflare:workers";
import { SYSTEM_TENANT_ID, userWriterName, uuidv7, type WriteRequest, type WriteResult } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { revokeClientConsents } from "@dfda/db/repositories/consents";
import { clientSource } from "@dfda/db/repositories/ingest";
import { createJob } from "@dfda/db/repositories/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm } from "../../test/browser";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken,
  CHALLENGE,
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { ConsentResponse } from "../lib/consents";
import type { ListObservationsResponse } from "./v1_observations_list";
import type { SummaryResponse } from "./v1_observations_summary";

const LOINC = "http://loinc.org";
const HEART_RATE = `${LOINC}|8867-4`;
const GLUCOSE = `${LOINC}|2339-0`;
const DOC_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

let handle: DbHandle;
let tenant: TestTenant;
let foreignTenant: TestTenant;
let client: TestClient;
let app: TestClient;
let alice: TestUser;
let bob: TestUser;
let rita: TestUser;
let carol: TestUser;
let dan: TestUser;
let admin: TestUser;
let aliceToken: string;
let bobToken: string;
let ritaToken: string;
let carolToken: string;
let adminBearer: string;
let foreignToken: string;
let appToken: string;
let watch: string;

const SCOPES = "openid observations:read observations:write consents:read consents:manage";

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

async function variable(slug: string): Promise<{ id: string; version: number }> {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = $2 and valid_to is null",
    [SYSTEM_TENANT_ID, slug],
  );
  const row = rows[0];
  if (!row) throw new Error(`no variable ${slug}`);
  return row;
}

/** Heart rate (vital signs) and blood glucose (laboratory) for a user, on 1, 10 and 20 March 2026. */
async function seed(user: TestUser): Promise<void> {
  for (const [slug, unit, value] of [
    ["heart-rate", "/min", 70],
    ["blood-glucose", "mmol/L", 5.5],
  ] as const) {
    const v = await variable(slug);
    for (const day of ["01", "10", "20"]) {
      await handle.client.query(
        `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
           original_value, original_unit, source_id, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, 'private note')`,
        [uuidv7(), tenant.id, user.id, v.id, v.version, `2026-03-${day}T08:00:00Z`, value, unit, watch],
      );
    }
  }
}

async function grant(token: string, body: Record<string, unknown>, query = ""): Promise<Response> {
  return api(`/v1/consents${query}`, {
    method: "POST",
    headers: auth(token, { "Content-Type": "application/json" }),
    body: JSON.stringify(body),
  });
}

async function granted(token: string, body: Record<string, unknown>, query = ""): Promise<ConsentResponse> {
  const res = await grant(token, body, query);
  if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${await res.text()}`);
  return json<ConsentResponse>(res);
}

async function revoke(token: string, id: string, query = ""): Promise<Response> {
  return api(`/v1/consents/${id}${query}`, { method: "DELETE", headers: auth(token) });
}

async function observationsOf(token: string, owner: TestUser, query = ""): Promise<Response> {
  return api(`/v1/observations?user_id=${owner.id}${query}`, { headers: auth(token) });
}

/** The owner's access log: audit entries with the owner as subject, by an actor, oldest first. */
async function accessLog(owner: TestUser, actorUserId: string | null, action: string) {
  const { rows } = await handle.client.query<{
    outcome: string;
    actor_user_id: string | null;
    actor_client_id: string | null;
    details: Record<string, unknown>;
  }>(
    `select outcome, actor_user_id, actor_client_id, details from audit_log
     where tenant_id = $1 and subject_user_id = $2 and action = $3
       and (actor_user_id = $4 or ($4::uuid is null and actor_user_id is null))
     order by id`,
    [tenant.id, owner.id, action, actorUserId],
  );
  return rows;
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  foreignTenant = await makeTenant();
  client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "observations:write", "consents:read", "consents:manage", "tenant:manage"],
  });
  app = await makeClient(tenant, {
    scopes: ["observations:read", "observations:write", "consents:read"],
    grantTypes: ["client_credentials"],
  });
  [alice, bob, rita, carol, dan, admin] = await Promise.all([
    makeUser(tenant),
    makeUser(tenant, ["data_owner", "clinician_delegate"]),
    makeUser(tenant, ["researcher"]),
    makeUser(tenant),
    makeUser(tenant),
    makeUser(tenant, ["admin"]),
  ]);
  watch = await clientSource(handle.db, tenant.id, "test-watch", "Watch");
  await seed(alice);
  await seed(dan);
  [aliceToken, bobToken, ritaToken, carolToken, adminBearer, appToken] = await Promise.all([
    userToken(client, alice, SCOPES),
    userToken(client, bob, SCOPES),
    userToken(client, rita, "observations:read"),
    userToken(client, carol, SCOPES),
    adminToken(client, admin, "tenant:manage"),
    clientToken(app, "observations:read observations:write consents:read"),
  ]);
  const foreignClient = await makeClient(foreignTenant, {
    type: "public",
    scopes: ["openid", "observations:read", "consents:read"],
  });
  foreignToken = await userToken(foreignClient, await makeUser(foreignTenant), "observations:read consents:read");
}, 60_000);
afterAll(async () => handle.close());

describe("POST /v1/consents", () => {
  it("records a grant with its scope, window, expiry, purpose and document hash", async () => {
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const res = await grant(aliceToken, {
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      scope: { categories: ["vital_signs"], variables: [GLUCOSE] },
      data_window: { from: "2026-03-05T00:00:00Z", to: "2026-04-01T00:00:00Z" },
      expires_at: expires,
      purpose: "Follow-up after my visit",
      document_hash: DOC_HASH,
    });
    expect(res.status).toBe(201);
    const body = await json<ConsentResponse>(res);
    expect(res.headers.get("location")).toContain(`/v1/consents/${body.id}`);
    const glucose = await variable("blood-glucose");
    expect(body).toMatchObject({
      owner_id: alice.id,
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      scope: { categories: ["vital_signs"], variable_ids: [glucose.id] },
      data_window: { from: "2026-03-05T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" },
      expires_at: new Date(expires).toISOString(),
      purpose: "Follow-up after my visit",
      document_hash: DOC_HASH,
      status: "active",
      granted_by: alice.id,
      via: "api",
      revoked_at: null,
    });
    const one = await api(`/v1/consents/${body.id}`, { headers: auth(aliceToken) });
    expect(await json<ConsentResponse>(one)).toEqual(body);
    // Consent changes are audited with the owner as subject.
    expect((await accessLog(alice, alice.id, "consent.grant")).length).toBeGreaterThanOrEqual(1);
    await revoke(aliceToken, body.id);
  });

  it("rejects a malformed grant, naming each bad field, and stores nothing", async () => {
    const before = await handle.client.query("select count(*)::int as n from consents where user_id = $1", [alice.id]);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ grantee: { type: "user", id: bob.id }, actions: [], scope: { categories: ["vital_signs"] } }, "actions"],
      [{ grantee: { type: "user", id: bob.id }, actions: ["read"], scope: {} }, "scope"],
      [
        { grantee: { type: "user", id: bob.id }, actions: ["read"], scope: { categories: ["nope"] } },
        "scope.categories.0",
      ],
      [
        { grantee: { type: "robot", id: bob.id }, actions: ["read"], scope: { categories: ["vital_signs"] } },
        "grantee.type",
      ],
      [
        { grantee: { type: "user", id: "bob" }, actions: ["read"], scope: { categories: ["vital_signs"] } },
        "grantee.id",
      ],
      [
        {
          grantee: { type: "user", id: bob.id },
          actions: ["read"],
          scope: { categories: ["vital_signs"] },
          document_hash: "abc",
        },
        "document_hash",
      ],
      [
        {
          grantee: { type: "user", id: bob.id },
          actions: ["read"],
          scope: { categories: ["vital_signs"] },
          data_window: { from: "2026-03-05T00:00:00Z", to: "2026-03-01T00:00:00Z" },
        },
        "data_window.to",
      ],
      [
        { grantee: { type: "user", id: bob.id }, actions: ["read"], scope: { variables: ["http://loinc.org|0000-0"] } },
        "scope.variables.0",
      ],
      [
        { grantee: { type: "user", id: uuidv7() }, actions: ["read"], scope: { categories: ["vital_signs"] } },
        "grantee.id",
      ],
      [
        { grantee: { type: "user", id: alice.id }, actions: ["read"], scope: { categories: ["vital_signs"] } },
        "grantee.id",
      ],
      [
        { grantee: { type: "client", id: "no-such-app" }, actions: ["write"], scope: { categories: ["vital_signs"] } },
        "grantee.id",
      ],
      [
        {
          grantee: { type: "user", id: bob.id },
          actions: ["read"],
          scope: { categories: ["vital_signs"] },
          expires_at: "2020-01-01T00:00:00Z",
        },
        "expires_at",
      ],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(await grant(aliceToken, body), 400, "validation_failed");
      expect(
        problem.errors?.map((e) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const after = await handle.client.query("select count(*)::int as n from consents where user_id = $1", [alice.id]);
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it("needs a token with consents:manage, and only the owner or their custodian grants", async () => {
    const body = { grantee: { type: "user", id: bob.id }, actions: ["read"], scope: { categories: ["vital_signs"] } };
    await expectProblem(
      await api("/v1/consents", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
      401,
      "unauthorized",
    );
    const readOnly = await userToken(client, alice, "observations:read consents:read");
    await expectProblem(await grant(readOnly, body), 403, "forbidden");
    // Bob cannot share Alice's data, even holding a grant of hers.
    const problem = await expectProblem(await grant(bobToken, body, `?user_id=${alice.id}`), 403, "forbidden");
    expect(problem.reason).toBe("not_owner");
    await expectProblem(await grant(foreignToken, body, `?user_id=${alice.id}`), 403, "forbidden");
  });
});

describe("a delegate (user grantee)", () => {
  it("reads only the granted variable, only from the granted window, until revoked", async () => {
    const c = await granted(aliceToken, {
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      scope: { variables: [HEART_RATE] },
      data_window: { from: "2026-03-05T00:00:00Z" },
    });
    const list = await json<ListObservationsResponse>(await observationsOf(bobToken, alice));
    expect(list.data.map((o) => [o.variable.slug, o.start_at])).toEqual([
      ["heart-rate", "2026-03-20T08:00:00.000Z"],
      ["heart-rate", "2026-03-10T08:00:00.000Z"],
    ]);
    // The variable outside the grant: refused, not just empty.
    const labs = await expectProblem(
      await observationsOf(bobToken, alice, `&variable=${encodeURIComponent(GLUCOSE)}`),
      403,
      "forbidden",
    );
    expect(labs.reason).toBe("out_of_scope");
    // A window entirely before the grant's data window: refused.
    const early = await expectProblem(
      await observationsOf(bobToken, alice, "&from=2026-02-01T00:00:00Z&to=2026-03-02T00:00:00Z"),
      403,
      "forbidden",
    );
    expect(early.reason).toBe("outside_window");
    // Summaries are narrowed to the window too: the 1 March reading is not counted.
    const summary = await json<SummaryResponse>(
      await api(
        `/v1/observations/summary?user_id=${alice.id}&variable=${encodeURIComponent(HEART_RATE)}&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&bucket=month`,
        { headers: auth(bobToken) },
      ),
    );
    expect(summary.data).toEqual([expect.objectContaining({ start: "2026-03-01T00:00:00.000Z", count: 2 })]);

    // Bob sees the grant he holds.
    const held = await json<{ data: ConsentResponse[] }>(
      await api("/v1/consents?as=grantee", { headers: auth(bobToken) }),
    );
    expect(held.data.map((g) => g.id)).toContain(c.id);

    expect((await revoke(aliceToken, c.id)).status).toBe(204);
    const after = await expectProblem(await observationsOf(bobToken, alice), 403, "forbidden");
    expect(after.reason).toBe("revoked");
    expect((await revoke(aliceToken, c.id)).status).toBe(204); // idempotent
    const owned = await json<{ data: ConsentResponse[] }>(await api("/v1/consents", { headers: auth(aliceToken) }));
    expect(owned.data.find((g) => g.id === c.id)).toMatchObject({ status: "revoked" });
    // Bob cannot revoke Alice's grants; an unknown id is a 404.
    await expectProblem(await revoke(bobToken, c.id, `?user_id=${alice.id}`), 403, "forbidden");
    await expectProblem(await revoke(aliceToken, uuidv7()), 404, "not_found");

    // Each attempt is in Alice's access log, allowed and denied.
    const log = await accessLog(alice, bob.id, "observations.read");
    expect(log.map((e) => e.outcome)).toEqual(["success", "denied", "denied", "success", "denied"]);
    expect(log[1]?.details).toMatchObject({ reason: "out_of_scope" });
    expect(log[4]?.details).toMatchObject({ reason: "revoked", grant_ids: expect.arrayContaining([c.id]) });
    expect(log[0]).toMatchObject({ actor_client_id: client.clientId, details: { via: "grant", grant_ids: [c.id] } });
  });

  it("is refused without a grant, and a group grant reaches the group's members", async () => {
    const denied = await expectProblem(await observationsOf(bobToken, alice), 403, "forbidden");
    expect(denied.reason).toBe("revoked");
    const carolDenied = await expectProblem(await observationsOf(carolToken, alice), 403, "forbidden");
    expect(carolDenied.reason).toBe("no_grant");
    // An administrator makes the group through the API.
    const made = await api("/v1/admin/groups", {
      method: "POST",
      headers: auth(adminBearer, { "Content-Type": "application/json" }),
      body: JSON.stringify({ name: "Care team" }),
    });
    expect(made.status).toBe(201);
    const team = await json<{ id: string }>(made);
    const memberPath = `/v1/admin/groups/${team.id}/members/${carol.id}`;
    expect((await api(memberPath, { method: "PUT", headers: auth(adminBearer) })).status).toBe(204);
    await expectProblem(await api(memberPath, { method: "PUT", headers: auth(carolToken) }), 403, "forbidden");
    const c = await granted(aliceToken, {
      grantee: { type: "group", id: team.id },
      actions: ["read"],
      scope: { categories: ["laboratory"] },
    });
    const list = await json<ListObservationsResponse>(await observationsOf(carolToken, alice));
    expect(new Set(list.data.map((o) => o.variable.slug))).toEqual(new Set(["blood-glucose"]));
    // Out of the group: the group's grant no longer reaches Carol, at her next request.
    expect((await api(memberPath, { method: "DELETE", headers: auth(adminBearer) })).status).toBe(204);
    await expectProblem(await observationsOf(carolToken, alice), 403, "forbidden");
    await expectProblem(await api(memberPath, { method: "DELETE", headers: auth(adminBearer) }), 404, "not_found");
    await revoke(aliceToken, c.id);
  });
});

describe("research", () => {
  let studyId: string;

  beforeAll(async () => {
    const res = await api("/v1/studies", {
      method: "POST",
      headers: auth(adminBearer, { "Content-Type": "application/json" }),
      body: JSON.stringify({ slug: "vitals-2026", name: "Vitals 2026" }),
    });
    expect(res.status).toBe(201);
    studyId = (await json<{ id: string }>(res)).id;
    const member = await api(`/v1/studies/${studyId}/members`, {
      method: "POST",
      headers: auth(adminBearer, { "Content-Type": "application/json" }),
      body: JSON.stringify({ user_id: rita.id }),
    });
    expect(member.status).toBe(204);
  }, 30_000);

  function studyRows(token: string, query = "") {
    return api(`/v1/studies/${studyId}/observations${query}`, { headers: auth(token) });
  }

  it("administrators set studies up: slugs are unique, members must be researchers", async () => {
    const dup = await api("/v1/studies", {
      method: "POST",
      headers: auth(adminBearer, { "Content-Type": "application/json" }),
      body: JSON.stringify({ slug: "vitals-2026", name: "Again" }),
    });
    await expectProblem(dup, 409, "conflict");
    const notResearcher = await api(`/v1/studies/${studyId}/members`, {
      method: "POST",
      headers: auth(adminBearer, { "Content-Type": "application/json" }),
      body: JSON.stringify({ user_id: bob.id }),
    });
    await expectProblem(notResearcher, 400, "validation_failed");
    const byOwner = await api("/v1/studies", {
      method: "POST",
      headers: auth(aliceToken, { "Content-Type": "application/json" }),
      body: JSON.stringify({ slug: "mine", name: "Mine" }),
    });
    await expectProblem(byOwner, 403, "forbidden");
  });

  it("a researcher reads vital signs and not labs, under a pseudonym, until expiry and revocation", async () => {
    // Nothing before anyone consents.
    expect((await json<{ data: unknown[] }>(await studyRows(ritaToken))).data).toEqual([]);
    const c = await granted(aliceToken, {
      grantee: { type: "study", id: studyId },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      purpose: "Vitals 2026 study",
      document_hash: DOC_HASH,
    });
    const page = await json<{ data: Array<Record<string, unknown>>; next_cursor: string | null }>(
      await studyRows(ritaToken),
    );
    expect(page.data.map((r) => (r.variable as { slug: string }).slug)).toEqual([
      "heart-rate",
      "heart-rate",
      "heart-rate",
    ]);
    const subject = page.data[0]?.subject_id;
    const { rows } = await handle.client.query<{ subject_id: string }>(
      "select subject_id from study_subjects where study_id = $1 and user_id = $2",
      [studyId, alice.id],
    );
    expect(subject).toBe(rows[0]?.subject_id);
    expect(subject).not.toBe(alice.id);
    // No direct identifier leaves: not the user id, the e-mail, an observation id, the source or the note.
    const text = JSON.stringify(page);
    for (const secret of [alice.id, alice.email, "private note", "test-watch", watch])
      expect(text).not.toContain(secret);
    expect(Object.keys(page.data[0] ?? {}).sort()).toEqual(
      ["end_at", "flags", "start_at", "subject_id", "unit", "value", "value_boolean", "value_code", "variable"].sort(),
    );
    // Labs were not granted: asking for them yields nothing, and the refusal is logged.
    const labs = await json<{ data: unknown[] }>(
      await studyRows(ritaToken, `?variable=${encodeURIComponent(GLUCOSE)}`),
    );
    expect(labs.data).toEqual([]);
    // Paging under the pseudonym order.
    const first = await json<{ data: Array<{ start_at: string }>; next_cursor: string | null }>(
      await studyRows(ritaToken, "?limit=2"),
    );
    expect(first.data).toHaveLength(2);
    const second = await json<{ data: Array<{ start_at: string }>; next_cursor: string | null }>(
      await studyRows(ritaToken, `?limit=2&cursor=${first.next_cursor}`),
    );
    expect([...first.data, ...second.data].map((r) => r.start_at)).toEqual([
      "2026-03-01T08:00:00.000Z",
      "2026-03-10T08:00:00.000Z",
      "2026-03-20T08:00:00.000Z",
    ]);
    await expectProblem(await studyRows(ritaToken, "?cursor=bm9wZQ"), 400, "invalid_cursor");

    // A study grant does not open Alice's identified record.
    await expectProblem(await observationsOf(ritaToken, alice), 403, "forbidden");

    // Expiry: the grant stops by itself (and so does a delegate's grant expiring with it).
    const delegate = await granted(aliceToken, {
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
      expires_at: c.expires_at,
    });
    expect((await observationsOf(bobToken, alice)).status).toBe(200);
    // Both reach their expiry: moved in the database, never waited for (a wait raced a loaded machine).
    await handle.client.query(
      "update consents set expires_at = now() - interval '1 second' where id = any($1::uuid[])",
      [[c.id, delegate.id]],
    );
    expect((await json<{ data: unknown[] }>(await studyRows(ritaToken))).data).toEqual([]);
    const expired = await expectProblem(await observationsOf(bobToken, alice), 403, "forbidden");
    expect(expired.reason).toBe("expired");
    const bobLog = await accessLog(alice, bob.id, "observations.read");
    expect(bobLog.slice(-2).map((e) => [e.outcome, e.details.reason ?? e.details.via])).toEqual([
      ["success", "grant"],
      ["denied", "expired"],
    ]);
    expect(bobLog[bobLog.length - 1]?.details.grant_ids).toContain(delegate.id);

    // A fresh grant, then revocation.
    const again = await granted(aliceToken, {
      grantee: { type: "study", id: studyId },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
      document_hash: DOC_HASH,
    });
    const back = await json<{ data: Array<{ subject_id: string }> }>(await studyRows(ritaToken));
    expect(back.data).toHaveLength(3);
    expect(back.data[0]?.subject_id).toBe(subject); // one pseudonym per study and person
    expect((await revoke(aliceToken, again.id)).status).toBe(204);
    // Revocation holds for the very next request.
    const { rows: live } = await handle.client.query("select 1 from consents where id = $1 and revoked_at is null", [
      again.id,
    ]);
    expect(live).toEqual([]);
    const after = await json<{ data: unknown[] }>(await studyRows(ritaToken));
    expect(after.data).toEqual([]);

    // Alice's access log shows each of the study's reads of her data, allowed and refused (labs). Once
    // her study grant has ended she is no longer a participant the study's queries reach.
    const log = await accessLog(alice, rita.id, "study.observations.read");
    const outcomes = log.map((e) => `${e.outcome}:${String(e.details.reason ?? e.details.via)}`);
    // The first page, labs, two pages of two, and the read under the fresh grant.
    expect(outcomes).toEqual([
      "success:grant",
      "denied:out_of_scope",
      "success:grant",
      "success:grant",
      "success:grant",
    ]);
    expect(log.every((e) => e.details.study_id === studyId)).toBe(true);
    expect(c.status).toBe("active");
  }, 30_000);

  it("is for the study's researchers only", async () => {
    await expectProblem(await studyRows(bobToken), 403, "forbidden");
    const outsider = await makeUser(tenant, ["researcher"]);
    const outsiderToken = await userToken(client, outsider, "observations:read");
    const problem = await expectProblem(await studyRows(outsiderToken), 403, "forbidden");
    expect(problem.reason).toBe("not_study_member");
    await expectProblem(await studyRows(foreignToken), 404, "not_found");
    await expectProblem(
      await api(`/v1/studies/${uuidv7()}/observations`, { headers: auth(ritaToken) }),
      404,
      "not_found",
    );
  });
});

describe("a custodian", () => {
  it("acts as the owner for the dependent while linked", async () => {
    const link = (method: string, body?: unknown, query = "") =>
      api(`/v1/admin/custodian-links${query}`, {
        method,
        headers: auth(adminBearer, { "Content-Type": "application/json" }),
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    await expectProblem(await observationsOf(carolToken, dan), 403, "forbidden");
    await expectProblem(
      await link("POST", { custodian_id: carol.id, dependent_id: carol.id }),
      400,
      "validation_failed",
    );
    await expectProblem(
      await link("POST", { custodian_id: carol.id, dependent_id: uuidv7() }),
      400,
      "validation_failed",
    );
    expect((await link("POST", { custodian_id: carol.id, dependent_id: dan.id })).status).toBe(201);

    // Reads everything of the dependent's, like the owner.
    const list = await json<ListObservationsResponse>(await observationsOf(carolToken, dan));
    expect(list.data).toHaveLength(6);
    // Shares for the dependent, and sees and revokes the dependent's grants.
    const c = await granted(
      carolToken,
      { grantee: { type: "user", id: bob.id }, actions: ["read"], scope: { categories: ["laboratory"] } },
      `?user_id=${dan.id}`,
    );
    expect(c).toMatchObject({ owner_id: dan.id, granted_by: carol.id });
    const theirs = await json<{ data: ConsentResponse[] }>(
      await api(`/v1/consents?user_id=${dan.id}`, { headers: auth(carolToken) }),
    );
    expect(theirs.data.map((g) => g.id)).toContain(c.id);
    expect((await json<ListObservationsResponse>(await observationsOf(bobToken, dan))).data).toHaveLength(3);
    expect((await revoke(carolToken, c.id, `?user_id=${dan.id}`)).status).toBe(204);
    const log = await accessLog(dan, carol.id, "observations.read");
    expect(log[log.length - 1]).toMatchObject({ outcome: "success", details: { via: "custodian" } });

    // Unlinked: nothing any more.
    expect((await link("DELETE", undefined, `?custodian_id=${carol.id}&dependent_id=${dan.id}`)).status).toBe(204);
    await expectProblem(await observationsOf(carolToken, dan), 403, "forbidden");
    await expectProblem(
      await grant(
        carolToken,
        { grantee: { type: "user", id: bob.id }, actions: ["read"], scope: { categories: ["laboratory"] } },
        `?user_id=${dan.id}`,
      ),
      403,
      "forbidden",
    );
    await expectProblem(
      await link("DELETE", undefined, `?custodian_id=${carol.id}&dependent_id=${dan.id}`),
      404,
      "not_found",
    );
  });
});

describe("an app (client grantee)", () => {
  function send(token: string, owner: TestUser | null, observations: unknown[]) {
    return api(`/v1/ingest/observations${owner === null ? "" : `?user_id=${owner.id}`}`, {
      method: "POST",
      headers: auth(token, { "Content-Type": "application/json" }),
      body: JSON.stringify({ observations }),
    });
  }
  const hr = { variable: { system: LOINC, code: "8867-4" }, value: 64, unit: "/min", start_at: "2026-03-25T08:00:00Z" };

  it("writes for the owner through a write grant, and not without one", async () => {
    await expectProblem(await send(appToken, alice, [hr]), 403, "forbidden");
    await expectProblem(await send(appToken, null, [hr]), 400, "validation_failed");
    const c = await granted(aliceToken, {
      grantee: { type: "client", id: app.clientId },
      actions: ["write"],
      scope: { categories: ["vital_signs"] },
    });
    const accepted = await send(appToken, alice, [hr]);
    expect(accepted.status).toBe(202);
    const { job_id } = await json<{ job_id: string }>(accepted);
    const job = await handle.client.query<{ user_id: string; client_id: string }>(
      "select user_id, client_id from ingest_jobs where id = $1",
      [job_id],
    );
    expect(job.rows[0]).toEqual({ user_id: alice.id, client_id: app.clientId });
    // The grant does not let the app read.
    await expectProblem(await observationsOf(appToken, alice), 403, "forbidden");

    // The writer (the owner's Durable Object) checks every row against the grant when it stores them.
    const hrVar = await variable("heart-rate");
    const glucose = await variable("blood-glucose");
    const write = async (variableId: string, version: number, unit: string): Promise<WriteResult> => {
      const { job } = await createJob(handle.db, {
        tenantId: tenant.id,
        userId: alice.id,
        clientId: app.clientId,
        sourceId: watch,
        kind: "observations",
        idempotencyKey: null,
        requestHash: null,
        received: 1,
      });
      const request: WriteRequest = {
        job_id: job.id,
        tenant_id: tenant.id,
        user_id: alice.id,
        actor: { user_id: null, client_id: app.clientId },
        rows: [
          {
            index: 0,
            variable_id: variableId,
            variable_version: version,
            start_at: "2026-03-26T08:00:00Z",
            end_at: null,
            value: 5,
            value_text: null,
            value_code: null,
            value_boolean: null,
            unit,
            original_value: 5,
            original_unit: unit,
            source_id: watch,
            is_valid: true,
            is_outlier: false,
            note: null,
            metadata: null,
          },
        ],
        issues: [],
        counts: { rejected: 0, duplicates_in_batch: 0, flagged: 0, outliers: 0 },
      };
      return env.USER_WRITER.get(env.USER_WRITER.idFromName(userWriterName(tenant.id, alice.id))).write(request);
    };
    expect(await write(hrVar.id, hrVar.version, "/min")).toMatchObject({ status: "completed", stored: 1 });
    expect(await write(glucose.id, glucose.version, "mmol/L")).toMatchObject({ status: "denied", stored: 0 });
    expect((await revoke(aliceToken, c.id)).status).toBe(204);
    await expectProblem(await send(appToken, alice, [hr]), 403, "forbidden");
    expect(await write(hrVar.id, hrVar.version, "/min")).toMatchObject({ status: "denied" });

    // Alice's access log: each attempt of the app, at the API (no grant, grant) and in the writer
    // (stored, a row outside the grant), then both refused after the revocation.
    const writes = await accessLog(alice, null, "observations.write");
    expect(writes.every((w) => w.actor_client_id === app.clientId)).toBe(true);
    expect(writes.map((w) => `${w.outcome}:${String(w.details.reason ?? w.details.via)}`)).toEqual([
      "denied:no_grant",
      "success:grant",
      "success:grant",
      "denied:out_of_scope",
      "denied:revoked",
      "denied:revoked",
    ]);
  });

  it("the OAuth consent screen records a dated consent grant only when background access is ticked, and revoking the app revokes it", async () => {
    const screenClient = await makeClient(tenant, {
      scopes: ["openid", "observations.vital_signs:read", "observations:write"],
    });
    const person = await makeUser(tenant);
    const scope = "openid observations.vital_signs:read observations:write";
    const live = async () =>
      (
        await handle.client.query<{
          id: string;
          actions: string[];
          categories: string[];
          via: string;
          granted_by: string;
          expires_at: Date | null;
        }>(
          `select id, actions, categories, via, granted_by, expires_at from consents
           where user_id = $1 and grantee_type = 'client' and grantee_id = $2 and revoked_at is null order by actions`,
          [person.id, screenClient.clientId],
        )
      ).rows;
    // Approved without the background choice: no grant for the app's servers.
    await userToken(screenClient, person, scope);
    expect(await live()).toEqual([]);
    // Ticked: one grant per action, each ending when the screen said (90 days by default).
    const q = new URLSearchParams({
      response_type: "code",
      client_id: screenClient.clientId,
      redirect_uri: screenClient.redirectUri,
      scope,
      state: "s",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
      prompt: "consent",
    });
    const browser = new Browser(screenClient.redirectUri);
    const page = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), person.email, person.password, null);
    await browser.submit(findForm(page.html, "/oauth/consent"), { decision: "approve", background: "yes" });
    const rows = await live();
    expect(rows.map((r) => [r.actions, r.via, r.granted_by])).toEqual([
      [["read"], "oauth", person.id],
      [["write"], "oauth", person.id],
    ]);
    expect(rows[0]?.categories).toEqual(["vital_signs"]);
    expect(rows[1]?.categories.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(Math.abs((r.expires_at?.getTime() ?? 0) - (Date.now() + 90 * 86_400_000))).toBeLessThan(3_600_000);
    }
    const revoked = await revokeClientConsents(handle.db, {
      tenantId: tenant.id,
      ownerId: person.id,
      clientId: screenClient.clientId,
      actorUserId: person.id,
    });
    expect(revoked).toBe(2);
    const { rows: left } = await handle.client.query(
      "select 1 from consents where user_id = $1 and revoked_at is null",
      [person.id],
    );
    expect(left).toEqual([]);
  });
});

describe("another tenant", () => {
  it("never sees anything, even naming a user id", async () => {
    const problem = await expectProblem(await observationsOf(foreignToken, alice), 403, "forbidden");
    expect(problem.reason).toBe("no_grant");
    await expectProblem(
      await api(
        `/v1/observations/summary?user_id=${alice.id}&variable=${encodeURIComponent(HEART_RATE)}&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`,
        { headers: auth(foreignToken) },
      ),
      403,
      "forbidden",
    );
    const held = await json<{ data: unknown[] }>(await api("/v1/consents?as=grantee", { headers: auth(foreignToken) }));
    expect(held.data).toEqual([]);
    // The attempt was decided in the foreign tenant's namespace, where Alice does not exist.
    const { rows } = await handle.client.query(
      "select 1 from audit_log where tenant_id = $1 and subject_user_id = $2 and outcome = 'success'",
      [foreignTenant.id, alice.id],
    );
    expect(rows).toEqual([]);
  });
});
