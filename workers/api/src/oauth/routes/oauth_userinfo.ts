import { findUser } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { EXAMPLE_IDS } from "../../lib/examples";
import { securityRequirement } from "../../lib/openapi";
import type { AppEnv } from "../../lib/types";
import { configOf, insufficientScopeResponse, invalidTokenResponse } from "../http";
import { internalErrorResponse, mount, oauthError } from "../openapi";
import { userInfoClaims } from "../userinfo";

const UserInfoSchema = z
  .object({
    sub: z.string(),
    tenant: z.string(),
    email: z.string().optional().openapi({ description: "With the `email` scope." }),
    email_verified: z.boolean().optional().openapi({ description: "With the `email` scope." }),
    name: z.string().optional().openapi({ description: "With the `profile` scope, when set." }),
    fhirUser: z
      .string()
      .optional()
      .openapi({ description: "With the SMART `fhirUser` scope: the URL of the user's FHIR Patient resource." }),
  })
  .openapi("UserInfo");

/** OIDC Core §5.3.1: the UserInfo endpoint answers GET and POST alike. */
function userInfoRoute(method: "get" | "post", operationId: string) {
  return createRoute({
    method,
    path: "/oauth/userinfo",
    operationId,
    tags: ["Authorization server"],
    security: securityRequirement(["openid"]),
    summary: "Claims about the signed-in user (OpenID Connect Core §5.3)",
    description:
      "For a user's access token with `openid`; claims are released per scope (OIDC Core §5.4). Errors are " +
      "RFC 6750 §3 JSON with a `WWW-Authenticate: Bearer` challenge.",
    responses: {
      200: {
        description: "The user's claims.",
        content: {
          "application/json": {
            schema: UserInfoSchema,
            example: {
              sub: EXAMPLE_IDS.user,
              tenant: EXAMPLE_IDS.tenant,
              email: "ada@example.org",
              email_verified: true,
              name: "Ada",
            },
          },
        },
      },
      401: oauthError(
        "`invalid_token`: no token, or not a user's valid token.",
        "invalid_token",
        "The access token is not valid.",
      ),
      403: oauthError(
        "`insufficient_scope`: the token lacks `openid`.",
        "insufficient_scope",
        "The access token lacks the scope openid.",
      ),
      500: internalErrorResponse,
    },
  });
}

export const getRoute = userInfoRoute("get", "getUserInfo");
export const postRoute = userInfoRoute("post", "postUserInfo");

async function userinfo(c: Context<AppEnv>) {
  const principal = c.var.principal;
  if (principal.kind !== "user") return invalidTokenResponse(c);
  if (!principal.scopes.has("openid")) return insufficientScopeResponse(c, "openid");
  const user = await findUser(await c.var.db(), principal.tenantId, principal.userId);
  if (!user) return invalidTokenResponse(c);
  return c.json(
    { sub: user.id, tenant: principal.tenantId, ...userInfoClaims(user, [...principal.scopes], configOf(c).issuer) },
    200,
    {
      "Cache-Control": "no-store",
    },
  );
}

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, getRoute, userinfo);
  mount(app, postRoute, userinfo);
}
