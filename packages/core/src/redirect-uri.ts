/**
 * Redirect URI rules of the authorization server, shared with the `dfda` CLI that registers clients:
 * what may be registered (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §2.1) and what a request's
 * redirect_uri must be to match a registered one (exact, with RFC 8252 §7.3's loopback port freedom).
 */

const LOOPBACK_HOSTS = ["127.0.0.1", "[::1]", "localhost"];

/**
 * A redirect URI the authorization server will accept (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §2.1):
 * an absolute URI without a fragment, either https, http on a loopback host (§7.3), or a private-use
 * scheme named after a reversed domain such as `com.example.app:/callback` (§7.1).
 */
export function redirectUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri} is not an absolute URI.`;
  }
  if (url.hash !== "" || uri.includes("#")) return `${uri}: redirect URIs must not have a fragment (RFC 6749 §3.1.2).`;
  if (url.username !== "" || url.password !== "") return `${uri}: redirect URIs must not carry credentials.`;
  if (url.protocol === "https:") {
    return url.hostname === "" ? `${uri}: an https redirect URI needs a host.` : null;
  }
  if (url.protocol === "http:") {
    return LOOPBACK_HOSTS.includes(url.hostname)
      ? null
      : `${uri}: http redirect URIs are allowed only for loopback hosts 127.0.0.1, [::1] or localhost (RFC 8252 §7.3); use https.`;
  }
  // A scheme with a dot after its first letter and a character after the dot; tested in two steps, as
  // `^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$` backtracks quadratically over a run of dots (CWE-1333).
  if (/^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && url.protocol.slice(1, -2).includes(".")) return null;
  return `${uri}: use https, loopback http, or a private-use scheme named after a reversed domain you control, like com.example.app:/callback (RFC 8252 §7.1).`;
}

/**
 * Exact match, except that a loopback IP redirect URI may use any port (RFC 8252 §7.3: native apps
 * listen on an ephemeral port). `localhost` is not treated so (RFC 8252 §8.3).
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(requested);
  } catch {
    return false;
  }
  const loopback = (u: URL) => u.protocol === "http:" && (u.hostname === "127.0.0.1" || u.hostname === "[::1]");
  return (
    loopback(a) &&
    loopback(b) &&
    a.hostname === b.hostname &&
    a.pathname === b.pathname &&
    a.search === b.search &&
    a.username === "" &&
    b.username === "" &&
    b.hash === ""
  );
}
