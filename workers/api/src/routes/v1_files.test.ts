/**
 * Raw files through the real API Worker: streamed multipart and raw uploads, encrypted at rest in R2,
 * de-duplicated by SHA-256, listed, downloaded byte for byte, reprocessed, deleted; and every route's
 * authorization (owner only, scopes, tenants), a shredded key (410) and a tampered object.
 */
import { env } from "cloudflare:workers";
import f001 from "@corpus/01-fhir-r4/hl7-r4-examples/Observation-f001.json?raw";
import { connect, type DbHandle } from "@dfda/db";
import { shredUserKeys } from "@dfda/db/repositories/files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import type { FileResponse } from "../lib/files";
import { MultipartReader } from "../lib/multipart";
import type { FileColumnsResponse } from "./v1_files_columns_get";
import type { FileListResponse } from "./v1_files_list";
import type { FileAcceptedResponse } from "./v1_ingest_files_create";

let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;
let owner: TestUser;
let token: string;
let other: TestUser;
let otherToken: string;
let foreignClient: TestClient;
let foreignUser: TestUser;
let foreignToken: string;
let readOnlyToken: string;

beforeAll(async () => {
  handle = await connect(env.HYPERDRIVE.connectionString);
  tenant = await makeTenant();
  // First-party: deleting a file needs the person themselves in one of the platform's own apps
  // (personPresent.test.ts covers the third-party refusal); each delete uses a fresh sign-in.
  client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "files:read", "files:write", "observations:write"],
    firstParty: true,
  });
  owner = await makeUser(tenant);
  token = await userToken(client, owner, "files:read files:write");
  other = await makeUser(tenant);
  otherToken = await userToken(client, other, "files:read files:write");
  readOnlyToken = await userToken(client, owner, "files:read");
  const foreign = await makeTenant();
  foreignClient = await makeClient(foreign, {
    type: "public",
    scopes: ["openid", "files:read", "files:write"],
    firstParty: true,
  });
  foreignUser = await makeUser(foreign);
  foreignToken = await userToken(foreignClient, foreignUser, "files:read files:write");
});
afterAll(async () => handle.close());

const auth = (bearer: string) => ({ Authorization: `Bearer ${bearer}` });

function multipart(parts: Array<{ name: string; filename?: string; type?: string; body: string | Uint8Array }>) {
  const boundary = `----dfda${crypto.randomUUID()}`;
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ""}`;
    chunks.push(
      enc.encode(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`,
      ),
    );
    chunks.push(typeof p.body === "string" ? enc.encode(p.body) : p.body);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  return { body: new Blob(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /v1/ingest/files with a body of the given type; `query` carries `?name=` for a raw body. */
function postFile(body: BodyInit, contentType: string, bearer = token, query = ""): Promise<Response> {
  return api(`/v1/ingest/files${query}`, {
    method: "POST",
    headers: { ...auth(bearer), "Content-Type": contentType },
    body,
  });
}

async function upload(text: string, name: string, bearer = token): Promise<Response> {
  const form = multipart([{ name: "file", filename: name, type: "application/fhir+json", body: text }]);
  return postFile(form.body, form.contentType, bearer);
}

describe("POST /v1/ingest/files", () => {
  it("stores a multipart upload encrypted, detects its format and queues it for mapping", async () => {
    const res = await upload(f001, "Observation-f001.json");
    expect(res.status, await res.clone().text()).toBe(202);
    const body = await json<FileAcceptedResponse>(res);
    expect(body).toMatchObject({
      existing: false,
      file: {
        name: "Observation-f001.json",
        format: "fhir-r4",
        status: "stored",
        size_bytes: new TextEncoder().encode(f001).byteLength,
      },
    });
    expect(body.job_id).not.toBeNull();
    const { rows } = await handle.client.query<{ r2_key: string; sha256: string }>(
      "select r2_key, sha256 from files where id = $1",
      [body.file_id],
    );
    const stored = await env.FILES.get(rows[0]?.r2_key ?? "");
    const bytes = new Uint8Array(await (stored?.arrayBuffer() ?? Promise.resolve(new ArrayBuffer(0))));
    // Ciphertext only: nothing of the original is readable in R2.
    expect(new TextDecoder().decode(bytes)).not.toContain("15074-8");
    expect(rows[0]?.r2_key).toMatch(
      new RegExp(`^[0-9a-f]{2}/${owner.id}/fhir-r4/\\d{4}/\\d{2}/\\d{2}/${body.file_id}\\.json$`),
    );
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(f001)));
    expect(rows[0]?.sha256).toBe(Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
  });

  it("returns the existing file when the same bytes are uploaded again", async () => {
    const first = await json<FileAcceptedResponse>(await upload(`${f001}\n`, "a.json"));
    const again = await upload(`${f001}\n`, "b.json");
    expect(again.status).toBe(200);
    expect(await json<FileAcceptedResponse>(again)).toMatchObject({
      file_id: first.file_id,
      existing: true,
      job_id: null,
    });
  });

  it("leaves nothing in R2 when an upload is refused after its bytes were stored", async () => {
    const person = await makeUser(tenant);
    const bearer = await userToken(client, person, "files:read files:write");
    const csv = "time,Weight (kg)\n2026-01-01T08:00:00Z,80\n";
    // A mapping that is not one, after the file.
    const badMapping = multipart([
      { name: "file", filename: "w.csv", body: csv },
      { name: "mapping", body: '{"Weight (kg)": {"variable_id": "not-a-uuid"}}' },
    ]);
    // The file part complete, then a field cut off inside its headers: the body ends early.
    const boundary = "----dfda-truncated";
    const truncated =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="w.csv"\r\n\r\n${csv}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; na`;
    for (const upload of [
      { body: badMapping.body, contentType: badMapping.contentType },
      { body: truncated, contentType: `multipart/form-data; boundary=${boundary}` },
    ]) {
      await expectProblem(await postFile(upload.body, upload.contentType, bearer), 400, "validation_failed");
    }
    const listed = await env.FILES.list();
    expect(listed.objects.filter((o) => o.key.includes(`/${person.id}/`))).toEqual([]);
    const { rows } = await handle.client.query("select id from files where user_id = $1", [person.id]);
    expect(rows).toEqual([]);
  });

  it("takes a raw body named by ?name, and keeps a format no mapper knows", async () => {
    const res = await postFile("private notes, no health format", "application/octet-stream", token, "?name=notes.xyz");
    expect(res.status).toBe(202);
    expect((await json<FileAcceptedResponse>(res)).file).toMatchObject({ name: "notes.xyz", format: "unknown" });
  });

  it("rejects an empty file, a form without a file, and a bad mapping", async () => {
    await expectProblem(await postFile("", "text/csv", token, "?name=x"), 400, "validation_failed");
    const noFile = multipart([{ name: "mapping", body: "{}" }]);
    await expectProblem(await postFile(noFile.body, noFile.contentType), 400, "validation_failed");
    const badMapping = multipart([
      { name: "file", filename: "w.csv", body: "time,Weight (kg)\n2026-01-01T08:00:00Z,80\n" },
      { name: "mapping", body: '{"Weight (kg)": {"variable_id": "not-a-uuid"}}' },
    ]);
    await expectProblem(await postFile(badMapping.body, badMapping.contentType), 400, "validation_failed");
  });

  it("streams a file larger than one R2 part through a multipart upload, and back", async () => {
    // 9 MiB of CSV-like lines: more than one 8 MiB upload part once encrypted.
    const line = "2026-01-01T00:00:00Z,72\n";
    const text = `time,heart rate\n${line.repeat(Math.ceil((9 * 1024 * 1024) / line.length))}`;
    const res = await postFile(new Blob([text]).stream(), "text/csv", token, "?name=big.csv");
    expect(res.status, await res.clone().text()).toBe(202);
    const { file_id, file } = await json<FileAcceptedResponse>(res);
    expect(file).toMatchObject({ format: "csv", size_bytes: text.length });
    const { rows } = await handle.client.query<{ r2_key: string }>("select r2_key from files where id = $1", [file_id]);
    const head = await env.FILES.head(rows[0]?.r2_key ?? "");
    expect(head?.size).toBeGreaterThan(8 * 1024 * 1024);
    const back = await api(`/v1/files/${file_id}/content`, { headers: auth(token) });
    expect(back.headers.get("content-length")).toBe(String(text.length));
    expect(await back.text()).toBe(text);
  });

  it("refuses a file over the size limit with 413", async () => {
    const limit = Number(env.MAX_UPLOAD_BYTES);
    const big = new Uint8Array(limit + 1).fill(65);
    const res = await postFile(new Blob([big]).stream(), "text/plain", token, "?name=big.txt");
    await expectProblem(res, 413, "payload_too_large");
  });

  it("needs files:write and a person", async () => {
    await expectProblem(await upload(f001, "x.json", readOnlyToken), 403, "forbidden");
    await expectProblem(await api("/v1/ingest/files", { method: "POST", body: f001 }), 401, "unauthorized");
  });
});

describe("reading, downloading, reprocessing and deleting files", () => {
  let fileId: string;
  beforeAll(async () => {
    fileId = (await json<FileAcceptedResponse>(await upload(`${f001}\n\n`, "mine.json"))).file_id;
  });

  it("lists and shows the owner's files, and nobody else's", async () => {
    const list = await json<FileListResponse>(await api("/v1/files?limit=2", { headers: auth(token) }));
    expect(list.data).toHaveLength(2);
    expect(list.next_cursor).not.toBeNull();
    const next = await json<FileListResponse>(
      await api(`/v1/files?limit=200&cursor=${encodeURIComponent(list.next_cursor ?? "")}`, { headers: auth(token) }),
    );
    const ids = [...list.data, ...next.data].map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(fileId);
    const theirs = await json<FileListResponse>(await api("/v1/files", { headers: auth(otherToken) }));
    expect(theirs.data.map((f) => f.id)).not.toContain(fileId);
    const one = await json<FileResponse>(await api(`/v1/files/${fileId}`, { headers: auth(token) }));
    expect(one).toMatchObject({ id: fileId, name: "mine.json", format: "fhir-r4" });
    // A delete needs a recent sign-in, so each of the others signs in again for it.
    const others: Array<[string, () => Promise<string>]> = [
      [otherToken, () => userToken(client, other, "files:write")],
      [foreignToken, () => userToken(foreignClient, foreignUser, "files:write")],
    ];
    for (const [bearer, signIn] of others) {
      await expectProblem(await api(`/v1/files/${fileId}`, { headers: auth(bearer) }), 404, "not_found");
      await expectProblem(await api(`/v1/files/${fileId}/content`, { headers: auth(bearer) }), 404, "not_found");
      await expectProblem(
        await api(`/v1/files/${fileId}/reprocess`, { method: "POST", headers: auth(bearer) }),
        404,
        "not_found",
      );
      await expectProblem(
        await api(`/v1/files/${fileId}`, { method: "DELETE", headers: auth(await signIn()) }),
        404,
        "not_found",
      );
    }
    await expectProblem(
      await api(`/v1/files/${fileId}`, { method: "DELETE", headers: auth(readOnlyToken) }),
      403,
      "forbidden",
    );
    await expectProblem(await api(`/v1/files/${fileId}`), 401, "unauthorized");
  });

  it("downloads the original byte for byte", async () => {
    const res = await api(`/v1/files/${fileId}/content`, { headers: auth(token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain('filename="mine.json"');
    expect(await res.text()).toBe(`${f001}\n\n`);
  });

  it("queues a reprocess as a new job", async () => {
    const res = await api(`/v1/files/${fileId}/reprocess`, { method: "POST", headers: auth(token) });
    expect(res.status).toBe(202);
    const body = await json<{ job_id: string; file_id: string }>(res);
    expect(body.file_id).toBe(fileId);
    const job = await api(`/v1/ingest/jobs/${body.job_id}`, {
      headers: auth(await userToken(client, owner, "observations:write")),
    });
    expect(await json<{ kind: string; status: string }>(job)).toMatchObject({ kind: "file", status: "queued" });
  });

  it("fails a download of a tampered object instead of serving altered bytes", async () => {
    const id = (await json<FileAcceptedResponse>(await upload(`${f001} `, "t.json"))).file_id;
    const { rows } = await handle.client.query<{ r2_key: string }>("select r2_key from files where id = $1", [id]);
    const key = rows[0]?.r2_key ?? "";
    const bytes = new Uint8Array(
      await ((await env.FILES.get(key))?.arrayBuffer() ?? Promise.resolve(new ArrayBuffer(0))),
    );
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 1;
    await env.FILES.put(key, bytes);
    const res = await api(`/v1/files/${id}/content`, { headers: auth(token) });
    await expect(res.text()).rejects.toThrow();
  });

  it("deletes the file, its record and its object", async () => {
    const id = (await json<FileAcceptedResponse>(await upload(`${f001}   `, "d.json"))).file_id;
    const { rows } = await handle.client.query<{ r2_key: string }>("select r2_key from files where id = $1", [id]);
    const fresh = await userToken(client, owner, "files:read files:write");
    const res = await api(`/v1/files/${id}`, { method: "DELETE", headers: auth(fresh) });
    expect(res.status).toBe(204);
    expect(await env.FILES.head(rows[0]?.r2_key ?? "")).toBeNull();
    await expectProblem(await api(`/v1/files/${id}`, { headers: auth(token) }), 404, "not_found");
  });

  it("answers 410 once the owner's key is shredded", async () => {
    const shredded = await makeUser(tenant);
    const shreddedToken = await userToken(client, shredded, "files:read files:write");
    const id = (await json<FileAcceptedResponse>(await upload(f001, "s.json", shreddedToken))).file_id;
    await shredUserKeys(handle.db, tenant.id, shredded.id);
    await expectProblem(await api(`/v1/files/${id}/content`, { headers: auth(shreddedToken) }), 410, "gone");
  });
});

describe("confirming a CSV file's columns", () => {
  it("shows the suggestions, validates and saves a mapping, and reprocesses the file", async () => {
    const form = multipart([
      {
        name: "file",
        filename: "log.csv",
        type: "text/csv",
        body: "Date,Weight (kg),Gewicht\n2026-02-01T07:00:00Z,80.2,80.2\n",
      },
    ]);
    const uploaded = await json<FileAcceptedResponse>(await postFile(form.body, form.contentType));
    expect(uploaded.file.format).toBe("csv");
    const path = `/v1/files/${uploaded.file_id}/columns`;
    const columns = await json<FileColumnsResponse>(await api(path, { headers: auth(token) }));
    expect(columns.headers).toEqual(["Date", "Weight (kg)", "Gewicht"]);
    expect(columns.saved_mapping).toBeNull();
    const byHeader = new Map(columns.columns.map((col) => [col.header, col]));
    expect(byHeader.get("Date")?.role).toBe("time");
    expect(byHeader.get("Weight (kg)")).toMatchObject({
      role: "measurement",
      unit: "kg",
      variable: { canonical_unit: "kg" },
    });
    expect(byHeader.get("Gewicht")?.role).toBe("unmatched");
    const weightId = byHeader.get("Weight (kg)")?.variable?.id ?? "";

    const put = (mapping: unknown, bearer = token) =>
      api(path, {
        method: "PUT",
        headers: { ...auth(bearer), "Content-Type": "application/json" },
        body: JSON.stringify({ mapping }),
      });
    const badHeader = await expectProblem(await put({ Mass: { variable_id: weightId } }), 400, "validation_failed");
    expect(badHeader.errors?.[0]?.pointer).toBe("/mapping/Mass");
    await expectProblem(await put({ Gewicht: { variable_id: crypto.randomUUID() } }), 400, "validation_failed");
    await expectProblem(await put({ Gewicht: { variable_id: weightId } }, readOnlyToken), 403, "forbidden");
    await expectProblem(await put({ Gewicht: { variable_id: weightId } }, otherToken), 404, "not_found");
    await expectProblem(await api(path, { headers: auth(otherToken) }), 404, "not_found");

    const saved = await put({ Gewicht: { variable_id: weightId, unit: "kg" }, "Weight (kg)": { variable_id: null } });
    expect(saved.status).toBe(202);
    expect(await json<{ signature: string; job_id: string }>(saved)).toMatchObject({ signature: columns.signature });
    const again = await json<FileColumnsResponse>(await api(path, { headers: auth(token) }));
    expect(again.saved_mapping).toEqual({
      Gewicht: { variable_id: weightId, unit: "kg" },
      "Weight (kg)": { variable_id: null },
    });
  });
});

describe("the multipart reader", () => {
  it("reads parts split anywhere, one byte at a time", async () => {
    const form = multipart([
      { name: "note", body: "hello" },
      { name: "file", filename: "a.csv", type: "text/csv", body: "a,b\r\n--not-a-boundary\r\n1,2" },
      { name: "mapping", body: "{}" },
    ]);
    const all = new Uint8Array(await form.body.arrayBuffer());
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= all.length) controller.close();
        else controller.enqueue(all.slice(i, ++i));
      },
    });
    const reader = new MultipartReader(stream, form.contentType.split("boundary=")[1] ?? "", {
      names: ["note", "file", "mapping"],
    });
    expect(await reader.next()).toEqual({ name: "note", filename: null, contentType: null });
    expect(await reader.text(100)).toBe("hello");
    expect(await reader.next()).toEqual({ name: "file", filename: "a.csv", contentType: "text/csv" });
    expect(await reader.text(100)).toBe("a,b\r\n--not-a-boundary\r\n1,2");
    expect((await reader.next())?.name).toBe("mapping");
    expect(await reader.text(100)).toBe("{}");
    expect(await reader.next()).toBeNull();
  });
});
