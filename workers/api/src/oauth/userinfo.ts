/**
 * Claims about the user for ID tokens and the UserInfo endpoint (OpenID Connect Core §5.1, §5.3),
 * released per scope (§5.4): `email` and `email_verified` for `email`, `name` for `profile`.
 */
export interface UserForClaims {
  email: string;
  emailVerifiedAt: Date | null;
  displayName: string | null;
}

export function userInfoClaims(user: UserForClaims, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes("email")) {
    claims.email = user.email;
    claims.email_verified = user.emailVerifiedAt !== null;
  }
  if (scopes.includes("profile") && user.displayName !== null) claims.name = user.displayName;
  return claims;
}
