/**
 * FHIR writes (issue 18): `POST /fhir/R4/Observation` (R4 http.html §3.1.0.8 create, with §3.1.0.8.1
 * conditional create `If-None-Exist`) and `POST /fhir/R4` with a `transaction` or `batch` Bundle
 * (§3.1.0.11).
 * Both go through the validation pipeline of every other source (write-pipeline.ts): the posted bytes
 * are kept as the raw original, mapped by the FHIR mapper, validated, and committed by the person's
 * Durable Object writer, synchronously, so the answer carries the created resources.
 *
 * Authorization is `POST /v1/ingest/observations`'s: the `observations:write` scope; the owner writes to
 * their own record; anyone else (a delegate, an app acting for itself) needs the owner's live write
 * grant, asked of the owner's Durable Object before anything is stored and checked again, row by row,
 * when the writer commits. Whose record is the resources' `subject` (`Patient/<id>`); a transaction
 * writes to one person's record.
 *
 * `Prefer: return=minimal | representation | OperationOutcome` (§3.1.0.6) chooses the body; the
 * default is the representation.
 */
import { ApiError, type Requirement } from "@dfda/core";
import { ObservationSearcher } from "@dfda/db/repositories/observations-read";
import type { Context, Hono } from "hono";
import { requireAccess } from "../lib/auth";
import type { AppEnv } from "../lib/types";
import { observationSearch } from "./observation";
import { FHIR_JSON, fhirJson, operationOutcome } from "./outcome";
import { caller, fhirBase, observationResources } from "./resources";
import { UUID } from "./search";
import {
  entryIndex,
  expressionOf,
  type WriteOutcome,
  type WriteParty,
  type WrittenRow,
  writeFhir,
} from "./write-pipeline";

type Json = Record<string, unknown>;
type ReturnPreference = "minimal" | "representation" | "OperationOutcome";

/** What a write request was parsed into by its authorization step (read again by the handler). */
interface ParsedWrite {
  bytes: Uint8Array;
  owner: string | null;
  /** How many resources: 1 for a create, the entries of a Bundle. */
  entries: number;
  /** A Bundle's processing rule (R4 §3.1.0.11): all or nothing, or each entry alone. */
  kind: "create" | "transaction" | "batch";
}
const parsedByRequest = new WeakMap<Request, ParsedWrite>();

function invalid(detail: string, path: string, message: string): ApiError {
  return new ApiError("validation_failed", {
    detail,
    errors: [{ location: "body", path, pointer: "", message }],
  });
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * R4 http.html §3.1.0.1.7: a FHIR server takes `application/fhir+json` (and `application/json`); any
 * other body is a 415.
 */
function checkMediaType(c: Context<AppEnv>): void {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== FHIR_JSON && type !== "application/json") {
    throw new ApiError("unsupported_media_type", { detail: `Send the resource as ${FHIR_JSON}.` });
  }
}

async function readBody(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; json: Json }> {
  checkMediaType(c);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new ApiError("malformed_body", { detail: "The body is not a JSON document." });
  }
  if (!isObject(json)) throw invalid("The body is not a FHIR resource.", "", "Not a JSON object");
  return { bytes, json };
}

/**
 * The Patient a resource's `subject` names (`Patient/<id>`, or its absolute URL on this server). No
 * subject: the signed-in person. Any other subject (a Group, a Device, another server) cannot be stored.
 */
function subjectOf(c: Context<AppEnv>, resource: Json, path: string): string | null {
  const subject = resource.subject;
  if (subject === undefined) {
    const principal = c.var.principal;
    return principal.kind === "user" ? principal.userId : null;
  }
  const reference = isObject(subject) ? subject.reference : undefined;
  if (typeof reference !== "string") {
    throw invalid("The subject must be a reference to a Patient.", `${path}.subject`, "Not a Patient reference");
  }
  const base = `${fhirBase(c)}/`;
  const local = reference.startsWith(base) ? reference.slice(base.length) : reference;
  const id = local.startsWith("Patient/") ? local.slice("Patient/".length) : "";
  if (!UUID.test(id)) {
    throw invalid(
      "The subject must be a Patient of this server (Patient/<id>): only a person's own record is stored.",
      `${path}.subject`,
      "Not a Patient of this server",
    );
  }
  return id.toLowerCase();
}

/** One Observation to create: the resource checks R4 create needs before the pipeline maps it. */
function checkObservation(resource: unknown, path: string): Json {
  if (!isObject(resource) || resource.resourceType !== "Observation") {
    throw invalid("Only Observation resources are written here.", `${path}.resourceType`, "Not an Observation");
  }
  return resource;
}

/**
 * The entries of a transaction or batch Bundle: each a POST of an Observation (R4 §3.1.0.11:
 * request.method and url). An entry that is not one refuses the whole request, batch included: the
 * posted Bundle is kept as one original, and this server only creates Observations.
 */
function bundleEntries(bundle: Json): { kind: "transaction" | "batch"; resources: Json[] } {
  if (bundle.resourceType !== "Bundle") {
    throw invalid("POST to the base takes a transaction or batch Bundle.", "resourceType", "Not a Bundle");
  }
  if (bundle.type !== "transaction" && bundle.type !== "batch") {
    throw invalid("Only transaction and batch Bundles are processed.", "Bundle.type", "Not a transaction or batch");
  }
  const kind = bundle.type;
  const entries = bundle.entry;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw invalid("The transaction has no entries.", "Bundle.entry", "Required");
  }
  const resources = entries.map((entry: unknown, i) => {
    const path = `Bundle.entry[${i}]`;
    if (!isObject(entry)) throw invalid("An entry is not an object.", path, "Not an object");
    const request = entry.request;
    if (!isObject(request) || request.method !== "POST" || request.url !== "Observation") {
      throw invalid(
        "Each entry must create an Observation (request.method POST, request.url Observation); other interactions are not supported.",
        `${path}.request`,
        "Only POST Observation",
      );
    }
    if (request.ifNoneExist !== undefined) {
      throw invalid(
        "Conditional create inside a Bundle is not supported; send If-None-Exist on a single create.",
        `${path}.request.ifNoneExist`,
        "Not supported",
      );
    }
    return checkObservation(entry.resource, `${path}.resource`);
  });
  return { kind, resources };
}

/**
 * The write requirement of `POST /v1/ingest/observations`, for the record the resources name: the
 * owner passes; anyone else is asked of the owner's Durable Object (their live write grants).
 */
function writeRequirement(owner: string | null): Requirement {
  return {
    scopes: ["observations:write"],
    action: "write",
    allowClients: true,
    ...(owner === null ? {} : { ownerId: owner, audit: "observations.write", viaGrants: true }),
  };
}

/** RFC 7240 `Prefer`, its `return` preference (R4 http.html §3.1.0.6); default: the representation. */
function returnPreference(c: Context<AppEnv>): ReturnPreference {
  for (const part of (c.req.header("prefer") ?? "").split(/[,;]/)) {
    const [name, value] = part.split("=").map((s) => s.trim());
    if (name?.toLowerCase() !== "return" || value === undefined) continue;
    const v = value.replace(/^"|"$/g, "");
    if (v === "minimal" || v === "representation" || v === "OperationOutcome") return v;
  }
  return "representation";
}

function party(c: Context<AppEnv>, owner: string): WriteParty {
  const principal = caller(c);
  return {
    tenantId: principal.tenantId,
    ownerId: owner,
    actorUserId: principal.kind === "user" ? principal.userId : null,
    clientId: principal.clientId,
  };
}

function ownerOrRefuse(parsed: ParsedWrite | undefined): { parsed: ParsedWrite; owner: string } {
  if (parsed === undefined)
    throw new ApiError("forbidden", { detail: "No access decision was made for this request." });
  if (parsed.owner === null) {
    throw invalid(
      "An app acting for itself must name whose record it writes to (subject Patient/<id>).",
      "Observation.subject",
      "Required",
    );
  }
  return { parsed, owner: parsed.owner };
}

/** The stored rows as Observations keyed by id, read back from the store so they read as any later read shows them. */
async function resourcesOf(c: Context<AppEnv>, owner: string, rows: readonly WrittenRow[]): Promise<Map<string, Json>> {
  const principal = caller(c);
  const out = new Map<string, Json>();
  if (rows.length === 0) return out;
  const page = await new ObservationSearcher(await c.var.db(), { tenantId: principal.tenantId, userId: owner }).search(
    { sort: "date", ids: rows.map((r) => r.id) },
    rows.length,
  );
  for (const resource of await observationResources(c, principal.tenantId, owner, page.rows)) {
    out.set(String(resource.id), resource);
  }
  return out;
}

/** R4 OperationOutcome issue severity and type of a pipeline issue. */
function outcomeIssues(outcome: WriteOutcome, root: string, baseUrl: string): Json[] {
  const system = `${baseUrl}/fhir/CodeSystem/ingest-issue`;
  const issues: Json[] = outcome.issues.map((i) => ({
    severity: i.severity === "info" ? "information" : i.severity,
    code: i.severity === "info" ? "informational" : "business-rule",
    details: { coding: [{ system, code: i.code }], text: i.message },
    ...(i.location === null ? {} : { expression: [expressionOf(i.location, root)] }),
  }));
  for (const p of outcome.pending) {
    issues.push({
      severity: "warning",
      code: "code-invalid",
      details: {
        coding: [{ system, code: "pending_local_code" }],
        text: "Held pending: its code is a local code no variable maps yet. It is stored once an administrator maps the code (GET /v1/admin/unmapped-codes).",
      },
      ...(p.location === "" ? {} : { expression: [expressionOf(p.location, root)] }),
    });
  }
  for (const r of outcome.rows) {
    issues.push({
      severity: "information",
      code: "informational",
      diagnostics: `${r.created ? "Stored" : "Already stored (not written again)"} as Observation/${r.id}`,
      ...(r.location === "" ? {} : { expression: [expressionOf(r.location, root)] }),
    });
  }
  if (issues.length === 0) issues.push({ severity: "information", code: "informational", diagnostics: "Stored." });
  return issues;
}

/** R4 §3.1.0.8 headers of a created (or found) version: Location with its history, ETag, Last-Modified. */
function versionHeaders(c: Context<AppEnv>, row: WrittenRow): Record<string, string> {
  return {
    Location: `${fhirBase(c)}/Observation/${row.id}/_history/1`,
    ETag: 'W/"1"',
    "Last-Modified": row.createdAt.toUTCString(),
  };
}

/**
 * R4 §3.1.0.8.1 conditional create: the `If-None-Exist` query is run as an Observation search of the
 * owner's record (the search parameters of `GET /fhir/R4/Observation`; an unsupported one is a 400).
 * Only the owner may ask: a grantee with a write grant would otherwise learn what the record holds.
 */
async function conditionalMatches(c: Context<AppEnv>, owner: string, query: string): Promise<string[]> {
  const principal = caller(c);
  if (principal.kind !== "user" || principal.userId !== owner) {
    throw new ApiError("forbidden", { detail: "If-None-Exist is evaluated on your own record only." });
  }
  const url = new URL(`${fhirBase(c)}/Observation?${query.replace(/^\?/, "")}`);
  if ([...url.searchParams.keys()].length === 0) {
    throw invalid("If-None-Exist must hold a search query.", "If-None-Exist", "Empty");
  }
  const { search } = await observationSearch(c, url);
  const page = await new ObservationSearcher(await c.var.db(), { tenantId: principal.tenantId, userId: owner }).search(
    search,
    2,
  );
  return page.rows.map((r) => r.id);
}

/** Whether the written row is one the caller may be shown (its own write, or the owner's record). */
function visible(c: Context<AppEnv>, owner: string, row: WrittenRow): boolean {
  const principal = caller(c);
  return row.created || (principal.kind === "user" && principal.userId === owner);
}

async function createObservation(c: Context<AppEnv>): Promise<Response> {
  const { parsed, owner } = ownerOrRefuse(parsedByRequest.get(c.req.raw));
  const prefer = returnPreference(c);
  const baseUrl = new URL(c.req.url).origin;
  const ifNoneExist = c.req.header("if-none-exist");
  if (ifNoneExist !== undefined) {
    const matches = await conditionalMatches(c, owner, ifNoneExist);
    if (matches.length > 1) {
      return fhirJson(
        c,
        operationOutcome(baseUrl, 412, "conflict", "If-None-Exist matches more than one Observation.", []),
        412,
      );
    }
    const match = matches[0];
    if (match !== undefined) {
      // R4 §3.1.0.8.1: one match → 200 OK, nothing created.
      const [resource] = (
        await resourcesOf(c, owner, [{ id: match, location: "", created: false, createdAt: new Date() }])
      ).values();
      const lastUpdated = String((resource?.meta as Json | undefined)?.lastUpdated ?? new Date().toISOString());
      const headers = versionHeaders(c, { id: match, location: "", created: false, createdAt: new Date(lastUpdated) });
      if (prefer === "minimal" || resource === undefined) return c.body(null, 200, headers);
      if (prefer === "OperationOutcome") {
        return fhirJson(
          c,
          {
            resourceType: "OperationOutcome",
            issue: [
              {
                severity: "information",
                code: "duplicate",
                diagnostics: `If-None-Exist matched Observation/${match}; nothing was created.`,
              },
            ],
          },
          200,
          headers,
        );
      }
      return fhirJson(c, resource, 200, headers);
    }
  }
  const outcome = await writeFhir(c, party(c, owner), parsed.bytes, "Observation", "fhir-Observation.json");
  const first = outcome.rows[0];
  if (first === undefined) {
    // Every value held pending (a local code): accepted, not yet an Observation of the record.
    return fhirJson(
      c,
      { resourceType: "OperationOutcome", issue: outcomeIssues(outcome, "Observation", baseUrl) },
      202,
    );
  }
  const created = outcome.rows.some((r) => r.created);
  const status = created ? 201 : 200;
  const headers = versionHeaders(c, first);
  if (prefer === "minimal" || !visible(c, owner, first)) {
    return c.body(null, status, headers);
  }
  if (prefer === "OperationOutcome") {
    return fhirJson(
      c,
      { resourceType: "OperationOutcome", issue: outcomeIssues(outcome, "Observation", baseUrl) },
      status,
      headers,
    );
  }
  const resource = (await resourcesOf(c, owner, [first])).get(first.id);
  if (resource === undefined) return c.body(null, status, headers);
  return fhirJson(c, resource, status, headers);
}

/**
 * A transaction (all or nothing: one refused entry refuses the request, 400, and nothing is written) or
 * a batch (each entry alone: a refused entry answers its own `400 Bad Request` with its OperationOutcome
 * in the `batch-response`, the others are written). R4 http.html §3.1.0.11.
 */
async function bundle(c: Context<AppEnv>): Promise<Response> {
  const { parsed, owner } = ownerOrRefuse(parsedByRequest.get(c.req.raw));
  const prefer = returnPreference(c);
  const baseUrl = new URL(c.req.url).origin;
  const outcome = await writeFhir(c, party(c, owner), parsed.bytes, "Bundle", `fhir-${parsed.kind}-Bundle.json`, {
    entries: parsed.entries,
    partial: parsed.kind === "batch",
  });
  const rowsByEntry = new Map<number, WrittenRow[]>();
  for (const row of outcome.rows) {
    const i = entryIndex(row.location);
    if (i !== null) rowsByEntry.set(i, [...(rowsByEntry.get(i) ?? []), row]);
  }
  const pendingEntries = new Set(outcome.pending.map((p) => entryIndex(p.location)));
  const firsts = [...rowsByEntry.values()].flatMap((rows) => rows.slice(0, 1)).filter((r) => visible(c, owner, r));
  const resources = prefer === "representation" ? await resourcesOf(c, owner, firsts) : new Map<string, Json>();
  const entry: Json[] = [];
  for (let i = 0; i < parsed.entries; i++) {
    const rows = rowsByEntry.get(i) ?? [];
    const first = rows[0];
    const entryOutcome: WriteOutcome = {
      ...outcome,
      rows,
      pending: outcome.pending.filter((p) => entryIndex(p.location) === i),
      issues: outcome.issues.filter((x) => x.location !== null && entryIndex(x.location) === i),
    };
    const refused = outcome.refused.get(i);
    if (refused !== undefined) {
      const issue = refused.map((x) => ({
        severity: "error",
        code: "invalid",
        details: { coding: [{ system: `${baseUrl}/fhir/CodeSystem/ingest-issue`, code: x.code }], text: x.message },
        ...(x.location === null ? {} : { expression: [expressionOf(x.location, "Bundle")] }),
      }));
      entry.push({ response: { status: "400 Bad Request", outcome: { resourceType: "OperationOutcome", issue } } });
      continue;
    }
    if (first === undefined) {
      // R4 §3.1.0.11: each entry's response; values held pending are accepted, not created.
      entry.push({
        response: {
          status: pendingEntries.has(i) ? "202 Accepted" : "200 OK",
          outcome: { resourceType: "OperationOutcome", issue: outcomeIssues(entryOutcome, "Bundle", baseUrl) },
        },
      });
      continue;
    }
    const created = rows.some((r) => r.created);
    const resource = resources.get(first.id);
    entry.push({
      fullUrl: `${fhirBase(c)}/Observation/${first.id}`,
      ...(resource === undefined ? {} : { resource }),
      response: {
        status: created ? "201 Created" : "200 OK",
        location: `Observation/${first.id}/_history/1`,
        etag: 'W/"1"',
        lastModified: first.createdAt.toISOString(),
        ...(prefer === "OperationOutcome" && {
          outcome: { resourceType: "OperationOutcome", issue: outcomeIssues(entryOutcome, "Bundle", baseUrl) },
        }),
      },
    });
  }
  return fhirJson(c, { resourceType: "Bundle", type: `${parsed.kind}-response`, entry }, 200);
}

export function registerWrite(app: Hono<AppEnv>): void {
  app.post(
    "/fhir/R4/Observation",
    requireAccess(async (c) => {
      const { bytes, json } = await readBody(c);
      const resource = checkObservation(json, "Observation");
      const owner = subjectOf(c, resource, "Observation");
      parsedByRequest.set(c.req.raw, { bytes, owner, entries: 1, kind: "create" });
      return writeRequirement(owner);
    }),
    createObservation,
  );

  app.post(
    "/fhir/R4",
    requireAccess(async (c) => {
      const { bytes, json } = await readBody(c);
      const { kind, resources } = bundleEntries(json);
      const owners = new Set(resources.map((r, i) => subjectOf(c, r, `Bundle.entry[${i}].resource`)));
      if (owners.size > 1) {
        throw invalid(
          "A Bundle writes to one person's record: every entry's subject must be the same Patient.",
          "Bundle.entry",
          "More than one subject",
        );
      }
      const owner = [...owners][0] ?? null;
      parsedByRequest.set(c.req.raw, { bytes, owner, entries: resources.length, kind });
      return writeRequirement(owner);
    }),
    bundle,
  );
}
