/**
 * Vitest global setup: a fresh database per test run on the real PostgreSQL server, migrated and
 * seeded exactly as `npm run db:migrate` does, dropped afterwards. TEST_DATABASE_URL names the
 * server (default: the local one on 127.0.0.1:5432 with trust auth).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateAndSeed } from "../scripts/db-migrate";

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

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `dfda_test_${project.name.replace(/\W/g, "_")}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The tests need a PostgreSQL server at ${serverUrl} (set TEST_DATABASE_URL). ${(error as Error).message}`,
    );
  }
  await admin.query(`create database "${name}"`);
  await admin.end();
  const databaseUrl = withDatabase(serverUrl, name);
  await migrateAndSeed(databaseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("authMasterKeys", JSON.stringify({ k1: randomBytes(32).toString("base64url") }));

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  };
}
