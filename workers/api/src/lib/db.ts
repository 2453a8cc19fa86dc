/**
 * Per-request database access through Hyperdrive. The connection opens on first use (health, docs
 * and 404s never touch the database) and closes after the response, via `waitUntil` so the client
 * does not wait for the socket to shut.
 */
import { ApiError } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./types";

export function database(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let handle: Promise<DbHandle> | undefined;
    c.set("db", async () => {
      handle ??= connect(c.env.HYPERDRIVE.connectionString, {
        applicationName: "dfda-api",
        connectTimeoutMs: 5_000,
        statementTimeoutMs: 15_000,
      }).catch((error: unknown) => {
        // Whatever the driver says, a failed connect means the database is unavailable right now.
        throw new ApiError("service_unavailable", {
          detail: "The database is unavailable. Retry later; nothing was changed.",
          headers: { "Retry-After": "5" },
          cause: error,
        });
      });
      return (await handle).db;
    });
    try {
      await next();
    } finally {
      if (handle) {
        const closing = handle
          .then((h) => h.close())
          .catch(() => {
            // Connecting failed: there is nothing to close, and the request already reported it.
          });
        try {
          c.executionCtx.waitUntil(closing);
        } catch {
          // No execution context (app.request in a plain test): close before returning.
          await closing;
        }
      }
    }
  };
}
