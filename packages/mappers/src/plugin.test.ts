/**
 * The plugin contract in-process: `servePlugin` (plugin side) wired straight to `pluginMapper`
 * (platform side), and hand-written misbehaving plugins. The same code across a real service binding
 * in workerd is tested in plugins/example-mapper/test/plugin.workers.test.ts.
 */
import { DETECT_HEAD_BYTES, type MapEvent, type Mapper } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { detectFormat } from "./index";
import {
  MAX_PLUGIN_EVENT_CHARS,
  MAX_PLUGIN_PROTOCOL_ISSUES,
  type MapperPluginRpc,
  PluginError,
  type PluginLog,
  pluginBindings,
  pluginMapper,
  pluginMappersFor,
  servePlugin,
} from "./plugin";
import { collect, fromBytes } from "./util/stream";

const encoder = new TextEncoder();
const lookup = { byLabel: () => ({ id: "v-1", name: "Anything", canonicalUnit: null }) };

/** A small mapper: `n=<number>` lines become heart-rate observations, anything else an issue. */
const tallyMapper: Mapper = {
  id: "tally",
  version: "2.1.0",
  description: "Lines of n=<number>.",
  detect: (input) => (input.headText.startsWith("n=") ? 0.8 : 0),
  async *map(source, context) {
    let text = "";
    for await (const chunk of source) text += new TextDecoder().decode(chunk, { stream: true });
    yield {
      kind: "issue",
      issue: {
        location: null,
        code: "context_seen",
        severity: "info",
        message: JSON.stringify({
          timezone: context.timezone ?? null,
          columns: context.columns ?? null,
          label: context.lookup.byLabel("heart rate"),
        }),
      },
    };
    for (const [i, line] of text.split("\n").entries()) {
      if (line === "") continue;
      const m = /^n=(\d+)$/.exec(line);
      yield m
        ? {
            kind: "observation",
            observation: {
              codings: [{ system: "http://loinc.org", code: "8867-4" }],
              value: Number(m[1]),
              unit: "/min",
              start_at: "2024-03-01T07:30:00Z",
              location: `line ${i + 1}`,
            },
          }
        : {
            kind: "issue",
            issue: { location: `line ${i + 1}`, code: "not_a_tally", severity: "error", message: "No." },
          };
    }
  },
};

function collector(): { log: PluginLog; entries: Array<{ event: string; [field: string]: unknown }> } {
  const entries: Array<{ event: string; [field: string]: unknown }> = [];
  return { log: (entry) => entries.push(entry), entries };
}

/** A plugin whose `map` answers the given raw output chunks. */
function rawOutput(chunks: ReadonlyArray<string | Uint8Array | number>, onCancel?: () => void): MapperPluginRpc {
  const served = servePlugin(tallyMapper);
  return {
    ...served,
    async map(source) {
      await source.cancel();
      let i = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks[i++];
          if (chunk === undefined) return controller.close();
          controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : (chunk as Uint8Array));
        },
        cancel() {
          onCancel?.();
        },
      });
    },
  };
}

const event = (value: number, location = "line 1") =>
  `${JSON.stringify({
    kind: "observation",
    observation: { codings: [], value, start_at: "2024-03-01T07:30:00Z", location },
  })}\n`;

const summary = (events: MapEvent[]) =>
  events.map((e) =>
    e.kind === "observation" ? `obs ${e.observation.value}` : `${e.issue.code} ${e.issue.location ?? "-"}`,
  );

describe("servePlugin + pluginMapper", () => {
  it("carry a mapper across the contract unchanged, under a namespaced id", async () => {
    const mapper = await pluginMapper(servePlugin(tallyMapper), { binding: "MAPPER_PLUGIN_TALLY" });
    expect(mapper).toMatchObject({
      id: "plugin:tally",
      version: "2.1.0",
      description: "Lines of n=<number>.",
      binding: "MAPPER_PLUGIN_TALLY",
    });
    const bytes = encoder.encode("n=61\nn=x\nn=63\n");
    const context = { lookup, timezone: "Europe/Berlin", columns: { HR: { variable_id: "v-hr", unit: "/min" } } };
    const direct = await collect(tallyMapper.map(fromBytes(bytes, 3), { ...context, lookup: { byLabel: () => null } }));
    const viaPlugin = await collect(mapper.map(fromBytes(bytes, 3), context));
    expect(viaPlugin).toEqual(direct);
    expect(summary(viaPlugin)).toEqual(["context_seen -", "obs 61", "not_a_tally line 2", "obs 63"]);
    // timezone and columns cross; the lookup does not (it matches nothing on the plugin side).
    const seen = viaPlugin[0]?.kind === "issue" ? JSON.parse(viaPlugin[0].issue.message) : null;
    expect(seen).toEqual({
      timezone: "Europe/Berlin",
      columns: { HR: { variable_id: "v-hr", unit: "/min" } },
      label: null,
    });
  });

  it("score a file through detect (BOM dropped, head copied and capped) and hand detectFormat the score", async () => {
    const heads: Uint8Array[] = [];
    const served = servePlugin(tallyMapper);
    const spy: MapperPluginRpc = {
      ...served,
      detect(input) {
        heads.push(input.head);
        return served.detect(input);
      },
    };
    const mapper = await pluginMapper(spy);
    expect(mapper.detect({ head: new Uint8Array(), headText: "n=1", name: null, contentType: null })).toBe(0);
    const big = new Uint8Array(DETECT_HEAD_BYTES + 100);
    big.set(encoder.encode("\uFEFFn=1\n"));
    expect(await mapper.score({ head: big, name: "t.txt", contentType: null })).toBe(0.8);
    expect(heads[0]?.byteLength).toBe(DETECT_HEAD_BYTES);
    expect(heads[0]?.buffer.byteLength).toBe(DETECT_HEAD_BYTES);

    const env = { MAPPER_PLUGINS: "TALLY", TALLY: spy };
    const head = encoder.encode("n=1\nn=2\n");
    const plugins = await pluginMappersFor(env, head, "t.txt", "text/plain");
    expect(plugins.map((p) => [p.mapper.id, p.score])).toEqual([["plugin:tally", 0.8]]);
    const detection = detectFormat(
      head,
      "t.txt",
      "text/plain",
      plugins.map((p) => p.mapper),
    );
    expect(detection).toMatchObject({ format: "plugin:tally", score: 0.8, ext: "txt" });
  });

  it("refuses at once to serve a mapper whose id or version the contract does not allow", () => {
    expect(() => servePlugin({ ...tallyMapper, id: "plugin:tally" })).toThrow(/id/);
    expect(() => servePlugin({ ...tallyMapper, id: "Tally" })).toThrow(/id/);
    expect(() => servePlugin({ ...tallyMapper, version: "2" })).toThrow(/version/);
  });

  it("validate what crosses on the plugin side too", async () => {
    const served = servePlugin(tallyMapper);
    await expect(
      served.detect({ head: new Uint8Array(DETECT_HEAD_BYTES + 1), name: null, contentType: null }),
    ).rejects.toThrow();
    await expect(served.map("text" as unknown as ReadableStream<Uint8Array>, {})).rejects.toThrow(TypeError);
    const empty = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    await expect(served.map(empty, { timezone: 5 } as unknown as { timezone: string })).rejects.toThrow();
    const throwing = servePlugin({
      ...tallyMapper,
      detect: () => {
        throw new Error("boom");
      },
    });
    expect(await throwing.detect({ head: new Uint8Array(), name: null, contentType: null })).toBe(0);
  });

  it("throw a PluginError (retry the file) when the plugin's mapper throws", async () => {
    const { log, entries } = collector();
    const original = console.error;
    console.error = () => {};
    try {
      const mapper = await pluginMapper(
        servePlugin({
          ...tallyMapper,
          async *map() {
            yield* [];
            throw new Error("the vendor API is down");
          },
        }),
        { log },
      );
      await expect(collect(mapper.map(fromBytes(encoder.encode("n=1")), { lookup }))).rejects.toBeInstanceOf(
        PluginError,
      );
    } finally {
      console.error = original;
    }
    expect(entries).toMatchObject([{ event: "mapper_plugin_failed", plugin: "plugin:tally", operation: "map" }]);
    expect(String(entries[0]?.error)).toContain("the vendor API is down");
  });
});

describe("pluginMapper with a misbehaving plugin", () => {
  it("rejects a plugin that does not describe itself properly", async () => {
    const served = servePlugin(tallyMapper);
    const answer = (description: unknown): MapperPluginRpc => ({
      ...served,
      describe: async () => description as never,
    });
    const failure = (rpc: MapperPluginRpc, options = {}) =>
      pluginMapper(rpc, { binding: "B", ...options }).catch((e) => e);
    for (const bad of [
      { protocol: 2, id: "tally", version: "1.0.0", description: "x" },
      { protocol: 1, id: "csv:plugin", version: "1.0.0", description: "x" },
      { protocol: 1, id: "tally", version: "latest", description: "x" },
      "tally",
    ]) {
      const error = await failure(answer(bad));
      expect(error).toBeInstanceOf(PluginError);
      expect(error).toMatchObject({ plugin: "B", operation: "describe" });
      expect(error.detail).toMatch(/^invalid description: /);
    }
    const thrown = await failure({
      ...served,
      describe: async () => {
        throw new Error("no such entrypoint");
      },
    });
    expect(thrown).toMatchObject({ operation: "describe", detail: "no such entrypoint" });
    const slow = await failure({ ...served, describe: () => new Promise(() => {}) }, { timeoutMs: 20 });
    expect(slow).toMatchObject({ operation: "describe", detail: "describe() did not answer within 20 ms" });
  });

  it("scores 0 for a malformed, failing or slow detect, and logs it", async () => {
    const { log, entries } = collector();
    const served = servePlugin(tallyMapper);
    const input = { head: encoder.encode("n=1"), name: null, contentType: null };
    for (const detect of [
      async () => Number.NaN,
      async () => 1.5,
      async () => "0.9" as unknown as number,
      async () => {
        throw new Error("boom");
      },
      () => new Promise<number>(() => {}),
    ]) {
      const mapper = await pluginMapper({ ...served, detect }, { log, timeoutMs: 20 });
      expect(await mapper.score(input)).toBe(0);
    }
    expect(entries.map((e) => e.event)).toEqual([
      "mapper_plugin_protocol",
      "mapper_plugin_protocol",
      "mapper_plugin_protocol",
      "mapper_plugin_failed",
      "mapper_plugin_failed",
    ]);
  });

  it("reads NDJSON split anywhere: CRLF, multi-byte characters cut between chunks, a last line without newline", async () => {
    const line = event(7, "line «1»").replace("\n", "\r\n");
    const bytes = encoder.encode(line + event(8, "line 2").trimEnd());
    const chunks = Array.from(bytes, (b) => new Uint8Array([b]));
    const mapper = await pluginMapper(rawOutput(chunks));
    const events = await collect(mapper.map(fromBytes(encoder.encode("")), { lookup }));
    expect(events.map((e) => (e.kind === "observation" ? e.observation.location : e.issue.message))).toEqual([
      "line «1»",
      "line 2",
    ]);
  });

  it("reports an over-long line once, skips it, and reads on", async () => {
    const long = `{"kind":"observation","observation":{"note":"${"x".repeat(MAX_PLUGIN_EVENT_CHARS)}`;
    const mapper = await pluginMapper(
      rawOutput([event(1), long.slice(0, 600_000), long.slice(600_000), '"}}\n', event(2)]),
    );
    const events = await collect(mapper.map(fromBytes(encoder.encode("")), { lookup }));
    expect(summary(events)).toEqual(["obs 1", "plugin_protocol -", "obs 2"]);
    expect(events[1]?.kind === "issue" && events[1].issue.message).toMatch(/output line 2 longer than/);
  });

  it("stops reading after too many protocol issues and cancels the plugin's stream", async () => {
    let cancelled = false;
    const mapper = await pluginMapper(
      rawOutput(
        Array.from({ length: MAX_PLUGIN_PROTOCOL_ISSUES + 50 }, () => "nope\n"),
        () => {
          cancelled = true;
        },
      ),
    );
    const events = await collect(mapper.map(fromBytes(encoder.encode("")), { lookup }));
    expect(events).toHaveLength(MAX_PLUGIN_PROTOCOL_ISSUES + 1);
    expect(events.every((e) => e.kind === "issue" && e.issue.code === "plugin_protocol")).toBe(true);
    expect(events.at(-1)?.kind === "issue" && events.at(-1)).toMatchObject({
      issue: { message: expect.stringMatching(/rest of its output for this file was ignored/) },
    });
    expect(cancelled).toBe(true);
  });

  it("cancels the plugin's stream when the consumer stops early", async () => {
    let cancelled = false;
    const mapper = await pluginMapper(
      rawOutput([event(1), event(2), event(3)], () => {
        cancelled = true;
      }),
    );
    for await (const e of mapper.map(fromBytes(encoder.encode("")), { lookup })) {
      expect(e.kind).toBe("observation");
      break;
    }
    expect(cancelled).toBe(true);
  });

  it("ends at a chunk that is not bytes, with a protocol issue", async () => {
    const mapper = await pluginMapper(rawOutput([event(1), 42, event(2)]));
    const events = await collect(mapper.map(fromBytes(encoder.encode("")), { lookup }));
    expect(summary(events)).toEqual(["obs 1", "plugin_protocol -"]);
  });

  it("throws a PluginError when map() itself rejects", async () => {
    const { log } = collector();
    const mapper = await pluginMapper(
      {
        ...servePlugin(tallyMapper),
        map: async () => {
          throw new Error("overloaded");
        },
      },
      { log },
    );
    const error = await collect(mapper.map(fromBytes(encoder.encode("")), { lookup })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "PluginError",
      plugin: "plugin:tally",
      operation: "map",
      detail: "overloaded",
    });
  });
});

describe("pluginBindings and pluginMappersFor", () => {
  it("pick the listed bindings that look like RPC stubs", () => {
    const { log, entries } = collector();
    const stub = servePlugin(tallyMapper);
    const env = { A: stub, B: "a string", C: { describe: () => 1 }, D: stub };
    const found = pluginBindings(env, " A, B ,C,, A ,D,E", { log });
    expect(found.map((b) => b.name)).toEqual(["A", "D"]);
    expect(entries.map((e) => e.binding)).toEqual(["B", "C", "E"]);
    expect(entries.every((e) => e.event === "mapper_plugin_binding_missing")).toBe(true);
  });

  it("answer nothing without MAPPER_PLUGINS, and leave out plugins that fail to describe", async () => {
    const head = encoder.encode("n=1\n");
    expect(await pluginMappersFor({}, head, null, null)).toEqual([]);
    expect(await pluginMappersFor({ MAPPER_PLUGINS: " " }, head, null, null)).toEqual([]);
    const { log, entries } = collector();
    const broken: MapperPluginRpc = { ...servePlugin(tallyMapper), describe: async () => ({}) as never };
    const env = { MAPPER_PLUGINS: "BROKEN,OK", BROKEN: broken, OK: servePlugin({ ...tallyMapper, id: "ok" }) };
    const plugins = await pluginMappersFor(env, head, null, null, { log });
    expect(plugins.map((p) => p.mapper.id)).toEqual(["plugin:ok"]);
    expect(entries).toMatchObject([{ event: "mapper_plugin_unavailable", binding: "BROKEN" }]);
  });
});
