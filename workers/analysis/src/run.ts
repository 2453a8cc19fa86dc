/**
 * One run of one analysis (issue 14, docs/plugins.md "Running analyses"):
 *
 *   1. claim run n (a run that already finished is not done again: redeliveries change nothing);
 *   2. resolve the plugin from the tenant's registry (enabled, kind `analysis`) and connect to it with the
 *      manifest stored at registration (@dfda/plugins `connectPlugin`: inputs and outputs schema-checked,
 *      time and size limits enforced);
 *   3. `plan(input)`, then the table from the person's grants to that plugin alone (`pluginData`); a plan
 *      naming data the grants do not cover ends the run `consent_required` before anything is sent;
 *   4. `run({input, table})`, and the result stored with the plugin version and the data window it saw.
 *
 * A failure the plugin or the person's grants cause is final for this run (the analysis is `failed` with a
 * problem); one of the platform's own (the database, a plugin Worker not reachable just now) is thrown, so
 * the queue retries the message.
 */
import { ERROR_CODES, type ErrorCode } from "@dfda/core";
import type { Database } from "@dfda/db";
import {
  type AnalysisRow,
  claimRun,
  enabledPlugin,
  failRun,
  finishRun,
  reportProgress,
} from "@dfda/db/repositories/analyses";
import { recordAudit } from "@dfda/db/repositories/audit";
import { PluginDataRefused, pluginData } from "@dfda/db/repositories/plugin-data";
import { type AlignedTable, connectPlugin, endpointOf, PluginCallError, PluginManifest } from "@dfda/plugins";

/** The parts of the queued message a run needs (`AnalysisMessage` in @dfda/core). */
export interface RunMessage {
  analysis_id: string;
  tenant_id: string;
  user_id: string;
  run: number;
}

export type RunOutcome =
  | { outcome: "skipped" }
  | { outcome: "succeeded"; columns: number; buckets: number }
  | { outcome: "failed"; code: string };

/**
 * A problem as stored on the analysis (RFC 9457 members). `type` is a relative reference to the API's
 * problem page (RFC 9457 §3.1.1 allows it: it resolves against the analysis's URL).
 */
export function storedProblem(
  code: ErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Record<string, unknown> {
  const def = ERROR_CODES[code];
  return { ...extensions, type: `/problems/${code}`, title: def.title, status: def.status, detail, code };
}

/** Plugin failures that retrying later may cure (its Worker not deployed or not answering just now). */
const TRANSIENT: ReadonlySet<string> = new Set(["plugin_unreachable"]);

/**
 * Signing HTTPS requests needs the platform's token-signing key, which only the API Worker holds: an
 * analysis plugin registered by URL is refused here (docs/plugins.md says so) rather than called unsigned.
 */
async function noHttpsSigner(): Promise<Record<string, string>> {
  throw new PluginCallError(
    "plugin_unreachable",
    "Analysis plugins are run over service bindings; this plugin is registered by URL.",
  );
}

/**
 * Runs run `message.run` of the analysis. `env` holds the plugins' service bindings (`PLUGIN_*`).
 *
 * @example
 * await withDb((db) => runAnalysis(env, db, message));
 */
export async function runAnalysis(
  env: object,
  db: Database,
  message: RunMessage,
  now: () => Date = () => new Date(),
): Promise<RunOutcome> {
  const owner = { tenantId: message.tenant_id, userId: message.user_id };
  const row = await claimRun(db, { ...owner, id: message.analysis_id, run: message.run, now: now() });
  if (row === null) return { outcome: "skipped" };
  const fail = async (code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}) => {
    await failRun(db, {
      tenantId: row.tenantId,
      id: row.id,
      run: message.run,
      problem: storedProblem(code, detail, extensions),
      now: now(),
    });
    await audit(db, row, "failure", { code, run: message.run });
    return { outcome: "failed", code } as const;
  };

  const plugin = await enabledPlugin(db, row.tenantId, row.pluginId);
  const manifest = plugin === null ? null : PluginManifest.safeParse(plugin.manifest);
  if (plugin === null || plugin.kind !== "analysis" || manifest === null || !manifest.success) {
    return fail("not_found", `The analysis plugin ${row.pluginId} is no longer enabled in this organisation.`);
  }
  if (plugin.serviceBinding === null) {
    // Final, not retried: no retry would give this Worker the key to sign with (see noHttpsSigner).
    return fail(
      "plugin_unreachable",
      `The plugin ${row.pluginId} is registered by URL; analyses run plugins reached by a service binding.`,
    );
  }
  if (!/^PLUGIN_[A-Z0-9_]{1,60}$/.test(plugin.serviceBinding)) {
    return fail("plugin_unreachable", `The plugin ${row.pluginId} is registered with a binding that is no plugin's.`);
  }
  const client = connectPlugin(endpointOf(plugin, env, noHttpsSigner), manifest.data);

  let table: AlignedTable;
  let dataThrough: Date | null;
  let grantIds: string[];
  try {
    const plan = await client.plan(row.input);
    await reportProgress(db, { tenantId: row.tenantId, id: row.id, run: message.run, progress: 0.1 });
    ({ table, dataThrough, grantIds } = await pluginData(db, {
      ...owner,
      pluginSlug: row.pluginId,
      plan,
      now: now(),
    }));
    await reportProgress(db, { tenantId: row.tenantId, id: row.id, run: message.run, progress: 0.4 });
  } catch (error) {
    if (error instanceof PluginDataRefused) {
      return error.code === "consent_required"
        ? fail("consent_required", error.message, { variables: error.variables, reason: error.reason })
        : fail("validation_failed", error.message, { variables: error.variables });
    }
    if (error instanceof PluginCallError && !TRANSIENT.has(error.code)) {
      return fail(error.code, error.message, error.errors === undefined ? {} : { errors: error.errors });
    }
    throw error;
  }

  let result: unknown;
  try {
    result = await client.run({ protocol: 1, input: row.input, table });
  } catch (error) {
    if (error instanceof PluginCallError && !TRANSIENT.has(error.code)) {
      return fail(error.code, error.message, error.errors === undefined ? {} : { errors: error.errors });
    }
    throw error;
  }
  await finishRun(db, {
    tenantId: row.tenantId,
    id: row.id,
    run: message.run,
    result,
    pluginVersion: manifest.data.version,
    dataFrom: new Date(table.start),
    dataTo: new Date(table.end),
    dataThrough,
    now: now(),
  });
  // What the plugin was handed, for the person's access log: which grants, which variables (never values).
  await audit(db, row, "success", {
    run: message.run,
    plugin_version: manifest.data.version,
    grant_ids: grantIds,
    variables: table.columns.map((c) => c.slug),
    data_from: table.start,
    data_to: table.end,
  });
  return { outcome: "succeeded", columns: table.columns.length, buckets: table.times.length };
}

function audit(db: Database, row: AnalysisRow, outcome: "success" | "failure", details: Record<string, unknown>) {
  return recordAudit(db, {
    tenantId: row.tenantId,
    action: "analysis.run",
    outcome,
    subjectUserId: row.userId,
    resourceType: "analysis",
    resourceId: row.id,
    details: { plugin: row.pluginId, ...details },
  });
}
