/**
 * The TypeScript SDK against the running platform (test/platform/global-setup.ts: every Worker under
 * one wrangler dev, real Postgres, R2, Queues and Durable Objects): sign-in with PKCE through a real
 * browser and a loopback redirect, refresh rotation shared by concurrent calls, sign-out that revokes,
 * client credentials, batched ingest, uploads, paged reads, summaries and exports. Mirrors
 * sdks/python/tests/test_platform.py.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baseUrl,
  dfda,
  LOCAL_CLIENT_ID,
  LOCAL_TENANT,
  newPerson,
  serviceClient,
} from "../../../test/platform/fixtures";
import {
  DfdaAuthError,
  DfdaClient,
  DfdaError,
  DfdaProblem,
  downloadExport,
  FileTokenStore,
  finishAuthorization,
  type IngestJob,
  type Observation,
  refreshTokens,
  signInWithLoopback,
  startAuthorization,
  type Tokens,
  uploadPath,
} from "../src/node";
import { approve, browserAvailable, launch } from "./browser";

const SCOPE = "openid offline_access observations:read observations:write files:read files:write";
const HEART_RATE = { system: "http://loinc.org", code: "8867-4" };

async function personClient(options: { fetch?: typeof fetch } = {}) {
  const person = await newPerson({ scope: SCOPE });
  const tokens: Tokens = { access_token: person.accessToken, token_type: "Bearer" };
  if (person.refreshToken) tokens.refresh_token = person.refreshToken;
  return new DfdaClient({ baseUrl, clientId: LOCAL_CLIENT_ID, tokens, ...options });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("signing in", () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (browserAvailable) browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.runIf(browserAvailable)(
    "PKCE through the system browser and a loopback redirect yields refreshable tokens",
    async () => {
      const email = `sdk-${randomUUID()}@example.org`;
      const password = `correct horse ${randomUUID()}`;
      await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", email, "--password", password]);
      let opened = "";
      const tokens = await signInWithLoopback({
        baseUrl,
        clientId: LOCAL_CLIENT_ID,
        scope: SCOPE,
        openBrowser: async (url) => {
          opened = url;
          if (!browser) throw new Error("no browser");
          await approve(browser, url, email, password);
        },
      });
      const request = new URL(opened);
      expect(request.searchParams.get("code_challenge_method")).toBe("S256");
      expect(request.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(tokens.refresh_token).toBeTruthy();
      expect(tokens.scope).toContain("observations:write");
      expect(tokens.expires_at).toBeGreaterThan(Date.now());
      const client = new DfdaClient({ baseUrl, clientId: LOCAL_CLIENT_ID, tokens });
      const { data } = await client.api.GET("/v1/me/stats");
      expect(data).toBeTruthy();
    },
  );

  it("refuses a redirect whose state is not this sign-in's, and one naming another issuer", async () => {
    const pending = await startAuthorization({
      baseUrl,
      clientId: LOCAL_CLIENT_ID,
      redirectUri: "com.example.app:/callback",
      scope: SCOPE,
    });
    expect(pending.url).toContain("redirect_uri=com.example.app%3A%2Fcallback");
    await expect(
      finishAuthorization(pending, "com.example.app:/callback?code=stolen&state=other"),
    ).rejects.toMatchObject({
      error: "invalid_state",
    });
    await expect(
      finishAuthorization(pending, `?code=x&state=${pending.state}&iss=${encodeURIComponent("https://evil.example")}`),
    ).rejects.toMatchObject({ error: "invalid_issuer" });
    await expect(finishAuthorization(pending, `?error=access_denied&state=${pending.state}`)).rejects.toMatchObject({
      error: "access_denied",
    });
    // A code that was never issued is refused by the token endpoint itself.
    await expect(finishAuthorization(pending, `?code=never-issued&state=${pending.state}`)).rejects.toMatchObject({
      error: "invalid_grant",
    });
  });

  it("refreshes once for many concurrent calls, rotating the refresh token; the spent one is refused", async () => {
    let refreshes = 0;
    const counting: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      if (request.url.endsWith("/oauth/token")) refreshes++;
      return fetch(request);
    };
    const client = await personClient({ fetch: counting });
    const before = await client.tokens();
    // The access token looks expired: the next calls must refresh, once, for all of them.
    await client.store.save({ ...before, expires_at: 0 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => client.api.GET("/v1/me/stats")));
    expect(answers.map((a) => a.response.status)).toEqual(Array(8).fill(200));
    expect(refreshes).toBe(1);
    const after = await client.tokens();
    expect(after.refresh_token).toBeTruthy();
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.expires_at).toBeGreaterThan(Date.now());
    // Presenting the spent token is reuse: refused (and the family revoked, RFC 9700 §4.14.2).
    await expect(
      refreshTokens({ baseUrl, clientId: LOCAL_CLIENT_ID, refreshToken: before.refresh_token ?? "" }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("signs out by revoking: the refresh token is refused afterwards and the client is signed out", async () => {
    const client = await personClient();
    const { refresh_token } = await client.tokens();
    await client.signOut();
    await expect(
      refreshTokens({ baseUrl, clientId: LOCAL_CLIENT_ID, refreshToken: refresh_token ?? "" }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(
      client.observations.summary({ variable: "heart-rate", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }),
    ).rejects.toBeInstanceOf(DfdaError);
  });

  it("gives a service its own token with client credentials, renewed when it expires", async () => {
    const service = await serviceClient("TypeScript SDK tests");
    const client = await DfdaClient.withClientCredentials({
      baseUrl,
      clientId: service.client_id,
      clientSecret: service.client_secret,
    });
    const first = await client.tokens();
    const found = await collect(client.variables.list({ q: "heart rate", limit: 5 }));
    expect(found.some((v) => v.slug === "heart-rate")).toBe(true);
    await client.store.save({ ...first, expires_at: 0 });
    await collect(client.variables.list({ q: "heart rate", limit: 5 }));
    expect((await client.tokens()).access_token).not.toBe(first.access_token);
    const wrong = await DfdaClient.withClientCredentials({
      baseUrl,
      clientId: service.client_id,
      clientSecret: "not-the-secret",
    }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(DfdaAuthError);
    expect(wrong).toMatchObject({ error: "invalid_client", status: 401 });
  });

  it("keeps tokens in a file only its owner can read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dfda-sdk-"));
    try {
      const store = new FileTokenStore(join(dir, "dfda", "tokens.json"));
      await store.save({ access_token: "a", token_type: "Bearer", refresh_token: "r", expires_at: 1 });
      expect(statSync(store.path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, "dfda")).mode & 0o777).toBe(0o700);
      expect(await store.load()).toMatchObject({ access_token: "a", refresh_token: "r" });
      await store.save(null);
      expect(await store.load()).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("data", () => {
  let client: DfdaClient;
  beforeAll(async () => {
    client = await personClient();
  }, 120_000);

  it("sends in batches, waits for every job, and reads every value back through the cursor", async () => {
    const start = Date.UTC(2026, 9, 1);
    const count = 2_500;
    function* readings() {
      for (let i = 0; i < count; i++)
        yield {
          variable: HEART_RATE,
          value: 50 + (i % 40),
          unit: "/min",
          start_at: new Date(start + i * 60_000).toISOString(),
        };
    }
    const polls: IngestJob[] = [];
    const jobs = (await client.observations.send(readings(), {
      batchSize: 1_000,
      wait: true,
      onProgress: (j) => polls.push(j),
    })) as IngestJob[];
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.status === "completed")).toBe(true);
    expect(jobs.reduce((n, j) => n + j.counts.stored, 0)).toBe(count);
    expect(polls.length).toBeGreaterThanOrEqual(3);
    const read: Observation[] = await collect(
      client.observations.list({
        variable: "http://loinc.org|8867-4",
        from: "2026-10-01T00:00:00Z",
        to: "2026-10-03T00:00:00Z",
        limit: 200,
      }),
    );
    expect(read).toHaveLength(count);
    expect(read[0]?.start_at.slice(0, 16)).toBe("2026-10-02T17:39"); // newest first: minute 2,499
    expect(read.at(-1)?.value).toBe(50);
    const summary = await client.observations.summary({
      variable: "http://loinc.org|8867-4",
      from: "2026-10-01T00:00:00Z",
      to: "2026-10-03T00:00:00Z",
      bucket: "day",
      tz: "UTC",
    });
    expect(JSON.stringify(summary)).toContain("2026-10-01");
  });

  it("sending the same batch again stores nothing twice", async () => {
    const item = { variable: HEART_RATE, value: 77, unit: "/min", start_at: "2026-09-01T08:00:00Z" };
    const [first] = (await client.observations.send([item], { wait: true })) as IngestJob[];
    const [again] = (await client.observations.send([item], { wait: true })) as IngestJob[];
    expect(first?.counts.stored).toBe(1);
    expect(again?.counts).toMatchObject({ stored: 0, duplicates: 1 });
  });

  it("turns a refused batch into a typed problem with its field errors", async () => {
    const error = await client.observations
      .send([{ variable: HEART_RATE, value: 70, start_at: "yesterday" }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DfdaProblem);
    const problem = error as DfdaProblem;
    expect(problem).toMatchObject({ status: 400, code: "validation_failed" });
    expect(problem.requestId).toBeTruthy();
    expect(problem.fieldErrors.some((e) => e.location === "body" && String(e.pointer).endsWith("/start_at"))).toBe(
      true,
    );
  });

  it("uploads from a stream, a Blob and a path with progress, then follows the mapping", async () => {
    const csv = `date,heart rate (bpm)\n${Array.from({ length: 28 }, (_, d) => `2026-08-${String(d + 1).padStart(2, "0")}T07:00:00Z,${61 + d}\n`).join("")}`;
    const bytes = new TextEncoder().encode(csv);
    const sent: [number, number | undefined][] = [];
    const mapping: string[] = [];
    // A stream of small chunks, as a file read from disk or the network arrives.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64) controller.enqueue(bytes.slice(i, i + 64));
        controller.close();
      },
    });
    const accepted = await client.files.upload(stream, {
      name: "heart.csv",
      contentType: "text/csv",
      size: bytes.length,
      onProgress: (s, t) => sent.push([s, t]),
      wait: true,
      onJobProgress: (j) => mapping.push(j.status),
    });
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(accepted.existing).toBe(false);
    expect(accepted.job?.status).toBe("completed");
    expect(accepted.job?.counts.stored).toBe(28);
    expect(mapping.at(-1)).toBe("completed");

    const again = await client.files.upload(new Blob([bytes], { type: "text/csv" }), { name: "again.csv" });
    expect(again).toMatchObject({ existing: true, file_id: accepted.file_id });

    const dir = mkdtempSync(join(tmpdir(), "dfda-sdk-"));
    try {
      const path = join(dir, "weights.csv");
      writeFileSync(path, "date,weight (kg)\n2026-08-01T07:00:00Z,70.5\n2026-08-02T07:00:00Z,70.1\n");
      const progress: number[] = [];
      const fromPath = await uploadPath(client, path, {
        contentType: "text/csv",
        onProgress: (s) => progress.push(s),
        wait: true,
      });
      expect(fromPath.file.name ?? "weights.csv").toBe("weights.csv");
      expect(progress.at(-1)).toBe(statSync(path).size);
      expect(fromPath.job?.counts.stored).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Newest first, one per page: the cursor walks them all.
    const files = await collect(client.files.list({ limit: 1 }));
    expect(files.map((f) => f.id)).toContain(accepted.file_id);
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it("exports FHIR NDJSON: create, wait, download", async () => {
    await client.observations.send(
      [{ variable: HEART_RATE, value: 64, unit: "/min", start_at: "2026-07-04T09:00:00Z" }],
      {
        wait: true,
      },
    );
    const created = await client.exports.create({ format: "fhir-ndjson" });
    const done = await client.exports.wait(created.export_id);
    expect(done.download_url).toBeTruthy();
    const dir = mkdtempSync(join(tmpdir(), "dfda-sdk-"));
    try {
      const path = join(dir, "export.ndjson");
      const size = await downloadExport(client, done, path);
      expect(size).toBe(statSync(path).size);
      const resources = readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { resourceType?: string; valueQuantity?: { value?: number } });
      expect(resources.some((r) => r.resourceType === "Observation" && r.valueQuantity?.value === 64)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps one person's data and jobs out of another's reach", async () => {
    const [job] = await client.observations.send([
      { variable: HEART_RATE, value: 81, unit: "/min", start_at: "2026-06-01T08:00:00Z" },
    ]);
    const other = await personClient();
    expect(await collect(other.observations.list({ variable: "http://loinc.org|8867-4", limit: 200 }))).toEqual([]);
    const refused = await other.jobs.get((job as { job_id: string }).job_id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DfdaProblem);
    expect([403, 404]).toContain((refused as DfdaProblem).status);
  });
});
