import { recordAudit } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { EXAMPLE_CLIENT_ID, EXAMPLE_REFRESH_TOKEN } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientIp, clientTokenForm, configOf, protocol } from "../http";
import { InvalidTokenError, verifyAccessToken } from "../jwt";
import { clientCredentialFields, formBody, internalErrorResponse, mount, oauthError } from "../openapi";
import { revokeAccessToken, revokeRefreshToken } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/revoke",
  operationId: "revokeToken",
  tags: ["Authorization server"],
  security: [],
  summary: "Revoke a token (RFC 7009)",
  description:
    "A refresh token revokes its whole family; an access token is revoked by its `jti`. Only the client the " +
    "token was issued to may revoke it. The answer is 200 even for an unknown token (RFC 7009 §2.2).",
  request: {
    body: formBody(
      {
        token: { type: "string" },
        token_type_hint: { type: "string", description: "`access_token` or `refresh_token`." },
        ...clientCredentialFields,
      },
      ["token"],
      { token: EXAMPLE_REFRESH_TOKEN, token_type_hint: "refresh_token", client_id: EXAMPLE_CLIENT_ID },
    ),
  },
  responses: {
    200: { description: "Revoked, or it was not a valid token of this client." },
    400: oauthError("`invalid_request` (RFC 6749 §5.2).", "invalid_request", "token is required."),
    401: oauthError("`invalid_client`.", "invalid_client", "Client authentication failed."),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route,
    protocol(async (c) => {
      const cfg = configOf(c);
      const db = await c.var.db();
      const { body, client, token } = await clientTokenForm(c, db);
      const hint = body.get("token_type_hint");
      let revoked = false;
      if (hint !== "access_token") revoked = await revokeRefreshToken(db, token, client.clientId);
      if (!revoked && token.split(".").length === 3) {
        try {
          const claims = await verifyAccessToken(db, cfg, token);
          if (claims.client_id === client.clientId) {
            await revokeAccessToken(db, claims.jti, claims.tenant, new Date(claims.exp * 1000));
            revoked = true;
          }
        } catch (error) {
          if (!(error instanceof InvalidTokenError)) throw error;
        }
      }
      if (revoked) {
        await recordAudit(db, {
          tenantId: client.tenantId,
          action: "oauth.token_revoked",
          outcome: "success",
          actorClientId: client.clientId,
          ip: clientIp(c),
          requestId: c.var.requestId,
          details: { hint },
        });
      }
      return c.body(null, 200, { "Cache-Control": "no-store" });
    }),
  );
}
