/**
 * JSON Schema validation at the plugin boundary, with `@cfworker/json-schema`: it interprets schemas
 * instead of compiling them to code, so it runs in workerd, which forbids `eval` and `new Function`
 * (Ajv compiles; https://www.npmjs.com/package/@cfworker/json-schema "Background"). Manifests declare
 * draft 2020-12 (JSON Schema Core 2020-12); a schema's own `$schema` naming draft 4, 7 or 2019-09 is
 * honoured.
 */
import { type Schema, type SchemaDraft, Validator } from "@cfworker/json-schema";

/** One failed check: `path` is an RFC 6901 JSON Pointer into the instance (`""` is the whole value). */
export interface SchemaError {
  path: string;
  message: string;
}

/** At most this many errors are reported: enough to fix a payload, bounded for a problem body. */
export const MAX_SCHEMA_ERRORS = 20;

function draftOf(schema: Record<string, unknown>): SchemaDraft {
  const declared = schema.$schema;
  if (typeof declared !== "string") return "2020-12";
  if (declared.includes("draft-04")) return "4";
  if (declared.includes("draft-07")) return "7";
  if (declared.includes("2019-09")) return "2019-09";
  return "2020-12";
}

/** Validators by schema object: a manifest's schemas are validated against many instances. */
const validators = new WeakMap<Record<string, unknown>, Validator>();

function validatorFor(schema: Record<string, unknown>): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    // shortCircuit = false: every error, not only the first, so a caller can fix them all at once.
    validator = new Validator(schema as Schema, draftOf(schema), false);
    validators.set(schema, validator);
  }
  return validator;
}

/**
 * The errors of `value` against `schema`, empty when it is valid. The validator reports each failing
 * keyword and the applicators above it ("Property x does not match schema"); only the innermost (the
 * deepest instance location first) are kept, de-duplicated, at most `MAX_SCHEMA_ERRORS`.
 *
 * @example
 * validateAgainstSchema({ type: "object", required: ["outcome"] }, {});
 * // [{ path: "", message: 'Instance does not have required property "outcome".' }]
 */
export function validateAgainstSchema(schema: Record<string, unknown>, value: unknown): SchemaError[] {
  let result: ReturnType<Validator["validate"]>;
  try {
    result = validatorFor(schema).validate(value);
  } catch (error) {
    // The validator throws on values JSON cannot hold (undefined, functions, bigint) and on schemas
    // it cannot dereference; either way the value is not valid against the schema.
    return [{ path: "", message: error instanceof Error ? error.message : String(error) }];
  }
  if (result.valid) return [];
  const applicators = new Set([
    "properties",
    "items",
    "prefixItems",
    "allOf",
    "anyOf",
    "oneOf",
    "$ref",
    "then",
    "else",
  ]);
  const specific = result.errors.filter((e) => !applicators.has(e.keyword));
  const chosen = specific.length > 0 ? specific : result.errors;
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const unit of chosen) {
    const path = unit.instanceLocation.replace(/^#/, "");
    const key = `${path}\n${unit.error}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message: unit.error });
    if (out.length >= MAX_SCHEMA_ERRORS) break;
  }
  return out;
}

/**
 * Whether `schema` can be used to validate at all (its `$ref`s resolve, its keywords have usable
 * values): tried once on registration, so a broken schema is refused then, not at the first call.
 * Returns a message, or null when usable.
 */
export function schemaProblem(schema: Record<string, unknown>): string | null {
  try {
    const validator = new Validator(schema as Schema, draftOf(schema), false);
    // Validating a few instances of each type walks the keywords that apply to them.
    for (const probe of [null, 0, "", true, [], {}]) validator.validate(probe);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
