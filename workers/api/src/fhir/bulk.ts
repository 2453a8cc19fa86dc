/**
 * FHIR Bulk Data Access 2.0 (hl7.org/fhir/uv/bulkdata/export.html): `Patient/$export` and
 * `Group/{id}/$export` with the asynchronous request pattern. The kick-off (GET, or POST with a
 * Parameters resource) needs `Prefer: respond-async`, asks each person's Durable Object whether the
 * caller may read them now (written to their access log), stores those decisions in a job and queues it
 * for the exporter Worker; the answer is 202 with the status URL in `Content-Location`. The status URL
 * answers 202 with `X-Progress` and `Retry-After` while the job runs, 200 with the manifest once it is
 * complete, an OperationOutcome when it failed; DELETE cancels it. Files are served with the access
 * token (`requiresAccessToken: true`) to the client (and person) that started the export, no one else.
 *
 * Who is in an export: for a person's token, themselves; for a client acting for itself (client
 * credentials, SMART Backend Services), the people whose live grants name the client; for a study's
 * Group (the Group id is the study id), its participants with a live study grant, under the study's
 * pseudonyms, for the study's researchers.
 */
import { ApiError, BULK_EXPORT_TYPES, type BulkExportMessage, type BulkParticipant, uuidv7 } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import {
  type BulkOutputFile,
  bulkExportFor,
  bulkFileAad,
  cancelBulkExport,
  createBulkExport,
  deleteBulkExport,
} from "@dfda/db/repositories/bulk-exports";
import { listHeldConsents } from "@dfda/db/repositories/consents";
import { findStudy, isStudyMember, studyParticipants } from "@dfda/db/repositories/studies";
import { getDecrypted, unwrapUserKey } from "@dfda/vault";
import type { Context, Hono } from "hono";
import { askOwner } from "../lib/access";
import { requireAccess } from "../lib/auth";
import { fieldError } from "../lib/problem";
import type { AppEnv } from "../lib/types";
import { fhirJson } from "./outcome";
import { caller, fhirBase, readRequirement } from "./resources";
import { UUID } from "./search";

/** The people one export may cover: each is one Durable Object decision at kick-off. */
export const MAX_BULK_PARTICIPANTS = 1000;
/** Seconds a client is asked to wait between status requests. */
export const BULK_RETRY_AFTER_SECONDS = 5;
/** Bulk Data `_outputFormat` values meaning NDJSON (export.html, "Query Parameters"). */
const NDJSON_FORMATS = new Set(["application/fhir+ndjson", "application/ndjson", "ndjson"]);
const PARAMETERS = new Set(["_outputFormat", "_since", "_type"]);
/** An R4 instant (datatypes.html#instant): a time with seconds and a zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const NDJSON = "application/fhir+ndjson";

interface KickOff {
  types: string[];
  since: Date | null;
}

function invalid(name: string, message: string, detail: string): ApiError {
  return new ApiError("validation_failed", { detail, errors: [fieldError("query", [name], message)] });
}

/** The kick-off's parameters: the query of a GET, or the Parameters resource of a POST. */
async function kickOffParameters(c: Context<AppEnv>): Promise<Map<string, string[]>> {
  const params = new Map<string, string[]>();
  const add = (name: string, value: string) => params.set(name, [...(params.get(name) ?? []), value]);
  if (c.req.method === "POST") {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError("malformed_body", { detail: "The body must be a FHIR Parameters resource (JSON)." });
    }
    const resource = body as { resourceType?: unknown; parameter?: unknown };
    if (resource?.resourceType !== "Parameters" || !Array.isArray(resource.parameter ?? [])) {
      throw new ApiError("malformed_body", { detail: "The body must be a FHIR Parameters resource." });
    }
    for (const p of (resource.parameter ?? []) as Array<Record<string, unknown>>) {
      const value = p.valueString ?? p.valueInstant ?? p.valueCode;
      if (typeof p.name !== "string" || typeof value !== "string") {
        throw new ApiError("malformed_body", {
          detail: "Each parameter needs a name and a string, code or instant value.",
        });
      }
      add(p.name, value);
    }
  } else {
    for (const [name, value] of new URL(c.req.url).searchParams) add(name, value);
  }
  return params;
}

/**
 * Reads `_outputFormat`, `_since` and `_type`; refuses any other parameter (like the FHIR searches,
 * this server is strict: `Prefer: handling=lenient` is not honoured), a second value, an output format
 * other than NDJSON and a type other than Patient or Observation.
 */
function parseKickOff(params: Map<string, string[]>): KickOff {
  for (const [name, values] of params) {
    if (!PARAMETERS.has(name)) {
      throw invalid(name, "Unsupported parameter", `Unsupported $export parameter ${name}.`);
    }
    if (values.length > 1) throw invalid(name, "Given more than once", `${name} may be given once.`);
  }
  const format = params.get("_outputFormat")?.[0];
  if (format !== undefined && !NDJSON_FORMATS.has(format)) {
    throw invalid("_outputFormat", "Unsupported format", "_outputFormat must be application/fhir+ndjson.");
  }
  const rawSince = params.get("_since")?.[0];
  let since: Date | null = null;
  if (rawSince !== undefined) {
    since = new Date(rawSince);
    if (!INSTANT.test(rawSince) || Number.isNaN(since.getTime())) {
      throw invalid("_since", "Not an instant", "_since must be a FHIR instant (e.g. 2026-03-01T00:00:00Z).");
    }
  }
  const rawTypes = params.get("_type")?.[0];
  const types = rawTypes === undefined ? [...BULK_EXPORT_TYPES] : rawTypes.split(",").map((t) => t.trim());
  const unsupported = types.filter((t) => !(BULK_EXPORT_TYPES as readonly string[]).includes(t));
  if (unsupported.length > 0 || types.length === 0) {
    throw invalid(
      "_type",
      "Unsupported resource type",
      `Unsupported _type ${unsupported.join(", ")}: this server exports ${BULK_EXPORT_TYPES.join(" and ")}.`,
    );
  }
  return { types: [...new Set(types)], since };
}

/** Export.html: the kick-off is asynchronous only; without the header it is refused. */
function requireRespondAsync(c: Context<AppEnv>): void {
  const prefer = c.req.header("Prefer") ?? "";
  if (!prefer.split(/[,;]/).some((p) => p.trim().toLowerCase() === "respond-async")) {
    throw new ApiError("validation_failed", {
      detail: "A $export request needs the header Prefer: respond-async.",
      errors: [fieldError("header", ["Prefer"], "Must be respond-async")],
    });
  }
}

/** The people a Patient-level export covers, each allowed by their Durable Object now. */
async function patientParticipants(c: Context<AppEnv>): Promise<BulkParticipant[]> {
  const principal = caller(c);
  // A person's token exports the person (Bulk Data for a patient-facing app): their own record.
  if (principal.kind === "user") return [{ user_id: principal.userId, subject_id: null, scope: "all" }];
  const db = await c.var.db();
  const owners = new Set<string>();
  let afterId: string | undefined;
  do {
    const page = await listHeldConsents(db, { principal, limit: 200, ...(afterId !== undefined && { afterId }) });
    for (const row of page.rows) if (row.actions.includes("read")) owners.add(row.userId);
    if (owners.size > MAX_BULK_PARTICIPANTS) throw tooMany();
    afterId = page.nextId ?? undefined;
  } while (afterId !== undefined);
  const participants: BulkParticipant[] = [];
  for (const ownerId of [...owners].sort()) {
    const answer = await askOwner(c, principal, { ownerId, action: "read", audit: "bulk.export" });
    if (answer.allow && answer.scope !== "all")
      participants.push({ user_id: ownerId, subject_id: null, scope: answer.scope });
  }
  return participants;
}

function tooMany(): ApiError {
  return new ApiError("payload_too_large", {
    detail: `An export covers at most ${MAX_BULK_PARTICIPANTS} people; this one would cover more.`,
  });
}

/** A study's participants (the Group is the study), each allowed by their Durable Object for the study. */
async function groupParticipants(c: Context<AppEnv>, studyId: string): Promise<BulkParticipant[]> {
  const principal = caller(c);
  const db = await c.var.db();
  if ((await findStudy(db, principal.tenantId, studyId)) === null) {
    throw new ApiError("not_found", { detail: "No such Group." });
  }
  // As for GET /v1/studies/{id}/observations: the study's researchers only (and each participant's
  // Durable Object checks that again).
  if (
    principal.kind !== "user" ||
    !principal.roles.has("researcher") ||
    !(await isStudyMember(db, principal.tenantId, studyId, principal.userId))
  ) {
    throw new ApiError("forbidden", {
      detail: "Only the study's researchers export its Group.",
      extensions: {
        reason: principal.kind === "user" && principal.roles.has("researcher") ? "not_study_member" : "missing_role",
      },
    });
  }
  const participants: BulkParticipant[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await studyParticipants(db, {
      tenantId: principal.tenantId,
      studyId,
      limit: 100,
      ...(after !== undefined && { afterSubject: after }),
    });
    for (const p of page) {
      const answer = await askOwner(c, principal, { ownerId: p.userId, action: "read", audit: "bulk.export", studyId });
      if (answer.allow && answer.scope !== "all") {
        participants.push({ user_id: p.userId, subject_id: p.subjectId, scope: answer.scope });
      }
      if (participants.length > MAX_BULK_PARTICIPANTS) throw tooMany();
    }
    const last = page[page.length - 1];
    if (page.length < 100 || last === undefined) break;
    after = last.subjectId;
  }
  return participants;
}

async function kickOff(c: Context<AppEnv>, studyId: string | null): Promise<Response> {
  requireRespondAsync(c);
  const request = parseKickOff(await kickOffParameters(c));
  const principal = caller(c);
  const participants = studyId === null ? await patientParticipants(c) : await groupParticipants(c, studyId);
  const db = await c.var.db();
  const id = uuidv7();
  const record = await createBulkExport(db, {
    id,
    tenantId: principal.tenantId,
    clientId: principal.clientId,
    requestedBy: principal.kind === "user" ? principal.userId : null,
    studyId,
    request: c.req.url,
    types: request.types,
    since: request.since,
    participants,
    transactionTime: new Date(),
  });
  const message: BulkExportMessage = {
    v: 1,
    type: "bulk-export",
    export_id: record.id,
    tenant_id: record.tenantId,
    base_url: new URL(c.req.url).origin,
  };
  try {
    await c.env.EXPORTS_QUEUE.send(message, { contentType: "json" });
  } catch (error) {
    await deleteBulkExport(db, record.tenantId, record.id);
    throw error;
  }
  await recordAudit(db, {
    tenantId: principal.tenantId,
    action: "bulk_export.create",
    outcome: "success",
    actorUserId: principal.kind === "user" ? principal.userId : null,
    actorClientId: principal.clientId,
    resourceType: "bulk_export",
    resourceId: record.id,
    requestId: c.var.requestId,
    // What was asked and how many people it covers; never who they are or their data.
    details: {
      types: request.types,
      since: request.since?.toISOString() ?? null,
      study_id: studyId,
      participants: participants.length,
    },
  });
  return c.body(null, 202, { "Content-Location": `${fhirBase(c)}/$export-status/${record.id}` });
}

/** The caller's export named by the path, or a 404 (also for another client's: no difference shows). */
async function ownExport(c: Context<AppEnv>) {
  const id = c.req.param("id") ?? "";
  const principal = caller(c);
  const record = UUID.test(id)
    ? await bulkExportFor(await c.var.db(), {
        tenantId: principal.tenantId,
        id: id.toLowerCase(),
        clientId: principal.clientId,
        userId: principal.kind === "user" ? principal.userId : null,
      })
    : null;
  if (record === null || record.status === "cancelled") throw new ApiError("not_found", { detail: "No such export." });
  return record;
}

/** Reading one's export needs what starting it needed (a read scope), not another person's consent. */
const bulkAccess = requireAccess((c) => readRequirement(c.var.principal, null, "bulk.export"));

export function registerBulk(app: Hono<AppEnv>): void {
  app.get("/fhir/R4/Patient/$export", bulkAccess, (c) => kickOff(c, null));
  app.post("/fhir/R4/Patient/$export", bulkAccess, (c) => kickOff(c, null));
  const groupKickOff = (c: Context<AppEnv>) => {
    const id = c.req.param("id") ?? "";
    if (!UUID.test(id)) throw new ApiError("not_found", { detail: "No such Group." });
    return kickOff(c, id.toLowerCase());
  };
  app.get("/fhir/R4/Group/:id/$export", bulkAccess, groupKickOff);
  app.post("/fhir/R4/Group/:id/$export", bulkAccess, groupKickOff);

  app.get("/fhir/R4/$export-status/:id", bulkAccess, async (c) => {
    const record = await ownExport(c);
    if (record.status === "queued" || record.status === "processing") {
      const participants = Array.isArray(record.participants) ? record.participants.length : 0;
      const total = participants * record.types.length;
      return c.body(null, 202, {
        "X-Progress": record.status === "queued" ? "queued" : `${record.done} of ${total} files written per person`,
        "Retry-After": String(BULK_RETRY_AFTER_SECONDS),
        "Cache-Control": "no-store",
      });
    }
    if (record.status === "failed") {
      throw new ApiError("internal_error", { detail: record.error ?? "The export failed. Start a new one." });
    }
    const base = fhirBase(c);
    const output = (record.output as unknown as BulkOutputFile[]).map((f) => ({
      type: f.type,
      url: `${base}/$export-file/${record.id}/${f.type}`,
      count: f.count,
    }));
    return fhirJson(
      c,
      {
        transactionTime: record.transactionTime.toISOString(),
        request: record.request,
        requiresAccessToken: true,
        output: output.filter((f) => f.count > 0),
        error: [],
      },
      200,
      record.expiresAt === null ? {} : { Expires: record.expiresAt.toUTCString() },
    );
  });

  app.delete("/fhir/R4/$export-status/:id", bulkAccess, async (c) => {
    const record = await ownExport(c);
    const keys = await cancelBulkExport(await c.var.db(), record.tenantId, record.id);
    // A run still writing finds the export cancelled at its next progress write and deletes what it wrote.
    for (const key of keys) await c.env.EXPORTS.delete(key);
    return c.body(null, 202, { "Cache-Control": "no-store" });
  });

  app.get("/fhir/R4/$export-file/:id/:type", bulkAccess, async (c) => {
    const record = await ownExport(c);
    const file = (record.output as unknown as BulkOutputFile[]).find((f) => f.type === c.req.param("type"));
    const expired = record.expiresAt !== null && record.expiresAt.getTime() <= Date.now();
    if (record.status !== "completed" || file === undefined || record.wrappedKey === null || expired) {
      throw new ApiError("not_found", { detail: "No such file." });
    }
    const dataKey = await unwrapUserKey(c.var.config.masterKeys, record.wrappedKey, {
      tenantId: record.tenantId,
      userId: record.id,
    });
    const body = await getDecrypted(c.env.EXPORTS, file.key, dataKey, bulkFileAad(record.id, file.type));
    return c.body(body, 200, { "Content-Type": NDJSON, "Cache-Control": "no-store" });
  });
}
