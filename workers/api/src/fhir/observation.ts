/**
 * `GET /fhir/R4/Observation` (search) and `GET /fhir/R4/Observation/{id}` (read), over the same store,
 * policy and consent check as `GET /v1/observations`: the owner reads everything their token's scopes
 * cover; a grantee names the owner (`patient`/`subject`) and gets only what the owner's live grants open
 * (categories or variables, data window), decided by the owner's Durable Object and written to their
 * access log; a token limited to categories reads only those.
 *
 * A study's researcher names a participant by the study's pseudonym (`patient=<pseudonym>`, issue 18):
 * the participant's Durable Object decides on the research path, and the Observations come back as the
 * study's Group export writes them (`pseudonymousObservation`: subject `Patient/<pseudonym>`, per-study
 * hashed ids, no source, file or free text), with a sealed cursor (lib/sealed-cursor.ts).
 */
import { ApiError, decodeCursor, encodeCursor, scopeSatisfies, VARIABLE_CATEGORY_SLUGS } from "@dfda/core";
import { FHIR_CATEGORY, OBSERVATION_CATEGORY_SYSTEM, platformUris, pseudonymousObservation } from "@dfda/core/fhir";
import {
  type ObservationSearch,
  ObservationSearcher,
  type ObservationSort,
  observationOwner,
} from "@dfda/db/repositories/observations-read";
import type { VariableRecord } from "@dfda/db/repositories/reference";
import { memberStudySubjects } from "@dfda/db/repositories/studies";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { askOwner, publicReason, setAccess, toAccess } from "../lib/access";
import { requireAccess } from "../lib/auth";
import { grantScope, readableCategories } from "../lib/observations";
import { referenceRepository } from "../lib/reference";
import { openCursor, sealCursor } from "../lib/sealed-cursor";
import type { AppEnv } from "../lib/types";
import { fhirJson } from "./outcome";
import { caller, observationResources, readRequirement, searchset } from "./resources";
import { count, dateValues, patientReference, searchParams, single, type Token, tokens, UUID } from "./search";

/** The search parameters of Observation (R4 observation.html#search), as the CapabilityStatement lists them. */
export const OBSERVATION_SEARCH_PARAMS = [
  { name: "_id", type: "token", documentation: "The observation's id (comma: any of them)." },
  { name: "patient", type: "reference", documentation: "Whose record: Patient/<id> (default: your own)." },
  { name: "subject", type: "reference", documentation: "The same as patient (only Patients are subjects here)." },
  {
    name: "code",
    type: "token",
    documentation: "system|code, code alone (any system), system| (any code of it); comma = OR. Codings as stored.",
  },
  {
    name: "category",
    type: "token",
    documentation: "observation-category (vital-signs, laboratory, activity, survey) or the platform's category.",
  },
  {
    name: "date",
    type: "date",
    documentation: "The effective time, prefixes eq ne lt gt le ge sa eb ap, precision-aware; dates alone in UTC.",
  },
  { name: "_lastUpdated", type: "date", documentation: "When the row was stored, with the same prefixes." },
] as const;

const SUPPORTED = new Set([...OBSERVATION_SEARCH_PARAMS.map((p) => p.name), "_sort"]);
const SORTS: readonly ObservationSort[] = ["date", "-date", "_lastUpdated", "-_lastUpdated"];
const CURSOR_LIST = "fhir-observations";
const STUDY_CURSOR_LIST = "fhir-study-observations";
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Whose record a search reads: its `patient`/`subject`, else the signed-in person's; null when neither. */
function searchOwner(c: Context<AppEnv>): string | null {
  const url = new URL(c.req.url);
  const named = [...url.searchParams.getAll("patient"), ...url.searchParams.getAll("subject")];
  if (named.length > 1) {
    throw new ApiError("validation_failed", { detail: "Name one patient per search (patient or subject, once)." });
  }
  const raw = named[0];
  if (raw !== undefined) {
    const name = url.searchParams.has("patient") ? "patient" : "subject";
    return patientReference(name, raw, c.req.url);
  }
  const principal = c.var.principal;
  return principal.kind === "user" ? principal.userId : null;
}

/** The owner a request was authorized for (read by the handler after `requireAccess`). */
const ownerByRequest = new WeakMap<Request, string | null>();

/** Every current variable visible to the tenant (a few hundred), for tokens that match many of them. */
async function allVariables(c: Context<AppEnv>): Promise<VariableRecord[]> {
  const repo = await referenceRepository(c);
  const all: VariableRecord[] = [];
  let after: { name: string; id: string } | null = null;
  do {
    const page = await repo.listVariables({}, after, 500);
    all.push(...page.rows);
    after = page.nextKey;
  } while (after !== null);
  return all;
}

/**
 * The variables a `code` parameter names: by any of their codings (LOINC, SNOMED CT, a tenant's local
 * codes, …) or by the platform's own variable code system. A code no variable has matches nothing
 * (an empty result, not an error: R4 §3.1.1.4.8).
 */
async function variablesOf(c: Context<AppEnv>, wanted: readonly Token[]): Promise<string[]> {
  const platform = platformUris(new URL(c.req.url).origin).variable;
  const all = await allVariables(c);
  const ids = new Set<string>();
  for (const t of wanted) {
    for (const v of all) {
      const bySlug = t.code === null || t.code === v.slug;
      const byCoding = v.codes.some(
        (code) => (t.system === null || t.system === code.system) && (t.code === null || t.code === code.code),
      );
      const matches = t.system === platform ? bySlug : t.system === null ? bySlug || byCoding : byCoding;
      if (matches) ids.add(v.id);
    }
  }
  return [...ids];
}

/**
 * The platform categories a `category` parameter names: an observation-category code maps to the
 * categories it stands for (`survey`: symptoms and mood), the platform's category system by slug (a
 * tenant's own categories too).
 */
function categoriesOf(c: Context<AppEnv>, wanted: readonly Token[]): string[] {
  const platform = platformUris(new URL(c.req.url).origin).category;
  const slugs = new Set<string>();
  for (const t of wanted) {
    if (t.system === null || t.system === OBSERVATION_CATEGORY_SYSTEM) {
      for (const [slug, fhir] of Object.entries(FHIR_CATEGORY_OF))
        if (t.code === null || t.code === fhir) slugs.add(slug);
    }
    if (t.system === null || t.system === platform) {
      if (t.code === null) for (const slug of VARIABLE_CATEGORY_SLUGS) slugs.add(slug);
      else if (/^[a-z_]{1,64}$/.test(t.code)) slugs.add(t.code);
    }
  }
  return [...slugs];
}

const FHIR_CATEGORY_OF: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(FHIR_CATEGORY).map(([slug, c]) => [slug, c.code]),
);

/** The search a request asks for, with its paging position. */
async function observationSearch(
  c: Context<AppEnv>,
  url: URL,
  defaultSort: ObservationSort = "-date",
): Promise<{ search: ObservationSearch; limit: number }> {
  const params = searchParams(url, SUPPORTED);
  const now = new Date();
  const sortRaw = single(params, "_sort") ?? defaultSort;
  if (!(SORTS as readonly string[]).includes(sortRaw)) {
    throw new ApiError("validation_failed", {
      detail: `Unsupported _sort ${JSON.stringify(sortRaw)}: date, -date, _lastUpdated or -_lastUpdated.`,
      errors: [{ location: "query", path: "_sort", pointer: "/_sort", message: "Unsupported sort" }],
    });
  }
  const sort = sortRaw as ObservationSort;
  const search: ObservationSearch = { sort };
  const ids = params.get("_id");
  if (ids !== undefined) {
    const wanted = ids.map((raw) => tokens("_id", raw).map((t) => t.code ?? ""));
    // Repeated `_id` is AND: only ids every value names.
    const [first, ...rest] = wanted;
    search.ids = (first ?? []).filter((id) => UUID.test(id) && rest.every((w) => w.includes(id)));
  }
  const codes = params.get("code");
  if (codes !== undefined) {
    const sets = await Promise.all(codes.map((raw) => variablesOf(c, tokens("code", raw))));
    const [first, ...rest] = sets;
    search.variableIds = (first ?? []).filter((id) => rest.every((s) => s.includes(id)));
  }
  const categories = params.get("category");
  if (categories !== undefined) {
    const sets = categories.map((raw) => categoriesOf(c, tokens("category", raw)));
    const [first, ...rest] = sets;
    search.categoryFilter = (first ?? []).filter((slug) => rest.every((s) => s.includes(slug)));
  }
  const dates = params.get("date");
  if (dates !== undefined) search.effective = dates.map((raw) => dateValues("date", raw, now));
  const updated = params.get("_lastUpdated");
  if (updated !== undefined) search.lastUpdated = updated.map((raw) => dateValues("_lastUpdated", raw, now));
  const cursor = single(params, "_cursor");
  if (cursor !== undefined) {
    const [cursorSort, key, id] = decodeCursor(CURSOR_LIST, cursor, 3);
    if (
      cursorSort !== sort ||
      typeof key !== "string" ||
      !CURSOR_INSTANT.test(key) ||
      typeof id !== "string" ||
      !UUID.test(id)
    ) {
      throw new ApiError("invalid_cursor", {
        detail: "The cursor is not one this search produced. Request the first page without it.",
        errors: [{ location: "query", path: "_cursor", pointer: "/_cursor", message: "Invalid cursor" }],
      });
    }
    search.after = { key, id };
  }
  return { search, limit: count(params) };
}

/**
 * One page of a person's observations as a searchset Bundle: the request's search, narrowed to the
 * token's readable categories and, for a grantee, to the grants' scope.
 */
export async function observationPage(
  c: Context<AppEnv>,
  owner: string,
  search: ObservationSearch,
  limit: number,
): Promise<{ resources: Array<Record<string, unknown>>; next: string | null; nextKey: string[] | null }> {
  const principal = caller(c);
  const categories = readableCategories(principal, owner);
  const scope = grantScope(c);
  const page = await new ObservationSearcher(await c.var.db(), { tenantId: principal.tenantId, userId: owner }).search(
    {
      ...search,
      ...(categories !== undefined && { categories }),
      ...(scope !== undefined && { scope }),
    },
    limit,
  );
  return {
    resources: await observationResources(c, principal.tenantId, owner, page.rows),
    next: page.nextKey === null ? null : encodeCursor(CURSOR_LIST, [search.sort, ...page.nextKey]),
    nextKey: page.nextKey,
  };
}

/**
 * `GET /fhir/R4/Observation?patient=<pseudonym>` for a study's researcher, before the ordinary search:
 * the pseudonym of a live participant of one of their studies is searched on the research path (the
 * participant's Durable Object decides for the study and narrows to its grants, as for
 * `GET /v1/studies/{id}/observations`), and every resource names the subject by the pseudonym only.
 * Anything else goes on to the ordinary search (a pseudonym it cannot resolve is refused there like any
 * record without a grant).
 */
function studyObservationSearch(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.var.principal;
    if (principal.kind !== "user" || !principal.roles.has("researcher")) return next();
    const named = searchOwner(c);
    if (named === null || named === principal.userId) return next();
    // The token's own scopes, as for any other person's record (a SMART `patient/` scope opens none).
    const required = readRequirement(principal, named, "observations.read").scopes ?? [];
    if (!required.every((s) => scopeSatisfies(principal.scopes, s, false))) return next();
    const [subject] = await memberStudySubjects(await c.var.db(), {
      tenantId: principal.tenantId,
      memberId: principal.userId,
      subjectId: named,
      limit: 1,
    });
    if (subject === undefined) return next();
    const answer = await askOwner(c, principal, {
      ownerId: subject.userId,
      action: "read",
      audit: "observations.read",
      studyId: subject.studyId,
    });
    if (!answer.allow) {
      throw new ApiError("forbidden", {
        detail: "No consent grant of the owner allows this.",
        extensions: { reason: publicReason(answer.reason) },
      });
    }
    setAccess(c, toAccess(answer));
    // The ordinary cursor carries the row's id: here it is sealed, bound to the researcher and study.
    const url = new URL(c.req.url);
    const cursor = url.searchParams.get("_cursor");
    url.searchParams.delete("_cursor");
    const { search, limit } = await observationSearch(c, url);
    const keyring = c.var.config.masterKeys;
    const context = [principal.tenantId, subject.studyId, subject.subjectId, principal.userId, search.sort];
    if (cursor !== null) {
      const [key, id] = await openCursor(keyring, STUDY_CURSOR_LIST, context, cursor, 2);
      if (typeof key !== "string" || !CURSOR_INSTANT.test(key) || typeof id !== "string" || !UUID.test(id)) {
        throw new ApiError("invalid_cursor", {
          detail: "The cursor is not one this search produced. Request the first page without it.",
          errors: [{ location: "query", path: "_cursor", pointer: "/_cursor", message: "Invalid cursor" }],
        });
      }
      search.after = { key, id };
    }
    const page = await observationPage(c, subject.userId, search, limit);
    const resources = await Promise.all(
      page.resources.map((r) => pseudonymousObservation(r, subject.studyId, subject.subjectId)),
    );
    const sealed = page.nextKey === null ? null : await sealCursor(keyring, STUDY_CURSOR_LIST, context, page.nextKey);
    return fhirJson(c, searchset(c, resources, sealed));
  };
}

/** The search's cursor format, for `$everything` (its pages are date-ordered Observation pages). */
export { observationSearch };

export function registerObservation(app: Hono<AppEnv>): void {
  app.get(
    "/fhir/R4/Observation",
    studyObservationSearch(),
    requireAccess((c) => {
      const owner = searchOwner(c);
      ownerByRequest.set(c.req.raw, owner);
      return readRequirement(c.var.principal, owner, "observations.read");
    }),
    async (c) => {
      const owner = ownerByRequest.get(c.req.raw) ?? null;
      if (owner === null) {
        throw new ApiError("validation_failed", {
          detail: "An app acting for itself must name whose record it searches (patient).",
          errors: [{ location: "query", path: "patient", pointer: "/patient", message: "Required" }],
        });
      }
      const { search, limit } = await observationSearch(c, new URL(c.req.url));
      const page = await observationPage(c, owner, search, limit);
      return fhirJson(c, searchset(c, page.resources, page.next));
    },
  );

  app.get(
    "/fhir/R4/Observation/:id",
    requireAccess(async (c) => {
      const principal = caller(c);
      const id = c.req.param("id") ?? "";
      const owner = UUID.test(id)
        ? await observationOwner(await c.var.db(), principal.tenantId, id.toLowerCase())
        : null;
      ownerByRequest.set(c.req.raw, owner);
      return readRequirement(principal, owner, "observations.read");
    }),
    async (c) => {
      const id = (c.req.param("id") ?? "").toLowerCase();
      const owner = ownerByRequest.get(c.req.raw) ?? null;
      const notFound = new ApiError("not_found", { detail: `No Observation ${id} that you may read.` });
      if (owner === null) throw notFound;
      // Read as a search for the one id, so the category and grant narrowing are the search's own.
      const page = await observationPage(c, owner, { sort: "-date", ids: [id] }, 1);
      const resource = page.resources[0];
      if (resource === undefined) throw notFound;
      return fhirJson(c, resource);
    },
  );
}
