import { randomToken } from "@dfda/auth";
import {
  DEFAULT_REGISTRATION_SCOPES,
  type RoleName,
  redirectUriProblem,
  selfRegistrable,
  splitScopes,
  unknownScopes,
} from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { createClient } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { importJWK, type JWK } from "jose";
import { securityRequirement } from "../../lib/openapi";
import type { AppEnv } from "../../lib/types";
import { ASSERTION_ALGORITHMS, hashClientSecret } from "../client-auth";
import { clientIp, insufficientScopeResponse, invalidTokenResponse } from "../http";
import { internalErrorResponse, mount, oauthError, rateLimitedResponse } from "../openapi";
import { rateLimited } from "../rate-limit";

const ClientMetadataSchema = z
  .object({
    client_name: z.string().openapi({ description: "Up to 100 characters.", example: "My health app" }),
    redirect_uris: z.array(z.string()).openapi({ example: ["https://app.example/callback"] }),
    token_endpoint_auth_method: z
      .enum(["none", "client_secret_basic", "client_secret_post", "private_key_jwt"])
      .optional()
      .openapi({
        description:
          "`none` registers a public client; `private_key_jwt` a client that signs assertions (RFC 7523 §2.2, " +
          "SMART Backend Services) with a key of its `jwks`. Default `client_secret_basic`.",
      }),
    jwks: z
      .object({ keys: z.array(z.record(z.string(), z.unknown())) })
      .optional()
      .openapi({
        description:
          "With `private_key_jwt`: the client's public keys (RFC 7517 JWK Set; RS384 or ES384, each with a " +
          "`kid`). `jwks_uri` is not accepted: keys are registered inline (docs/identity.md).",
      }),
    grant_types: z.array(z.string()).optional(),
    scope: z
      .string()
      .optional()
      .openapi({
        description:
          "Space-separated; default `openid profile`. Administrative and developer scopes (`tenant:manage`, " +
          "`audit:read`, `clients:manage`) are refused: an operator grants them.",
      }),
    logo_uri: z.string().optional().openapi({ description: "An https URL." }),
  })
  .openapi("ClientMetadata");

export const route = createRoute({
  method: "post",
  path: "/oauth/register",
  operationId: "registerClient",
  tags: ["Authorization server"],
  security: securityRequirement(["clients:manage"]),
  summary: "Register a client (RFC 7591)",
  description:
    "App developers register clients with an access token carrying `clients:manage`, held by an `app_developer` " +
    "or `admin` (the initial access token of RFC 7591 §3). A client gets `openid profile` unless it names " +
    "scopes, and never an administrative or developer scope. Errors " +
    "are RFC 7591 §3.2.2 JSON; token errors are RFC 6750 §3.",
  request: {
    // Documentation only: the handler parses the JSON itself, to answer in RFC 7591's format (see mount).
    body: {
      required: true,
      content: {
        "application/json": {
          schema: ClientMetadataSchema,
          example: {
            client_name: "Sleep diary",
            redirect_uris: ["https://sleep-diary.example/callback"],
            token_endpoint_auth_method: "client_secret_basic",
            grant_types: ["authorization_code", "refresh_token"],
            scope: "openid profile observations:read observations.sleep:write",
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: "The client's information (RFC 7591 §3.2.1); the secret is shown only here.",
      content: {
        "application/json": {
          schema: ClientMetadataSchema.extend({
            client_id: z.string(),
            client_secret: z.string().optional(),
            client_secret_expires_at: z.number().int().optional(),
            client_id_issued_at: z.number().int(),
            response_types: z.array(z.string()),
          }).openapi("ClientInformation"),
          example: {
            client_id: "sleep-diary-7f3k9q",
            client_secret: "cs_9Vb3Nm7Qw1Er5Ty8Ui2Op6As0Df4Gh",
            client_secret_expires_at: 0,
            client_id_issued_at: 1796544600,
            client_name: "Sleep diary",
            redirect_uris: ["https://sleep-diary.example/callback"],
            token_endpoint_auth_method: "client_secret_basic",
            grant_types: ["authorization_code", "refresh_token"],
            response_types: ["code"],
            scope: "openid profile observations:read observations.sleep:write",
          },
        },
      },
    },
    400: oauthError(
      "`invalid_redirect_uri` or `invalid_client_metadata`.",
      "invalid_redirect_uri",
      "redirect_uris must be https URLs, loopback URLs or private-use schemes.",
    ),
    401: oauthError("`invalid_token`: no user's valid token.", "invalid_token", "The access token is not valid."),
    403: oauthError(
      "`insufficient_scope`: no `clients:manage`, or not an app developer or administrator.",
      "insufficient_scope",
      "The access token lacks the scope clients:manage.",
    ),
    429: rateLimitedResponse("registration"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const principal = c.var.principal;
    const db = await c.var.db();
    const registrationError = (error: "invalid_redirect_uri" | "invalid_client_metadata", description: string) =>
      c.json({ error, error_description: description }, 400, { "Cache-Control": "no-store" });
    if (principal.kind !== "user") return invalidTokenResponse(c);
    const allowedRole = (["app_developer", "admin"] as RoleName[]).some((r) => principal.roles.has(r));
    if (!principal.scopes.has("clients:manage") || !allowedRole) {
      return insufficientScopeResponse(c, "clients:manage");
    }
    const limited = await rateLimited(c, "registration", principal.userId);
    if (limited) return limited;
    let metadata: Record<string, unknown>;
    try {
      metadata = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return registrationError("invalid_client_metadata", "The body must be a JSON object.");
    }
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
      return registrationError("invalid_client_metadata", "The body must be a JSON object.");
    }
    const authMethod = metadata.token_endpoint_auth_method ?? "client_secret_basic";
    // A backend service (SMART Backend Services) uses client credentials only and is never redirected to.
    const backendOnly =
      authMethod === "private_key_jwt" &&
      (metadata.grant_types === undefined ||
        (Array.isArray(metadata.grant_types) && metadata.grant_types.every((g) => g === "client_credentials")));
    const redirectUris = backendOnly && metadata.redirect_uris === undefined ? [] : metadata.redirect_uris;
    const noRedirects = backendOnly && Array.isArray(redirectUris) && redirectUris.length === 0;
    if (
      !Array.isArray(redirectUris) ||
      (redirectUris.length === 0 && !noRedirects) ||
      !redirectUris.every((u) => typeof u === "string")
    ) {
      return registrationError("invalid_redirect_uri", "redirect_uris must be a non-empty array of URIs.");
    }
    for (const uri of redirectUris as string[]) {
      const problem = redirectUriProblem(uri);
      if (problem) return registrationError("invalid_redirect_uri", problem);
    }
    const name = typeof metadata.client_name === "string" ? metadata.client_name.trim() : "";
    if (name.length === 0 || name.length > 100)
      return registrationError("invalid_client_metadata", "client_name is required (up to 100 characters).");
    if (!["none", "client_secret_basic", "client_secret_post", "private_key_jwt"].includes(String(authMethod))) {
      return registrationError(
        "invalid_client_metadata",
        "token_endpoint_auth_method must be none, client_secret_basic, client_secret_post or private_key_jwt.",
      );
    }
    const isPublic = authMethod === "none";
    const usesKeys = authMethod === "private_key_jwt";
    if (metadata.jwks_uri !== undefined) {
      // Fetching a URL the registrant names, from inside the platform, at every token request is a
      // server-side request forgery channel (RFC 7591 §5 / OWASP SSRF); keys are registered inline.
      return registrationError("invalid_client_metadata", "jwks_uri is not supported: register the keys as jwks.");
    }
    let jwks: { keys: Array<Record<string, unknown>> } | null = null;
    if (usesKeys) {
      const problem = await jwksProblem(metadata.jwks);
      if (problem !== null) return registrationError("invalid_client_metadata", problem);
      jwks = metadata.jwks as { keys: Array<Record<string, unknown>> };
    } else if (metadata.jwks !== undefined) {
      return registrationError(
        "invalid_client_metadata",
        "jwks is only for token_endpoint_auth_method private_key_jwt.",
      );
    }
    const grantTypes = Array.isArray(metadata.grant_types)
      ? (metadata.grant_types as unknown[]).map(String)
      : usesKeys
        ? ["client_credentials"]
        : ["authorization_code", "refresh_token"];
    const allowedGrants = isPublic
      ? ["authorization_code", "refresh_token"]
      : ["authorization_code", "refresh_token", "client_credentials"];
    if (grantTypes.some((g) => !allowedGrants.includes(g))) {
      return registrationError("invalid_client_metadata", `grant_types may be ${allowedGrants.join(", ")}.`);
    }
    // Least privilege (RFC 7591 §2: the server chooses what it accepts): a client that names no scope
    // gets sign-in and a name, and no self-registered client may hold an administrative or developer
    // scope, whoever registers it; operators grant those with `dfda client create`.
    const scopes = typeof metadata.scope === "string" ? splitScopes(metadata.scope) : [...DEFAULT_REGISTRATION_SCOPES];
    if (unknownScopes(scopes).length > 0)
      return registrationError("invalid_client_metadata", `Unknown scope: ${unknownScopes(scopes).join(" ")}.`);
    const operatorOnly = scopes.filter((s) => !selfRegistrable(s));
    if (operatorOnly.length > 0) {
      return registrationError(
        "invalid_client_metadata",
        `Scope not available to registered apps: ${operatorOnly.join(" ")} (an operator grants it).`,
      );
    }
    let logoUri: string | null = null;
    if (metadata.logo_uri !== undefined) {
      if (typeof metadata.logo_uri !== "string" || !/^https:\/\//.test(metadata.logo_uri)) {
        return registrationError("invalid_client_metadata", "logo_uri must be an https URL.");
      }
      logoUri = metadata.logo_uri;
    }
    const clientId = `dfda_${randomToken(12)}`;
    const secret = isPublic || usesKeys ? null : randomToken(32);
    await createClient(db, {
      tenantId: principal.tenantId,
      clientId,
      name,
      clientType: isPublic ? "public" : "confidential",
      secretHash: secret === null ? null : await hashClientSecret(secret),
      redirectUris: redirectUris as string[],
      allowedScopes: scopes,
      grantTypes,
      logoUri,
      ownerUserId: principal.userId,
      jwks,
    });
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "oauth.client_registered",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      resourceType: "oauth_client",
      resourceId: clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: { name, public: isPublic, auth_method: authMethod },
    });
    return c.json(
      {
        client_id: clientId,
        ...(secret === null ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
        client_id_issued_at: Math.floor(Date.now() / 1000),
        client_name: name,
        redirect_uris: redirectUris,
        grant_types: grantTypes,
        response_types: ["code"],
        token_endpoint_auth_method: authMethod,
        scope: scopes.join(" "),
        ...(logoUri === null ? {} : { logo_uri: logoUri }),
        ...(jwks === null ? {} : { jwks }),
      },
      201,
      { "Cache-Control": "no-store" },
    );
  });
}

/** Keys a client may register: at most this many (enough for a rotation). */
const MAX_CLIENT_KEYS = 5;

/**
 * Why a registered JWK Set cannot be used, or null. SMART Backend Services: public RSA (RS384) or EC
 * P-384 (ES384) keys, each with a `kid`; a private member (`d`, RFC 7518 §6.2.2.1/§6.3.2.1) is refused so
 * a client never leaks its private key into our store.
 */
async function jwksProblem(value: unknown): Promise<string | null> {
  if (typeof value !== "object" || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    return 'private_key_jwt needs jwks: a JWK Set {"keys": [...]} (jwks_uri is not supported).';
  }
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length === 0 || keys.length > MAX_CLIENT_KEYS) return `jwks holds 1 to ${MAX_CLIENT_KEYS} keys.`;
  for (const key of keys) {
    if (typeof key !== "object" || key === null) return "Each key in jwks is a JWK object.";
    const jwk = key as JWK;
    if (typeof jwk.kid !== "string" || jwk.kid === "") return "Each key in jwks needs a kid.";
    if (jwk.d !== undefined) return "jwks must hold public keys only.";
    const alg = jwk.alg ?? (jwk.kty === "EC" ? "ES384" : "RS384");
    if (!ASSERTION_ALGORITHMS.includes(alg)) return `Key ${jwk.kid}: alg must be RS384 or ES384.`;
    try {
      await importJWK(jwk, alg);
    } catch {
      return `Key ${jwk.kid} is not a usable ${alg} public key.`;
    }
  }
  return null;
}
