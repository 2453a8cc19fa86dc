/**
 * The plugin registry (issue 14, docs/plugins.md "The registry"): each tenant's plugins, keyed by the
 * plugin's own id (`slug`), with how the platform reaches it (a service binding of the API Worker XOR an
 * HTTPS URL) and the manifest its `describe()` answered when it was registered. Every query is scoped to
 * one tenant: another tenant's plugins are never read, changed or listed.
 */
import { uuidv7 } from "@dfda/core";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { plugins } from "../schema";

export type PluginRow = typeof plugins.$inferSelect;

export interface PluginRegistration {
  slug: string;
  name: string;
  kind: string;
  version: string;
  serviceBinding: string | null;
  url: string | null;
  manifest: Record<string, unknown>;
  registeredBy: string | null;
}

/**
 * Registers a plugin, or updates the tenant's plugin of the same id (a new version, a new endpoint):
 * one statement, so two administrators registering at once leave one row. `created` tells which. An
 * update keeps `enabled` as it was: re-registering a plugin an administrator disabled does not enable it.
 * `previousVersion` is the version before, read first (for the audit record).
 */
export async function upsertPlugin(
  db: Executor,
  tenantId: string,
  input: PluginRegistration,
  now: Date = new Date(),
): Promise<{ row: PluginRow; created: boolean; previousVersion: string | null }> {
  const [previous] = await db
    .select({ version: plugins.version })
    .from(plugins)
    .where(and(eq(plugins.tenantId, tenantId), eq(plugins.slug, input.slug)))
    .limit(1);
  const [row] = await db
    .insert(plugins)
    .values({ id: uuidv7(), tenantId, ...input, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [plugins.tenantId, plugins.slug],
      set: {
        name: input.name,
        kind: input.kind,
        version: input.version,
        serviceBinding: input.serviceBinding,
        url: input.url,
        manifest: input.manifest,
        registeredBy: input.registeredBy,
        updatedAt: now,
      },
    })
    .returning();
  if (!row) throw new Error("upsert returned no row");
  // `created_at` is written only by the insert: a row that keeps an earlier one was updated.
  return { row, created: row.createdAt.getTime() === now.getTime(), previousVersion: previous?.version ?? null };
}

/** Every plugin of the tenant, by id; `enabledOnly` for what people may use. */
export async function listPlugins(
  db: Executor,
  tenantId: string,
  options: { enabledOnly?: boolean } = {},
): Promise<PluginRow[]> {
  const where = options.enabledOnly
    ? and(eq(plugins.tenantId, tenantId), eq(plugins.enabled, true))
    : eq(plugins.tenantId, tenantId);
  return db.select().from(plugins).where(where).orderBy(asc(plugins.slug));
}

/** The tenant's plugin with this id (slug), or null. */
export async function findPlugin(db: Executor, tenantId: string, slug: string): Promise<PluginRow | null> {
  const [row] = await db
    .select()
    .from(plugins)
    .where(and(eq(plugins.tenantId, tenantId), eq(plugins.slug, slug)))
    .limit(1);
  return row ?? null;
}

/** Enables or disables the tenant's plugin; null when there is none. */
export async function setPluginEnabled(
  db: Executor,
  tenantId: string,
  slug: string,
  enabled: boolean,
  now: Date = new Date(),
): Promise<PluginRow | null> {
  const [row] = await db
    .update(plugins)
    .set({ enabled, updatedAt: now })
    .where(and(eq(plugins.tenantId, tenantId), eq(plugins.slug, slug)))
    .returning();
  return row ?? null;
}

/**
 * Removes the tenant's plugin from the registry. Its stored analyses stay (they name the plugin and
 * version they were computed with); grants to it stop mattering, since nothing calls it any more.
 */
export async function deletePlugin(db: Executor, tenantId: string, slug: string): Promise<PluginRow | null> {
  const [row] = await db
    .delete(plugins)
    .where(and(eq(plugins.tenantId, tenantId), eq(plugins.slug, slug)))
    .returning();
  return row ?? null;
}
