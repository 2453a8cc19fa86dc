/**
 * The deployed environments of every Worker config (docs/operations.md, Environments). Wrangler does not
 * inherit bindings or vars into a named environment
 * (https://developers.cloudflare.com/workers/wrangler/environments/): a binding added at the top level
 * (the local configuration) and forgotten in `staging` or `production` would deploy a Worker without it.
 * So each environment must have exactly the top level's bindings, vars and secrets, each pointing at the
 * environment's own resource (`dfda-<environment>-…`, the writers of `dfda-ingest-<environment>`).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { experimental_readRawConfig, type Unstable_RawEnvironment } from "wrangler";
import { workerConfigs } from "../../scripts/start";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENVIRONMENTS = ["staging", "production"] as const;

/**
 * What an environment binds, as `kind:name → resource`, with the environment's own resource names
 * mapped back to the local ones (`dfda-production-files` → `dfda-files`, `dfda-ingest-production` →
 * `dfda-ingest`), so the two sides compare equal exactly when every binding points at its counterpart.
 */
function bindings(section: Unstable_RawEnvironment, env?: string): Record<string, string> {
  const local = (name: string | undefined) => {
    if (name === undefined || env === undefined) return String(name);
    if (name.startsWith(`dfda-${env}-`)) return `dfda-${name.slice(`dfda-${env}-`.length)}`;
    if (name.endsWith(`-${env}`)) return name.slice(0, -`-${env}`.length);
    return `${name} (not a resource of ${env})`;
  };
  const out: Record<string, string> = {};
  for (const key of Object.keys(section.vars ?? {})) out[`var:${key}`] = "";
  for (const name of section.secrets?.required ?? []) out[`secret:${name}`] = "";
  for (const b of section.r2_buckets ?? []) out[`r2:${b.binding}`] = local(b.bucket_name);
  for (const b of section.queues?.producers ?? []) out[`producer:${b.binding}`] = local(b.queue);
  for (const c of section.queues?.consumers ?? []) {
    out[`consumer:${local(c.queue)}`] =
      `dlq ${c.dead_letter_queue === undefined ? "none" : local(c.dead_letter_queue)}, batch ${c.max_batch_size}, retries ${c.max_retries}`;
  }
  for (const b of section.hyperdrive ?? []) out[`hyperdrive:${b.binding}`] = "";
  for (const b of section.durable_objects?.bindings ?? []) {
    out[`do:${b.name}`] = `${b.class_name} in ${b.script_name === undefined ? "this Worker" : local(b.script_name)}`;
  }
  for (const b of section.services ?? []) out[`service:${b.binding}`] = `${local(b.service)} ${b.entrypoint ?? ""}`;
  for (const b of section.ratelimits ?? []) out[`ratelimit:${b.name}`] = JSON.stringify(b.simple);
  for (const b of section.analytics_engine_datasets ?? []) out[`analytics:${b.binding}`] = local(b.dataset);
  for (const b of section.kv_namespaces ?? []) out[`kv:${b.binding}`] = "";
  for (const b of section.d1_databases ?? []) out[`d1:${b.binding}`] = "";
  return out;
}

describe.each(workerConfigs(ROOT))("%s", (config) => {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, config) });

  it.each(ENVIRONMENTS)("has a %s environment binding its own resources, one for each local binding", (env) => {
    const section = rawConfig.env?.[env];
    expect(section, `[env.${env}] is missing`).toBeDefined();
    if (section === undefined) return;
    expect(bindings(section, env)).toEqual(bindings(rawConfig));
  });

  it.each(ENVIRONMENTS)("keeps the local vars and Cron schedules in %s, but for ENVIRONMENT", (env) => {
    const section = rawConfig.env?.[env] ?? {};
    const { ENVIRONMENT, ...vars } = section.vars ?? {};
    const { ENVIRONMENT: localEnvironment, ...localVars } = rawConfig.vars ?? {};
    expect(vars).toEqual(localVars);
    if (localEnvironment !== undefined) expect(ENVIRONMENT).toBe(env);
    // Triggers are inherited; where restated they must not drift from the local schedule.
    expect((section.triggers ?? rawConfig.triggers)?.crons).toEqual(rawConfig.triggers?.crons);
    const keyRotation = section.vars?.KEY_ROTATION_CRON;
    if (keyRotation !== undefined) expect(section.triggers?.crons).toContain(keyRotation);
  });
});

it("gives each environment its own rate-limit namespaces", () => {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, "wrangler.toml") });
  const sections: Unstable_RawEnvironment[] = [rawConfig, ...ENVIRONMENTS.map((env) => rawConfig.env?.[env] ?? {})];
  const ids = sections.flatMap((section) => (section.ratelimits ?? []).map((limiter) => limiter.namespace_id));
  expect(ids.length).toBeGreaterThan(0);
  expect(new Set(ids).size).toBe(ids.length);
});
