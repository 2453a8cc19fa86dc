/**
 * FHIR JSON resources → events: walks Bundles (every Bundle.type, nested Bundles included), indexes
 * their entries for reference resolution, and hands each resource to its mapper. Entries arrive one by
 * one (from the streaming parser, or from a value read whole) and wait in a bounded look-ahead window,
 * so references to resources a little further on resolve; the rule is in ./README.md ("Big Bundles").
 */
import { mapCondition, mapImmunization, mapMedicationUse } from "./clinical";
import { isObject, type JsonObject, type JsonValue, obj, objs, str } from "./json";
import { mapObservation } from "./observation";
import type { MappingRun } from "./run";

/** A resource and where it sits in the file. */
export interface Located {
  resource: JsonObject;
  /** JSON path (prefixed with `line N ` in NDJSON). */
  path: string;
  /** Bundle.entry.fullUrl, when the resource is a Bundle entry. */
  fullUrl?: string;
  /** A contained resource (R4 references.html §2.3.0.4): only reachable through a `#id` reference. */
  contained?: boolean;
  /** The Bundle whose entry it is (its `meta.source` names the sender of local codes). */
  bundle?: JsonObject;
  /** Its entry's length in the source, when the streaming parser handed it over (0 or absent: unknown). */
  chars?: number;
}

/** The DiagnosticReport that lists an Observation as a result. */
export interface ReportLink {
  resource: JsonObject;
  path: string;
}

export interface Scope {
  run: MappingRun;
  index: ResourceIndex;
  /** Observation → the report listing it in `result` (its time applies when the Observation has none). */
  reports: WeakMap<JsonObject, ReportLink>;
}

/** `Type/id` at the end of a reference or fullUrl (R4 references.html §2.3.0: `[base]/Type/id[/_history/v]`). */
function typeAndId(reference: string): string | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * Resolves references the way R4 Bundle §2.36.4.1 describes: `#id` within the container, absolute
 * URLs and `urn:uuid:` by fullUrl, relative `Type/id` against the referencing entry's base; then,
 * leniently, by `Type/id` anywhere in the file (examples often use ids that do not match their fullUrl
 * base, e.g. Bundle-lri-example).
 */
export class ResourceIndex {
  private readonly byFullUrl: BoundedMap<Located>;
  private readonly byTypeId: BoundedMap<Located>;

  /**
   * `budget`: roughly the bytes each of the two maps (by fullUrl, by `Type/id`) may take, keys and the
   * resources kept whole (the oldest are forgotten first).
   */
  constructor(budget = Number.POSITIVE_INFINITY) {
    this.byFullUrl = new BoundedMap(budget);
    this.byTypeId = new BoundedMap(budget);
  }

  /** Adds an entry; false when its fullUrl was already seen (the same resource twice). */
  add(located: Located): boolean {
    if (located.fullUrl !== undefined) {
      if (this.byFullUrl.has(located.fullUrl)) return false;
      this.byFullUrl.set(located.fullUrl, located);
    }
    const key = typeIdOf(located.resource);
    if (key !== undefined && !this.byTypeId.has(key)) this.byTypeId.set(key, located);
    return true;
  }

  /**
   * A mapped resource stays resolvable by its keys, as a stub with only resourceType and id (a
   * Medication whole: medicationReference reads its code; an Organization whole: its identifier names
   * the sender of local codes), so memory does not grow with the file. A resource kept whole counts
   * against the budget by its length in the source (2 bytes a character; its JSON length when the
   * source length is not known), in each map that holds it.
   */
  forget(located: Located): void {
    const type = str(located.resource, "resourceType");
    let light: Located = located;
    let weight = 0;
    if (type === "Medication" || type === "Organization") {
      weight = 2 * (located.chars || JSON.stringify(located.resource).length);
    } else {
      const stub: JsonObject = {};
      for (const k of ["resourceType", "id"]) {
        const v = located.resource[k];
        if (v !== undefined) stub[k] = v;
      }
      light = { ...located, resource: stub };
    }
    if (located.fullUrl !== undefined && this.byFullUrl.get(located.fullUrl) === located) {
      this.byFullUrl.replace(located.fullUrl, light, weight);
    }
    const key = typeIdOf(located.resource);
    if (key !== undefined && this.byTypeId.get(key) === located) this.byTypeId.replace(key, light, weight);
  }

  /** Estimated bytes the index holds (both maps; a resource kept whole is counted in each). */
  get cost(): number {
    return this.byFullUrl.cost + this.byTypeId.cost;
  }

  resolve(reference: string | undefined, from: Located, container: Located): Located | undefined {
    if (reference === undefined || reference === "") return undefined;
    if (reference.startsWith("#")) {
      const id = reference.slice(1);
      if (id === "") return container;
      for (const [i, c] of objs(container.resource, "contained")) {
        if (str(c, "id") === id) return { resource: c, path: `${container.path}.contained[${i}]`, contained: true };
      }
      return undefined;
    }
    for (const key of referenceKeys(reference, from)) {
      const found = key.startsWith("T:") ? this.byTypeId.get(key.slice(2)) : this.byFullUrl.get(key);
      if (found) return found;
    }
    return undefined;
  }
}

function typeIdOf(resource: JsonObject): string | undefined {
  const type = str(resource, "resourceType");
  const id = str(resource, "id");
  return type !== undefined && id !== undefined ? `${type}/${id}` : undefined;
}

/**
 * The keys a (non-`#`) reference may match, in the order R4 Bundle §2.36.4.1 resolves it: the fullUrl as
 * written, a relative reference against the referencing entry's base, then (leniently) `T:Type/id`.
 */
function referenceKeys(reference: string, from: Located): string[] {
  const keys = [reference];
  const isAbsolute = /^[a-z][a-z0-9+.-]*:/i.test(reference);
  const base = from.fullUrl === undefined ? undefined : /^(.*\/)[A-Z][A-Za-z]+\/[^/]+$/.exec(from.fullUrl)?.[1];
  if (!isAbsolute && base !== undefined) keys.push(base + reference);
  const typeId = typeAndId(reference);
  if (typeId !== undefined) keys.push(`T:${typeId}`);
  return keys;
}

/**
 * A Map that forgets its oldest keys once the keys and values together pass `budget` (estimated bytes:
 * two per key character, a fixed 128 per entry, and the value's own `weight`, given by the caller):
 * the look-back a big file's index keeps.
 */
export class BoundedMap<V> {
  private readonly map = new Map<string, { value: V; weight: number }>();
  private readonly order: string[] = [];
  private head = 0;
  private total = 0;

  constructor(private readonly budget: number) {}

  /** Estimated bytes held: keys, entries and the weights of their values. */
  get cost(): number {
    return this.total;
  }

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  /** `weight`: estimated bytes of the value beyond its key (0 when something else accounts for it). */
  set(key: string, value: V, weight = 0): void {
    const old = this.map.get(key);
    if (old === undefined) {
      this.order.push(key);
      this.total += entryCost(key) + weight;
    } else {
      this.total += weight - old.weight;
    }
    this.map.set(key, { value, weight });
    this.evict();
  }

  /** Changes the value (and its weight) of a key that is there, keeping its place; the oldest may go. */
  replace(key: string, value: V, weight = 0): void {
    if (this.map.has(key)) this.set(key, value, weight);
  }

  delete(key: string): void {
    const old = this.map.get(key);
    if (old !== undefined && this.map.delete(key)) this.total -= entryCost(key) + old.weight;
  }

  private evict(): void {
    while (this.total > this.budget && this.head < this.order.length) {
      this.delete(this.order[this.head++] ?? "");
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}

function entryCost(key: string): number {
  return key.length * 2 + 128;
}

/**
 * What an Observation reads of the DiagnosticReport listing it (observation.ts: `id`, and `effective[x]`
 * through readChoiceTime): kept in place of the report once it is mapped, so a report whose results have
 * not arrived yet does not stay whole. `effectivePeriod` keeps its start and end; any other value that is
 * not a string becomes null (readChoiceTime reads such an element's name only).
 */
export function reportStub(report: JsonObject): JsonObject {
  const stub: JsonObject = {};
  for (const [key, value] of Object.entries(report)) {
    if (key === "resourceType" || key === "id") {
      stub[key] = value;
    } else if (/^effective[A-Z]/.test(key)) {
      if (key === "effectivePeriod" && isObject(value)) {
        const period: JsonObject = {};
        for (const end of ["start", "end"]) if (value[end] !== undefined) period[end] = value[end] as JsonValue;
        stub[key] = period;
      } else {
        stub[key] = typeof value === "string" ? value : null;
      }
    }
  }
  return stub;
}

/** R4 DiagnosticReport / Medication* status codes that mean "did not happen" or "ignore". */
const REPORT_EXCLUDED = new Set(["cancelled", "entered-in-error"]);

/** Contained results of a DiagnosticReport map here; results that are Bundle entries map at their entry. */
function mapDiagnosticReport(located: Located, scope: Scope): void {
  const { run, index } = scope;
  const report = located.resource;
  const status = str(report, "status");
  if (status !== undefined && REPORT_EXCLUDED.has(status)) {
    run.issue(
      located.path,
      "excluded_status",
      "info",
      `DiagnosticReport status is "${status}": its results are not mapped`,
    );
    return;
  }
  const unresolved: string[] = [];
  for (const [, result] of objs(report, "result")) {
    const reference = str(result, "reference");
    const target = index.resolve(reference, located, located);
    if (!target) {
      if (reference !== undefined) unresolved.push(reference);
      continue;
    }
    if (target.contained && str(target.resource, "resourceType") === "Observation") {
      mapObservation(target, located, scope);
    }
  }
  if (unresolved.length > 0) {
    run.issue(
      located.path,
      "unresolved_reference",
      "info",
      `${unresolved.length} result${unresolved.length === 1 ? " is" : "s are"} not in this file: ${unresolved.join(", ")}`,
    );
  }
}

function mapResource(located: Located, scope: Scope): void {
  const type = str(located.resource, "resourceType") ?? "";
  switch (type) {
    case "Observation":
      mapObservation(located, located, scope);
      return;
    case "DiagnosticReport":
      mapDiagnosticReport(located, scope);
      return;
    case "Condition":
      mapCondition(located, scope);
      return;
    case "Immunization":
      mapImmunization(located, scope);
      return;
    case "MedicationRequest":
    case "MedicationStatement":
    case "MedicationAdministration":
      mapMedicationUse(located, scope);
      return;
    case "Medication":
      return; // read through medicationReference
    default:
      scope.run.unsupported(type, located.path);
  }
}

/** An entry (or a top-level resource) waiting in the look-ahead window. */
interface Waiting {
  /** Bundle.entry.resource, or the top-level resource. */
  child: JsonValue | undefined;
  /** Where `child` is. */
  path: string;
  /** Set for a Bundle entry: the entry, its path and its Bundle (whose `type` is read when it is mapped). */
  entry?: { value: JsonObject; path: string; bundle: JsonObject };
  fullUrl?: string;
  located?: Located;
  chars: number;
}

export interface DocumentReaderOptions {
  /**
   * Characters of source the look-ahead window holds before the oldest waiting resource is mapped
   * (default: unbounded, the whole file, as for an NDJSON line).
   */
  lookaheadChars?: number;
  /**
   * Estimated bytes each index map keeps of resources already mapped: keys, and the Medications and
   * Organizations kept whole by their source length (default unbounded).
   */
  indexBudget?: number;
}

/**
 * Maps the resources of one JSON document (or NDJSON line) as they arrive, in file order.
 *
 * A resource waits in a window of `lookaheadChars` of source before it is mapped, so that the
 * DiagnosticReport listing it (whose time it takes when it has none, R4 DiagnosticReport.effective[x]),
 * or the Medication it references, may come after it. Bundle-level checks (a `history` Bundle's older
 * versions, the same fullUrl twice, entries without a resource) run when the resource leaves the window,
 * so a Bundle's `type` written after its entries still counts for the entries in the window. A document
 * that fits the window maps exactly as if read whole: every resource is indexed, every report linked,
 * then all are mapped in file order. Beyond it (README "Big Bundles"): a report further on than the
 * window no longer lends its time; mapped resources stay resolvable through an index bounded by
 * `indexBudget` (Medications whole, others as `Type/id` stubs).
 *
 * @example
 * const reader = new DocumentReader(run, { lookaheadChars: 4 << 20 });
 * reader.addEntry(entry, "$.entry[0]", bundle, 812);
 * for (const _ of reader.release(false)) send(run.drain());
 */
export class DocumentReader {
  /** The largest number of characters that waited in the window at once. */
  maxWindowChars = 0;
  /** Resources handed to their mappers so far. */
  released = 0;
  private readonly scope: Scope;
  private readonly waiting: Waiting[] = [];
  private head = 0;
  private windowChars = 0;
  private readonly lookahead: number;
  /** Bundles whose entries the streaming parser handed over one by one (their `entry` is left empty). */
  private readonly streamed = new WeakSet<JsonObject>();
  /** Results of reports not seen yet, by reference key → the report (R4 DiagnosticReport.result). */
  private readonly forward: BoundedMap<ReportLink>;
  /** fullUrls mapped so far, and the versions seen per history Bundle. */
  private readonly mappedUrls: BoundedMap<true>;
  private readonly versions: BoundedMap<true>;
  private readonly bundleIds = new WeakMap<JsonObject, number>();
  /** Each DiagnosticReport's link (shared by the pending `forward` keys), reduced once it is mapped. */
  private readonly reportLinks = new WeakMap<JsonObject, ReportLink>();
  private nextBundleId = 0;
  private readonly duplicates: Array<{ key: string; line: number }> = [];

  constructor(
    private readonly run: MappingRun,
    options: DocumentReaderOptions = {},
  ) {
    const budget = options.indexBudget ?? Number.POSITIVE_INFINITY;
    this.lookahead = options.lookaheadChars ?? Number.POSITIVE_INFINITY;
    this.scope = { run, index: new ResourceIndex(budget), reports: new WeakMap() };
    this.forward = new BoundedMap(budget);
    this.mappedUrls = new BoundedMap(budget);
    this.versions = new BoundedMap(budget);
  }

  /** A Bundle whose entries arrive one by one through `addEntry`. */
  markStreamed(bundle: JsonObject): void {
    this.streamed.add(bundle);
  }

  /** Duplicate member names the parser found (reported before the issues of the resources around them). */
  addDuplicates(found: ReadonlyArray<{ key: string; line: number }>): void {
    this.duplicates.push(...found);
  }

  /** The top-level value of a document or NDJSON line (a resource, or a Bundle not already streamed). */
  addRoot(value: JsonValue, path: string): void {
    if (!isObject(value)) {
      this.run.issue(path, "not_a_resource", "error", "Expected a FHIR resource (a JSON object with resourceType)");
      return;
    }
    if (str(value, "resourceType") === "Bundle") {
      this.addBundleEntries(value, path);
      return;
    }
    this.push({ child: value, path, chars: 0 });
  }

  /** One Bundle.entry (`path` is the entry's, `chars` its length in the source). */
  addEntry(entry: JsonValue, path: string, bundle: JsonObject, chars: number): void {
    if (!isObject(entry)) return; // not an entry: skipped, as Bundle.entry elements that are not objects
    const child = entry.resource;
    if (isObject(child) && str(child, "resourceType") === "Bundle") {
      // A nested Bundle (batch-response, searchset): its entries are walked, it is not a resource.
      this.addBundleEntries(child, `${path}.resource`);
      return;
    }
    const fullUrl = str(entry, "fullUrl");
    const waiting: Waiting = { child, path: `${path}.resource`, entry: { value: entry, path, bundle }, chars };
    if (fullUrl !== undefined) waiting.fullUrl = fullUrl;
    this.push(waiting);
  }

  private addBundleEntries(bundle: JsonObject, path: string): void {
    if (this.streamed.has(bundle)) return; // its entries came one by one
    for (const [i, entry] of objs(bundle, "entry")) this.addEntry(entry, `${path}.entry[${i}]`, bundle, 0);
  }

  private push(waiting: Waiting): void {
    const child = waiting.child;
    if (isObject(child) && str(child, "resourceType") !== undefined) {
      const located: Located =
        waiting.fullUrl === undefined
          ? { resource: child, path: waiting.path }
          : { resource: child, path: waiting.path, fullUrl: waiting.fullUrl };
      if (waiting.entry !== undefined) located.bundle = waiting.entry.bundle;
      if (waiting.chars > 0) located.chars = waiting.chars;
      waiting.located = located;
      this.scope.index.add(located);
      this.linkArrival(located);
    }
    this.waiting.push(waiting);
    this.windowChars += waiting.chars;
    if (this.windowChars > this.maxWindowChars) this.maxWindowChars = this.windowChars;
  }

  /**
   * Links reports and their results as either arrives: a DiagnosticReport's results already here are
   * linked now, the others when they come (the first report listing an Observation wins).
   */
  private linkArrival(located: Located): void {
    const { reports, index } = this.scope;
    const resource = located.resource;
    const type = str(resource, "resourceType");
    if (type === "Observation" && !reports.has(resource)) {
      const keys = [located.fullUrl, typeIdOf(resource) === undefined ? undefined : `T:${typeIdOf(resource)}`];
      for (const key of keys) {
        const link = key === undefined ? undefined : this.forward.get(key);
        if (link !== undefined) {
          reports.set(resource, link);
          break;
        }
      }
    }
    if (type !== "DiagnosticReport") return;
    const link: ReportLink = { resource, path: located.path };
    this.reportLinks.set(resource, link);
    for (const [, result] of objs(resource, "result")) {
      const reference = str(result, "reference");
      const target = index.resolve(reference, located, located);
      if (target) {
        if (str(target.resource, "resourceType") === "Observation" && !reports.has(target.resource)) {
          reports.set(target.resource, link);
        }
      } else if (reference !== undefined && reference !== "" && !reference.startsWith("#")) {
        for (const key of referenceKeys(reference, located)) if (!this.forward.has(key)) this.forward.set(key, link);
      }
    }
  }

  /**
   * Maps what must leave the window: the oldest resources while it holds more than its size, or (`all`)
   * everything, at the end of the file. Bundle-level checks of all of them run first, then each is mapped
   * in file order, yielding after each so the caller can pass its events on.
   */
  *release(all: boolean): Generator<void> {
    if (this.duplicates.length > 0) {
      for (const d of this.duplicates.splice(0, this.duplicates.length)) {
        this.run.issue(
          `line ${d.line}`,
          "duplicate_property",
          "warning",
          `"${d.key}" appears twice in one object (not allowed in FHIR JSON); the last one is used`,
        );
      }
    }
    if (all) {
      const ready: Located[] = [];
      while (this.head < this.waiting.length) {
        const located = this.check(this.take());
        if (located) ready.push(located);
      }
      // The end of the file: nothing is read after these, so none needs to be forgotten.
      for (const located of ready) {
        this.map(located, false);
        yield;
      }
      return;
    }
    while (this.windowChars > this.lookahead && this.head < this.waiting.length) {
      const located = this.check(this.take());
      if (located) {
        this.map(located, true);
        yield;
      }
    }
  }

  private take(): Waiting {
    const waiting = this.waiting[this.head] as Waiting;
    this.waiting[this.head] = { child: undefined, path: "", chars: 0 };
    this.head++;
    this.windowChars -= waiting.chars;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    return waiting;
  }

  /** Bundle-level checks (R4 Bundle, http.html#history): null when the resource is not to be mapped. */
  private check(waiting: Waiting): Located | null {
    const { run } = this;
    const { child, entry } = waiting;
    if (entry !== undefined) {
      if (str(entry.bundle, "type") === "history") {
        // A history Bundle lists versions newest first: only the newest counts, and a newest version
        // that is a DELETE means the resource is gone.
        const childId = isObject(child) ? str(child, "id") : undefined;
        const key =
          waiting.fullUrl ??
          (isObject(child) && childId !== undefined
            ? `${str(child, "resourceType")}/${childId}`
            : str(obj(entry.value, "request"), "url"));
        if (key !== undefined) {
          const versionKey = `${this.bundleId(entry.bundle)} ${key}`;
          if (this.versions.has(versionKey)) {
            run.issue(
              entry.path,
              "superseded_version",
              "info",
              "An older version of a resource listed above; not mapped",
            );
            return null;
          }
          this.versions.set(versionKey, true);
        }
      }
      if (child === undefined) return null; // e.g. a DELETE or GET request entry (R4 Bundle.entry.request)
      if (!isObject(child)) {
        run.issue(waiting.path, "not_a_resource", "error", "Bundle.entry.resource is not an object");
        return null;
      }
    }
    const located = waiting.located;
    if (located === undefined) {
      run.issue(
        waiting.path,
        "not_a_resource",
        "error",
        "The object has no resourceType, so it is not a FHIR resource",
      );
      return null;
    }
    if (located.fullUrl !== undefined) {
      if (this.mappedUrls.has(located.fullUrl)) {
        run.issue(
          located.path,
          "duplicate_resource",
          "info",
          `${located.fullUrl} appears earlier in the file; mapped once`,
        );
        return null;
      }
      this.mappedUrls.set(located.fullUrl, true);
    }
    return located;
  }

  private bundleId(bundle: JsonObject): number {
    const known = this.bundleIds.get(bundle);
    if (known !== undefined) return known;
    const id = this.nextBundleId++;
    this.bundleIds.set(bundle, id);
    return id;
  }

  private map(located: Located, forget: boolean): void {
    this.released++;
    mapResource(located, this.scope);
    if (!forget) return;
    this.scope.index.forget(located);
    const link = this.reportLinks.get(located.resource);
    if (link !== undefined) link.resource = reportStub(located.resource);
  }
}

/**
 * Maps one JSON value read whole: a resource or a Bundle. `path` is the location of the value (`$`, or
 * `line 3 $`). Yields after each resource, so the caller can pass on the events produced so far.
 *
 * @example
 * const run = new MappingRun({ lookup });
 * for (const _ of mapFhirValue(parseJson(text).value, "$", run)) send(run.drain());
 */
export function* mapFhirValue(value: JsonValue, path: string, run: MappingRun): Generator<void> {
  const reader = new DocumentReader(run);
  reader.addRoot(value, path);
  yield* reader.release(true);
}
