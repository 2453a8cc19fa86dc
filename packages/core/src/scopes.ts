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

/** Resource scopes with the plain words the consent screen shows for each. */
export const RESOURCE_SCOPES = {
  "observations:read": "Read your health observations (all categories)",
  "observations:write": "Add health observations to your record",
  "files:read": "Read the files you uploaded",
  "files:write": "Upload files (exports, lab reports, device data) to your record",
  "consents:read": "See whom you share your data with",
  "consents:manage": "Share your data and revoke sharing on your behalf",
  "profile:write": "Change your profile",
  "clients:manage": "Register and manage OAuth apps (app developers)",
  "audit:read": "Read the audit log (administrators)",
  "tenant:manage": "Manage users, roles and settings of the organisation (administrators)",
} as const;
export type ResourceScope = keyof typeof RESOURCE_SCOPES;

const OIDC_DESCRIPTIONS: Record<(typeof OIDC_SCOPES)[number], string> = {
  openid: "Sign you in with your account",
  profile: "See your name",
  email: "See your e-mail address",
  offline_access: "Keep access while you are not using the app (until you revoke it)",
};

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
  if (Object.hasOwn(RESOURCE_SCOPES, token)) {
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

/** Plain words for a scope, for the consent screen and `GET /v1/me/apps`. */
export function describeScope(token: string): string {
  const parsed = parseScope(token);
  if (!parsed) return token;
  if (parsed.kind === "oidc") return OIDC_DESCRIPTIONS[parsed.scope];
  if (parsed.kind === "resource") return RESOURCE_SCOPES[parsed.scope];
  const label = parsed.category.replace(/_/g, " ");
  return parsed.action === "read" ? `Read your ${label} observations` : `Add ${label} observations to your record`;
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
  return [...OIDC_SCOPES, ...Object.keys(RESOURCE_SCOPES), ...categories];
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
