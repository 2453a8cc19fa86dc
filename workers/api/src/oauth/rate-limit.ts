/**
 * Throttling of the endpoints attackers hammer: login, token, registration and the device verification
 * page (user-code guessing, RFC 8628 §5.1), per client and per IP,
 * through Cloudflare's Rate Limiting bindings (wrangler.toml `[[ratelimits]]`). Over the limit the
 * answer is a 429 problem with `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3). The counting and the
 * answer are lib/rate-limit.ts's, shared with the API routes' limits.
 */
import type { Context } from "hono";
import { problemResponse } from "../lib/problem";
import { type LimitCheck, overLimit, rateLimitedError } from "../lib/rate-limit";
import type { AppEnv } from "../lib/types";

export async function rateLimited(
  c: Context<AppEnv>,
  kind: "login" | "token" | "registration" | "device",
  clientKey: string | null,
): Promise<Response | null> {
  const ip = c.req.header("CF-Connecting-IP") ?? "unknown";
  const checks: LimitCheck[] = [{ limiter: c.env.AUTH_IP_LIMITER, key: `${kind}:ip:${ip}` }];
  if (clientKey) checks.push({ limiter: c.env.AUTH_CLIENT_LIMITER, key: `${kind}:client:${clientKey}` });
  return (await overLimit(checks)) ? problemResponse(c, rateLimitedError(kind)) : null;
}
