/**
 * Signing in with the platform's OAuth 2.0 authorization server (docs/identity.md), with nothing but
 * `fetch` and WebCrypto, so it runs in browsers, React Native, Node 20+ and Workers:
 *
 * - {@link startAuthorization} / {@link finishAuthorization}: the authorization code grant with PKCE
 *   (RFC 7636, S256) for any redirect: a web app's own page, a native app's loopback
 *   `http://127.0.0.1:<port>/callback` (RFC 8252 §7.3; `@dfda/sdk/node` runs the listener) or its
 *   private-use scheme `com.example.app:/callback` (RFC 8252 §7.1). The state (RFC 6749 §10.12) and
 *   the issuer (RFC 9207) of the answer are checked before the code is redeemed.
 * - {@link clientCredentials}: a service's own token (RFC 6749 §4.4).
 * - {@link refreshTokens}: refresh with rotation (RFC 9700 §4.14.2: each refresh returns a new refresh
 *   token and the old one is spent; the client serializes refreshes, see client.ts).
 * - {@link revokeToken}: RFC 7009; revoking a refresh token ends its whole family.
 * - {@link TokenStore} with {@link MemoryTokenStore} and {@link WebStorageTokenStore} (localStorage);
 *   `@dfda/sdk/node` adds a file store readable only by its owner.
 */
import { DfdaAuthError, DfdaError, DfdaNetworkError } from "./errors";

export interface Tokens {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  scope?: string;
  id_token?: string;
  /** Milliseconds since the epoch after which the access token is no longer accepted. */
  expires_at?: number;
}

/** Where tokens live between calls; may be synchronous (localStorage) or not (React Native's AsyncStorage). */
export interface TokenStore {
  load(): Tokens | null | Promise<Tokens | null>;
  /** `null` forgets the tokens (sign-out). */
  save(tokens: Tokens | null): void | Promise<void>;
}

export class MemoryTokenStore implements TokenStore {
  constructor(private tokens: Tokens | null = null) {}
  load(): Tokens | null {
    return this.tokens;
  }
  save(tokens: Tokens | null): void {
    this.tokens = tokens;
  }
}

/** The subset of the Web Storage API the store needs (`localStorage`, `sessionStorage`, or a look-alike). */
export interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Tokens in Web Storage. Anything script on the origin can read them there, so a web app should prefer
 * `sessionStorage` or memory unless it must survive a reload, and keep a strict Content-Security-Policy.
 */
export class WebStorageTokenStore implements TokenStore {
  private readonly storage: WebStorage;
  constructor(
    storage?: WebStorage,
    private readonly key = "dfda.tokens",
  ) {
    const fallback = (globalThis as { localStorage?: WebStorage }).localStorage;
    if (!storage && !fallback) throw new DfdaError("no Web Storage here: pass one, or use another TokenStore");
    this.storage = storage ?? (fallback as WebStorage);
  }
  load(): Tokens | null {
    const text = this.storage.getItem(this.key);
    if (text === null) return null;
    try {
      const parsed = JSON.parse(text) as Tokens;
      return typeof parsed.access_token === "string" ? parsed : null;
    } catch {
      return null;
    }
  }
  save(tokens: Tokens | null): void {
    if (tokens === null) this.storage.removeItem(this.key);
    else this.storage.setItem(this.key, JSON.stringify(tokens));
  }
}

/** Whether the access token has expired, or will within `leewayMs`. */
export function isExpired(tokens: Tokens, leewayMs = 30_000, now: number = Date.now()): boolean {
  return tokens.expires_at !== undefined && now >= tokens.expires_at - leewayMs;
}

/** RFC 8414 authorization server metadata: the members the SDK uses. */
export interface ServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  device_authorization_endpoint?: string;
}

const discovered = new Map<string, Promise<ServerMetadata>>();

/**
 * `text` without the run of `char` at its end, in one backwards pass: an end-anchored repeated-character
 * regular expression retries from every start of a long run, quadratic on hostile input
 * (test/node/regex-safety.test.ts).
 */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** The server's metadata (RFC 8414 §3), fetched once per base URL and fetch function. */
export function discover(baseUrl: string, fetcher: typeof fetch = globalThis.fetch): Promise<ServerMetadata> {
  const url = `${trimTrailing(baseUrl, "/")}/.well-known/oauth-authorization-server`;
  const cached = discovered.get(url);
  if (cached) return cached;
  const pending = (async () => {
    const response = await send(fetcher, new Request(url, { headers: { Accept: "application/json" } }));
    if (response.status !== 200)
      throw new DfdaError(`${url} answered ${response.status}; is ${baseUrl} a dFDA platform?`);
    const body = (await response.json()) as Partial<ServerMetadata>;
    if (
      typeof body.issuer !== "string" ||
      typeof body.authorization_endpoint !== "string" ||
      typeof body.token_endpoint !== "string"
    )
      throw new DfdaError(`${url} is not authorization server metadata`);
    return body as ServerMetadata;
  })();
  discovered.set(url, pending);
  pending.catch(() => discovered.delete(url));
  return pending;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return trimTrailing(btoa(binary).replace(/\+/g, "-").replace(/\//g, "_"), "=");
}

/** Random base64url text from `bytes` random bytes (WebCrypto). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A code verifier (43 characters from 32 random bytes) and its S256 challenge (RFC 7636 §4.1, §4.2). */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** What must survive until the redirect comes back (keep it in sessionStorage across a page load). */
export interface PendingAuthorization {
  /** Open this in the browser (or the system browser, for a native app: RFC 8252 §6). */
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  clientId: string;
  issuer: string;
  tokenEndpoint: string;
}

export interface AuthorizationOptions {
  baseUrl: string;
  clientId: string;
  /** Exactly as registered; for a loopback redirect any port is accepted (RFC 8252 §7.3). */
  redirectUri: string;
  /** Space-separated; include `offline_access` for a refresh token. */
  scope?: string;
  /** Extra authorization request parameters (`prompt`, `login_hint`, `nonce`, …). */
  extra?: Record<string, string>;
  fetch?: typeof fetch;
}

/** Builds the authorization request (RFC 6749 §4.1.1 with RFC 7636 §4.3). */
export async function startAuthorization(options: AuthorizationOptions): Promise<PendingAuthorization> {
  const metadata = await discover(options.baseUrl, options.fetch);
  const { verifier, challenge } = await pkcePair();
  const state = randomToken(16);
  const url = new URL(metadata.authorization_endpoint);
  const query: Record<string, string> = {
    ...options.extra,
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  if (options.scope) query.scope = options.scope;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return {
    url: url.toString(),
    state,
    codeVerifier: verifier,
    redirectUri: options.redirectUri,
    clientId: options.clientId,
    issuer: metadata.issuer,
    tokenEndpoint: metadata.token_endpoint,
  };
}

/**
 * Redeems the redirect the browser came back with (the full URL, or its query string) for tokens,
 * after checking it answers this very request: `state` (RFC 6749 §10.12, CSRF) and `iss` (RFC 9207,
 * mix-up). An `error` in the redirect becomes {@link DfdaAuthError}.
 */
export async function finishAuthorization(
  pending: PendingAuthorization,
  redirect: string | URL | URLSearchParams,
  fetcher: typeof fetch = globalThis.fetch,
): Promise<Tokens> {
  const params =
    redirect instanceof URLSearchParams
      ? redirect
      : redirect instanceof URL
        ? redirect.searchParams
        : redirect.includes("?") || /^[a-z][a-z0-9+.-]*:/i.test(redirect)
          ? new URL(redirect, "http://x").searchParams
          : new URLSearchParams(redirect);
  if (params.get("state") !== pending.state)
    throw new DfdaAuthError("invalid_state", "the redirect's state does not match this sign-in");
  const iss = params.get("iss");
  if (iss !== null && iss !== pending.issuer)
    throw new DfdaAuthError("invalid_issuer", `the redirect names issuer ${iss}`);
  const error = params.get("error");
  if (error !== null) throw new DfdaAuthError(error, params.get("error_description") ?? undefined);
  const code = params.get("code");
  if (code === null) throw new DfdaAuthError("invalid_request", "the redirect carries no code");
  return tokenRequest(
    pending.tokenEndpoint,
    {
      grant_type: "authorization_code",
      code,
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.codeVerifier,
    },
    undefined,
    fetcher,
  );
}

export interface ClientAuth {
  clientId: string;
  /** A confidential client's secret (client_secret_basic); absent for a public client. */
  clientSecret?: string;
}

/** client_secret_basic (RFC 6749 §2.3.1): both parts form-urlencoded before base64. */
function basic(auth: ClientAuth & { clientSecret: string }): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${btoa(`${enc(auth.clientId)}:${enc(auth.clientSecret)}`)}`;
}

function formRequest(url: string, form: Record<string, string>, auth: ClientAuth | undefined): Request {
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  const body = new URLSearchParams(form);
  if (auth?.clientSecret !== undefined) headers.Authorization = basic({ ...auth, clientSecret: auth.clientSecret });
  else if (auth) body.set("client_id", auth.clientId);
  return new Request(url, { method: "POST", headers, body });
}

async function send(fetcher: typeof fetch, request: Request): Promise<Response> {
  try {
    return await fetcher(request);
  } catch (error) {
    throw new DfdaNetworkError(
      `${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** A token endpoint request (RFC 6749 §3.2); an error answer (§5.2) becomes {@link DfdaAuthError}. */
export async function tokenRequest(
  tokenEndpoint: string,
  form: Record<string, string>,
  auth?: ClientAuth,
  fetcher: typeof fetch = globalThis.fetch,
  now: number = Date.now(),
): Promise<Tokens> {
  const response = await send(fetcher, formRequest(tokenEndpoint, form, auth));
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: reported below by status.
  }
  if (response.status !== 200 || body === null || typeof body.access_token !== "string") {
    const error = typeof body?.error === "string" ? body.error : `http_${response.status}`;
    const description = typeof body?.error_description === "string" ? body.error_description : undefined;
    throw new DfdaAuthError(error, description, response.status);
  }
  const tokens: Tokens = {
    access_token: body.access_token,
    token_type: typeof body.token_type === "string" ? body.token_type : "Bearer",
  };
  if (typeof body.refresh_token === "string") tokens.refresh_token = body.refresh_token;
  if (typeof body.scope === "string") tokens.scope = body.scope;
  if (typeof body.id_token === "string") tokens.id_token = body.id_token;
  if (typeof body.expires_in === "number") tokens.expires_at = now + body.expires_in * 1000;
  return tokens;
}

/** A confidential client's own token (RFC 6749 §4.4), authenticated with client_secret_basic. */
export async function clientCredentials(
  options: { baseUrl: string; clientId: string; clientSecret: string; scope?: string },
  fetcher: typeof fetch = globalThis.fetch,
): Promise<Tokens> {
  const metadata = await discover(options.baseUrl, fetcher);
  const form: Record<string, string> = { grant_type: "client_credentials" };
  if (options.scope) form.scope = options.scope;
  return tokenRequest(metadata.token_endpoint, form, options, fetcher);
}

/** One refresh (RFC 6749 §6). The answer carries a new refresh token; the one sent is spent. */
export async function refreshTokens(
  options: { baseUrl: string; refreshToken: string; scope?: string } & ClientAuth,
  fetcher: typeof fetch = globalThis.fetch,
): Promise<Tokens> {
  const metadata = await discover(options.baseUrl, fetcher);
  const form: Record<string, string> = { grant_type: "refresh_token", refresh_token: options.refreshToken };
  if (options.scope) form.scope = options.scope;
  return tokenRequest(metadata.token_endpoint, form, options, fetcher);
}

/** Token revocation (RFC 7009 §2.1); a server without the endpoint has nothing to revoke. */
export async function revokeToken(
  options: { baseUrl: string; token: string; tokenTypeHint?: "access_token" | "refresh_token" } & ClientAuth,
  fetcher: typeof fetch = globalThis.fetch,
): Promise<void> {
  const metadata = await discover(options.baseUrl, fetcher);
  if (!metadata.revocation_endpoint) return;
  const form: Record<string, string> = { token: options.token };
  if (options.tokenTypeHint) form.token_type_hint = options.tokenTypeHint;
  const response = await send(fetcher, formRequest(metadata.revocation_endpoint, form, options));
  // RFC 7009 §2.2: 200 whether or not the token was valid; anything else is an error response.
  if (response.status !== 200) {
    const body = (await response.json().catch(() => null)) as { error?: unknown; error_description?: unknown } | null;
    throw new DfdaAuthError(
      typeof body?.error === "string" ? body.error : `http_${response.status}`,
      typeof body?.error_description === "string" ? body.error_description : undefined,
      response.status,
    );
  }
  await response.body?.cancel();
}
