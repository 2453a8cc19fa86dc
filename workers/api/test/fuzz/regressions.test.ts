/**
 * What the OpenAPI fuzzer (openapi.fuzz.test.ts) found, each pinned as a plain example so it stays
 * fixed whatever the fuzzer's seed draws: 500s from a malformed `user_id` reaching the owner's Durable
 * Object before validation, 500s from NUL (U+0000) in the URL reaching PostgreSQL (SQLSTATE 22021), and
 * validation problems that named no field. Also NUL in an observation's text, which the API accepted and
 * the ingest consumer could never store (found while reading what the fuzzer's 202s led to).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem } from "../helpers";
import { adminToken, makeClient, makeTenant, makeUser, personPresentToken, userToken } from "../identity";

let owner = "";
let admin = "";

beforeAll(async () => {
  const tenant = await makeTenant();
  const scopes = ["openid", "observations:read", "observations:write", "files:write", "consents:manage"];
  owner = await userToken(
    await makeClient(tenant, { type: "public", scopes }),
    await makeUser(tenant),
    scopes.join(" "),
  );
  const adminClient = await makeClient(tenant, { type: "public", scopes: ["openid", "tenant:manage"] });
  admin = await adminToken(adminClient, await makeUser(tenant, ["admin", "data_owner"]), "tenant:manage");
}, 240_000);

function as(token: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return { ...init, headers };
}

/** The fields a validation problem names, as `location pointer`. */
async function named(res: Response): Promise<string[]> {
  const problem = await expectProblem(res, 400, "validation_failed");
  return (problem.errors ?? []).map((e) => `${e.location} ${e.pointer}`);
}

const observation = {
  observations: [
    { variable: { system: "http://loinc.org", code: "8867-4" }, value: 60, start_at: "2026-01-01T00:00:00Z" },
  ],
};

describe("a malformed user_id is a 400 naming it, not a 500 from the owner's Durable Object", () => {
  it.each(["", "%2F..%2F", "%", "1&user_id=2", "not-a-uuid"])("POST /v1/ingest/observations?user_id=%s", async (v) => {
    const res = await api(
      `/v1/ingest/observations?user_id=${v}`,
      as(owner, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(observation) }),
    );
    expect(await named(res)).toContain("query /user_id");
  });

  it.each(["/v1/observations", "/v1/observations/summary?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"])(
    "GET %s",
    async (path) => {
      const res = await api(`${path}${path.includes("?") ? "&" : "?"}user_id=1&user_id=2`, as(owner));
      expect(await named(res)).toContain("query /user_id");
    },
  );
});

describe("NUL (U+0000) in the URL is a 400 naming where it is, not a 500 from PostgreSQL", () => {
  it("in a query parameter", async () => {
    const res = await api(
      "/v1/admin/code-mappings?system=http%3A%2F%2Floinc.org&code=a%00b",
      as(admin, { method: "DELETE" }),
    );
    expect(await named(res)).toEqual(["query /code"]);
  });

  it("in a path segment", async () => {
    const res = await api("/v1/me/apps/%00", as(owner, { method: "DELETE" }));
    expect(await named(res)).toEqual(["path "]);
  });

  it("in the authorization request's client_id: the unknown-client page (RFC 6749 §4.1.2.1)", async () => {
    const res = await api(
      "/oauth/authorize?response_type=code&client_id=%00&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback",
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  });
});

describe("NUL (U+0000) in an observation is refused at the API, not accepted and then lost in the consumer", () => {
  const withNul: Array<[string, Record<string, unknown>, string]> = [
    ["note", { note: "a\u0000b" }, "body /observations/0/note"],
    ["a text value", { value: "\u0000" }, "body /observations/0/value"],
    ["a unit", { unit: "k\u0000g" }, "body /observations/0/unit"],
    ["metadata, deep inside", { metadata: { a: [{ b: ["\u0000"] }] } }, "body /observations/0/metadata"],
    ["a metadata key", { metadata: { "k\u0000": 1 } }, "body /observations/0/metadata"],
  ];
  it.each(withNul)("in %s", async (_name, member, pointer) => {
    const body = { observations: [{ ...observation.observations[0], ...member }] };
    const res = await api(
      "/v1/ingest/observations",
      as(owner, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    );
    const names = await named(res);
    expect(names.some((n) => n.startsWith(pointer))).toBe(true);
  });
});

describe("validation problems raised outside zod name their field", () => {
  it("a form without a `file` part", async () => {
    const form = new FormData();
    form.append("mapping", "{}");
    const res = await api("/v1/ingest/files", as(owner, { method: "POST", body: form }));
    expect(await named(res)).toEqual(["body /file"]);
  });

  it("a multipart Content-Type without a boundary", async () => {
    const res = await api(
      "/v1/ingest/files",
      as(owner, { method: "POST", headers: { "Content-Type": "multipart/form-data" }, body: "x" }),
    );
    expect(await named(res)).toEqual(["header /content-type"]);
  });

  it("an empty raw upload", async () => {
    const res = await api(
      "/v1/ingest/files?name=a.csv",
      as(owner, { method: "POST", headers: { "Content-Type": "text/csv" }, body: "" }),
    );
    expect(await named(res)).toEqual(["body "]);
  });

  it("a `mapping` that is not a column mapping", async () => {
    const form = new FormData();
    form.append("file", new Blob(["date,weight (kg)\n2026-01-01,70\n"], { type: "text/csv" }), "w.csv");
    form.append("mapping", "[1,2]");
    const res = await api("/v1/ingest/files", as(owner, { method: "POST", body: form }));
    expect(await named(res)).toEqual(["body /mapping"]);
  });

  it("DELETE /v1/me/observations without a filter", async () => {
    // A bulk delete needs the person in person: a first-party app and a sign-in just now.
    const res = await api("/v1/me/observations", as(await personPresentToken(), { method: "DELETE" }));
    expect(await named(res)).toEqual(["query /variable", "query /from", "query /to", "query /source"]);
  });
});
