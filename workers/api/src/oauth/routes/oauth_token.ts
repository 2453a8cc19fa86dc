import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  EXAMPLE_ACCESS_TOKEN,
  EXAMPLE_CLIENT_ID,
  EXAMPLE_REDIRECT_URI,
  EXAMPLE_REFRESH_TOKEN,
} from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientIp, configOf, protocol, throttledClientForm } from "../http";
import {
  clientCredentialFields,
  formBody,
  internalErrorResponse,
  mount,
  oauthError,
  rateLimitedResponse,
} from "../openapi";
import { handleTokenRequest } from "../token-endpoint";

export const route = createRoute({
  method: "post",
  path: "/oauth/token",
  operationId: "token",
  tags: ["Authorization server"],
  security: [],
  summary: "Token endpoint (RFC 6749 §3.2)",
  description:
    "Grants `authorization_code` (with the PKCE verifier, RFC 7636 §4.5), `refresh_token` (rotated, with reuse " +
    "detection revoking the family), `client_credentials` (confidential clients) and " +
    "`urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4: `authorization_pending`, `slow_down`, " +
    "`access_denied`, `expired_token` until the person approves). Clients authenticate with " +
    "HTTP Basic or in the body (RFC 6749 §2.3.1); public clients send only `client_id`. Errors are RFC 6749 " +
    "§5.2 JSON.",
  request: {
    body: formBody(
      {
        grant_type: {
          type: "string",
          description:
            "`authorization_code`, `refresh_token`, `client_credentials` or `urn:ietf:params:oauth:grant-type:device_code`.",
        },
        device_code: { type: "string", description: "The device grant's code (RFC 8628 §3.4)." },
        code: { type: "string" },
        redirect_uri: { type: "string" },
        code_verifier: { type: "string" },
        refresh_token: { type: "string" },
        scope: { type: "string" },
        ...clientCredentialFields,
      },
      ["grant_type"],
      // RFC 7636 Appendix B's verifier; a public client (RFC 8252) authenticates with its client_id alone.
      {
        grant_type: "authorization_code",
        code: "SplxlOBeZQQYbYS6WxSbIA",
        redirect_uri: EXAMPLE_REDIRECT_URI,
        code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        client_id: EXAMPLE_CLIENT_ID,
      },
    ),
  },
  responses: {
    200: {
      description: "The tokens (RFC 6749 §5.1; an ID token with `openid`, OIDC Core §3.1.3.3).",
      content: {
        "application/json": {
          schema: z
            .object({
              access_token: z.string().openapi({ description: "A JWT (RFC 9068)." }),
              token_type: z.literal("Bearer"),
              expires_in: z.number().int().openapi({ example: 600 }),
              scope: z.string(),
              refresh_token: z.string().optional(),
              id_token: z.string().optional(),
              patient: z.string().optional().openapi({
                description:
                  "SMART App Launch: with `launch/patient`, the FHIR Patient id of the person (GET /fhir/R4/Patient/{id}).",
              }),
            })
            .openapi("TokenResponse"),
          example: {
            access_token: EXAMPLE_ACCESS_TOKEN,
            token_type: "Bearer",
            expires_in: 600,
            scope: "openid observations:read",
            refresh_token: EXAMPLE_REFRESH_TOKEN,
            id_token:
              "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIwMTkzYTBiNC02ZDFlLTdjMmEtOWYzYi0yYTRjNmU4ZjBhMTEifQ.MEQCIFx",
          },
        },
      },
    },
    400: oauthError(
      "`invalid_request`, `invalid_grant`, `invalid_scope`, … (RFC 6749 §5.2).",
      "invalid_grant",
      "The authorization code is not valid.",
    ),
    401: oauthError(
      "`invalid_client`, with a `WWW-Authenticate` challenge.",
      "invalid_client",
      "Client authentication failed.",
    ),
    429: rateLimitedResponse("token"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route,
    protocol(async (c) => {
      const cfg = configOf(c);
      const body = await throttledClientForm(c);
      if (body instanceof Response) return body;
      const response = await handleTokenRequest({
        db: await c.var.db(),
        config: cfg,
        authorization: c.req.header("Authorization"),
        form: body,
        ip: clientIp(c),
        requestId: c.var.requestId,
      });
      return c.json(response, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
    }),
  );
}
