import { VARIABLE_CATEGORIES } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { expectProblem, json } from "../../test/helpers";
import { authed } from "../../test/identity";
import type { ListVariableCategoriesResponse } from "./v1_variableCategories_list";

describe("GET /v1/variable-categories", () => {
  it("lists every category in display order with its variable count", async () => {
    const body = await json<ListVariableCategoriesResponse>(await authed("/v1/variable-categories"));
    expect(body.data.map((c) => c.slug)).toEqual(VARIABLE_CATEGORIES.map((c) => c.slug));
    expect(body.next_cursor).toBeNull();
    const vitals = body.data.find((c) => c.slug === "vital_signs");
    expect(vitals?.variable_count).toBeGreaterThanOrEqual(9);
    const total = body.data.reduce((sum, c) => sum + c.variable_count, 0);
    const all = await json<{ data: unknown[] }>(await authed("/v1/variables?limit=200"));
    expect(total).toBeGreaterThanOrEqual(all.data.length);
  });

  it("pages with a cursor", async () => {
    const first = await json<ListVariableCategoriesResponse>(await authed("/v1/variable-categories?limit=5"));
    expect(first.data).toHaveLength(5);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<ListVariableCategoriesResponse>(
      await authed(`/v1/variable-categories?limit=5&cursor=${first.next_cursor}`),
    );
    expect(second.data[0]?.slug).toBe(VARIABLE_CATEGORIES[5]?.slug);
  });

  it("rejects a limit beyond 200", async () => {
    await expectProblem(await authed("/v1/variable-categories?limit=201"), 400, "validation_failed");
  });
});
