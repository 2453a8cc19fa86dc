/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3):
 * `client_secret_basic` (HTTP Basic, form-urlencoded credentials per §2.3.1) or `client_secret_post`;
 * public clients identify themselves with `client_id` alone (`none`). Using two methods at once is an
 * error (§2.3).
 */

import { sha256Hex, timingSafeEqual } from "@dfda/auth";
import type { Database } from "@dfda/db";
import { findClient } from "@dfda/db/repositories/identity";
import { OAuthError } from "./errors";

export type OAuthClient = NonNullable<Awaited<ReturnType<typeof findClient>>>;

function decodeBasic(header: string): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  try {
    // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    return null;
  }
}

export async function hashClientSecret(secret: string): Promise<string> {
  // Client secrets are 256-bit random strings, so a fast hash suffices (unlike passwords).
  return sha256Hex(secret);
}

/**
 * Authenticates the calling client, or throws `invalid_client` (401). Public clients pass with their
 * id alone; `requireConfidential` refuses them (client credentials, introspection).
 */
export async function authenticateClient(
  db: Database,
  authorization: string | undefined,
  form: URLSearchParams,
  options: { requireConfidential?: boolean } = {},
): Promise<OAuthClient> {
  const basic = authorization ? decodeBasic(authorization) : null;
  if (authorization && !basic) throw new OAuthError("invalid_client", "Malformed Basic credentials.");
  const postId = form.get("client_id");
  const postSecret = form.get("client_secret");
  if (basic && postSecret !== null) {
    throw new OAuthError("invalid_request", "Use one client authentication method, not two.");
  }
  if (basic && postId !== null && postId !== basic.id) {
    throw new OAuthError("invalid_request", "client_id does not match the authenticated client.");
  }
  const clientId = basic?.id ?? postId;
  if (!clientId) throw new OAuthError("invalid_client", "Client authentication failed.");
  const client = await findClient(db, clientId);
  if (!client || client.disabledAt !== null) {
    throw new OAuthError(
      "invalid_client",
      "Client authentication failed.",
      401,
      `unknown or disabled client ${clientId}`,
    );
  }
  const secret = basic?.secret ?? postSecret;
  if (client.clientType === "confidential") {
    if (secret === null || client.secretHash === null)
      throw new OAuthError("invalid_client", "Client authentication failed.");
    if (!timingSafeEqual(await hashClientSecret(secret), client.secretHash)) {
      throw new OAuthError("invalid_client", "Client authentication failed.");
    }
  } else {
    if (secret !== null && secret !== "") throw new OAuthError("invalid_client", "Public clients have no secret.");
    if (options.requireConfidential) {
      throw new OAuthError("unauthorized_client", "This endpoint is for confidential clients.");
    }
  }
  return client;
}
