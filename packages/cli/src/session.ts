/**
 * What the data commands (`upload`, `jobs`, `observations`, `export`, `connections`, `consents`) share:
 * a {@link DfdaClient} of `@dfda/sdk` signed in with the tokens `dfda login` saved, and the one-line
 * messages its failures become.
 *
 * The SDK refreshes an expired access token before a request (and once more after a 401), one refresh
 * at a time: refresh tokens rotate, and a second use of a spent one is taken for theft and revokes the
 * whole family (RFC 9700 §4.14.2). {@link CredentialsTokenStore} writes each rotated pair back to the
 * credentials file at once, atomically and 0600 (credentials.ts), so the next command starts from the
 * live refresh token.
 */
import {
  DfdaAuthError,
  DfdaClient,
  DfdaError,
  DfdaNetworkError,
  DfdaProblem,
  type TokenStore,
  type Tokens,
} from "@dfda/sdk";
import { CommandError, type Env, UsageError } from "./cli-support";
import { type Credentials, credentialsPath, deleteCredentials, loadCredentials, saveCredentials } from "./credentials";
import { parseBaseUrl } from "./validate";

/** The saved credentials as the SDK's token store: reads the file, writes rotated tokens back to it. */
export class CredentialsTokenStore implements TokenStore {
  constructor(
    private readonly env: Env,
    private credentials: Credentials,
  ) {}

  load(): Tokens {
    const c = this.credentials;
    return {
      access_token: c.access_token,
      token_type: c.token_type || "Bearer",
      expires_at: c.expires_at,
      ...(c.scope ? { scope: c.scope } : {}),
      ...(c.refresh_token === undefined ? {} : { refresh_token: c.refresh_token }),
      ...(c.id_token === undefined ? {} : { id_token: c.id_token }),
    };
  }

  async save(tokens: Tokens | null): Promise<void> {
    if (tokens === null) {
      await deleteCredentials(this.env);
      return;
    }
    const { base_url, client_id } = this.credentials;
    const next: Credentials = {
      base_url,
      client_id,
      access_token: tokens.access_token,
      token_type: tokens.token_type || "Bearer",
      // A token response without expires_in (RFC 6749 §5.1 makes it optional) is taken as valid until refused.
      expires_at: tokens.expires_at ?? Number.MAX_SAFE_INTEGER,
      scope: tokens.scope ?? this.credentials.scope,
      ...(tokens.refresh_token === undefined ? {} : { refresh_token: tokens.refresh_token }),
      ...((tokens.id_token ?? this.credentials.id_token) === undefined
        ? {}
        : { id_token: tokens.id_token ?? this.credentials.id_token }),
    };
    await saveCredentials(this.env, next);
    this.credentials = next;
  }
}

/**
 * A client signed in as the person `dfda login` saved. `--base-url` (or DFDA_BASE_URL), when given,
 * must name the server the credentials are for: tokens are never sent to another server.
 */
export async function openSession(command: string, baseUrlOption: string | undefined, env: Env): Promise<DfdaClient> {
  const wanted = baseUrlOption ?? env.DFDA_BASE_URL;
  let url: string | null = null;
  if (wanted !== undefined && wanted.trim() !== "") {
    const parsed = parseBaseUrl(wanted.trim());
    if ("problem" in parsed) throw new UsageError(parsed.problem, command);
    url = parsed.url;
  }
  const stored = await loadCredentials(env);
  if (!stored) throw new CommandError("not signed in: run dfda login first");
  if (url !== null && url !== stored.base_url)
    throw new CommandError(`signed in to ${stored.base_url}, not ${url}: run dfda login --base-url ${url}`);
  return new DfdaClient({
    baseUrl: stored.base_url,
    clientId: stored.client_id,
    store: new CredentialsTokenStore(env, stored),
    // Bound so the SDK calls the global fetch unchanged (a test or an embedder may replace it).
    fetch: (input, init) => fetch(input, init),
  });
}

/**
 * One line for a failure of the SDK, without a stack trace: a problem (RFC 9457) with its status, code,
 * detail, each field error and the request id to quote; a refused refresh says to sign in again.
 */
export function sdkErrorMessage(error: DfdaError, env: Env): string {
  if (error instanceof DfdaProblem) {
    const fields = error.fieldErrors
      .map((f) => {
        const where = [f.location, f.pointer ?? (Array.isArray(f.path) ? f.path.join(".") : undefined)]
          .filter((part) => part !== undefined && part !== "")
          .join(" ");
        return where ? `${where}: ${f.message ?? "invalid"}` : (f.message ?? "invalid");
      })
      .join("; ");
    let line = `${error.status} ${error.code}: ${error.detail ?? error.title ?? "the request failed"}`;
    if (fields) line += ` [${fields}]`;
    if (error.requestId) line += ` (request ${error.requestId})`;
    if (error.status === 401) line += `; run dfda login`;
    return line;
  }
  if (error instanceof DfdaAuthError) {
    // The token endpoint refused the refresh (RFC 6749 §5.2: invalid_grant for a spent, revoked or expired one).
    return `the saved sign-in could not be renewed (${error.message}); run dfda login (credentials: ${credentialsPath(env)})`;
  }
  if (error instanceof DfdaNetworkError) return `cannot reach the server: ${error.message}`;
  // The SDK's own words for a session it cannot renew ("… sign in again") get the command that does it.
  return error.message.includes("sign in") ? `${error.message} (run dfda login)` : error.message;
}

export { DfdaError };
