/**
 * The zero-setup path of `npm start`: the embedded database (PGlite behind pglite-socket) takes the
 * same migrations and seed as the real server, and answers the queries the API runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SYSTEM_TENANT_ID } from "@dfda/core";
import { connect } from "@dfda/db";
import { ReferenceRepository } from "@dfda/db/repositories/reference";
import { afterAll, describe, expect, it } from "vitest";
import { migrateAndSeed } from "./db-migrate";
import { startEmbeddedDatabase, workerConfigs } from "./start";

const dir = mkdtempSync(join(tmpdir(), "dfda-pglite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start", () => {
  it("runs the root Worker config first, then every other Worker's", () => {
    const configs = workerConfigs();
    expect(configs[0]).toBe("wrangler.toml");
    expect(configs.every((c) => c.endsWith("wrangler.toml"))).toBe(true);
  });

  it("migrates and seeds the embedded database, twice without change, and serves reference queries", async () => {
    const port = 54_000 + (process.pid % 1000);
    const db = await startEmbeddedDatabase(join(dir, "pglite"), port);
    try {
      const lines: string[] = [];
      await migrateAndSeed(db.url, (l) => lines.push(l));
      expect(lines[0]).toMatch(/^migrations: applied 0000_init, 0001_timescale_hypertable, .*plain table/);
      await migrateAndSeed(db.url, (l) => lines.push(l));
      expect(lines[2]).toMatch(/^migrations: up to date/);
      expect(lines[3]).toMatch(/0 new, 0 new versions, 0 updated/);

      const handle = await connect(db.url);
      try {
        const repo = new ReferenceRepository(handle.db, { tenantId: SYSTEM_TENANT_ID });
        const hr = await repo.listVariables({ system: "http://loinc.org", code: "8867-4" }, null, 10);
        expect(hr.rows.map((v) => v.slug)).toEqual(["heart-rate"]);
        const units = await repo.listUnits({ q: "mmol" }, null, 50);
        expect(units.rows.map((u) => u.code)).toContain("mmol/L");
      } finally {
        await handle.close();
      }
    } finally {
      await db.stop();
    }
  }, 120_000);
});
