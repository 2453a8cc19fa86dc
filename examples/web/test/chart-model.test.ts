/**
 * The web example's chart geometry (src/chart-model.ts): nice value ticks that enclose every reading,
 * time running left to right, higher values drawn higher, and the edge cases a person's first readings
 * produce (none, one, all equal).
 */
import { describe, expect, it } from "vitest";
import { chartModel, DEFAULT_SIZE, niceStep, valueTicks } from "../src/chart-model";

const HOUR = 60 * 60 * 1000;

describe("valueTicks", () => {
  it("steps by 1, 2 or 5 times a power of ten and encloses the range", () => {
    expect(valueTicks(61, 89)).toEqual([60, 70, 80, 90]);
    expect(valueTicks(70.2, 71.9)).toEqual([70, 70.5, 71, 71.5, 72]);
    expect(valueTicks(0.12, 0.48)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceStep(28, 4)).toBe(10);
    expect(niceStep(1.7, 4)).toBe(0.5);
    expect(niceStep(3000, 4)).toBe(1000);
  });

  it("puts a lone value inside a band around it, zero included", () => {
    const around72 = valueTicks(72, 72);
    expect(around72[0]).toBeLessThan(72);
    expect(around72.at(-1)).toBeGreaterThan(72);
    const aroundZero = valueTicks(0, 0);
    expect(aroundZero[0]).toBeLessThan(0);
    expect(aroundZero.at(-1)).toBeGreaterThan(0);
  });

  it("refuses a range that is not one", () => {
    expect(() => valueTicks(5, 1)).toThrow(RangeError);
    expect(() => valueTicks(Number.NaN, 1)).toThrow(RangeError);
  });
});

describe("chartModel", () => {
  it("has nothing to draw without readings", () => {
    expect(chartModel([])).toMatchObject({ points: [], line: "", yTicks: [], xTicks: [] });
  });

  it("places readings in time order inside the plot, later to the right and higher values higher", () => {
    const t0 = Date.UTC(2026, 10, 20, 8);
    // Given newest first, as the API lists them.
    const model = chartModel([
      { time: t0 + 2 * HOUR, value: 80 },
      { time: t0 + HOUR, value: 64 },
      { time: t0, value: 72 },
    ]);
    const { plot } = model;
    expect(model.points.map((p) => p.value)).toEqual([72, 64, 80]);
    const [a, b, c] = model.points;
    expect(a?.x).toBe(plot.left);
    expect(c?.x).toBe(plot.right);
    expect(b?.x).toBeCloseTo((plot.left + plot.right) / 2, 1);
    expect(b?.y).toBeGreaterThan(a?.y ?? 0);
    expect(c?.y).toBeLessThan(a?.y ?? 0);
    for (const p of model.points) {
      expect(p.y).toBeGreaterThanOrEqual(plot.top);
      expect(p.y).toBeLessThanOrEqual(plot.bottom);
    }
    expect(model.line).toBe(model.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" "));
    expect(model.yTicks[0]).toMatchObject({ value: 60, y: plot.bottom });
    expect(model.yTicks.at(-1)).toMatchObject({ value: 80, y: plot.top });
    expect(model.xTicks.map((t) => t.time)).toEqual([t0, t0 + 2 * HOUR]);
  });

  it("puts a single reading mid-way in time and off the value axis' ends, and skips values that are not numbers", () => {
    const t = Date.UTC(2026, 10, 20, 8);
    const model = chartModel([
      { time: t, value: 72 },
      { time: t, value: Number.NaN },
    ]);
    expect(model.points).toHaveLength(1);
    const { plot } = model;
    expect(model.points[0]?.x).toBe((plot.left + plot.right) / 2);
    expect(model.points[0]?.y).toBeGreaterThan(plot.top);
    expect(model.points[0]?.y).toBeLessThan(plot.bottom);
    expect(model.width).toBe(DEFAULT_SIZE.width);
  });
});
