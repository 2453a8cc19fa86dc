/**
 * Resumable uploads (tus 1.0.0, https://tus.io/protocols/resumable-upload) through the real API Worker,
 * R2 and Postgres: a file sent in several PATCHes over two dropped connections, resumed from HEAD's
 * offset, completed into the same encrypted file a single upload makes (de-duplicated against it,
 * readable byte for byte, queued for mapping); the protocol's status codes (409 offset, 412 version,
 * 415 media type, 410 terminated); and who may touch an upload.
 */
import { env } from "cloudflare:workers";
import { connect, type DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestClient, type TestUser, userToken } from "../../test/identity";
import type { UploadResponse } from "../lib/uploads";
import type { FileAcceptedResponse } from "./v1_ingest_files_create";

let handle: DbHandle;
let client: TestClient;
let owner: TestUser;
let token: string;
let otherToken: string;
let readOnlyToken: string;
let foreignToken: string;

beforeAll(async () => {
  handle = await connect(env.HYPERDRIVE.connectionString);
  const tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public", scopes: ["openid", "files:read", "files:write"] });
  owner = await makeUser(tenant);
  token = await userToken(client, owner, "files:read files:write");
  readOnlyToken = await userToken(client, owner, "files:read");
  otherToken = await userToken(client, await makeUser(tenant), "files:read files:write");
  const foreign = await makeTenant();
  const foreignClient = await makeClient(foreign, { type: "public", scopes: ["openid", "files:read", "files:write"] });
  foreignToken = await userToken(foreignClient, await makeUser(foreign), "files:read files:write");
});
afterAll(async () => handle.close());

const TUS = { "Tus-Resumable": "1.0.0" };
const auth = (bearer: string) => ({ Authorization: `Bearer ${bearer}` });
const b64 = (text: string) => btoa(text);

/** FHIR R4 NDJSON (one Observation a line) of at least `bytes` bytes. */
function fhirNdjson(bytes: number, seed = 0): Uint8Array {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = JSON.stringify({
      resourceType: "Observation",
      id: `obs-${seed}-${i}`,
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code: "8867-4", display: "Heart rate" }] },
      effectiveDateTime: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      valueQuantity: { value: 50 + (i % 60), unit: "beats/minute", system: "http://unitsofmeasure.org", code: "/min" },
    });
    lines.push(line);
    size += line.length + 1;
  }
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

async function create(length: number, bearer = token, metadata?: string): Promise<Response> {
  return api("/v1/uploads", {
    method: "POST",
    headers: {
      ...auth(bearer),
      ...TUS,
      "Upload-Length": String(length),
      ...(metadata === undefined ? {} : { "Upload-Metadata": metadata }),
    },
  });
}

async function createdPath(length: number, name = "heart-rate.ndjson"): Promise<string> {
  const res = await create(length, token, `filename ${b64(name)},filetype ${b64("application/fhir+ndjson")}`);
  expect(res.status, await res.clone().text()).toBe(201);
  return new URL(res.headers.get("Location") ?? "").pathname;
}

function patch(path: string, offset: number, body: BodyInit, bearer = token, headers: Record<string, string> = {}) {
  return api(path, {
    method: "PATCH",
    headers: {
      ...auth(bearer),
      ...TUS,
      "Upload-Offset": String(offset),
      "Content-Type": "application/offset+octet-stream",
      ...headers,
    },
    body,
  });
}

/**
 * A body that sends `bytes` in pieces and then stops, as a dropped connection looks to the handler
 * inside workerd (the runtime ends the request body; a JS stream errored mid-body crashes the test
 * runtime, so the drop is the early end).
 */
function droppingBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const n = Math.min(256 * 1024 + 17, bytes.length - at);
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

async function head(path: string, bearer = token): Promise<Response> {
  return api(path, { method: "HEAD", headers: { ...auth(bearer), ...TUS } });
}

async function offsetOf(path: string): Promise<number> {
  const res = await head(path);
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  return Number(res.headers.get("Upload-Offset"));
}

describe("OPTIONS /v1/uploads", () => {
  it("names the tus version, extensions and maximum size", async () => {
    const res = await api("/v1/uploads", { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("Tus-Version")).toBe("1.0.0");
    expect(res.headers.get("Tus-Extension")).toBe("creation,termination,expiration");
    expect(res.headers.get("Tus-Max-Size")).toBe("12000000");
  });
});

describe("a resumable upload", () => {
  it("survives two dropped PATCHes, resumes from HEAD, and completes into the file a single upload makes", async () => {
    const bytes = fhirNdjson(11_000_000);
    const path = await createdPath(bytes.length);
    expect(await offsetOf(path)).toBe(0);

    // Drop 1: inside the first R2 part and inside a 64 KiB chunk: nothing is a part yet.
    const drop1 = await patch(path, 0, droppingBody(bytes.subarray(0, 3_000_001)));
    expect(drop1.status).toBe(204);
    const after1 = await offsetOf(path);
    expect(after1).toBe(3_000_001);

    // Drop 2: past the first 5 MiB part, again mid-chunk.
    const drop2 = await patch(path, after1, droppingBody(bytes.subarray(after1, 8_500_003)));
    expect(drop2.status).toBe(204);
    const after2 = await offsetOf(path);
    expect(after2).toBe(8_500_003);
    const { rows: mid } = await handle.client.query<{ state: { parts: unknown[]; checkpoint: string } }>(
      "select state from uploads where id = $1",
      [path.split("/").pop()],
    );
    expect(mid[0]?.state.parts).toHaveLength(1);
    // The checkpoint is sealed: no plaintext of the file in it.
    const checkpoint = await env.FILES.get(mid[0]?.state.checkpoint ?? "");
    expect(new TextDecoder().decode(await checkpoint?.arrayBuffer())).not.toContain("Observation");

    // A PATCH at a stale offset is refused with the offset the server holds.
    const stale = await patch(path, after1, bytes.subarray(after1, after1 + 10));
    await expectProblem(stale, 409, "upload_offset_mismatch");
    expect(stale.headers.get("Upload-Offset")).toBe(String(after2));

    // The rest, in two PATCHes.
    const middle = 10_000_000;
    const p3 = await patch(path, after2, bytes.subarray(after2, middle));
    expect(p3.status, await p3.clone().text()).toBe(204);
    expect(p3.headers.get("Upload-Offset")).toBe(String(middle));
    expect(p3.headers.get("Upload-Expires")).toMatch(/GMT$/);
    const p4 = await patch(path, middle, bytes.subarray(middle));
    expect(p4.status, await p4.clone().text()).toBe(204);
    expect(p4.headers.get("Upload-Offset")).toBe(String(bytes.length));

    const done = await json<UploadResponse>(await api(path, { headers: auth(token) }));
    expect(done).toMatchObject({ status: "completed", offset: bytes.length, length: bytes.length });
    expect(done.file_id).not.toBeNull();
    expect(done.job_id).not.toBeNull();
    const { rows: files } = await handle.client.query<{ format: string; size_bytes: string; r2_key: string }>(
      "select format, size_bytes, r2_key from files where id = $1",
      [done.file_id],
    );
    expect(files[0]).toMatchObject({ format: "fhir-r4", size_bytes: String(bytes.length) });
    // The single upload's key layout: {prefix}/{user}/{format}/{yyyy}/{mm}/{dd}/{file}.{ext}.
    expect(files[0]?.r2_key).toMatch(
      new RegExp(`^[0-9a-f]{2}/${owner.id}/fhir-r4/\\d{4}/\\d{2}/\\d{2}/${done.file_id}\\.`),
    );
    const { rows: jobs } = await handle.client.query<{ file_id: string; kind: string }>(
      "select file_id, kind from ingest_jobs where id = $1",
      [done.job_id],
    );
    expect(jobs[0]).toEqual({ file_id: done.file_id, kind: "file" });
    // Nothing of the upload is left besides the file.
    const leftovers = await env.FILES.list({ prefix: `uploads/${(await tenantOf(owner)) ?? ""}/` });
    expect(leftovers.objects.filter((o) => o.key.includes(path.split("/").pop() ?? "-"))).toEqual([]);

    // Read back byte for byte, decrypted by the route every file uses.
    const content = await api(`/v1/files/${done.file_id}/content`, { headers: auth(token) });
    expect(content.status).toBe(200);
    // Compared by digest: an element-wise toEqual of 11 MB exhausts the test isolate's heap.
    expect(await sha256Hex(new Uint8Array(await content.arrayBuffer()))).toBe(await sha256Hex(bytes));

    // The same bytes as a single upload: the same file (same SHA-256), as for any re-upload.
    const single = await api("/v1/ingest/files?name=again.ndjson", {
      method: "POST",
      headers: { ...auth(token), "Content-Type": "application/fhir+ndjson" },
      body: bytes,
    });
    expect(single.status).toBe(200);
    expect(await json<FileAcceptedResponse>(single)).toMatchObject({ existing: true, file_id: done.file_id });

    // A completed upload takes no more bytes, and is not terminated (it is a file now).
    await expectProblem(await patch(path, bytes.length, new Uint8Array([1])), 409, "upload_offset_mismatch");
    await expectProblem(await api(path, { method: "DELETE", headers: { ...auth(token), ...TUS } }), 409, "conflict");
  });

  it("completes a small file in one PATCH into a single-put object, and de-duplicates a second upload", async () => {
    const bytes = fhirNdjson(70_000, 1);
    const path = await createdPath(bytes.length);
    expect((await patch(path, 0, bytes)).status).toBe(204);
    const first = await json<UploadResponse>(await api(path, { headers: auth(token) }));
    const again = await createdPath(bytes.length);
    expect((await patch(again, 0, bytes)).status).toBe(204);
    const second = await json<UploadResponse>(await api(again, { headers: auth(token) }));
    expect(second).toMatchObject({ status: "completed", file_id: first.file_id, job_id: null });
    const content = await api(`/v1/files/${first.file_id}/content`, { headers: auth(token) });
    expect(await sha256Hex(new Uint8Array(await content.arrayBuffer()))).toBe(await sha256Hex(bytes));
  });

  it("keeps the bytes up to Upload-Length and refuses the rest (413)", async () => {
    const bytes = fhirNdjson(1000, 2);
    const path = await createdPath(bytes.length);
    const extra = new Uint8Array(bytes.length + 5);
    extra.set(bytes);
    const res = await patch(path, 0, extra);
    await expectProblem(res, 413, "payload_too_large");
    expect(res.headers.get("Upload-Offset")).toBe(String(bytes.length));
  });

  it("terminates: DELETE removes the parts and the checkpoint; the upload is gone (410)", async () => {
    const bytes = fhirNdjson(6_000_000, 3);
    const path = await createdPath(bytes.length);
    await patch(path, 0, droppingBody(bytes.subarray(0, 5_500_000)));
    const id = path.split("/").pop() ?? "";
    const { rows } = await handle.client.query<{ r2_key: string; r2_upload_id: string; state: { checkpoint: string } }>(
      "select r2_key, r2_upload_id, state from uploads where id = $1",
      [id],
    );
    const row = rows[0];
    expect(row?.r2_upload_id).toBeTruthy();
    expect(await env.FILES.head(row?.state.checkpoint ?? "")).not.toBeNull();
    const res = await api(path, { method: "DELETE", headers: { ...auth(token), ...TUS } });
    expect(res.status).toBe(204);
    expect(res.headers.get("Tus-Resumable")).toBe("1.0.0");
    expect(await env.FILES.head(row?.state.checkpoint ?? "")).toBeNull();
    // An aborted multipart upload takes no more parts.
    const multipart = env.FILES.resumeMultipartUpload(row?.r2_key ?? "", row?.r2_upload_id ?? "");
    await expect(multipart.uploadPart(9, new Uint8Array(10))).rejects.toThrow();
    expect((await head(path)).status).toBe(410);
    await expectProblem(await patch(path, 5_500_000, new Uint8Array(1)), 410, "gone");
  });
});

describe("protocol errors", () => {
  it("refuses a missing or other tus version (412, Tus-Version)", async () => {
    const res = await api("/v1/uploads", {
      method: "POST",
      headers: { ...auth(token), "Tus-Resumable": "0.2.2", "Upload-Length": "10" },
    });
    await expectProblem(res, 412, "tus_version_unsupported");
    expect(res.headers.get("Tus-Version")).toBe("1.0.0");
    const path = await createdPath(10);
    const noVersion = await api(path, {
      method: "PATCH",
      headers: { ...auth(token), "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
      body: "0123456789",
    });
    await expectProblem(noVersion, 412, "tus_version_unsupported");
  });

  it("refuses a bad Upload-Length, deferred length, an empty or oversized file, a body, and bad metadata", async () => {
    for (const length of ["", "-1", "1e3", "abc"]) {
      const res = await api("/v1/uploads", {
        method: "POST",
        headers: { ...auth(token), ...TUS, "Upload-Length": length },
      });
      await expectProblem(res, 400, "validation_failed");
    }
    await expectProblem(
      await api("/v1/uploads", { method: "POST", headers: { ...auth(token), ...TUS, "Upload-Defer-Length": "1" } }),
      400,
      "validation_failed",
    );
    await expectProblem(await create(0), 400, "validation_failed");
    await expectProblem(await create(12_000_001), 413, "payload_too_large");
    await expectProblem(
      await api("/v1/uploads", {
        method: "POST",
        headers: { ...auth(token), ...TUS, "Upload-Length": "3" },
        body: "abc",
      }),
      400,
      "validation_failed",
    );
    for (const metadata of ["filename", "filename a b", `filename ${b64("a")},filename ${b64("b")}`, "filename !!!"]) {
      const res = await create(10, token, metadata);
      expect(res.status, metadata).toBe(metadata === "filename" ? 201 : 400);
    }
    await expectProblem(await create(10, token, `mapping ${b64("[1]")}`), 400, "validation_failed");
  });

  it("refuses a PATCH of another media type (415) or without Upload-Offset (400)", async () => {
    const path = await createdPath(10);
    await expectProblem(
      await patch(path, 0, "0123456789", token, { "Content-Type": "application/octet-stream" }),
      415,
      "unsupported_media_type",
    );
    const res = await api(path, {
      method: "PATCH",
      headers: { ...auth(token), ...TUS, "Content-Type": "application/offset+octet-stream" },
      body: "0123456789",
    });
    await expectProblem(res, 400, "validation_failed");
    expect(await offsetOf(path)).toBe(0);
  });

  it("refuses a second writer while a PATCH holds the upload (423)", async () => {
    const path = await createdPath(100);
    const id = path.split("/").pop();
    await handle.client.query(
      `update uploads set state = state || jsonb_build_object('lease_id', 'x', 'lease_until', (now() + interval '1 minute')::text) where id = $1`,
      [id],
    );
    await expectProblem(await patch(path, 0, new Uint8Array(100)), 423, "upload_locked");
    // A lease that ran out is taken over.
    await handle.client.query(
      `update uploads set state = state || jsonb_build_object('lease_until', (now() - interval '1 second')::text) where id = $1`,
      [id],
    );
    expect((await patch(path, 0, new Uint8Array(100))).status).toBe(204);
  });

  it("answers 410 for an expired upload", async () => {
    const path = await createdPath(100);
    await handle.client.query("update uploads set expires_at = now() - interval '1 second' where id = $1", [
      path.split("/").pop(),
    ]);
    await expectProblem(await patch(path, 0, new Uint8Array(100)), 410, "gone");
  });
});

describe("authorization", () => {
  it("needs a token with files:write", async () => {
    await expectProblem(
      await api("/v1/uploads", { method: "POST", headers: { ...TUS, "Upload-Length": "10" } }),
      401,
      "unauthorized",
    );
    await expectProblem(await create(10, readOnlyToken), 403, "forbidden");
    const path = await createdPath(10);
    await expectProblem(await patch(path, 0, "0123456789", readOnlyToken), 403, "forbidden");
    expect((await head(path, readOnlyToken)).status).toBe(403);
  });

  it("hides another person's upload, in this tenant or another (404)", async () => {
    const path = await createdPath(10);
    for (const bearer of [otherToken, foreignToken]) {
      expect((await head(path, bearer)).status).toBe(404);
      await expectProblem(await api(path, { headers: auth(bearer) }), 404, "not_found");
      await expectProblem(await patch(path, 0, "0123456789", bearer), 404, "not_found");
      await expectProblem(
        await api(path, { method: "DELETE", headers: { ...auth(bearer), ...TUS } }),
        404,
        "not_found",
      );
    }
    // Untouched by all of that.
    expect(await offsetOf(path)).toBe(0);
    expect((await patch(path, 0, "0123456789")).status).toBe(204);
  });
});

async function tenantOf(user: TestUser): Promise<string | undefined> {
  const { rows } = await handle.client.query<{ tenant_id: string }>("select tenant_id from users where id = $1", [
    user.id,
  ]);
  return rows[0]?.tenant_id;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
