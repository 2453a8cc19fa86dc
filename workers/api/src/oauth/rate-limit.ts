/**
 * Throttling of the endpoints attackers hammer: login, token and registration, per client and per IP,
 * through Cloudflare's Rate Limiting bindings (wrangler.toml `[[ratelimits]]`). Over the limit the
 * answer is a 429 problem with `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3).
 */
import { ApiError } from "@dfda/core";
import type { Context } from "hono";
import { problemResponse } from "../lib/problem";
import type { AppEnv } from "../lib/types";

/** The limiters' period (wrangler.toml `simple.period`), which is also how long to wait. */
const PERIOD_SECONDS = 60;

export async function rateLimited(
  c: Context<AppEnv>,
  kind: "login" | "token" | "registration",
  clientKey: string | null,
): Promise<Response | null> {
  const ip = c.req.header("CF-Connecting-IP") ?? "unknown";
  const checks: Array<Promise<{ success: boolean }>> = [c.env.AUTH_IP_LIMITER.limit({ key: `${kind}:ip:${ip}` })];
  if (clientKey) checks.push(c.env.AUTH_CLIENT_LIMITER.limit({ key: `${kind}:client:${clientKey}` }));
  const results = await Promise.all(checks);
  if (results.every((r) => r.success)) return null;
  return problemResponse(
    c,
    new ApiError("rate_limited", {
      detail: `Too many ${kind} requests. Retry after ${PERIOD_SECONDS} seconds.`,
      headers: { "Retry-After": String(PERIOD_SECONDS) },
    }),
  );
}
