/**
 * `npm run db:migrate`: applies pending migrations, then seeds reference data, against DATABASE_URL.
 *
 *   DATABASE_URL=postgres://user@host:5432/db npm run db:migrate
 */
import { fileURLToPath } from "node:url";
import { connect } from "@dfda/db";
import { runMigrations } from "@dfda/db/migrate";
import { seedReferenceData } from "@dfda/db/seed";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));

/** Migrates and seeds one database; used by this script, `npm start` and the test setup. */
export async function migrateAndSeed(databaseUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  const migrated = await runMigrations(databaseUrl, MIGRATIONS_FOLDER);
  log(
    `migrations: ${migrated.applied.length === 0 ? "up to date" : `applied ${migrated.applied.join(", ")}`}` +
      ` (observations ${migrated.timescale ? "is a TimescaleDB hypertable" : "is a plain table: no timescaledb"})`,
  );
  const handle = await connect(databaseUrl, { applicationName: "dfda-seed", connectTimeoutMs: 15_000 });
  try {
    const seeded = await seedReferenceData(handle.db);
    const v = seeded.variables;
    log(
      `reference data: ${seeded.categories} categories, ${seeded.units} units, ${v.total} variables ` +
        `(${v.inserted} new, ${v.newVersions} new versions, ${v.updated} updated), ${seeded.codes} codes`,
    );
  } finally {
    await handle.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres");
    process.exit(2);
  }
  migrateAndSeed(url, (line) => console.log(line)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
