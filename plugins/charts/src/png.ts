/**
 * The rasterizer for Workers: `rasterize(svg)` with resvg's WebAssembly module imported as a module
 * (wrangler bundles `*.wasm` imports as `CompiledWasm`, a `WebAssembly.Module`, by default:
 * https://developers.cloudflare.com/workers/wrangler/bundling/). A Worker that serves PNG charts (the API's
 * `GET /v1/visualizations/{kind}`) imports this; Node code uses ./rasterize.ts with the file's bytes.
 */
import resvgWasm from "@resvg/resvg-wasm/index_bg.wasm";
import { type RasterizeOptions, rasterizeWith } from "./rasterize";

export { MAX_PNG_EDGE, RasterizeError, type RasterizeOptions } from "./rasterize";

/**
 * An SVG document (a chart from `render`) as PNG bytes.
 *
 * @example
 * const png = await rasterize(result.body, { scale: 2 });
 * return new Response(png, { headers: { "Content-Type": "image/png" } });
 */
export function rasterize(svg: string, options: RasterizeOptions = {}): Promise<Uint8Array> {
  return rasterizeWith(resvgWasm, svg, options);
}
