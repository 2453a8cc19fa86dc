/**
 * What the FHIR routes share: the read requirement (the same policy, consent check and access log as
 * `GET /v1/observations`), observation pages as resources, and searchset Bundles with paging links.
 */
import { ApiError, PATIENT_READ, type Principal, type Requirement, scopeSatisfies } from "@dfda/core";
import { type FhirCoding, fhirObservation } from "@dfda/core/fhir";
import { variableCodings } from "@dfda/db/repositories/exports";
import type { FhirSearchRow } from "@dfda/db/repositories/observations-read";
import type { Context } from "hono";
import { READ_ALL, readableCategories } from "../lib/observations";
import type { AppEnv } from "../lib/types";

/** The FHIR base of this server (R4 http.html §3.1.0.1.2: `[base]`). */
export function fhirBase(c: Context<AppEnv>): string {
  return `${new URL(c.req.url).origin}/fhir/R4`;
}

/**
 * What reading a person's observations (or their Patient) needs: a read scope (a category scope is
 * enough: the search is then narrowed to the readable categories) and, for another person's record,
 * their consent, asked of their Durable Object and written to their access log (`viaGrants`: the
 * handler narrows to the scope the grants open). SMART scopes count as the platform scopes they alias;
 * `patient/` ones only when `owner` is the caller (App Launch 2.x: the patient compartment).
 */
export function readRequirement(
  principal: Principal,
  owner: string | null,
  audit: string,
  /**
   * What is read: the Patient resource (its id only) is also readable with a SMART `Patient` read scope
   * (`patient/Patient.rs`, `user/Patient.rs`, `…/*.rs`), which opens no observations.
   */
  resource: "Observation" | "Patient" = "Observation",
): Requirement {
  const ownRecord = principal.kind === "user" && owner === principal.userId;
  const first = readableCategories(principal, owner)?.[0];
  const patientScope =
    resource === "Patient" &&
    principal.kind !== "anonymous" &&
    scopeSatisfies(principal.scopes, PATIENT_READ, ownRecord);
  return {
    scopes: patientScope ? [PATIENT_READ] : first === undefined ? [READ_ALL] : [`observations.${first}:read`],
    action: "read",
    allowClients: true,
    ...(owner === null ? {} : { ownerId: owner, audit, viaGrants: true }),
  };
}

/** The caller, when signed in (the requirement already refused anonymous callers). */
export function caller(c: Context<AppEnv>): Extract<Principal, { kind: "user" | "client" }> {
  const principal = c.var.principal;
  if (principal.kind === "anonymous") throw new ApiError("unauthorized");
  return principal;
}

/** Rows as Observations about `Patient/<owner>`, each variable's codings read once. */
export async function observationResources(
  c: Context<AppEnv>,
  tenantId: string,
  owner: string,
  rows: readonly FhirSearchRow[],
): Promise<Array<Record<string, unknown>>> {
  const db = await c.var.db();
  const codings = new Map<string, FhirCoding[]>();
  for (const id of new Set(rows.map((r) => r.variableId))) codings.set(id, await variableCodings(db, tenantId, id));
  const baseUrl = new URL(c.req.url).origin;
  return rows.map((row) =>
    fhirObservation(row, { baseUrl, userId: owner, codings: codings.get(row.variableId) ?? [] }),
  );
}

/** An R4 searchset Bundle (bundle.html, search.html §3.1.1.6): `self`, and `next` while more follow. */
export function searchset(
  c: Context<AppEnv>,
  resources: ReadonlyArray<Record<string, unknown>>,
  next: string | null,
  total?: number,
): Record<string, unknown> {
  const base = fhirBase(c);
  const self = new URL(c.req.url);
  const link = [{ relation: "self", url: self.toString() }];
  if (next !== null) {
    const nextUrl = new URL(self);
    nextUrl.searchParams.set("_cursor", next);
    link.push({ relation: "next", url: nextUrl.toString() });
  }
  return {
    resourceType: "Bundle",
    type: "searchset",
    ...(total === undefined ? {} : { total }),
    link,
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${String(resource.resourceType)}/${String(resource.id)}`,
      resource,
      search: { mode: "match" },
    })),
  };
}
