/**
 * PNG without a browser, inside workerd: resvg's WebAssembly module renders each chart, the text with
 * the bundled fonts. Checks the PNG signature and IHDR size (PNG, ISO/IEC 15948 §11.2.2), that text was
 * drawn (the title's pixels differ from a chart without it), and the limits.
 */
import { describe, expect, it } from "vitest";
import { MAX_PNG_EDGE, RasterizeError, rasterize } from "../src/png";
import { render } from "../src/render";
import { sampleRequests } from "./fixtures";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must come first. */
function ihdr(png: Uint8Array): { width: number; height: number } {
  expect([...png.slice(0, 8)]).toEqual(SIGNATURE);
  expect(new TextDecoder().decode(png.slice(12, 16))).toBe("IHDR");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("rasterize", () => {
  it("renders every kind of chart to a PNG of the chart's size", async () => {
    for (const [kind, request] of Object.entries(sampleRequests())) {
      const svg = render(request).body;
      const width = Number(/ width="(\d+)"/.exec(svg)?.[1]);
      const height = Number(/ height="(\d+)"/.exec(svg)?.[1]);
      const png = await rasterize(svg);
      expect(ihdr(png), kind).toEqual({ width, height });
      expect(png.length).toBeGreaterThan(2000);
    }
  });

  it("scales, and draws the text with the bundled fonts", async () => {
    const request = sampleRequests()["outcome-label"];
    const svg = render(request).body;
    const png = await rasterize(svg, { scale: 2 });
    const { width } = ihdr(png);
    expect(width).toBe(2 * Number(/ width="(\d+)"/.exec(svg)?.[1]));
    // Without fonts resvg silently skips text: a chart whose text is removed must encode differently.
    const withoutText = svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, "");
    expect(withoutText.length).toBeLessThan(svg.length);
    const blank = await rasterize(withoutText, { scale: 2 });
    expect(blank.length).toBeLessThan(png.length * 0.8);
  });

  it("refuses what is not SVG, a bad scale, and images past the size limit", async () => {
    await expect(rasterize("not svg")).rejects.toBeInstanceOf(RasterizeError);
    await expect(rasterize(render(sampleRequests().scatter).body, { scale: 0 })).rejects.toBeInstanceOf(RasterizeError);
    const huge = `<svg xmlns="http://www.w3.org/2000/svg" width="${MAX_PNG_EDGE + 1}" height="10"/>`;
    await expect(rasterize(huge)).rejects.toThrow(/larger than/);
  });
});
