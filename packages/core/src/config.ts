/**
 * Worker configuration: each Worker parses its environment (wrangler vars and secrets) once, at its
 * entry point, with a zod schema into a typed config, so a missing or malformed setting is reported
 * there, by name, instead of failing deep inside a request or a queue message. Bindings (buckets,
 * queues, Durable Objects) stay on `env`: wrangler types them (worker-configuration.d.ts).
 */
import { z } from "zod";

/** One setting at fault: the variable's name and what is wrong (never its value: it may be a secret). */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** A Worker's environment does not parse against its config schema. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly worker: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`${worker} is not configured: ${issues.map((i) => `${i.variable}: ${i.message}`).join("; ")}`);
  }

  /** The structured log line a Worker writes when it refuses to run on this config. */
  toLog(): string {
    return JSON.stringify({ level: "error", event: "config_invalid", worker: this.worker, issues: this.issues });
  }
}

/** Parsed configs by environment object: an isolate reuses its `env`, so each is parsed once. */
const parsed = new WeakMap<object, Map<z.ZodType, unknown>>();

/**
 * The typed config of a Worker's environment; ConfigError naming every setting at fault.
 *
 * @example
 * const config = parseConfig("dfda-exporter", ExporterConfig, env); // at the top of queue()
 */
export function parseConfig<S extends z.ZodType>(worker: string, schema: S, env: object): z.output<S> {
  let byEnv = parsed.get(env);
  if (byEnv?.has(schema)) return byEnv.get(schema) as z.output<S>;
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      worker,
      result.error.issues.map((issue) => ({
        variable: issue.path.join(".") || "(environment)",
        message: issue.message,
      })),
    );
  }
  if (byEnv === undefined) {
    byEnv = new Map();
    parsed.set(env, byEnv);
  }
  byEnv.set(schema, result.data);
  return result.data;
}

/** `parseConfig`, with a ConfigError logged (`config_invalid`, the settings by name) before it is rethrown. */
export function parseConfigLogged<S extends z.ZodType>(worker: string, schema: S, env: object): z.output<S> {
  try {
    return parseConfig(worker, schema, env);
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.toLog());
    throw error;
  }
}

/**
 * A numeric var (wrangler vars are strings): `fallback` when unset or empty, else a finite number
 * accepted by `accepts`, with `expected` as the error message otherwise.
 */
function numericVar(fallback: number, accepts: (value: number) => boolean, expected: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value) || !accepts(value)) {
        ctx.addIssue({ code: "custom", message: expected });
        return z.NEVER;
      }
      return value;
    });
}

/** A whole-number var: `fallback` when unset or empty, else an integer in [min, max]. */
export function intVar(fallback: number, min: number, max: number) {
  return numericVar(
    fallback,
    (value) => Number.isInteger(value) && value >= min && value <= max,
    `Expected a whole number from ${min} to ${max}`,
  );
}

/** A number var: `fallback` when unset or empty, else a finite number of at least `min`. */
export function numberVar(fallback: number, min = 0) {
  return numericVar(fallback, (value) => value >= min, `Expected a number of at least ${min}`);
}

/** The validation pipeline's tuning, as the ingest and mapper Workers hand it to `prepareWrite`. */
export interface PipelineSettings {
  /** How far in the future an observation may start (clock skew of the sending device), in seconds. */
  maxFutureSkewSeconds: number;
  /** Outliers: robust z-score threshold against the person's own history. */
  outlierZThreshold: number;
  /** Outliers: Tukey fence multiplier of the interquartile range. */
  outlierIqrMultiplier: number;
  /** Outliers: fewest earlier values before a value can be called an outlier. */
  outlierMinHistory: number;
}

/**
 * The ingest pipeline's tuning vars, read by the ingest and mapper Workers: each is checked at the
 * entry point and parsed, with its default when unset, into `PipelineSettings` (`pipelineSettingsOf`).
 */
export const PipelineEnv = z.object({
  MAX_FUTURE_SKEW_SECONDS: numberVar(300),
  OUTLIER_Z_THRESHOLD: numberVar(4),
  OUTLIER_IQR_MULTIPLIER: numberVar(3),
  OUTLIER_MIN_HISTORY: intVar(20, 0, 1_000_000),
});

/** The parsed pipeline vars as the settings `prepareWrite` takes. */
export function pipelineSettingsOf(env: z.output<typeof PipelineEnv>): PipelineSettings {
  return {
    maxFutureSkewSeconds: env.MAX_FUTURE_SKEW_SECONDS,
    outlierZThreshold: env.OUTLIER_Z_THRESHOLD,
    outlierIqrMultiplier: env.OUTLIER_IQR_MULTIPLIER,
    outlierMinHistory: env.OUTLIER_MIN_HISTORY,
  };
}

/** Seconds a queue batch waits when its Worker is not configured: long enough for an operator to fix it. */
const UNCONFIGURED_RETRY_SECONDS = 300;

/**
 * A queue consumer's config, parsed at the top of `queue()`; when it does not parse, the settings at
 * fault are logged and the whole batch is retried later (null), so nothing is processed on a bad
 * config and nothing is acked or failed because of one.
 *
 * @example
 * const config = queueConfig("dfda-mapper", MapperConfig, env, batch);
 * if (config === null) return;
 */
export function queueConfig<S extends z.ZodType>(
  worker: string,
  schema: S,
  env: object,
  batch: { retryAll(options?: { delaySeconds?: number }): void },
): z.output<S> | null {
  try {
    return parseConfigLogged(worker, schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    batch.retryAll({ delaySeconds: UNCONFIGURED_RETRY_SECONDS });
    return null;
  }
}
