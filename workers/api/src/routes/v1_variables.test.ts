import { describe, expect, it } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import { authed, clientToken, makeClient, makeTenant } from "../../test/identity";
import type { GetVariableResponse } from "./v1_variables_get";
import type { ListVariablesResponse } from "./v1_variables_list";

const LOINC = "http://loinc.org";

describe("GET /v1/variables", () => {
  it("finds heart rate by its LOINC code", async () => {
    const res = await authed(`/v1/variables?system=${encodeURIComponent(LOINC)}&code=8867-4`);
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
    const body = await json<ListVariablesResponse>(await authed("/v1/variables?category=laboratory&limit=200"));
    expect(body.data.length).toBeGreaterThan(20);
    expect(new Set(body.data.map((v) => v.category))).toEqual(new Set(["laboratory"]));
  });

  it("searches names, synonyms and codes with q", async () => {
    const byName = await json<ListVariablesResponse>(await authed("/v1/variables?q=glucose"));
    expect(byName.data.some((v) => v.canonical_unit === "mmol/L" && v.molecular_weight !== null)).toBe(true);
    const byCode = await json<ListVariablesResponse>(await authed("/v1/variables?q=29463-7"));
    expect(byCode.data.map((v) => v.slug)).toContain("body-weight");
  });

  it("treats LIKE wildcards in q literally", async () => {
    const body = await json<ListVariablesResponse>(await authed("/v1/variables?q=%25%25%25"));
    expect(body.data).toEqual([]);
  });

  it("pages through every variable with the cursor, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await authed(`/v1/variables?limit=100${query}`);
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
    const problem = await expectProblem(
      await authed("/v1/variables?limit=0&system=not-a-uri"),
      400,
      "validation_failed",
    );
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["limit", "system"]);
    expect(problem.errors?.every((e) => e.location === "query")).toBe(true);
    expect(problem.errors?.find((e) => e.path === "limit")?.pointer).toBe("/limit");
  });

  it("rejects a cursor it did not produce", async () => {
    await expectProblem(await authed("/v1/variables?cursor=bm90LWEtY3Vyc29y"), 400, "invalid_cursor");
    const units = await json<{ next_cursor: string }>(await authed("/v1/units?limit=1"));
    await expectProblem(await authed(`/v1/variables?cursor=${units.next_cursor}`), 400, "invalid_cursor");
  });
});

describe("GET /v1/variables/{id}", () => {
  async function heartRate() {
    const list = await json<ListVariablesResponse>(
      await authed(`/v1/variables?system=${encodeURIComponent(LOINC)}&code=8867-4`),
    );
    const hr = list.data[0];
    if (!hr) throw new Error("heart rate is not seeded");
    return hr;
  }

  it("returns the current definition with its versions", async () => {
    const hr = await heartRate();
    const res = await authed(`/v1/variables/${hr.id}`);
    expect(res.status).toBe(200);
    const body = await json<GetVariableResponse>(res);
    expect(body).toMatchObject({ id: hr.id, name: hr.name, version: 1 });
    expect(body.versions).toEqual([{ version: 1, valid_from: hr.valid_from, valid_to: null }]);
  });

  it("returns the version in force at an instant, or 404 before the variable existed", async () => {
    const hr = await heartRate();
    const ok = await authed(`/v1/variables/${hr.id}?at=${encodeURIComponent(new Date().toISOString())}`);
    expect(ok.status).toBe(200);
    await expectProblem(await authed(`/v1/variables/${hr.id}?at=1990-01-01T00:00:00Z`), 404, "not_found");
    await expectProblem(await authed(`/v1/variables/${hr.id}?version=2`), 404, "not_found");
    expect((await authed(`/v1/variables/${hr.id}?version=1`)).status).toBe(200);
  });

  it("404s for an unknown id and 400s for a malformed one", async () => {
    await expectProblem(await authed("/v1/variables/4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e"), 404, "not_found");
    const bad = await expectProblem(await authed("/v1/variables/not-a-uuid"), 400, "validation_failed");
    expect(bad.errors?.[0]).toMatchObject({ location: "path", path: "id" });
    const both = await expectProblem(
      await authed("/v1/variables/4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e?version=1&at=2020-01-01T00:00:00Z"),
      400,
      "validation_failed",
    );
    expect(both.errors?.[0]?.path).toBe("at");
  });
});

describe("tenant scoping of reference data", () => {
  it("shows a tenant's own variable to that tenant only", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const tokenA = await clientToken(await makeClient(a));
    const tokenB = await clientToken(await makeClient(b));
    const handle = await testDb();
    const id = crypto.randomUUID();
    try {
      const category = await handle.client.query<{ id: string }>(
        "select id from variable_categories where slug = 'laboratory'",
      );
      await handle.client.query(
        `insert into variables (id, version, tenant_id, slug, name, category_id, value_type, canonical_unit, is_input_factor, is_outcome, combination_operation, definition_hash)
         values ($1, 1, $2, 'local-lab-x', 'Local lab X', $3, 'numeric', 'mg/dL', false, true, 'mean', 'h')`,
        [id, a.id, category.rows[0]?.id],
      );
      await handle.client.query(
        "insert into variable_codes (tenant_id, system, code, variable_id) values ($1, 'urn:local:lab', 'LX1', $2)",
        [a.id, id],
      );
    } finally {
      await handle.close();
    }
    const asA = await api(`/v1/variables/${id}`, { headers: { Authorization: `Bearer ${tokenA}` } });
    expect(asA.status).toBe(200);
    expect(await asA.json()).toMatchObject({ scope: "tenant", codes: [{ system: "urn:local:lab", code: "LX1" }] });
    await expectProblem(
      await api(`/v1/variables/${id}`, { headers: { Authorization: `Bearer ${tokenB}` } }),
      404,
      "not_found",
    );
    const listB = await json<ListVariablesResponse>(
      await api("/v1/variables?system=urn:local:lab&code=LX1", { headers: { Authorization: `Bearer ${tokenB}` } }),
    );
    expect(listB.data).toEqual([]);
    const listA = await json<ListVariablesResponse>(
      await api("/v1/variables?system=urn:local:lab&code=LX1", { headers: { Authorization: `Bearer ${tokenA}` } }),
    );
    expect(listA.data.map((v) => v.id)).toEqual([id]);
  });
});
