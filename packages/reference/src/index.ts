/**
 * The platform's reference data as plain data and pure accessors: the variables every database is
 * seeded with (with their codes and where those came from), their stable ids, and an in-memory lookup
 * over them. No I/O and no database: `@dfda/db`'s seed writes this into Postgres, and the mappers, the
 * CLI and connectors read it directly. UCUM units, which need ucum-lhc, are `@dfda/reference/units`.
 *
 * The closed vocabularies this data is checked against (categories, value types, code-system URIs)
 * stay in `@dfda/core`: scopes and API schemas are typed by them, and this package builds on core.
 *
 * @example
 * import { seedCatalog } from "@dfda/reference";
 * seedCatalog().byCoding("http://loinc.org", "8867-4")?.name; // "Heart rate"
 */
export { type SeedCatalog, seedCatalog } from "./catalog";
export { referenceIds, uuidv5 } from "./ids";
export type { CodingSeed, VariableSeed } from "./types";
export { CODE_SOURCES, VARIABLE_SEEDS } from "./variables/index";
