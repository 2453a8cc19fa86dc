/**
 * A consumer's database: one connection through Hyperdrive's pool for one piece of work, closed when
 * the work ends (Workers cannot keep a socket across invocations).
 */
import { connect, type Database } from "@dfda/db";

/** Runs `fn` with a database connection that is closed afterwards, whatever `fn` did. */
export type WithDb = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

/**
 * The `withDb` of a Worker: its Hyperdrive binding, and the application name its connections show in
 * `pg_stat_activity`.
 *
 * @example
 * const withDb = databaseOf(env.HYPERDRIVE, "dfda-mapper");
 * const file = await withDb((db) => getFile(db, tenantId, userId, fileId));
 */
export function databaseOf(hyperdrive: { readonly connectionString: string }, applicationName: string): WithDb {
  return async (fn) => {
    const handle = await connect(hyperdrive.connectionString, { applicationName });
    try {
      return await fn(handle.db);
    } finally {
      await handle.close();
    }
  };
}
