/**
 * A minimal cookie jar for `dfda login` (RFC 6265 §5.2–5.4, host-only cookies): it keeps what a
 * server sets with `Set-Cookie` and sends it back to the same origin on later requests, honouring
 * `Path`, `Secure`, `Max-Age` and `Expires` (a cookie set already expired is deleted). `Domain` is
 * ignored on purpose: cookies never travel to another host than the one that set them.
 */

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  secure: boolean;
  /** Milliseconds since the epoch; null for a session cookie. */
  expiresAt: number | null;
}

/** Splits a combined `Set-Cookie` header (values joined by ", ") without breaking `Expires` dates. */
export function splitSetCookie(combined: string): string[] {
  return combined
    .split(/,(?=\s*[^;,=\s]+=)/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** Every `Set-Cookie` header of a response, one string each. */
export function setCookieHeaders(headers: Headers): string[] {
  const withList = headers as unknown as { getSetCookie?: () => string[] };
  if (typeof withList.getSetCookie === "function") return withList.getSetCookie();
  const combined = headers.get("set-cookie");
  return combined === null ? [] : splitSetCookie(combined);
}

/** The default path of a cookie set without `Path` (RFC 6265 §5.1.4). */
function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith("/") || path.lastIndexOf("/") === 0) return "/";
  return path.slice(0, path.lastIndexOf("/"));
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

export class CookieJar {
  readonly #byOrigin = new Map<string, Map<string, StoredCookie>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Records the `Set-Cookie` headers of a response to `url`. */
  store(url: URL, headers: Headers): void {
    for (const line of setCookieHeaders(headers)) this.storeLine(url, line);
  }

  /** Records one `Set-Cookie` value (RFC 6265 §5.2). */
  storeLine(url: URL, line: string): void {
    const [pair = "", ...attributeParts] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name === "") return;
    let path = defaultPath(url);
    let secure = false;
    let expiresAt: number | null = null;
    let maxAgeSeen = false;
    for (const part of attributeParts) {
      const at = part.indexOf("=");
      const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
      const attribute = at === -1 ? "" : part.slice(at + 1).trim();
      if (key === "path" && attribute.startsWith("/")) path = attribute;
      else if (key === "secure") secure = true;
      else if (key === "max-age" && /^-?\d+$/.test(attribute)) {
        const seconds = Number.parseInt(attribute, 10);
        expiresAt = seconds <= 0 ? 0 : this.#now() + seconds * 1000;
        maxAgeSeen = true;
      } else if (key === "expires" && !maxAgeSeen) {
        const time = Date.parse(attribute);
        if (!Number.isNaN(time)) expiresAt = time;
      }
    }
    // A Secure cookie may be set only over https (RFC 6265bis §5.7 step 11); loopback is trusted alike.
    if (secure && url.protocol !== "https:" && !isLoopbackHost(url.hostname)) return;
    const jar = this.#byOrigin.get(url.origin) ?? new Map<string, StoredCookie>();
    this.#byOrigin.set(url.origin, jar);
    const key = `${name}\u0000${path}`;
    if (expiresAt !== null && expiresAt <= this.#now()) {
      jar.delete(key);
      return;
    }
    jar.set(key, { name, value, path, secure, expiresAt });
  }

  /** The `Cookie` header for a request to `url`, or null when no cookie applies. */
  header(url: URL): string | null {
    const jar = this.#byOrigin.get(url.origin);
    if (!jar) return null;
    const now = this.#now();
    const matching: StoredCookie[] = [];
    for (const [key, cookie] of jar) {
      if (cookie.expiresAt !== null && cookie.expiresAt <= now) {
        jar.delete(key);
        continue;
      }
      if (cookie.secure && url.protocol !== "https:" && !isLoopbackHost(url.hostname)) continue;
      if (pathMatches(url.pathname, cookie.path)) matching.push(cookie);
    }
    if (matching.length === 0) return null;
    // Longer paths first (RFC 6265 §5.4 step 2).
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => `${c.name}=${c.value}`).join("; ");
  }
}

/** Loopback hosts (RFC 8252 §7.3; `localhost` per RFC 6761 §6.3). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "127.0.0.1" || hostname === "[::1]" || hostname === "localhost" || /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}
