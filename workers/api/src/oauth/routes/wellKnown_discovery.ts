import { allScopes, smartScopesSupported } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { EXAMPLE_ORIGIN } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { ASSERTION_ALGORITHMS } from "../client-auth";
import { DEVICE_CODE_GRANT } from "../device";
import { configOf } from "../http";
import { internalErrorResponse, mount } from "../openapi";

/** Authorization server metadata (RFC 8414 §2), which is also an OpenID Provider's (OIDC Discovery §3). */
const DiscoverySchema = z
  .object({
    issuer: z.string().openapi({ example: "https://api.example.org" }),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    device_authorization_endpoint: z.string(),
    jwks_uri: z.string(),
    userinfo_endpoint: z.string(),
    registration_endpoint: z.string(),
    revocation_endpoint: z.string(),
    introspection_endpoint: z.string(),
    end_session_endpoint: z.string(),
    scopes_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    response_modes_supported: z.array(z.string()),
    grant_types_supported: z.array(z.string()),
    code_challenge_methods_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    token_endpoint_auth_signing_alg_values_supported: z.array(z.string()),
    revocation_endpoint_auth_methods_supported: z.array(z.string()),
    introspection_endpoint_auth_methods_supported: z.array(z.string()),
    id_token_signing_alg_values_supported: z.array(z.string()),
    subject_types_supported: z.array(z.string()),
    claims_supported: z.array(z.string()),
    authorization_response_iss_parameter_supported: z.boolean(),
    service_documentation: z.string(),
  })
  .openapi("AuthorizationServerMetadata");

/** The metadata of the authorization server whose issuer (RFC 8414 §2) is `base`. */
function discovery(base: string): z.infer<typeof DiscoverySchema> {
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    // RFC 8628 §4: where the device grant starts.
    device_authorization_endpoint: `${base}/oauth/device_authorization`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    userinfo_endpoint: `${base}/oauth/userinfo`,
    registration_endpoint: `${base}/oauth/register`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    end_session_endpoint: `${base}/oauth/logout`,
    // The platform's scopes, and the SMART App Launch aliases it grants (scopes.ts).
    scopes_supported: [...new Set([...allScopes(), ...smartScopesSupported()])],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none", "private_key_jwt"],
    // RFC 8414 §2; SMART Backend Services: the algorithms of client assertions (private_key_jwt).
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    id_token_signing_alg_values_supported: ["ES256"],
    subject_types_supported: ["public"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "amr",
      "at_hash",
      "email",
      "email_verified",
      "name",
      "tenant",
      "fhirUser",
    ],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/docs`,
  };
}

/** The same document at both well-known locations (RFC 8414 §3, OpenID Connect Discovery 1.0 §4). */
function metadataRoute(path: string, operationId: string, standard: string) {
  return createRoute({
    method: "get",
    path,
    operationId,
    tags: ["Authorization server"],
    security: [],
    summary: `Authorization server metadata (${standard})`,
    description:
      "Where the endpoints are and what they support. The same document is served at " +
      "`/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`.",
    responses: {
      200: {
        description: "The metadata.",
        content: { "application/json": { schema: DiscoverySchema, example: discovery(EXAMPLE_ORIGIN) } },
      },
      500: internalErrorResponse,
    },
  });
}

export const openidRoute = metadataRoute(
  "/.well-known/openid-configuration",
  "getOpenIdConfiguration",
  "OpenID Connect Discovery 1.0",
);
export const oauthRoute = metadataRoute(
  "/.well-known/oauth-authorization-server",
  "getAuthorizationServerMetadata",
  "RFC 8414",
);

export function register(app: OpenAPIHono<AppEnv>) {
  for (const route of [openidRoute, oauthRoute]) {
    mount(app, route, (c) => c.json(discovery(configOf(c).issuer), 200, { "Cache-Control": "public, max-age=300" }));
  }
}
