/**
 * The expiry sweep of resumable uploads (tus 1.0 expiration extension, issue 15; docs/storage.md
 * "uploads"): an open upload whose `expires_at` passed (24 hours after its creation or its last PATCH)
 * has its R2 multipart upload aborted (which deletes its parts) and its sealed checkpoint deleted, then
 * is marked `expired`, so it answers 410. Runs in the exporter's hourly Cron, beside the other sweeps.
 */
import type { Database } from "@dfda/db";
import { expiredUploads, markUploadExpired } from "@dfda/db/repositories/uploads";

/** What the sweep needs of the files bucket (R2Bucket has it). */
export interface UploadBucket {
  resumeMultipartUpload(key: string, uploadId: string): { abort(): Promise<void> };
  delete(key: string): Promise<void>;
}

/**
 * Sweeps up to `limit` expired uploads per batch until none is left; returns how many were expired.
 * A failure on one upload is logged and leaves it open for the next run.
 */
export async function sweepExpiredUploads(db: Database, bucket: UploadBucket, now: Date, limit = 200): Promise<number> {
  let expired = 0;
  const failed = new Set<string>();
  for (;;) {
    const batch = (await expiredUploads(db, now, limit + failed.size)).filter((u) => !failed.has(u.id));
    if (batch.length === 0) return expired;
    for (const upload of batch) {
      try {
        if (upload.r2UploadId !== null) {
          // Aborting deletes every uploaded part; an upload R2 already dropped (after 7 days) is gone too.
          await bucket
            .resumeMultipartUpload(upload.r2Key, upload.r2UploadId)
            .abort()
            .catch((error: unknown) => {
              if (!/not.?found|NoSuchUpload/i.test(String(error))) throw error;
            });
        }
        const checkpoint = (upload.state as { checkpoint?: unknown }).checkpoint;
        if (typeof checkpoint === "string") await bucket.delete(checkpoint);
        if (await markUploadExpired(db, upload, now)) expired++;
      } catch (error) {
        failed.add(upload.id);
        const message = error instanceof Error ? error.message : String(error);
        console.error(JSON.stringify({ level: "error", event: "upload_expiry_failed", upload_id: upload.id, message }));
      }
    }
  }
}
