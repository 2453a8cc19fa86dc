/**
 * Which schema a bare Open mHealth body (no data point header) is: the one the body validates against.
 *
 * A data point's header names its body's schema (`header.schema_id`, omh data-point-1.0). Bodies are also
 * exchanged alone (the schema test data, exports of a single measure); for those the schemas themselves
 * say what the body is: a body of a schema is valid against it and carries at least one of the measures
 * the schema defines (`heart_rate` for heart-rate; a schema whose properties are all optional, like
 * sleep-episode, validates nearly any object, and a body carrying none of its measures is not one of
 * its data). The mapper accepts the body when those schemas are versions of exactly one schema
 * (`omh:heart-rate`) and reads it as the highest version it is valid against (a body does not say its
 * version; a body a newer version refuses may be a valid older one). A body of several schemas is
 * ambiguous and refused; one of none is refused with the reason its closest schema gives.
 */
import { BODY_MAPPINGS } from "./body";
import type { SchemaError, Validator } from "./validators.generated.js";
import { validators } from "./validators.generated.js";

/** Body validators by family (`omh:heart-rate`), highest version first. */
const FAMILIES: ReadonlyMap<string, readonly { key: string; validate: Validator }[]> = (() => {
  const families = new Map<string, { key: string; major: number; minor: number; validate: Validator }[]>();
  for (const [key, validate] of Object.entries(validators)) {
    const m = /^([^:]+):([^:]+):(\d+)\.(\d+)$/.exec(key);
    if (!m?.[1] || !m[2] || key === "omh:data-point:1.0") continue;
    const family = `${m[1]}:${m[2]}`;
    const list = families.get(family) ?? [];
    list.push({ key, major: Number(m[3]), minor: Number(m[4]), validate });
    families.set(family, list);
  }
  const sorted = new Map<string, { key: string; validate: Validator }[]>();
  for (const [family, list] of families) {
    list.sort((a, b) => b.major - a.major || b.minor - a.minor);
    sorted.set(
      family,
      list.map(({ key, validate }) => ({ key, validate })),
    );
  }
  return sorted;
})();

export type Inference =
  | { kind: "one"; key: string; family: string; alsoValid: readonly string[] }
  | { kind: "ambiguous"; families: readonly string[] }
  | { kind: "none"; closest: { key: string; errors: readonly SchemaError[] } | null };

/** Validates `body` against every mapped schema version. */
export function inferSchema(body: unknown): Inference {
  const matches: { family: string; keys: string[] }[] = [];
  const own = typeof body === "object" && body !== null && !Array.isArray(body) ? Object.keys(body as object) : [];
  for (const [family, versions] of FAMILIES) {
    const measured = BODY_MAPPINGS[family]?.measured ?? [];
    if (!own.some((key) => measured.includes(key))) continue;
    const keys = versions.filter((v) => v.validate(body)).map((v) => v.key);
    if (keys.length > 0) matches.push({ family, keys });
  }
  const [only] = matches;
  if (matches.length === 1 && only?.keys[0]) {
    return { kind: "one", key: only.keys[0], family: only.family, alsoValid: only.keys.slice(1) };
  }
  if (matches.length > 1) return { kind: "ambiguous", families: matches.map((m) => m.family) };
  // Nothing valid: the closest schema is the highest version of a family whose measures the body
  // carries (a body with `heart_rate` is closest to omh:heart-rate); its errors say what is wrong.
  for (const [family, versions] of FAMILIES) {
    const measured = BODY_MAPPINGS[family]?.measured ?? [];
    const first = versions[0];
    if (!first || !own.some((key) => measured.includes(key))) continue;
    first.validate(body);
    return { kind: "none", closest: { key: first.key, errors: first.validate.errors ?? [] } };
  }
  return { kind: "none", closest: null };
}
