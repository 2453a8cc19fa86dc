/**
 * Claims about the user for ID tokens and the UserInfo endpoint (OpenID Connect Core §5.1, §5.3),
 * released per scope (§5.4): `email` and `email_verified` for `email`, `name` for `profile`, and
 * `fhirUser` for `fhirUser` (SMART App Launch 2.x §"Scopes for requesting identity data": the URL of
 * the FHIR resource standing for the user, here their Patient, the same id the FHIR API serves).
 */
export interface UserForClaims {
  id: string;
  email: string;
  emailVerifiedAt: Date | null;
  displayName: string | null;
}

/** The FHIR base (`<origin>/fhir/R4`) of an issuer, whose FHIR API is served at the same origin. */
export function fhirBaseOf(issuer: string): string {
  return `${new URL(issuer).origin}/fhir/R4`;
}

export function userInfoClaims(
  user: UserForClaims,
  scopes: readonly string[],
  issuer: string,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes("email")) {
    claims.email = user.email;
    claims.email_verified = user.emailVerifiedAt !== null;
  }
  if (scopes.includes("profile") && user.displayName !== null) claims.name = user.displayName;
  // An absolute URL (the spec allows absolute or relative to the FHIR base; absolute needs no base to resolve).
  if (scopes.includes("fhirUser")) claims.fhirUser = `${fhirBaseOf(issuer)}/Patient/${user.id}`;
  return claims;
}
