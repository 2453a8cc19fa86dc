/**
 * The OpenAPI document is generated from the route schemas; this validates it against the OpenAPI
 * 3.1 specification with an independent validator (@readme/openapi-parser).
 */
import { generateMasterKey } from "@dfda/auth";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { newApp } from "../../workers/api/src/app";

/** The settings the API Worker's config requires (lib/config.ts); the document needs no bindings. */
const env = {
  ENVIRONMENT: "development",
  CORS_ORIGINS: "*",
  AUTH_MASTER_KEYS: JSON.stringify({ k1: generateMasterKey() }),
  AUTH_MASTER_KEY_ID: "k1",
};

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const res = await newApp().request("/openapi.json", {}, env);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    // compileErrors turns a failure into readable text, so a broken schema names itself here.
    expect(result.valid ? "" : compileErrors(result)).toBe("");
    expect(result.warnings).toEqual([]);
  });

  it("names every operation and documents its problem responses", async () => {
    const res = await newApp().request("/openapi.json", {}, env);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Problem", "FieldError", "Variable", "Unit", "VariableCategory"]),
    );
  });
});
