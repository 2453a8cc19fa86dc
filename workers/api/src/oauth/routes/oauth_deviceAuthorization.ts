import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { authenticateClient } from "../client-auth";
import { createDeviceAuthorization } from "../device";
import { clientIp, configOf, protocol, throttledClientForm } from "../http";
import {
  clientCredentialFields,
  formBody,
  internalErrorResponse,
  mount,
  oauthErrorContent,
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
    body: formBody({ scope: { type: "string", description: "Space-separated scopes." }, ...clientCredentialFields }, [
      "scope",
    ]),
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
        },
      },
    },
    400: {
      description: "`invalid_request`, `invalid_scope`, `unauthorized_client` (RFC 6749 §5.2).",
      content: oauthErrorContent,
    },
    401: { description: "`invalid_client`, with a `WWW-Authenticate` challenge.", content: oauthErrorContent },
    429: rateLimitedResponse,
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
