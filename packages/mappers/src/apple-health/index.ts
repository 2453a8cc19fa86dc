/**
 * Apple Health `export.xml` (the `<HealthData>` document the Health app exports; HealthKit Export
 * Version 3+ DTD in the file's internal subset), streamed with saxes: real exports are gigabytes, so
 * no DOM is built. Memory holds the open element path, the element being mapped (a Record with its
 * MetadataEntry children, a Workout with its statistics) and the keys of blood-pressure and dietary
 * samples awaiting their correlation twin (at most `CORRELATION_WINDOW` per side, see `CorrelationDedup`);
 * nesting, kept children and recorded names are capped (docs/architecture.md "Memory per mapper").
 *
 * - `Record` → one observation (category samples: see `mapRecord`).
 * - `Correlation` (blood pressure, food) → its nested Records, each once: the DTD notes that "Records
 *   that appear as children of a correlation also appear as top-level records", so each sample is
 *   mapped from whichever copy comes first and the other copy is skipped.
 * - `Workout` → duration, distance, energy; `ActivitySummary` → the day's rings (see records.ts).
 * - `Me` (date of birth, sex, blood type), `ExportDate`: characteristics, not measurements: nothing.
 * - Other elements (ClinicalRecord, Audiogram, VisionPrescription …): one info issue per element name.
 */
import type { DetectInput, MapContext, MapEvent, Mapper } from "@dfda/core";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { TimeReader } from "../csv/time";
import {
  InputTooLargeError,
  MAX_DISTINCT_NAMES,
  MAX_XML_CHILD_ENTRIES,
  MAX_XML_DEPTH,
  MAX_XML_RUN_CHARS,
  xmlTooDeep,
} from "../util/limits";
import { boundedRuns, decodeText } from "../util/stream";
import { correlatable } from "./hk";
import {
  type AppleContext,
  type Attributes,
  mapActivitySummary,
  mapRecord,
  mapWorkout,
  moreSettingsIssue,
  type WorkoutStatistic,
} from "./records";

/** An open element: its XPath-ish location and how many children of each name it has had. */
interface Frame {
  name: string;
  path: string;
  children: Map<string, number>;
  /** Children of any name so far (positions of names past `MAX_DISTINCT_NAMES`). */
  elements: number;
}

/** The element being mapped, collected until its end tag (it may have MetadataEntry children). */
interface Pending {
  kind: "Record" | "Workout";
  attributes: Attributes;
  entries: Record<string, string>;
  statistics: WorkoutStatistic[];
  path: string;
  /** For a Record inside a Correlation: the correlation's type, location and MetadataEntry children. */
  correlation: OpenCorrelation | null;
  /** MetadataEntry and WorkoutStatistics children seen (kept up to `MAX_XML_CHILD_ENTRIES`). */
  children: number;
}

interface OpenCorrelation {
  type: string | undefined;
  path: string;
  entries: Record<string, string>;
  /** MetadataEntry children seen (kept up to `MAX_XML_CHILD_ENTRIES`). */
  children: number;
}

/** Elements of HealthData that are not measurements and are skipped silently. */
const SILENT = new Set(["ExportDate", "Me"]);

/**
 * How many keys `CorrelationDedup` keeps on each side; past it the oldest is forgotten. A key is the
 * Record's type, source name, dates, value and unit (≈ 150 characters), so 2 × 100,000 keys stay near
 * 60 MB of UTF-16 at worst and far less in practice.
 */
export const CORRELATION_WINDOW = 100_000;

/**
 * Each correlated sample (blood pressure, dietary) exists twice: top level and inside its Correlation.
 * Whichever copy comes first is mapped and its key remembered until the other copy arrives.
 *
 * Bounded: each side keeps at most `CORRELATION_WINDOW` keys, the oldest forgotten first (a dietary
 * sample logged alone, outside any meal, never gets a Correlation copy, so without the bound its key
 * would stay for the whole file). The rule: a sample is mapped twice (once from each copy) exactly
 * when, between its first copy and its second, `CORRELATION_WINDOW` or more other keys were added to
 * the same side and not matched since — that is, top-level blood-pressure or dietary Records whose
 * Correlation copy has not come yet (those never in a Correlation included), or nested Records whose
 * top-level copy has not come yet. The second copy then carries `metadata.correlation`, so such a
 * duplicate can be found. Its order is not checked here against real exports: a file holding more
 * than `CORRELATION_WINDOW` unmatched correlatable Records before its first Correlation (for example,
 * all Records first and Correlations last) maps twice the correlated samples whose first copies came earliest.
 */
export class CorrelationDedup {
  private readonly topLevel = new Set<string>();
  private readonly nested = new Set<string>();

  constructor(private readonly window = CORRELATION_WINDOW) {}

  /** Keys held now (both sides). */
  get size(): number {
    return this.topLevel.size + this.nested.size;
  }

  private static key(a: Attributes): string {
    return [a.type, a.sourceName, a.startDate, a.endDate, a.value, a.unit].join("\u0000");
  }

  private remember(keys: Set<string>, key: string): void {
    keys.delete(key);
    keys.add(key);
    if (keys.size > this.window) {
      const oldest = keys.values().next();
      if (oldest.done !== true) keys.delete(oldest.value);
    }
  }

  /** Whether to map a top-level Record (false when its correlation copy was mapped). */
  topLevelRecord(a: Attributes): boolean {
    const key = CorrelationDedup.key(a);
    if (this.nested.delete(key)) return false;
    if (correlatable(a.type ?? "")) this.remember(this.topLevel, key);
    return true;
  }

  /** Whether to map a Record nested in a Correlation (false when its top-level copy was mapped). */
  nestedRecord(a: Attributes): boolean {
    const key = CorrelationDedup.key(a);
    if (this.topLevel.delete(key)) return false;
    this.remember(this.nested, key);
    return true;
  }
}

function issue(
  location: string | null,
  code: string,
  severity: "info" | "warning" | "error",
  message: string,
): MapEvent {
  return { kind: "issue", issue: { location, code, severity, message } };
}

/**
 * Scores `export.xml`: its root element `<HealthData>` (or `<!DOCTYPE HealthData`) proves it; the
 * file name alone is a hint (Apple's ZIP also holds `export_cda.xml`, a C-CDA, which is not this).
 */
function detect(input: DetectInput): number {
  const text = input.headText.replace(/^\uFEFF/, "").trimStart();
  if (!text.startsWith("<")) return 0;
  if (/<!DOCTYPE\s+HealthData[\s[>]/.test(text) || /<HealthData[\s>/]/.test(text)) return 0.99;
  if (/<ClinicalDocument[\s>]/.test(text)) return 0;
  return input.name !== null && /(^|[\\/])export\.xml$/i.test(input.name) ? 0.3 : 0;
}

/** Limits a test can lower (the mapper uses the defaults). */
export interface AppleHealthOptions {
  /** `CorrelationDedup`'s window; `CORRELATION_WINDOW` unless given. */
  correlationWindow?: number;
}

/** The mapper's `map`, with limits a test can lower. */
export async function* mapAppleHealth(
  source: AsyncIterable<Uint8Array>,
  context: MapContext,
  options: AppleHealthOptions = {},
): AsyncIterable<MapEvent> {
  const apple: AppleContext = {
    lookup: context.lookup,
    times: new TimeReader(context.timezone),
    skippedTypes: new Set(),
    skippedMore: 0,
    moreSettings: "counted",
  };
  const dedup = new CorrelationDedup(options.correlationWindow);
  const out: MapEvent[] = [];
  const stack: Frame[] = [];
  const reported = new Set<string>();
  /** Elements not reported because `reported` was full. */
  let unreported = 0;
  let pending: Pending | null = null;
  let correlation: OpenCorrelation | null = null;
  let failed = false;
  let sawRoot = false;

  const parser = new SaxesParser({ xmlns: false, position: true });
  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    out.push(
      issue(
        null,
        "malformed_xml",
        "error",
        `The XML is not well-formed (line ${parser.line}, column ${parser.column}): ${message}. Nothing after this point was mapped.`,
      ),
    );
  };

  /** Whether to keep one more MetadataEntry or WorkoutStatistics child of `owner`; one issue when not. */
  const keepChild = (owner: { path: string; children: number }, name: string): boolean => {
    owner.children += 1;
    if (owner.children <= MAX_XML_CHILD_ENTRIES) return true;
    if (owner.children === MAX_XML_CHILD_ENTRIES + 1) {
      out.push(
        issue(
          owner.path,
          "too_many_children",
          "warning",
          `The element has more than ${MAX_XML_CHILD_ENTRIES.toLocaleString("en")} MetadataEntry and WorkoutStatistics children; from this <${name}> on they were ignored.`,
        ),
      );
    }
    return false;
  };

  parser.on("error", (error) => fail(error.message));
  parser.on("opentag", (tag: SaxesTagPlain) => {
    if (failed) return;
    if (stack.length >= MAX_XML_DEPTH) throw xmlTooDeep(parser.line);
    const parent = stack[stack.length - 1];
    let path: string;
    if (parent === undefined) {
      if (tag.name !== "HealthData") {
        failed = true;
        out.push(
          issue(
            null,
            "not_apple_health",
            "error",
            `The root element is <${tag.name}>, not Apple Health's <HealthData>.`,
          ),
        );
        return;
      }
      sawRoot = true;
      path = "/HealthData";
    } else {
      parent.elements += 1;
      const known = parent.children.get(tag.name);
      if (known === undefined && parent.children.size >= MAX_DISTINCT_NAMES) {
        path = `${parent.path}/*[${parent.elements}]`;
      } else {
        const n = (known ?? 0) + 1;
        parent.children.set(tag.name, n);
        path = `${parent.path}/${tag.name}[${n}]`;
      }
    }
    stack.push({ name: tag.name, path, children: new Map(), elements: 0 });
    const attributes: Attributes = tag.attributes;
    const depth = stack.length;
    const parentName = parent?.name;

    if (tag.name === "Record" && (depth === 2 || (depth === 3 && parentName === "Correlation"))) {
      pending = {
        kind: "Record",
        attributes,
        entries: {},
        statistics: [],
        path,
        correlation: depth === 3 ? correlation : null,
        children: 0,
      };
    } else if (tag.name === "Workout" && depth === 2) {
      pending = {
        kind: "Workout",
        attributes,
        entries: {},
        statistics: [],
        path,
        correlation: null,
        children: 0,
      };
    } else if (tag.name === "Correlation" && depth === 2) {
      correlation = { type: attributes.type, path, entries: {}, children: 0 };
    } else if (tag.name === "MetadataEntry" && pending !== null && parent?.path === pending.path) {
      const key = attributes.key;
      if (key !== undefined && keepChild(pending, tag.name)) pending.entries[key] = attributes.value ?? "";
    } else if (tag.name === "MetadataEntry" && correlation !== null && parent?.path === correlation.path) {
      const key = attributes.key;
      if (key !== undefined && keepChild(correlation, tag.name)) correlation.entries[key] = attributes.value ?? "";
    } else if (tag.name === "WorkoutStatistics" && pending?.kind === "Workout" && parent?.path === pending.path) {
      if (keepChild(pending, tag.name)) pending.statistics.push({ attributes, location: path });
    } else if (tag.name === "ActivitySummary" && depth === 2) {
      mapActivitySummary(attributes, (a) => (a === null ? path : `${path}/@${a}`), apple, out);
    } else if (depth === 2 && !SILENT.has(tag.name) && tag.name !== "Record" && !reported.has(tag.name)) {
      if (reported.size >= MAX_DISTINCT_NAMES) {
        unreported += 1;
        return;
      }
      reported.add(tag.name);
      out.push(
        issue(
          path,
          "unsupported_element",
          "info",
          `<${tag.name}> elements are not measurements this mapper reads; skipped.`,
        ),
      );
    }
  });
  parser.on("closetag", (tag: SaxesTagPlain) => {
    if (failed) return;
    const frame = stack.pop();
    if (frame === undefined) return;
    const element = pending;
    if (element !== null && element.path === frame.path) {
      pending = null;
      const locate = (a: string | null) => (a === null ? element.path : `${element.path}/@${a}`);
      if (element.kind === "Workout") {
        mapWorkout(element.attributes, element.entries, element.statistics, locate, apple, out);
      } else if (element.correlation === null) {
        if (dedup.topLevelRecord(element.attributes))
          mapRecord(element.attributes, element.entries, locate, apple, out);
      } else if (dedup.nestedRecord(element.attributes)) {
        const extra: Record<string, unknown> = { correlation: element.correlation.path };
        if (element.correlation.type !== undefined) extra.correlation_type = element.correlation.type;
        if (Object.keys(element.correlation.entries).length > 0) {
          extra.correlation_hk_metadata = { ...element.correlation.entries };
        }
        mapRecord(element.attributes, element.entries, locate, apple, out, extra);
      }
    } else if (tag.name === "Correlation" && correlation?.path === frame.path) {
      correlation = null;
    }
  });

  // A text node or tag past the limit stops the reading (InputTooLargeError): saxes would hold it whole.
  for await (const text of boundedRuns(decodeText(source), "<", MAX_XML_RUN_CHARS, "A text node or tag")) {
    try {
      parser.write(text);
    } catch (error) {
      if (error instanceof InputTooLargeError) throw error;
      fail(error instanceof Error ? error.message : String(error));
    }
    yield* out.splice(0);
    if (failed) return;
  }
  try {
    parser.close();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!sawRoot && !failed) out.push(issue(null, "not_apple_health", "error", "The file has no <HealthData> element."));
  if (unreported > 0) {
    out.push(
      issue(
        null,
        "unsupported_element",
        "info",
        `… and ${unreported.toLocaleString("en")} more elements of other names (past ${MAX_DISTINCT_NAMES.toLocaleString("en")} names, not listed); skipped.`,
      ),
    );
  }
  const moreSettings = moreSettingsIssue(apple);
  if (moreSettings !== null) out.push(moreSettings);
  yield* out.splice(0);
}

/**
 * Apple Health export.xml mapper.
 *
 * @example
 * for await (const event of appleHealthMapper.map(fromBytes(bytes), { lookup })) console.log(event);
 */
export const appleHealthMapper: Mapper = {
  id: "apple-health-xml",
  version: "1.0.0",
  description:
    "Apple Health export.xml (<HealthData>): Records (quantity and category samples), blood-pressure and food Correlations, Workouts and daily Activity summaries, streamed.",
  detect,
  map: (source, context) => mapAppleHealth(source, context),
};
