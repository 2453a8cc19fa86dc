/**
 * The I/O around the one validation path every source goes through: observations in the canonical
 * input shape (from the JSON API, or mapped from a file) are resolved against the reference data
 * (variables, sources, the tenant's settings), normalized and checked (`normalizeBatch`, pure, in
 * @dfda/ingest), compared with the person's history (`markOutliers`), and turned into the rows and
 * issues the person's writer stores. The ingest consumer calls it per queued batch, the mapper Worker
 * per batch of a mapped file.
 */
import {
  type IngestIssue,
  type NormalizedRow,
  type ObservationInput,
  type PipelineSettings,
  RANGE_SEVERITIES,
  type RangeSeverity,
} from "@dfda/core";
import type { Database } from "@dfda/db";
import { findTenant } from "@dfda/db/repositories/identity";
import { sourcesBySlug } from "@dfda/db/repositories/ingest";
import { historyStats } from "@dfda/db/repositories/observations";
import { codingKey, ReferenceRepository } from "@dfda/db/repositories/reference";
import { type Issue, markOutliers, normalizeBatch, type ObservationItem } from "@dfda/ingest";

export interface PipelineTarget {
  tenant_id: string;
  user_id: string;
  /** Source id used for items that name no source. */
  default_source_id: string;
  /** The writing client: an item may name only a source bound to no client or to this one. */
  client_id: string | null;
}

export interface PreparedWrite {
  rows: NormalizedRow[];
  issues: IngestIssue[];
  counts: { rejected: number; duplicates_in_batch: number; flagged: number; outliers: number };
}

/**
 * Per-tenant overrides of a variable's range severity: `tenants.settings.range_severity` maps variable
 * ids to `log`, `flag` or `reject` (e.g. a clinical trial that rejects implausible values outright).
 */
function rangeOverrides(
  settings: Record<string, unknown> | undefined,
): (variableId: string) => RangeSeverity | undefined {
  const raw = settings?.range_severity;
  const map = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  return (variableId) => {
    const value = map[variableId];
    return RANGE_SEVERITIES.find((s) => s === value);
  };
}

/**
 * Validates and normalizes a batch. `locate(i)` names where item i came from in issues
 * (`observations[i]` for the API, `line 12` or `$.entry[3]` for a file); `indexBase` offsets item
 * indexes (a file's later batches).
 */
export async function prepareWrite(
  db: Database,
  settings: PipelineSettings,
  target: PipelineTarget,
  inputs: readonly ObservationInput[],
  locate: (index: number) => string,
  indexBase = 0,
): Promise<PreparedWrite> {
  const repo = new ReferenceRepository(db, { tenantId: target.tenant_id });
  const ids = inputs.flatMap((o) => (typeof o.variable === "string" ? [o.variable] : []));
  const seen = new Set<string>();
  const codings = inputs.flatMap((o) => {
    if (typeof o.variable === "string") return [];
    const key = codingKey(o.variable.system, o.variable.code);
    if (seen.has(key)) return [];
    seen.add(key);
    return [o.variable];
  });
  const { byId, byCoding } = await repo.resolveVariables([...new Set(ids)], codings);
  const sourceIds = await sourcesBySlug(
    db,
    target.tenant_id,
    inputs.flatMap((o) => (o.source === undefined ? [] : [o.source])),
    target.client_id,
  );

  // Resolution issues are the pipeline's own, beside the normalizer's closed set of codes.
  const unresolved: Array<Omit<Issue, "code"> & { code: "unknown_variable" | "source_not_permitted" }> = [];
  const items: ObservationItem[] = [];
  inputs.forEach((o, index) => {
    const variable =
      typeof o.variable === "string"
        ? byId.get(o.variable)
        : byCoding.get(codingKey(o.variable.system, o.variable.code));
    if (!variable) {
      const name = typeof o.variable === "string" ? o.variable : `${o.variable.system}|${o.variable.code}`;
      unresolved.push({ index, code: "unknown_variable", severity: "error", message: `No variable ${name} is known.` });
      return;
    }
    // A named source must be one this client may write under (sourcesBySlug leaves out another app's):
    // refused, not moved to the client's own source, so the stored provenance is never other than named.
    const sourceId = o.source === undefined ? target.default_source_id : sourceIds.get(o.source);
    if (sourceId === undefined) {
      unresolved.push({
        index,
        code: "source_not_permitted",
        severity: "error",
        message: `The source ${o.source ?? ""} belongs to another app; name your own source or none.`,
      });
      return;
    }
    items.push({
      index,
      variable,
      value: o.value,
      unit: o.unit,
      comparator: o.comparator,
      startAt: new Date(o.start_at),
      endAt: o.end_at === undefined ? undefined : new Date(o.end_at),
      sourceId,
    });
  });

  const tenant = await findTenant(db, target.tenant_id);
  const normalized = normalizeBatch(items, {
    now: new Date(),
    maxFutureSkewMs: settings.maxFutureSkewSeconds * 1000,
    rangeSeverityOverride: rangeOverrides(tenant?.settings),
  });
  const history = await historyStats(db, target.tenant_id, target.user_id, [
    ...new Set(normalized.accepted.map((a) => a.variableId)),
  ]);
  const outliers = markOutliers(normalized.accepted, history, {
    zThreshold: settings.outlierZThreshold,
    iqrMultiplier: settings.outlierIqrMultiplier,
    minHistory: settings.outlierMinHistory,
  });
  const issues: Array<Omit<Issue, "code"> & { code: string }> = [
    ...unresolved,
    ...normalized.issues,
    ...outliers.issues,
  ].sort((a, b) => a.index - b.index);

  return {
    rows: normalized.accepted.map((a) => {
      const input = inputs[a.index];
      return {
        index: indexBase + a.index,
        variable_id: a.variableId,
        variable_version: a.variableVersion,
        start_at: a.startAt.toISOString(),
        end_at: a.endAt === null ? null : a.endAt.toISOString(),
        value: a.value,
        value_text: a.valueText,
        value_code: a.valueCode,
        value_boolean: a.valueBoolean,
        unit: a.unit,
        original_value: a.originalValue,
        original_unit: a.originalUnit,
        comparator: a.comparator,
        source_id: a.sourceId,
        is_valid: a.isValid,
        is_outlier: a.isOutlier,
        note: input?.note ?? null,
        metadata: input?.metadata ?? null,
      };
    }),
    issues: issues.map((i) => ({
      index: indexBase + i.index,
      location: locate(i.index),
      code: i.code,
      severity: i.severity,
      message: i.message,
    })),
    counts: {
      rejected: normalized.rejected + unresolved.length,
      duplicates_in_batch: normalized.duplicates,
      flagged: normalized.flagged,
      outliers: outliers.outliers,
    },
  };
}
