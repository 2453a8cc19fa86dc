-- Make observations a TimescaleDB hypertable with weekly chunks where the extension exists
-- (Neon and Timescale offer it; a stock PostgreSQL or PGlite does not). Without it the table stays a
-- plain table with the same keys and indexes, and every query the platform runs works on both.
--
-- TimescaleDB requires every unique index of a hypertable to include the partitioning column:
-- observations_pkey and observations_id_key both include start_at (see packages/db/src/schema.ts).
--
-- `CREATE EXTENSION timescaledb` also fails where the package is installed but not preloaded
-- (shared_preload_libraries); the exception handler keeps that a notice, not a failed migration.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
      PERFORM create_hypertable(
        'observations',
        'start_at',
        chunk_time_interval => INTERVAL '7 days',
        if_not_exists => TRUE,
        migrate_data => TRUE
      );
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'timescaledb is available but could not be enabled (%); observations stays a plain table', SQLERRM;
    END;
  ELSE
    RAISE NOTICE 'timescaledb is not available; observations stays a plain table';
  END IF;
END
$$;
