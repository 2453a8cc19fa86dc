/**
 * Retention: how long a tenant keeps each kind of record, and where raw vendor responses live so the
 * retention sweep (the exporter Worker's Cron) can find them. docs/retention.md describes the policy.
 */
import { z } from "zod";

/** The longest period an administrator may set: 100 years, in days. */
export const MAX_RETENTION_DAYS = 36_525;

const Days = z.number().int().min(1).max(MAX_RETENTION_DAYS).nullable();

/**
 * A tenant's retention periods in days; `null` keeps that kind of record for ever, which is the
 * default for every kind (no surprise deletion).
 */
export const RetentionPolicy = z.object({
  /** Originals of uploaded files in R2; the observations mapped from them stay. */
  raw_files_days: Days,
  /** Raw vendor responses stored by connectors (`vendorResponseKey`). */
  vendor_responses_days: Days,
  /** Issues of finished ingest jobs (`ingest_issues` rows). */
  job_issues_days: Days,
  /** The access log (audit log): archived to R2 with a signed checkpoint, then deleted. */
  access_log_days: Days,
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

/** Keeps everything: the policy of a tenant whose administrator set none. */
export const KEEP_EVERYTHING: RetentionPolicy = {
  raw_files_days: null,
  vendor_responses_days: null,
  job_issues_days: null,
  access_log_days: null,
};

/** Prefix of every raw vendor response of a tenant in the `dfda-files` bucket. */
export function vendorResponsePrefix(tenantId: string): string {
  return `vendor-responses/${tenantId}/`;
}

/**
 * The R2 key (bucket `dfda-files`) under which a connector stores one raw vendor response:
 * `vendor-responses/{tenant_id}/{yyyy-mm-dd}/{user_id}/{connector}/{response_id}`, the day being the UTC
 * day it was fetched. The day comes right after the tenant so that a listing of the tenant's prefix
 * runs oldest first and the sweep stops at the first day it must keep. Connectors encrypt the body
 * with the person's key (packages/vault), so erasing a person leaves their responses unreadable.
 *
 * @example
 * vendorResponseKey({ tenantId, userId, connector: "fitbit", fetchedAt: new Date(), responseId: uuidv7() })
 * // "vendor-responses/0193…/2026-12-06/0193…/fitbit/0193…"
 */
export function vendorResponseKey(parts: {
  tenantId: string;
  userId: string;
  connector: string;
  fetchedAt: Date;
  responseId: string;
}): string {
  const day = parts.fetchedAt.toISOString().slice(0, 10);
  return `${vendorResponsePrefix(parts.tenantId)}${day}/${parts.userId}/${parts.connector}/${parts.responseId}`;
}

/** The fetch day (`yyyy-mm-dd`) a vendor response key names, or null for a key not of that shape. */
export function vendorResponseDay(key: string): string | null {
  const day = /^vendor-responses\/[^/]+\/(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
  return day ?? null;
}

/** The instant before which records of a kind kept `days` days are due, as of `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
