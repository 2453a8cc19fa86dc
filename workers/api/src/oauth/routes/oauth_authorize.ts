import { randomToken } from "@dfda/auth";
import { findTenant, findUser, userRoles } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import {
  EXAMPLE_CLIENT_ID,
  EXAMPLE_CSRF,
  EXAMPLE_ORIGIN,
  EXAMPLE_REDIRECT_URI,
  EXAMPLE_RETURN_TO,
  EXAMPLE_STATE,
} from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { clientRedirect, completeAuthorization, parseAuthorizationRequest, reauthenticationDue } from "../authorize";
import { backgroundOffer } from "../background";
import {
  configOf,
  cookieName,
  cookieOptions,
  htmlResponse,
  LOGIN_CSRF_COOKIE,
  redirectSource,
  sessionOf,
} from "../http";
import { secondFactorDue } from "../mfa";
import { htmlPage, internalErrorResponse, mount, pageError, redirect } from "../openapi";
import { consentPage, loginPage, simplePage } from "../pages";
import { daysAfter, tenantLifetimes } from "../tenant-settings";

const param = (description: string, example?: string) =>
  z
    .string()
    .optional()
    .openapi({ description, ...(example === undefined ? {} : { example }) });

export const route = createRoute({
  method: "get",
  path: "/oauth/authorize",
  operationId: "authorize",
  tags: ["Authorization server"],
  security: [],
  summary: "Authorization endpoint (RFC 6749 §4.1.1, PKCE RFC 7636)",
  description:
    "Starts the authorization code flow in the browser: shows the sign-in page, the second-factor step or the " +
    "consent page, and finally redirects to the client with `code`, `state` and `iss` (RFC 9207). Errors about " +
    "the client or its redirect URI are shown on a page and never redirected (RFC 6749 §4.1.2.1); every other " +
    "error is redirected to the client. PKCE with S256 is required.",
  request: {
    query: z.object({
      response_type: param("Must be `code`.", "code"),
      client_id: param("The registered client.", EXAMPLE_CLIENT_ID),
      redirect_uri: param("Exactly one of the client's registered redirect URIs.", EXAMPLE_REDIRECT_URI),
      scope: param("Space-separated scopes.", "openid observations:read"),
      state: param("Returned unchanged to the client.", EXAMPLE_STATE),
      nonce: param("Copied into the ID token (OIDC Core §3.1.2.1).", "n-0S6_WzA2Mj"),
      // RFC 7636 Appendix B: the challenge of the verifier dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk.
      code_challenge: param(
        "BASE64URL(SHA-256(code_verifier)), 43 characters.",
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      ),
      code_challenge_method: param("Must be `S256`.", "S256"),
      prompt: param("`none`, `login` or `consent` (OIDC Core §3.1.2.1).", "consent"),
      max_age: param(
        "Seconds (OIDC Core §3.1.2.1): a session whose sign-in is older signs in again, and the tokens carry the new " +
          "`auth_time`. How a client answers the RFC 9470 `insufficient_user_authentication` challenge.",
        "300",
      ),
    }),
  },
  responses: {
    200: htmlPage(
      "The sign-in page or the consent page.",
      "Sign in",
      `<form method="post" action="/oauth/login"><input type="email" name="email"><input type="password" name="password"><input type="hidden" name="return_to" value="${EXAMPLE_RETURN_TO.replace(/&/g, "&amp;")}"><input type="hidden" name="csrf_token" value="${EXAMPLE_CSRF}"><button>Sign in</button></form>`,
    ),
    302: redirect(
      "Back to the client with a code or an error (`login_required`, `consent_required`, …).",
      `${EXAMPLE_REDIRECT_URI}?code=SplxlOBeZQQYbYS6WxSbIA&state=${EXAMPLE_STATE}&iss=${encodeURIComponent(EXAMPLE_ORIGIN)}`,
    ),
    303: redirect(
      "To the second-factor step of a signed-in session.",
      `/oauth/mfa?return_to=${encodeURIComponent(EXAMPLE_RETURN_TO)}`,
    ),
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const parsed = await parseAuthorizationRequest(db, cfg, new URL(c.req.url).searchParams);
    if (parsed.kind === "page-error") return htmlResponse(c, simplePage("Cannot continue", parsed.message), 400);
    if (parsed.kind === "redirect-error") return c.redirect(parsed.location, 302);
    const request = parsed.request;
    const session = await sessionOf(c, db, cfg);
    if (!session || session.tenantId !== request.client.tenantId || reauthenticationDue(request, session, new Date())) {
      if (request.prompt === "none") {
        return c.redirect(
          clientRedirect(request.redirectUri, { error: "login_required", state: request.state }, cfg.issuer),
          302,
        );
      }
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(
        c,
        loginPage({ csrfToken, returnTo: request.signInReturnTo, tenantName: request.tenantName }),
        200,
        [redirectSource(request.redirectUri)],
      );
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
    // What keeps working while the person is away is shown dated (docs/identity.md, "Consent screen").
    const lifetimes = tenantLifetimes((await findTenant(db, session.tenantId))?.settings);
    const now = new Date();
    return htmlResponse(
      c,
      consentPage({
        csrfToken: session.csrfToken,
        returnTo: request.returnTo,
        clientName: request.client.name,
        logoUri: request.client.logoUri,
        scopes: request.scopes,
        userEmail: user?.email ?? "",
        background: backgroundOffer(request.client, request.scopes, lifetimes, now),
        offlineUntil: daysAfter(now, lifetimes.refreshTokenAbsoluteDays),
      }),
      200,
      [redirectSource(request.redirectUri)],
    );
  });
}
