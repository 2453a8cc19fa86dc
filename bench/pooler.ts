/**
 * A transaction-mode connection pooler (PgBouncer) in front of the benchmark's PostgreSQL server,
 * standing in for Hyperdrive's pool. Deployed, every Worker request reaches a warm pooled connection
 * (Hyperdrive pools in transaction mode, developers.cloudflare.com/hyperdrive/configuration/connection-pooling);
 * wrangler's local Hyperdrive instead opens a new server connection per request, and on this kind of
 * machine a new PostgreSQL backend costs ~10 ms of fork and catalog loading before its first query.
 * Measuring through a pooler measures the platform, not that artefact of local mode.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface Pooler {
  /** What ran, for the results: e.g. "PgBouncer 1.18.0, transaction mode, pool 16". */
  description: string;
  /** The URL of `database` through the pooler. */
  url(database: string): string;
  stop(): Promise<void>;
}

/** The pgbouncer binary: on PATH, or where Debian installs it. */
export function findPgbouncer(): string | null {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/usr/local/sbin"])) {
    const candidate = join(dir, "pgbouncer");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Installs Debian's PgBouncer package when this process may (root, with apt-get), so that a fresh
 * machine measures the same pooled path as the recorded results instead of silently measuring local
 * mode's connection per request. Returns the binary, or null when it cannot install.
 */
export function installPgbouncer(log: (line: string) => void): string | null {
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return null;
  log("installing pgbouncer with apt-get to stand in for Hyperdrive's pool (BENCH_POOLER=none skips it)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => execFileSync("apt-get", ["install", "-y", "-qq", "pgbouncer"], { env, stdio: "ignore" });
  try {
    install();
  } catch {
    // A machine whose package lists were never fetched: fetch them once, then try again.
    try {
      execFileSync("apt-get", ["update", "-qq"], { env, stdio: "ignore" });
      install();
    } catch (error) {
      log(`could not install pgbouncer: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
  return findPgbouncer();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts PgBouncer for the server at `serverUrl`; every database of that server is reachable through it. */
export async function startPgbouncer(binary: string, serverUrl: string, poolSize: number): Promise<Pooler> {
  const server = new URL(serverUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "dfda-pgbouncer-"));
  const user = decodeURIComponent(server.username || "postgres");
  const password = decodeURIComponent(server.password);
  const target = [
    `host=${server.hostname}`,
    `port=${server.port || "5432"}`,
    `user=${user}`,
    ...(password === "" ? [] : [`password=${password}`]),
  ].join(" ");
  const config = join(dir, "pgbouncer.ini");
  writeFileSync(
    config,
    [
      "[databases]",
      `* = ${target}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      // Local and private to this run: clients are not authenticated; the server login is in [databases].
      "auth_type = any",
      "pool_mode = transaction",
      `default_pool_size = ${poolSize}`,
      "max_client_conn = 2000",
      // pg sends these as startup parameters; a transaction pooler cannot keep per-client session settings.
      "ignore_startup_parameters = extra_float_digits,statement_timeout,options",
      "unix_socket_dir =",
      "",
    ].join("\n"),
  );
  const args = [config];
  // PgBouncer refuses to run as root: drop to nobody, who must be able to read the config.
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o755);
    chmodSync(config, 0o644);
    args.unshift("-u", "nobody");
  }
  const child: ChildProcess = spawn(binary, args, {
    stdio: ["ignore", "ignore", process.env.BENCH_PLATFORM_OUTPUT === "1" ? "inherit" : "ignore"],
  });
  const url = (database: string) => {
    const through = new URL(serverUrl);
    through.hostname = "127.0.0.1";
    through.port = String(port);
    through.pathname = `/${database}`;
    // Local Hyperdrive needs a password in the URL; PgBouncer (auth_type any) ignores it.
    if (through.password === "") through.password = "pooled";
    through.searchParams.set("sslmode", "disable");
    return through.toString();
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}`);
    const client = new pg.Client({ connectionString: url(server.pathname.slice(1) || "postgres") });
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const version = execFileSync(binary, ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "PgBouncer";
  return {
    description: `${version.trim()}, transaction mode, pool ${poolSize}`,
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => setTimeout(r, 500));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
