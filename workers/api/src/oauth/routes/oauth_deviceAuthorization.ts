import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { EXAMPLE_CLIENT_ID, EXAMPLE_ORIGIN } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { authenticateClient } from "../client-auth";
import { createDeviceAuthorization } from "../device";
import { clientIp, configOf, protocol, throttledClientForm } from "../http";
import {
  clientCredentialFields,
  formBody,
  internalErrorResponse,
  mount,
  oauthError,
  rateLimitedResponse,
} from "../openapi";

export const route = createRoute({
  method: "post",
  path: "/oauth/device_authorization",
  operationId: "deviceAuthorization",
  tags: ["Authorization server"],
  security: [],
  summary: "Device authorization endpoint (RFC 8628 §3.1)",
  description:
    "Starts the device authorization grant for a device without a browser (`dfda login --device`): answers a " +
    "device code for the device to poll the token endpoint with (grant type " +
    "`urn:ietf:params:oauth:grant-type:device_code`) and a user code for the person to enter at " +
    "`verification_uri` on another device. Clients authenticate as at the token endpoint (RFC 6749 §2.3); the " +
    "client must be registered for the device code grant. Errors are RFC 6749 §5.2 JSON.",
  request: {
    body: formBody(
      { scope: { type: "string", description: "Space-separated scopes." }, ...clientCredentialFields },
      ["scope"],
      {
        scope: "openid observations:read observations:write",
        client_id: EXAMPLE_CLIENT_ID,
      },
    ),
  },
  responses: {
    200: {
      description: "The codes (RFC 8628 §3.2).",
      content: {
        "application/json": {
          schema: z
            .object({
              device_code: z.string(),
              user_code: z.string().openapi({ example: "BDWP-HQPK" }),
              verification_uri: z.string().openapi({ example: "https://api.example.org/oauth/device" }),
              verification_uri_complete: z
                .string()
                .openapi({ example: "https://api.example.org/oauth/device?user_code=BDWP-HQPK" }),
              expires_in: z.number().int().openapi({ example: 600 }),
              interval: z.number().int().openapi({ example: 5 }),
            })
            .openapi("DeviceAuthorizationResponse"),
          example: {
            device_code: "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
            user_code: "BDWP-HQPK",
            verification_uri: `${EXAMPLE_ORIGIN}/oauth/device`,
            verification_uri_complete: `${EXAMPLE_ORIGIN}/oauth/device?user_code=BDWP-HQPK`,
            expires_in: 600,
            interval: 5,
          },
        },
      },
    },
    400: oauthError(
      "`invalid_request`, `invalid_scope`, `unauthorized_client` (RFC 6749 §5.2).",
      "unauthorized_client",
      "This client may not use urn:ietf:params:oauth:grant-type:device_code.",
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
      const db = await c.var.db();
      const client = await authenticateClient(db, c.req.header("Authorization"), body);
      const response = await createDeviceAuthorization(db, cfg, client, body.get("scope"));
      await recordAudit(db, {
        tenantId: client.tenantId,
        action: "oauth.device_code_issued",
        outcome: "success",
        actorClientId: client.clientId,
        ip: clientIp(c),
        requestId: c.var.requestId,
        details: { scope: body.get("scope") },
      });
      return c.json(response, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
    }),
  );
}
