/**
 * Request rate limits, through Cloudflare's Rate Limiting bindings (wrangler.toml `[[ratelimits]]`,
 * https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/). One implementation for
 * the API's routes (`rateLimit`, per access token, per client and per IP), for grantee reads of one
 * owner's data (`limitGranteeReads`) and for the authorization server's endpoints (oauth/rate-limit.ts).
 *
 * What the binding guarantees, and so what these limits are: a count per key in a fixed window of the
 * binding's `period` (10 or 60 seconds), kept per Cloudflare location and eventually consistent. So a
 * limit is a ceiling on abuse, not an exact quota: a caller spread over several locations gets each
 * location's budget, and one at a window boundary may send up to twice the limit in one period.
 *
 * Over a limit the answer is a 429 problem `rate_limited` (RFC 6585 §4) with `Retry-After` (RFC 9110
 * §10.2.3). The binding does not say when its window ends; the period is the longest wait, so that is
 * the Retry-After sent. Every number is in wrangler.toml (per environment) and docs/operations.md.
 */
import { ApiError, type Principal } from "@dfda/core";
import type { Context, MiddlewareHandler } from "hono";
import { problemResponse } from "./problem";
import type { AppEnv } from "./types";

/**
 * The `simple.period` of every limiter in wrangler.toml, in seconds, and so the `Retry-After`: a fixed
 * window restarts at most one period after the request that overflowed it.
 */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

/** One count to take: which limiter, and under which key. */
export interface LimitCheck {
  limiter: RateLimit;
  key: string;
}

/**
 * Counts the request once under every check (all of them, so each limiter sees the true rate) and
 * answers whether any of them is over its limit.
 *
 * @example
 * if (await overLimit([{ limiter: env.API_TOKEN_LIMITER, key: `token:${jti}` }])) throw rateLimitedError("API");
 */
export async function overLimit(checks: readonly LimitCheck[]): Promise<boolean> {
  const outcomes = await Promise.all(checks.map((check) => check.limiter.limit({ key: check.key })));
  return outcomes.some((outcome) => !outcome.success);
}

/**
 * The 429 problem (RFC 6585 §4) with `Retry-After` in seconds (RFC 9110 §10.2.3).
 *
 * @example
 * throw rateLimitedError("login");
 */
export function rateLimitedError(what: string): ApiError {
  return new ApiError("rate_limited", {
    detail: `Too many ${what} requests. Retry after ${RATE_LIMIT_PERIOD_SECONDS} seconds.`,
    headers: { "Retry-After": String(RATE_LIMIT_PERIOD_SECONDS) },
  });
}

/** The client's address as Cloudflare's edge sets it (it overwrites any value the client sends). */
export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

/**
 * What one request to a protected API route counts against:
 * - a token (user or client credentials): its own limit (by `jti`, RFC 9068 §2.2) and its client's,
 *   which all of that client's tokens share (every user of an app together), scoped by tenant since
 *   client ids are per tenant;
 * - no valid token: the caller's IP (a flood of bad or missing tokens still costs a token check each).
 *   A request without `CF-Connecting-IP` did not come through Cloudflare's edge (local development,
 *   the tests' in-process calls): there is no address to count it under, and it is not counted.
 */
export function apiLimitChecks(env: Env, principal: Principal, ip: string | null): LimitCheck[] {
  if (principal.kind === "anonymous") {
    return ip === null ? [] : [{ limiter: env.API_IP_LIMITER, key: `ip:${ip}` }];
  }
  return [
    { limiter: env.API_TOKEN_LIMITER, key: `token:${principal.tokenId}` },
    { limiter: env.API_CLIENT_LIMITER, key: `client:${principal.tenantId}:${principal.clientId}` },
  ];
}

/**
 * Rate limits for API routes, path-agnostic: app.ts applies it after `authenticate` to the route
 * trees that need a token (`/v1/*`, and any later API such as `/fhir/*`). Over a limit, the request is
 * answered 429 before any route runs.
 *
 * @example
 * app.use("/v1/*", rateLimit());
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (await overLimit(apiLimitChecks(c.env, c.var.principal, clientIp(c)))) {
      return problemResponse(c, rateLimitedError("API"));
    }
    return next();
  };
}

/**
 * Accesses of one owner's data by one grantee (a person or an app acting for itself: reads, exports,
 * study reads), counted before the owner's Durable Object is asked (lib/access.ts `askOwner`). The per-token limit does not bound them: each sign-in mints a new
 * token with a budget of its own, and the per-client limit is shared by everyone using the same app
 * (the first-party web client: the whole platform). This one is per (tenant, grantee, owner), so a
 * grantee reading in a loop is slowed however many tokens it holds, and the owner's access log (which
 * coalesces repeated identical decisions, docs/consent.md) is not where the loop is absorbed.
 *
 * @example
 * await limitGranteeAccess(c, principal, ownerId); // throws the 429 problem when over the limit
 */
export async function limitGranteeAccess(
  c: Context<AppEnv>,
  principal: Extract<Principal, { kind: "user" | "client" }>,
  ownerId: string,
): Promise<void> {
  const grantee = principal.kind === "user" ? `user:${principal.userId}` : `client:${principal.clientId}`;
  const key = `grantee:${principal.tenantId}:${grantee}:owner:${ownerId}`;
  if (await overLimit([{ limiter: c.env.API_GRANTEE_LIMITER, key }])) throw rateLimitedError("access");
}
