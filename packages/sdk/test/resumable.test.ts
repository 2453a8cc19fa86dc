/**
 * Resumable uploads (tus 1.0.0, packages/sdk/src/resumable.ts) against the running platform: a file sent
 * in slices, a connection that drops in the middle of a PATCH and is resumed from the offset the server
 * reports, an upload continued by its URL, and the stored bytes compared with the original.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baseUrl, LOCAL_CLIENT_ID, newPerson } from "../../../test/platform/fixtures";
import {
  DfdaClient,
  DfdaProblem,
  type Tokens,
  uploadMetadata,
  uploadPathResumable,
  uploadResumable,
} from "../src/node";

const SCOPE = "openid offline_access observations:read observations:write files:read files:write";

async function personClient(fetcher?: typeof fetch) {
  const person = await newPerson({ scope: SCOPE });
  const tokens: Tokens = { access_token: person.accessToken, token_type: "Bearer" };
  return new DfdaClient({ baseUrl, clientId: LOCAL_CLIENT_ID, tokens, ...(fetcher ? { fetch: fetcher } : {}) });
}

function heartCsv(rows: number, seed: number): string {
  const start = Date.parse("2026-05-01T00:00:00Z") + seed * 86_400_000;
  const lines = ["date,heart rate (bpm)"];
  for (let i = 0; i < rows; i++) lines.push(`${new Date(start + i * 60_000).toISOString()},${60 + (i % 30)}`);
  return `${lines.join("\n")}\n`;
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

describe("uploadResumable (tus 1.0.0)", () => {
  it("encodes Upload-Metadata as key base64(value) pairs of UTF-8", () => {
    expect(uploadMetadata({ filename: "Blutzucker ä.csv", filetype: "text/csv", mapping: undefined })).toBe(
      `filename ${Buffer.from("Blutzucker ä.csv").toString("base64")},filetype dGV4dC9jc3Y=`,
    );
  });

  it("sends a file in slices with progress, then follows its mapping", async () => {
    const client = await personClient();
    const csv = heartCsv(500, 1);
    const progress: number[] = [];
    const done = await uploadResumable(client, new Blob([csv], { type: "text/csv" }), {
      name: "slices.csv",
      chunkSize: 4096,
      onProgress: (sent) => progress.push(sent),
      wait: true,
    });
    expect(done).toMatchObject({
      status: "completed",
      offset: csv.length,
      length: csv.length,
      file_name: "slices.csv",
    });
    expect(done.job).toMatchObject({ status: "completed", counts: { stored: 500 } });
    expect(progress.at(-1)).toBe(csv.length);
    expect(progress.filter((p, i) => i > 0 && p % 4096 === 0 && p !== progress[i - 1]).length).toBeGreaterThanOrEqual(
      Math.floor(csv.length / 4096),
    );
    const file = await client.files.get(done.file_id ?? "");
    expect(file.sha256).toBe(sha256(csv));
  });

  it("resumes from the server's offset when the connection drops in the middle of a PATCH", async () => {
    let patches = 0;
    let dropped = false;
    // The network between this process and the platform breaks once, 40 KiB into the first PATCH body.
    const flaky: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === "PATCH") patches++;
      if (request.method !== "PATCH" || dropped || request.body === null) return fetch(request);
      dropped = true;
      let sent = 0;
      const reader = request.body.getReader();
      const breaking = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          sent += value.byteLength;
          if (sent > 40 * 1024) return controller.error(new TypeError("network connection lost"));
          controller.enqueue(value);
        },
      });
      return fetch(new Request(request, { body: breaking, duplex: "half" } as RequestInit));
    };
    const client = await personClient(flaky);
    const dir = mkdtempSync(join(tmpdir(), "dfda-tus-"));
    try {
      const path = join(dir, "big.csv");
      const csv = heartCsv(6000, 2);
      writeFileSync(path, csv);
      let created = "";
      const done = await uploadPathResumable(client, path, { onCreated: (url) => (created = url), wait: true });
      expect(dropped).toBe(true);
      expect(patches).toBeGreaterThanOrEqual(2);
      expect(done.url).toBe(created);
      expect(done).toMatchObject({ status: "completed", offset: csv.length, file_name: "big.csv" });
      expect(done.job?.counts.stored).toBe(6000);
      expect((await client.files.get(done.file_id ?? "")).sha256).toBe(sha256(csv));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("continues an upload by its URL from where the server stopped", async () => {
    const client = await personClient();
    const csv = heartCsv(300, 3);
    const blob = new Blob([csv]);
    // An earlier process created the upload and sent its first 2,000 bytes, then stopped.
    const first = await fetch(`${baseUrl}/v1/uploads`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${(await client.tokens()).access_token}`,
        "Tus-Resumable": "1.0.0",
        "Upload-Length": String(csv.length),
        "Upload-Metadata": uploadMetadata({ filename: "resumed.csv" }),
      },
    });
    expect(first.status).toBe(201);
    const url = new URL(first.headers.get("location") ?? "", baseUrl).toString();
    const patch = await fetch(url, {
      method: "PATCH",
      headers: {
        Authorization: `Bearer ${(await client.tokens()).access_token}`,
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
      },
      body: csv.slice(0, 2000),
    });
    expect(patch.status).toBe(204);
    const progress: number[] = [];
    const done = await uploadResumable(client, blob, {
      uploadUrl: url,
      onProgress: (s) => progress.push(s),
      wait: true,
    });
    expect(progress[0]).toBe(2000);
    expect(done).toMatchObject({ status: "completed", offset: csv.length, file_name: "resumed.csv" });
    expect(done.job?.counts.stored).toBe(300);
    expect((await client.files.get(done.file_id ?? "")).sha256).toBe(sha256(csv));
  });

  it("throws the server's problem for an upload that is not the caller's", async () => {
    const client = await personClient();
    const error = await uploadResumable(client, new Blob(["date,heart rate (bpm)\n"]), {
      uploadUrl: `${baseUrl}/v1/uploads/0193a0c1-5d6e-7f80-9a1b-2c3d4e5f6a7b`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DfdaProblem);
    expect(error).toMatchObject({ status: 404 });
  });
});
