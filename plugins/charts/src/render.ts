/**
 * `render(request)`: the visualization protocol's one call (packages/plugins/src/protocol.ts), pure and
 * synchronous: no I/O, no clock, no randomness, so the same request always draws the same SVG.
 *
 * A malformed request (not a `RenderRequest`, or options outside the manifest's input schema) is the
 * caller's bug and throws `ChartRequestError`, which the platform reports as a failed call. Data that is
 * empty, too short or of the wrong mode for the kind is not an error: it draws a "no data" chart that
 * says why, so a person sees what is missing instead of a broken image.
 */
import {
  type AlignedTable,
  PairResult,
  PredictorSearchResult,
  RenderRequest,
  type RenderResult,
  type VisualizationKind,
} from "@dfda/plugins";
import { renderDelayCurve } from "./delay-curve";
import { renderHeatmap } from "./heatmap";
import { ChartInput } from "./manifest";
import { renderOutcomeLabel } from "./outcome-label";
import { renderScatter } from "./scatter";
import { idPrefix } from "./svg";
import { renderTimeline } from "./timeline";

/** The largest SVG a render returns (the manifest's `max_output_bytes` is above it). */
export const MAX_SVG_BYTES = 1024 * 1024;

export class ChartRequestError extends Error {
  override readonly name = "ChartRequestError";
  constructor(
    message: string,
    readonly errors: { path: string; message: string }[],
  ) {
    super(message);
  }
}

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  return error.issues.map((i) => ({ path: `/${i.path.map(String).join("/")}`, message: i.message }));
}

/** Draws one chart. Throws `ChartRequestError` on a malformed request; never on data. */
export function render(request: unknown): RenderResult {
  const parsed = RenderRequest.safeParse(request);
  if (!parsed.success) throw new ChartRequestError("not a render request", issues(parsed.error));
  const options = ChartInput.safeParse(parsed.data.input ?? {});
  if (!options.success) throw new ChartRequestError("invalid chart options", issues(options.error));
  const { kind, table, analysis } = parsed.data;
  // The id prefix hashes the whole request, so two different charts on one page never share ids.
  const id = idPrefix(kind, JSON.stringify(parsed.data));
  const body = draw(kind, options.data, table, analysis, id);
  if (body.length > MAX_SVG_BYTES) {
    // Unreachable by construction (every kind bounds its marks); kept as the boundary's promise.
    throw new ChartRequestError("the chart is too large", [{ path: "/", message: `${body.length} bytes` }]);
  }
  return { content_type: "image/svg+xml", body };
}

function draw(
  kind: VisualizationKind,
  input: ChartInput,
  table: AlignedTable | null,
  analysis: unknown,
  id: string,
): string {
  switch (kind) {
    case "timeline":
      return renderTimeline(table, input, id);
    case "heatmap":
      return renderHeatmap(table, input, id);
    case "scatter":
      return renderScatter(pairResult(analysis), input, id);
    case "delay-curve":
      return renderDelayCurve(pairResult(analysis), input, id);
    case "outcome-label": {
      const parsed = PredictorSearchResult.safeParse(analysis);
      return renderOutcomeLabel(parsed.success ? parsed.data : null, input, id);
    }
  }
}

/** A pair result, or null for none or another mode (which draws "no data"). */
function pairResult(analysis: unknown): PairResult | null {
  const parsed = PairResult.safeParse(analysis);
  return parsed.success ? parsed.data : null;
}
