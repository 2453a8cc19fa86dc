/**
 * The mapper Worker's side of the plugin contract across real service bindings in workerd: the test
 * Worker is bound to the example plugin Worker (and to misbehaving ones) with [[services]] entrypoint
 * bindings (./wrangler.toml), and drives them through `pluginMappersFor` / `pluginMapper` exactly as
 * workers/mapper does: RPC calls, the file streamed in, NDJSON events streamed out, every event
 * validated.
 */

import { env } from "cloudflare:workers";
import { collect, detectFormat, fromBytes } from "@dfda/mappers";
import {
  type MapperPluginRpc,
  PluginError,
  type PluginLog,
  pluginBindings,
  pluginMapper,
  pluginMappersFor,
} from "@dfda/mappers/plugin";
import { describe, expect, it } from "vitest";

const encoder = new TextEncoder();

const LOG = [
  "# Home blood pressure log",
  "2024-03-01 07:30 128/82 64",
  "2024-03-01 21:10 135/88 70 after a walk",
  "2024-03-02 07:25 122/79",
  "2024-03-02 21:40 12x/80 66",
  "",
].join("\n");

/** A log collector, so expected warnings are asserted instead of printed. */
function logs(): { log: PluginLog; entries: Array<{ event: string; [field: string]: unknown }> } {
  const entries: Array<{ event: string; [field: string]: unknown }> = [];
  return { log: (entry) => entries.push(entry), entries };
}

/** One plugin binding of the test Worker's env, by name. */
function binding(name: string): MapperPluginRpc {
  const found = pluginBindings(env, name)[0];
  if (found === undefined) throw new Error(`no plugin binding ${name}`);
  return found.rpc;
}

const lookup = { byLabel: () => null };

describe("mapper plugins over service bindings", () => {
  it("detects the example plugin's format through RPC and wins over the core mappers", async () => {
    const head = encoder.encode(LOG);
    const plugins = await pluginMappersFor(env, head, "bp.txt", "text/plain");
    expect(plugins.map((p) => [p.mapper.id, p.mapper.version, p.score])).toEqual([
      ["plugin:bp-text-log", "1.0.0", 0.95],
    ]);
    expect(plugins[0]?.mapper.binding).toBe("MAPPER_PLUGIN_EXAMPLE");

    const detection = detectFormat(
      head,
      "bp.txt",
      "text/plain",
      plugins.map((p) => p.mapper),
    );
    expect(detection).toMatchObject({ format: "plugin:bp-text-log", score: 0.95, ext: "txt" });

    // A file the plugin does not know: the plugin scores 0 and a core mapper still wins.
    const csv = encoder.encode("date,weight\n2024-03-01,70\n");
    const forCsv = await pluginMappersFor(env, csv, "w.csv", "text/csv");
    expect(forCsv.map((p) => p.score)).toEqual([0]);
    expect(
      detectFormat(
        csv,
        "w.csv",
        "text/csv",
        forCsv.map((p) => p.mapper),
      ).format,
    ).toBe("csv");
  });

  it("streams a log to the plugin in small chunks and its validated events back", async () => {
    const mapper = await pluginMapper(binding("MAPPER_PLUGIN_EXAMPLE"), { binding: "MAPPER_PLUGIN_EXAMPLE" });
    const events = await collect(mapper.map(fromBytes(encoder.encode(LOG), 7), { lookup, timezone: "Europe/Berlin" }));
    const bp = (code: string, value: number, unit: string, at: string, line: number, note?: string) => ({
      kind: "observation",
      observation: {
        codings: [
          {
            system: "http://loinc.org",
            code,
            display: {
              "8480-6": "Systolic blood pressure",
              "8462-4": "Diastolic blood pressure",
              "8867-4": "Heart rate",
            }[code],
          },
        ],
        value,
        unit,
        start_at: at,
        location: `line ${line}`,
        ...(note === undefined ? {} : { note }),
      },
    });
    expect(events).toEqual([
      bp("8480-6", 128, "mm[Hg]", "2024-03-01T07:30:00+01:00", 2),
      bp("8462-4", 82, "mm[Hg]", "2024-03-01T07:30:00+01:00", 2),
      bp("8867-4", 64, "/min", "2024-03-01T07:30:00+01:00", 2),
      bp("8480-6", 135, "mm[Hg]", "2024-03-01T21:10:00+01:00", 3, "after a walk"),
      bp("8462-4", 88, "mm[Hg]", "2024-03-01T21:10:00+01:00", 3, "after a walk"),
      bp("8867-4", 70, "/min", "2024-03-01T21:10:00+01:00", 3, "after a walk"),
      bp("8480-6", 122, "mm[Hg]", "2024-03-02T07:25:00+01:00", 4),
      bp("8462-4", 79, "mm[Hg]", "2024-03-02T07:25:00+01:00", 4),
      {
        kind: "issue",
        issue: {
          location: "line 5",
          code: "invalid_line",
          severity: "error",
          message: "Line 5 is not a reading (expected `YYYY-MM-DD HH:MM SYS/DIA [PULSE] [note]`).",
        },
      },
    ]);
  });

  it("streams a large log both ways with flow control", async () => {
    const lines = 20_000;
    const text = Array.from({ length: lines }, (_, i) => {
      const minute = i % 1_440;
      return `2024-01-${String(1 + Math.floor(i / 1_440)).padStart(2, "0")} ${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")} ${110 + (i % 40)}/${70 + (i % 20)} ${55 + (i % 30)}`;
    }).join("\n");
    const mapper = await pluginMapper(binding("MAPPER_PLUGIN_EXAMPLE"));
    // The source is a ReadableStream, as the mapper Worker's decrypted R2 body is.
    const bytes = encoder.encode(text);
    let offset = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 4_096));
        offset += 4_096;
      },
    });
    let observations = 0;
    let issues = 0;
    let last = "";
    for await (const event of mapper.map(source, { lookup, timezone: "+00:00" })) {
      if (event.kind === "observation") {
        observations += 1;
        last = event.observation.location;
      } else issues += 1;
    }
    expect({ observations, issues, last }).toEqual({ observations: lines * 3, issues: 0, last: `line ${lines}` });
  });

  it("turns a broken plugin's malformed output into plugin_protocol issues and keeps its valid events", async () => {
    const { log, entries } = logs();
    const mapper = await pluginMapper(binding("MAPPER_PLUGIN_BROKEN"), { binding: "MAPPER_PLUGIN_BROKEN", log });
    expect(mapper.id).toBe("plugin:broken");
    // Its detect answers a string: scored 0, and logged.
    expect(await mapper.score({ head: encoder.encode(LOG), name: null, contentType: null })).toBe(0);
    expect(entries).toMatchObject([{ level: "warn", event: "mapper_plugin_protocol", operation: "detect" }]);

    const events = await collect(mapper.map(fromBytes(encoder.encode(LOG)), { lookup }));
    const summary = events.map((e) =>
      e.kind === "observation"
        ? `obs ${e.observation.location} ${e.observation.value}`
        : `${e.issue.code} ${e.issue.location}`,
    );
    expect(summary).toEqual([
      "obs line 1 61",
      "plugin_protocol null",
      "plugin_protocol line 2",
      "plugin_protocol null",
      "obs line 3 63",
      "plugin_protocol line 4",
      "odd_line line 5",
      "plugin_protocol line 6",
      "obs line 7 67",
    ]);
    const protocol = events.flatMap((e) => (e.kind === "issue" && e.issue.code === "plugin_protocol" ? [e.issue] : []));
    expect(
      protocol.every((i) => i.severity === "error" && i.message.startsWith("The mapper plugin plugin:broken ")),
    ).toBe(true);
    expect(protocol[0]?.message).toBe("The mapper plugin plugin:broken sent output line 2 that is not JSON.");
    expect(protocol[1]?.message).toMatch(/^The mapper plugin plugin:broken sent an invalid event \(output line 3\): /);
  });

  it("throws a PluginError when a plugin's output stream fails, so the file is retried", async () => {
    const { log, entries } = logs();
    const mapper = await pluginMapper(binding("MAPPER_PLUGIN_FAILING"), { binding: "MAPPER_PLUGIN_FAILING", log });
    const seen: string[] = [];
    const run = async () => {
      for await (const event of mapper.map(fromBytes(encoder.encode(LOG)), { lookup })) seen.push(event.kind);
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ plugin: "plugin:failing", operation: "map" });
    expect((error as PluginError).message).toBe("The mapper plugin plugin:failing failed (map).");
    // An errored stream drops what it had queued (WHATWG Streams: ReadableStreamDefaultControllerError
    // resets the queue), so the event sent before the failure may or may not arrive.
    expect(seen.length).toBeLessThanOrEqual(1);
    expect(entries).toMatchObject([{ level: "error", event: "mapper_plugin_failed", plugin: "plugin:failing" }]);
  });

  it("answers a protocol issue when map() does not answer a stream", async () => {
    const mapper = await pluginMapper(binding("MAPPER_PLUGIN_NOT_A_STREAM"));
    const events = await collect(mapper.map(fromBytes(encoder.encode(LOG)), { lookup }));
    expect(events).toEqual([
      {
        kind: "issue",
        issue: {
          location: null,
          code: "plugin_protocol",
          severity: "error",
          message: "The mapper plugin plugin:not-a-stream did not answer map() with a byte stream; nothing was mapped.",
        },
      },
    ]);
  });

  it("leaves out plugins that are missing, impostors, slow or duplicates, and keeps the rest", async () => {
    const { log, entries } = logs();
    const hostEnv = {
      MAPPER_PLUGINS:
        "MAPPER_PLUGIN_EXAMPLE, MAPPER_PLUGIN_IMPOSTOR,MAPPER_PLUGIN_SLOW, MAPPER_PLUGIN_NOWHERE, MAPPER_PLUGIN_AGAIN,MAPPER_PLUGIN_EXAMPLE",
      MAPPER_PLUGIN_EXAMPLE: binding("MAPPER_PLUGIN_EXAMPLE"),
      MAPPER_PLUGIN_AGAIN: binding("MAPPER_PLUGIN_EXAMPLE"),
      MAPPER_PLUGIN_IMPOSTOR: binding("MAPPER_PLUGIN_IMPOSTOR"),
      MAPPER_PLUGIN_SLOW: binding("MAPPER_PLUGIN_SLOW"),
    };
    const plugins = await pluginMappersFor(hostEnv, encoder.encode(LOG), "bp.txt", null, { log, timeoutMs: 300 });
    expect(plugins.map((p) => [p.mapper.id, p.mapper.binding, p.score])).toEqual([
      ["plugin:bp-text-log", "MAPPER_PLUGIN_EXAMPLE", 0.95],
      ["plugin:slow", "MAPPER_PLUGIN_SLOW", 0],
    ]);
    expect(entries.map((e) => [e.event, e.binding])).toEqual(
      expect.arrayContaining([
        ["mapper_plugin_binding_missing", "MAPPER_PLUGIN_NOWHERE"],
        ["mapper_plugin_unavailable", "MAPPER_PLUGIN_IMPOSTOR"],
        ["mapper_plugin_duplicate", "MAPPER_PLUGIN_AGAIN"],
        ["mapper_plugin_failed", "MAPPER_PLUGIN_SLOW"],
      ]),
    );
    expect(entries.find((e) => e.binding === "MAPPER_PLUGIN_IMPOSTOR")?.error).toMatch(/^invalid description: id: /);
  });

  it("has no public surface: the plugin Worker's default fetch answers 404", async () => {
    const worker: unknown = Reflect.get(env, "EXAMPLE_PLUGIN_WORKER");
    const response = await (worker as Fetcher).fetch("https://plugin.invalid/");
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
