/**
 * SMART App Launch 2.x discovery (https://hl7.org/fhir/smart-app-launch/conformance.html): the
 * `/.well-known/smart-configuration` document a SMART client reads before a launch, served at the
 * origin and under the FHIR base (`/fhir/R4/.well-known/smart-configuration`, where clients look:
 * `[base]/.well-known/smart-configuration`). The endpoints are the authorization server's own
 * (docs/identity.md); the scopes are the SMART aliases it grants (@dfda/core scopes.ts).
 */
import { smartScopesSupported } from "@dfda/core";
import { DEVICE_CODE_GRANT } from "./device";

/**
 * The capabilities this server supports (App Launch 2.x §Capabilities): a standalone launch by a
 * public (PKCE) or confidential (client secret) client, the person as the patient in context, v2 and
 * v1 scopes in patient and user context, OpenID Connect sign-in and refresh tokens. No EHR launch
 * (`launch-ehr`, `context-ehr-*`): the platform is not an EHR with a session to launch from.
 */
export const SMART_CAPABILITIES = [
  "launch-standalone",
  "client-public",
  "client-confidential-symmetric",
  "context-standalone-patient",
  "permission-v1",
  "permission-v2",
  "permission-patient",
  "permission-user",
  "permission-offline",
  "sso-openid-connect",
] as const;

export interface SmartConfiguration {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint: string;
  token_endpoint: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  registration_endpoint: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  userinfo_endpoint: string;
  scopes_supported: string[];
  response_types_supported: string[];
  code_challenge_methods_supported: string[];
  capabilities: string[];
}

/** The document for the authorization server whose issuer is `issuer`. */
export function smartConfiguration(issuer: string): SmartConfiguration {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    registration_endpoint: `${issuer}/oauth/register`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    scopes_supported: smartScopesSupported(),
    response_types_supported: ["code"],
    // App Launch 2.x §Metadata: S256 required, `plain` never listed.
    code_challenge_methods_supported: ["S256"],
    capabilities: [...SMART_CAPABILITIES],
  };
}
