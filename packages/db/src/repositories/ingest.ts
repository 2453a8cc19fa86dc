/**
 * The sources ingested observations come from (an OAuth client, a named device or app). Every function
 * takes the tenant explicitly: there is no unscoped query here. The ingestion job itself lives in
 * `jobs.ts`.
 */
import { uuidv7 } from "@dfda/core";
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../client";
import { sources } from "../schema";

/** The source standing for an OAuth client (kind `api`), created on first use. */
export async function clientSource(
  db: Executor,
  tenantId: string,
  clientId: string,
  clientName: string,
): Promise<string> {
  const [existing] = await db
    .select({ id: sources.id })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), eq(sources.kind, "api"), eq(sources.clientId, clientId)))
    .limit(1);
  if (existing) return existing.id;
  const slug = `client-${clientId.toLowerCase().replace(/[^a-z0-9._-]/g, "-")}`.slice(0, 64);
  await db
    .insert(sources)
    .values({ id: uuidv7(), tenantId, slug, name: clientName, kind: "api", clientId })
    .onConflictDoNothing();
  const [row] = await db
    .select({ id: sources.id })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), eq(sources.slug, slug)))
    .limit(1);
  if (!row) throw new Error(`source ${slug} could not be created`);
  return row.id;
}

/**
 * Ids of the named sources of a tenant that `clientId` may write under, creating the missing ones (kind
 * `api`, bound to no client: a device or app named by slug). A source bound to another client (that
 * client's own, from `clientSource`) is left out of the map: one app must not attribute data to another
 * (issue 12, provenance), so the caller refuses the items naming it.
 *
 * @example
 * const ids = await sourcesBySlug(db, tenantId, ["scale"], principal.clientId);
 * ids.get("scale"); // undefined when "scale" is another app's source
 */
export async function sourcesBySlug(
  db: Executor,
  tenantId: string,
  slugs: readonly string[],
  clientId: string | null,
): Promise<Map<string, string>> {
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return new Map();
  await db
    .insert(sources)
    .values(unique.map((slug) => ({ id: uuidv7(), tenantId, slug, name: slug, kind: "api" })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: sources.id, slug: sources.slug, clientId: sources.clientId })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), inArray(sources.slug, unique)));
  return new Map(rows.filter((r) => r.clientId === null || r.clientId === clientId).map((r) => [r.slug, r.id]));
}
