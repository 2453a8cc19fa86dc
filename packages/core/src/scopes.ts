/**
 * The OAuth 2.0 scope grammar (RFC 6749 §3.3: space-delimited, case-sensitive strings).
 *
 *   scope          = oidc-scope / resource-scope / category-scope
 *   oidc-scope     = "openid" / "profile" / "email" / "offline_access"        ; OpenID Connect Core §5.4, §11
 *   resource-scope = resource ":" action                                       ; e.g. observations:read
 *   category-scope = "observations." category ":" ("read" / "write")           ; e.g. observations.vital_signs:read
 *
 * `observations:read` covers every category; `observations.<category>:read` only that one. Each scope
 * maps onto SMART App Launch v2 scopes (docs/identity.md) so FHIR clients recognise what they ask for.
 */
import { FHIR_CATEGORY, OBSERVATION_CATEGORY_SYSTEM } from "./fhir";
import { VARIABLE_CATEGORY_SLUGS, type VariableCategorySlug } from "./reference";

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

/** What a scope lets an app do, for the consent screen, `GET /v1/me/apps` and registration. */
export interface ScopeInfo {
  /**
   * One truthful sentence completing "<App> wants to …": everything the routes that require the scope
   * let a holder do (docs/identity.md lists the routes), the word "delete" wherever it deletes.
   */
  description: string;
  /** The app keeps access while the person is not using it (RFC 6749 §1.5; OIDC Core §11). */
  whileAway: boolean;
  /**
   * An app developer may register a client for it through dynamic registration (RFC 7591 §2: the server
   * decides which metadata values it accepts). Administrative and developer scopes are granted to
   * clients only by an operator (`dfda client create`).
   */
  selfRegistrable: boolean;
}

/**
 * THE scope table: every scope but the per-category ones (`CATEGORY_SCOPE_INFO`), what it lets an app
 * do, whether it gives access while the person is away, and whether a self-registered app may hold it.
 * The consent screen reads its sentences from here and nowhere else.
 */
export const SCOPES = {
  openid: {
    description: "Confirm who you are when you sign in to it (your account identifier)",
    whileAway: false,
    selfRegistrable: true,
  },
  profile: { description: "See your name", whileAway: false, selfRegistrable: true },
  email: {
    description: "See your e-mail address and whether it is verified",
    whileAway: false,
    selfRegistrable: true,
  },
  offline_access: {
    description:
      "Keep the access you allow here while you are not using the app, by renewing it without asking you again " +
      "(until the time limit your organisation sets, or until you disconnect the app)",
    whileAway: true,
    selfRegistrable: true,
  },
  "observations:read": {
    description: "Read all your health observations (every category), their statistics, and exports of them",
    whileAway: false,
    selfRegistrable: true,
  },
  "observations:write": {
    description:
      "Add health observations to your record (deleting them needs you in person, freshly signed in on the platform itself)",
    whileAway: false,
    selfRegistrable: true,
  },
  "files:read": {
    description: "Read the files you uploaded, their contents and the columns found in them",
    whileAway: false,
    selfRegistrable: true,
  },
  "files:write": {
    description:
      "Upload files (exports, lab reports, device data) to your record and change how they are read " +
      "(deleting a file needs you in person, freshly signed in on the platform itself)",
    whileAway: false,
    selfRegistrable: true,
  },
  "consents:read": {
    description: "See whom you share your data with, the apps you connected, and who accessed your data",
    whileAway: false,
    selfRegistrable: true,
  },
  "consents:manage": {
    description: "Share your data with others, revoke sharing, and disconnect apps, on your behalf",
    whileAway: false,
    selfRegistrable: true,
  },
  "profile:write": {
    description:
      "Delete your account with all its data, and turn two-step verification on or off, but only with you in person, freshly signed in on the platform itself",
    whileAway: false,
    selfRegistrable: true,
  },
  "webhooks:manage": {
    description:
      "Be told at an address it chooses when something happens to your data (a file mapped or refused, new " +
      "observations, an export ready, a connection needing you, a sharing change), within what you share with it",
    whileAway: true,
    selfRegistrable: true,
  },
  "clients:manage": {
    description: "Register OAuth apps in your name (app developers)",
    whileAway: false,
    selfRegistrable: false,
  },
  "audit:read": {
    description: "Read the organisation's audit log (administrators)",
    whileAway: false,
    selfRegistrable: false,
  },
  "tenant:manage": {
    description:
      "Manage the organisation: groups, studies, custodian links, code mappings and data retention (administrators)",
    whileAway: false,
    selfRegistrable: false,
  },
} as const satisfies Record<string, ScopeInfo>;

export type ScopeName = keyof typeof SCOPES;
export type ResourceScope = Exclude<ScopeName, (typeof OIDC_SCOPES)[number]>;

/** The scope table's sentences for `observations.<category>:<action>` (which delete nothing). */
export const CATEGORY_SCOPE_INFO = {
  read: (label: string): ScopeInfo => ({
    description: `Read your ${label} observations`,
    whileAway: false,
    selfRegistrable: true,
  }),
  write: (label: string): ScopeInfo => ({
    description: `Add ${label} observations to your record`,
    whileAway: false,
    selfRegistrable: true,
  }),
} as const;

/** What a newly registered client gets when it names no scope (RFC 7591 §2): sign-in and a name. */
export const DEFAULT_REGISTRATION_SCOPES: readonly string[] = ["openid", "profile"];

const CATEGORY_SCOPE = /^observations\.([a-z_]+):(read|write)$/;

export type ParsedScope =
  | { kind: "oidc"; scope: (typeof OIDC_SCOPES)[number] }
  | { kind: "resource"; scope: ResourceScope; resource: string; action: string }
  | { kind: "category"; scope: string; category: VariableCategorySlug; action: "read" | "write" };

/** Parses one scope token, or returns null for a scope this platform does not define. */
export function parseScope(token: string): ParsedScope | null {
  if ((OIDC_SCOPES as readonly string[]).includes(token)) {
    return { kind: "oidc", scope: token as (typeof OIDC_SCOPES)[number] };
  }
  if (Object.hasOwn(SCOPES, token)) {
    const [resource = "", action = ""] = token.split(":");
    return { kind: "resource", scope: token as ResourceScope, resource, action };
  }
  const match = CATEGORY_SCOPE.exec(token);
  if (match) {
    const category = VARIABLE_CATEGORY_SLUGS.find((c) => c === match[1]);
    if (category) return { kind: "category", scope: token, category, action: match[2] as "read" | "write" };
  }
  return null;
}

/** Splits a scope parameter (RFC 6749 §3.3) into unique tokens, in order. */
export function splitScopes(scope: string | null | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(" ").filter((s) => s.length > 0))];
}

/** The tokens that are neither a scope this platform defines nor a SMART App Launch scope (below). */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => parseScope(s) === null && parseSmartScope(s) === null);
}

/** The scope table's entry for a defined scope, or null. */
export function scopeInfo(token: string): ScopeInfo | null {
  const parsed = parseScope(token);
  if (!parsed) return smartScopeInfo(token);
  if (parsed.kind !== "category") return SCOPES[parsed.scope];
  return CATEGORY_SCOPE_INFO[parsed.action](parsed.category.replace(/_/g, " "));
}

/** Plain words for a scope, for the consent screen and `GET /v1/me/apps` (the token itself if unknown). */
export function describeScope(token: string): string {
  return scopeInfo(token)?.description ?? token;
}

/** Whether a self-registered client (RFC 7591) may hold the scope. */
export function selfRegistrable(token: string): boolean {
  return scopeInfo(token)?.selfRegistrable === true;
}

/**
 * Whether granted scopes satisfy a required one: a scope satisfies itself, and
 * `observations:<action>` satisfies every `observations.<category>:<action>`.
 */
export function scopeSatisfies(
  granted: Iterable<string>,
  required: string,
  /**
   * Whether the access is to the caller's own record (the requirement names the caller as the owner):
   * only then do SMART `patient/` scopes count (see `effectiveScopes`). Default no: fail closed.
   */
  ownRecord = false,
): boolean {
  const effective = effectiveScopes(granted, ownRecord);
  if (effective.has(required)) return true;
  const match = CATEGORY_SCOPE.exec(required);
  return match !== null && effective.has(`observations:${match[2]}`);
}

/** Every scope this platform defines (for discovery's `scopes_supported`). */
export function allScopes(): string[] {
  const categories = VARIABLE_CATEGORY_SLUGS.flatMap((c) => [`observations.${c}:read`, `observations.${c}:write`]);
  return [...Object.keys(SCOPES), ...categories];
}

// ---- SMART App Launch 2.x scopes -----------------------------------------------------------------
//
// https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html. A SMART client asks for
//
//   resource-scope = ("patient" / "user" / "system") "/" (resource-type / "*") "." permissions ["?" query]
//   permissions    = v2: one or more of "c" "r" "u" "d" "s", in that order; v1: "read" / "write" / "*"
//   context-scope  = "launch/patient" / "fhirUser"   (and "openid" / "offline_access" above)
//
// and the platform accepts these as aliases of its own scopes, enforced by the same checks. The token
// carries the SMART scopes as granted (the token response's `scope` tells the client what it got, which
// may be less than it asked: §"Scopes … the server MAY grant fewer"); `effectiveScopes` turns them into
// the platform scopes the routes require. `patient/` scopes open only the person's own record (the
// patient compartment of a standalone launch); `user/` scopes what the person may see, their own
// record and what others shared with them through consent grants, exactly as the platform's scopes do.

/** The SMART contexts (§Scopes for requesting clinical data). */
export type SmartContext = "patient" | "user" | "system";

/** A parsed SMART resource scope. */
export interface SmartResourceScope {
  context: SmartContext;
  /** A FHIR resource type, or `*` for every type. */
  resourceType: string;
  /** The permissions as v2 letters in canonical order (`.read` is `rs`, `.write` `cud`, `.*` `cruds`). */
  permissions: string;
  /** The v2 query (`category=…|vital-signs`), without the `?`, or null. */
  query: string | null;
}

/** Context scopes of a standalone launch: ask for the patient in context; ask for the user's FHIR resource. */
export const SMART_CONTEXT_SCOPES = ["launch/patient", "fhirUser"] as const;
/** Context scopes a client may ask for but this server does not grant (no encounters; EHR launch only). */
const SMART_UNGRANTED_CONTEXT = new Set(["launch/encounter"]);

const SMART_RESOURCE_SCOPE = /^(patient|user|system)\/([A-Z][A-Za-z]*|\*)\.([a-z*]+)(?:\?(.+))?$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;
/** The v1 names (SMART App Launch 1.0 §Scopes), as v2 letters (App Launch 2.x §"Scopes for requesting clinical data", v1 compatibility). */
const V1_PERMISSIONS: Readonly<Record<string, string>> = { read: "rs", write: "cud", "*": "cruds" };

/** Parses a SMART scope: a resource scope, or a context scope (`launch/patient`, `fhirUser`); null otherwise. */
export function parseSmartScope(
  token: string,
): ({ kind: "resource" } & SmartResourceScope) | { kind: "context"; scope: string } | null {
  if ((SMART_CONTEXT_SCOPES as readonly string[]).includes(token) || SMART_UNGRANTED_CONTEXT.has(token)) {
    return { kind: "context", scope: token };
  }
  const match = SMART_RESOURCE_SCOPE.exec(token);
  if (!match) return null;
  const [, context, resourceType = "", raw = "", query] = match;
  const permissions = V1_PERMISSIONS[raw] ?? (raw !== "" && V2_PERMISSIONS.test(raw) ? raw : null);
  if (permissions === null) return null;
  // A v1 permission name takes no query (queries are a v2 addition).
  if (query !== undefined && V1_PERMISSIONS[raw] !== undefined) return null;
  return { kind: "resource", context: context as SmartContext, resourceType, permissions, query: query ?? null };
}

/**
 * What the platform can grant of each FHIR resource type, per permission set: each entry is the
 * permissions it needs (all of them: a platform scope that also searches or updates is granted only
 * to a request that asks for that too, never more than asked) and the platform scope it stands for.
 * `Patient` read is the FHIR Patient resource (its id only): `PATIENT_READ` below.
 */
const SMART_RESOURCES: Readonly<
  Record<string, ReadonlyArray<{ needs: string; scope: string; contexts: readonly SmartContext[] }>>
> = {
  Observation: [
    { needs: "rs", scope: "observations:read", contexts: ["patient", "user"] },
    { needs: "c", scope: "observations:write", contexts: ["patient", "user"] },
  ],
  Patient: [{ needs: "rs", scope: "fhir.patient:read", contexts: ["patient", "user"] }],
  DocumentReference: [
    { needs: "rs", scope: "files:read", contexts: ["patient", "user"] },
    // files:write also changes how a file is read (its columns, a reprocess): an update.
    { needs: "cu", scope: "files:write", contexts: ["patient", "user"] },
  ],
  // The consent routes are about the person both as grantor and as grantee: user context only.
  Consent: [
    { needs: "rs", scope: "consents:read", contexts: ["user"] },
    { needs: "cud", scope: "consents:manage", contexts: ["user"] },
  ],
};

/**
 * The internal permission a SMART `Patient` read scope gives: to read the Patient resource (which holds
 * only the person's id, docs/fhir.md). Not a scope a client can ask for by this name; the FHIR Patient
 * routes accept it besides the observation read scopes.
 */
export const PATIENT_READ = "fhir.patient:read";

/** The platform categories an Observation scope's v2 query names, or null when the query is not one the server enforces. */
function queryCategories(query: string): string[] | null {
  const params = new URLSearchParams(query);
  const keys = [...new Set(params.keys())];
  const value = params.getAll("category");
  if (keys.length !== 1 || keys[0] !== "category" || value.length !== 1) return null;
  const [system, code] = (value[0] ?? "").split("|");
  if (system !== OBSERVATION_CATEGORY_SYSTEM || code === undefined) return null;
  const slugs = Object.entries(FHIR_CATEGORY)
    .filter(([, fhir]) => fhir.code === code)
    .map(([slug]) => slug);
  return slugs.length > 0 ? slugs : null;
}

/** What a SMART resource scope grants: platform scopes, each with whether it is limited to the own record. */
function smartResourceGrants(scope: SmartResourceScope): { permissions: Set<string>; scopes: string[] } {
  const permissions = new Set<string>();
  const scopes: string[] = [];
  const types = scope.resourceType === "*" ? Object.keys(SMART_RESOURCES) : [scope.resourceType];
  // Only Observation scopes take a query the server enforces (a category); any other query is not granted.
  if (scope.query !== null && scope.resourceType !== "Observation") return { permissions, scopes };
  const categories = scope.query === null ? null : queryCategories(scope.query);
  if (scope.query !== null && categories === null) return { permissions, scopes };
  for (const type of types) {
    for (const entry of SMART_RESOURCES[type] ?? []) {
      if (!entry.contexts.includes(scope.context)) continue;
      if (![...entry.needs].every((p) => scope.permissions.includes(p))) continue;
      for (const p of entry.needs) permissions.add(p);
      if (categories === null) scopes.push(entry.scope);
      else {
        const action = entry.scope === "observations:read" ? "read" : "write";
        for (const c of categories) scopes.push(`observations.${c}:${action}`);
      }
    }
  }
  return { permissions, scopes };
}

/**
 * The part of a requested SMART scope this server grants, as the scope string the token and the token
 * response carry, or null when it grants none of it (an unknown resource type, a permission it cannot
 * separate from others, a query it cannot enforce, `system/` outside client credentials, an encounter).
 * Platform scopes are returned unchanged. App Launch 2.x §Scopes: the server may grant fewer scopes
 * than asked and says which in the token response.
 *
 * @example
 * grantableScope("patient/Observation.cruds") // "patient/Observation.crs" (no updates or deletes here)
 */
export function grantableScope(token: string): string | null {
  if (parseScope(token) !== null) return token;
  const smart = parseSmartScope(token);
  if (smart === null) return null;
  if (smart.kind === "context") return SMART_UNGRANTED_CONTEXT.has(token) ? null : token;
  if (smart.context === "system") return null;
  const { permissions } = smartResourceGrants(smart);
  if (permissions.size === 0) return null;
  const letters = [..."cruds"].filter((p) => permissions.has(p)).join("");
  return `${smart.context}/${smart.resourceType}.${letters}${smart.query === null ? "" : `?${smart.query}`}`;
}

/**
 * The platform scopes a granted scope stands for, each marked when it opens only the person's own
 * record (a `patient/` scope). A platform scope stands for itself; `fhirUser` and `launch/patient` for
 * none (they shape the token response and the ID token).
 */
export function platformScopesOf(token: string): Array<{ scope: string; ownRecordOnly: boolean }> {
  if (parseScope(token) !== null) return [{ scope: token, ownRecordOnly: false }];
  const smart = parseSmartScope(token);
  if (smart?.kind !== "resource" || smart.context === "system") return [];
  return smartResourceGrants(smart).scopes.map((scope) => ({ scope, ownRecordOnly: smart.context === "patient" }));
}

/**
 * The platform scopes granted scopes give for one access: `patient/` scopes count only for the caller's
 * own record (App Launch 2.x: patient-specific scopes are limited to the patient in context, who in a
 * standalone launch here is always the person signed in).
 */
export function effectiveScopes(granted: Iterable<string>, ownRecord: boolean): Set<string> {
  const effective = new Set<string>();
  for (const token of granted) {
    for (const { scope, ownRecordOnly } of platformScopesOf(token))
      if (ownRecord || !ownRecordOnly) effective.add(scope);
  }
  return effective;
}

/**
 * Whether a client registered for `allowed` may be granted `token`: it is registered for the token
 * itself, or for platform scopes covering everything the token stands for, in a context at least as
 * wide (a client registered for `observations:read` may ask `user/Observation.rs` or
 * `patient/Observation.rs`; one registered for `patient/Observation.rs` may not ask `observations:read`).
 * `fhirUser` needs `openid` (it is an ID token claim); `launch/patient` reveals only the person's id.
 */
export function scopeAllowed(allowed: readonly string[], token: string): boolean {
  if (allowed.includes(token)) return true;
  if (token === "launch/patient") return true;
  if (token === "fhirUser") return allowed.includes("openid");
  // A platform scope asked by its own name: the client must be registered for exactly it.
  if (parseScope(token) !== null) return false;
  const wanted = platformScopesOf(token);
  if (wanted.length === 0) return false;
  return wanted.every(({ scope, ownRecordOnly }) => {
    if (scope === PATIENT_READ) {
      // The Patient resource is readable with any observation read scope (docs/fhir.md).
      return allowed.some((a) => platformScopesOf(a).some((p) => p.scope === PATIENT_READ || /:read$/.test(p.scope)));
    }
    return scopeSatisfies(allowed, scope, ownRecordOnly);
  });
}

/** The consent screen's sentence for a SMART scope, from the sentences of the platform scopes it stands for. */
function smartScopeInfo(token: string): ScopeInfo | null {
  const smart = parseSmartScope(token);
  if (smart === null) return null;
  if (smart.kind === "context") {
    return token === "fhirUser"
      ? {
          description: "Know which FHIR record is yours (your Patient resource's address, in the sign-in confirmation)",
          whileAway: false,
          selfRegistrable: true,
        }
      : token === "launch/patient"
        ? { description: "Know which FHIR record is yours (your Patient id)", whileAway: false, selfRegistrable: true }
        : null;
  }
  const granted = platformScopesOf(token);
  if (granted.length === 0) return null;
  const parts = granted.map(({ scope }) =>
    scope === PATIENT_READ
      ? "Read your FHIR Patient record (only its id: the platform keeps no names)"
      : describeScope(scope),
  );
  const whose =
    smart.context === "patient"
      ? " (your own record only)"
      : " (yours, and what others share with you through their consent)";
  return {
    description: `${parts.join("; ")}${whose}`,
    whileAway: false,
    selfRegistrable: granted.every(({ scope }) => scope === PATIENT_READ || selfRegistrable(scope)),
  };
}

/**
 * The SMART scopes this server grants, for `scopes_supported` in `/.well-known/smart-configuration`
 * (App Launch 2.x §Conformance: a server lists the scopes it supports; it need not list every
 * combination). Each `<context>/<type>.<permissions>` of the table above, the wildcard, and the
 * context scopes.
 */
export function smartScopesSupported(): string[] {
  const scopes = ["openid", "fhirUser", "launch/patient", "offline_access"];
  for (const context of ["patient", "user"] as const) {
    for (const [type, entries] of Object.entries(SMART_RESOURCES)) {
      for (const entry of entries)
        if (entry.contexts.includes(context)) scopes.push(`${context}/${type}.${entry.needs}`);
    }
    scopes.push(`${context}/*.rs`);
  }
  return scopes;
}

/**
 * The SMART App Launch v2 scope a platform scope is equivalent to, where one is exact (docs/identity.md
 * lists them): `user/` context, since the platform's scopes also reach what others shared through
 * consent. A category scope has one only where the category is exactly one R4 observation-category.
 */
export function smartEquivalent(token: string): string | null {
  const parsed = parseScope(token);
  if (!parsed) return null;
  switch (parsed.kind) {
    case "oidc":
      return parsed.scope === "profile" ? null : parsed.scope;
    case "category": {
      const fhir = FHIR_CATEGORY[parsed.category];
      const exact = fhir !== undefined && Object.values(FHIR_CATEGORY).filter((f) => f.code === fhir.code).length === 1;
      if (!exact) return null;
      const action = parsed.action === "read" ? "rs" : "c";
      return `user/Observation.${action}?category=${OBSERVATION_CATEGORY_SYSTEM}|${fhir.code}`;
    }
    case "resource": {
      const map: Partial<Record<ResourceScope, string>> = {
        "observations:read": "user/Observation.rs",
        "observations:write": "user/Observation.c",
        "files:read": "user/DocumentReference.rs",
        "files:write": "user/DocumentReference.cu",
        "consents:read": "user/Consent.rs",
        "consents:manage": "user/Consent.cud",
      };
      return map[parsed.scope] ?? null;
    }
  }
}
