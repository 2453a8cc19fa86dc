import type { Database } from "@dfda/db";
import type { Principal } from "./auth";

/** Bindings and per-request variables every route of the API Worker sees. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Opens (once per request) and returns the database connection; closed when the response is sent. */
    db: () => Promise<Database>;
    principal: Principal;
  };
}
