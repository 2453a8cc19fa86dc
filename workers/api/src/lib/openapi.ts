/**
 * How the API's OpenAPI document describes authorization: the `oauth2` security scheme of the
 * platform's own authorization server (its endpoints are under /oauth, docs/identity.md), with every
 * scope the platform defines, and the security requirement each protected operation declares.
 */
import { allScopes, describeScope } from "@dfda/core";

/**
 * The OAuth 2.0 flows the authorization server supports (discovery's `grant_types_supported`):
 * authorization code, always with PKCE (RFC 7636; OAuth 2.1 §4.1: the server accepts S256 only), and
 * client credentials (RFC 6749 §4.4) for a confidential app acting for itself. The URLs are relative
 * references, resolved against the document's `servers` entry (OpenAPI 3.1.0 §4.6 "Relative References
 * in URLs"): the authorization server is this Worker, wherever it is deployed.
 */
export function oauth2SecurityScheme() {
  // Every scope, with the sentence the consent screen shows for it (packages/core/src/scopes.ts).
  const scopes = Object.fromEntries(allScopes().map((scope) => [scope, describeScope(scope)]));
  return {
    type: "oauth2" as const,
    description:
      "The platform's OAuth 2.0 authorization server (metadata at /.well-known/oauth-authorization-server, " +
      "RFC 8414). Apps acting for a person use the authorization code grant with PKCE (S256); a confidential " +
      "app acting for itself uses client credentials. Access tokens are JWTs (RFC 9068) sent as bearer tokens " +
      "(RFC 6750). A scope grants nothing by itself: the person's role and consent grants still apply.",
    flows: {
      authorizationCode: {
        authorizationUrl: "/oauth/authorize",
        tokenUrl: "/oauth/token",
        refreshUrl: "/oauth/token",
        scopes,
      },
      clientCredentials: { tokenUrl: "/oauth/token", refreshUrl: "/oauth/token", scopes },
    },
  };
}

/**
 * The security requirement of a protected operation: either scheme (a Security Requirement Object per
 * alternative, OpenAPI 3.1.0 §4.8.30), each naming the scopes the operation needs, so a generated client
 * or Swagger UI knows what to ask for. The bearer scheme's list is informational (§4.8.30 allows role
 * names there); `oauth2` is the one Swagger UI's sign-in reads.
 *
 * @example
 * securityRequirement(["observations:read"]) // [{ bearerAuth: ["observations:read"] }, { oauth2: ["observations:read"] }]
 */
export function securityRequirement(scopes: readonly string[]): Array<Record<string, string[]>> {
  return [{ bearerAuth: [...scopes] }, { oauth2: [...scopes] }];
}
