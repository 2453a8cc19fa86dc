import { SYSTEM_TENANT_ID } from "@dfda/core";
import { ReferenceRepository, type VariableRecord } from "@dfda/db/repositories/reference";
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { principalTenant } from "./auth";
import type { VariableSchema } from "./schemas";
import type { AppEnv } from "./types";

/** The reference-data repository scoped to the caller's tenant. */
export async function referenceRepository(c: Context<AppEnv>): Promise<ReferenceRepository> {
  return new ReferenceRepository(await c.var.db(), { tenantId: principalTenant(c.var.principal) ?? SYSTEM_TENANT_ID });
}

export function toVariableResponse(v: VariableRecord): z.infer<typeof VariableSchema> {
  return {
    id: v.id,
    version: v.version,
    slug: v.slug,
    name: v.name,
    category: v.category,
    value_type: v.valueType,
    canonical_unit: v.canonicalUnit,
    valid_min: v.validMin,
    valid_max: v.validMax,
    range_severity: v.rangeSeverity,
    molecular_weight: v.molecularWeight,
    is_input_factor: v.isInputFactor,
    is_outcome: v.isOutcome,
    combination_operation: v.combinationOperation,
    synonyms: v.synonyms,
    description: v.description,
    codes: v.codes.map((code) => ({
      system: code.system,
      code: code.code,
      display: code.display,
      preferred: code.isPreferred,
    })),
    valid_from: v.validFrom.toISOString(),
    valid_to: v.validTo === null ? null : v.validTo.toISOString(),
    scope: v.tenantId === SYSTEM_TENANT_ID ? "platform" : "tenant",
  };
}
