/**
 * Developer commands against a running server:
 *
 * - `dfda login`: the authorization-code flow with PKCE in the system browser and a loopback redirect
 *   (RFC 8252 §7.3, RFC 7636 S256), or on a machine without a browser the device authorization grant
 *   (RFC 8628). The tokens are printed and kept in the credentials file (credentials.ts, mode 0600).
 * - `dfda logout`: revokes them (RFC 7009) and deletes the file.
 * - `dfda token`: the client credentials grant (RFC 6749 §4.4) with HTTP Basic authentication (§2.3.1).
 */
import { spawn } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { randomToken, s256Challenge } from "@dfda/auth";
import { base64UrlDecode } from "@dfda/core";
import {
  CommandError,
  type Env,
  type Fetch,
  type Io,
  parseCommandArgs,
  printJson,
  required,
  UsageError,
} from "./cli-support";
import { credentialsFrom, deleteCredentials, loadCredentials, saveCredentials } from "./credentials";
import { messagesWithClass, pageSummary } from "./html-forms";
import { parseBaseUrl } from "./validate";

export const DEFAULT_SCOPE =
  "openid profile email offline_access observations:read observations:write files:read files:write consents:read consents:manage profile:write";
/** The public, first-party client `npm start` registers (scripts/start.ts). */
export const DEFAULT_CLIENT_ID = "dfda-cli";

export const LOGIN_HELP = `Usage: dfda login [--base-url URL] [--client-id ID] [--scope SCOPE] [--device | --browser]

Signs you in. With a browser: opens the system browser at the server's sign-in page (OAuth 2.0
authorization code with PKCE, RFC 7636) and receives the answer on a loopback address
(http://127.0.0.1:<free port>/callback, RFC 8252 §7.3). Without one (--device, or automatically on a
machine without a graphical session): prints a short code and an address to open on any other device
(RFC 8628), and waits for you to approve there.

The tokens are printed as JSON (access_token, refresh_token, id_token, expires_in, scope) and saved in
$XDG_CONFIG_HOME/dfda/credentials.json (default ~/.config/dfda; mode 0600), where the data commands
find them and refresh them. dfda logout revokes and deletes them.

Options:
  --base-url URL    The server, e.g. http://127.0.0.1:8787; default: the DFDA_BASE_URL environment variable.
  --client-id ID    A public client registered for a loopback redirect URI (http://127.0.0.1/callback,
                    any port) and, for --device, the device grant; default: DFDA_CLIENT_ID, else
                    ${DEFAULT_CLIENT_ID} (the client npm start registers).
  --scope SCOPE     Space-separated scopes. Default:
                    "${DEFAULT_SCOPE}".
  --device          Use the device grant even where a browser could open.
  --browser         Open a browser even where none seems available ($BROWSER chooses which).
  -h, --help        Show this help.

Scripts and tests that need a person's token without a person: dfda token issue (an operator command).
`;

export const LOGOUT_HELP = `Usage: dfda logout

Revokes the saved tokens at the server (RFC 7009; the refresh token's whole family) and deletes the
credentials file. The file is deleted even when the server cannot be reached (the tokens then stay
valid until they expire, and a warning says so).
`;

export const TOKEN_HELP = `Usage: dfda token --base-url URL --client-id ID --client-secret SECRET [--scope SCOPE] [--save FILE]

Gets an access token for a confidential client acting for itself (client credentials grant, RFC 6749
§4.4), authenticating with HTTP Basic (§2.3.1). Prints the token response as JSON.

Options:
  --base-url URL          The server, e.g. http://127.0.0.1:8787.
  --client-id ID          Default: the DFDA_CLIENT_ID environment variable.
  --client-secret SECRET  Default: the DFDA_CLIENT_SECRET environment variable (keeps it out of ps).
  --scope SCOPE           Space-separated scopes; default: what the server grants the client.
  --save FILE             Write the token response to FILE (mode 0600) instead of printing it.
  -h, --help              Show this help.
`;

interface Metadata {
  issuer: string | null;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  deviceAuthorizationEndpoint: string | null;
  revocationEndpoint: string | null;
}

/** Reads a response body as JSON, or null. */
async function jsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** What a failed HTTP response says: an OAuth error, a problem+json detail, or a page's heading and text. */
async function describeFailure(response: Response): Promise<string> {
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text();
  if (type.includes("json")) {
    try {
      const body = asRecord(JSON.parse(text));
      if (body) {
        if (typeof body.error === "string") {
          return typeof body.error_description === "string" ? `${body.error}: ${body.error_description}` : body.error;
        }
        const detail = [body.title, body.detail].filter((v): v is string => typeof v === "string");
        if (detail.length > 0) return detail.join(": ");
      }
    } catch {
      // fall through to the raw text
    }
  }
  if (type.includes("html")) {
    const errors = messagesWithClass(text);
    return errors.length > 0 ? errors.join(" ") : pageSummary(text);
  }
  return text.trim().slice(0, 300) || response.statusText;
}

async function request(fetchImpl: Fetch, url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason =
      typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : String(error);
    throw new CommandError(`cannot reach ${what} at ${url}: ${reason}`);
  }
}

/** Authorization server metadata (RFC 8414 §3). */
export async function discover(fetchImpl: Fetch, baseUrl: string): Promise<Metadata> {
  const url = `${baseUrl}/.well-known/oauth-authorization-server`;
  const response = await request(fetchImpl, url, { headers: { Accept: "application/json" } }, "the server");
  if (!response.ok)
    throw new CommandError(
      `discovery failed: GET ${url} answered ${response.status}: ${await describeFailure(response)}`,
    );
  const body = asRecord(await jsonBody(response));
  const endpoint = (name: string): string => {
    const value = body?.[name];
    if (typeof value !== "string") throw new CommandError(`discovery failed: ${url} has no ${name}`);
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("not http");
    } catch {
      throw new CommandError(`discovery failed: ${name} ${value} is not an http(s) URL`);
    }
    return value;
  };
  return {
    issuer: typeof body?.issuer === "string" ? body.issuer : null,
    authorizationEndpoint: endpoint("authorization_endpoint"),
    tokenEndpoint: endpoint("token_endpoint"),
    deviceAuthorizationEndpoint:
      typeof body?.device_authorization_endpoint === "string" ? endpoint("device_authorization_endpoint") : null,
    revocationEndpoint: typeof body?.revocation_endpoint === "string" ? endpoint("revocation_endpoint") : null,
  };
}

/** The payload of a JWT, unverified (only to compare the nonce; the server's signature is not checked here). */
function jwtPayload(token: string): Record<string, unknown> | null {
  const part = token.split(".")[1];
  if (part === undefined) return null;
  try {
    return asRecord(JSON.parse(new TextDecoder().decode(base64UrlDecode(part))));
  } catch {
    return null;
  }
}

async function tokenRequest(
  fetchImpl: Fetch,
  tokenEndpoint: string,
  body: URLSearchParams,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const response = await request(
    fetchImpl,
    tokenEndpoint,
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...headers },
      body: body.toString(),
      redirect: "manual",
    },
    "the token endpoint",
  );
  if (!response.ok)
    throw new CommandError(`the token request failed (${response.status}): ${await describeFailure(response)}`);
  const tokens = asRecord(await jsonBody(response));
  if (!tokens || typeof tokens.access_token !== "string")
    throw new CommandError("the token endpoint answered without an access_token");
  return tokens;
}

async function output(io: Io, tokens: Record<string, unknown>, save: string | undefined): Promise<void> {
  if (save === undefined) {
    printJson(io.stdout, tokens);
    return;
  }
  const path = resolve(save);
  try {
    await writeFile(path, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    // An existing file keeps its mode on write: tighten it as well.
    await chmod(path, 0o600);
  } catch (error) {
    throw new CommandError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const scope = typeof tokens.scope === "string" ? ` (scope: ${tokens.scope})` : "";
  io.stderr.write(`Saved the tokens to ${path}${scope}.\n`);
}

function baseUrlOrUsage(command: string, value: string | undefined): string {
  const parsed = parseBaseUrl(required(command, "base-url", value));
  if ("problem" in parsed) throw new UsageError(parsed.problem, command);
  return parsed.url;
}

/** How long `dfda login` waits for the person (the browser's callback, or the device approval). */
const LOGIN_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Whether this machine has no browser to open: Linux (or another Unix) without a graphical session
 * (neither X11's DISPLAY nor WAYLAND_DISPLAY) and no BROWSER chosen. Then `dfda login` uses the device
 * grant (RFC 8628): the person approves on another device.
 */
export function isHeadless(env: Env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.BROWSER?.trim()) return false;
  if (platform === "darwin" || platform === "win32") return false;
  return !env.DISPLAY?.trim() && !env.WAYLAND_DISPLAY?.trim();
}

/** Opens `url` in the system browser (RFC 8252 §4: the external user-agent), or `$BROWSER` when set. */
function openBrowser(url: string, env: Env): void {
  const chosen = env.BROWSER?.trim();
  const [cmd, ...args] = chosen
    ? [...chosen.split(/\s+/), url]
    : process.platform === "darwin"
      ? ["open", url]
      : process.platform === "win32"
        ? ["rundll32", "url.dll,FileProtocolHandler", url]
        : ["xdg-open", url];
  if (cmd === undefined) return;
  try {
    const child = spawn(cmd, args, { stdio: "ignore", detached: true });
    // A browser that cannot be started is not fatal: the URL is printed too.
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // as above
  }
}

const CALLBACK_PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui;margin:48px"><h1>${title}</h1><p>${text}</p></body></html>`;

/**
 * RFC 8252 §7.3: a loopback redirect on 127.0.0.1 and a port the system chooses (the server accepts any
 * port for a registered loopback URI, §7.3 and RFC 9700 §2.1). Resolves with the callback's URL.
 */
async function loopbackCallback(): Promise<{ redirectUri: string; callback: Promise<URL>; close: () => void }> {
  let deliver: (url: URL) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const callback = new Promise<URL>((resolvePromise, reject) => {
    deliver = resolvePromise;
    fail = reject;
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/callback") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
      return;
    }
    const ok = url.searchParams.has("code");
    res
      .writeHead(ok ? 200 : 400, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" })
      .end(
        ok
          ? CALLBACK_PAGE("Signed in", "dfda is signed in. You can close this window.")
          : CALLBACK_PAGE("Not signed in", "The sign-in did not finish; see the terminal."),
      );
    deliver(url);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const timer = setTimeout(
    () => fail(new CommandError("no answer from the browser within 10 minutes")),
    LOGIN_TIMEOUT_MS,
  );
  timer.unref();
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    callback,
    close: () => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    },
  };
}

/** The authorization-code flow with PKCE in the system browser (RFC 8252 §7.3, RFC 7636 S256). */
async function browserLogin(
  fetchImpl: Fetch,
  metadata: Metadata,
  clientId: string,
  scope: string,
  env: Env,
  io: Io,
): Promise<Record<string, unknown>> {
  const verifier = randomToken(32);
  const state = randomToken(16);
  const nonce = randomToken(16);
  const loopback = await loopbackCallback();
  try {
    const authorizationUrl = new URL(metadata.authorizationEndpoint);
    const query = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: loopback.redirectUri,
      scope,
      state,
      nonce,
      code_challenge: await s256Challenge(verifier),
      code_challenge_method: "S256",
    });
    // A query the endpoint already has must be kept (RFC 6749 §3.1).
    for (const [key, value] of query) authorizationUrl.searchParams.set(key, value);
    io.stderr.write(`Opening your browser to sign in. If it does not open, visit:\n${authorizationUrl.toString()}\n`);
    openBrowser(authorizationUrl.toString(), env);
    const code = callbackCode(await loopback.callback, state, metadata.issuer);
    const tokens = await tokenRequest(
      fetchImpl,
      metadata.tokenEndpoint,
      new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: loopback.redirectUri,
        code_verifier: verifier,
        client_id: clientId,
      }),
    );
    if (typeof tokens.id_token === "string") {
      const claims = jwtPayload(tokens.id_token);
      if (claims?.nonce !== undefined && claims.nonce !== nonce)
        throw new CommandError("the ID token's nonce does not match the request");
    }
    return tokens;
  } finally {
    loopback.close();
  }
}

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/**
 * The device authorization grant (RFC 8628): shows the code and where to enter it, then polls the
 * token endpoint at the server's interval, 5 seconds slower after each `slow_down` (§3.5).
 */
async function deviceLogin(
  fetchImpl: Fetch,
  metadata: Metadata,
  clientId: string,
  scope: string,
  io: Io,
  sleep: (ms: number) => Promise<void>,
): Promise<Record<string, unknown>> {
  if (!metadata.deviceAuthorizationEndpoint) {
    throw new CommandError("this server offers no device authorization endpoint (RFC 8628); sign in with a browser");
  }
  const response = await request(
    fetchImpl,
    metadata.deviceAuthorizationEndpoint,
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ client_id: clientId, scope }).toString(),
    },
    "the device authorization endpoint",
  );
  if (!response.ok) {
    throw new CommandError(
      `the device authorization request failed (${response.status}): ${await describeFailure(response)}`,
    );
  }
  const device = asRecord(await jsonBody(response));
  const deviceCode = device?.device_code;
  const userCode = device?.user_code;
  const verificationUri = device?.verification_uri;
  if (typeof deviceCode !== "string" || typeof userCode !== "string" || typeof verificationUri !== "string") {
    throw new CommandError(
      "the device authorization endpoint answered without device_code, user_code or verification_uri",
    );
  }
  const complete = typeof device?.verification_uri_complete === "string" ? device.verification_uri_complete : null;
  const expiresIn = typeof device?.expires_in === "number" ? device.expires_in : 600;
  let interval = typeof device?.interval === "number" && device.interval > 0 ? device.interval : 5;
  io.stderr.write(
    `To sign in, open ${verificationUri} on any device and enter the code ${userCode}\n` +
      (complete ? `(or open ${complete})\n` : "") +
      "Waiting for approval...\n",
  );
  const deadline = Date.now() + Math.min(expiresIn * 1000, LOGIN_TIMEOUT_MS);
  while (Date.now() < deadline) {
    await sleep(interval * 1000);
    const poll = await request(
      fetchImpl,
      metadata.tokenEndpoint,
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({
          grant_type: DEVICE_GRANT,
          device_code: deviceCode,
          client_id: clientId,
        }).toString(),
      },
      "the token endpoint",
    );
    const body = asRecord(await jsonBody(poll));
    if (poll.ok && typeof body?.access_token === "string") return body;
    const error = typeof body?.error === "string" ? body.error : `http_${poll.status}`;
    if (error === "authorization_pending") continue;
    if (error === "slow_down") {
      interval += 5; // RFC 8628 §3.5
      continue;
    }
    if (error === "access_denied") throw new CommandError("the sign-in was denied on the other device");
    if (error === "expired_token")
      throw new CommandError("the code expired before it was approved; run dfda login again");
    const description = typeof body?.error_description === "string" ? `: ${body.error_description}` : "";
    throw new CommandError(`the token request failed (${poll.status}): ${error}${description}`);
  }
  throw new CommandError("the code expired before it was approved; run dfda login again");
}

export async function login(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "login";
  const values = parseCommandArgs(command, args, {
    "base-url": { type: "string" },
    scope: { type: "string" },
    "client-id": { type: "string" },
    device: { type: "boolean" },
    browser: { type: "boolean" },
  });
  const baseUrl = baseUrlOrUsage(command, values["base-url"] ?? env.DFDA_BASE_URL);
  const clientId = values["client-id"]?.trim() || env.DFDA_CLIENT_ID?.trim() || DEFAULT_CLIENT_ID;
  const scope = (values.scope ?? DEFAULT_SCOPE).trim().split(/\s+/).join(" ");
  if (scope === "") throw new UsageError("--scope must not be empty.", command);
  if (values.device && values.browser) throw new UsageError("choose --device or --browser, not both.", command);
  const useDevice = values.device === true || (values.browser !== true && isHeadless(env));

  const fetchImpl: Fetch = io.fetch ?? ((input, init) => fetch(input, init));
  const metadata = await discover(fetchImpl, baseUrl);
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const tokens = useDevice
    ? await deviceLogin(fetchImpl, metadata, clientId, scope, io, sleep)
    : await browserLogin(fetchImpl, metadata, clientId, scope, env, io);
  const path = await saveCredentials(env, credentialsFrom(baseUrl, clientId, tokens));
  io.stderr.write(`Signed in. The tokens are saved in ${path} (readable only by you).\n`);
  printJson(io.stdout, tokens);
}

/**
 * `dfda logout`: revokes the stored refresh token (its whole family) and access token at the
 * revocation endpoint (RFC 7009 §2.1), then deletes the credentials file.
 */
export async function logout(args: readonly string[], env: Env, io: Io): Promise<void> {
  parseCommandArgs("logout", args, {});
  const stored = await loadCredentials(env);
  if (!stored) {
    io.stderr.write("Not signed in.\n");
    return;
  }
  const fetchImpl: Fetch = io.fetch ?? ((input, init) => fetch(input, init));
  try {
    const metadata = await discover(fetchImpl, stored.base_url);
    if (metadata.revocationEndpoint) {
      for (const [token, hint] of [
        [stored.refresh_token, "refresh_token"],
        [stored.access_token, "access_token"],
      ] as const) {
        if (token === undefined) continue;
        await request(
          fetchImpl,
          metadata.revocationEndpoint,
          {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ token, token_type_hint: hint, client_id: stored.client_id }).toString(),
          },
          "the revocation endpoint",
        );
      }
    }
  } catch (error) {
    // The tokens are deleted here even when the server cannot be reached; say that they may live on.
    io.stderr.write(
      `warning: could not revoke the tokens (${error instanceof Error ? error.message : String(error)}); they stay valid until they expire.\n`,
    );
  }
  await deleteCredentials(env);
  io.stderr.write(`Signed out of ${stored.base_url}.\n`);
}

/** The code from the authorization response (RFC 6749 §4.1.2), after checking state and issuer (RFC 9207). */
export function callbackCode(location: URL, state: string, issuer: string | null): string {
  const params = location.searchParams;
  if (params.get("state") !== state)
    throw new CommandError("state mismatch: the authorization response is not for this request");
  const iss = params.get("iss");
  if (iss !== null && issuer !== null && iss !== issuer) {
    throw new CommandError(`issuer mismatch: the response came from ${iss}, discovery says ${issuer} (RFC 9207)`);
  }
  const error = params.get("error");
  if (error !== null) {
    const description = params.get("error_description");
    throw new CommandError(`authorization failed: ${error}${description ? `: ${description}` : ""}`);
  }
  const code = params.get("code");
  if (!code) throw new CommandError("the authorization response has no code");
  return code;
}

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded, then joined with ":" and base64-encoded. */
export function basicAuthorization(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`, "utf8").toString("base64")}`;
}

export async function token(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "token";
  const values = parseCommandArgs(command, args, {
    "base-url": { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    scope: { type: "string" },
    save: { type: "string" },
  });
  const baseUrl = baseUrlOrUsage(command, values["base-url"]);
  const clientId = values["client-id"]?.trim() || env.DFDA_CLIENT_ID?.trim();
  if (!clientId) throw new UsageError("--client-id is required (or set DFDA_CLIENT_ID).", command);
  const secret = values["client-secret"] ?? env.DFDA_CLIENT_SECRET;
  if (!secret) throw new UsageError("--client-secret is required (or set DFDA_CLIENT_SECRET).", command);
  if (values.save !== undefined && values.save.trim() === "")
    throw new UsageError("--save needs a file name.", command);
  const scope = values.scope?.trim().split(/\s+/).join(" ");

  const fetchImpl: Fetch = io.fetch ?? ((input, init) => fetch(input, init));
  const metadata = await discover(fetchImpl, baseUrl);
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (scope) body.set("scope", scope);
  const tokens = await tokenRequest(fetchImpl, metadata.tokenEndpoint, body, {
    Authorization: basicAuthorization(clientId, secret),
  });
  await output(io, tokens, values.save);
}
