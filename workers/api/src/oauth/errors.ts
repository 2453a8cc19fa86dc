/**
 * OAuth 2.0 error responses (RFC 6749 §5.2), which protocol clients parse: `{error,
 * error_description}` with 400, or 401 and `WWW-Authenticate` for `invalid_client`. The public text is
 * kept apart from the internal diagnostic, which is only logged.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "access_denied"
  | "unsupported_response_type"
  | "server_error"
  | "temporarily_unavailable"
  | "invalid_token"
  | "invalid_redirect_uri"
  | "invalid_client_metadata"
  | "login_required"
  | "consent_required"
  // RFC 8628 §3.5: the device grant's answers while polling.
  | "authorization_pending"
  | "slow_down"
  | "expired_token";

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = error === "invalid_client" ? 401 : 400,
    /** Logged only. */
    readonly internal?: string,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export function oauthErrorResponse(error: OAuthError, headers: Record<string, string> = {}): Response {
  const h = new Headers({
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    ...headers,
  });
  if (error.status === 401) h.set("WWW-Authenticate", `Basic realm="oauth", error="${error.error}"`);
  return new Response(JSON.stringify({ error: error.error, error_description: error.description }), {
    status: error.status,
    headers: h,
  });
}
