/**
 * Seeds the platform's reference data (system tenant, variable categories, UCUM units, variables and
 * their codes) idempotently, in one transaction: running it again changes nothing unless the seed
 * files changed. A variable whose meaning changed (unit, range, value type …) gets a new version; the
 * old version is closed, not overwritten, so stored observations keep the definition they were
 * validated against. The data itself (and the ids it derives) is `@dfda/reference`; this module only
 * writes it.
 */
import { createHash } from "node:crypto";
import { SYSTEM_TENANT_ID, VARIABLE_CATEGORIES } from "@dfda/core";
import { referenceIds, VARIABLE_SEEDS, type VariableSeed } from "@dfda/reference";
import { loadUnitSeeds } from "@dfda/reference/units";
import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Database } from "../client";
import { tenants, units, variableCategories, variableCodes, variables } from "../schema";

type DefiningAttributes = Pick<
  typeof variables.$inferInsert,
  "valueType" | "canonicalUnit" | "validMin" | "validMax" | "molecularWeight" | "combinationOperation"
>;

/** Hash of the attributes whose change gives a variable a new version (its meaning for stored values). */
export function definitionHash(row: DefiningAttributes): string {
  const defining = [
    row.valueType,
    row.canonicalUnit ?? null,
    row.validMin ?? null,
    row.validMax ?? null,
    row.molecularWeight ?? null,
    row.combinationOperation,
  ];
  return createHash("sha256").update(JSON.stringify(defining)).digest("hex");
}

export interface SeedResult {
  categories: number;
  units: number;
  variables: { total: number; inserted: number; newVersions: number; updated: number };
  codes: number;
}

const CHUNK = 500;
function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function seedReferenceData(
  db: Database,
  seeds: readonly VariableSeed[] = VARIABLE_SEEDS,
): Promise<SeedResult> {
  const unitSeeds = loadUnitSeeds();
  return db.transaction(async (tx) => {
    await tx
      .insert(tenants)
      .values({ id: SYSTEM_TENANT_ID, slug: "system", name: "Platform reference data" })
      .onConflictDoNothing();

    await tx
      .insert(variableCategories)
      .values(
        VARIABLE_CATEGORIES.map((c, i) => ({
          id: referenceIds.category(c.slug),
          tenantId: SYSTEM_TENANT_ID,
          slug: c.slug,
          name: c.name,
          description: c.description,
          sortOrder: i,
        })),
      )
      .onConflictDoUpdate({
        target: variableCategories.id,
        set: {
          name: sql`excluded.name`,
          description: sql`excluded.description`,
          sortOrder: sql`excluded.sort_order`,
        },
      });

    for (const part of chunks(unitSeeds)) {
      await tx
        .insert(units)
        .values(part.map((u) => ({ ...u, tenantId: SYSTEM_TENANT_ID })))
        .onConflictDoUpdate({
          target: [units.tenantId, units.code],
          set: {
            name: sql`excluded.name`,
            property: sql`excluded.property`,
            dimension: sql`excluded.dimension`,
            isCommon: sql`excluded.is_common`,
            isBase: sql`excluded.is_base`,
            synonyms: sql`excluded.synonyms`,
          },
        });
    }

    // Variables: compare each seed with the current version.
    const current = await tx
      .select({
        id: variables.id,
        version: variables.version,
        definitionHash: variables.definitionHash,
        name: variables.name,
        categoryId: variables.categoryId,
        isInputFactor: variables.isInputFactor,
        isOutcome: variables.isOutcome,
        synonyms: variables.synonyms,
        description: variables.description,
      })
      .from(variables)
      .where(and(eq(variables.tenantId, SYSTEM_TENANT_ID), isNull(variables.validTo)));
    const currentById = new Map(current.map((v) => [v.id, v]));
    const now = new Date();
    let inserted = 0;
    let newVersions = 0;
    let updated = 0;
    const toInsert: Array<typeof variables.$inferInsert> = [];
    for (const seed of seeds) {
      const id = referenceIds.variable(seed.slug);
      const defining = {
        valueType: seed.valueType,
        canonicalUnit: seed.canonicalUnit,
        validMin: seed.validMin ?? null,
        validMax: seed.validMax ?? null,
        molecularWeight: seed.molecularWeight ?? null,
        combinationOperation: seed.combinationOperation,
      };
      const hash = definitionHash(defining);
      const row = {
        id,
        tenantId: SYSTEM_TENANT_ID,
        slug: seed.slug,
        name: seed.name,
        categoryId: referenceIds.category(seed.category),
        ...defining,
        isInputFactor: seed.isInputFactor,
        isOutcome: seed.isOutcome,
        synonyms: [...(seed.synonyms ?? [])],
        description: seed.description ?? "",
        definitionHash: hash,
      };
      const existing = currentById.get(id);
      if (!existing) {
        toInsert.push({ ...row, version: 1, validFrom: now });
        inserted++;
      } else if (existing.definitionHash !== hash) {
        await tx
          .update(variables)
          .set({ validTo: now })
          .where(and(eq(variables.id, id), eq(variables.version, existing.version)));
        toInsert.push({ ...row, version: existing.version + 1, validFrom: now });
        newVersions++;
      } else {
        // Same meaning: names, synonyms and descriptions are corrected in place.
        const descriptive = {
          name: row.name,
          categoryId: row.categoryId,
          isInputFactor: row.isInputFactor,
          isOutcome: row.isOutcome,
          synonyms: row.synonyms,
          description: row.description,
        };
        const stored = {
          name: existing.name,
          categoryId: existing.categoryId,
          isInputFactor: existing.isInputFactor,
          isOutcome: existing.isOutcome,
          synonyms: existing.synonyms,
          description: existing.description,
        };
        if (JSON.stringify(descriptive) !== JSON.stringify(stored)) {
          await tx
            .update(variables)
            .set(descriptive)
            .where(and(eq(variables.id, id), eq(variables.version, existing.version)));
          updated++;
        }
      }
    }
    for (const part of chunks(toInsert)) await tx.insert(variables).values(part);

    // Codes: each (system, code) names exactly one seeded variable.
    const codeRows = seeds.flatMap((seed) =>
      seed.codes.map((c, i) => ({
        tenantId: SYSTEM_TENANT_ID,
        system: c.system,
        code: c.code,
        variableId: referenceIds.variable(seed.slug),
        display: c.display ?? null,
        isPreferred: i === 0,
      })),
    );
    for (const part of chunks(codeRows)) {
      await tx
        .insert(variableCodes)
        .values(part)
        .onConflictDoUpdate({
          target: [variableCodes.tenantId, variableCodes.system, variableCodes.code],
          set: {
            variableId: sql`excluded.variable_id`,
            display: sql`excluded.display`,
            isPreferred: sql`excluded.is_preferred`,
          },
        });
    }
    // A code dropped from the seed files no longer names a system variable.
    const seededKeys = codeRows.map((c) => `${c.system}|${c.code}`);
    if (seededKeys.length > 0) {
      await tx
        .delete(variableCodes)
        .where(
          and(
            eq(variableCodes.tenantId, SYSTEM_TENANT_ID),
            notInArray(sql<string>`${variableCodes.system} || '|' || ${variableCodes.code}`, seededKeys),
          ),
        );
    }
    // Variables whose seed was removed are retired (closed), never deleted: observations refer to them.
    const seededIds = seeds.map((s) => referenceIds.variable(s.slug));
    const retired = current.filter((v) => !seededIds.includes(v.id)).map((v) => v.id);
    if (retired.length > 0) {
      await tx
        .update(variables)
        .set({ validTo: now })
        .where(and(inArray(variables.id, retired), isNull(variables.validTo)));
    }

    return {
      categories: VARIABLE_CATEGORIES.length,
      units: unitSeeds.length,
      variables: { total: seeds.length, inserted, newVersions, updated },
      codes: codeRows.length,
    };
  });
}
