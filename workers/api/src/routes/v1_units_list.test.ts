import { describe, expect, it } from "vitest";
import { expectProblem, json } from "../../test/helpers";
import { authed } from "../../test/identity";
import type { ListUnitsResponse } from "./v1_units_list";

describe("GET /v1/units", () => {
  it("finds mmol/L for q=mmol, with its dimension", async () => {
    const res = await authed("/v1/units?system=ucum&q=mmol");
    expect(res.status).toBe(200);
    const body = await json<ListUnitsResponse>(res);
    const mmolL = body.data.find((u) => u.code === "mmol/L");
    expect(mmolL).toMatchObject({
      system: "http://unitsofmeasure.org",
      name: "millimole per liter",
      property: "substance concentration",
      dimension: "mol1.L-3",
      common: true,
    });
    expect(body.data.every((u) => /mmol/i.test(`${u.code} ${u.name} ${u.synonyms.join(" ")}`))).toBe(true);
  });

  it("ranks an exact code first", async () => {
    const body = await json<ListUnitsResponse>(await authed("/v1/units?q=kg"));
    expect(body.data[0]?.code).toBe("kg");
  });

  it("lists every seeded unit across pages", async () => {
    const codes: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const body = await json<ListUnitsResponse>(await authed(`/v1/units?limit=200${query}`));
      codes.push(...body.data.map((u) => u.code));
      cursor = body.next_cursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(codes.length).toBeGreaterThan(1300);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of ["mg/dL", "mmol/L", "/min", "mm[Hg]", "Cel", "kg", "[lb_av]", "10*3/uL", "%"]) {
      expect(codes).toContain(code);
    }
  });

  it("rejects a unit system other than UCUM, and a cursor from another search", async () => {
    const problem = await expectProblem(await authed("/v1/units?system=snomed"), 400, "validation_failed");
    expect(problem.errors?.[0]).toMatchObject({ location: "query", path: "system" });
    const page = await json<ListUnitsResponse>(await authed("/v1/units?q=g&limit=1"));
    await expectProblem(await authed(`/v1/units?q=mol&cursor=${page.next_cursor}`), 400, "invalid_cursor");
  });
});
