/**
 * The N-of-1 analysis plugin Worker (issue 14; docs/plugins.md, "The N-of-1 analysis plugin"). Its named
 * entrypoint `NOf1Plugin` serves the analysis protocol of @dfda/plugins over Workers RPC; the calling
 * Worker binds it with `[[services]] binding = "PLUGIN_N_OF_1" … entrypoint = "NOf1Plugin"`. It has no
 * public surface: its default `fetch` answers 404. It does no I/O: the platform hands it the aligned
 * table it may see, and it answers with numbers.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { AnalysisPluginRpc, DataPlan, NOf1Result, PluginManifest, RunRequest } from "@dfda/plugins";
import { MANIFEST, plan, run } from "./contract";

/** Workers RPC exposes the methods declared on the class, so each is written out. */
export class NOf1Plugin extends WorkerEntrypoint implements AnalysisPluginRpc {
  describe(): PluginManifest {
    return MANIFEST;
  }

  plan(input: unknown): DataPlan {
    return plan(input);
  }

  run(request: RunRequest): NOf1Result {
    return run(request);
  }
}

export default {
  fetch(): Response {
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler;
