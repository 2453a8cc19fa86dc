/**
 * The example mapper plugin Worker (docs/plugins.md). Its named entrypoint `ExampleMapper` serves
 * `bpTextLogMapper` over the mapper-plugin RPC contract; the mapper Worker binds it with
 * `[[services]] … entrypoint = "ExampleMapper"`. It has no public surface: its default `fetch` answers
 * 404.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
// The plugin contract of @dfda/mappers (packages/mappers/src/plugin.ts).
import {
  type MapperPluginRpc,
  type PluginDetectRequest,
  type PluginMapContext,
  servePlugin,
} from "@dfda/mappers/plugin";
import { bpTextLogMapper } from "./bp-text";

const plugin = servePlugin(bpTextLogMapper);

/** Workers RPC exposes the methods declared on the class (not instance properties), so each is written out and delegates to `servePlugin`. */
export class ExampleMapper extends WorkerEntrypoint implements MapperPluginRpc {
  describe() {
    return plugin.describe();
  }

  detect(input: PluginDetectRequest) {
    return plugin.detect(input);
  }

  map(source: ReadableStream<Uint8Array>, context: PluginMapContext) {
    return plugin.map(source, context);
  }
}

export default {
  fetch(): Response {
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler;
