/**
 * Migrations and reference-data seeding against a real PostgreSQL server, in a scratch database of
 * their own: forward-only and idempotent, and a changed variable definition becomes a new version
 * while observations stored under the old one keep it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SYSTEM_TENANT_ID } from "@dfda/core";
import { referenceIds, VARIABLE_SEEDS } from "@dfda/reference";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../../../scripts/db-migrate";
import { connect, type DbHandle } from "../client";
import { runMigrations } from "../migrate";
import { seedReferenceData } from "./index";

/** Every migration the journal lists, in order. */
function journalTags(): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: Array<{ tag: string }>;
  };
  return journal.entries.map((e) => e.tag);
}

let url: string;
let admin: pg.Client;
let handle: DbHandle;
const name = `dfda_seed_${process.pid}_${Date.now().toString(36)}`;

beforeAll(async () => {
  const server = new URL(inject("databaseUrl"));
  admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  server.pathname = `/${name}`;
  url = server.toString();
});

afterAll(async () => {
  await handle?.close();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe("migrations", () => {
  it("apply once, in order, and then apply nothing", async () => {
    const first = await runMigrations(url, MIGRATIONS_FOLDER);
    expect(first.applied).toEqual(journalTags());
    expect(first.timescale).toBe(false);
    const again = await runMigrations(url, MIGRATIONS_FOLDER);
    expect(again.applied).toEqual([]);
  });

  it("run concurrently without applying anything twice", async () => {
    const results = await Promise.all([runMigrations(url, MIGRATIONS_FOLDER), runMigrations(url, MIGRATIONS_FOLDER)]);
    expect(results.flatMap((r) => r.applied)).toEqual([]);
  });

  it("give every table a tenant_id (the tenants table is keyed by it)", async () => {
    handle = await connect(url);
    const { rows } = await handle.client.query<{ table_name: string }>(
      `select t.table_name from information_schema.tables t
       where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
         and not exists (select 1 from information_schema.columns c
                         where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'tenant_id')`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(["tenants"]);
  });
});

describe("reference data seed", () => {
  it("seeds everything, then changes nothing on a second run", async () => {
    const first = await seedReferenceData(handle.db);
    expect(first.variables.inserted).toBe(VARIABLE_SEEDS.length);
    expect(first.units).toBeGreaterThan(1300);
    const second = await seedReferenceData(handle.db);
    expect(second.variables).toEqual({ total: VARIABLE_SEEDS.length, inserted: 0, newVersions: 0, updated: 0 });
  });

  it("versions a variable whose meaning changed and keeps observations on their version", async () => {
    const hr = referenceIds.variable("heart-rate");
    const c = handle.client;
    await c.query("insert into tenants (id, slug, name) values ('11111111-1111-4111-8111-111111111111', 't1', 'T1')");
    await c.query(
      "insert into users (id, tenant_id, email) values ('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111', 'a@example.org')",
    );
    await c.query(
      "insert into sources (id, tenant_id, slug, name, kind) values ('33333333-3333-4333-8333-333333333333', '11111111-1111-4111-8111-111111111111', 'app', 'App', 'api')",
    );
    await c.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit, source_id)
       values ('44444444-4444-4444-8444-444444444444', '11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', $1, 1, now(), 61, '/min', '33333333-3333-4333-8333-333333333333')`,
      [hr],
    );

    const changed = VARIABLE_SEEDS.map((s) => (s.slug === "heart-rate" ? { ...s, validMax: 280 } : s));
    const result = await seedReferenceData(handle.db, changed);
    expect(result.variables).toMatchObject({ inserted: 0, newVersions: 1 });

    const versions = await c.query<{ version: number; valid_to: Date | null; valid_max: number }>(
      "select version, valid_to, valid_max from variables where id = $1 order by version",
      [hr],
    );
    expect(versions.rows.map((r) => [r.version, r.valid_to === null, r.valid_max])).toEqual([
      [1, false, VARIABLE_SEEDS.find((s) => s.slug === "heart-rate")?.validMax],
      [2, true, 280],
    ]);
    const obs = await c.query("select variable_version from observations where variable_id = $1", [hr]);
    expect(obs.rows).toEqual([{ variable_version: 1 }]);
    // Codes still name the variable, whichever version is current.
    const code = await c.query(
      "select variable_id from variable_codes where system = 'http://loinc.org' and code = '8867-4'",
    );
    expect(code.rows).toEqual([{ variable_id: hr }]);
  });

  it("refuses an observation whose user belongs to another tenant", async () => {
    const c = handle.client;
    await c.query("insert into tenants (id, slug, name) values ('55555555-5555-4555-8555-555555555555', 't2', 'T2')");
    await expect(
      c.query(
        `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit, source_id)
         values ('66666666-6666-4666-8666-666666666666', '55555555-5555-4555-8555-555555555555', '22222222-2222-4222-8222-222222222222', $1, 2, now(), 60, '/min', '33333333-3333-4333-8333-333333333333')`,
        [referenceIds.variable("heart-rate")],
      ),
    ).rejects.toThrow(/foreign key/);
    const tenants = await c.query("select id from tenants where id = $1", [SYSTEM_TENANT_ID]);
    expect(tenants.rowCount).toBe(1);
  });
});
