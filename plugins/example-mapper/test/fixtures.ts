/**
 * Misbehaving plugins for plugin.workers.test.ts, built into their own auxiliary Worker
 * (fixtures.wrangler.toml): each named entrypoint breaks the contract in one way the platform must
 * survive.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { MapperPluginRpc, PluginDescription, PluginDetectRequest, PluginMapContext } from "@dfda/mappers/plugin";

const encoder = new TextEncoder();

function describeAs(id: string): Promise<PluginDescription> {
  return Promise.resolve({ protocol: 1, id, version: "0.0.1", description: `Test plugin ${id}.` });
}

/** A byte stream of the given lines, one chunk per line (split mid-line where asked). */
function linesStream(lines: readonly string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const line = lines[i++];
      if (line === undefined) controller.close();
      else controller.enqueue(encoder.encode(line));
    },
  });
}

/** Reads the file to its end, as a plugin that maps it would. */
async function drain(source: ReadableStream<Uint8Array>): Promise<void> {
  await source.pipeTo(new WritableStream<Uint8Array>());
}

const observation = (location: string, value: unknown) =>
  JSON.stringify({
    kind: "observation",
    observation: {
      codings: [{ system: "http://loinc.org", code: "8867-4" }],
      value,
      unit: "/min",
      start_at: "2024-03-01T07:30:00Z",
      location,
    },
  });

/** Answers malformed events mixed with valid ones, and a score that is not a number. */
export class BrokenMapper extends WorkerEntrypoint implements MapperPluginRpc {
  describe() {
    return describeAs("broken");
  }

  detect(_input: PluginDetectRequest): Promise<number> {
    // Not a number: the platform must score it 0.
    return Promise.resolve("certainly" as unknown as number);
  }

  async map(source: ReadableStream<Uint8Array>, _context: PluginMapContext) {
    await drain(source);
    return linesStream([
      `${observation("line 1", 61)}\n`,
      "this is not json\n",
      `${JSON.stringify({ kind: "observation", observation: { value: 62, location: "line 2" } })}\n`,
      `${JSON.stringify({ kind: "surprise" })}\n`,
      // One event split across two chunks, then a valid issue.
      observation("line 3", 63).slice(0, 20),
      `${observation("line 3", 63).slice(20)}\n`,
      `${JSON.stringify({ kind: "issue", issue: { location: "line 4", code: "Bad Code", severity: "error", message: "x" } })}\n`,
      `${JSON.stringify({ kind: "issue", issue: { location: "line 5", code: "odd_line", severity: "warning", message: "Odd." } })}\n`,
      `${observation("line 6", "NaN").replace('"NaN"', "1e999")}\n`,
      // The last line has no newline.
      observation("line 7", 67),
    ]);
  }
}

/** Sends one event, then its output stream errors (workerd logs that error as uncaught here: expected). */
export class FailingMapper extends WorkerEntrypoint implements MapperPluginRpc {
  describe() {
    return describeAs("failing");
  }

  detect(_input: PluginDetectRequest) {
    return Promise.resolve(0.7);
  }

  async map(source: ReadableStream<Uint8Array>, _context: PluginMapContext) {
    await drain(source);
    let sent = false;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(encoder.encode(`${observation("line 1", 60)}\n`));
          return;
        }
        controller.error(new Error("the plugin's backend is down"));
      },
    });
  }
}

/** Describes itself with a core mapper's id, namespaced: the platform must refuse it. */
export class ImpostorMapper extends WorkerEntrypoint implements MapperPluginRpc {
  describe() {
    return Promise.resolve({ protocol: 1, id: "plugin:csv", version: "1.0.0", description: "Claims csv." } as const);
  }

  detect(_input: PluginDetectRequest) {
    return Promise.resolve(1);
  }

  async map(source: ReadableStream<Uint8Array>, _context: PluginMapContext) {
    return source;
  }
}

/** Takes longer to detect than the platform waits. */
export class SlowMapper extends WorkerEntrypoint implements MapperPluginRpc {
  describe() {
    return describeAs("slow");
  }

  async detect(_input: PluginDetectRequest) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return 1;
  }

  async map(source: ReadableStream<Uint8Array>, _context: PluginMapContext) {
    return source;
  }
}

/** Answers map() with something that is not a stream. */
export class NotAStreamMapper extends WorkerEntrypoint implements MapperPluginRpc {
  describe() {
    return describeAs("not-a-stream");
  }

  detect(_input: PluginDetectRequest) {
    return Promise.resolve(0);
  }

  async map(source: ReadableStream<Uint8Array>, _context: PluginMapContext) {
    await drain(source);
    return "events" as unknown as ReadableStream<Uint8Array>;
  }
}

export default {
  fetch(): Response {
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler;
