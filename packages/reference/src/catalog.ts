/**
 * The seeded variable catalog as an in-memory lookup, for code that runs without a database: the
 * `dfda map` command and the mapper tests. Ids are the seeded ids (UUIDv5 of the slug), so what this
 * resolves is what the database resolves for the system tenant. Workers resolve through the database
 * (`ReferenceRepository` in @dfda/db), which also sees a tenant's own variables.
 */
import { normalizeLabel, type VariableLookup, type VariableMatch } from "@dfda/core";
import { referenceIds } from "./ids";
import { VARIABLE_SEEDS } from "./variables/index";

export interface SeedCatalog extends VariableLookup {
  /** The variable a coding names, or null. */
  byCoding(system: string, code: string): VariableMatch | null;
}

let cached: SeedCatalog | undefined;

/** Builds (once) the lookup over names, synonyms, slugs and codes of every seeded variable. */
export function seedCatalog(): SeedCatalog {
  if (cached) return cached;
  const labels = new Map<string, VariableMatch>();
  const codings = new Map<string, VariableMatch>();
  const add = (label: string, match: VariableMatch) => {
    const key = normalizeLabel(label);
    // The first variable to claim a label keeps it: names are added before synonyms and codes.
    if (key !== "" && !labels.has(key)) labels.set(key, match);
  };
  const matches = VARIABLE_SEEDS.map((seed) => ({
    seed,
    match: { id: referenceIds.variable(seed.slug), name: seed.name, canonicalUnit: seed.canonicalUnit },
  }));
  for (const { seed, match } of matches) add(seed.name, match);
  for (const { seed, match } of matches) add(seed.slug, match);
  for (const { seed, match } of matches) for (const synonym of seed.synonyms ?? []) add(synonym, match);
  for (const { seed, match } of matches) {
    for (const code of seed.codes) {
      add(code.code, match);
      const key = `${code.system}|${code.code}`;
      if (!codings.has(key)) codings.set(key, match);
    }
  }
  cached = {
    byLabel: (label) => labels.get(normalizeLabel(label)) ?? null,
    byCoding: (system, code) => codings.get(`${system}|${code}`) ?? null,
  };
  return cached;
}
