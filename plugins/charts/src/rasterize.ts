/**
 * SVG → PNG without a browser (issue 14: "PNG where asked, rasterized without a browser"), with resvg
 * (github.com/linebender/resvg, a Rust SVG renderer) compiled to WebAssembly (`@resvg/resvg-wasm`).
 * It needs no eval and no `new Function` (which workerd forbids), only a `WebAssembly.Module`, so it runs
 * inside a Worker as well as in Node. resvg reads no system fonts in WebAssembly: the charts' text is
 * drawn with the bundled Arimo faces (SIL OFL 1.1, fonts/OFL.txt), metric-compatible with Arial and
 * Liberation Sans, the families the SVG asks for first.
 *
 * This module takes the WebAssembly module from its caller, so it serves every runtime: ./png.ts passes
 * the one a Worker imports; Node passes the file's bytes.
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { ARIMO_BOLD, ARIMO_REGULAR } from "./fonts.generated";

/** The largest PNG edge, in pixels: a 2000 × 2000 chart at 2× (bounded memory and time). */
export const MAX_PNG_EDGE = 4000;

export class RasterizeError extends Error {
  override readonly name = "RasterizeError";
}

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let ready: Promise<void> | null = null;
let fonts: Uint8Array[] | null = null;

/** Initialises resvg once per isolate (its `initWasm` may be called only once). */
function init(wasm: WebAssembly.Module | BufferSource): Promise<void> {
  ready ??= initWasm(wasm).catch((error: unknown) => {
    ready = null;
    throw error;
  });
  fonts ??= [decodeBase64(ARIMO_REGULAR), decodeBase64(ARIMO_BOLD)];
  return ready;
}

export interface RasterizeOptions {
  /** Pixels per SVG unit (CSS pixel): 2 for high-density screens. Default 1. */
  scale?: number;
}

/**
 * Renders an SVG document to PNG bytes at `scale` × its own width and height, on the SVG's own
 * background (the charts paint a white one).
 *
 * @example
 * const png = await rasterizeWith(resvgWasm, render(request).body, { scale: 2 });
 */
export async function rasterizeWith(
  wasm: WebAssembly.Module | BufferSource,
  svg: string,
  options: RasterizeOptions = {},
): Promise<Uint8Array> {
  await init(wasm);
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 4)) throw new RasterizeError("scale must be above 0 and at most 4");
  let resvg: InstanceType<typeof Resvg>;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: "zoom", value: scale },
      font: {
        fontBuffers: fonts ?? [],
        defaultFontFamily: "Arimo",
        sansSerifFamily: "Arimo",
        defaultFontSize: 12,
      },
      textRendering: 1,
      shapeRendering: 2,
    });
  } catch (error) {
    throw new RasterizeError(`not an SVG document: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    if (resvg.width * scale > MAX_PNG_EDGE || resvg.height * scale > MAX_PNG_EDGE) {
      throw new RasterizeError(`the image would be larger than ${MAX_PNG_EDGE} pixels on a side`);
    }
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
