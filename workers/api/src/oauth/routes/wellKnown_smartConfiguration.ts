import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { EXAMPLE_ORIGIN } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { configOf } from "../http";
import { internalErrorResponse, mount } from "../openapi";
import { smartConfiguration } from "../smart";

/** SMART App Launch 2.x §Metadata (conformance.html): the fields this server fills. */
const SmartConfigurationSchema = z
  .object({
    issuer: z.string(),
    jwks_uri: z.string(),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    grant_types_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    registration_endpoint: z.string(),
    revocation_endpoint: z.string(),
    introspection_endpoint: z.string(),
    userinfo_endpoint: z.string(),
    scopes_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    code_challenge_methods_supported: z.array(z.string()),
    capabilities: z.array(z.string()),
  })
  .openapi("SmartConfiguration");

export const route = createRoute({
  method: "get",
  path: "/.well-known/smart-configuration",
  operationId: "getSmartConfiguration",
  tags: ["Authorization server"],
  security: [],
  summary: "SMART App Launch configuration (SMART App Launch 2.x §Conformance)",
  description:
    "What a SMART on FHIR client reads before a standalone launch: the authorization server's endpoints, the " +
    "SMART scopes it grants (aliases of the platform's scopes, docs/fhir.md) and its capabilities. The same " +
    "document is served under the FHIR base, `/fhir/R4/.well-known/smart-configuration`.",
  responses: {
    200: {
      description: "The configuration.",
      content: {
        "application/json": { schema: SmartConfigurationSchema, example: smartConfiguration(EXAMPLE_ORIGIN) },
      },
    },
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, (c) =>
    c.json(smartConfiguration(configOf(c).issuer), 200, { "Cache-Control": "public, max-age=300" }),
  );
}
