/**
 * The ingest Worker's config: its vars and secret (wrangler.toml, worker-configuration.d.ts), parsed
 * once per environment at the top of `queue()`; a batch that meets a bad setting is retried, not lost.
 */
import { intVar, PipelineEnv, parseConfig, pipelineSettingsOf } from "@dfda/core";
import { MasterKeysEnv, masterKeysOf } from "@dfda/vault";
import type { IngestEnv } from "../worker-configuration";

export const WORKER = "dfda-ingest";

export const IngestConfigSchema = MasterKeysEnv.extend({
  ...PipelineEnv.shape,
  /** How many messages of a queue batch are processed at once (see wrangler.toml). */
  INGEST_CONCURRENCY: intVar(4, 1, 100),
}).transform((env, ctx) => ({
  masterKeys: masterKeysOf(env, ctx),
  concurrency: env.INGEST_CONCURRENCY,
  pipeline: pipelineSettingsOf(env),
}));

/** The parsed config of `env` (parsed once; ConfigError when it does not parse). */
export function ingestConfig(env: IngestEnv) {
  return parseConfig(WORKER, IngestConfigSchema, env);
}
