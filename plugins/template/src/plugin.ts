/**
 * The template's implementation of the analysis protocol (@dfda/plugins protocol.ts), as a plain object:
 * the `TemplatePlugin` entrypoint (./index.ts) serves it over Workers RPC and `servePluginHttp` over
 * HTTPS, so both forms run exactly this code.
 */
import { type AnalysisPluginRpc, DataPlan, type PluginManifest, type RunRequest } from "@dfda/plugins";
import { TEMPLATE_MANIFEST, TemplateInput, type TemplateOutput } from "./manifest";
import { summarize } from "./stats";

export const templatePlugin = {
  describe(): PluginManifest {
    return TEMPLATE_MANIFEST;
  },

  /** The data an input needs: the named variables, per day, over `days` (the protocol's default otherwise). */
  plan(raw: unknown): DataPlan {
    const input = TemplateInput.parse(raw);
    return DataPlan.parse({
      variables: input.variables,
      resolution: "day",
      ...(input.days === undefined ? {} : { days: input.days }),
    });
  },

  /**
   * One summary per named variable the table carries, in the input's order. The platform checked the
   * input against the manifest before the call; parsing again keeps the plugin safe when it is called
   * some other way.
   */
  run(request: RunRequest): TemplateOutput {
    const input = TemplateInput.parse(request.input);
    const { table } = request;
    const bySlug = new Map(table.columns.map((c) => [c.slug, c]));
    const variables = input.variables.flatMap((slug) => {
      const column = bySlug.get(slug);
      return column === undefined ? [] : [summarize(column, table.times)];
    });
    return {
      resolution: table.resolution,
      window: { start: table.start, end: table.end },
      variables,
      missing: input.variables.filter((slug) => !bySlug.has(slug)),
    };
  },
} satisfies AnalysisPluginRpc;
