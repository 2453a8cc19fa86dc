/**
 * The mapper Worker's config: its vars and secret (wrangler.toml, worker-configuration.d.ts), parsed
 * once per environment at the top of `queue()`; a batch that meets a bad setting is retried, not lost.
 */
import { PipelineEnv, parseConfig, pipelineSettingsOf } from "@dfda/core";
import { MasterKeysEnv, masterKeysOf } from "@dfda/vault";
import type { MapperEnv } from "../worker-configuration";

export const WORKER = "dfda-mapper";

export const MapperConfigSchema = MasterKeysEnv.extend(PipelineEnv.shape).transform((env, ctx) => ({
  masterKeys: masterKeysOf(env, ctx),
  pipeline: pipelineSettingsOf(env),
}));

/** The parsed config of `env` (parsed once; ConfigError when it does not parse). */
export function mapperConfig(env: MapperEnv) {
  return parseConfig(WORKER, MapperConfigSchema, env);
}
