/**
 * The connectors Worker's config: its vars and secrets (wrangler.toml, worker-configuration.d.ts),
 * parsed once per environment at the top of `queue()` and `scheduled()`; a batch that meets a bad
 * setting is retried, not lost.
 */
import { ConnectorsEnv, connectorSettingsOf } from "@dfda/connectors";
import { intVar, PipelineEnv, parseConfig, pipelineSettingsOf } from "@dfda/core";
import { MasterKeysEnv, masterKeysOf } from "@dfda/vault";

export const WORKER = "dfda-connectors";

export const ConnectorsConfigSchema = MasterKeysEnv.extend(PipelineEnv.shape)
  .extend(ConnectorsEnv.shape)
  .extend({
    /** Minutes between two scheduled syncs of one connection (default 60; at least 5, at most a week). */
    SYNC_INTERVAL_MINUTES: intVar(60, 5, 10_080),
    /** Connections the Cron queues per run, at most (default 1000). */
    SYNC_BATCH: intVar(1000, 1, 100_000),
  })
  .transform((env, ctx) => ({
    masterKeys: masterKeysOf(env, ctx),
    pipeline: pipelineSettingsOf(env),
    connectors: connectorSettingsOf(env),
    syncIntervalMs: env.SYNC_INTERVAL_MINUTES * 60_000,
    syncBatch: env.SYNC_BATCH,
  }));

export type ConnectorsConfig = ReturnType<typeof connectorsConfig>;

/** The parsed config of `env` (parsed once; ConfigError when it does not parse). */
export function connectorsConfig(env: object) {
  return parseConfig(WORKER, ConnectorsConfigSchema, env);
}
