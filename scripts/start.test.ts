/**
 * The zero-setup path of `npm start`: the embedded PostgreSQL server from npm, initialised once in its
 * data folder and reused on the next start; and the PGlite fallback (behind pglite-socket), which
 * takes the same migrations and seed and answers the queries the API runs.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SYSTEM_TENANT_ID } from "@dfda/core";
import { connect } from "@dfda/db";
import { ReferenceRepository } from "@dfda/db/repositories/reference";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrateAndSeed } from "./db-migrate";
import { PostgresBinariesUnavailable } from "./embedded-postgres";
import { type LocalDatabase, startLocalDatabase, workerConfigs } from "./start";

const dir = mkdtempSync(join(tmpdir(), "dfda-start-"));
// As root the server runs as another account, which must reach the data folder inside.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether a server answers at `url`: false once it has stopped (connection refused). */
async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Migrates and seeds at `url`: on a fresh database everything is applied, afterwards nothing changes. */
async function expectMigrations(url: string, state: "fresh" | "up to date"): Promise<void> {
  const lines: string[] = [];
  await migrateAndSeed(url, (l) => lines.push(l));
  if (state === "fresh") {
    expect(lines[0]).toMatch(/^migrations: applied 0000_init, 0001_timescale_hypertable, .*plain table/);
  } else {
    expect(lines[0]).toMatch(/^migrations: up to date/);
    expect(lines[1]).toMatch(/0 new, 0 new versions, 0 updated/);
  }
}

/** The queries behind the README's first requests: heart rate by LOINC code, and units matching "mmol". */
async function expectReferenceQueries(url: string): Promise<void> {
  const handle = await connect(url);
  try {
    const repo = new ReferenceRepository(handle.db, { tenantId: SYSTEM_TENANT_ID });
    const hr = await repo.listVariables({ system: "http://loinc.org", code: "8867-4" }, null, 10);
    expect(hr.rows.map((v) => v.slug)).toEqual(["heart-rate"]);
    const units = await repo.listUnits({ q: "mmol" }, null, 50);
    expect(units.rows.map((u) => u.code)).toContain("mmol/L");
  } finally {
    await handle.close();
  }
}

describe("npm start", () => {
  it("runs the root Worker config first, then every other Worker's", () => {
    const configs = workerConfigs();
    expect(configs[0]).toBe("wrangler.toml");
    expect(configs.every((c) => c.endsWith("wrangler.toml"))).toBe(true);
  });

  it("starts a real PostgreSQL server in <data>/postgres, initialises it once, reuses it, and stops it", async () => {
    const port = 56_000 + (process.pid % 1000);
    const first = await startLocalDatabase(dir, port);
    let second: LocalDatabase | null = null;
    try {
      expect(first.description).toMatch(
        /^embedded PostgreSQL \(17\.\d+\) in .*\/postgres on 127\.0\.0\.1:\d+, initialised now/,
      );
      await expectMigrations(first.url, "fresh");
      await first.stop();
      await expect(reachable(first.url)).resolves.toBe(false);

      const again = await startLocalDatabase(dir, port);
      second = again;
      expect(again.description).toMatch(/ reused/);
      await expectMigrations(again.url, "up to date");
      await expectReferenceQueries(again.url);
    } finally {
      await first.stop();
      await second?.stop();
    }
    await expect(reachable(first.url)).resolves.toBe(false);
    expect(existsSync(join(dir, "postgres", "PG_VERSION"))).toBe(true);
    expect(existsSync(join(dir, "postgres", "postmaster.pid"))).toBe(false);
  }, 120_000);

  it("falls back to PGlite where the server binaries cannot run, says so, and it migrates, seeds and serves", async () => {
    const port = 54_000 + (process.pid % 1000);
    const db = await startLocalDatabase(dir, port, async () => {
      throw new PostgresBinariesUnavailable("no PostgreSQL binaries for plan9-mips");
    });
    try {
      expect(db.description).toMatch(
        /^embedded PGlite in .*\/pglite on 127\.0\.0\.1:\d+, because the PostgreSQL server binaries cannot run here \(no PostgreSQL binaries for plan9-mips\); PGlite answers one query at a time/,
      );
      await expectMigrations(db.url, "fresh");
      await expectMigrations(db.url, "up to date");
      await expectReferenceQueries(db.url);
    } finally {
      await db.stop();
    }
  }, 120_000);
});
