/**
 * A parsed FHIR JSON value → events: walks Bundles (every Bundle.type, nested Bundles included),
 * indexes their entries for reference resolution, and hands each resource to its mapper.
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
  private readonly byFullUrl = new Map<string, Located>();
  private readonly byTypeId = new Map<string, Located>();

  /** Adds an entry; false when its fullUrl was already seen (the same resource twice). */
  add(located: Located): boolean {
    if (located.fullUrl !== undefined) {
      if (this.byFullUrl.has(located.fullUrl)) return false;
      this.byFullUrl.set(located.fullUrl, located);
    }
    const type = str(located.resource, "resourceType");
    const id = str(located.resource, "id");
    if (type !== undefined && id !== undefined && !this.byTypeId.has(`${type}/${id}`)) {
      this.byTypeId.set(`${type}/${id}`, located);
    }
    return true;
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
    const direct = this.byFullUrl.get(reference);
    if (direct) return direct;
    const isAbsolute = /^[a-z][a-z0-9+.-]*:/i.test(reference);
    const base = from.fullUrl === undefined ? undefined : /^(.*\/)[A-Z][A-Za-z]+\/[^/]+$/.exec(from.fullUrl)?.[1];
    if (!isAbsolute && base !== undefined) {
      const rebased = this.byFullUrl.get(base + reference);
      if (rebased) return rebased;
    }
    const key = typeAndId(reference);
    return key === undefined ? undefined : this.byTypeId.get(key);
  }
}

/** R4 DiagnosticReport / Medication* status codes that mean "did not happen" or "ignore". */
const REPORT_EXCLUDED = new Set(["cancelled", "entered-in-error"]);

/** Collects the resources of a value in file order; Bundles are walked, not listed. */
function collect(
  resource: JsonObject,
  path: string,
  fullUrl: string | undefined,
  out: Located[],
  index: ResourceIndex,
  run: MappingRun,
): void {
  const type = str(resource, "resourceType");
  if (type === undefined) {
    run.issue(path, "not_a_resource", "error", "The object has no resourceType, so it is not a FHIR resource");
    return;
  }
  const located: Located = fullUrl === undefined ? { resource, path } : { resource, path, fullUrl };
  if (type !== "Bundle") {
    if (index.add(located)) out.push(located);
    else run.issue(path, "duplicate_resource", "info", `${fullUrl} appears earlier in the file; mapped once`);
    return;
  }
  const bundleType = str(resource, "type");
  // A history Bundle lists versions newest first (R4 http.html#history); only the newest counts,
  // and a newest version that is a DELETE means the resource is gone.
  const seenVersions = new Set<string>();
  for (const [i, entry] of objs(resource, "entry")) {
    const entryPath = `${path}.entry[${i}]`;
    const child = entry.resource;
    const entryUrl = str(entry, "fullUrl");
    if (bundleType === "history") {
      const childId = isObject(child) ? str(child, "id") : undefined;
      const key =
        entryUrl ??
        (isObject(child) && childId !== undefined
          ? `${str(child, "resourceType")}/${childId}`
          : str(obj(entry, "request"), "url"));
      if (key !== undefined) {
        if (seenVersions.has(key)) {
          run.issue(entryPath, "superseded_version", "info", "An older version of a resource listed above; not mapped");
          continue;
        }
        seenVersions.add(key);
      }
    }
    if (child === undefined) continue; // e.g. a DELETE or GET request entry (R4 Bundle.entry.request)
    if (!isObject(child)) {
      run.issue(`${entryPath}.resource`, "not_a_resource", "error", "Bundle.entry.resource is not an object");
      continue;
    }
    collect(child, `${entryPath}.resource`, entryUrl, out, index, run);
  }
}

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

/** Links each Observation listed in a DiagnosticReport.result to that report. */
function linkReports(resources: Located[], scope: Scope): void {
  for (const located of resources) {
    if (str(located.resource, "resourceType") !== "DiagnosticReport") continue;
    for (const [, result] of objs(located.resource, "result")) {
      const target = scope.index.resolve(str(result, "reference"), located, located);
      if (target && str(target.resource, "resourceType") === "Observation" && !scope.reports.has(target.resource)) {
        scope.reports.set(target.resource, { resource: located.resource, path: located.path });
      }
    }
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

/**
 * Maps one JSON value: a resource or a Bundle. `path` is the location of the value (`$`, or `line 3 $`).
 * Yields after each resource, so the caller can pass on the events produced so far.
 *
 * @example
 * const run = new MappingRun({ lookup });
 * for (const _ of mapFhirValue(parseJson(text).value, "$", run)) send(run.drain());
 */
export function* mapFhirValue(value: JsonValue, path: string, run: MappingRun): Generator<void> {
  if (!isObject(value)) {
    run.issue(path, "not_a_resource", "error", "Expected a FHIR resource (a JSON object with resourceType)");
    return;
  }
  const resources: Located[] = [];
  const scope: Scope = { run, index: new ResourceIndex(), reports: new WeakMap() };
  collect(value, path, undefined, resources, scope.index, run);
  linkReports(resources, scope);
  for (const located of resources) {
    mapResource(located, scope);
    yield;
  }
}
