/**
 * The study query's cursor (issue 12): a researcher with identified access elsewhere must not be able
 * to link a pseudonym to a person through it. The cursor is sealed (AES-GCM under a key derived from
 * the master key): it carries no pseudonym, user id or row hash, differs per researcher and per page
 * served, works only for the researcher and study it was made for, and a tampered one is refused.
 */
import { base64UrlDecode, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";

interface Page {
  data: Array<{ subject_id: string; start_at: string }>;
  next_cursor: string | null;
}

let handle: DbHandle;
let tenant: TestTenant;
let studyId: string;
let alice: TestUser;
let ritaToken: string;
let robToken: string;
let otherStudyId: string;

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

function rows(token: string, query = "", study = studyId): Promise<Response> {
  return api(`/v1/studies/${study}/observations${query}`, { headers: auth(token) });
}

/** Every way the cursor could spell an identifier: as sent, and its bytes decoded as text. */
function readings(cursor: string): string {
  const parts = cursor.split(/[.]/);
  const decoded = parts.map((p) => {
    try {
      return new TextDecoder().decode(base64UrlDecode(p));
    } catch {
      return "";
    }
  });
  return [cursor, ...decoded].join("\n");
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "consents:manage", "tenant:manage"],
  });
  const [owner, rita, rob, admin] = await Promise.all([
    makeUser(tenant),
    makeUser(tenant, ["researcher"]),
    makeUser(tenant, ["researcher"]),
    makeUser(tenant, ["admin"]),
  ]);
  alice = owner;
  const [aliceToken, adminBearer, rt, bt] = await Promise.all([
    userToken(client, alice, "observations:read consents:manage"),
    adminToken(client, admin, "tenant:manage"),
    userToken(client, rita, "observations:read"),
    userToken(client, rob, "observations:read"),
  ]);
  ritaToken = rt;
  robToken = bt;
  const study = async (slug: string) => {
    const res = await api("/v1/studies", {
      method: "POST",
      headers: auth(adminBearer, { "Content-Type": "application/json" }),
      body: JSON.stringify({ slug, name: slug }),
    });
    expect(res.status).toBe(201);
    const id = (await json<{ id: string }>(res)).id;
    for (const member of [rita, rob]) {
      const added = await api(`/v1/studies/${id}/members`, {
        method: "POST",
        headers: auth(adminBearer, { "Content-Type": "application/json" }),
        body: JSON.stringify({ user_id: member.id }),
      });
      expect(added.status).toBe(204);
    }
    return id;
  };
  studyId = await study("cursor-study");
  otherStudyId = await study("cursor-study-2");
  const { rows: v } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = 'heart-rate' and valid_to is null",
    [SYSTEM_TENANT_ID],
  );
  const source = await clientSource(handle.db, tenant.id, "cursor-watch", "Watch");
  for (const day of ["01", "10", "20"]) {
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
         original_value, original_unit, source_id)
       values ($1, $2, $3, $4, $5, $6, 70, '/min', 70, '/min', $7)`,
      [uuidv7(), tenant.id, alice.id, v[0]?.id, v[0]?.version, `2026-03-${day}T08:00:00Z`, source],
    );
  }
  const granted = await api("/v1/consents", {
    method: "POST",
    headers: auth(aliceToken, { "Content-Type": "application/json" }),
    body: JSON.stringify({
      grantee: { type: "study", id: studyId },
      actions: ["read"],
      scope: { categories: ["vital_signs"] },
      document_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    }),
  });
  if (granted.status !== 201) throw new Error(`grant: ${granted.status} ${await granted.text()}`);
}, 120_000);
afterAll(async () => handle.close());

describe("the study cursor", () => {
  it("names no pseudonym, person or row hash, and pages on", async () => {
    const first = await json<Page>(await rows(ritaToken, "?limit=2"));
    expect(first.data).toHaveLength(2);
    const cursor = first.next_cursor ?? "";
    expect(cursor).not.toBe("");
    const subject = first.data[0]?.subject_id ?? "";
    // The row hashes the keyset paging orders by, for every row the study can see.
    const { rows: hashes } = await handle.client.query<{ h: string }>(
      "select md5($1::text || id::text) as h from observations where tenant_id = $2 and user_id = $3",
      [studyId, tenant.id, alice.id],
    );
    const text = readings(cursor);
    for (const secret of [subject, subject.replace(/-/g, ""), alice.id, ...hashes.map((h) => h.h), "2026-03-10"]) {
      expect(text).not.toContain(secret);
    }
    const second = await json<Page>(await rows(ritaToken, `?limit=2&cursor=${encodeURIComponent(cursor)}`));
    expect([...first.data, ...second.data].map((r) => r.start_at)).toEqual([
      "2026-03-01T08:00:00.000Z",
      "2026-03-10T08:00:00.000Z",
      "2026-03-20T08:00:00.000Z",
    ]);
    expect(second.next_cursor).toBeNull();
  });

  it("differs between researchers and between requests for the same position, and is bound to its holder", async () => {
    const rita1 = (await json<Page>(await rows(ritaToken, "?limit=2"))).next_cursor ?? "";
    const rita2 = (await json<Page>(await rows(ritaToken, "?limit=2"))).next_cursor ?? "";
    const rob1 = (await json<Page>(await rows(robToken, "?limit=2"))).next_cursor ?? "";
    expect(new Set([rita1, rita2, rob1]).size).toBe(3);
    // Rob cannot replay Rita's cursor (nor use it on another study): it is not one his list produced.
    await expectProblem(await rows(robToken, `?limit=2&cursor=${encodeURIComponent(rita1)}`), 400, "invalid_cursor");
    await expectProblem(
      await rows(ritaToken, `?limit=2&cursor=${encodeURIComponent(rita1)}`, otherStudyId),
      400,
      "invalid_cursor",
    );
    const robNext = await json<Page>(await rows(robToken, `?limit=2&cursor=${encodeURIComponent(rob1)}`));
    expect(robNext.data.map((r) => r.start_at)).toEqual(["2026-03-20T08:00:00.000Z"]);
  });

  it("refuses a tampered or forged cursor", async () => {
    const cursor = (await json<Page>(await rows(ritaToken, "?limit=2"))).next_cursor ?? "";
    const last = cursor.length - 5;
    const flipped = `${cursor.slice(0, last)}${cursor[last] === "A" ? "B" : "A"}${cursor.slice(last + 1)}`;
    await expectProblem(await rows(ritaToken, `?cursor=${encodeURIComponent(flipped)}`), 400, "invalid_cursor");
    // The old, unsealed form of a cursor for the same list is no longer accepted.
    const { rows: subjects } = await handle.client.query<{ subject_id: string }>(
      "select subject_id from study_subjects where study_id = $1",
      [studyId],
    );
    const forged = btoa(JSON.stringify({ l: "study-observations", k: [subjects[0]?.subject_id, null, null] }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    await expectProblem(await rows(ritaToken, `?cursor=${forged}`), 400, "invalid_cursor");
    await expectProblem(await rows(ritaToken, "?cursor=bm9wZQ"), 400, "invalid_cursor");
  });
});
