/**
 * The OAuth 2.0 client side every connector shares: the authorization request (RFC 6749 §4.1.1, with
 * PKCE's `code_challenge` where the vendor takes it, RFC 7636 §4.3), the token request with client
 * credentials in the body (§2.3.1, §4.1.3, refresh §6), reading the token response (§5.1) and its errors
 * (§5.2), and vendor responses' status codes turned into `VendorError`s.
 */
import { z } from "zod";
import {
  type Connector,
  type ConnectorDefinition,
  type ConnectorSettings,
  VendorError,
  type VendorHttp,
  type VendorTokens,
} from "./contract";

/** How long one vendor request may take before it counts as unavailable. */
export const VENDOR_TIMEOUT_MS = 30_000;

/** The authorization URL the person is sent to (RFC 6749 §4.1.1). */
export function authorizationUrl(
  definition: ConnectorDefinition,
  settings: Omit<ConnectorSettings, "clientSecret">,
  request: { state: string; redirectUri: string; codeChallenge?: string },
): string {
  const url = new URL(definition.auth.authorize_path, settings.baseUrls.auth);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", request.redirectUri);
  url.searchParams.set("scope", definition.auth.scopes.join(" "));
  url.searchParams.set("state", request.state);
  if (definition.auth.pkce && request.codeChallenge !== undefined) {
    url.searchParams.set("code_challenge", request.codeChallenge);
    url.searchParams.set("code_challenge_method", "S256");
  }
  return url.toString();
}

/** Seconds of a `Retry-After` header (delay-seconds or an HTTP-date, RFC 9110 §10.2.3), or null. */
export function retryAfterSeconds(header: string | null, now: Date): number | null {
  if (header === null) return null;
  if (/^\d{1,9}$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * Sends one request to the vendor and returns the response when it is a 2xx; every other outcome is a
 * `VendorError` (401 unauthorized, 429 rate_limited with Retry-After, 5xx and network failures or
 * timeouts unavailable, any other status malformed). `what` names the exchange in the error message.
 */
export async function vendorRequest(http: VendorHttp, request: Request, what: string, now: Date): Promise<Response> {
  let response: Response;
  try {
    response = await http(request);
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not be reached";
    throw new VendorError("unavailable", `${what}: the vendor ${reason}`);
  }
  if (response.ok) return response;
  await response.body?.cancel().catch(() => {});
  if (response.status === 401) throw new VendorError("unauthorized", `${what}: the vendor refused the token (401)`);
  if (response.status === 429) {
    throw new VendorError(
      "rate_limited",
      `${what}: the vendor's rate limit was reached (429)`,
      retryAfterSeconds(response.headers.get("Retry-After"), now),
    );
  }
  if (response.status >= 500)
    throw new VendorError("unavailable", `${what}: the vendor had an error (${response.status})`);
  throw new VendorError("malformed", `${what}: the vendor answered ${response.status}`);
}

/** The token response (RFC 6749 §5.1); `token_type` must be Bearer (RFC 6750), case-insensitively. */
const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

/** An error response of the token endpoint (RFC 6749 §5.2). */
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * A token request (authorization code §4.1.3, or refresh §6) with the client's credentials in the form
 * body (§2.3.1, the way the vendors here document it). A 400/401 whose body is `invalid_grant` (or
 * `invalid_token`) means the grant is gone: `VendorError("invalid_grant")`.
 */
export async function tokenRequest(
  http: VendorHttp,
  definition: ConnectorDefinition,
  settings: ConnectorSettings,
  form: Record<string, string>,
  now: Date,
  previousRefresh: string | null = null,
): Promise<VendorTokens> {
  const body = new URLSearchParams({ ...form, client_id: settings.clientId, client_secret: settings.clientSecret });
  const request = new Request(new URL(definition.auth.token_path, settings.baseUrls.api), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body,
    signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
  });
  let response: Response;
  try {
    response = await http(request);
  } catch {
    throw new VendorError("unavailable", "token request: the vendor could not be reached");
  }
  if (response.status === 400 || response.status === 401) {
    const error = TokenError.safeParse(await response.json().catch(() => null));
    // RFC 6749 §5.2: invalid_grant is a code or refresh token that is expired, revoked or not ours.
    if (response.status === 401 || (error.success && /^invalid_(grant|token)$/.test(error.data.error))) {
      throw new VendorError("invalid_grant", "the vendor no longer accepts this connection's authorization");
    }
    throw new VendorError("malformed", `token request: the vendor answered ${error.success ? error.data.error : 400}`);
  }
  const ok = await vendorRequest(async () => response, request, "token request", now);
  return tokensOf(ok, now, previousRefresh, "token request");
}

/**
 * The tokens of a successful token response (RFC 6749 §5.1), with the refresh token to keep when the
 * vendor sends none back (§6: it may keep the refresh token unchanged); `what` names the exchange in
 * the error a malformed answer gives.
 */
export async function tokensOf(
  ok: Response,
  now: Date,
  previousRefresh: string | null,
  what: string,
): Promise<VendorTokens> {
  const parsed = TokenResponse.safeParse(await ok.json().catch(() => null));
  if (!parsed.success) throw new VendorError("malformed", `${what}: the vendor's answer is not a token response`);
  const t = parsed.data;
  return {
    access_token: t.access_token,
    refresh_token: t.refresh_token ?? previousRefresh,
    expires_at: t.expires_in === undefined ? null : new Date(now.getTime() + t.expires_in * 1000).toISOString(),
    scope: t.scope ?? null,
  };
}

/**
 * The authorization request, code exchange and refresh of a vendor that follows RFC 6749 as written
 * (client credentials in the body, §2.3.1; a refresh may or may not rotate the refresh token, §6): the
 * connector spreads these and adds its own `revoke` and `sync`. `vendor` names it in the message a
 * person reads when it gave no refresh token.
 *
 * @example
 * return { definition, ...standardOAuth(definition, "Oura"), revoke, sync };
 */
export function standardOAuth(
  definition: ConnectorDefinition,
  vendor: string,
): Pick<Connector, "authorizeUrl" | "exchangeCode" | "refresh"> {
  return {
    authorizeUrl: (settings, request) => authorizationUrl(definition, settings, request),
    exchangeCode: (http, settings, grant) =>
      tokenRequest(
        http,
        definition,
        settings,
        { grant_type: "authorization_code", code: grant.code, redirect_uri: grant.redirectUri },
        grant.now,
      ),
    refresh: (http, settings, tokens, now) => {
      if (tokens.refresh_token === null) {
        return Promise.reject(new VendorError("invalid_grant", `${vendor} gave no refresh token; connect again`));
      }
      // A rotated refresh token replaces the old one; an unchanged one is kept (tokenRequest).
      return tokenRequest(
        http,
        definition,
        settings,
        { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
        now,
        tokens.refresh_token,
      );
    },
  };
}
