/**
 * Which URLs a subscriber may register. The platform POSTs to them from its own network, so an address
 * inside it would let a subscriber probe or hit internal services (server-side request forgery, OWASP
 * API7:2023). In production only `https:` URLs whose host is a public name or a public IP literal are
 * accepted; in development and tests `http://localhost` and `http://127.0.0.1` are allowed too (a local
 * receiver). A name that resolves to a private address cannot be refused here (Workers have no DNS
 * lookup); Cloudflare's `fetch` does not reach private ranges from a deployed Worker, which closes that
 * path (docs/webhooks.md).
 */

export type UrlRefusal = "not_a_url" | "scheme" | "credentials" | "private_address" | "port";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** RFC 6890 special-purpose IPv4 blocks that are not globally reachable, and multicast. */
function privateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** IPv6 literals: loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10), IPv4-mapped private. */
function privateIpv6(host: string): boolean {
  const h = host.slice(1, -1).toLowerCase();
  if (h === "::1" || h === "::") return true;
  if (/^f[cd]/.test(h) || /^fe[89ab]/.test(h)) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
  if (mapped !== undefined) {
    const v4 = ipv4(mapped);
    return v4 === null || privateIpv4(v4);
  }
  // WHATWG URL writes a mapped IPv4 address in hex (::ffff:a00:1): refuse every mapped form.
  return h.startsWith("::ffff:");
}

/**
 * Null when `raw` may be an endpoint, else why not.
 *
 * @example
 * endpointUrlRefusal("http://10.0.0.1/hook", { production: true }); // "scheme"
 * endpointUrlRefusal("https://10.0.0.1/hook", { production: true }); // "private_address"
 * endpointUrlRefusal("http://127.0.0.1:9000/hook", { production: false }); // null
 */
export function endpointUrlRefusal(raw: string, options: { production: boolean }): UrlRefusal | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not_a_url";
  }
  if (url.username !== "" || url.password !== "") return "credentials";
  const host = url.hostname.toLowerCase();
  const local = LOCAL_HOSTS.has(host);
  if (!options.production && local && (url.protocol === "http:" || url.protocol === "https:")) return null;
  if (url.protocol !== "https:") return "scheme";
  if (local || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal"))
    return "private_address";
  if (!host.includes(".") && !host.startsWith("[")) return "private_address";
  const v4 = ipv4(host);
  if (v4 !== null && privateIpv4(v4)) return "private_address";
  if (host.startsWith("[") && privateIpv6(host)) return "private_address";
  // Workers' fetch reaches only the standard ports on custom hosts; anything else would fail every delivery.
  if (url.port !== "" && url.port !== "443") return "port";
  return null;
}

/** The sentence a refusal is explained with, in a 400 problem. */
export const URL_REFUSALS: Record<UrlRefusal, string> = {
  not_a_url: "Not an absolute URL.",
  scheme: "Only https URLs are accepted (http only for localhost and 127.0.0.1 outside production).",
  credentials: "A URL with a user name or password is not accepted.",
  private_address: "The URL names a private, loopback or link-local address.",
  port: "Only the default https port (443) is accepted.",
};
