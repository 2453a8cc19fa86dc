/**
 * Developer commands against a running server:
 *
 * - `dfda login`: the OAuth 2.0 authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636 S256),
 *   headless. It fetches the authorization endpoint, fills in the server's HTML login, second-factor
 *   and consent forms as a browser would (cookies included), follows the redirects itself, and reads
 *   the code from the Location header that points at the redirect URI (the CLI never listens on it).
 * - `dfda token`: the client credentials grant (RFC 6749 §4.4) with HTTP Basic authentication (§2.3.1).
 */
import { chmod, writeFile } from "node:fs/promises";
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
import { CookieJar, isLoopbackHost } from "./cookies";
import { findForm, formBody, type HtmlForm, messagesWithClass, pageSummary, parseForms } from "./html-forms";
import { parseBaseUrl } from "./validate";

export const DEFAULT_SCOPE =
  "openid profile email offline_access observations:read observations:write files:read files:write consents:read consents:manage profile:write";
export const DEFAULT_REDIRECT_URI = "http://127.0.0.1:8976/callback";
/** Redirects followed in one login before giving up. */
const MAX_HOPS = 10;

export const LOGIN_HELP = `Usage: dfda login --base-url URL --email EMAIL --password PASSWORD [--client-id ID] [--scope SCOPE]
                  [--totp CODE] [--redirect-uri URI] [--save FILE]

Signs in with the OAuth 2.0 authorization-code flow and PKCE (S256), without a browser: it submits the
server's sign-in, two-step verification and consent pages itself, then exchanges the code for tokens.
Prints the token response (access_token, refresh_token, id_token, expires_in, scope) as JSON.

Options:
  --base-url URL        The server, e.g. http://127.0.0.1:8787 (discovery at
                        URL/.well-known/oauth-authorization-server).
  --email EMAIL         Account e-mail address.
  --password PASSWORD   Account password. Note: it is visible in your shell history and to ps.
  --client-id ID        A public client registered with the redirect URI below; required unless the
                        DFDA_CLIENT_ID environment variable is set. Erasing the account, changing the
                        second factor and bulk deletes need a first-party client (created with
                        --first-party; npm start's dfda-cli is one) and a sign-in of the last minutes:
                        each dfda login is a new sign-in.
  --scope SCOPE         Space-separated scopes. Default:
                        "${DEFAULT_SCOPE}".
  --totp CODE           The current code from the authenticator app (or a recovery code), for accounts
                        with two-step verification.
  --redirect-uri URI    Default ${DEFAULT_REDIRECT_URI} (loopback, RFC 8252 §7.3). Nothing listens
                        there: the code is read from the redirect itself. It must be registered for the
                        client exactly as given.
  --save FILE           Write the token response to FILE (mode 0600) instead of printing it.
  -h, --help            Show this help.

Example:
  dfda client create --tenant acme --name "dfda CLI" --public --first-party --redirect-uri ${DEFAULT_REDIRECT_URI}
  DFDA_CLIENT_ID=dfda_… dfda login --base-url http://127.0.0.1:8787 --email me@example.org --password '…'
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
  };
}

/** Whether `location` is the redirect URI (with its response parameters): same URI once query and fragment are set aside. */
export function isRedirectTarget(location: URL, redirectUri: string): boolean {
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return false;
  }
  const bare = (url: URL) => {
    const copy = new URL(url.href);
    copy.search = "";
    copy.hash = "";
    return copy.href;
  };
  if (bare(location) !== bare(target)) return false;
  // A registered query (RFC 6749 §3.1.2 allows one) must be kept in the response.
  for (const [key, value] of target.searchParams) if (!location.searchParams.getAll(key).includes(value)) return false;
  return true;
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

/** One step of the browser the login drives: a response and the URL it came from. */
interface Step {
  url: URL;
  response: Response;
}

export async function login(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "login";
  const values = parseCommandArgs(command, args, {
    "base-url": { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    scope: { type: "string" },
    totp: { type: "string" },
    "client-id": { type: "string" },
    "redirect-uri": { type: "string" },
    save: { type: "string" },
  });
  const baseUrl = baseUrlOrUsage(command, values["base-url"]);
  const email = required(command, "email", values.email);
  const password = values.password ?? "";
  if (password === "") throw new UsageError("--password is required.", command);
  const clientId = values["client-id"]?.trim() || env.DFDA_CLIENT_ID?.trim();
  if (!clientId) throw new UsageError("--client-id is required (or set DFDA_CLIENT_ID).", command);
  const scope = (values.scope ?? DEFAULT_SCOPE).trim().split(/\s+/).join(" ");
  if (scope === "") throw new UsageError("--scope must not be empty.", command);
  const redirectUri = values["redirect-uri"]?.trim() || DEFAULT_REDIRECT_URI;
  try {
    new URL(redirectUri);
  } catch {
    throw new UsageError(`--redirect-uri ${redirectUri} is not an absolute URI.`, command);
  }
  const totp = values.totp?.trim();
  if (values.totp !== undefined && !totp) throw new UsageError("--totp must not be empty.", command);
  if (values.save !== undefined && values.save.trim() === "")
    throw new UsageError("--save needs a file name.", command);

  const fetchImpl: Fetch = io.fetch ?? ((input, init) => fetch(input, init));
  const metadata = await discover(fetchImpl, baseUrl);
  const authorizationUrl = new URL(metadata.authorizationEndpoint);
  if (authorizationUrl.protocol === "http:" && !isLoopbackHost(authorizationUrl.hostname)) {
    io.stderr.write(`warning: ${authorizationUrl.origin} is plain http: the password travels unencrypted.\n`);
  }

  const verifier = randomToken(32);
  const state = randomToken(16);
  const nonce = randomToken(16);
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await s256Challenge(verifier),
    code_challenge_method: "S256",
  });
  // A query the endpoint already has must be kept (RFC 6749 §3.1).
  for (const [key, value] of query) authorizationUrl.searchParams.set(key, value);

  const jar = new CookieJar();
  const send = async (url: URL, init: { method?: string; body?: URLSearchParams } = {}): Promise<Step> => {
    const headers: Record<string, string> = { Accept: "text/html,application/xhtml+xml" };
    const cookie = jar.header(url);
    if (cookie !== null) headers.Cookie = cookie;
    if (init.body) headers["Content-Type"] = "application/x-www-form-urlencoded";
    const response = await request(
      fetchImpl,
      url.toString(),
      {
        method: init.method ?? "GET",
        headers,
        redirect: "manual",
        ...(init.body ? { body: init.body.toString() } : {}),
      },
      "the authorization server",
    );
    jar.store(url, response.headers);
    return { url, response };
  };

  /** Submits a form of the page at `page` (only to the page's own origin: the password never goes elsewhere). */
  const submit = async (page: URL, form: HtmlForm, body: URLSearchParams): Promise<Step> => {
    const target = new URL(form.action ?? page.toString(), page);
    if (target.origin !== page.origin) {
      throw new CommandError(`the ${form.action} form posts to another origin (${target.origin}); refusing to send it`);
    }
    return form.method === "post"
      ? send(target, { method: "POST", body })
      : send(new URL(`${target.origin}${target.pathname}?${body}`));
  };

  const submitted = new Set<string>();
  let step = await send(authorizationUrl);
  let hops = 0;
  let code: string | null = null;

  for (let pages = 0; code === null; pages++) {
    if (pages > 3 * MAX_HOPS) throw new CommandError("the sign-in did not finish (too many pages)");
    const { url, response } = step;
    const status = response.status;

    if ([301, 302, 303, 307, 308].includes(status)) {
      const location = response.headers.get("location");
      if (!location) throw new CommandError(`${url.pathname} answered ${status} without a Location header`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new CommandError(`${url.pathname} redirected to an invalid URL: ${location}`);
      }
      if (isRedirectTarget(next, redirectUri)) {
        code = callbackCode(next, state, metadata.issuer);
        break;
      }
      hops += 1;
      if (hops > MAX_HOPS) throw new CommandError(`more than ${MAX_HOPS} redirects; last to ${next.toString()}`);
      if (next.protocol !== "https:" && next.protocol !== "http:") {
        throw new CommandError(`redirected to ${next.toString()}, which is not the redirect URI ${redirectUri}`);
      }
      step = await send(next);
      continue;
    }

    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("html")) {
      throw new CommandError(`${url.pathname} answered ${status}: ${await describeFailure(response)}`);
    }
    const html = await response.text();
    const forms = parseForms(html);
    const errors = messagesWithClass(html);
    const problem = errors.length > 0 ? errors.join(" ") : pageSummary(html);

    const loginForm = findForm(forms, "/oauth/login");
    const mfaForm = findForm(forms, "/oauth/mfa");
    const enrolForm = findForm(forms, "/oauth/mfa/enrol");
    const consentForm = findForm(forms, "/oauth/consent");

    if (loginForm) {
      if (submitted.has("login")) {
        if (errors.length === 0 && status === 200) {
          throw new CommandError(
            "the server asked to sign in again after the sign-in was accepted (was the session cookie refused?)",
          );
        }
        throw new CommandError(`sign-in failed: ${problem}`);
      }
      if (status !== 200) throw new CommandError(`the sign-in page answered ${status}: ${problem}`);
      submitted.add("login");
      step = await submit(url, loginForm, formBody(loginForm, { email, password }));
    } else if (mfaForm) {
      if (submitted.has("mfa")) throw new CommandError(`two-step verification failed: ${problem}`);
      if (status !== 200) throw new CommandError(`the two-step verification page answered ${status}: ${problem}`);
      if (!totp)
        throw new CommandError("this account needs --totp (a code from its authenticator app, or a recovery code)");
      submitted.add("mfa");
      step = await submit(url, mfaForm, formBody(mfaForm, { code: totp }));
    } else if (enrolForm) {
      throw new CommandError(
        "this account must first set up two-step verification: open the authorization URL in a browser once to enrol an authenticator, then use --totp",
      );
    } else if (consentForm) {
      if (submitted.has("consent")) throw new CommandError(`consent failed: ${problem}`);
      if (status !== 200) throw new CommandError(`the consent page answered ${status}: ${problem}`);
      const approve = consentForm.buttons.find((b) => b.name === "decision" && b.value === "approve");
      if (!approve) throw new CommandError("the consent page has no approve button");
      submitted.add("consent");
      step = await submit(url, consentForm, formBody(consentForm, {}, approve));
    } else {
      throw new CommandError(`${url.pathname} answered ${status}: ${problem}`);
    }
  }

  const tokens = await tokenRequest(
    fetchImpl,
    metadata.tokenEndpoint,
    new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: clientId,
    }),
  );
  if (typeof tokens.id_token === "string") {
    const claims = jwtPayload(tokens.id_token);
    if (claims?.nonce !== undefined && claims.nonce !== nonce)
      throw new CommandError("the ID token's nonce does not match the request");
  }
  await output(io, tokens, values.save);
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
