/**
 * Operations anyone may call, for the route contract test and the authorization matrix alike: health
 * and problem types; metadata and keys of the authorization server (RFC 8414 §3, RFC 7517); endpoints
 * whose callers authenticate otherwise, clients with their own credentials (RFC 6749 §2.3), browsers
 * with the sign-in session's cookie and CSRF token, vendors with their signature; and the export
 * download, whose signed link is its credential (checked at download, docs/retention.md). Any other
 * operation without a security requirement fails both tests.
 */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  "health",
  "getProblemType",
  "downloadMyExport",
  // The vendor's redirect back to a connector (RFC 6749 §4.1.2): the person's browser carries no token;
  // the single-use state binds it to the person (docs/connectors.md).
  "connectorCallback",
  // A vendor's push notification: authenticated by the vendor's signature, not a token (docs/connectors.md).
  "connectorWebhook",
  // A vendor's check of that URL (Oura's challenge, Fitbit's verify code, Withings' HEAD): it proves the
  // values only the operator configured, not a token (docs/connectors.md).
  "connectorWebhookCheck",
  // The authorization server: metadata and keys are public (RFC 8414 §3, RFC 7517); clients authenticate
  // with their own credentials (RFC 6749 §2.3); the sign-in pages go by the browser session's cookie.
  "getOpenIdConfiguration",
  "getAuthorizationServerMetadata",
  "getJwks",
  // SMART App Launch 2.x §Conformance: the configuration is public, as the metadata above.
  "getSmartConfiguration",
  "authorize",
  "token",
  "deviceAuthorization",
  "revokeToken",
  "introspectToken",
  "signIn",
  "showSecondFactorPage",
  "verifySecondFactor",
  "showSecondFactorEnrolmentPage",
  "confirmSecondFactorEnrolment",
  "decideConsent",
  "deviceVerification",
  "decideDevice",
  "showSignUpPage",
  "signUp",
  "verifyEmail",
  "confirmEmail",
  "resendEmailConfirmation",
  "showForgotPasswordPage",
  "sendPasswordResetLink",
  "showResetPasswordPage",
  "resetPassword",
  "signOut",
]);

/** Routes served under this prefix are the FHIR R4 API, described by its CapabilityStatement, not by /openapi.json. */
export const FHIR_ROUTE_PREFIX = "/fhir/R4/";

/**
 * Whether a served route (`GET /path/:param`) is meant to be outside the OpenAPI document: the document
 * itself, the page that renders it, the portal's one HTML page (routes/app_portal.ts: no data, no
 * token; the portal calls the documented API, tested in app_portal.test.ts), and the FHIR R4 API, which answers FHIR resources and
 * OperationOutcomes (R4 http.html) rather than problems. Its contract and authorization checks are in
 * workers/api/src/fhir/fhir.test.ts, which enumerates the app's FHIR routes the same way, so a new one
 * cannot escape them either.
 */
export function outsideOpenApi(route: string): boolean {
  return (
    route === "GET /openapi.json" ||
    route === "GET /docs" ||
    route === "GET /app" ||
    route === "GET /app/*" ||
    (route.split(" ")[1] ?? "").startsWith(FHIR_ROUTE_PREFIX) ||
    // The FHIR base itself: a transaction Bundle is POSTed to [base] (R4 http.html §3.1.0.11).
    route === `POST ${FHIR_ROUTE_PREFIX.slice(0, -1)}`
  );
}
