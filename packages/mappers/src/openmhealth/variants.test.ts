/**
 * Variants generated from the Open mHealth schemas themselves (not from example files): for every
 * vendored version of every mapped schema, a minimal body built from its `required` properties, then
 * - every optional top-level property the schema defines, present (a sample built from its subschema)
 *   and absent;
 * - every value of every enum the schema reaches within two property levels (descriptive statistics,
 *   temporal relationships to meals, sleep and activity, body posture, measurement location, specimen
 *   source, and each unit its unit-values allow).
 * The oracle for validity is the schema (its compiled validator); the test checks that the mapper maps
 * every valid variant, keeps the varied value (the unit renamed to UCUM, the other properties in
 * metadata), and refuses every invalid one with a schema_violation and nothing else.
 */
import type { MapContext, MappedObservation, MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { collect, fromBytes } from "../util/stream";
import { BODY_MAPPINGS } from "./body";
import { type Json, type JsonObject, loadSchemas, NAMESPACE_URIS } from "./generate";
import { openmhealthMapper } from "./index";
import { omhUnitToUcum } from "./units";
import { validators } from "./validators.generated.js";

const context: MapContext = { lookup: seedCatalog(), timezone: "UTC" };
const SCHEMAS = new Map(loadSchemas().map((s) => [s.id, s.schema]));
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** A subschema with the `$id` its relative `$ref`s resolve against. */
interface At {
  schema: Json;
  base: string;
}

/** Follows `$ref`s (relative file refs and `#/…` JSON pointers) until a schema without one. */
function deref({ schema, base }: At): At {
  let current: At = { schema, base };
  for (let i = 0; i < 20 && isObject(current.schema) && typeof current.schema.$ref === "string"; i++) {
    const url = new URL(current.schema.$ref, current.base);
    const file = `${url.origin}${url.pathname}`;
    let target: Json | undefined = SCHEMAS.get(file);
    if (target === undefined) throw new Error(`unresolved $ref ${current.schema.$ref} from ${current.base}`);
    for (const token of url.hash.replace(/^#\/?/, "").split("/").filter(Boolean)) {
      target = isObject(target) ? target[decodeURIComponent(token)] : undefined;
    }
    if (target === undefined) throw new Error(`unresolved pointer ${url.hash} in ${file}`);
    current = { schema: target, base: file };
  }
  return current;
}

/** An object schema's properties and required names, gathered through `$ref` and `allOf`. */
function flatten(at: At): { properties: Map<string, At[]>; required: Set<string>; oneOf: At[][] } {
  const out = { properties: new Map<string, At[]>(), required: new Set<string>(), oneOf: [] as At[][] };
  const visit = (node: At) => {
    const { schema, base } = deref(node);
    if (!isObject(schema)) return;
    if (isObject(schema.properties)) {
      for (const [name, sub] of Object.entries(schema.properties)) {
        out.properties.set(name, [...(out.properties.get(name) ?? []), { schema: sub, base }]);
      }
    }
    if (Array.isArray(schema.required)) for (const r of schema.required) if (typeof r === "string") out.required.add(r);
    if (Array.isArray(schema.allOf)) for (const sub of schema.allOf) visit({ schema: sub, base });
    const choice = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null;
    if (choice) out.oneOf.push(choice.map((sub) => ({ schema: sub, base })));
  };
  visit(at);
  return out;
}

/** A value valid against `at` (first enum value, first choice, required properties only). */
function sample(at: At, depth = 0): Json {
  const { schema, base } = deref(at);
  if (!isObject(schema) || depth > 12) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0] ?? null;
  if ("const" in schema) return schema.const ?? null;
  const flat = flatten({ schema, base });
  const allOfFirst = Array.isArray(schema.allOf) ? deref({ schema: schema.allOf[0] ?? {}, base }).schema : null;
  const type = schema.type ?? (isObject(allOfFirst) ? allOfFirst.type : undefined);
  if (type === "object" || flat.properties.size > 0 || flat.oneOf.length > 0) {
    const properties = new Map(flat.properties);
    const required = new Set(flat.required);
    for (const group of flat.oneOf) {
      // The choice that defines what the object requires but does not define itself (a time frame
      // narrowed to `time_interval` takes the interval branch), else the first.
      const missing = [...required].filter((r) => !properties.has(r));
      const choice = group.find((c) => missing.some((r) => flatten(c).properties.has(r))) ?? group[0];
      if (!choice) continue;
      const chosen = flatten(choice);
      for (const [k, v] of chosen.properties) properties.set(k, [...(properties.get(k) ?? []), ...v]);
      for (const r of chosen.required) required.add(r);
    }
    // The platform needs a time: a schema that defines effective_time_frame gets one even where optional.
    if (depth === 0 && properties.has("effective_time_frame")) required.add("effective_time_frame");
    const out: JsonObject = {};
    for (const name of required) {
      const subs = properties.get(name);
      out[name] = subs ? sampleOf(subs, depth + 1) : "x";
    }
    return out;
  }
  if (type === "number" || type === "integer") {
    const min =
      typeof schema.minimum === "number"
        ? schema.minimum
        : typeof schema.exclusiveMinimum === "number"
          ? schema.exclusiveMinimum + 1
          : 1;
    return Math.max(min, 1);
  }
  if (type === "string") {
    if (schema.format === "date-time") return "2024-01-02T03:04:05Z";
    if (typeof schema.pattern === "string" && schema.pattern.includes("[0-9]{4}-")) return "2024-01-02";
    return "x";
  }
  if (type === "boolean") return true;
  if (type === "array") return [];
  return null;
}

/** One value valid against all of `subs`: the first value every enum among them allows, else their merged samples. */
function sampleOf(subs: At[], depth = 0): Json {
  const enumsOf = subs
    .map((s) => deref(s).schema)
    .filter(isObject)
    .map((s) => s.enum)
    .filter((e): e is Json[] => Array.isArray(e));
  if (enumsOf.length > 0) {
    const [first, ...rest] = enumsOf;
    const common = (first ?? []).filter((v) => rest.every((e) => e.includes(v)));
    if (common[0] !== undefined) return common[0];
  }
  return merge(subs.map((s) => sample(s, depth)));
}

/** The samples of one property's subschemas (an allOf of a unit-value and its unit enum) as one value. */
function merge(values: Json[]): Json {
  const objects = values.filter(isObject);
  // A free string's "x" yields to an enum's value (`unit`: a string, narrowed to the body's units).
  if (objects.length === 0)
    return values.find((v) => v !== null && v !== "x") ?? values.find((v) => v !== null) ?? null;
  // The most specific sample of each key wins: an enum value over a free string.
  const out: JsonObject = {};
  for (const o of objects)
    for (const [k, v] of Object.entries(o)) if (out[k] === undefined || out[k] === "x") out[k] = v;
  return out;
}

/** Every enum reachable within two property levels: `[path, values]`. */
function enums(at: At): [string[], Json[]][] {
  const found = new Map<string, Json[]>();
  const walk = (node: At, path: string[], seen: Set<string>) => {
    const { schema, base } = deref(node);
    if (!isObject(schema)) return;
    const key = `${base}|${path.join(".")}|${JSON.stringify(schema).slice(0, 200)}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (Array.isArray(schema.enum) && path.length > 0) {
      const id = path.join(".");
      // The narrowest enum wins (a unit-value's allOf narrows `unit` to the body's units).
      const previous = found.get(id);
      if (!previous || schema.enum.length < previous.length) found.set(id, schema.enum);
    }
    for (const list of [schema.allOf, schema.oneOf, schema.anyOf]) {
      if (Array.isArray(list)) for (const sub of list) walk({ schema: sub, base }, path, seen);
    }
    if (isObject(schema.properties) && path.length < 2) {
      for (const [name, sub] of Object.entries(schema.properties)) walk({ schema: sub, base }, [...path, name], seen);
    }
  };
  walk(at, [], new Set());
  return [...found].map(([id, values]) => [id.split("."), values]);
}

function schemaAt(key: string): At {
  const [namespace, name, version] = key.split(":");
  const id = `${NAMESPACE_URIS[namespace ?? ""]}${name}-${version}.json`;
  const schema = SCHEMAS.get(id);
  if (!schema) throw new Error(`no schema ${id}`);
  return { schema, base: id };
}

async function mapBody(
  key: string,
  body: Json,
): Promise<{ observations: MappedObservation[]; issues: MappingIssue[] }> {
  const [namespace, name, version] = key.split(":");
  const point = {
    header: { id: "v-1", creation_date_time: "2024-01-02T03:04:05Z", schema_id: { namespace, name, version } },
    body,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(point, null, 1));
  const events = await collect(openmhealthMapper.map(fromBytes(bytes), context));
  return {
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;
const errors = (issues: MappingIssue[]) => issues.filter((i) => i.severity === "error");

/** Valid enum variants checked per schema version (reported by the last test). */
const counted = new Map<string, number>();

const KEYS = Object.keys(validators).filter((k) => k !== "omh:data-point:1.0");

/** The minimal body of each schema version, when the generator can build a valid one. */
const BASES = new Map<string, JsonObject>();
for (const key of KEYS) {
  const body = sample(schemaAt(key));
  if (isObject(body) && validators[key]?.(body)) BASES.set(key, body);
}

describe("Open mHealth variants generated from the schemas", () => {
  it("builds a valid minimal body for every vendored version of every mapped schema", () => {
    expect(KEYS.filter((k) => !BASES.has(k))).toEqual([]);
    expect(BASES.size).toBe(KEYS.length);
  });

  it.each(KEYS)("%s: the minimal body maps to at least one observation, no error", async (key) => {
    const base = BASES.get(key);
    if (!base) throw new Error(`no base body for ${key}`);
    const { observations, issues } = await mapBody(key, base);
    expect(errors(issues)).toEqual([]);
    const family = key.split(":").slice(0, 2).join(":");
    // A sleep episode's and a physical activity's measures are all optional: a minimal body has none
    // (an info says so; an activity's duration needs a time interval, the minimal frame is a date-time).
    if (family === "omh:sleep-episode" || family === "omh:physical-activity")
      expect(issues.map((i) => i.code)).toContain("no_measurement");
    else expect(observations.length).toBeGreaterThan(0);
  });

  it.each(KEYS)("%s: each optional property present and absent", async (key) => {
    const base = BASES.get(key);
    if (!base) throw new Error(`no base body for ${key}`);
    const flat = flatten(schemaAt(key));
    const optional = [...flat.properties.keys()].filter((p) => !flat.required.has(p));
    let checked = 0;
    for (const property of optional) {
      const subs = flat.properties.get(property) ?? [];
      const withIt = { ...(clone(base) as JsonObject), [property]: sampleOf(subs) };
      const valid = validators[key]?.(withIt) ?? false;
      const mapped = await mapBody(key, withIt);
      if (!valid) {
        // The schema ties this property to others (a denominator needs its statistic): refused, not lost silently.
        expect(mapped.observations).toEqual([]);
        expect(mapped.issues.map((i) => i.code)).toEqual(["schema_violation"]);
        continue;
      }
      checked++;
      expect(errors(mapped.issues), `${key} with ${property}`).toEqual([]);
      const measured = BODY_MAPPINGS[key.split(":").slice(0, 2).join(":")]?.measured ?? [];
      if (!measured.includes(property) && property !== "effective_time_frame" && property !== "user_notes") {
        for (const o of mapped.observations)
          expect(o.metadata?.[property], `${key} ${property}`).toEqual(withIt[property]);
      }
      // Absent again: the base body, whose mapping does not carry the property.
      const without = await mapBody(key, base);
      for (const o of without.observations) expect(o.metadata?.[property]).toBeUndefined();
    }
    // Most optional properties stand alone; the schemas tie only a few to others.
    if (optional.length > 0) expect(checked).toBeGreaterThan(0);
  });

  it.each(KEYS)("%s: every enum value the schema allows (units included)", async (key) => {
    const base = BASES.get(key);
    if (!base) throw new Error(`no base body for ${key}`);
    const measured = BODY_MAPPINGS[key.split(":").slice(0, 2).join(":")]?.measured ?? [];
    let valid = 0;
    for (const [path, values] of enums(schemaAt(key))) {
      for (const value of values) {
        const body = clone(base) as JsonObject;
        const [first, second] = path;
        if (first === undefined) continue;
        if (second === undefined) body[first] = value;
        else {
          // A nested enum (a measure's unit): the parent is added from its subschema when the minimal body lacks it.
          const subs = flatten(schemaAt(key)).properties.get(first);
          const parent = body[first] ?? (subs ? sampleOf(subs) : null);
          if (!isObject(parent)) continue;
          parent[second] = value;
          body[first] = parent;
        }
        const ok = validators[key]?.(body) ?? false;
        const mapped = await mapBody(key, body);
        if (!ok) {
          expect(mapped.observations, `${key} ${path.join(".")}=${String(value)}`).toEqual([]);
          expect(mapped.issues.map((i) => i.code)).toEqual(["schema_violation"]);
          continue;
        }
        valid++;
        expect(errors(mapped.issues), `${key} ${path.join(".")}=${String(value)}`).toEqual([]);
        const at = `$.body.${first}`;
        if (second === "unit" && measured.includes(first) && typeof value === "string") {
          const o = mapped.observations.find((x) => x.location === at);
          if (o) expect(o.unit, `${key} ${first}.unit=${value}`).toBe(omhUnitToUcum(value));
          // A measure no variable takes (an activity's distance for an activity of no known kind) is reported.
          else expect(mapped.issues.find((i) => i.location === at)?.code, `${key} ${first}`).toBe("unmatched_measure");
        } else if (second === undefined && !measured.includes(first)) {
          for (const o of mapped.observations) expect(o.metadata?.[first], `${key} ${first}`).toEqual(value);
        }
      }
    }
    // Every schema with an enum (a unit, a statistic …) has valid variants of it.
    if (enums(schemaAt(key)).length > 0) expect(valid).toBeGreaterThan(0);
    counted.set(key, valid);
  });

  it("checked hundreds of valid enum variants in all", () => {
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(300);
  });
});
