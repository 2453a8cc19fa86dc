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

/** Whether every token is a defined scope. */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => parseScope(s) === null);
}

/** The scope table's entry for a defined scope, or null. */
export function scopeInfo(token: string): ScopeInfo | null {
  const parsed = parseScope(token);
  if (!parsed) return null;
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
export function scopeSatisfies(granted: ReadonlySet<string>, required: string): boolean {
  if (granted.has(required)) return true;
  const match = CATEGORY_SCOPE.exec(required);
  return match !== null && granted.has(`observations:${match[2]}`);
}

/** Every scope this platform defines (for discovery's `scopes_supported`). */
export function allScopes(): string[] {
  const categories = VARIABLE_CATEGORY_SLUGS.flatMap((c) => [`observations.${c}:read`, `observations.${c}:write`]);
  return [...Object.keys(SCOPES), ...categories];
}

/** SMART App Launch v2 equivalents (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html). */
export function smartEquivalent(token: string): string | null {
  const parsed = parseScope(token);
  if (!parsed) return null;
  switch (parsed.kind) {
    case "oidc":
      return parsed.scope === "profile" ? "fhirUser" : parsed.scope;
    case "category": {
      const fhirCategory = parsed.category.replace(/_/g, "-");
      const action = parsed.action === "read" ? "rs" : "cu";
      return `patient/Observation.${action}?category=http://terminology.hl7.org/CodeSystem/observation-category|${fhirCategory}`;
    }
    case "resource": {
      const map: Partial<Record<ResourceScope, string>> = {
        "observations:read": "patient/Observation.rs",
        "observations:write": "patient/Observation.cu",
        "files:read": "patient/DocumentReference.rs",
        "files:write": "patient/DocumentReference.c",
        "consents:read": "patient/Consent.rs",
        "consents:manage": "patient/Consent.cruds",
      };
      return map[parsed.scope] ?? null;
    }
  }
}
