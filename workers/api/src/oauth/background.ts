/**
 * Background access: an app's own servers reading or adding a person's observations through the
 * client credentials grant (RFC 6749 §4.4), with no person signed in. It exists only as consent grants
 * naming the client (docs/consent.md), and the consent screen makes one only when the person ticks the
 * separate, unticked choice, for a limited time (`background_access_days`).
 *
 * Why a choice of its own rather than `offline_access`: `offline_access` (OIDC Core §11) asks for
 * refresh tokens, which keep the person's own, user-bound access alive and are bounded by the refresh
 * lifetimes; it is the app that asks for it, so approving the app would silently approve it. Background
 * access is a different channel (the app acting as itself, for any of its users it holds a grant from),
 * public clients cannot use it at all, and the person should decide it separately and see it dated.
 */
import { scopesToShares } from "@dfda/db/repositories/consents";
import type { OAuthClient } from "./client-auth";
import type { BackgroundOffer } from "./pages";
import { daysAfter, type TenantLifetimes } from "./tenant-settings";

/**
 * What the consent screen offers for background access: null when the client cannot act from its own
 * servers (a public client, or no client_credentials grant type) or the scopes share no data.
 */
export function backgroundOffer(
  client: Pick<OAuthClient, "clientType" | "grantTypes">,
  scopes: readonly string[],
  lifetimes: TenantLifetimes,
  now: Date,
): BackgroundOffer | null {
  if (client.clientType !== "confidential" || !client.grantTypes.includes("client_credentials")) return null;
  const shares = scopesToShares(scopes);
  if (shares.size === 0) return null;
  const actions = (["read", "write"] as const).filter((a) => shares.has(a));
  return { actions, until: daysAfter(now, lifetimes.backgroundAccessDays) };
}
