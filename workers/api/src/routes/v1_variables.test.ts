import { describe, expect, it } from "vitest";
import { api, expectProblem, json } from "../../test/helpers";
import type { GetVariableResponse } from "./v1_variables_get";
import type { ListVariablesResponse } from "./v1_variables_list";

const LOINC = "http://loinc.org";

describe("GET /v1/variables", () => {
  it("finds heart rate by its LOINC code", async () => {
    const res = await api(`/v1/variables?system=${encodeURIComponent(LOINC)}&code=8867-4`);
    expect(res.status).toBe(200);
    const body = await json<ListVariablesResponse>(res);
    expect(body.data).toHaveLength(1);
    const [hr] = body.data;
    expect(hr).toMatchObject({
      slug: "heart-rate",
      category: "vital_signs",
      value_type: "numeric",
      canonical_unit: "/min",
      combination_operation: "mean",
      version: 1,
      valid_to: null,
      scope: "platform",
    });
    expect(hr?.codes).toContainEqual(expect.objectContaining({ system: LOINC, code: "8867-4" }));
  });

  it("filters by category and returns only that category", async () => {
    const body = await json<ListVariablesResponse>(await api("/v1/variables?category=laboratory&limit=200"));
    expect(body.data.length).toBeGreaterThan(20);
    expect(new Set(body.data.map((v) => v.category))).toEqual(new Set(["laboratory"]));
  });

  it("searches names, synonyms and codes with q", async () => {
    const byName = await json<ListVariablesResponse>(await api("/v1/variables?q=glucose"));
    expect(byName.data.some((v) => v.canonical_unit === "mmol/L" && v.molecular_weight !== null)).toBe(true);
    const byCode = await json<ListVariablesResponse>(await api("/v1/variables?q=29463-7"));
    expect(byCode.data.map((v) => v.slug)).toContain("body-weight");
  });

  it("treats LIKE wildcards in q literally", async () => {
    const body = await json<ListVariablesResponse>(await api("/v1/variables?q=%25%25%25"));
    expect(body.data).toEqual([]);
  });

  it("pages through every variable with the cursor, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await api(`/v1/variables?limit=100${query}`);
      expect(res.status).toBe(200);
      const body = await json<ListVariablesResponse>(res);
      seen.push(...body.data.map((v) => v.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor !== null && pages < 50);
    expect(seen.length).toBeGreaterThanOrEqual(250);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 100));
  });

  it("answers a bad query with a problem naming each field", async () => {
    const problem = await expectProblem(await api("/v1/variables?limit=0&system=not-a-uri"), 400, "validation_failed");
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["limit", "system"]);
    expect(problem.errors?.every((e) => e.location === "query")).toBe(true);
    expect(problem.errors?.find((e) => e.path === "limit")?.pointer).toBe("/limit");
  });

  it("rejects a cursor it did not produce", async () => {
    await expectProblem(await api("/v1/variables?cursor=bm90LWEtY3Vyc29y"), 400, "invalid_cursor");
    const units = await json<{ next_cursor: string }>(await api("/v1/units?limit=1"));
    await expectProblem(await api(`/v1/variables?cursor=${units.next_cursor}`), 400, "invalid_cursor");
  });
});

describe("GET /v1/variables/{id}", () => {
  async function heartRate() {
    const list = await json<ListVariablesResponse>(
      await api(`/v1/variables?system=${encodeURIComponent(LOINC)}&code=8867-4`),
    );
    const hr = list.data[0];
    if (!hr) throw new Error("heart rate is not seeded");
    return hr;
  }

  it("returns the current definition with its versions", async () => {
    const hr = await heartRate();
    const res = await api(`/v1/variables/${hr.id}`);
    expect(res.status).toBe(200);
    const body = await json<GetVariableResponse>(res);
    expect(body).toMatchObject({ id: hr.id, name: hr.name, version: 1 });
    expect(body.versions).toEqual([{ version: 1, valid_from: hr.valid_from, valid_to: null }]);
  });

  it("returns the version in force at an instant, or 404 before the variable existed", async () => {
    const hr = await heartRate();
    const ok = await api(`/v1/variables/${hr.id}?at=${encodeURIComponent(new Date().toISOString())}`);
    expect(ok.status).toBe(200);
    await expectProblem(await api(`/v1/variables/${hr.id}?at=1990-01-01T00:00:00Z`), 404, "not_found");
    await expectProblem(await api(`/v1/variables/${hr.id}?version=2`), 404, "not_found");
    expect((await api(`/v1/variables/${hr.id}?version=1`)).status).toBe(200);
  });

  it("404s for an unknown id and 400s for a malformed one", async () => {
    await expectProblem(await api("/v1/variables/4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e"), 404, "not_found");
    const bad = await expectProblem(await api("/v1/variables/not-a-uuid"), 400, "validation_failed");
    expect(bad.errors?.[0]).toMatchObject({ location: "path", path: "id" });
    const both = await expectProblem(
      await api("/v1/variables/4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e?version=1&at=2020-01-01T00:00:00Z"),
      400,
      "validation_failed",
    );
    expect(both.errors?.[0]?.path).toBe("at");
  });
});
