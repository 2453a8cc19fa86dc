/**
 * Every operation of the OpenAPI document shows a request and a response a developer can copy: an
 * example for each request body media type, for each path and required parameter, for each response's
 * media type (errors too: the problem a client receives), and the `Location` of each redirect; and every
 * example in the document validates against its own schema (Location headers too).
 * The validator is Ajv's JSON Schema 2020-12 implementation (OpenAPI 3.1 schemas are 2020-12, §4.8.24)
 * with ajv-formats for `uuid`, `date-time`, `email`, `uri` …, independent of zod, which made the schemas.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../scripts/openapi";

interface Media {
  schema?: Record<string, unknown>;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<
    string,
    {
      content?: Record<string, Media>;
      headers?: Record<string, { example?: unknown; schema?: { example?: unknown } }>;
    }
  >;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

// ajv-formats is CommonJS whose default export is the plugin; under Node's ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

const DOC_ID = "https://dfda.invalid/openapi.json";
let doc: Doc;
let ajv: Ajv2020;

beforeAll(async () => {
  doc = JSON.parse(await openApiDocument()) as Doc;
  // strict: false because OpenAPI adds keywords JSON Schema does not define (`example`, `discriminator`).
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The whole document, so each schema is compiled in place and its `#/components/schemas/…` refs resolve.
  ajv.addSchema(doc, DOC_ID);
});

/** RFC 6901 JSON Pointer of a location in the document. */
function pointer(...tokens: string[]): string {
  return `#/${tokens.map((t) => t.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

function validator(...tokens: string[]): ValidateFunction {
  return ajv.compile({ $ref: `${DOC_ID}${pointer(...tokens)}` });
}

/** The examples a media type or parameter gives: `example`, or each of `examples`. */
function examplesOf(holder: { example?: unknown; examples?: Record<string, { value?: unknown }> }): unknown[] {
  const listed = Object.values(holder.examples ?? {}).map((e) => e.value);
  return holder.example === undefined ? listed : [holder.example, ...listed];
}

/** Bytes (an image, an archive, an uploaded file) have no JSON example to show or check. */
function isBinary(media: Media): boolean {
  return media.schema?.format === "binary";
}

function problems(validate: ValidateFunction, value: unknown): string {
  return validate(value) ? "" : ajv.errorsText(validate.errors, { separator: "; " });
}

function operations(): Array<{ where: string; path: string; method: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, path, method, op })),
  );
}

describe("examples in the OpenAPI document", () => {
  it("every operation has an example request: each body media type, each path and required parameter", () => {
    const missing: string[] = [];
    for (const { where, op } of operations()) {
      for (const p of op.parameters ?? []) {
        const needed = p.in === "path" || p.required === true;
        if (needed && examplesOf(p).length === 0 && p.schema?.example === undefined) {
          missing.push(`${where} ${p.in} ${p.name}`);
        }
      }
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (!isBinary(media) && examplesOf(media).length === 0) missing.push(`${where} body ${type}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every operation has an example response for each status and media type, errors included", () => {
    const missing: string[] = [];
    for (const { where, op } of operations()) {
      // A success: the 2xx answers, or for a form that answers with a redirect (RFC 9110 §15.4), the 3xx ones.
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => s.startsWith("2") || s.startsWith("3")),
        where,
      ).toBe(true);
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (!isBinary(media) && examplesOf(media).length === 0) missing.push(`${where} ${status} ${type}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("every redirect shows where it goes: an example of its Location header", () => {
    const missing: string[] = [];
    for (const { where, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith("3")) continue;
        const location = response.headers?.Location;
        if (location?.example === undefined && location?.schema?.example === undefined) {
          missing.push(`${where} ${status} Location`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("every example validates against its schema", () => {
    const invalid: string[] = [];
    let checked = 0;
    for (const { where, path, method, op } of operations()) {
      (op.parameters ?? []).forEach((p, i) => {
        const values = [...examplesOf(p), ...(p.schema?.example === undefined ? [] : [p.schema.example])];
        if (values.length === 0 || p.schema === undefined) return;
        const validate = validator("paths", path, method, "parameters", String(i), "schema");
        for (const value of values) {
          checked++;
          const errors = problems(validate, value);
          if (errors) invalid.push(`${where} ${p.in} ${p.name}: ${errors}`);
        }
      });
      const media: Array<[string[], Media, string]> = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]): [string[], Media, string] => [
          ["requestBody", "content", type],
          m,
          `body ${type}`,
        ]),
        ...Object.entries(op.responses).flatMap(([status, r]) =>
          Object.entries(r.content ?? {}).map(([type, m]): [string[], Media, string] => [
            ["responses", status, "content", type],
            m,
            `${status} ${type}`,
          ]),
        ),
      ];
      for (const [tokens, m, label] of media) {
        const values = examplesOf(m);
        if (values.length === 0 || m.schema === undefined) continue;
        const validate = validator("paths", path, method, ...tokens, "schema");
        for (const value of values) {
          checked++;
          const errors = problems(validate, value);
          if (errors) invalid.push(`${where} ${label}: ${errors}`);
        }
      }
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [name, header] of Object.entries(response.headers ?? {})) {
          if (header.example === undefined || header.schema === undefined) continue;
          checked++;
          const validate = validator("paths", path, method, "responses", status, "headers", name, "schema");
          const errors = problems(validate, header.example);
          if (errors) invalid.push(`${where} ${status} header ${name}: ${errors}`);
        }
      }
    }
    expect(invalid).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it("the validator refuses an example that does not match its schema", () => {
    // Guards the check above against passing vacuously (an unresolved $ref, formats not enforced).
    const validate = validator(
      "paths",
      "/v1/variables",
      "get",
      "responses",
      "200",
      "content",
      "application/json",
      "schema",
    );
    expect(problems(validate, { data: [{ id: "not-a-uuid" }], next_cursor: null })).not.toBe("");
    expect(problems(validate, { data: "nope" })).not.toBe("");
  });
});
