/**
 * Input rules of the operator commands, each returning a message for the operator (or null when the
 * value is fine). They match what the authorization server accepts at sign-up and client registration.
 */
import { ROLE_NAMES, type RoleName, trimEndChar, unknownScopes } from "@dfda/core";

/** A tenant slug: a DNS-label-like name (lower-case letters, digits, inner hyphens; 1–63 characters). */
export function slugProblem(slug: string): string | null {
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(slug)
    ? null
    : `"${slug}" is not a valid slug: use 1-63 lower-case letters, digits and inner hyphens (e.g. acme-health).`;
}

/** The same e-mail shape sign-up accepts. */
export function emailProblem(email: string): string | null {
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return `"${email}" is not a valid e-mail address.`;
  return null;
}

/** NIST SP 800-63B §5.1.1.2 as sign-up applies it: 12 to 1024 characters. */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return "The password must have at least 12 characters.";
  if (password.length > 1024) return "The password must have at most 1024 characters.";
  return null;
}

export function isRoleName(role: string): role is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(role);
}

/** Roles in order, without duplicates, or the message naming the unknown ones. */
export function parseRoles(roles: readonly string[]): { roles: RoleName[] } | { problem: string } {
  const unknown = roles.filter((r) => !isRoleName(r));
  if (unknown.length > 0) {
    return { problem: `Unknown role: ${unknown.join(", ")}. Roles: ${ROLE_NAMES.join(", ")}.` };
  }
  return { roles: [...new Set(roles.filter(isRoleName))] };
}

/** Scope values, each possibly space-separated (`--scope "openid profile"`), deduplicated and checked. */
export function parseScopeList(values: readonly string[]): { scopes: string[] } | { problem: string } {
  const scopes = [...new Set(values.flatMap((v) => v.split(/\s+/)).filter((s) => s !== ""))];
  const unknown = unknownScopes(scopes);
  if (unknown.length > 0) return { problem: `Unknown scope: ${unknown.join(", ")}.` };
  return { scopes };
}

export const GRANT_TYPES = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  // RFC 8628 §3.4: a device without a browser (`dfda login --device`).
  "urn:ietf:params:oauth:grant-type:device_code",
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** Grant types a client of this type may have (RFC 6749 §4.4: client credentials only for confidential clients). */
export function grantTypesProblem(grants: readonly string[], clientType: "public" | "confidential"): string | null {
  const unknown = grants.filter((g) => !(GRANT_TYPES as readonly string[]).includes(g));
  if (unknown.length > 0) return `Unknown grant type: ${unknown.join(", ")}. Grant types: ${GRANT_TYPES.join(", ")}.`;
  if (clientType === "public" && grants.includes("client_credentials")) {
    return "A public client cannot use client_credentials (it has no secret to authenticate with; RFC 6749 §4.4).";
  }
  return null;
}

/** An operator-chosen client_id: URL-safe characters only, so it needs no escaping anywhere. */
export function clientIdProblem(clientId: string): string | null {
  return /^[A-Za-z0-9._~-]{3,128}$/.test(clientId)
    ? null
    : `"${clientId}" is not a valid client id: use 3-128 letters, digits, ".", "_", "~" or "-".`;
}

/** A base URL for the authorization server: http(s), without query or fragment; returned without a trailing slash. */
export function parseBaseUrl(value: string): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `--base-url ${value} is not an absolute URL (e.g. http://127.0.0.1:8787).` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { problem: `--base-url ${value} is not an http or https URL (e.g. http://127.0.0.1:8787).` };
  if (url.search !== "" || url.hash !== "") return { problem: "--base-url must not have a query or fragment." };
  return { url: trimEndChar(`${url.origin}${url.pathname}`, "/") };
}
