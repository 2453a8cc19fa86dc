/**
 * One JSON document read as a stream by the mappers that used to read it whole (vendor API responses,
 * openEHR compositions; issue 15, "no mapper buffers a whole file"). The streaming parser
 * (util/json-stream.ts) hands over the items of the arrays that hold the units a mapper maps (a Withings
 * `body.measuregrps[]`, an Oura `data[]`, a composition's `content[]`) and, when asked, the members of
 * the top-level object (an openEHR FLAT composition). What it hands over waits in a look-ahead window:
 *
 * - a document whose units fit the window (`WINDOW_CHARS`, the old whole-document limit) is put back
 *   together at its end and mapped exactly as if it had been read whole;
 * - past the window, the units waiting are mapped as one batch with the header read so far (the rest of
 *   the document around the streamed arrays), then dropped. An array in a batch holds only that batch's
 *   items, and `indexed` gives each its index in the file, so locations stay the file's. Events the
 *   header alone produces (located outside the streamed items) were passed on with the first batch and
 *   are dropped from later ones (`Batch.contains`).
 *
 * Memory: the window (`WINDOW_CHARS` of source) plus the unit being parsed (each unit, and the header
 * kept while reading, at most MAX_DOCUMENT_CHARS, else the `tooLarge` error), whatever the file size.
 */
import { type JsonContainer, type JsonPath, JsonStreamParser } from "../util/json-stream";
import { JsonNumber, type JsonValue } from "../util/json-value";
import { MAX_DOCUMENT_CHARS } from "../util/limits";
import type { Json, JsonObject } from "./common";
import { path } from "./common";

/**
 * Characters of source the look-ahead window holds before the units waiting in it are mapped: the
 * limit a document read whole had, so every document accepted then maps exactly as it did.
 */
export const WINDOW_CHARS = MAX_DOCUMENT_CHARS;

/** Where each array that holds one batch of a streamed array starts in the file. */
const OFFSETS = new WeakMap<readonly unknown[], number>();

/**
 * `[index, item]` of a list, the index counted in the file: a batch of a streamed array starts at its
 * first item's index there (`Array.prototype.entries` for any other list).
 *
 * @example
 * for (const [g, group] of indexed(body.measuregrps)) yield* map(group, path("$.body.measuregrps", g));
 */
export function* indexed<T>(list: readonly T[]): Generator<[number, T]> {
  const offset = OFFSETS.get(list) ?? 0;
  for (let i = 0; i < list.length; i++) yield [offset + i, list[i] as T];
}

/** A parsed value as `JSON.parse` gives it: numbers as doubles, a `__proto__` member as data. */
export function plain(value: JsonValue): Json {
  if (value instanceof JsonNumber) return value.toNumber();
  if (Array.isArray(value)) {
    const out = value.map(plain);
    // A batch of a streamed array keeps its place in the file.
    const offset = OFFSETS.get(value);
    if (offset !== undefined) OFFSETS.set(out, offset);
    return out;
  }
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (key === "__proto__") {
      Object.defineProperty(out, key, { value: plain(member), enumerable: true, writable: true, configurable: true });
    } else out[key] = plain(member);
  }
  return out;
}

/** An item of a streamed array, waiting to be mapped. */
export interface HeldItem {
  value: JsonValue;
  /** The array it belongs to (left empty by the parser) and that array's path. */
  array: JsonValue[];
  arrayPath: JsonPath;
  index: number;
}

/** A member of the streamed top-level object, waiting. */
export interface HeldMember {
  name: string;
  value: JsonValue;
  chars: number;
}

export interface StreamedJsonOptions {
  /** The arrays whose items are the units mapped (their path from the top-level value). */
  streamArray(path: JsonPath): boolean;
  /** Whether the top-level object hands over its members (default: no). */
  streamRootObject?: boolean;
  /** The error for a unit (or the header) larger than MAX_DOCUMENT_CHARS; `path` is where it starts. */
  tooLarge(path: JsonPath): Error;
}

/**
 * The parser and what it handed over since the last `take`: push text with `write`, then `end`.
 *
 * @example
 * const doc = new StreamedJson({ streamArray: (p) => p.join("/") === "data", tooLarge });
 * for await (const text of decodeText(source)) { doc.write(text); if (doc.windowChars > WINDOW_CHARS) map(doc.take()); }
 */
export class StreamedJson {
  /** The top-level container, once it has started (its streamed arrays are empty). */
  root: JsonContainer | undefined;
  /** Characters of source of the items and members waiting. */
  windowChars = 0;
  /** The most characters that waited at once, and items and members handed over in all. */
  maxWindowChars = 0;
  units = 0;
  private items: HeldItem[] = [];
  private readonly streamedArrays = new WeakSet<JsonValue[]>();
  private members: HeldMember[] = [];
  private readonly parser: JsonStreamParser;

  constructor(options: StreamedJsonOptions) {
    this.parser = new JsonStreamParser(
      {
        streamArray: (at, containers) => {
          this.root ??= containers[0];
          return options.streamArray(at);
        },
        streamObject: (at, containers) => {
          this.root ??= containers[0];
          return at.length === 0 && options.streamRootObject === true;
        },
        item: (value, at, containers, chars) => {
          this.root ??= containers[0];
          const array = containers.at(-1);
          if (!Array.isArray(array)) return;
          this.streamedArrays.add(array);
          this.items.push({ value, array, arrayPath: at.slice(0, -1), index: Number(at.at(-1)) });
          this.hold(chars);
        },
        member: (name, value, _at, containers, chars) => {
          this.root ??= containers[0];
          // A streamed array's items were counted as they came: what is left of it is its brackets.
          const own = Array.isArray(value) && this.streamedArrays.has(value) ? 2 : chars;
          this.members.push({ name, value, chars: own });
          this.hold(own);
        },
      },
      { maxHeldChars: MAX_DOCUMENT_CHARS, tooLarge: (at) => options.tooLarge(at) },
    );
  }

  /** The most characters of source the parser held (the unit being read and the header around it). */
  get maxHeldChars(): number {
    return this.parser.maxHeldChars;
  }

  private hold(chars: number): void {
    this.units++;
    this.windowChars += chars;
    if (this.windowChars > this.maxWindowChars) this.maxWindowChars = this.windowChars;
  }

  /** Reads the next chunk of text. Throws JsonSyntaxError, or the `tooLarge` error. */
  write(text: string): void {
    this.parser.write(text);
  }

  /** The end of the text: the top-level value (undefined for only whitespace). */
  end(): JsonValue | undefined {
    const value = this.parser.end();
    if (this.root === undefined && value !== null && typeof value === "object" && !(value instanceof JsonNumber)) {
      this.root = value;
    }
    return value;
  }

  /**
   * The document read so far as `JSON.parse` values: the top-level value with every container still
   * open attached where it is being read (not an item or member still being read: it is not whole),
   * and the streamed arrays as they are now (empty, or filled by a `Batch`).
   */
  snapshot(): Json {
    const open = this.parser.openContainers();
    const undo: Array<() => void> = [];
    for (let i = 1; i < open.length; i++) {
      const parent = open[i - 1];
      const child = open[i];
      if (parent === undefined || child === undefined || parent.streamed) break;
      const { container, at } = parent;
      if (Array.isArray(container)) {
        if (container.length !== at) break;
        container.push(child.container);
        undo.push(() => container.pop());
      } else if (typeof at === "string" && !Object.hasOwn(container, at)) {
        container[at] = child.container;
        undo.push(() => delete container[at]);
      }
    }
    const value = this.root === undefined ? null : plain(this.root);
    for (const step of undo.reverse()) step();
    return value;
  }

  /** The items and members waiting, which stop counting against the window. */
  take(): { items: HeldItem[]; members: HeldMember[] } {
    const taken = { items: this.items, members: this.members };
    this.items = [];
    this.members = [];
    this.windowChars = 0;
    return taken;
  }
}

/** Items of one streamed array in a batch: indices `first` to `last`, at `location` (`$.body.measuregrps`). */
interface Run {
  location: string;
  first: number;
  last: number;
}

/**
 * Items put back in their (otherwise empty) arrays for one mapping pass. `fill` sets each array to its
 * items with their file index offset; `clear` empties them again.
 */
export class Batch {
  private readonly runs: Run[] = [];
  private readonly arrays = new Set<JsonValue[]>();

  constructor(private readonly items: readonly HeldItem[]) {
    for (const item of items) {
      const location = path("$", ...item.arrayPath);
      const run = this.runs.find((r) => r.location === location);
      if (run === undefined) this.runs.push({ location, first: item.index, last: item.index });
      else run.last = Math.max(run.last, item.index);
      this.arrays.add(item.array);
    }
  }

  /** Puts the items back (in order); each array's index offset is its first item's. */
  fill(): void {
    for (const array of this.arrays) array.length = 0;
    for (const item of this.items) {
      if (item.array.length === 0) OFFSETS.set(item.array, item.index);
      item.array.push(item.value);
    }
  }

  clear(): void {
    for (const array of this.arrays) {
      array.length = 0;
      OFFSETS.delete(array);
    }
  }

  /** Whether a location lies inside one of the batch's items (`$.data[12].bpm` for items 10 to 20 of `$.data`). */
  contains(location: string | null): boolean {
    if (location === null) return false;
    for (const run of this.runs) {
      if (!location.startsWith(`${run.location}[`)) continue;
      const m = /^\[(\d+)\](?:$|[.[])/.exec(location.slice(run.location.length));
      const index = m ? Number(m[1]) : Number.NaN;
      if (index >= run.first && index <= run.last) return true;
    }
    return false;
  }
}

/** A streamed top-level object put back together from its members (as `JSON.parse` keeps the last of a repeated name). */
export function objectOf(members: readonly HeldMember[]): JsonObject {
  const out: JsonObject = {};
  for (const { name, value } of members) {
    if (name === "__proto__") {
      Object.defineProperty(out, name, { value: plain(value), enumerable: true, writable: true, configurable: true });
    } else out[name] = plain(value);
  }
  return out;
}
