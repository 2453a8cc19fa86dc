import type { Principal } from "@dfda/core";
import type { Database } from "@dfda/db";
import type { ApiConfig } from "./config";

/** Bindings and per-request variables every route of the API Worker sees. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The Worker's settings, parsed from its vars and secrets by the first middleware (lib/config.ts). */
    config: ApiConfig;
    /** Opens (once per request) and returns the database connection; closed when the response is sent. */
    db: () => Promise<Database>;
    principal: Principal;
    /** Why a presented bearer token was not accepted (the request is then anonymous). */
    authError: string | null;
  };
}
