import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { EXAMPLE_ACCESS_TOKEN, EXAMPLE_CLIENT_ID, EXAMPLE_IDS, EXAMPLE_ORIGIN } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientTokenForm, configOf, protocol } from "../http";
import { InvalidTokenError, verifyAccessToken } from "../jwt";
import { clientCredentialFields, formBody, internalErrorResponse, mount, oauthError } from "../openapi";
import { findRefreshToken, tokenState } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/introspect",
  operationId: "introspectToken",
  tags: ["Authorization server"],
  security: [],
  summary: "Introspect a token (RFC 7662)",
  description:
    "Confidential clients ask whether an access or refresh token is active; only tokens of their own tenant are " +
    "ever reported active.",
  request: {
    body: formBody(
      {
        token: { type: "string" },
        token_type_hint: { type: "string" },
        ...clientCredentialFields,
      },
      ["token"],
      {
        token: EXAMPLE_ACCESS_TOKEN,
        token_type_hint: "access_token",
        client_id: "lab-importer",
        client_secret: "cs_9Vb3Nm7Qw1Er5Ty8Ui2Op6As0Df4Gh",
      },
    ),
  },
  responses: {
    200: {
      description: "Whether the token is active, and its claims when it is (RFC 7662 §2.2).",
      content: {
        "application/json": {
          schema: z
            .object({
              active: z.boolean(),
              scope: z.string().optional(),
              client_id: z.string().optional(),
              sub: z.string().optional(),
              exp: z.number().int().optional(),
              iat: z.number().int().optional(),
              iss: z.string().optional(),
              aud: z.union([z.string(), z.array(z.string())]).optional(),
              jti: z.string().optional(),
              token_type: z.string().optional().openapi({ example: "Bearer" }),
              tenant: z.string().optional(),
              roles: z.array(z.string()).optional(),
            })
            .openapi("TokenIntrospection"),
          example: {
            active: true,
            scope: "openid observations:read",
            client_id: EXAMPLE_CLIENT_ID,
            sub: EXAMPLE_IDS.user,
            exp: 1796545200,
            iat: 1796544600,
            iss: EXAMPLE_ORIGIN,
            aud: EXAMPLE_ORIGIN,
            jti: "0193a0d1-2b3c-7d4e-8f5a-6b7c8d9e0f21",
            token_type: "Bearer",
            tenant: EXAMPLE_IDS.tenant,
            roles: ["member"],
          },
        },
      },
    },
    400: oauthError("`invalid_request` (RFC 6749 §5.2).", "invalid_request", "token is required."),
    401: oauthError(
      "`invalid_client` (a public client, or wrong credentials).",
      "invalid_client",
      "Client authentication failed.",
    ),
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
      const { client, token } = await clientTokenForm(c, db, { requireConfidential: true });
      const inactive = () => c.json({ active: false }, 200, { "Cache-Control": "no-store" });
      if (token.split(".").length === 3) {
        let claims: Awaited<ReturnType<typeof verifyAccessToken>>;
        try {
          claims = await verifyAccessToken(db, cfg, token);
        } catch (error) {
          if (error instanceof InvalidTokenError) return inactive();
          throw error;
        }
        if (claims.tenant !== client.tenantId) return inactive();
        const state = await tokenState(db, claims);
        if (state.revoked || (claims.sub !== claims.client_id && state.userStatus !== "active")) return inactive();
        return c.json(
          {
            active: true,
            scope: claims.scope,
            client_id: claims.client_id,
            sub: claims.sub,
            exp: claims.exp,
            iat: claims.iat,
            iss: claims.iss,
            aud: claims.aud,
            jti: claims.jti,
            token_type: "Bearer",
            tenant: claims.tenant,
            roles: claims.roles,
          },
          200,
          { "Cache-Control": "no-store" },
        );
      }
      const refresh = await findRefreshToken(db, token);
      if (
        !refresh ||
        refresh.tenantId !== client.tenantId ||
        refresh.revokedAt ||
        refresh.rotatedAt ||
        refresh.expiresAt.getTime() < Date.now()
      ) {
        return inactive();
      }
      return c.json(
        {
          active: true,
          scope: refresh.scopes.join(" "),
          client_id: refresh.clientId,
          sub: refresh.userId,
          exp: Math.floor(refresh.expiresAt.getTime() / 1000),
          token_type: "refresh_token",
          tenant: refresh.tenantId,
        },
        200,
        { "Cache-Control": "no-store" },
      );
    }),
  );
}
