/**
 * The breaking-change checker (scripts/openapi-diff.ts) on small synthetic documents: each kind of
 * break it must report, and the additions it must let through. Built from what OpenAPI 3.1 and JSON
 * Schema 2020-12 allow (`$ref`s, `type` arrays, `anyOf`/`allOf`, `const`, bounds), not from the
 * platform's own document.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  allowsBreakingChanges,
  type BreakKind,
  breakingChanges,
  checkAgainstRelease,
  type OpenApiDocument,
  type Operation,
  releasedVersions,
  type Schema,
} from "../../scripts/openapi-diff";

const Job: Schema = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    status: { type: "string", enum: ["queued", "running", "done", "failed"] },
    count: { type: "integer" },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
  },
  required: ["id", "status", "count"],
};

const Batch: Schema = {
  type: "object",
  properties: {
    observations: {
      type: "array",
      maxItems: 100,
      items: {
        type: "object",
        properties: {
          value: { type: ["number", "string"] },
          unit: { type: "string", maxLength: 32 },
          kind: { type: "string", enum: ["numeric", "text"] },
        },
        required: ["value"],
      },
    },
    source: { type: "string" },
  },
  required: ["observations"],
};

function createJob(): Operation {
  return {
    operationId: "createJob",
    parameters: [
      { name: "id", in: "path", required: true, schema: { type: "string" } },
      { name: "mode", in: "query", required: false, schema: { type: "string", enum: ["fast", "full"] } },
      { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200 } },
    ],
    requestBody: {
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Batch" } } },
    },
    responses: {
      "202": { content: { "application/json": { schema: { $ref: "#/components/schemas/Job" } } } },
      "400": { content: { "application/problem+json": { schema: { type: "object" } } } },
    },
  };
}

function doc(version = "1.0.0"): OpenApiDocument & {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
} {
  return {
    info: { version },
    paths: {
      "/jobs/{id}": { post: createJob(), get: { operationId: "getJob", responses: { "200": { content: {} } } } },
      "/health": { get: { operationId: "health", responses: { "200": { content: {} } } } },
    },
    components: { schemas: { Job: structuredClone(Job), Batch: structuredClone(Batch) } },
  };
}

/** The document after `change`, compared with the unchanged one: the kinds reported, with where. */
function breaksAfter(change: (d: ReturnType<typeof doc>) => void): Array<[BreakKind, string]> {
  const after = doc();
  change(after);
  return breakingChanges(doc(), after).map((c) => [c.kind, c.where]);
}

function op(d: ReturnType<typeof doc>): Operation {
  const found = d.paths["/jobs/{id}"]?.post;
  if (!found) throw new Error("fixture");
  return found;
}
function schema(d: ReturnType<typeof doc>, name: "Job" | "Batch"): Schema {
  const found = d.components.schemas[name];
  if (!found) throw new Error("fixture");
  return found;
}
function property(s: Schema, ...path: string[]): Schema {
  let at = s;
  for (const key of path) {
    const next = key === "items" ? at.items : at.properties?.[key];
    if (!next) throw new Error(`fixture has no ${key}`);
    at = next;
  }
  return at;
}

describe("breakingChanges", () => {
  it("finds nothing between a document and itself", () => {
    expect(breakingChanges(doc(), doc())).toEqual([]);
  });

  describe("reports", () => {
    it("a removed operation (renaming a path parameter is not one)", () => {
      expect(breaksAfter((d) => delete d.paths["/health"])).toEqual([["operation-removed", "GET /health"]]);
      expect(
        breaksAfter((d) => {
          const methods = d.paths["/jobs/{id}"];
          delete d.paths["/jobs/{id}"];
          if (methods) d.paths["/jobs/{job_id}"] = methods;
        }),
      ).toEqual([]);
    });

    it("a success status no longer answered, or a media type no longer served", () => {
      expect(breaksAfter((d) => delete op(d).responses?.["202"])).toEqual([
        ["response-removed", "POST /jobs/{id} 202"],
      ]);
      expect(
        breaksAfter((d) => {
          const res = op(d).responses?.["202"];
          if (res) res.content = { "application/xml": { schema: { type: "string" } } };
        }),
      ).toEqual([["response-removed", "POST /jobs/{id} 202"]]);
    });

    it("a removed response field, also through a $ref, and a field no longer always present", () => {
      expect(breaksAfter((d) => delete schema(d, "Job").properties?.count)).toEqual([
        ["response-field-removed", "POST /jobs/{id} 202 (application/json) /count"],
      ]);
      expect(breaksAfter((d) => (schema(d, "Job").required = ["id", "status"]))).toEqual([
        ["response-field-removed", "POST /jobs/{id} 202 (application/json) /count"],
      ]);
    });

    it("a removed enum value, in a response and in a request", () => {
      expect(breaksAfter((d) => (property(schema(d, "Job"), "status").enum = ["queued", "running", "done"]))).toEqual([
        ["enum-value-removed", "POST /jobs/{id} 202 (application/json) /status"],
      ]);
      expect(
        breaksAfter((d) => {
          const mode = op(d).parameters?.[1];
          if (mode) mode.schema = { type: "string", enum: ["full"] };
        }),
      ).toEqual([["enum-value-removed", "POST /jobs/{id} query mode"]]);
      expect(
        breaksAfter((d) => (property(schema(d, "Batch"), "observations", "items", "kind").enum = ["numeric"])),
      ).toEqual([["enum-value-removed", "POST /jobs/{id} body (application/json) /observations/items/kind"]]);
    });

    it("a const that replaced an enum keeps only one value", () => {
      expect(
        breaksAfter((d) => {
          const status = property(schema(d, "Job"), "status");
          delete status.enum;
          status.const = "done";
        }),
      ).toEqual([["enum-value-removed", "POST /jobs/{id} 202 (application/json) /status"]]);
    });

    it("newly required request inputs: a parameter, a body field, a new field, a body", () => {
      expect(
        breaksAfter((d) => {
          const limit = op(d).parameters?.[2];
          if (limit) limit.required = true;
        }),
      ).toEqual([["request-input-required", "POST /jobs/{id} query limit"]]);
      expect(
        breaksAfter((d) =>
          op(d).parameters?.push({ name: "Idempotency-Key", in: "header", required: true, schema: { type: "string" } }),
        ),
      ).toEqual([["request-input-required", "POST /jobs/{id} header Idempotency-Key"]]);
      expect(breaksAfter((d) => (schema(d, "Batch").required = ["observations", "source"]))).toEqual([
        ["request-input-required", "POST /jobs/{id} body (application/json) /source"],
      ]);
      expect(
        breaksAfter((d) => {
          const item = property(schema(d, "Batch"), "observations", "items");
          item.properties = { ...item.properties, at: { type: "string" } };
          item.required = ["value", "at"];
        }),
      ).toEqual([["request-input-required", "POST /jobs/{id} body (application/json) /observations/items/at"]]);
      expect(
        breaksAfter((d) => {
          const get = d.paths["/jobs/{id}"]?.get;
          if (get)
            get.requestBody = { required: true, content: { "application/json": { schema: { type: "object" } } } };
        }),
      ).toEqual([["request-input-required", "GET /jobs/{id} body"]]);
    });

    it("narrowed request types: fewer JSON types, tighter bounds, a new format, pattern or enum", () => {
      const at = "POST /jobs/{id} body (application/json) /observations/items/value";
      expect(
        breaksAfter((d) => (property(schema(d, "Batch"), "observations", "items", "value").type = "number")),
      ).toEqual([["type-narrowed", at]]);
      expect(breaksAfter((d) => (property(schema(d, "Batch"), "observations").maxItems = 50))).toEqual([
        ["type-narrowed", "POST /jobs/{id} body (application/json) /observations"],
      ]);
      expect(
        breaksAfter((d) => {
          const limit = op(d).parameters?.[2];
          if (limit) limit.schema = { type: "integer", minimum: 10, maximum: 200 };
        }),
      ).toEqual([["type-narrowed", "POST /jobs/{id} query limit"]]);
      expect(breaksAfter((d) => (property(schema(d, "Batch"), "source").format = "uri"))).toEqual([
        ["type-narrowed", "POST /jobs/{id} body (application/json) /source"],
      ]);
      expect(breaksAfter((d) => (property(schema(d, "Batch"), "source").pattern = "^[a-z]+$"))).toEqual([
        ["type-narrowed", "POST /jobs/{id} body (application/json) /source"],
      ]);
      expect(breaksAfter((d) => (property(schema(d, "Batch"), "source").enum = ["device", "manual"]))).toEqual([
        ["type-narrowed", "POST /jobs/{id} body (application/json) /source"],
      ]);
      expect(
        breaksAfter((d) => {
          const body = op(d).requestBody;
          if (body) body.content = { "text/csv": { schema: { type: "string" } } };
        }),
      ).toEqual([["type-narrowed", "POST /jobs/{id} body"]]);
    });

    it("a response field that may now be null or of another type", () => {
      expect(
        breaksAfter((d) => {
          const job = schema(d, "Job");
          job.properties = { ...job.properties, count: { anyOf: [{ type: "integer" }, { type: "null" }] } };
        }),
      ).toEqual([["type-widened", "POST /jobs/{id} 202 (application/json) /count"]]);
      expect(breaksAfter((d) => (property(schema(d, "Job"), "count").type = ["integer", "null"]))).toEqual([
        ["type-widened", "POST /jobs/{id} 202 (application/json) /count"],
      ]);
      expect(breaksAfter((d) => (property(schema(d, "Job"), "count").type = "number"))).toEqual([
        ["type-widened", "POST /jobs/{id} 202 (application/json) /count"],
      ]);
    });
  });

  describe("lets through", () => {
    it("a new operation, an optional parameter, an optional body field, a response field", () => {
      expect(
        breaksAfter((d) => {
          d.paths["/jobs"] = { get: { operationId: "listJobs", responses: { "200": { content: {} } } } };
          op(d).parameters?.push({ name: "dry_run", in: "query", required: false, schema: { type: "boolean" } });
          const batch = schema(d, "Batch");
          batch.properties = { ...batch.properties, tags: { type: "array", items: { type: "string" } } };
          const job = schema(d, "Job");
          job.properties = { ...job.properties, created_at: { type: "string", format: "date-time" } };
          job.required = [...(job.required ?? []), "created_at"];
        }),
      ).toEqual([]);
    });

    it("a new enum value in a request, looser request bounds, a wider request type", () => {
      expect(
        breaksAfter((d) => {
          const mode = op(d).parameters?.[1];
          if (mode) mode.schema = { type: "string", enum: ["fast", "full", "sampled"] };
          const limit = op(d).parameters?.[2];
          if (limit) limit.schema = { type: "number", minimum: 1 };
          property(schema(d, "Batch"), "observations", "items", "value").type = ["number", "string", "boolean"];
          delete property(schema(d, "Batch"), "observations", "items", "unit").maxLength;
        }),
      ).toEqual([]);
    });

    it("a narrower response type, a required body field becoming optional, error statuses changing", () => {
      expect(
        breaksAfter((d) => {
          property(schema(d, "Job"), "note").anyOf = [{ type: "string" }];
          schema(d, "Batch").required = [];
          const responses = op(d).responses;
          if (responses) responses["409"] = { content: { "application/problem+json": { schema: { type: "object" } } } };
          delete responses?.["400"];
        }),
      ).toEqual([]);
    });

    it("an inlined schema that equals its former $ref, and allOf composition of the same fields", () => {
      expect(
        breaksAfter((d) => {
          const res = op(d).responses?.["202"]?.content?.["application/json"];
          if (res) {
            res.schema = {
              allOf: [
                { type: "object", properties: { id: Job.properties?.id ?? {} }, required: ["id"] },
                { type: "object", properties: { ...Job.properties }, required: ["status", "count"] },
              ],
            };
          }
        }),
      ).toEqual([]);
    });

    it("a recursive schema without looping", () => {
      const recursive = (d: ReturnType<typeof doc>) => {
        d.components.schemas.Node = {
          type: "object",
          properties: { child: { $ref: "#/components/schemas/Node" }, name: { type: "string" } },
        };
        const res = op(d).responses?.["202"]?.content?.["application/json"];
        if (res) res.schema = { $ref: "#/components/schemas/Node" };
      };
      const before = doc();
      recursive(before);
      const after = doc();
      recursive(after);
      expect(breakingChanges(before, after)).toEqual([]);
      const node = after.components.schemas.Node;
      if (node?.properties) delete node.properties.name;
      expect(breakingChanges(before, after).map((c) => c.kind)).toContain("response-field-removed");
    });
  });
});

describe("versions", () => {
  it("a new major announces breaking changes; in 0.x a new minor does (SemVer §4)", () => {
    expect(allowsBreakingChanges("1.4.2", "2.0.0")).toBe(true);
    expect(allowsBreakingChanges("1.4.2", "1.5.0")).toBe(false);
    expect(allowsBreakingChanges("1.4.2", "1.4.3")).toBe(false);
    expect(allowsBreakingChanges("0.1.0", "0.2.0")).toBe(true);
    expect(allowsBreakingChanges("0.1.0", "0.1.1")).toBe(false);
    expect(allowsBreakingChanges("0.9.0", "1.0.0")).toBe(true);
    expect(() => allowsBreakingChanges("one", "2.0.0")).toThrow(/semantic version/);
  });

  it("compares with the newest release not newer than the current version, failing an unannounced break", () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-releases-"));
    const v1 = doc("1.0.0");
    const v11 = doc("1.1.0");
    writeFileSync(join(dir, "1.0.0.json"), JSON.stringify(v1));
    writeFileSync(join(dir, "1.1.0.json"), JSON.stringify(v11));
    writeFileSync(join(dir, "3.0.0.json"), JSON.stringify(doc("3.0.0")));
    writeFileSync(join(dir, "notes.txt"), "not a release");
    expect(releasedVersions(dir)).toEqual(["1.0.0", "1.1.0", "3.0.0"]);

    const broken = doc("1.2.0");
    delete broken.paths["/health"];
    const check = checkAgainstRelease(broken, dir);
    expect(check).toMatchObject({ released: "1.1.0", current: "1.2.0", ok: false });
    expect(check.changes.map((c) => c.kind)).toEqual(["operation-removed"]);

    const announced = doc("2.0.0");
    delete announced.paths["/health"];
    expect(checkAgainstRelease(announced, dir)).toMatchObject({ released: "1.1.0", ok: true });
    expect(checkAgainstRelease(doc("1.1.5"), dir)).toMatchObject({ released: "1.1.0", ok: true, changes: [] });
    expect(() => checkAgainstRelease(doc("0.9.0"), dir)).toThrow(/No released OpenAPI document/);
  });
});
