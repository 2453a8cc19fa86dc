/**
 * Checks every operation of the OpenAPI document must pass, so a new route cannot skip them:
 * it answers, echoes the request id, refuses other methods with a 405 problem, documents its error
 * responses as problem+json, and rejects a malformed parameter with a 400 problem naming it.
 */
import { describe, expect, it } from "vitest";
import { api, expectProblem, json } from "./helpers";

interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; schema?: { type?: string | string[] } }>;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

const doc = await json<Doc>(await api("/openapi.json"));
const EXAMPLE_PATH_VALUES: Record<string, string> = { id: "4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e", code: "not_found" };
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    path,
    url: path.replace(/\{(\w+)\}/g, (_, name: string) => EXAMPLE_PATH_VALUES[name] ?? name),
    method: method.toUpperCase(),
    op,
  })),
);

describe.each(operations)("$method $path ($op.operationId)", ({ url, method, op }) => {
  it("answers with a request id and without a server error", async () => {
    const res = await api(url, { method });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("refuses other methods with a 405 problem", async () => {
    const other = method === "GET" ? "PATCH" : "GET";
    const res = await api(url, { method: other });
    const problem = await expectProblem(res, 405, "method_not_allowed");
    expect(problem.detail).toContain(method);
    expect(res.headers.get("allow")).toContain(method);
  });

  it("documents its error responses, each as problem+json", () => {
    expect(Object.keys(op.responses).some((status) => Number(status) >= 400)).toBe(true);
    for (const [status, response] of Object.entries(op.responses)) {
      if (Number(status) >= 400) expect(Object.keys(response.content ?? {})).toEqual(["application/problem+json"]);
    }
  });
});

const withIntegerParams = operations.flatMap(({ op, url, method, path }) =>
  (op.parameters ?? [])
    .filter((p) => p.in === "query" && p.schema?.type === "integer")
    .map((p) => ({ url, method, path, name: p.name })),
);

describe.each(withIntegerParams)("$method $path ?$name", ({ url, method, name }) => {
  it("rejects a malformed integer with a problem naming it", async () => {
    const res = await api(`${url}?${name}=not-a-number`, { method });
    const problem = await expectProblem(res, 400, "validation_failed");
    expect(problem.errors?.map((e) => e.path)).toContain(name);
  });
});
