/**
 * The pipeline tests' harness (vitest project `pipeline`, test/pipeline.wrangler.toml): one tenant, a
 * person and a source in the real database; files stored in R2 exactly as the upload route stores them
 * (encrypted under a new file key, with their record); and a mapping job run through the mapper
 * Worker's real queue handler, whose commit travels through the real `dfda-ingest` queue to the ingest
 * Worker and the person's writer. Every pipeline test file opens one with `PipelineHarness.open`.
 *
 * @example
 * const h = await PipelineHarness.open("labs");
 * const job = await h.mapFile(await h.storeFile(hl7Text, "labs.hl7"));
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type FileMessage, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { newFileKey } from "@dfda/db/repositories/file-keys";
import { insertFile } from "@dfda/db/repositories/files";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { createJob, getJob, type Job } from "@dfda/db/repositories/jobs";
import { parseMasterKeyring, putEncrypted } from "@dfda/vault";
import mapper, { type MapperEnv } from "../src/index";

export const mapperEnv = env as unknown as MapperEnv;

/** The client the harness's jobs are written by (its source is `client-test-app`). */
export const TEST_CLIENT = "test-app";

/** How often and how long a job is looked at until it ends (the commit is asynchronous). */
const POLL_MS = 100;
const POLLS = 100;

export class PipelineHarness {
  /** How the queue handler settled the last message `mapFile` sent. */
  lastSettlement: { acks: number; retries: number } | null = null;

  private constructor(
    readonly handle: DbHandle,
    readonly tenantId: string,
    /** The person files are stored for and mapped into; `newPerson` moves on to another. */
    public userId: string,
    readonly sourceId: string,
  ) {}

  /** A new tenant (slug `<prefix>-…`), a person in it and the test client's source. */
  static async open(prefix: string): Promise<PipelineHarness> {
    const handle = await connect(mapperEnv.HYPERDRIVE.connectionString);
    const tenantId = (await createTenant(handle.db, { slug: `${prefix}-${uuidv7().slice(-8)}`, name: prefix })).id;
    const sourceId = await clientSource(handle.db, tenantId, TEST_CLIENT, "Test app");
    const harness = new PipelineHarness(handle, tenantId, "", sourceId);
    await harness.newPerson();
    return harness;
  }

  /** A new person of the tenant, who from now on owns the files stored and mapped. */
  async newPerson(): Promise<string> {
    this.userId = (
      await createUser(this.handle.db, {
        tenantId: this.tenantId,
        email: `p-${uuidv7()}@example.org`,
        passwordHash: null,
        roles: ["data_owner"],
      })
    ).id;
    return this.userId;
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  /** Stores `content` as the upload route does: encrypted under a new file key, with its record. */
  async storeFile(content: string | Uint8Array, name: string, contentType: string | null = null): Promise<string> {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    return this.store(new Blob([bytes]).stream(), name, contentType, () => bytes.byteLength);
  }

  /**
   * Stores a generated file as the upload route does, streamed: `head`, then `piece(i)` for i = 0, 1 …
   * until `total` bytes, then `tail`, never whole in memory. Returns the file and how many pieces it has.
   */
  async storeGenerated(
    name: string,
    total: number,
    head: string,
    piece: (i: number) => string,
    tail: string,
  ): Promise<{ fileId: string; pieces: number }> {
    const encoder = new TextEncoder();
    let size = 0;
    let pieces = 0;
    let done = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (done) {
          controller.close();
          return;
        }
        let text = size === 0 ? head : "";
        while (size + text.length < total && text.length < 256 * 1024) text += piece(pieces++);
        if (size + text.length >= total) {
          text += tail;
          done = true;
        }
        const bytes = encoder.encode(text);
        size += bytes.byteLength;
        controller.enqueue(bytes);
      },
    });
    const fileId = await this.store(stream, name, null, () => size);
    return { fileId, pieces };
  }

  private async store(
    stream: ReadableStream<Uint8Array>,
    name: string,
    contentType: string | null,
    sizeAfter: () => number,
  ): Promise<string> {
    const fileId = uuidv7();
    const keyring = parseMasterKeyring(mapperEnv.AUTH_MASTER_KEYS, mapperEnv.AUTH_MASTER_KEY_ID);
    const key = await newFileKey(this.handle.db, keyring, { tenantId: this.tenantId, userId: this.userId, fileId });
    const r2Key = `test/${this.userId}/${fileId}`;
    await putEncrypted(mapperEnv.FILES, r2Key, stream, key.dataKey, fileId);
    await insertFile(this.handle.db, {
      id: fileId,
      tenantId: this.tenantId,
      userId: this.userId,
      sourceId: this.sourceId,
      originalName: name,
      contentType,
      format: "unknown",
      sizeBytes: sizeAfter(),
      sha256: fileId,
      r2Key,
      keyVersion: key.keyVersion,
      wrappedKey: key.wrappedKey,
      status: "stored",
      mapping: null,
    });
    return fileId;
  }

  /**
   * Runs a mapping job for the file through the mapper's queue handler and waits until it ends. `send`
   * may change the message first (a malformed one).
   */
  async mapFile(fileId: string, send: (message: FileMessage) => unknown = (m) => m): Promise<Job> {
    const { job } = await createJob(this.handle.db, {
      tenantId: this.tenantId,
      userId: this.userId,
      clientId: TEST_CLIENT,
      actorUserId: this.userId,
      sourceId: this.sourceId,
      kind: "file",
      fileId,
      idempotencyKey: null,
      requestHash: null,
      received: 0,
    });
    const message: FileMessage = {
      v: 1,
      type: "map_file",
      job_id: job.id,
      tenant_id: this.tenantId,
      user_id: this.userId,
      actor_user_id: this.userId,
      client_id: TEST_CLIENT,
      file_id: fileId,
      source_id: this.sourceId,
    };
    const batch = createMessageBatch("dfda-files", [
      { id: uuidv7(), timestamp: new Date(), attempts: 1, body: send(message) },
    ]);
    const ctx = createExecutionContext();
    await mapper.queue(batch, mapperEnv);
    const result = await getQueueResult(batch, ctx);
    this.lastSettlement = { acks: result.explicitAcks.length, retries: result.retryMessages.length };
    // The commit travels through the real dfda-ingest queue to the ingest Worker.
    return this.waitForJob(job.id);
  }

  /** Waits until a job has finished (a commit or a re-map travels through the real dfda-ingest queue). */
  async waitForJob(jobId: string): Promise<Job> {
    for (let i = 0; i < POLLS; i++) {
      const current = await getJob(this.handle.db, this.tenantId, jobId);
      if (current && current.status !== "queued" && current.status !== "processing") return current;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new Error(`job ${jobId} did not finish`);
  }
}
