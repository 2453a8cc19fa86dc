import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BODY_MAPPINGS } from "./body";
import {
  EXPORTED_SCHEMAS,
  flattenDefinitionRefs,
  GENERATED_DTS,
  GENERATED_JS,
  generateValidators,
  type JsonObject,
  loadSchemas,
  normalizeSchema,
} from "./generate";
import { validators } from "./validators.generated.js";

describe("generated Open mHealth validators", () => {
  it("are up to date with the vendored schemas (regenerate: npx tsx packages/mappers/src/openmhealth/generate.ts)", () => {
    const { js, dts } = generateValidators();
    expect(readFileSync(GENERATED_JS, "utf8")).toBe(js);
    expect(readFileSync(GENERATED_DTS, "utf8")).toBe(dts);
  }, 60_000);

  it("hold no run-time code generation (Workers forbid eval and new Function)", () => {
    const js = readFileSync(GENERATED_JS, "utf8");
    expect(js).not.toMatch(/\bnew Function\b|\beval\(|\brequire\(/);
  });

  it("export a validator for every vendored version of every mapped schema, and a mapping for every validator", () => {
    const keys = Object.keys(validators);
    expect(keys).toContain("omh:data-point:1.0");
    expect(keys).toContain("omh:body-weight:3.0");
    expect(keys).toContain("omh:blood-pressure:3.1");
    expect(keys).toContain("granola:hk-quantity-sample:1.0");
    expect(keys).toHaveLength(50);
    const mapped = new Set(
      keys.filter((k) => k !== "omh:data-point:1.0").map((k) => k.split(":").slice(0, 2).join(":")),
    );
    expect([...mapped].sort()).toEqual(Object.keys(BODY_MAPPINGS).sort());
    const exported = Object.entries(EXPORTED_SCHEMAS).flatMap(([ns, names]) => names.map((n) => `${ns}:${n}`));
    expect(exported.filter((k) => k !== "omh:data-point").sort()).toEqual(Object.keys(BODY_MAPPINGS).sort());
  });

  it("give every schema its file-name id, including the *-N.x copies whose upstream $id names another file", () => {
    const loaded = loadSchemas();
    const ids = loaded.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const bodyWeight = loaded.find((s) => s.id.endsWith("/omh/body-weight-3.0.json"));
    // Upstream body-weight-3.0.json declares body-weight-2.0's $id.
    expect(bodyWeight?.schema.$id).toBe("https://w3id.org/openmhealth/schemas/omh/body-weight-3.0.json");
    expect(loaded.every((s) => s.schema.$schema === "http://json-schema.org/draft-07/schema#")).toBe(true);
    // 120 omh + 6 ieee + 2 granola files, and 7 stand-ins.
    expect(loaded).toHaveLength(135);
  });
});

describe("draft-04 → draft-07 normalization", () => {
  it("turns boolean exclusiveMinimum/exclusiveMaximum into the numeric form", () => {
    const schema: JsonObject = {
      properties: {
        a: { type: "number", minimum: 0, exclusiveMinimum: true },
        b: { type: "number", maximum: 10, exclusiveMaximum: false },
      },
    };
    normalizeSchema(schema, true);
    expect(schema).toEqual({
      properties: { a: { type: "number", exclusiveMinimum: 0 }, b: { type: "number", maximum: 10 } },
    });
  });

  it("renames the draft-04 id keyword but not a property named id", () => {
    const schema: JsonObject = { id: "http://x/a.json", properties: { id: { type: "string" } }, required: ["id"] };
    normalizeSchema(schema, true);
    expect(schema).toEqual({ $id: "http://x/a.json", properties: { id: { type: "string" } }, required: ["id"] });
  });

  it("leaves draft-07 exclusive bounds alone and drops $ref siblings and annotations", () => {
    const schema: JsonObject = {
      description: "d",
      references: [{ url: "u" }],
      allOf: [{ $ref: "x.json", type: "string", description: "ignored" }, { exclusiveMinimum: 3 }],
    };
    normalizeSchema(schema, false);
    expect(schema).toEqual({ allOf: [{ $ref: "x.json" }, { exclusiveMinimum: 3 }] });
  });

  it("replaces refs to definitions that are bare refs by their target", () => {
    const schema: JsonObject = {
      definitions: { uv: { $ref: "unit-value-1.x.json" }, alias: { $ref: "#/definitions/uv" } },
      properties: { a: { $ref: "#/definitions/alias" }, b: { allOf: [{ $ref: "#/definitions/uv" }] } },
    };
    flattenDefinitionRefs(schema);
    expect(schema.properties).toEqual({
      a: { $ref: "unit-value-1.x.json" },
      b: { allOf: [{ $ref: "unit-value-1.x.json" }] },
    });
  });
});
