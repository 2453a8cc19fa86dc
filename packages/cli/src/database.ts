/**
 * The operator commands' way to the database: DATABASE_URL (as for `npm run db:migrate`), one
 * connection per command, and PostgreSQL errors turned into sentences. Nothing printed here ever
 * contains a query's parameters (drizzle's error messages do: they would show password hashes).
 */
import { connect, type Database } from "@dfda/db";
import { CommandError, type Env, UsageError } from "./cli-support";

const EXAMPLE_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** The PostgreSQL error (or Node system error) inside an error, following `cause` links. */
export function databaseErrorOf(
  error: unknown,
): { code: string; message: string; constraint?: string; detail?: string; table?: string } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      constraint?: unknown;
      detail?: unknown;
      table?: unknown;
    };
    if (typeof candidate.code === "string" && candidate.code !== "") {
      return {
        code: candidate.code,
        message: typeof candidate.message === "string" ? candidate.message : "",
        ...(typeof candidate.constraint === "string" ? { constraint: candidate.constraint } : {}),
        ...(typeof candidate.detail === "string" ? { detail: candidate.detail } : {}),
        ...(typeof candidate.table === "string" ? { table: candidate.table } : {}),
      };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** A message for an error thrown while connecting; AggregateError (one per address tried) is flattened. */
export function connectionErrorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") {
    const inner = error.errors.map((e) => (e instanceof Error ? e.message : String(e))).filter((m) => m !== "");
    if (inner.length > 0) return [...new Set(inner)].join("; ");
  }
  if (error instanceof Error) {
    if (error.message !== "") return error.message;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return String(error);
}

/** Describes an error thrown by a query, for the operator. */
export function databaseErrorMessage(error: unknown): string {
  const pg = databaseErrorOf(error);
  if (!pg) return connectionErrorMessage(error);
  switch (pg.code) {
    case "23505":
      return `already exists${pg.detail ? `: ${pg.detail}` : ""}`;
    case "42P01":
      return `${pg.message}: the database is not migrated; run \`npm run db:migrate\` with the same DATABASE_URL first`;
    case "3D000":
    case "28P01":
    case "28000":
      return pg.message;
    default:
      // A SQLSTATE is five characters; anything else is a Node system error code (ECONNRESET, …).
      return /^[0-9A-Z]{5}$/.test(pg.code) ? `${pg.message} (SQLSTATE ${pg.code})` : pg.message || pg.code;
  }
}

/** Whether an error is a unique-constraint violation (SQLSTATE 23505), optionally on one constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = databaseErrorOf(error);
  return pg?.code === "23505" && (constraint === undefined || pg.constraint === constraint);
}

/**
 * Runs `work` with a connection to DATABASE_URL and closes it. A missing DATABASE_URL is a usage
 * error; a failed connection or query is a command error with a plain message.
 */
export async function withDatabase<T>(env: Env, command: string, work: (db: Database) => Promise<T>): Promise<T> {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    throw new UsageError(
      `DATABASE_URL is not set. The operator commands connect straight to PostgreSQL, like npm run db:migrate. Example: DATABASE_URL=${EXAMPLE_URL} dfda ${command} …`,
      command,
    );
  }
  let handle: Awaited<ReturnType<typeof connect>>;
  try {
    handle = await connect(url, { applicationName: "dfda-cli", connectTimeoutMs: 10_000, statementTimeoutMs: 30_000 });
  } catch (error) {
    throw new CommandError(`cannot connect to the database at ${redactUrl(url)}: ${connectionErrorMessage(error)}`);
  }
  try {
    return await work(handle.db);
  } catch (error) {
    if (error instanceof CommandError || error instanceof UsageError) throw error;
    throw new CommandError(`database error: ${databaseErrorMessage(error)}`);
  } finally {
    await handle.close();
  }
}

/** A connection string without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "(DATABASE_URL is not a valid URL)";
  }
}
