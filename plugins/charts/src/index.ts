/**
 * The charts visualization plugin Worker (issue 14, docs/plugins.md "The charts plugin"). Its named
 * entrypoint `ChartsPlugin` serves the visualization protocol (`describe`, `render`) over Workers RPC;
 * a calling Worker binds it with `[[services]] … entrypoint = "ChartsPlugin"`. It has no public surface:
 * its default `fetch` answers 404.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { PluginManifest, RenderResult, VisualizationPluginRpc } from "@dfda/plugins";
import { CHARTS_MANIFEST } from "./manifest";
import { render } from "./render";

/** Workers RPC exposes the methods declared on the class, so each is written out. */
export class ChartsPlugin extends WorkerEntrypoint implements VisualizationPluginRpc {
  describe(): PluginManifest {
    return CHARTS_MANIFEST;
  }

  render(request: unknown): RenderResult {
    return render(request);
  }
}

export default {
  fetch(): Response {
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler;
