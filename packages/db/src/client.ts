/**
 * The database client factory, the one way every Worker and script reaches Postgres.
 *
 * Workers get a connection string from their Hyperdrive binding and open one `pg` client per
 * request (Hyperdrive pools the real connections at the edge, so a client is cheap; reusing one
 * across requests is not allowed by the Workers runtime). Scripts pass `DATABASE_URL`.
 */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";

/**
 * The query builder over one connection. Built without the relational schema: drizzle derives the
 * relational config of every table each time `drizzle(client, { schema })` runs, which was ~2 % of
 * the API's CPU at one connection per request, and nothing here uses `db.query.*`.
 */
export type Database = NodePgDatabase;
/** A transaction handed to `db.transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Whatever runs queries: the database or a transaction in it. */
export type Executor = Database | Transaction;

export interface DbHandle {
  db: Database;
  client: pg.Client;
  /** Closes the connection; safe to call more than once. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Fail fast rather than hang when the database does not answer (milliseconds). */
  connectTimeoutMs?: number;
  /** Sets `statement_timeout` for the session (milliseconds). */
  statementTimeoutMs?: number;
  applicationName?: string;
}

/**
 * Opens a connection and wraps it in drizzle.
 *
 * @example
 * const handle = await connect(env.HYPERDRIVE.connectionString);
 * try { await handle.db.select().from(variables); } finally { await handle.close(); }
 */
export async function connect(connectionString: string, options: ConnectOptions = {}): Promise<DbHandle> {
  const config: pg.ClientConfig = {
    connectionString,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: options.applicationName ?? "dfda",
  };
  if (options.statementTimeoutMs !== undefined) config.statement_timeout = options.statementTimeoutMs;
  const client = new pg.Client(config);
  coalesceWrites(client.connection.stream as unknown as WritableSocket);
  // A socket error after connect must not become an unhandled 'error' event that kills the isolate;
  // the failing query rejects on its own and the caller maps it to a problem response.
  client.on("error", () => {});
  await client.connect();
  let closed = false;
  return {
    db: drizzle(client),
    client,
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => {});
    },
  };
}

/** The part of a socket `coalesceWrites` needs: pg's Node socket and pg-cloudflare's both have it. */
interface WritableSocket {
  write(data: Uint8Array | string, ...rest: unknown[]): boolean;
  cork?: () => void;
  uncork?: () => void;
}

/**
 * Gives pg-cloudflare's socket the `cork`/`uncork` that Node sockets have. pg sends a parameterized
 * query as five protocol messages (Parse, Bind, Describe, Execute, Sync: PostgreSQL protocol §55.2.3)
 * and corks the stream around them so they leave as one TCP segment; pg-cloudflare lacks `cork`, so
 * each message went out alone and Nagle's algorithm held the later ones until the server's delayed
 * ACK (about 40 ms on Linux) — every query paid that stall. Node sockets already cork: left as they are.
 */
export function coalesceWrites(socket: WritableSocket): void {
  if (typeof socket.cork === "function" && typeof socket.uncork === "function") return;
  const write = socket.write.bind(socket);
  let pending: Uint8Array[] | null = null;
  socket.write = (data: Uint8Array | string, ...rest: unknown[]) => {
    if (pending === null || typeof data === "string" || rest.length > 0) return write(data, ...rest);
    pending.push(data);
    return true;
  };
  socket.cork = () => {
    pending ??= [];
  };
  socket.uncork = () => {
    const parts = pending;
    pending = null;
    if (parts === null || parts.length === 0) return;
    const total = parts.reduce((n, part) => n + part.byteLength, 0);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.byteLength;
    }
    write(joined);
  };
}

/**
 * A database failure, told without health data: drizzle's query errors carry the SQL and its
 * parameters (the values being stored), so only the database's own message (the cause) is kept.
 */
export function safeErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const cause = error.cause;
  if (cause instanceof Error) return cause.message.slice(0, 500);
  if (error.message.startsWith("Failed query:")) return "a database query failed";
  return error.message.slice(0, 500);
}
