/**
 * HTTP surface of the authorization server: discovery (RFC 8414, OpenID Connect Discovery 1.0),
 * JWKS, the authorization endpoint and its pages, token, revocation (RFC 7009), introspection
 * (RFC 7662), UserInfo (OIDC Core §5.3), dynamic client registration (RFC 7591) and logout.
 * These endpoints speak OAuth's own error format, so they sit outside the problem+json API.
 */

import { hashPassword, randomToken, timingSafeEqual } from "@dfda/auth";
import { allScopes, type RoleName, redirectUriProblem, splitScopes, unknownScopes } from "@dfda/core";
import type { Database } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { recordOAuthConsent } from "@dfda/db/repositories/consents";
import { createClient, createUser, findTenant, findUser, userRoles } from "@dfda/db/repositories/identity";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../lib/types";
import {
  clientRedirect,
  completeAuthorization,
  parseAuthorizationRequest,
  requestFromReturnTo,
  safeReturnTo,
} from "./authorize";
import { authenticateClient, hashClientSecret } from "./client-auth";
import { type AuthConfig, authConfig } from "./config";
import { emailFlows } from "./email-flows";
import { OAuthError, oauthErrorResponse } from "./errors";
import { InvalidTokenError, verifyAccessToken } from "./jwt";
import { clearKeyCache, currentSigningKey, verificationKeys } from "./keys";
import { checkPassword } from "./login";
import { confirmTotpEnrolment, secondFactorDue, startTotpEnrolment, verifySecondFactor } from "./mfa";
import { consentPage, loginPage, mfaEnrolPage, mfaPage, recoveryCodesPage, signupPage, simplePage } from "./pages";
import { rateLimited } from "./rate-limit";
import {
  completeSessionMfa,
  createSession,
  findRefreshToken,
  findSession,
  revokeAccessToken,
  revokeRefreshToken,
  revokeSession,
  tokenState,
  upsertGrant,
} from "./store";
import { handleTokenRequest } from "./token-endpoint";
import { userInfoClaims } from "./userinfo";

const SESSION_COOKIE = "dfda_session";
const LOGIN_CSRF_COOKIE = "dfda_login_csrf";

function cookieName(config: AuthConfig, base: string): string {
  // The __Host- prefix (RFC 6265bis §4.1.3.2) needs Secure, which needs HTTPS.
  return config.issuer.startsWith("https://") ? `__Host-${base}` : base;
}

function cookieOptions(config: AuthConfig, maxAge: number) {
  return {
    path: "/",
    httpOnly: true,
    secure: config.issuer.startsWith("https://"),
    sameSite: "Lax" as const,
    maxAge,
  };
}

export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

async function form(c: Context<AppEnv>): Promise<URLSearchParams> {
  const type = c.req.header("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.");
  }
  // Decoded by hand: workerd warns when text() reads a body whose type is not text/*.
  return new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
}

function htmlResponse(
  c: Context<AppEnv>,
  body: Parameters<Context["html"]>[0],
  status: 200 | 400 | 401 | 403 | 429 = 200,
) {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'self'; frame-ancestors 'none'",
  );
  return c.html(body, status);
}

async function sessionOf(c: Context<AppEnv>, db: Database, config: AuthConfig) {
  const id = getCookie(c, cookieName(config, SESSION_COOKIE));
  return id ? findSession(db, id) : null;
}

function discovery(config: AuthConfig) {
  const base = config.issuer;
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    userinfo_endpoint: `${base}/oauth/userinfo`,
    registration_endpoint: `${base}/oauth/register`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    end_session_endpoint: `${base}/oauth/logout`,
    scopes_supported: allScopes(),
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    id_token_signing_alg_values_supported: ["ES256"],
    subject_types_supported: ["public"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "amr",
      "at_hash",
      "email",
      "email_verified",
      "name",
      "tenant",
    ],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/docs`,
  };
}

/** Protocol endpoints answer their own errors in OAuth's format (RFC 6749 §5.2), not problem+json. */
function protocol(handler: (c: Context<AppEnv>) => Promise<Response>) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(error);
      throw error;
    }
  };
}

export function registerOAuthRoutes(app: OpenAPIHono<AppEnv>) {
  const config = (c: Context<AppEnv>) => authConfig(c.env, c.req.url);

  // Discovery: the same metadata at both well-known locations (RFC 8414 §3, OIDC Discovery §4).
  for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]) {
    app.get(path, (c) => c.json(discovery(config(c)), 200, { "Cache-Control": "public, max-age=300" }));
  }

  app.get("/.well-known/jwks.json", async (c) => {
    const db = await c.var.db();
    let keys = await verificationKeys(db);
    if (keys.length === 0) {
      // First start: create the signing key so the JWKS is never empty.
      await currentSigningKey(db, config(c).master);
      clearKeyCache();
      keys = await verificationKeys(db);
    }
    return c.json({ keys: keys.map((k) => k.jwk) }, 200, { "Cache-Control": "public, max-age=60" });
  });

  app.get("/oauth/authorize", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const parsed = await parseAuthorizationRequest(db, cfg, new URL(c.req.url).searchParams);
    if (parsed.kind === "page-error") return htmlResponse(c, simplePage("Cannot continue", parsed.message), 400);
    if (parsed.kind === "redirect-error") return c.redirect(parsed.location, 302);
    const request = parsed.request;
    const session = await sessionOf(c, db, cfg);
    if (!session || session.tenantId !== request.client.tenantId || request.prompt === "login") {
      if (request.prompt === "none") {
        return c.redirect(
          clientRedirect(request.redirectUri, { error: "login_required", state: request.state }, cfg.issuer),
          302,
        );
      }
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(c, loginPage({ csrfToken, returnTo: request.returnTo, tenantName: request.tenantName }));
    }
    if (session.mfaPending) {
      const due = await secondFactorDue(
        db,
        { id: session.tenantId, settings: (await findTenant(db, session.tenantId))?.settings ?? {} },
        session.userId,
        await userRoles(db, session.tenantId, session.userId),
      );
      return c.redirect(
        `/oauth/mfa${due === "enrol" ? "/enrol" : ""}?return_to=${encodeURIComponent(request.returnTo)}`,
        303,
      );
    }
    const outcome = await completeAuthorization(db, cfg, request, session);
    if (outcome.kind === "redirect") return c.redirect(outcome.location, 302);
    if (request.prompt === "none") {
      return c.redirect(
        clientRedirect(request.redirectUri, { error: "consent_required", state: request.state }, cfg.issuer),
        302,
      );
    }
    const user = await findUser(db, session.tenantId, session.userId);
    return htmlResponse(
      c,
      consentPage({
        csrfToken: session.csrfToken,
        returnTo: request.returnTo,
        clientName: request.client.name,
        logoUri: request.client.logoUri,
        scopes: request.scopes,
        userEmail: user?.email ?? "",
      }),
    );
  });

  app.post("/oauth/login", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const body = await formOrPage(c);
    if (body instanceof Response) return body;
    const resolved = await requestFromReturnTo(db, cfg, body.get("return_to"));
    if (!resolved) return htmlResponse(c, simplePage("Cannot continue", "The sign-in request is not valid."), 400);
    const { returnTo, request } = resolved;
    const cookieCsrf = getCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE)) ?? "";
    const formCsrf = body.get("csrf_token") ?? "";
    const email = (body.get("email") ?? "").trim();
    const again = (error: string, status: 400 | 401 | 403 | 429) => {
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(c, loginPage({ csrfToken, returnTo, tenantName: request.tenantName, email, error }), status);
    };
    // Double-submit cookie against login CSRF (OWASP CSRF Prevention Cheat Sheet).
    if (cookieCsrf === "" || !timingSafeEqual(cookieCsrf, formCsrf))
      return again("Your sign-in form expired. Try again.", 400);
    const limited = await rateLimited(c, "login", request.client.clientId);
    if (limited) return limited;
    const result = await checkPassword(db, request.client.tenantId, email, body.get("password") ?? "", {
      ip: clientIp(c),
      requestId: c.var.requestId,
      clientId: request.client.clientId,
    });
    if (!result.ok) {
      if (result.reason === "locked")
        return again("Too many failed attempts. The account is locked for a while; try again later.", 403);
      return again("The e-mail or password is not correct.", 401);
    }
    const tenant = await findTenant(db, request.client.tenantId);
    const roles = await userRoles(db, request.client.tenantId, result.user.id);
    const due = await secondFactorDue(
      db,
      { id: request.client.tenantId, settings: tenant?.settings ?? {} },
      result.user.id,
      roles,
    );
    const session = await createSession(
      db,
      {
        tenantId: request.client.tenantId,
        userId: result.user.id,
        authTime: new Date(),
        amr: ["pwd"],
        mfaPending: due !== null,
      },
      cfg.sessionTtl,
    );
    setCookie(c, cookieName(cfg, SESSION_COOKIE), session.id, cookieOptions(cfg, cfg.sessionTtl));
    deleteCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), { path: "/", secure: cfg.issuer.startsWith("https://") });
    await recordAudit(db, {
      tenantId: request.client.tenantId,
      action: "auth.login",
      outcome: "success",
      actorUserId: result.user.id,
      subjectUserId: result.user.id,
      actorClientId: request.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: { mfa: due ?? "none" },
    });
    if (due === "verify") return c.redirect(`/oauth/mfa?return_to=${encodeURIComponent(returnTo)}`, 303);
    if (due === "enrol") return c.redirect(`/oauth/mfa/enrol?return_to=${encodeURIComponent(returnTo)}`, 303);
    return c.redirect(returnTo, 303);
  });

  app.get("/oauth/mfa", async (c) => {
    const cfg = config(c);
    const session = await sessionOf(c, await c.var.db(), cfg);
    const returnTo = safeReturnTo(c.req.query("return_to"));
    if (!session || !returnTo) return htmlResponse(c, simplePage("Session expired", "Sign in again."), 400);
    return htmlResponse(c, mfaPage({ csrfToken: session.csrfToken, returnTo }));
  });

  app.post("/oauth/mfa", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const form = await sessionForm(c, db, cfg);
    if (form instanceof Response) return form;
    const { body, session, returnTo } = form;
    const limited = await rateLimited(c, "login", session.userId);
    if (limited) return limited;
    const factor = await verifySecondFactor(db, cfg.master, session.tenantId, session.userId, body.get("code") ?? "");
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "auth.mfa_verify",
      outcome: factor ? "success" : "failure",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: factor ? { factor } : {},
    });
    if (!factor)
      return htmlResponse(
        c,
        mfaPage({ csrfToken: session.csrfToken, returnTo, error: "That code is not valid." }),
        401,
      );
    await completeSessionMfa(db, session.idHash);
    return c.redirect(returnTo, 303);
  });

  app.get("/oauth/mfa/enrol", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const session = await sessionOf(c, db, cfg);
    const returnTo = safeReturnTo(c.req.query("return_to"));
    if (!session || !returnTo) return htmlResponse(c, simplePage("Session expired", "Sign in again."), 400);
    const user = await findUser(db, session.tenantId, session.userId);
    // The otpauth issuer is a product name: key URI issuers must not contain a colon, which a URL has.
    const enrolment = await startTotpEnrolment(
      db,
      cfg.master,
      session.tenantId,
      session.userId,
      user?.email ?? session.userId,
      "dFDA",
    );
    return htmlResponse(
      c,
      mfaEnrolPage({
        csrfToken: session.csrfToken,
        returnTo,
        secret: enrolment.secret,
        otpauthUri: enrolment.otpauthUri,
      }),
    );
  });

  app.post("/oauth/mfa/enrol", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const form = await sessionForm(c, db, cfg);
    if (form instanceof Response) return form;
    const { body, session, returnTo } = form;
    const codes = await confirmTotpEnrolment(db, cfg.master, session.tenantId, session.userId, body.get("code") ?? "");
    if (!codes) return c.redirect(`/oauth/mfa/enrol?return_to=${encodeURIComponent(returnTo)}`, 303);
    await completeSessionMfa(db, session.idHash);
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "auth.mfa_enrolled",
      outcome: "success",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      ip: clientIp(c),
      requestId: c.var.requestId,
    });
    return htmlResponse(c, recoveryCodesPage({ codes, returnTo }));
  });

  app.post("/oauth/consent", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const form = await sessionForm(c, db, cfg, { requireMfaDone: true });
    if (form instanceof Response) return form;
    const { body, session, returnTo } = form;
    const resolved = await requestFromReturnTo(db, cfg, returnTo);
    if (!resolved) return htmlResponse(c, simplePage("Cannot continue", "The request is not valid."), 400);
    const request = resolved.request;
    if (body.get("decision") !== "approve") {
      await recordAudit(db, {
        tenantId: session.tenantId,
        action: "oauth.consent",
        outcome: "denied",
        actorUserId: session.userId,
        subjectUserId: session.userId,
        actorClientId: request.client.clientId,
        requestId: c.var.requestId,
        ip: clientIp(c),
      });
      return c.redirect(
        clientRedirect(
          request.redirectUri,
          { error: "access_denied", error_description: "The user denied the request.", state: request.state },
          cfg.issuer,
        ),
        303,
      );
    }
    await upsertGrant(db, {
      tenantId: session.tenantId,
      userId: session.userId,
      clientId: request.client.clientId,
      scopes: request.scopes,
    });
    // What the person approved to share is also a consent grant naming the app, made by the same code
    // as POST /v1/consents (docs/consent.md): it lists with their grants, and revoking the app revokes it.
    await recordOAuthConsent(db, {
      tenantId: session.tenantId,
      ownerId: session.userId,
      clientId: request.client.clientId,
      scopes: request.scopes,
      requestId: c.var.requestId,
      ip: clientIp(c),
    });
    await recordAudit(db, {
      tenantId: session.tenantId,
      action: "oauth.consent",
      outcome: "success",
      actorUserId: session.userId,
      subjectUserId: session.userId,
      actorClientId: request.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
      details: { scopes: request.scopes },
    });
    const outcome = await completeAuthorization(db, cfg, { ...request, prompt: null }, session);
    if (outcome.kind === "redirect") return c.redirect(outcome.location, 303);
    return c.redirect(returnTo, 303);
  });

  app.get("/oauth/signup", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const resolved = await requestFromReturnTo(db, cfg, c.req.query("return_to"));
    if (!resolved) {
      return htmlResponse(c, simplePage("Cannot continue", "Open sign-up from an application's sign-in page."), 400);
    }
    const csrfToken = randomToken();
    setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
    return htmlResponse(
      c,
      signupPage({ csrfToken, returnTo: resolved.returnTo, tenantName: resolved.request.tenantName }),
    );
  });

  app.post("/oauth/signup", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const body = await formOrPage(c);
    if (body instanceof Response) return body;
    const resolved = await requestFromReturnTo(db, cfg, body.get("return_to"));
    if (!resolved) return htmlResponse(c, simplePage("Cannot continue", "The sign-up request is not valid."), 400);
    const { returnTo, request } = resolved;
    const email = (body.get("email") ?? "").trim();
    const name = (body.get("name") ?? "").trim();
    const password = body.get("password") ?? "";
    const again = (error: string, status: 400 | 429) => {
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(
        c,
        signupPage({ csrfToken, returnTo, tenantName: request.tenantName, email, name, error }),
        status,
      );
    };
    const cookieCsrf = getCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE)) ?? "";
    if (cookieCsrf === "" || !timingSafeEqual(cookieCsrf, body.get("csrf_token") ?? ""))
      return again("Your form expired. Try again.", 400);
    const limited = await rateLimited(c, "registration", request.client.clientId);
    if (limited) return limited;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
      return again("Enter a valid e-mail address.", 400);
    // NIST SP 800-63B §5.1.1.2: at least 8 characters; we ask 12, and allow up to 1024.
    if (password.length < 12 || password.length > 1024)
      return again("Choose a password of at least 12 characters.", 400);
    let userId: string;
    try {
      ({ id: userId } = await createUser(db, {
        tenantId: request.client.tenantId,
        email,
        passwordHash: await hashPassword(password),
        displayName: name || null,
        roles: ["data_owner"],
      }));
    } catch (error) {
      if (
        (error as { code?: string }).code === "23505" ||
        String((error as { cause?: { code?: string } }).cause?.code) === "23505"
      ) {
        return again("An account with this e-mail already exists. Sign in instead.", 400);
      }
      throw error;
    }
    await emailFlows.sendVerification(db, cfg, { tenantId: request.client.tenantId, userId, email });
    await recordAudit(db, {
      tenantId: request.client.tenantId,
      action: "auth.signup",
      outcome: "success",
      actorUserId: userId,
      subjectUserId: userId,
      actorClientId: request.client.clientId,
      ip: clientIp(c),
      requestId: c.var.requestId,
    });
    const session = await createSession(
      db,
      { tenantId: request.client.tenantId, userId, authTime: new Date(), amr: ["pwd"], mfaPending: false },
      cfg.sessionTtl,
    );
    setCookie(c, cookieName(cfg, SESSION_COOKIE), session.id, cookieOptions(cfg, cfg.sessionTtl));
    return c.redirect(returnTo, 303);
  });

  emailFlows.register(app, { config, htmlResponse, formOrPage, rateLimited });

  app.post("/oauth/logout", async (c) => {
    const cfg = config(c);
    const db = await c.var.db();
    const session = await sessionOf(c, db, cfg);
    if (session) await revokeSession(db, session.idHash);
    deleteCookie(c, cookieName(cfg, SESSION_COOKIE), { path: "/", secure: cfg.issuer.startsWith("https://") });
    return htmlResponse(c, simplePage("Signed out", "You are signed out."));
  });

  app.post(
    "/oauth/token",
    protocol(async (c) => {
      const cfg = config(c);
      const body = await form(c);
      const limited = await rateLimited(
        c,
        "token",
        body.get("client_id") ?? basicClientId(c.req.header("Authorization")),
      );
      if (limited) return limited;
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

  // RFC 7009: revoke a refresh token (its family) or an access token; 200 even for unknown tokens (§2.2).
  app.post(
    "/oauth/revoke",
    protocol(async (c) => {
      const cfg = config(c);
      const db = await c.var.db();
      const body = await form(c);
      const client = await authenticateClient(db, c.req.header("Authorization"), body);
      const token = body.get("token");
      if (!token) throw new OAuthError("invalid_request", "token is required.");
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

  // RFC 7662: confidential clients ask whether a token is active; only tokens of their own tenant.
  app.post(
    "/oauth/introspect",
    protocol(async (c) => {
      const cfg = config(c);
      const db = await c.var.db();
      const body = await form(c);
      const client = await authenticateClient(db, c.req.header("Authorization"), body, { requireConfidential: true });
      const token = body.get("token");
      if (!token) throw new OAuthError("invalid_request", "token is required.");
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
        const state = await tokenState(
          db,
          claims.jti,
          claims.tenant,
          claims.sub === claims.client_id ? null : claims.sub,
          claims.sub === claims.client_id ? null : claims.client_id,
        );
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

  // OIDC Core §5.3: claims about the signed-in user, for a token with `openid`; errors per RFC 6750 §3.
  const userinfo = async (c: Context<AppEnv>) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") {
      return c.json({ error: "invalid_token" }, 401, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    }
    if (!principal.scopes.has("openid")) {
      return c.json({ error: "insufficient_scope" }, 403, {
        "WWW-Authenticate": 'Bearer error="insufficient_scope", scope="openid"',
      });
    }
    const user = await findUser(await c.var.db(), principal.tenantId, principal.userId);
    if (!user) return c.json({ error: "invalid_token" }, 401, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    return c.json({ sub: user.id, tenant: principal.tenantId, ...userInfoClaims(user, [...principal.scopes]) }, 200, {
      "Cache-Control": "no-store",
    });
  };
  app.get("/oauth/userinfo", userinfo);
  app.post("/oauth/userinfo", userinfo);

  // RFC 7591: app developers register clients with an access token carrying clients:manage (§3, initial access token).
  app.post("/oauth/register", async (c) => {
    const principal = c.var.principal;
    const db = await c.var.db();
    const registrationError = (error: "invalid_redirect_uri" | "invalid_client_metadata", description: string) =>
      c.json({ error, error_description: description }, 400, { "Cache-Control": "no-store" });
    if (principal.kind !== "user")
      return c.json({ error: "invalid_token" }, 401, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    const allowedRole = (["app_developer", "admin"] as RoleName[]).some((r) => principal.roles.has(r));
    if (!principal.scopes.has("clients:manage") || !allowedRole) {
      return c.json({ error: "insufficient_scope" }, 403, {
        "WWW-Authenticate": 'Bearer error="insufficient_scope", scope="clients:manage"',
      });
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
    const redirectUris = metadata.redirect_uris;
    if (
      !Array.isArray(redirectUris) ||
      redirectUris.length === 0 ||
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
    const authMethod = metadata.token_endpoint_auth_method ?? "client_secret_basic";
    if (!["none", "client_secret_basic", "client_secret_post"].includes(String(authMethod))) {
      return registrationError(
        "invalid_client_metadata",
        "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post.",
      );
    }
    const isPublic = authMethod === "none";
    const grantTypes = Array.isArray(metadata.grant_types)
      ? (metadata.grant_types as unknown[]).map(String)
      : ["authorization_code", "refresh_token"];
    const allowedGrants = isPublic
      ? ["authorization_code", "refresh_token"]
      : ["authorization_code", "refresh_token", "client_credentials"];
    if (grantTypes.some((g) => !allowedGrants.includes(g))) {
      return registrationError("invalid_client_metadata", `grant_types may be ${allowedGrants.join(", ")}.`);
    }
    const scopes =
      typeof metadata.scope === "string"
        ? splitScopes(metadata.scope)
        : allScopes().filter((s) => !["clients:manage", "audit:read", "tenant:manage"].includes(s));
    if (unknownScopes(scopes).length > 0)
      return registrationError("invalid_client_metadata", `Unknown scope: ${unknownScopes(scopes).join(" ")}.`);
    if (scopes.some((s) => ["audit:read", "tenant:manage"].includes(s)) && !principal.roles.has("admin")) {
      return registrationError("invalid_client_metadata", "Administrative scopes need an administrator.");
    }
    let logoUri: string | null = null;
    if (metadata.logo_uri !== undefined) {
      if (typeof metadata.logo_uri !== "string" || !/^https:\/\//.test(metadata.logo_uri)) {
        return registrationError("invalid_client_metadata", "logo_uri must be an https URL.");
      }
      logoUri = metadata.logo_uri;
    }
    const clientId = `dfda_${randomToken(12)}`;
    const secret = isPublic ? null : randomToken(32);
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
      details: { name, public: isPublic },
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
      },
      201,
      { "Cache-Control": "no-store" },
    );
  });
}

function basicClientId(header: string | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? "");
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(atob(match[1]).split(":")[0] ?? "");
  } catch {
    return null;
  }
}

/**
 * A form posted from a page of a signed-in session: the session, its CSRF token (synchronizer token,
 * OWASP CSRF Prevention Cheat Sheet) and a safe `return_to`, or the page saying the session expired.
 */
async function sessionForm(
  c: Context<AppEnv>,
  db: Database,
  cfg: AuthConfig,
  options: { requireMfaDone?: boolean } = {},
): Promise<
  { body: URLSearchParams; session: NonNullable<Awaited<ReturnType<typeof sessionOf>>>; returnTo: string } | Response
> {
  const body = await formOrPage(c);
  if (body instanceof Response) return body;
  const session = await sessionOf(c, db, cfg);
  const returnTo = safeReturnTo(body.get("return_to"));
  if (
    !session ||
    (options.requireMfaDone && session.mfaPending) ||
    !returnTo ||
    !timingSafeEqual(session.csrfToken, body.get("csrf_token") ?? "")
  ) {
    return htmlResponse(c, simplePage("Session expired", "Sign in again."), 400);
  }
  return { body, session, returnTo };
}

/** Reads a form post for a page, or answers with a page saying the form was not understood. */
async function formOrPage(c: Context<AppEnv>): Promise<URLSearchParams | Response> {
  try {
    return await form(c);
  } catch (error) {
    if (error instanceof OAuthError) return htmlResponse(c, simplePage("Cannot continue", error.description), 400);
    throw error;
  }
}

export type PageHelpers = {
  config: (c: Context<AppEnv>) => AuthConfig;
  htmlResponse: typeof htmlResponse;
  formOrPage: typeof formOrPage;
  rateLimited: typeof rateLimited;
};
