/**
 * openEHR compositions → observations: canonical JSON (./canonical.ts) and FLAT / simSDT JSON
 * (./flat.ts), mapping the common observation archetypes (blood pressure, pulse/heart rate, body weight,
 * height, body temperature, pulse oximetry, laboratory test result analytes) by archetype node id
 * (./archetypes.ts). A composition is one JSON document (RFC 8259 has no record boundary), parsed as a
 * stream (../vendors/stream.ts, util/json-stream.ts): a canonical composition's `content[]` entries (and
 * the compositions of a top-level array) are handed over one by one, a FLAT composition's `path: value`
 * members too, so a composition of any size is read holding a look-ahead window (`WINDOW_CHARS`; a
 * composition no larger maps exactly as if read whole) and each entry, and the header around them, at
 * most MAX_DOCUMENT_CHARS (util/limits.ts).
 */
import type { MapContext, MapEvent, Mapper } from "@dfda/core";
import type { JsonPath } from "../util/json-stream";
import { JsonSyntaxError } from "../util/json-value";
import { InputTooLargeError, MAX_DOCUMENT_CHARS, UnreadableFileError } from "../util/limits";
import { decodeText } from "../util/stream";
import { type Json, path } from "../vendors/common";
import { Batch, type HeldMember, objectOf, plain, StreamedJson, WINDOW_CHARS } from "../vendors/stream";
import { mapCanonical } from "./canonical";
import { OpenEhrRun } from "./common";
import { FlatReader } from "./flat";

/** Canonical JSON: the RM type of a composition or observation, or an openEHR archetype id. */
const CANONICAL = [
  /"_type"\s*:\s*"(?:COMPOSITION|OBSERVATION)"/,
  /"archetype_node_id"\s*:\s*"openEHR-EHR-(?:COMPOSITION|OBSERVATION)\./,
];
/**
 * FLAT: the first key is a path, `ctx/…` or `<template id>/<simSDT composition attribute>` (language,
 * territory, composer, category, context are mandatory attributes of every FLAT composition).
 */
const FLAT_KEY =
  /^\s*\{\s*"(?:ctx\/[a-z_]+|[A-Za-z0-9_.-]+\/(?:language|territory|composer|category|context)\b)[^"]*"\s*:/;

export const openehrMapper: Mapper = {
  id: "openehr",
  version: "1.0.0",
  description: "openEHR compositions (canonical JSON and FLAT): vital signs and laboratory analytes",

  detect(input) {
    const text = input.headText;
    if (!/^\s*[[{]/.test(text)) return 0;
    if (FLAT_KEY.test(text)) return 0.9;
    if (CANONICAL[0]?.test(text) && CANONICAL[1]?.test(text)) return 0.95;
    if (CANONICAL.some((r) => r.test(text))) return 0.8;
    return 0;
  },

  async *map(source, context) {
    yield* mapOpenEhr(source, context);
  },
};

/** Statistics of the last composition mapped, for tests (no timing). */
export interface OpenEhrStreamStats {
  /** The most source characters the parser held, and that waited in the look-ahead window. */
  maxHeldChars: number;
  maxWindowChars: number;
  /** Entries and members handed over, and mapping passes of a canonical document (1: as if read whole). */
  units: number;
  passes: number;
}

/** Where the parser hands over: the top-level array's compositions, and a composition's `content[]`. */
const streamArray = (at: JsonPath) => at.length === 0 || (at.length === 1 && at[0] === "content");

function issue(location: string | null, code: string, message: string): MapEvent {
  return { kind: "issue", issue: { location, code, severity: "error", message } };
}

/**
 * Maps one composition document as it streams. Canonical or FLAT is told as a document read whole
 * told it (a member name with `/` and no `_type`), from the members read by the first pass. A syntax
 * error before anything was passed on is the one `invalid_json` issue; after, it refuses the file
 * (UnreadableFileError: the mapper Worker drops the rows it staged), as the FHIR stream does.
 */
export async function* mapOpenEhr(
  source: AsyncIterable<Uint8Array>,
  context: MapContext,
  options: { windowChars?: number; onStats?: (stats: OpenEhrStreamStats) => void } = {},
): AsyncIterable<MapEvent> {
  const window = options.windowChars ?? WINDOW_CHARS;
  const hint = "send one composition per file";
  const doc = new StreamedJson({
    streamArray,
    streamRootObject: true,
    tooLarge: (at) =>
      at[0] === "content" && typeof at[1] === "number"
        ? new InputTooLargeError(
            `The openEHR composition's ${path("$", "content", at[1])}`,
            MAX_DOCUMENT_CHARS,
            path("$", "content", at[1]),
            "each entry of a composition's content is read whole",
          )
        : new InputTooLargeError("The openEHR composition", MAX_DOCUMENT_CHARS, null, hint),
  });
  const run = new OpenEhrRun(context);
  let kind: "flat" | "canonical" | undefined;
  const flat = new FlatReader(run);
  /** A canonical composition's own members (its header), kept for every pass. */
  const header: HeldMember[] = [];
  let headerChars = 0;
  let passes = 0;
  let emitted = false;
  const refuse = (error: unknown): MapEvent => {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const message = `the file is not JSON: ${error.message}`;
    if (emitted) throw new UnreadableFileError("invalid_json", message, `line ${error.line}`);
    return issue(null, "invalid_json", message);
  };

  /** Maps what waits in the window (`open`: the document goes on; the oldest FLAT groups past the window). */
  function* pass(open: boolean): Generator<MapEvent> {
    const { items, members } = doc.take();
    const isRootArray = Array.isArray(doc.root);
    kind ??=
      !isRootArray && members.some((m) => m.name.includes("/")) && !members.some((m) => m.name === "_type")
        ? "flat"
        : "canonical";
    if (kind === "flat") {
      for (const m of members) flat.add(m.name, plain(m.value), m.chars);
      yield* flat.release(open ? window : -1);
      return;
    }
    for (const m of members) {
      header.push(m);
      headerChars += m.chars;
    }
    // The header is held whole, as a composition read whole was.
    if (headerChars > MAX_DOCUMENT_CHARS)
      throw new InputTooLargeError("The openEHR composition", MAX_DOCUMENT_CHARS, null, hint);
    if (open && items.length === 0) return;
    const batch = new Batch(items);
    batch.fill();
    let value: Json;
    if (isRootArray) value = doc.snapshot();
    else {
      const composition = objectOf(header);
      const content = items[0]?.array;
      // `content` still being read: its entries so far.
      if (composition.content === undefined && content !== undefined) composition.content = plain(content);
      value = composition;
    }
    const first = passes === 0;
    passes++;
    for (const event of mapCanonical(value, run)) {
      const location = event.kind === "observation" ? event.observation.location : event.issue.location;
      if (first || location === null || location === undefined || batch.contains(location)) yield event;
    }
    batch.clear();
  }

  for await (const text of decodeText(source)) {
    try {
      doc.write(text);
    } catch (error) {
      yield refuse(error);
      return;
    }
    if (doc.windowChars > window) {
      for (const event of pass(true)) {
        emitted = true;
        yield event;
      }
    }
  }
  let value: unknown;
  try {
    value = doc.end();
  } catch (error) {
    yield refuse(error);
    return;
  }
  if (value === undefined) {
    yield issue(null, "invalid_json", "the file is not JSON: it holds no value");
    return;
  }
  if (doc.root === undefined) {
    yield issue("$", "unrecognized_format", "not an openEHR composition");
    return;
  }
  yield* pass(false);
  yield* run.finish();
  options.onStats?.({
    maxHeldChars: doc.maxHeldChars,
    maxWindowChars: doc.maxWindowChars,
    units: doc.units,
    passes,
  });
}
