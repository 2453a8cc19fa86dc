/**
 * `GET /fhir/R4/Patient/{id}`, `GET /fhir/R4/Patient` (search by `_id`) and
 * `GET /fhir/R4/Patient/{id}/$everything`. The Patients a caller sees are themselves and the people
 * whose live grants name them (as a person, a group of theirs, or an app acting for itself), as
 * `GET /v1/consents?held` lists them; reading one of them asks that person's Durable Object, as every
 * read of another person's data does, so a revoked grant closes it at once. The platform keeps no
 * names, birth dates or addresses: a Patient is its id (@dfda/core/fhir `fhirPatient`).
 *
 * A study's researchers see the study's participants only under the study's pseudonyms (issue 18, as
 * `GET /v1/studies/{id}/observations` and the Group `$export` name them): a pseudonym is listed while
 * the participant's study grant is live and read after their Durable Object allows it on the research
 * path; a participant's real id is not found for a researcher who reaches them only through a study.
 */
import { ApiError, type Principal, scopeSatisfies } from "@dfda/core";
import { fhirPatient } from "@dfda/core/fhir";
import { listHeldConsents } from "@dfda/db/repositories/consents";
import { memberStudySubjects } from "@dfda/db/repositories/studies";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { askOwner } from "../lib/access";
import { requireAccess } from "../lib/auth";
import type { AppEnv } from "../lib/types";
import { observationPage, observationSearch } from "./observation";
import { fhirJson } from "./outcome";
import { caller, readRequirement, searchset } from "./resources";
import { count, searchParams, single, tokens, UUID } from "./search";

/** Grants read to list the Patients of a search: beyond this many, a caller is told to narrow by `_id`. */
const MAX_HELD_GRANTS = 1000;
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The path's Patient id, lower-cased, or null when it cannot be one (only UUIDs are). */
function pathPatient(c: Context<AppEnv>): string | null {
  const id = c.req.param("id") ?? "";
  return UUID.test(id) ? id.toLowerCase() : null;
}

/**
 * Whether the token reads Patients only in the person's own compartment: its read scopes are SMART
 * `patient/` ones, which open no one else's record even with their consent. A search then lists the
 * caller alone, and is authorized as a read of their own record.
 */
function ownCompartmentOnly(principal: Principal): principal is Extract<Principal, { kind: "user" }> {
  if (principal.kind !== "user") return false;
  const others = readRequirement(principal, null, "patient.read", "Patient");
  return !(others.scopes ?? []).every((s) => scopeSatisfies(principal.scopes, s, false));
}

/**
 * A person who reads Patients through study grants: a researcher whose token reaches beyond their own
 * compartment (a SMART `patient/` token opens no study either).
 */
function studyReader(principal: Principal): principal is Extract<Principal, { kind: "user" }> {
  return principal.kind === "user" && principal.roles.has("researcher") && !ownCompartmentOnly(principal);
}

/**
 * `GET /fhir/R4/Patient/{id}` for a researcher, before the ordinary read. A pseudonym of one of their
 * studies' participants is answered as `Patient/<pseudonym>` when the participant's Durable Object
 * allows the research read (the decision is in the participant's access log). Any other id, a
 * participant's real user id included, is answered only when a grant of that person's own (study grants
 * never name the researcher) opens it; otherwise it is not found, so that a researcher cannot tell a
 * participant's real id, a revoked pseudonym or another tenant's id from one that does not exist.
 */
function studyPatientRead(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.var.principal;
    const id = pathPatient(c);
    if (id === null || !studyReader(principal) || id === principal.userId) return next();
    const notFound = new ApiError("not_found", { detail: "No such Patient." });
    const [subject] = await memberStudySubjects(await c.var.db(), {
      tenantId: principal.tenantId,
      memberId: principal.userId,
      subjectId: id,
      limit: 1,
    });
    const answer = await askOwner(c, principal, {
      ownerId: subject?.userId ?? id,
      action: "read",
      audit: "patient.read",
      ...(subject !== undefined && { studyId: subject.studyId }),
    });
    if (!answer.allow) throw notFound;
    return fhirJson(c, fhirPatient(id));
  };
}

/** The pseudonyms of the live participants of the researcher's studies, at most `max`. */
async function studyPseudonyms(c: Context<AppEnv>, max: number): Promise<string[]> {
  const principal = c.var.principal;
  if (!studyReader(principal)) return [];
  const db = await c.var.db();
  const found: string[] = [];
  let afterSubject: string | undefined;
  do {
    const page = await memberStudySubjects(db, {
      tenantId: principal.tenantId,
      memberId: principal.userId,
      limit: 200,
      ...(afterSubject !== undefined && { afterSubject }),
    });
    found.push(...page.map((p) => p.subjectId));
    afterSubject = page.length === 200 ? page[page.length - 1]?.subjectId : undefined;
  } while (afterSubject !== undefined && found.length < max);
  return found;
}

/**
 * The caller, the people whose live read grants name them, and (for a researcher) their studies'
 * participants under pseudonyms, each once, in id order.
 */
async function visiblePatients(c: Context<AppEnv>): Promise<string[]> {
  const principal = caller(c);
  const ids = new Set<string>();
  if (principal.kind === "user") ids.add(principal.userId);
  if (ownCompartmentOnly(principal)) return [...ids];
  const db = await c.var.db();
  let afterId: string | undefined;
  let read = 0;
  do {
    const page = await listHeldConsents(db, { principal, limit: 200, ...(afterId !== undefined && { afterId }) });
    for (const row of page.rows) if (row.actions.includes("read")) ids.add(row.userId);
    read += page.rows.length;
    afterId = page.nextId ?? undefined;
  } while (afterId !== undefined && read < MAX_HELD_GRANTS);
  for (const pseudonym of await studyPseudonyms(c, MAX_HELD_GRANTS)) ids.add(pseudonym);
  return [...ids].sort();
}

export function registerPatient(app: Hono<AppEnv>): void {
  app.get(
    "/fhir/R4/Patient",
    requireAccess((c) => {
      const principal = c.var.principal;
      const owner = ownCompartmentOnly(principal) ? principal.userId : null;
      return readRequirement(principal, owner, "patient.read", "Patient");
    }),
    async (c) => {
      const params = searchParams(new URL(c.req.url), new Set(["_id"]));
      const limit = count(params);
      let ids = await visiblePatients(c);
      for (const raw of params.get("_id") ?? []) {
        const wanted = new Set(tokens("_id", raw).map((t) => (t.code ?? "").toLowerCase()));
        ids = ids.filter((id) => wanted.has(id));
      }
      const total = ids.length;
      const cursor = single(params, "_cursor");
      if (cursor !== undefined) {
        if (!CURSOR_ID.test(cursor)) {
          throw new ApiError("invalid_cursor", {
            detail: "The cursor is not one this search produced. Request the first page without it.",
            errors: [{ location: "query", path: "_cursor", pointer: "/_cursor", message: "Invalid cursor" }],
          });
        }
        ids = ids.filter((id) => id > cursor);
      }
      const page = ids.slice(0, limit);
      const next = ids.length > limit ? (page[page.length - 1] ?? null) : null;
      return fhirJson(c, searchset(c, page.map(fhirPatient), next, total));
    },
  );

  app.get(
    "/fhir/R4/Patient/:id",
    studyPatientRead(),
    requireAccess((c) => readRequirement(caller(c), pathPatient(c), "patient.read", "Patient")),
    (c) => {
      const id = pathPatient(c);
      if (id === null) throw new ApiError("not_found", { detail: "No such Patient." });
      return fhirJson(c, fhirPatient(id));
    },
  );

  // R4 patient-operation-everything: the person's own record, Patient first, then their Observations in
  // time order, paged. Only for the person themselves (a grantee searches Observation instead, which
  // is narrowed to what the grants open).
  app.get(
    "/fhir/R4/Patient/:id/$everything",
    requireAccess((c) => {
      const requirement = readRequirement(caller(c), pathPatient(c), "patient.everything");
      const { viaGrants: _grants, ...ownOnly } = requirement;
      return ownOnly;
    }),
    async (c) => {
      const id = pathPatient(c);
      if (id === null) throw new ApiError("not_found", { detail: "No such Patient." });
      const url = new URL(c.req.url);
      // `$everything` takes only the paging parameters here (R4's start/end/_since/_type are not supported).
      searchParams(url, new Set());
      const { search, limit } = await observationSearch(c, url, "date");
      const page = await observationPage(c, id, search, limit);
      const first = search.after === undefined;
      return fhirJson(c, searchset(c, first ? [fhirPatient(id), ...page.resources] : page.resources, page.next));
    },
  );
}
