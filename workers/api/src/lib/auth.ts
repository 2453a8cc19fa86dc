/**
 * Who is calling. The foundation serves only public reference data, so every request is the
 * anonymous principal of the system tenant. This is the one seam where authentication plugs in:
 * the identity layer replaces `authenticate` with bearer-token verification (RFC 6750) and fills in
 * the user, client, tenant, scopes and roles; repositories already scope every query by
 * `principal.tenantId`, so handlers do not change.
 */
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./types";

export interface Principal {
  kind: "anonymous";
  /** The tenant whose rows (besides the platform's reference data) the request may see. */
  tenantId: string;
}

export const ANONYMOUS: Principal = Object.freeze({ kind: "anonymous", tenantId: SYSTEM_TENANT_ID });

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("principal", ANONYMOUS);
    await next();
  };
}
