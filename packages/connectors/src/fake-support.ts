/**
 * What the local vendor fakes (./<vendor>/fake.ts) share: a fake OAuth 2.0 authorization server
 * (RFC 6749) and a queue of scripted faults. Each vendor's wire format (its error bodies, its token
 * response fields, Withings' `{status, body}` wrapping, Strava's Fault …) stays in its own fake; this
 * holds only the logic that is the same for all of them. For tests and the `npm start` demo only.
 */

/** An access token the fake issued: when it expires (on the fake's clock) and the refresh token of its grant. */
export interface FakeAccessToken {
  expiresAt: number;
  refresh: string;
}

/** A token pair just issued (RFC 6749 §5.1), for the vendor's fake to put in its own response body. */
export interface FakeIssuedTokens {
  /** The serial number of this issue (vendors echo it in fields such as `session_state`). */
  n: number;
  access: string;
  refresh: string;
  /** Epoch milliseconds on the fake's clock. */
  expiresAt: number;
  expiresIn: number;
}

/**
 * The fake authorization server: codes that work once (RFC 6749 §4.1.2), a refresh that spends the
 * refresh token and retires the access tokens of its grant (refresh-token rotation, RFC 9700 §4.14.2),
 * access tokens that expire on the fake's clock, and revocation. `Grant` is what a code remembers
 * (the redirect URI, and for PKCE (RFC 7636) the challenge).
 *
 * Codes, tokens (and anything else a fake numbers through `next()`) share one serial, so the values a
 * fake hands out (`code-1`, `access-2`, `refresh-2` …) follow the order of the requests.
 */
export class FakeAuthorizationServer<Grant = string> {
  private readonly codes = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, FakeAccessToken>();
  private readonly refreshTokens = new Set<string>();
  private serial = 0;

  /**
   * @param now the fake's clock, in epoch milliseconds
   * @param lifetimeSeconds the lifetime of an access token the fake issues now
   */
  constructor(
    private readonly now: () => number,
    private readonly lifetimeSeconds: () => number,
  ) {}

  /** The next serial number. */
  next(): number {
    return ++this.serial;
  }

  /** Issues an authorization code that remembers `grant`. */
  issueCode(grant: Grant): string {
    const code = `code-${this.next()}`;
    this.codes.set(code, grant);
    return code;
  }

  /** Issues a code for `grant` and sends the browser back with it and the state (RFC 6749 §4.1.2). */
  redirectWithCode(redirect: string, grant: Grant, state: string): Response {
    return redirectBack(redirect, [
      ["code", this.issueCode(grant)],
      ["state", state],
    ]);
  }

  /** Redeems a code: what it remembered, or undefined. A code works once, even when the redemption fails. */
  redeemCode(code: string): Grant | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    return grant;
  }

  /** Issues a new access token and refresh token. */
  issueTokens(): FakeIssuedTokens {
    const n = this.next();
    const access = `access-${n}`;
    const refresh = `refresh-${n}`;
    const expiresIn = this.lifetimeSeconds();
    const expiresAt = this.now() + expiresIn * 1000;
    this.accessTokens.set(access, { expiresAt, refresh });
    this.refreshTokens.add(refresh);
    return { n, access, refresh, expiresAt, expiresIn };
  }

  /**
   * Spends a refresh token: false when it is unknown (spent, revoked or never issued); else the access
   * tokens of its grant stop working and the caller issues the new pair.
   */
  spendRefreshToken(refresh: string): boolean {
    if (!this.refreshTokens.delete(refresh)) return false;
    this.retireAccessTokens(refresh);
    return true;
  }

  /**
   * Answers a token request (RFC 6749 §4.1.3 code grant, §6 refresh) after the vendor's fake checked
   * the client: a code is redeemed (once, even when it then fails) and `checkCode` says, in the
   * vendor's own format, what is wrong with it (or null); a refresh token is spent; anything else is an
   * unsupported grant type. The vendor's fake writes every answer.
   */
  async grant(
    form: URLSearchParams,
    answer: {
      checkCode: (grant: Grant | undefined) => Response | null | Promise<Response | null>;
      invalidRefresh: () => Response;
      unsupported: () => Response;
      issued: (tokens: FakeIssuedTokens, grantType: "authorization_code" | "refresh_token") => Response;
    },
  ): Promise<Response> {
    const type = form.get("grant_type");
    if (type === "authorization_code") {
      const wrong = await answer.checkCode(this.redeemCode(form.get("code") ?? ""));
      return wrong ?? answer.issued(this.issueTokens(), type);
    }
    if (type === "refresh_token") {
      if (!this.spendRefreshToken(form.get("refresh_token") ?? "")) return answer.invalidRefresh();
      return answer.issued(this.issueTokens(), type);
    }
    return answer.unsupported();
  }

  /**
   * A token endpoint that answers as RFC 6749 specifies it (client_secret_post §2.3.1, the code bound to
   * its redirect URI §4.1.3, errors as §5.2 JSON): for vendors that add nothing to it but their token
   * response's fields, which `issued` writes.
   */
  standardTokenEndpoint(
    this: FakeAuthorizationServer<string>,
    form: URLSearchParams,
    client: { clientId: string; clientSecret: string },
    issued: (tokens: FakeIssuedTokens) => Response,
  ): Promise<Response> | Response {
    const error = (code: string, status = 400) =>
      new Response(JSON.stringify({ error: code }), { status, headers: { "Content-Type": "application/json" } });
    if (!postsClientCredentials(form, client)) return error("invalid_client", 401);
    return this.grant(form, {
      checkCode: (redirect) =>
        redirect === undefined || redirect !== form.get("redirect_uri") ? error("invalid_grant") : null,
      invalidRefresh: () => error("invalid_grant"),
      unsupported: () => error("unsupported_grant_type"),
      issued,
    });
  }

  /** An access token the fake issued and still holds (expired or not), or undefined. */
  accessToken(access: string | undefined): FakeAccessToken | undefined {
    return access === undefined ? undefined : this.accessTokens.get(access);
  }

  /** Whether a refresh token is live. */
  hasRefreshToken(refresh: string): boolean {
    return this.refreshTokens.has(refresh);
  }

  /** Whether an access token is known and not expired on the fake's clock. */
  isLive(token: FakeAccessToken | undefined): token is FakeAccessToken {
    return token !== undefined && token.expiresAt > this.now();
  }

  /** The live access token a request carries as `Authorization: Bearer` (RFC 6750 §2.1), or undefined. */
  bearer(request: Request): FakeAccessToken | undefined {
    const token = this.accessToken(bearerToken(request));
    return this.isLive(token) ? token : undefined;
  }

  /** Revokes a grant (its refresh token and every access token of it). */
  revokeGrant(refresh: string): void {
    this.refreshTokens.delete(refresh);
    this.retireAccessTokens(refresh);
  }

  /** Makes every issued access token expired (the next API call answers 401). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  /** Forgets every token (the person revoked the app at the vendor): API calls and refreshes fail. */
  revokeEverything(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** The number of live access tokens (0 after a revoke). */
  get liveTokens(): number {
    return this.accessTokens.size;
  }

  private retireAccessTokens(refresh: string): void {
    for (const [access, t] of this.accessTokens) if (t.refresh === refresh) this.accessTokens.delete(access);
  }
}

/**
 * A scripted fault: answers the next `times` (default 1) requests to `path`, once `after` (default 0)
 * requests to it were answered normally (a 429 in the middle of a backfill).
 */
export interface FakeFaultBase {
  path: string;
  times?: number;
  after?: number;
}

/** The queue of scripted faults a fake answers with (each vendor's fake renders a fault in its own format). */
export class FakeFaultScript<F extends FakeFaultBase> {
  private readonly queue: Array<{ fault: F; left: number; pass: number }> = [];

  /** Queues a fault for the next request(s) to its path. */
  add(fault: F): void {
    this.queue.push({ fault: { ...fault }, left: fault.times ?? 1, pass: fault.after ?? 0 });
  }

  /** The fault that answers this request to `path` (and counts it), or undefined. */
  take(path: string): F | undefined {
    const entry = this.queue.find((e) => e.fault.path === path && e.left > 0);
    if (entry === undefined) return undefined;
    if (entry.pass > 0) {
      entry.pass--;
      return undefined;
    }
    entry.left--;
    return entry.fault;
  }
}

/**
 * The internal status a fake's `faulted()` returns for an `empty` fault: its caller turns it into a
 * page with no items in the vendor's format (never sent on the wire).
 */
export const EMPTY_PAGE_STATUS = 299;

/** The marker response of an `empty` fault. */
export function emptyPageMarker(): Response {
  return new Response(null, { status: EMPTY_PAGE_STATUS });
}

/** Whether a token request carries the client's credentials in its form (client_secret_post, RFC 6749 §2.3.1). */
export function postsClientCredentials(
  form: URLSearchParams,
  client: { clientId: string; clientSecret: string },
): boolean {
  return form.get("client_id") === client.clientId && form.get("client_secret") === client.clientSecret;
}

/**
 * Answers an API request that may have a scripted fault: the fault answers instead of the page, except
 * an `empty` fault, which asks for a page with no items.
 */
export function pageOrFault(fault: Response | undefined, page: (empty: boolean) => Response): Response {
  const empty = fault?.status === EMPTY_PAGE_STATUS;
  if (fault !== undefined && !empty) return fault;
  return page(empty);
}

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), or undefined. */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer (.+)$/.exec(request.headers.get("Authorization") ?? "")?.[1];
}

/** An `application/x-www-form-urlencoded` body, read as bytes (the form holds credentials and is never logged whole). */
export async function readForm(request: Request): Promise<URLSearchParams> {
  return new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
}

/** The 302 back to the client's redirect URI with `params` added in order (RFC 6749 §4.1.2). */
export function redirectBack(redirect: string, params: Array<[string, string]>): Response {
  const back = new URL(redirect);
  for (const [k, v] of params) back.searchParams.set(k, v);
  return new Response(null, { status: 302, headers: { Location: back.toString() } });
}

/** Midnight UTC `days` days before the UTC day of `at`. */
export function utcMidnightDaysBefore(at: Date, days: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) - days * 86_400_000);
}

/** The settings every fake has: its clock as first given and the lifetime of its access tokens. */
export interface FakeVendorOptions {
  /** The fake's clock as first given; its data is fixed relative to it. */
  now: Date;
  /** Lifetime of an access token, in seconds. */
  accessTokenSeconds: number;
}

/**
 * What every vendor fake is besides its wire format: its own clock (`now`, never the wall clock), a log
 * of requests, an authorization server and scripted faults, with the controls a test uses on them.
 */
export class FakeVendor<Options extends FakeVendorOptions, Fault extends FakeFaultBase, Grant = string> {
  /** The fake's clock: a test moves it; tokens expire and data runs up to it. */
  now: Date;
  readonly options: Options;
  /** Every request, in order, as the vendor's fake writes it (never a secret). */
  readonly log: string[] = [];
  protected readonly faults = new FakeFaultScript<Fault>();
  protected readonly auth = new FakeAuthorizationServer<Grant>(
    () => this.now.getTime(),
    () => this.options.accessTokenSeconds,
  );

  constructor(options: Options) {
    this.options = options;
    this.now = options.now;
  }

  /** Queues a fault for the next request(s) to `fault.path`. */
  fault(fault: Fault): void {
    this.faults.add(fault);
  }

  /** Makes every issued access token expired (the next API call answers the vendor's 401). */
  expireAccessTokens(): void {
    this.auth.expireAccessTokens();
  }

  /** Forgets every token (the person removed the app at the vendor): API calls and refreshes fail. */
  revokeEverything(): void {
    this.auth.revokeEverything();
  }

  /** The number of live access tokens (0 after a revoke). */
  get liveTokens(): number {
    return this.auth.liveTokens;
  }
}
