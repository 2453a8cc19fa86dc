import { ApiError } from "@dfda/core";
import type { Context } from "hono";
import type { AppEnv } from "../lib/types";

/**
 * The signed-in user of a `/v1/me` route. The route's requirement already refused clients acting for
 * themselves, so this only narrows the type (and fails closed if a route forgot to).
 */
export function selfUser(c: Context<AppEnv>) {
  const principal = c.var.principal;
  if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "This route is for a signed-in person." });
  return principal;
}
