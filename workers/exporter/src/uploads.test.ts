/**
 * The expiry sweep of resumable uploads against the real database and local R2: an open upload past
 * its expiry loses its multipart parts and its checkpoint and becomes `expired`; an unexpired one, and
 * a completed one, are left alone; a second run changes nothing.
 */
import { env } from "cloudflare:workers";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { findUpload, insertUpload } from "@dfda/db/repositories/uploads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExporterEnv } from "./run";
import { sweepExpiredUploads } from "./uploads";

const exporterEnv = env as unknown as ExporterEnv;
const NOW = new Date("2031-03-01T12:00:00Z");
let handle: DbHandle;
let tenantId: string;
let userId: string;

beforeAll(async () => {
  handle = await connect(exporterEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `up-${uuidv7().slice(-12)}`, name: "Uploads" })).id;
  userId = (
    await createUser(handle.db, { tenantId, email: `u-${uuidv7()}@example.org`, passwordHash: null, roles: [] })
  ).id;
});
afterAll(async () => handle.close());

/** An upload with one 5 MiB part in a real R2 multipart upload and a checkpoint object. */
async function uploadWithParts(expiresAt: Date, status: "open" | "completed" = "open") {
  const id = uuidv7();
  const r2Key = `ab/${userId}/fhir-r4/2031/03/01/${uuidv7()}.ndjson`;
  const multipart = await exporterEnv.FILES.createMultipartUpload(r2Key);
  await multipart.uploadPart(1, new Uint8Array(5 * 1024 * 1024));
  const checkpoint = `uploads/${tenantId}/${id}/checkpoint-5242880-x`;
  await exporterEnv.FILES.put(checkpoint, new Uint8Array([1, 2, 3]));
  await insertUpload(handle.db, {
    id,
    tenantId,
    userId,
    length: 20 * 1024 * 1024,
    r2Key,
    r2UploadId: multipart.uploadId,
    state: { checkpoint },
    expiresAt,
  });
  if (status === "completed") await handle.client.query("update uploads set status = 'completed' where id = $1", [id]);
  return { id, r2Key, uploadId: multipart.uploadId, checkpoint };
}

describe("sweepExpiredUploads", () => {
  it("aborts expired uploads' parts, deletes their checkpoints and marks them expired; leaves the rest", async () => {
    const expired = await uploadWithParts(new Date(NOW.getTime() - 1000));
    const live = await uploadWithParts(new Date(NOW.getTime() + 3_600_000));
    const done = await uploadWithParts(new Date(NOW.getTime() - 1000), "completed");

    expect(await sweepExpiredUploads(handle.db, exporterEnv.FILES, NOW)).toBeGreaterThanOrEqual(1);
    const scope = (id: string) => ({ tenantId, userId, id });
    expect((await findUpload(handle.db, scope(expired.id)))?.status).toBe("expired");
    expect(await exporterEnv.FILES.head(expired.checkpoint)).toBeNull();
    // An aborted multipart upload takes no more parts and cannot be completed.
    await expect(
      exporterEnv.FILES.resumeMultipartUpload(expired.r2Key, expired.uploadId).uploadPart(2, new Uint8Array(1)),
    ).rejects.toThrow();

    for (const kept of [live, done]) {
      expect(await exporterEnv.FILES.head(kept.checkpoint)).not.toBeNull();
      const part = await exporterEnv.FILES.resumeMultipartUpload(kept.r2Key, kept.uploadId).uploadPart(
        2,
        new Uint8Array(1),
      );
      expect(part.partNumber).toBe(2);
    }
    expect((await findUpload(handle.db, scope(live.id)))?.status).toBe("open");
    expect((await findUpload(handle.db, scope(done.id)))?.status).toBe("completed");

    expect(await sweepExpiredUploads(handle.db, exporterEnv.FILES, NOW)).toBe(0);
  });
});
