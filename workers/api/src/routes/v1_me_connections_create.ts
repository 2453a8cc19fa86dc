/**
 * Starting a connection (POST /v1/me/connections): a single-use `state` bound to the person, the
 * tenant and the connector (RFC 6749 §10.12), and the vendor's authorization URL to send the person to.
 */

import { s256Challenge } from "@dfda/auth";
import { connectorOf } from "@dfda/connectors";
import { ApiError, base64UrlEncode } from "@dfda/core";
import { createOAuthState, OAUTH_STATE_TTL_MS } from "@dfda/db/repositories/connections";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute, selfUser } from "../lib/auth";
import { auditConnection, callbackUrl, connectorSettings } from "../lib/connections";
import { EXAMPLE_CONNECT_STATE, EXAMPLE_ORIGIN } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const ConnectRequest = z
  .object({ connector: z.string().min(1).max(32).openapi({ example: "oura" }) })
  .strict()
  .openapi("ConnectRequest");

const ConnectStarted = z
  .object({
    authorize_url: z.url().openapi({ description: "Send the person here to approve the connection at the vendor." }),
    expires_at: z.iso.datetime({ offset: true }).openapi({ description: "The approval must happen before this." }),
  })
  .openapi("ConnectStarted");
export type ConnectStartedResponse = z.infer<typeof ConnectStarted>;

export const route = createRoute({
  method: "post",
  path: "/v1/me/connections",
  operationId: "createMyConnection",
  tags: ["Connectors"],
  summary: "Connect a vendor account",
  description:
    "Starts linking your account at a vendor (see `GET /v1/connectors`): open `authorize_url`, approve at the " +
    "vendor, and the vendor sends you back to `GET /v1/connectors/{id}/callback`, which stores the connection " +
    "and starts its first sync. The link is yours alone and works once, for 10 minutes.",
  ...protectedRoute({ scopes: ["observations:write"], action: "write" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: ConnectRequest, example: { connector: "oura" } } },
    },
  },
  responses: {
    201: {
      description: "Started.",
      content: {
        "application/json": {
          schema: ConnectStarted,
          example: {
            authorize_url: `https://cloud.ouraring.com/oauth/authorize?response_type=code&client_id=dfda-example&redirect_uri=${encodeURIComponent(
              `${EXAMPLE_ORIGIN}/v1/connectors/oura/callback`,
            )}&scope=daily%20heartrate%20spo2%20personal&state=${EXAMPLE_CONNECT_STATE}`,
            expires_at: "2026-12-06T08:40:00.000Z",
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const { connector: id } = c.req.valid("json");
    const connector = connectorOf(id);
    const settings = connectorSettings(c).get(id);
    if (connector === undefined || settings === undefined) {
      throw new ApiError("validation_failed", {
        detail: `No connector ${JSON.stringify(id)} is available here; GET /v1/connectors lists them.`,
        errors: [{ location: "body", path: "connector", pointer: "/connector", message: "Not an available connector" }],
      });
    }
    const now = new Date();
    const redirectUri = callbackUrl(c, id);
    // PKCE (RFC 7636 §4.1–4.2) where the vendor takes it (Garmin): the verifier stays with the state,
    // the S256 challenge goes to the vendor; the callback sends the verifier with the code.
    const pkce = connector.definition.auth.pkce ? await newPkce() : undefined;
    const state = await createOAuthState(
      await c.var.db(),
      {
        tenantId: principal.tenantId,
        userId: principal.userId,
        connector: id,
        redirectUri,
        ...(pkce === undefined ? {} : { codeVerifier: pkce.verifier }),
      },
      now,
    );
    await auditConnection(c, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "connector.connect_started",
      connectionId: null,
      details: { connector: id },
    });
    const response: ConnectStartedResponse = {
      authorize_url: connector.authorizeUrl(settings, {
        state,
        redirectUri,
        ...(pkce === undefined ? {} : { codeChallenge: pkce.challenge }),
      }),
      expires_at: new Date(now.getTime() + OAUTH_STATE_TTL_MS).toISOString(),
    };
    return c.json(response, 201, { "Cache-Control": "no-store" });
  });
}

/** A PKCE code verifier (32 random bytes, base64url: 43 characters, RFC 7636 §4.1) and its S256 challenge. */
async function newPkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));
  return { verifier, challenge: await s256Challenge(verifier) };
}
