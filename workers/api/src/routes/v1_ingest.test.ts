import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json } from "../../test/helpers";
import {
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { GetJobResponse } from "./v1_ingest_jobs_get";
import { INLINE_LIMIT_BYTES } from "./v1_ingest_observations_create";

let tenant: TestTenant;
let client: TestClient;
let owner: TestUser;
let token: string;

beforeAll(async () => {
  tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public" });
  owner = await makeUser(tenant);
  token = await userToken(client, owner, "observations:write observations:read");
});

function post(body: unknown, headers: Record<string, string> = {}, query = "", bearer = token): Promise<Response> {
  return api(`/v1/ingest/observations${query}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

const hr = (minute: number, value = 70) => ({
  variable: { system: "http://loinc.org", code: "8867-4" },
  value,
  unit: "/min",
  start_at: new Date(Date.UTC(2026, 2, 1, 7, minute)).toISOString(),
});

describe("POST /v1/ingest/observations", () => {
  it("answers 202 with a job once the batch is queued", async () => {
    const res = await post({ observations: [hr(0), hr(1)] });
    expect(res.status).toBe(202);
    const body = await json<{ job_id: string; status_url: string; status: string; received: number }>(res);
    expect(body).toMatchObject({ status: "queued", received: 2 });
    expect(res.headers.get("location")).toBe(body.status_url);
    const job = await api(new URL(body.status_url).pathname, { headers: { Authorization: `Bearer ${token}` } });
    expect(await json<GetJobResponse>(job)).toMatchObject({
      id: body.job_id,
      status: "queued",
      counts: { received: 2, stored: 0 },
      progress: { processed: 0, total: 2 },
    });
  });

  it("names each bad item's index and field", async () => {
    const res = await post({
      observations: [hr(0), { ...hr(1), start_at: "2026-03-01 07:01" }, { ...hr(2), value: [] }],
    });
    const problem = await expectProblem(res, 400, "validation_failed");
    expect(problem.errors?.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(["/observations/1/start_at", "/observations/2/value"]),
    );
    expect(problem.errors?.every((e) => e.location === "body")).toBe(true);
  });

  it("takes a censored value's comparator (FHIR Quantity.comparator), and refuses one beside a non-number or outside <, <=, >=, >", async () => {
    const censored = ["<", "<=", ">=", ">"].map((comparator, i) => ({ ...hr(10 + i, 30), comparator }));
    expect((await post({ observations: censored })).status).toBe(202);
    const res = await post({
      observations: [
        { ...hr(20), value: "high", comparator: ">" },
        { ...hr(21), value: true, comparator: "<" },
        { ...hr(22), comparator: "=" },
        { ...hr(23), comparator: "<>" },
      ],
    });
    const problem = await expectProblem(res, 400, "validation_failed");
    expect(problem.errors?.map((e) => e.pointer)).toEqual([
      "/observations/0/comparator",
      "/observations/1/comparator",
      "/observations/2/comparator",
      "/observations/3/comparator",
    ]);
  });

  it("rejects an empty batch, unknown members, and a body that is not JSON", async () => {
    await expectProblem(await post({ observations: [] }), 400, "validation_failed");
    await expectProblem(await post({ observations: [{ ...hr(0), colour: "red" }] }), 400, "validation_failed");
    const res = await api("/v1/ingest/observations", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("returns the same job for the same Idempotency-Key and body, and 409 for another body", async () => {
    const key = crypto.randomUUID();
    const first = await json<{ job_id: string }>(await post({ observations: [hr(10)] }, { "Idempotency-Key": key }));
    const again = await json<{ job_id: string }>(await post({ observations: [hr(10)] }, { "Idempotency-Key": key }));
    expect(again.job_id).toBe(first.job_id);
    await expectProblem(await post({ observations: [hr(11)] }, { "Idempotency-Key": key }), 409, "conflict");
  });

  it("scopes an Idempotency-Key to its writer: another app writing for the same owner gets its own job", async () => {
    const key = crypto.randomUUID();
    const otherApp = await makeClient(tenant, { type: "public" });
    const otherToken = await userToken(otherApp, owner, "observations:write observations:read");
    const mine = await json<{ job_id: string }>(await post({ observations: [hr(12)] }, { "Idempotency-Key": key }));
    // The same key, even with another body, is not this writer's: no 409, no replay of the first job.
    const theirsRes = await post({ observations: [hr(13)] }, { "Idempotency-Key": key }, "", otherToken);
    expect(theirsRes.status, await theirsRes.clone().text()).toBe(202);
    const theirs = await json<{ job_id: string }>(theirsRes);
    expect(theirs.job_id).not.toBe(mine.job_id);
    // Each writer repeating its own key gets its own job back.
    const mineAgain = await json<{ job_id: string }>(
      await post({ observations: [hr(12)] }, { "Idempotency-Key": key }),
    );
    const theirsAgain = await json<{ job_id: string }>(
      await post({ observations: [hr(13)] }, { "Idempotency-Key": key }, "", otherToken),
    );
    expect(mineAgain.job_id).toBe(mine.job_id);
    expect(theirsAgain.job_id).toBe(theirs.job_id);
  });

  it("sends a batch too large for a queue message as JSON gzipped, without staging it", async () => {
    const observations = Array.from({ length: 2000 }, (_, i) => hr(i % 60, 60 + (i % 30)));
    expect(JSON.stringify(observations).length).toBeGreaterThan(INLINE_LIMIT_BYTES);
    const res = await post({ observations });
    expect(res.status).toBe(202);
    const { job_id } = await json<{ job_id: string }>(res);
    expect(await env.INGEST_STAGING.head(`ingest/${tenant.id}/${job_id}.json`)).toBeNull();
  });

  it("stages a batch too large for a queue message even gzipped in R2, sealed", async () => {
    // Random notes do not compress: 2,000 × 128 hex digits is more than the limit gzipped too.
    const noise = () =>
      Array.from(crypto.getRandomValues(new Uint8Array(64)), (b) => b.toString(16).padStart(2, "0")).join("");
    const observations = Array.from({ length: 2000 }, (_, i) => ({ ...hr(i % 60, 60 + (i % 30)), note: noise() }));
    const res = await post({ observations });
    expect(res.status).toBe(202);
    const { job_id } = await json<{ job_id: string }>(res);
    const object = await env.INGEST_STAGING.get(`ingest/${tenant.id}/${job_id}.json`);
    const stored = (await object?.text()) ?? "";
    expect(stored).toMatch(/^v1\.k1\./);
    expect(stored).not.toContain("8867-4");
  });

  it("refuses to write to another person's record without a grant", async () => {
    const other = await makeUser(tenant);
    const res = await post({ observations: [hr(0)] }, {}, `?user_id=${other.id}`);
    await expectProblem(res, 403, "forbidden");
  });

  it("needs observations:write", async () => {
    const readOnly = await userToken(client, await makeUser(tenant), "observations:read");
    await expectProblem(await post({ observations: [hr(0)] }, {}, "", readOnly), 403, "forbidden");
  });
});

describe("GET /v1/ingest/jobs/{id}", () => {
  it("shows a job only to its owner", async () => {
    const { job_id } = await json<{ job_id: string }>(await post({ observations: [hr(20)] }));
    const stranger = await userToken(client, await makeUser(tenant), "observations:write");
    await expectProblem(
      await api(`/v1/ingest/jobs/${job_id}`, { headers: { Authorization: `Bearer ${stranger}` } }),
      404,
      "not_found",
    );
    const otherTenant = await makeTenant();
    const foreign = await userToken(
      await makeClient(otherTenant, { type: "public" }),
      await makeUser(otherTenant),
      "observations:write",
    );
    await expectProblem(
      await api(`/v1/ingest/jobs/${job_id}`, { headers: { Authorization: `Bearer ${foreign}` } }),
      404,
      "not_found",
    );
  });
});
