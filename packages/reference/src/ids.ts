/**
 * Ids of the reference rows, derived from their slugs, so a variable or a category has the same id in
 * every database and in code that runs without one (the catalog, the CLI, the mapper tests).
 */
import { createHash } from "node:crypto";

/** RFC 9562 §5.5 name-based UUID (SHA-1), so reference rows have the same id in every database. */
export function uuidv5(name: string, namespace = "6ba7b811-9dad-11d1-80b4-00c04fd430c8"): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Stable ids of seeded rows (UUIDv5 in the URL namespace over a `dfda:` name). */
export const referenceIds = {
  category: (slug: string) => uuidv5(`dfda:variable-category:${slug}`),
  variable: (slug: string) => uuidv5(`dfda:variable:${slug}`),
};
