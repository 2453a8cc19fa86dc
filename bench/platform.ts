/**
 * The platform a benchmark measures, started as `npm start` starts it: a scratch database on the real
 * PostgreSQL server (migrated and seeded), PgBouncer in transaction mode in front of it for the Workers
 * (bench/pooler.ts: Hyperdrive's pool), and `scripts/start.ts` (every Worker under one `wrangler dev`,
 * local R2, Queues and Durable Objects) on BENCH port 8899, with a `bench` tenant and its first-party
 * public client `bench-cli`. `person()` makes a confirmed person and issues them a token through the
 * operator command (issue 16). Shared by `npm run bench` (bench/run.ts) and the big-file phases run
 * alone (bench/big.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hashPassword } from "@dfda/auth";
import { allScopes } from "@dfda/core";
import { connect } from "@dfda/db";
import { createClient, createTenant, createUser } from "@dfda/db/repositories/identity";
import pg from "pg";
import { run as dfda } from "../packages/cli/src/main";
import { migrateAndSeed } from "../scripts/db-migrate";
import { findPgbouncer, installPgbouncer, type Pooler, startPgbouncer } from "./pooler";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PASSWORD = "benchmark passphrase";

export interface PlatformOptions {
  /** The PostgreSQL server the scratch database is made on. */
  server: string;
  port: number;
  /** auto | pgbouncer | none (BENCH_POOLER). */
  pooler: string;
  poolSize: number;
  /** Extra environment for scripts/start.ts (e.g. DFDA_DEMO_VENDOR=off). */
  env?: Record<string, string>;
  log: (line: string) => void;
}

export interface BenchPlatform {
  base: string;
  databaseUrl: string;
  /** A direct connection (migrations, COPY, the benchmark's own checks). */
  handle: Awaited<ReturnType<typeof connect>>;
  tenant: { id: string };
  /** The `scripts/start.ts` process: the root of the process tree (wrangler, workerd). */
  child: ChildProcess;
  databasePath: string;
  /** A confirmed person of the bench tenant and a token for them with `scope`. */
  person(email: string, scope: string): Promise<{ id: string; token: string }>;
  /** A token for an existing person. */
  token(email: string, scope: string): Promise<string>;
  passwordHash: string;
  stop(): Promise<void>;
}

async function waitForHealth(base: string, child: ChildProcess, deadline: number) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("the platform exited");
    try {
      if ((await fetch(`${base}/health`)).status === 200) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the platform did not start");
}

export async function startBenchPlatform(o: PlatformOptions): Promise<BenchPlatform> {
  const env = process.env;
  const base = `http://127.0.0.1:${o.port}`;
  const name = `dfda_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: o.server });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const dbUrl = new URL(o.server);
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();
  let pooler: Pooler | null = null;
  let child: ChildProcess | null = null;
  let handle: Awaited<ReturnType<typeof connect>> | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), "dfda-bench-"));
  const stop = async () => {
    await handle?.close();
    if (child?.pid !== undefined && child.exitCode === null) {
      process.kill(-child.pid, "SIGTERM");
      await new Promise((r) => setTimeout(r, 3000));
    }
    await pooler?.stop();
    await admin.query(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await migrateAndSeed(databaseUrl, o.log);
    if (o.pooler !== "none") {
      const binary = findPgbouncer() ?? installPgbouncer(o.log);
      if (binary !== null) pooler = await startPgbouncer(binary, o.server, o.poolSize);
      else if (o.pooler === "pgbouncer") throw new Error("BENCH_POOLER=pgbouncer but no pgbouncer is installed");
      else
        o.log(
          "no pgbouncer: the Workers connect directly, a new server connection per request (apt-get install pgbouncer)",
        );
    }
    o.log(`Workers reach PostgreSQL ${pooler ? `through ${pooler.description}` : "directly"}`);
    child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/start.ts")], {
      cwd: ROOT,
      env: {
        ...env,
        ...(pooler && { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: pooler.url(name) }),
        DATABASE_URL: databaseUrl,
        PORT: String(o.port),
        DFDA_DATA_DIR: dataDir,
        ...o.env,
      },
      stdio: ["ignore", env.BENCH_PLATFORM_OUTPUT === "1" ? "inherit" : "ignore", "inherit"],
      detached: true,
    });
    handle = await connect(databaseUrl);
    await waitForHealth(base, child, Date.now() + 120_000);
    o.log("platform up");

    const tenant = await createTenant(handle.db, { slug: "bench", name: "Benchmark" });
    await createClient(handle.db, {
      tenantId: tenant.id,
      clientId: "bench-cli",
      name: "bench",
      clientType: "public",
      secretHash: null,
      redirectUris: ["http://127.0.0.1:8976/callback"],
      allowedScopes: allScopes(),
      grantTypes: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
    });
    const passwordHash = await hashPassword(PASSWORD);
    const token = async (email: string, scope: string): Promise<string> => {
      let out = "";
      let err = "";
      const code = await dfda(
        // The operator's token command (issue 16): an ordinary token, audited, without scraping sign-in pages.
        [
          "token",
          "issue",
          "--tenant",
          "bench",
          "--base-url",
          base,
          "--client-id",
          "bench-cli",
          "--email",
          email,
          "--scope",
          scope,
        ],
        // The operator command connects to the platform's own database.
        { ...env, DATABASE_URL: databaseUrl },
        { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
      );
      if (code !== 0) throw new Error(`token issue failed for ${email}: ${err.trim()}`);
      return (JSON.parse(out) as { access_token: string }).access_token;
    };
    const db = handle.db;
    return {
      base,
      databaseUrl,
      handle,
      tenant,
      child,
      databasePath: pooler ? pooler.description : "direct (local Hyperdrive: a new server connection per request)",
      passwordHash,
      token,
      async person(email, scope) {
        // Confirmed, as an operator-made account is (dfda user create): sign-in refuses unconfirmed addresses.
        const { id } = await createUser(db, {
          tenantId: tenant.id,
          email,
          passwordHash,
          roles: ["data_owner"],
          emailVerified: true,
        });
        return { id, token: await token(email, scope) };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
