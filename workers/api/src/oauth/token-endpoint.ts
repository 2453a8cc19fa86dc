/**
 * The token endpoint (RFC 6749 §3.2): authorization_code with PKCE (§4.1.3, RFC 7636 §4.6),
 * refresh_token with rotation and reuse detection (§6, RFC 9700 §4.14.2), client_credentials
 * (§4.4) and the device code (RFC 8628 §3.4, device.ts). Responses carry `Cache-Control: no-store` (§5.1).
 */

import { verifyPkce } from "@dfda/auth";
import { splitScopes, uuidv7 } from "@dfda/core";
import type { Database } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findUser, userRoles } from "@dfda/db/repositories/identity";
import { touchGrant } from "@dfda/db/repositories/me";
import { authenticateClient, type OAuthClient } from "./client-auth";
import type { AuthConfig } from "./config";
import { DEVICE_CODE_GRANT, pollDeviceCode } from "./device";
import { OAuthError } from "./errors";
import { issueAccessToken, issueIdToken } from "./jwt";
import { enforceRefreshLifetime, newFamilyRefreshTtl } from "./refresh-lifetime";
import {
  type CodeIssue,
  createRefreshToken,
  linkCodeToTokens,
  type RefreshRecord,
  redeemAuthorizationCode,
  revokeAccessToken,
  revokeFamily,
  rotateRefreshToken,
} from "./store";
import { userInfoClaims } from "./userinfo";

export interface TokenRequestContext {
  db: Database;
  config: AuthConfig;
  authorization: string | undefined;
  form: URLSearchParams;
  ip: string | null;
  requestId: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  /**
   * SMART App Launch 2.x §"Launch context arrives with your access_token": the id of the Patient in
   * context, for a token granted `launch/patient`. In a standalone launch it is the person signed in,
   * whose FHIR Patient id is their user id (docs/fhir.md).
   */
  patient?: string;
}

export async function handleTokenRequest(ctx: TokenRequestContext): Promise<TokenResponse> {
  const grantType = ctx.form.get("grant_type");
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required.");
  const client = await authenticateClient(ctx.db, ctx.authorization, ctx.form, {
    requireConfidential: grantType === "client_credentials",
    // SMART Backend Services: a client assertion's `aud` is the token endpoint's URL.
    assertionAudience: `${ctx.config.issuer}/oauth/token`,
  });
  if (!["authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT].includes(grantType)) {
    throw new OAuthError("unsupported_grant_type", `grant_type ${grantType} is not supported.`);
  }
  if (!client.grantTypes.includes(grantType)) {
    throw new OAuthError("unauthorized_client", `This client may not use ${grantType}.`);
  }
  switch (grantType) {
    case "authorization_code":
      return authorizationCodeGrant(ctx, client);
    case "refresh_token":
      return refreshTokenGrant(ctx, client);
    case DEVICE_CODE_GRANT:
      return deviceCodeGrant(ctx, client);
    default:
      return clientCredentialsGrant(ctx, client);
  }
}

async function audit(
  ctx: TokenRequestContext,
  client: OAuthClient,
  action: string,
  outcome: "success" | "failure",
  userId: string | null,
  details: Record<string, unknown>,
) {
  await recordAudit(ctx.db, {
    tenantId: client.tenantId,
    action,
    outcome,
    actorUserId: userId,
    actorClientId: client.clientId,
    subjectUserId: userId,
    ip: ctx.ip,
    requestId: ctx.requestId,
    details,
  });
}

async function activeUser(ctx: TokenRequestContext, tenantId: string, userId: string) {
  const user = await findUser(ctx.db, tenantId, userId);
  if (user?.status !== "active") throw new OAuthError("invalid_grant", "The user is not active.");
  return user;
}

async function tokensFor(
  ctx: TokenRequestContext,
  client: OAuthClient,
  record: RefreshRecord,
  familyId: string | null,
  /** The access token's scopes: the grant's, or a narrower set asked for at refresh. */
  accessScopes: readonly string[] = record.scopes,
): Promise<{ response: TokenResponse; issue: CodeIssue }> {
  const roles = await userRoles(ctx.db, record.tenantId, record.userId);
  // "Last use" of the person's grant, as GET /v1/me/apps shows it: when a token was last issued for it.
  await touchGrant(ctx.db, record.tenantId, record.userId, client.clientId);
  const access = await issueAccessToken(ctx.db, ctx.config, {
    subject: record.userId,
    tenantId: record.tenantId,
    clientId: client.clientId,
    scopes: accessScopes,
    roles,
    // The sign-in behind the grant, unchanged by refreshes (OIDC Core §2 auth_time; RFC 8176 amr).
    authentication: { time: record.authTime, amr: record.amr },
  });
  const response: TokenResponse = {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresIn,
    scope: accessScopes.join(" "),
  };
  if (accessScopes.includes("launch/patient")) response.patient = record.userId;
  let family = familyId;
  // OpenID Connect Core §11: refresh tokens for offline_access only.
  if (record.scopes.includes("offline_access") && client.grantTypes.includes("refresh_token")) {
    family ??= uuidv7();
    response.refresh_token = await createRefreshToken(ctx.db, record, family, ctx.config.refreshTokenTtl);
  }
  // Known once the token is signed; a later expiry is harmless (it only delays pruning a revocation).
  const expiresAt = new Date(Date.now() + access.expiresIn * 1000);
  return { response, issue: { familyId: family, accessToken: { jti: access.jti, expiresAt } } };
}

async function authorizationCodeGrant(ctx: TokenRequestContext, client: OAuthClient): Promise<TokenResponse> {
  const code = ctx.form.get("code");
  const redirectUri = ctx.form.get("redirect_uri");
  const verifier = ctx.form.get("code_verifier");
  if (!code || !redirectUri) throw new OAuthError("invalid_request", "code and redirect_uri are required.");
  const redemption = await redeemAuthorizationCode(ctx.db, code);
  if (!redemption.ok) {
    if (redemption.reason === "replayed") {
      // RFC 6749 §4.1.2 and RFC 9700 §4.5: revoke every token the first redemption issued, the access
      // token included (it would otherwise live on to its expiry in the hands of whoever replayed).
      if (redemption.familyId) await revokeFamily(ctx.db, redemption.familyId);
      if (redemption.accessToken) {
        const { jti, expiresAt } = redemption.accessToken;
        await revokeAccessToken(ctx.db, jti, redemption.tenantId, expiresAt);
      }
      await audit(ctx, client, "oauth.code_replayed", "failure", null, {});
    }
    throw new OAuthError("invalid_grant", "The authorization code is invalid, expired or already used.");
  }
  const { record, codeHash } = redemption;
  if (record.clientId !== client.clientId) {
    throw new OAuthError("invalid_grant", "The authorization code was issued to another client.");
  }
  // RFC 6749 §4.1.3: redirect_uri must be identical to the one in the authorization request.
  if (record.redirectUri !== redirectUri) throw new OAuthError("invalid_grant", "redirect_uri does not match.");
  if (record.codeChallenge === null || verifier === null) {
    throw new OAuthError("invalid_grant", "PKCE code_verifier is required.");
  }
  if (!(await verifyPkce({ verifier, challenge: record.codeChallenge, method: "S256" }))) {
    throw new OAuthError("invalid_grant", "PKCE verification failed.");
  }
  const user = await activeUser(ctx, record.tenantId, record.userId);
  const refreshRecord: RefreshRecord = {
    tenantId: record.tenantId,
    clientId: client.clientId,
    userId: record.userId,
    scopes: record.scopes,
    authTime: record.authTime,
    amr: record.amr,
  };
  // The first refresh token of a family (only with offline_access) expires at the tenant's earlier bound.
  const refreshTokenTtl = record.scopes.includes("offline_access")
    ? await newFamilyRefreshTtl(ctx.db, record.tenantId)
    : ctx.config.refreshTokenTtl;
  const { response, issue } = await tokensFor(
    { ...ctx, config: { ...ctx.config, refreshTokenTtl } },
    client,
    refreshRecord,
    null,
  );
  await linkCodeToTokens(ctx.db, codeHash, issue);
  if (record.scopes.includes("openid")) {
    response.id_token = await issueIdToken(ctx.db, ctx.config, {
      userId: record.userId,
      clientId: client.clientId,
      tenantId: record.tenantId,
      nonce: record.nonce,
      authTime: record.authTime,
      amr: record.amr,
      accessToken: response.access_token,
      claims: userInfoClaims(user, record.scopes, ctx.config.issuer),
    });
  }
  await audit(ctx, client, "oauth.token_issued", "success", record.userId, {
    grant_type: "authorization_code",
    scope: response.scope,
  });
  return response;
}

/** RFC 8628 §3.4–3.5: the tokens of an approved device code, once; else the polling error. */
async function deviceCodeGrant(ctx: TokenRequestContext, client: OAuthClient): Promise<TokenResponse> {
  const deviceCode = ctx.form.get("device_code");
  if (!deviceCode) throw new OAuthError("invalid_request", "device_code is required.");
  const grant = await pollDeviceCode(ctx.db, deviceCode, client.clientId);
  const user = await activeUser(ctx, grant.tenantId, grant.userId);
  const record: RefreshRecord = {
    tenantId: grant.tenantId,
    clientId: client.clientId,
    userId: grant.userId,
    scopes: grant.scopes,
    authTime: grant.authTime,
    amr: grant.amr,
  };
  const refreshTokenTtl = grant.scopes.includes("offline_access")
    ? await newFamilyRefreshTtl(ctx.db, grant.tenantId)
    : ctx.config.refreshTokenTtl;
  const { response } = await tokensFor({ ...ctx, config: { ...ctx.config, refreshTokenTtl } }, client, record, null);
  if (grant.scopes.includes("openid")) {
    response.id_token = await issueIdToken(ctx.db, ctx.config, {
      userId: grant.userId,
      clientId: client.clientId,
      tenantId: grant.tenantId,
      nonce: null,
      authTime: grant.authTime,
      amr: grant.amr,
      accessToken: response.access_token,
      claims: userInfoClaims(user, grant.scopes, ctx.config.issuer),
    });
  }
  await audit(ctx, client, "oauth.token_issued", "success", grant.userId, {
    grant_type: DEVICE_CODE_GRANT,
    scope: response.scope,
  });
  return response;
}

async function refreshTokenGrant(ctx: TokenRequestContext, client: OAuthClient): Promise<TokenResponse> {
  const token = ctx.form.get("refresh_token");
  if (!token) throw new OAuthError("invalid_request", "refresh_token is required.");
  // Absolute and idle lifetimes of the family (refresh-lifetime.ts): past either, invalid_grant.
  const successorTtl = await enforceRefreshLifetime(ctx.db, token, client.clientId, ctx);
  const rotation = await rotateRefreshToken(ctx.db, token, client.clientId);
  if (!rotation.ok) {
    if (rotation.reason === "reused") {
      await audit(ctx, client, "oauth.refresh_token_reused", "failure", null, { action: "family_revoked" });
    }
    throw new OAuthError("invalid_grant", "The refresh token is invalid, expired, revoked or already used.");
  }
  await activeUser(ctx, rotation.record.tenantId, rotation.record.userId);
  // RFC 6749 §6: a narrower scope may be requested, never a wider one.
  const requested = splitScopes(ctx.form.get("scope"));
  if (requested.some((s) => !rotation.record.scopes.includes(s))) {
    throw new OAuthError("invalid_scope", "The requested scope exceeds the original grant.");
  }
  // The successor refresh token keeps the whole grant, so narrowing one access token loses nothing.
  const record = rotation.record;
  const { response } = await tokensFor(
    successorTtl === null ? ctx : { ...ctx, config: { ...ctx.config, refreshTokenTtl: successorTtl } },
    client,
    record,
    rotation.familyId,
    requested.length > 0 ? requested : record.scopes,
  );
  await audit(ctx, client, "oauth.token_issued", "success", record.userId, {
    grant_type: "refresh_token",
    scope: response.scope,
  });
  return response;
}

/**
 * SMART Backend Services system scopes (SMART App Launch v2 scopes-and-launch-context: `system/` +
 * resource + `.rs`; the v1 `.read` spelling too) and the platform scope each stands for. A system
 * client reads only what consent grants naming it open (docs/consent.md), so `system/*.rs` is no wider
 * than `observations:read` held by an app acting for itself.
 */
export const SYSTEM_SCOPES: Readonly<Record<string, string>> = {
  "system/*.rs": "observations:read",
  "system/*.read": "observations:read",
  "system/Observation.rs": "observations:read",
  "system/Observation.read": "observations:read",
  "system/Patient.rs": "observations:read",
  "system/Patient.read": "observations:read",
};

async function clientCredentialsGrant(ctx: TokenRequestContext, client: OAuthClient): Promise<TokenResponse> {
  const asked = splitScopes(ctx.form.get("scope"));
  // A client acting for itself has no user: OpenID and per-user scopes make no sense here.
  const allowed = client.allowedScopes.filter((s) => !["openid", "profile", "email", "offline_access"].includes(s));
  const requested = [...new Set(asked.map((s) => SYSTEM_SCOPES[s] ?? s))];
  if (requested.some((s) => !allowed.includes(s))) {
    throw new OAuthError("invalid_scope", "The requested scope is not allowed for this client.");
  }
  const scopes = requested.length > 0 ? requested : allowed;
  const access = await issueAccessToken(ctx.db, ctx.config, {
    subject: client.clientId,
    tenantId: client.tenantId,
    clientId: client.clientId,
    scopes,
    roles: [],
  });
  // RFC 6749 §5.1: the granted scope; a SMART client that asked in system scopes is answered in them.
  const granted = asked.length > 0 && asked.every((s) => SYSTEM_SCOPES[s] !== undefined) ? asked : scopes;
  await audit(ctx, client, "oauth.token_issued", "success", null, {
    grant_type: "client_credentials",
    scope: scopes.join(" "),
    ...(granted !== scopes && { requested: asked.join(" ") }),
  });
  return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, scope: granted.join(" ") };
}
