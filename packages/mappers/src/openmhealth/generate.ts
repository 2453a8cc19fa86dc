/**
 * Build-time generator of the Open mHealth validators (Node only; run with
 * `npx tsx packages/mappers/src/openmhealth/generate.ts`).
 *
 * Why generated code: Ajv compiles a schema into a function with `new Function`, and Cloudflare Workers
 * forbid code generation at run time. Ajv's standalone mode emits the same validators as plain JS once,
 * here, and the mapper imports that module (`validators.generated.js`). `generate.test.ts` regenerates
 * in memory and fails when the committed module is stale.
 *
 * What is compiled: the Apache-2.0 schemas vendored in `./schemas` (see ./schemas/NOTICE.md), with
 * three faithful adjustments made in memory (the files stay byte for byte as upstream):
 * - every schema gets `$id` = its canonical URI from its file name (`…/omh/body-weight-3.0.json`),
 *   because upstream `$ref`s resolve by file name and some `$id`s are wrong (body-weight-3.0 claims
 *   body-weight-2.0's id; every `*-N.x.json` copy claims its concrete version's id);
 * - JSON Schema draft-04 schemas (191 of the 247 upstream files declare draft-04) are rewritten to the
 *   draft-07 keywords with the same meaning: `id` → `$id`, boolean `exclusiveMinimum`/`exclusiveMaximum`
 *   → the numeric draft-06+ form; Ajv v8 implements draft-06+ only (ajv-draft-04 is not a dependency);
 * - siblings of `$ref` are dropped, as draft-04 and draft-07 both ignore them (draft-07 §8.3) while Ajv
 *   v8 would apply them.
 * References to IEEE 1752.1 schemas that neither the corpus nor openmhealth/schemas holds, and the
 * granola files that are symlinks upstream, are bound to documented stand-ins (`STAND_INS`).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Ajv, { _ } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import addFormats from "ajv-formats";

const here = fileURLToPath(new URL(".", import.meta.url));
export const SCHEMA_DIR = join(here, "schemas");
export const GENERATED_JS = join(here, "validators.generated.js");
export const GENERATED_DTS = join(here, "validators.generated.d.ts");

/** Base URIs of the schema namespaces, as upstream resolves `schema_id`s (`omh:heart-rate:2.0`). */
export const NAMESPACE_URIS: Record<string, string> = {
  omh: "https://w3id.org/openmhealth/schemas/omh/",
  granola: "https://w3id.org/openmhealth/schemas/granola/",
  ieee: "https://w3id.org/ieee/ieee-1752-schema/",
};

/**
 * Body schemas the mapper maps (every vendored concrete version of each is exported), plus the data
 * point envelope. Keep in step with `BODY_MAPPINGS` in ./body.ts (a test checks both ways).
 */
export const EXPORTED_SCHEMAS: Record<string, readonly string[]> = {
  omh: [
    "data-point",
    "ambient-temperature",
    "blood-glucose",
    "blood-pressure",
    "body-fat-percentage",
    "body-height",
    "body-mass-index",
    "body-temperature",
    "body-weight",
    "breath-carbon-monoxide",
    "calories-burned",
    "heart-rate",
    "minute-volume",
    "minutes-moderate-activity",
    "oxygen-saturation",
    "physical-activity",
    "respiratory-rate",
    "rr-interval",
    "sleep-duration",
    "sleep-episode",
    "step-count",
    "total-sleep-time",
  ],
  granola: ["hk-quantity-sample"],
};

interface StandIn {
  id: string;
  schema: Record<string, unknown>;
  why: string;
}

/** Schemas referenced but not available from the sources; each stand-in says why it is faithful enough. */
const STAND_INS: readonly StandIn[] = [
  {
    id: `${NAMESPACE_URIS.ieee}body-posture-1.0.json`,
    schema: { $ref: `${NAMESPACE_URIS.omh}body-posture-1.x.json` },
    why: "IEEE 1752.1 body-posture-1.0 is not vendored; omh body-posture-1.x is the schema it supersedes under the same name",
  },
  {
    id: `${NAMESPACE_URIS.ieee}length-unit-value-1.0.json`,
    schema: { $ref: `${NAMESPACE_URIS.omh}length-unit-value-1.x.json` },
    why: "IEEE 1752.1 length-unit-value-1.0 is not vendored; omh length-unit-value-1.x is the schema it supersedes",
  },
  {
    id: `${NAMESPACE_URIS.ieee}temperature-unit-value-1.0.json`,
    schema: { $ref: `${NAMESPACE_URIS.omh}temperature-unit-value-1.x.json` },
    why: "IEEE 1752.1 temperature-unit-value-1.0 is not vendored; omh temperature-unit-value-1.x is the schema it supersedes",
  },
  {
    id: `${NAMESPACE_URIS.ieee}percent-unit-value-1.0.json`,
    schema: { allOf: [{ $ref: "unit-value-1.0.json" }, { properties: { unit: { enum: ["%"] } } }] },
    why: "IEEE 1752.1 percent-unit-value-1.0 is not vendored; a unit-value whose unit is %, as omh body-fat-percentage-1.0 spelled it",
  },
  {
    id: `${NAMESPACE_URIS.granola}hk-quantity-sample-1.x.json`,
    schema: { $ref: "hk-quantity-sample-1.0.json" },
    why: "a symlink to hk-quantity-sample-1.0.json upstream",
  },
  {
    id: `${NAMESPACE_URIS.granola}hk-quantity-type-1.x.json`,
    schema: { $ref: "hk-quantity-type-1.1.json" },
    why: "a symlink to hk-quantity-type-1.1.json upstream",
  },
  {
    id: `${NAMESPACE_URIS.granola}hk-metadata-1.x.json`,
    schema: {},
    why: "granola hk-metadata-1.0 is not available; the optional `metadata` property is accepted as is",
  },
];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Keywords whose value is a map of subschemas / a subschema / an array of subschemas (draft-04…07). */
const MAP_KEYWORDS = new Set(["properties", "patternProperties", "definitions", "dependencies"]);
const SCHEMA_KEYWORDS = new Set([
  "not",
  "additionalProperties",
  "additionalItems",
  "items",
  "contains",
  "if",
  "then",
  "else",
]);
const ARRAY_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "items"]);
/** Annotation keywords: they do not affect validation, and left in they would bloat the generated module. */
const ANNOTATIONS = ["description", "title", "$comment", "references", "deprecation", "definition", "examples"];

const DRAFT_04 = "http://json-schema.org/draft-04/schema#";
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** Rewrites one (sub)schema to draft-07 in place; `draft04` says which rules the source was written for. */
export function normalizeSchema(schema: Json, draft04: boolean): void {
  if (!isObject(schema)) return;
  for (const key of ANNOTATIONS) delete schema[key];
  if (typeof schema.$ref === "string") {
    // draft-04 §7 / draft-07 §8.3: all other properties of a `$ref` object are ignored.
    for (const key of Object.keys(schema)) if (key !== "$ref") delete schema[key];
    return;
  }
  if (draft04) {
    // draft-04 (Validation §5.1.2-5.1.3): a boolean `exclusiveMinimum` modifies `minimum`; draft-06+
    // makes it a number of its own.
    for (const [exclusive, bound] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      if (typeof schema[exclusive] === "boolean") {
        if (schema[exclusive] === true && typeof schema[bound] === "number") {
          schema[exclusive] = schema[bound];
          delete schema[bound];
        } else delete schema[exclusive];
      }
    }
    // draft-04 (Core §7.2) names the base URI `id`; draft-06+ `$id`.
    if (typeof schema.id === "string" && schema.$id === undefined) {
      schema.$id = schema.id;
      delete schema.id;
    }
  }
  for (const [key, value] of Object.entries(schema)) {
    if (MAP_KEYWORDS.has(key) && isObject(value)) {
      for (const sub of Object.values(value)) if (isObject(sub)) normalizeSchema(sub, draft04);
    } else if (ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
      for (const sub of value) normalizeSchema(sub, draft04);
    } else if (SCHEMA_KEYWORDS.has(key)) {
      normalizeSchema(value, draft04);
    }
  }
}

/**
 * Replaces a `$ref` to a local definition that is itself only a `$ref` (`#/definitions/unit_value` →
 * `{ $ref: "unit-value-1.x.json" }`, the pattern of every Open mHealth schema) by the target ref. Same
 * meaning (the definition has no `$id`, so the base URI is the same); without it Ajv compiles the target
 * schema again for every such definition and the generated module is several times larger.
 */
export function flattenDefinitionRefs(root: JsonObject): void {
  const definitions = isObject(root.definitions) ? root.definitions : {};
  const target = (ref: string): string => {
    const seen = new Set<string>();
    let current = ref;
    for (;;) {
      const m = /^#\/definitions\/([^/]+)$/.exec(current);
      const name = m?.[1];
      const def = name === undefined ? undefined : definitions[name];
      if (!isObject(def) || typeof def.$ref !== "string" || seen.has(current)) return current;
      seen.add(current);
      current = def.$ref;
    }
  };
  const walk = (node: Json): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (isObject(node)) {
      if (typeof node.$ref === "string") node.$ref = target(node.$ref);
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(root);
}

interface LoadedSchema {
  id: string;
  schema: JsonObject;
}

/** The vendored schemas, normalized and given their canonical ids, in a stable order. */
export function loadSchemas(dir = SCHEMA_DIR): LoadedSchema[] {
  const out: LoadedSchema[] = [];
  for (const namespace of Object.keys(NAMESPACE_URIS).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(dir, namespace)).filter((f) => f.endsWith(".json"));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      const schema = JSON.parse(readFileSync(join(dir, namespace, file), "utf8")) as Json;
      if (!isObject(schema)) throw new Error(`${namespace}/${file} is not a schema object`);
      const declared = schema.$schema;
      if (declared !== DRAFT_04 && declared !== DRAFT_07)
        throw new Error(`${namespace}/${file}: unsupported $schema ${String(declared)}`);
      normalizeSchema(schema, declared === DRAFT_04);
      flattenDefinitionRefs(schema);
      schema.$schema = DRAFT_07;
      delete schema.id;
      schema.$id = `${NAMESPACE_URIS[namespace]}${file}`;
      out.push({ id: schema.$id, schema });
    }
  }
  for (const standIn of STAND_INS) {
    out.push({
      id: standIn.id,
      schema: { $schema: DRAFT_07, $id: standIn.id, ...standIn.schema } as JsonObject,
    });
  }
  return out;
}

/** `omh:body-weight:3.0` → `omh_body_weight_3_0` (an ES identifier for the module export). */
const exportName = (key: string) => key.replace(/[^A-Za-z0-9]+/g, "_");

/** The generated module and its type declarations. */
export function generateValidators(dir = SCHEMA_DIR): { js: string; dts: string } {
  // `fullFormats` is imported by the generated module (ESM), not `require`d as ajv-formats would emit.
  const ajv = new Ajv({
    code: { source: true, esm: true, formats: _`fullFormats`, lines: true },
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allErrors: false,
    // One function per referenced schema instead of copies inlined into every user.
    inlineRefs: false,
  });
  addFormats(ajv, ["date-time", "uri"]);
  const loaded = loadSchemas(dir);
  for (const { schema } of loaded) ajv.addSchema(schema);

  const exports: Record<string, string> = {};
  const keys: string[] = [];
  const versionPattern = /^(.+)-(\d+\.\d+)\.json$/;
  for (const { id } of loaded) {
    for (const [namespace, names] of Object.entries(EXPORTED_SCHEMAS)) {
      const base = NAMESPACE_URIS[namespace];
      if (base === undefined || !id.startsWith(base)) continue;
      const match = versionPattern.exec(id.slice(base.length));
      if (!match?.[1] || !match[2] || !names.includes(match[1])) continue;
      const key = `${namespace}:${match[1]}:${match[2]}`;
      exports[exportName(key)] = id;
      keys.push(key);
    }
  }
  keys.sort();
  const code = standaloneCode(ajv, exports);
  if (/\brequire\(/.test(code)) throw new Error("standalone code needs `require`; map it to an import first");

  const js = [
    "// biome-ignore-all format: generated by ./generate.ts",
    "// biome-ignore-all lint: generated by ./generate.ts",
    "// GENERATED by packages/mappers/src/openmhealth/generate.ts from the Apache-2.0 schemas in ./schemas",
    "// (see ./schemas/NOTICE.md). Do not edit: run `npx tsx packages/mappers/src/openmhealth/generate.ts`.",
    'import { fullFormats } from "ajv-formats/dist/formats.js";',
    "",
    code,
    "",
    "/** Validators by schema id (`namespace:name:version`). */",
    "export const validators = {",
    ...keys.map((key) => `  ${JSON.stringify(key)}: ${exportName(key)},`),
    "};",
    "",
  ].join("\n");

  const dts = [
    "// biome-ignore-all format: generated by ./generate.ts",
    "// GENERATED by packages/mappers/src/openmhealth/generate.ts. Do not edit.",
    "",
    "/** An Ajv validation error (the fields the mapper reads). */",
    "export interface SchemaError {",
    "  instancePath: string;",
    "  schemaPath: string;",
    "  keyword: string;",
    "  params: Record<string, unknown>;",
    "  message?: string;",
    "}",
    "",
    "/** An Ajv standalone validator: returns whether `data` is valid and leaves the errors on `errors`. */",
    "export interface Validator {",
    "  (data: unknown): boolean;",
    "  errors?: SchemaError[] | null;",
    "}",
    "",
    "/** Validators by schema id (`namespace:name:version`), e.g. `omh:body-weight:3.0`. */",
    "export declare const validators: Readonly<Record<string, Validator>>;",
    "",
    "/** The schema ids `validators` holds. */",
    `export type SchemaKey = ${keys.map((k) => JSON.stringify(k)).join(" | ")};`,
    "",
  ].join("\n");
  return { js, dts };
}

/** Writes the generated files (what `npx tsx …/generate.ts` does). */
export function writeValidators(): void {
  const { js, dts } = generateValidators();
  writeFileSync(GENERATED_JS, js);
  writeFileSync(GENERATED_DTS, dts);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeValidators();
  console.log(`wrote ${GENERATED_JS} and ${GENERATED_DTS}`);
}
