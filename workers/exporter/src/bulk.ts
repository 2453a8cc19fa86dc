/**
 * One FHIR Bulk Data export (docs/fhir.md, "Bulk Data"; hl7.org/fhir/uv/bulkdata/export.html): claim
 * the job, look again at every participant's grants (one revoked or expired since kick-off no longer
 * counts; a person left with none is excluded), and write one NDJSON file per resource type: the
 * Patients, then their Observations narrowed to what the grants open and, with `_since`, to those
 * stored after it. A study's Group export names everyone by the study's pseudonym and leaves out what
 * the research path leaves out (observation, file and source identifiers, notes, free text). Files are
 * streamed through the vault's encryption into the exports bucket under a data key of the job's own,
 * wrapped by the master key. Running it again rebuilds it from the start, or does nothing once it is
 * finished or cancelled.
 */
import {
  type BulkExportMessage,
  type BulkExportType,
  BulkParticipant,
  fromWireScope,
  type WireGrantScope,
} from "@dfda/core";
import { type FhirCoding, fhirObservation, fhirPatient, pseudonymousObservation } from "@dfda/core/fhir";
import type { Database } from "@dfda/db";
import {
  type BulkOutputFile,
  bulkFileAad,
  bulkFileKey,
  claimBulkExport,
  completeBulkExport,
  failBulkExport,
  liveGrantIds,
  recordBulkProgress,
  setBulkExportKey,
} from "@dfda/db/repositories/bulk-exports";
import { variableCodings } from "@dfda/db/repositories/exports";
import { type ObservationSearch, ObservationSearcher } from "@dfda/db/repositories/observations-read";
import { generateDataKey, putEncrypted, type R2Like, wrapUserKey } from "@dfda/vault";
import { z } from "zod";
import type { ExporterEnv } from "../worker-configuration";
import { exporterConfig } from "./config";
import { iterableStream } from "./zip";

export interface BulkRunOptions {
  /** Observations read per query. */
  pageSize?: number;
  bucket?: R2Like;
  now?: () => Date;
}

export type BulkRunOutcome =
  | { status: "completed"; participants: number; output: BulkOutputFile[] }
  | { status: "skipped"; reason: "not_runnable" | "cancelled" }
  | { status: "failed"; reason: string };

const encoder = new TextEncoder();

/** A participant as the run sees them: the resource id they go by and what may be read. */
interface Included {
  userId: string;
  /** The id in the files: the study's pseudonym, or the user id. */
  patientId: string;
  pseudonymous: boolean;
  scope: "all" | WireGrantScope[];
}

/** The participants whose grants still hold, each narrowed to the grants still live. */
async function stillIncluded(
  db: Database,
  tenantId: string,
  participants: readonly BulkParticipant[],
): Promise<Included[]> {
  const grantIds = participants.flatMap((p) => (p.scope === "all" ? [] : p.scope.map((s) => s.grant_id)));
  const live = await liveGrantIds(db, tenantId, grantIds);
  const included: Included[] = [];
  for (const p of participants) {
    const scope = p.scope === "all" ? "all" : p.scope.filter((s) => live.has(s.grant_id));
    if (scope !== "all" && scope.length === 0) continue;
    included.push({
      userId: p.user_id,
      patientId: p.subject_id ?? p.user_id,
      pseudonymous: p.subject_id !== null,
      scope,
    });
  }
  return included;
}

/** One NDJSON file's lines, produced as they are read (one page of observations in memory). */
async function* typeLines(
  db: Database,
  job: { tenantId: string; studyId: string | null; since: Date | null; baseUrl: string },
  type: BulkExportType,
  participants: readonly Included[],
  counter: { count: number },
  pageSize: number,
  onParticipant: (index: number) => Promise<void>,
): AsyncGenerator<Uint8Array> {
  const codings = new Map<string, FhirCoding[]>();
  for (const [index, p] of participants.entries()) {
    if (type === "Patient") {
      counter.count += 1;
      yield encoder.encode(`${JSON.stringify(fhirPatient(p.patientId))}\n`);
    } else {
      const searcher = new ObservationSearcher(db, { tenantId: job.tenantId, userId: p.userId });
      const search: ObservationSearch = {
        sort: "_lastUpdated",
        ...(p.scope !== "all" && { scope: p.scope.map(fromWireScope) }),
        // Bulk Data `_since`: resources whose meta.lastUpdated is after the instant.
        ...(job.since !== null && {
          lastUpdated: [[{ prefix: "gt" as const, from: job.since, to: new Date(job.since.getTime() + 1) }]],
        }),
      };
      for (;;) {
        const page = await searcher.search(search, pageSize);
        let text = "";
        for (const row of page.rows) {
          let list = codings.get(row.variableId);
          if (list === undefined) {
            list = await variableCodings(db, job.tenantId, row.variableId);
            codings.set(row.variableId, list);
          }
          const resource = fhirObservation(row, { baseUrl: job.baseUrl, userId: p.patientId, codings: list });
          const line =
            p.pseudonymous && job.studyId !== null
              ? await pseudonymousObservation(resource, job.studyId, p.patientId)
              : resource;
          text += `${JSON.stringify(line)}\n`;
        }
        counter.count += page.rows.length;
        if (text !== "") yield encoder.encode(text);
        if (page.nextKey === null) break;
        const [key, id] = page.nextKey;
        if (key === undefined || id === undefined) break;
        search.after = { key, id };
      }
    }
    await onParticipant(index);
  }
}

/** Builds the Bulk Data export a message names. Throws on a transient failure (the queue retries). */
export async function runBulkExport(
  env: ExporterEnv,
  db: Database,
  message: BulkExportMessage,
  options: BulkRunOptions = {},
): Promise<BulkRunOutcome> {
  const now = options.now ?? (() => new Date());
  const record = await claimBulkExport(db, message.tenant_id, message.export_id);
  if (record === null) return { status: "skipped", reason: "not_runnable" };
  const parsed = z.array(BulkParticipant).safeParse(record.participants);
  if (!parsed.success) {
    // Written by the API after its decisions; a row that does not parse will not parse on a retry.
    await failBulkExport(db, record.tenantId, record.id, "The export's participants are not valid.");
    return { status: "failed", reason: "invalid_participants" };
  }
  const participants = await stillIncluded(db, record.tenantId, parsed.data);
  const config = exporterConfig(env);
  const dataKey = generateDataKey();
  // The files hold several people's data, so their key is wrapped by the master key itself, bound to
  // the tenant and the export (not to one person's key).
  const wrapped = await wrapUserKey(config.masterKeys, dataKey, { tenantId: record.tenantId, userId: record.id });
  await setBulkExportKey(db, record.tenantId, record.id, wrapped.wrapped);
  const bucket = options.bucket ?? env.EXPORTS;
  const job = { tenantId: record.tenantId, studyId: record.studyId, since: record.since, baseUrl: message.base_url };
  const output: BulkOutputFile[] = [];
  const total = participants.length * record.types.length;
  let done = 0;
  let cancelled = false;
  try {
    for (const type of record.types as BulkExportType[]) {
      const counter = { count: 0 };
      const key = bulkFileKey(record.tenantId, record.id, type);
      const lines = typeLines(db, job, type, participants, counter, options.pageSize ?? 1000, async () => {
        done += 1;
        if (!(await recordBulkProgress(db, record.tenantId, record.id, Math.min(done, total)))) cancelled = true;
      });
      const size = await putEncrypted(bucket, key, iterableStream(lines), dataKey, bulkFileAad(record.id, type));
      output.push({ type, key, count: counter.count, size });
      if (cancelled) break;
    }
  } finally {
    dataKey.fill(0);
  }
  const completed =
    !cancelled &&
    (await completeBulkExport(db, record.tenantId, record.id, {
      output,
      expiresAt: new Date(now().getTime() + config.linkTtlSeconds * 1000),
    }));
  if (!completed) {
    // Cancelled (or removed) while it was written: leave nothing behind.
    for (const file of output) await bucket.delete(file.key);
    return { status: "skipped", reason: "cancelled" };
  }
  return { status: "completed", participants: participants.length, output };
}
