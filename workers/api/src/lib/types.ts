import type { Principal } from "@dfda/core";
import type { Database } from "@dfda/db";

/** Bindings and per-request variables every route of the API Worker sees. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Opens (once per request) and returns the database connection; closed when the response is sent. */
    db: () => Promise<Database>;
    principal: Principal;
    /** Why a presented bearer token was not accepted (the request is then anonymous). */
    authError: string | null;
  };
}
