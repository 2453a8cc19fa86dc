/**
 * Signing in: the authorization code grant with PKCE (RFC 7636, S256) against the platform's own
 * authorization server, as the public, first-party client `dfda-portal` (scripts/start.ts registers it;
 * docs/portal.md). The verifier and state wait in sessionStorage across the redirect; the tokens live in
 * sessionStorage too (this tab only, gone when it closes), which a strict CSP (no inline or third-party
 * script) protects. Everything else goes through @dfda/sdk's client: refresh with rotation, retries, problems.
 */
import {
  DfdaClient,
  finishAuthorization,
  type PendingAuthorization,
  startAuthorization,
  WebStorageTokenStore,
} from "@dfda/sdk";

export const CLIENT_ID = "dfda-portal";
/** What the portal does, and no more (docs/portal.md lists which page needs which). */
export const SCOPES = [
  "openid",
  "profile",
  "email",
  "offline_access",
  "observations:read",
  "observations:write",
  "files:read",
  "files:write",
  "consents:read",
  "consents:manage",
  "profile:write",
].join(" ");

const PENDING_KEY = "dfda.portal.pending";
const origin = window.location.origin;
export const REDIRECT_URI = `${origin}/app/callback`;
const store = new WebStorageTokenStore(window.sessionStorage, "dfda.portal.tokens");

export const client = new DfdaClient({ baseUrl: origin, clientId: CLIENT_ID, store });

export function signedIn(): boolean {
  return store.load() !== null;
}

/**
 * Sends the browser to the sign-in page; it comes back to /app/callback and then to `returnTo`. `extra`
 * carries `max_age` for a step-up (RFC 9470: the API asked for a more recent sign-in).
 */
export async function signIn(returnTo: string, extra: Record<string, string> = {}): Promise<void> {
  const pending = await startAuthorization({
    baseUrl: origin,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    scope: SCOPES,
    extra,
  });
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify({ pending, returnTo }));
  window.location.assign(pending.url);
}

/** On /app/callback: checks state and issuer, redeems the code (SDK), keeps the tokens; returns where to go. */
export async function completeSignIn(): Promise<string> {
  const saved = window.sessionStorage.getItem(PENDING_KEY);
  window.sessionStorage.removeItem(PENDING_KEY);
  if (saved === null) throw new Error("This sign-in was not started here (or was already used). Sign in again.");
  const { pending, returnTo } = JSON.parse(saved) as { pending: PendingAuthorization; returnTo: string };
  const tokens = await finishAuthorization(pending, window.location.href);
  store.save(tokens);
  forgetMe();
  // Only a path of the portal itself: never an open redirect.
  return returnTo.startsWith("/app") ? returnTo : "/app";
}

export async function signOut(): Promise<void> {
  try {
    await client.signOut();
  } finally {
    store.save(null);
    forgetMe();
  }
}

/** The signed-in person (OpenID Connect userinfo): `sub` is their account id, which grants name. */
export interface Me {
  sub: string;
  email: string | null;
}

let me: Promise<Me> | null = null;

/** Asked once per sign-in. */
export function whoAmI(): Promise<Me> {
  me ??= client.unwrap(client.api.GET("/oauth/userinfo")).then((info) => {
    const claims = info as { sub?: unknown; email?: unknown };
    return { sub: String(claims.sub ?? ""), email: typeof claims.email === "string" ? claims.email : null };
  });
  me.catch(() => {
    me = null;
  });
  return me;
}

/** Forgets who was signed in (after a sign-in or sign-out). */
export function forgetMe(): void {
  me = null;
}
