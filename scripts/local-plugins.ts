/**
 * `npm start` registers the plugins the API Worker binds (root wrangler.toml `[[services]]` named
 * `PLUGIN_*`: the N-of-1 analysis and the charts) in the development tenant, so a newcomer can grant and
 * run them at once (docs/plugins.md, "The registry"). What `POST /v1/admin/plugins` does with the manifest
 * a plugin's `describe()` answers, this does with the manifest in the plugin's source (the same value its
 * `describe()` returns), because the Workers are not running yet when the database is prepared: validated
 * with `PluginManifest`, stored with `upsertPlugin`, audited. A plugin an administrator disabled stays
 * disabled.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { connect } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findTenantBySlug } from "@dfda/db/repositories/identity";
import { findPlugin, upsertPlugin } from "@dfda/db/repositories/plugins";
import { PluginManifest } from "@dfda/plugins";
import { parse as parseToml } from "smol-toml";

/**
 * A wrangler.toml's top level, read as TOML 1.0. Not wrangler's `experimental_readRawConfig`: importing
 * wrangler's API installs its CLI's SIGTERM handler (cleanup, then `process.exit()`), which would end
 * `npm start` before it stops wrangler and the database (scripts/start.ts, `stop`).
 */
function wranglerToml(file: string): { name?: unknown; services?: unknown } {
  return parseToml(readFileSync(file, "utf8"));
}

const ServiceBinding = (value: unknown): value is { binding: string; service: string } =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { binding?: unknown }).binding === "string" &&
  typeof (value as { service?: unknown }).service === "string";

/** A service binding of the API Worker that names a plugin Worker. */
export interface PluginService {
  binding: string;
  /** The Worker's name (its wrangler.toml `name`). */
  service: string;
}

/** The API's `PLUGIN_*` service bindings (the top level of the root wrangler.toml: the local configuration). */
export function pluginServices(root: string): PluginService[] {
  const { services } = wranglerToml(join(root, "wrangler.toml"));
  return (Array.isArray(services) ? services : [])
    .filter(ServiceBinding)
    .filter((s) => /^PLUGIN_[A-Z0-9_]+$/.test(s.binding))
    .map((s) => ({ binding: s.binding, service: s.service }));
}

/** Modules of a plugin's source that may hold its manifest, in the order they are tried. */
const MANIFEST_MODULES = ["src/manifest.ts", "src/contract.ts"];

/**
 * The manifest of the plugin Worker named `service`: the folder under plugins/ whose wrangler.toml has
 * that name, and in it the first exported value of `src/manifest.ts` (or `src/contract.ts`) that is a
 * valid manifest. Throws with the reason when there is none.
 */
export async function pluginManifest(
  root: string,
  service: string,
): Promise<{ folder: string; manifest: PluginManifest }> {
  const plugins = join(root, "plugins");
  const folder = readdirSync(plugins, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(plugins, entry.name, "wrangler.toml")))
    .map((entry) => entry.name)
    .find((name) => wranglerToml(join(plugins, name, "wrangler.toml")).name === service);
  if (folder === undefined) throw new Error(`no plugins/*/wrangler.toml names the Worker ${service}`);
  for (const module of MANIFEST_MODULES) {
    const file = join(plugins, folder, module);
    if (!existsSync(file)) continue;
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      const parsed = PluginManifest.safeParse(value);
      if (parsed.success) return { folder, manifest: parsed.data };
    }
  }
  throw new Error(`plugins/${folder} exports no valid manifest from ${MANIFEST_MODULES.join(" or ")}`);
}

/**
 * Registers each plugin of `services` in the tenant `tenantSlug`; a plugin whose source or manifest is not
 * there is logged and skipped (the API answers `plugin_unreachable` for it until it is built and
 * registered). One already registered exactly so is left alone. Returns the ids registered now.
 */
export async function registerLocalPlugins(
  databaseUrl: string,
  tenantSlug: string,
  options: { root: string; services?: PluginService[]; log?: (line: string) => void },
): Promise<string[]> {
  const log = options.log ?? (() => {});
  const services = options.services ?? pluginServices(options.root);
  const handle = await connect(databaseUrl, { applicationName: "dfda-start" });
  const registered: string[] = [];
  try {
    const tenant = await findTenantBySlug(handle.db, tenantSlug);
    if (!tenant) throw new Error(`no tenant ${tenantSlug}`);
    for (const { binding, service } of services) {
      let found: { folder: string; manifest: PluginManifest };
      try {
        found = await pluginManifest(options.root, service);
      } catch (error) {
        log(`plugin ${binding}: not registered (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      const { manifest } = found;
      const existing = await findPlugin(handle.db, tenant.id, manifest.id);
      if (
        existing !== null &&
        existing.serviceBinding === binding &&
        // jsonb keeps its own key order: compared as values, as JSON would carry them.
        isDeepStrictEqual(existing.manifest, JSON.parse(JSON.stringify(manifest)))
      ) {
        continue; // Registered as it is: no new audit entry on every start.
      }
      await handle.db.transaction(async (tx) => {
        const { previousVersion } = await upsertPlugin(tx, tenant.id, {
          slug: manifest.id,
          name: manifest.name,
          kind: manifest.kind,
          version: manifest.version,
          serviceBinding: binding,
          url: null,
          manifest,
          registeredBy: null,
        });
        await recordAudit(tx, {
          tenantId: tenant.id,
          action: "admin.plugin.register",
          outcome: "success",
          resourceType: "plugin",
          resourceId: manifest.id,
          details: {
            version: manifest.version,
            previous_version: previousVersion,
            service_binding: binding,
            by: "npm start",
          },
        });
      });
      registered.push(manifest.id);
      log(`plugin ${manifest.id} ${manifest.version} registered in tenant "${tenantSlug}" (binding ${binding})`);
    }
  } finally {
    await handle.close();
  }
  return registered;
}
