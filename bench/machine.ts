/** The machine line every benchmark result carries. */
import { cpus, freemem, totalmem } from "node:os";
import type pg from "pg";

export async function machine(client: pg.Client) {
  const pgVersion = (await client.query<{ server_version: string }>("show server_version")).rows[0]?.server_version;
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    free_memory_gib: Math.round(freemem() / 2 ** 30),
    node: process.version,
    postgres: pgVersion,
    timescaledb: false,
  };
}
