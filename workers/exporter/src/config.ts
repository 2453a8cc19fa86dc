/**
 * The exporter Worker's config: its vars and secret (wrangler.toml, worker-configuration.d.ts), parsed
 * once per environment at the top of `queue()` and `scheduled()`; a batch that meets a bad setting is
 * retried, not lost.
 */
import { intVar, parseConfig } from "@dfda/core";
import { MasterKeysEnv, masterKeysOf } from "@dfda/vault";
import type { ExporterEnv } from "../worker-configuration";

export const WORKER = "dfda-exporter";

/** How long a finished export can be downloaded when `EXPORT_LINK_TTL_SECONDS` is unset: 24 hours. */
export const DEFAULT_LINK_TTL_SECONDS = 86_400;

export const ExporterConfigSchema = MasterKeysEnv.extend({
  /** How long a finished export can be downloaded, in seconds (at most a year). */
  EXPORT_LINK_TTL_SECONDS: intVar(DEFAULT_LINK_TTL_SECONDS, 1, 365 * 86_400),
}).transform((env, ctx) => ({ masterKeys: masterKeysOf(env, ctx), linkTtlSeconds: env.EXPORT_LINK_TTL_SECONDS }));

/** The parsed config of `env` (parsed once; ConfigError when it does not parse). */
export function exporterConfig(env: ExporterEnv) {
  return parseConfig(WORKER, ExporterConfigSchema, env);
}
