/**
 * Read access to reference data (variable categories, variables, codes, units), scoped in the data
 * layer: a repository is built for one tenant and only ever returns the platform's rows (system
 * tenant) and that tenant's own rows. Lists page by keyset cursors.
 */
import {
  type CombinationOperation,
  normalizeLabel,
  type RangeSeverity,
  SYSTEM_TENANT_ID,
  type ValueType,
  type VariableDefinition,
  type VariableLookup,
  type VariableMatch,
} from "@dfda/core";
import { and, asc, eq, exists, gt, ilike, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { units, variableCategories, variableCodes, variables } from "../schema";

export interface ReferenceScope {
  tenantId: string;
}

export interface Page<T, K> {
  rows: T[];
  /** Sort key of the last row when another page may follow. */
  nextKey: K | null;
}

export interface VariableCode {
  system: string;
  code: string;
  display: string | null;
  isPreferred: boolean;
}

export interface VariableRecord {
  id: string;
  version: number;
  tenantId: string;
  slug: string;
  name: string;
  category: string;
  valueType: ValueType;
  canonicalUnit: string | null;
  validMin: number | null;
  validMax: number | null;
  rangeSeverity: RangeSeverity;
  molecularWeight: number | null;
  isInputFactor: boolean;
  isOutcome: boolean;
  combinationOperation: CombinationOperation;
  synonyms: string[];
  description: string;
  validFrom: Date;
  validTo: Date | null;
  codes: VariableCode[];
}

/** A variable as ingestion resolves it (one version). */
export type ResolvedVariable = VariableDefinition;

/** Map key of a coding. */
export function codingKey(system: string, code: string): string {
  return `${system}|${code}`;
}

export interface VariableFilter {
  category?: string;
  system?: string;
  code?: string;
  q?: string;
}

/** Escapes LIKE metacharacters so user text matches literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const variableColumns = {
  id: variables.id,
  version: variables.version,
  tenantId: variables.tenantId,
  slug: variables.slug,
  name: variables.name,
  category: variableCategories.slug,
  valueType: variables.valueType,
  canonicalUnit: variables.canonicalUnit,
  validMin: variables.validMin,
  validMax: variables.validMax,
  rangeSeverity: variables.rangeSeverity,
  molecularWeight: variables.molecularWeight,
  isInputFactor: variables.isInputFactor,
  isOutcome: variables.isOutcome,
  combinationOperation: variables.combinationOperation,
  synonyms: variables.synonyms,
  description: variables.description,
  validFrom: variables.validFrom,
  validTo: variables.validTo,
};

export class ReferenceRepository {
  private readonly tenants: string[];

  constructor(
    private readonly db: Database,
    scope: ReferenceScope,
  ) {
    this.tenants = scope.tenantId === SYSTEM_TENANT_ID ? [SYSTEM_TENANT_ID] : [SYSTEM_TENANT_ID, scope.tenantId];
  }

  async listCategories(after: { sortOrder: number; slug: string } | null, limit: number) {
    const rows = await this.db
      .select({
        id: variableCategories.id,
        slug: variableCategories.slug,
        name: variableCategories.name,
        description: variableCategories.description,
        sortOrder: variableCategories.sortOrder,
        // Qualified by hand: drizzle leaves columns unqualified in a single-table select, and here the
        // subquery's own table would capture an unqualified "id".
        variableCount: sql<number>`(select count(*)::int from variables v where v.category_id = "variable_categories"."id" and v.valid_to is null and v.tenant_id = any(${sql.param(this.tenants)}::uuid[]))`,
      })
      .from(variableCategories)
      .where(
        and(
          inArray(variableCategories.tenantId, this.tenants),
          after
            ? sql`(${variableCategories.sortOrder}, ${variableCategories.slug}) > (${after.sortOrder}, ${after.slug})`
            : undefined,
        ),
      )
      .orderBy(asc(variableCategories.sortOrder), asc(variableCategories.slug))
      .limit(limit + 1);
    return paginate(rows, limit, (r) => ({ sortOrder: r.sortOrder, slug: r.slug }));
  }

  async findCategory(slug: string) {
    const [row] = await this.db
      .select({ id: variableCategories.id })
      .from(variableCategories)
      .where(and(eq(variableCategories.slug, slug), inArray(variableCategories.tenantId, this.tenants)))
      .limit(1);
    return row ?? null;
  }

  /** Current versions of the variables matching the filter, ordered by name then id. */
  async listVariables(
    filter: VariableFilter,
    after: { name: string; id: string } | null,
    limit: number,
  ): Promise<Page<VariableRecord, { name: string; id: string }>> {
    const conditions: Array<SQL | undefined> = [inArray(variables.tenantId, this.tenants), isNull(variables.validTo)];
    if (filter.category !== undefined) conditions.push(eq(variableCategories.slug, filter.category));
    if (filter.system !== undefined || filter.code !== undefined) {
      conditions.push(this.hasCode(filter.system, filter.code));
    }
    if (filter.q !== undefined) {
      const pattern = likePattern(filter.q);
      conditions.push(
        or(
          ilike(variables.name, pattern),
          ilike(variables.slug, pattern),
          sql`exists (select 1 from unnest(${variables.synonyms}) s where s ilike ${pattern})`,
          this.hasCode(undefined, filter.q),
        ),
      );
    }
    if (after) conditions.push(sql`(${variables.name}, ${variables.id}) > (${after.name}, ${after.id}::uuid)`);

    const rows = await this.db
      .select(variableColumns)
      .from(variables)
      .innerJoin(variableCategories, eq(variableCategories.id, variables.categoryId))
      .where(and(...conditions))
      .orderBy(asc(variables.name), asc(variables.id))
      .limit(limit + 1);
    const page = paginate(rows, limit, (r) => ({ name: r.name, id: r.id }));
    return { rows: await this.withCodes(page.rows), nextKey: page.nextKey };
  }

  /**
   * One variable: its current version, a given version, or the version in force at an instant.
   * Returns null when no such variable (or version) is visible to the tenant.
   */
  async getVariable(id: string, at: { version?: number; instant?: Date } = {}): Promise<VariableRecord | null> {
    const conditions: Array<SQL | undefined> = [eq(variables.id, id), inArray(variables.tenantId, this.tenants)];
    if (at.version !== undefined) {
      conditions.push(eq(variables.version, at.version));
    } else if (at.instant !== undefined) {
      conditions.push(
        lte(variables.validFrom, at.instant),
        or(isNull(variables.validTo), gt(variables.validTo, at.instant)),
      );
    } else {
      conditions.push(isNull(variables.validTo));
    }
    const rows = await this.db
      .select(variableColumns)
      .from(variables)
      .innerJoin(variableCategories, eq(variableCategories.id, variables.categoryId))
      .where(and(...conditions))
      .limit(1);
    const [withCodes] = await this.withCodes(rows);
    return withCodes ?? null;
  }

  /**
   * Current definitions of the variables named by id or by coding, for ingestion. Codes of the caller's
   * tenant (local lab codes) are found beside the platform's.
   */
  /**
   * Every current variable visible to the tenant with the labels a file's column or type name may use:
   * name, slug, synonyms and codes (for mappers that match labels, e.g. CSV headers).
   */
  async variableLabels(): Promise<
    Array<{ id: string; slug: string; name: string; canonicalUnit: string | null; synonyms: string[]; codes: string[] }>
  > {
    const result = await this.db.execute<{
      id: string;
      slug: string;
      name: string;
      canonical_unit: string | null;
      synonyms: string[];
      codes: string[] | null;
    }>(sql`
      select v.id, v.slug, v.name, v.canonical_unit, v.synonyms,
             (select array_agg(c.code) from ${variableCodes} c
              where c.variable_id = v.id and c.tenant_id = any(${sql.param(this.tenants)}::uuid[])) as codes
      from ${variables} v
      where v.tenant_id = any(${sql.param(this.tenants)}::uuid[]) and v.valid_to is null
      order by (v.tenant_id = ${SYSTEM_TENANT_ID}::uuid), v.name`);
    return result.rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      canonicalUnit: r.canonical_unit,
      synonyms: r.synonyms,
      codes: r.codes ?? [],
    }));
  }

  /** A `VariableLookup` (for mappers) over `variableLabels()`: the tenant's own variables win ties. */
  async labelLookup(): Promise<VariableLookup> {
    const byLabel = new Map<string, VariableMatch>();
    for (const v of await this.variableLabels()) {
      for (const label of [v.name, v.slug, ...v.synonyms, ...v.codes]) {
        const key = normalizeLabel(label);
        if (key !== "" && !byLabel.has(key))
          byLabel.set(key, { id: v.id, name: v.name, canonicalUnit: v.canonicalUnit });
      }
    }
    return { byLabel: (label) => byLabel.get(normalizeLabel(label)) ?? null };
  }

  async resolveVariables(
    ids: readonly string[],
    codings: ReadonlyArray<{ system: string; code: string }>,
  ): Promise<{ byId: Map<string, ResolvedVariable>; byCoding: Map<string, ResolvedVariable> }> {
    const codeRows =
      codings.length === 0
        ? []
        : await this.db
            .select({ system: variableCodes.system, code: variableCodes.code, variableId: variableCodes.variableId })
            .from(variableCodes)
            .where(
              and(
                inArray(variableCodes.tenantId, this.tenants),
                sql`(${variableCodes.system}, ${variableCodes.code}) in (${sql.join(
                  codings.map((c) => sql`(${c.system}, ${c.code})`),
                  sql`, `,
                )})`,
              ),
            );
    const wanted = [...new Set([...ids, ...codeRows.map((r) => r.variableId)])];
    const defs =
      wanted.length === 0
        ? []
        : await this.db
            .select({
              id: variables.id,
              version: variables.version,
              valueType: variables.valueType,
              canonicalUnit: variables.canonicalUnit,
              validMin: variables.validMin,
              validMax: variables.validMax,
              rangeSeverity: variables.rangeSeverity,
              molecularWeight: variables.molecularWeight,
            })
            .from(variables)
            .where(
              and(inArray(variables.id, wanted), inArray(variables.tenantId, this.tenants), isNull(variables.validTo)),
            );
    const byId = new Map(defs.map((d) => [d.id, d]));
    const byCoding = new Map<string, ResolvedVariable>();
    for (const row of codeRows) {
      const def = byId.get(row.variableId);
      if (def) byCoding.set(codingKey(row.system, row.code), def);
    }
    return { byId, byCoding };
  }

  /** Every version of a variable, oldest first. */
  async listVersions(id: string) {
    return this.db
      .select({ version: variables.version, validFrom: variables.validFrom, validTo: variables.validTo })
      .from(variables)
      .where(and(eq(variables.id, id), inArray(variables.tenantId, this.tenants)))
      .orderBy(asc(variables.version));
  }

  async listUnits(
    filter: { q?: string },
    after: { rank: number; code: string } | null,
    limit: number,
  ): Promise<Page<typeof units.$inferSelect & { rank: number }, { rank: number; code: string }>> {
    // Rank: exact code (case-insensitive) first, then code prefix, then common units, then the rest.
    const q = filter.q;
    const rank =
      q === undefined
        ? sql<number>`case when ${units.isCommon} then 2 else 3 end`
        : sql<number>`case when lower(${units.code}) = lower(${q}) then 0
            when ${units.code} ilike ${`${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} then 1
            when ${units.isCommon} then 2 else 3 end`;
    const inner = this.db
      .select({
        tenantId: units.tenantId,
        code: units.code,
        name: units.name,
        property: units.property,
        dimension: units.dimension,
        isCommon: units.isCommon,
        isBase: units.isBase,
        synonyms: units.synonyms,
        createdAt: units.createdAt,
        rank: rank.as("rank"),
      })
      .from(units)
      .where(
        and(
          inArray(units.tenantId, this.tenants),
          q === undefined
            ? undefined
            : or(
                ilike(units.code, likePattern(q)),
                ilike(units.name, likePattern(q)),
                sql`exists (select 1 from unnest(${units.synonyms}) s where s ilike ${likePattern(q)})`,
              ),
        ),
      )
      .as("u");
    const rows = await this.db
      .select()
      .from(inner)
      .where(after ? sql`(${inner.rank}, ${inner.code}) > (${after.rank}, ${after.code})` : undefined)
      .orderBy(asc(inner.rank), asc(inner.code))
      .limit(limit + 1);
    return paginate(rows, limit, (r) => ({ rank: r.rank, code: r.code }));
  }

  /** `EXISTS` a visible code of the variable in `system` (any, if undefined) equal to `code` (any, if undefined). */
  private hasCode(system: string | undefined, code: string | undefined): SQL {
    return exists(
      this.db
        .select({ one: sql`1` })
        .from(variableCodes)
        .where(
          and(
            eq(variableCodes.variableId, variables.id),
            inArray(variableCodes.tenantId, this.tenants),
            system !== undefined ? eq(variableCodes.system, system) : undefined,
            code !== undefined ? eq(variableCodes.code, code) : undefined,
          ),
        ),
    );
  }

  private async withCodes(rows: Array<Omit<VariableRecord, "codes">>): Promise<VariableRecord[]> {
    if (rows.length === 0) return [];
    const codes = await this.db
      .select({
        variableId: variableCodes.variableId,
        system: variableCodes.system,
        code: variableCodes.code,
        display: variableCodes.display,
        isPreferred: variableCodes.isPreferred,
      })
      .from(variableCodes)
      .where(
        and(
          inArray(
            variableCodes.variableId,
            rows.map((r) => r.id),
          ),
          inArray(variableCodes.tenantId, this.tenants),
        ),
      )
      .orderBy(sql`${variableCodes.isPreferred} desc`, asc(variableCodes.system), asc(variableCodes.code));
    const byVariable = new Map<string, VariableCode[]>();
    for (const { variableId, ...code } of codes) {
      const list = byVariable.get(variableId) ?? [];
      list.push(code);
      byVariable.set(variableId, list);
    }
    return rows.map((r) => ({ ...r, codes: byVariable.get(r.id) ?? [] }));
  }
}

function paginate<T, K>(rows: T[], limit: number, keyOf: (row: T) => K): Page<T, K> {
  if (rows.length <= limit) return { rows, nextKey: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextKey: last === undefined ? null : keyOf(last) };
}

/** A tenant's own code → variable mappings (local lab codes and the like), kept in `variable_codes`. */
export interface CodeMapping {
  system: string;
  code: string;
  variableId: string;
  display: string | null;
  createdAt: Date;
}

/** The tenant's local code mappings, by system and code. */
export async function listCodeMappings(db: Database, tenantId: string): Promise<CodeMapping[]> {
  return db
    .select({
      system: variableCodes.system,
      code: variableCodes.code,
      variableId: variableCodes.variableId,
      display: variableCodes.display,
      createdAt: variableCodes.createdAt,
    })
    .from(variableCodes)
    .where(eq(variableCodes.tenantId, tenantId))
    .orderBy(asc(variableCodes.system), asc(variableCodes.code));
}

/**
 * Maps a code of the tenant to a variable (replacing an earlier mapping of the same code). Codes the
 * platform already knows (the system tenant's) cannot be remapped: the result would differ per tenant.
 */
export async function putCodeMapping(
  db: Database,
  tenantId: string,
  m: { system: string; code: string; variableId: string; display: string | null },
): Promise<"saved" | "platform_code"> {
  if (tenantId === SYSTEM_TENANT_ID) return "platform_code";
  const [platform] = await db
    .select({ code: variableCodes.code })
    .from(variableCodes)
    .where(
      and(
        eq(variableCodes.tenantId, SYSTEM_TENANT_ID),
        eq(variableCodes.system, m.system),
        eq(variableCodes.code, m.code),
      ),
    )
    .limit(1);
  if (platform) return "platform_code";
  await db
    .insert(variableCodes)
    .values({ tenantId, system: m.system, code: m.code, variableId: m.variableId, display: m.display })
    .onConflictDoUpdate({
      target: [variableCodes.tenantId, variableCodes.system, variableCodes.code],
      set: { variableId: m.variableId, display: m.display },
    });
  return "saved";
}

export async function deleteCodeMapping(db: Database, tenantId: string, system: string, code: string) {
  const deleted = await db
    .delete(variableCodes)
    .where(and(eq(variableCodes.tenantId, tenantId), eq(variableCodes.system, system), eq(variableCodes.code, code)))
    .returning({ code: variableCodes.code });
  return deleted.length > 0;
}
