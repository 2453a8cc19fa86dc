/**
 * FHIR R4 JSON → canonical observations: a single resource, a Bundle of any type and size (nested
 * Bundles included; parsed as a stream, entry by entry), or NDJSON with one resource per line (FHIR Bulk
 * Data export files, streamed line by line).
 *
 * What each resource type yields is described in ./README.md.
 */
import type { DetectInput, MapContext, MapEvent, Mapper } from "@dfda/core";
import { type JsonContainer, type JsonPath, JsonStreamParser } from "../util/json-stream";
import { InputTooLargeError, MAX_DOCUMENT_CHARS, UnreadableFileError } from "../util/limits";
import { decodeText } from "../util/stream";
import { DocumentReader, mapFhirValue } from "./document";
import { type JsonObject, JsonSyntaxError, parseJson } from "./json";
import { MappingRun } from "./run";

/**
 * Characters of source a FHIR document's look-ahead window holds (./README.md "Big Bundles"): a
 * resource is mapped once this much of the file after it has been read, so a DiagnosticReport or a
 * Medication up to this far after the resources that need it still resolves. A document no larger maps
 * exactly as if read whole. Parsed, 4 MiB of FHIR JSON takes about 15 MB of a Worker's 128 MB.
 */
export const LOOKAHEAD_CHARS = 4 * 1024 * 1024;

/**
 * Estimated bytes each of the index's two maps keeps of resources already mapped, for references back
 * to them: keys (fullUrls, `Type/id`; 2 bytes a character and 128 an entry) and the Medications and
 * Organizations kept whole (2 bytes a character of their entry in the source); the oldest go first.
 */
export const INDEX_BUDGET = 8 * 1024 * 1024;

/** Statistics of the last streamed document, for tests and the benchmark (no timing). */
export interface StreamStats {
  /** The most source characters the parser held (the value being built, items handed over excluded). */
  maxHeldChars: number;
  /** The most source characters of resources waiting in the look-ahead window. */
  maxWindowChars: number;
  /** Resources mapped. */
  resources: number;
}

/** A Bundle's `entry` array (`entry`, or `…entry[i].resource.entry`): the arrays the parser hands over item by item. */
function isEntryArray(path: JsonPath): boolean {
  if (path.length % 3 !== 1) return false;
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    const want = i % 3 === 0 ? p === "entry" : i % 3 === 1 ? typeof p === "number" : p === "resource";
    if (!want) return false;
  }
  return true;
}

/** A parser path as a mapper location (`$.entry[3].resource.entry[0]`). */
function pathText(prefix: string, path: JsonPath): string {
  let out = prefix;
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `.${p}`;
  return out;
}

function isObjectContainer(c: JsonContainer | undefined): c is JsonObject {
  return c !== undefined && !Array.isArray(c);
}

/** R4 resource types (R4 resourcelist.html), to tell a FHIR `resourceType` from a look-alike. */
const R4_RESOURCE_TYPES = new Set(
  (
    "Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse AuditEvent Basic Binary " +
    "BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement CarePlan CareTeam CatalogEntry ChargeItem " +
    "ChargeItemDefinition Claim ClaimResponse ClinicalImpression CodeSystem Communication CommunicationRequest " +
    "CompartmentDefinition Composition ConceptMap Condition Consent Contract Coverage CoverageEligibilityRequest " +
    "CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric DeviceRequest DeviceUseStatement " +
    "DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis Encounter Endpoint EnrollmentRequest " +
    "EnrollmentResponse EpisodeOfCare EventDefinition Evidence EvidenceVariable ExampleScenario ExplanationOfBenefit " +
    "FamilyMemberHistory Flag Goal GraphDefinition Group GuidanceResponse HealthcareService ImagingStudy Immunization " +
    "ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide InsurancePlan Invoice Library Linkage List " +
    "Location Measure MeasureReport Media Medication MedicationAdministration MedicationDispense MedicationKnowledge " +
    "MedicationRequest MedicationStatement MedicinalProduct MedicinalProductAuthorization MedicinalProductContraindication " +
    "MedicinalProductIndication MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured " +
    "MedicinalProductPackaged MedicinalProductPharmaceutical MedicinalProductUndesirableEffect MessageDefinition " +
    "MessageHeader MolecularSequence NamingSystem NutritionOrder Observation ObservationDefinition OperationDefinition " +
    "OperationOutcome Organization OrganizationAffiliation Parameters Patient PaymentNotice PaymentReconciliation Person " +
    "PlanDefinition Practitioner PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse RelatedPerson " +
    "RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject RiskAssessment " +
    "RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen SpecimenDefinition StructureDefinition " +
    "StructureMap Subscription Substance SubstanceNucleicAcid SubstancePolymer SubstanceProtein " +
    "SubstanceReferenceInformation SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task " +
    "TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription"
  ).split(" "),
);

/**
 * How sure the start of a file is FHIR JSON: a top-level object (or NDJSON line) with an R4
 * `resourceType` proves it; the FHIR media types or an `.ndjson` name only hint.
 */
function detect(input: DetectInput): number {
  const text = input.headText.trimStart();
  const type = input.contentType?.toLowerCase() ?? "";
  const hinted =
    type.includes("fhir+json") || type.includes("fhir+ndjson") || /\.(fhir\.json|ndjson)$/i.test(input.name ?? "");
  if (!text.startsWith("{")) return 0;
  const m = /"resourceType"\s*:\s*"([A-Za-z]+)"/.exec(text);
  if (m?.[1] !== undefined) return R4_RESOURCE_TYPES.has(m[1]) ? 0.95 : hinted ? 0.6 : 0.4;
  return hinted ? 0.3 : 0;
}

function syntaxMessage(error: JsonSyntaxError, line: number, wholeFile: boolean): string {
  return `${wholeFile ? "The file" : `Line ${line}`} is not valid JSON: ${error.reason} at line ${line}, column ${error.column}; nothing ${wholeFile ? "in it" : "on it"} is mapped`;
}

function syntaxIssue(run: MappingRun, error: unknown, lineOffset: number, wholeFile: boolean): void {
  if (error instanceof JsonSyntaxError) {
    const line = error.line + lineOffset;
    run.issue(`line ${line}`, "invalid_json", "error", syntaxMessage(error, line, wholeFile));
    return;
  }
  throw error;
}

/**
 * One JSON document read as a stream: the streaming parser hands over each Bundle entry as soon as it
 * is complete (any nesting, `entry` before or after `type` and `meta`), and the DocumentReader maps it
 * once it leaves the look-ahead window. Held at once: the entry being read (at most MAX_DOCUMENT_CHARS,
 * else InputTooLargeError), the window (LOOKAHEAD_CHARS plus one entry) and the bounded index. A Bundle
 * whose `resourceType` comes after its `entry` cannot be told from a List until then, so it is read
 * whole, within MAX_DOCUMENT_CHARS, as a single resource is.
 */
class StreamedDocument {
  private readonly reader: DocumentReader;
  private readonly parser: JsonStreamParser;

  constructor(run: MappingRun, lookaheadChars: number) {
    const reader = new DocumentReader(run, { lookaheadChars, indexBudget: INDEX_BUDGET });
    this.reader = reader;
    const parser: JsonStreamParser = new JsonStreamParser(
      {
        streamArray: (path, containers) => {
          const bundle = containers[containers.length - 1];
          if (!isEntryArray(path) || !isObjectContainer(bundle) || bundle.resourceType !== "Bundle") return false;
          reader.markStreamed(bundle);
          return true;
        },
        item: (value, path, containers, chars) => {
          const bundle = containers[containers.length - 2];
          if (!isObjectContainer(bundle)) return;
          reader.addDuplicates(parser.takeDuplicateKeys());
          reader.addEntry(value, pathText("$", path), bundle, chars);
          // What leaves the window is mapped now (its events wait in the run until the chunk is read),
          // so the window never holds more than its size and one entry.
          runAll(reader.release(false));
        },
      },
      {
        maxHeldChars: MAX_DOCUMENT_CHARS,
        tooLarge: (path) => {
          const entry = path.findLastIndex((p, i) => typeof p === "number" && isEntryArray(path.slice(0, i)));
          return entry === -1
            ? new InputTooLargeError(
                "The JSON document",
                MAX_DOCUMENT_CHARS,
                null,
                "a single resource (or a Bundle whose resourceType comes after its entries) is read whole; send NDJSON (FHIR Bulk Data), or a Bundle with resourceType first, whose entries are read one by one",
              )
            : new InputTooLargeError(
                `The Bundle entry at ${pathText("$", path.slice(0, entry + 1))}`,
                MAX_DOCUMENT_CHARS,
                pathText("$", path.slice(0, entry + 1)),
                "each entry of a Bundle is read whole",
              );
        },
      },
    );
    this.parser = parser;
  }

  get stats(): StreamStats {
    return {
      maxHeldChars: this.parser.maxHeldChars,
      maxWindowChars: this.reader.maxWindowChars,
      resources: this.reader.released,
    };
  }

  /** Reads a chunk; yields after each resource it lets out of the window. */
  *write(text: string): Generator<void> {
    this.guard(() => this.parser.write(text));
    yield* this.reader.release(false);
  }

  /** The end of the file; false when the file held only whitespace. */
  *end(): Generator<void, boolean> {
    const root = this.guard(() => this.parser.end());
    if (root === undefined) return false;
    this.reader.addDuplicates(this.parser.takeDuplicateKeys());
    this.reader.addRoot(root, "$");
    yield* this.reader.release(true);
    return true;
  }

  /**
   * A syntax error refuses the whole file (R4 json.html: the document is not FHIR JSON). While nothing
   * has been mapped it is the `invalid_json` issue of a document read whole; once resources have been
   * mapped (a document longer than the window) it is thrown as an UnreadableFileError, which the mapper
   * Worker answers by dropping every row it staged for the file (all or nothing).
   */
  private guard<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      const message = syntaxMessage(error, error.line, true);
      if (this.reader.released > 0) throw new UnreadableFileError("invalid_json", message, `line ${error.line}`);
      throw new DocumentSyntaxError(message, error.line);
    }
  }
}

/** A syntax error found before anything of the document was mapped (reported as an issue). */
class DocumentSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

type Parsed = ReturnType<typeof parseJson>;

/** Parses one JSON text; a syntax error becomes an `invalid_json` issue and null. */
function parseText(text: string, firstLine: number, run: MappingRun, wholeFile: boolean): Parsed | null {
  try {
    return parseJson(text);
  } catch (error) {
    syntaxIssue(run, error, firstLine - 1, wholeFile);
    return null;
  }
}

/**
 * Maps one parsed JSON text, reporting duplicate member names first; yields after each resource so a
 * large Bundle's events can be passed on while it is mapped.
 */
function* mapParsed(parsed: Parsed | null, path: string, firstLine: number, run: MappingRun): Generator<void> {
  if (parsed === null) return;
  for (const d of parsed.duplicateKeys) {
    run.issue(
      `line ${d.line + firstLine - 1}`,
      "duplicate_property",
      "warning",
      `"${d.key}" appears twice in one object (not allowed in FHIR JSON); the last one is used`,
    );
  }
  yield* mapFhirValue(parsed.value, path, run);
}

/** Runs a mapping to the end (an NDJSON line: its events are passed on per chunk). */
function runAll(steps: Iterable<void>): void {
  for (const _ of steps) {
    // each step maps one resource
  }
}

export interface FhirStreamOptions {
  /** The look-ahead window (default LOOKAHEAD_CHARS). */
  lookaheadChars?: number;
  /** Called once a JSON document has been read, with what it held at most. */
  onStats?: (stats: StreamStats) => void;
}

/**
 * Streams the file: if its first non-empty line is a complete JSON value and another line follows, it
 * is NDJSON (FHIR Bulk Data, `application/fhir+ndjson`) and each line is mapped as it arrives
 * (locations `line N $…`); otherwise it is one JSON document, parsed as a stream (locations `$…`):
 * a Bundle's entries are mapped as they are read (StreamedDocument), so a Bundle of any size maps in
 * bounded memory.
 *
 * Lines are split here rather than with util/stream `lines()`: that re-splits its whole buffer on every
 * chunk, which is quadratic on one long line; here each chunk is scanned once. While undecided, at most
 * the window's size of text is kept: a first line longer than that is taken for a document's.
 *
 * Memory is bounded whatever the file (issue 12): an NDJSON line is held whole up to MAX_DOCUMENT_CHARS,
 * a document's entry likewise; past that the mapping stops with an InputTooLargeError.
 *
 * @example
 * for await (const event of mapFhirStream(fromBytes(bytes), { lookup }, { onStats: console.log })) use(event);
 */
export async function* mapFhirStream(
  source: AsyncIterable<Uint8Array>,
  context: MapContext,
  options: FhirStreamOptions = {},
): AsyncIterable<MapEvent> {
  const run = new MappingRun(context);
  const lookahead = options.lookaheadChars ?? LOOKAHEAD_CHARS;
  type Mode = "undecided" | "document" | "ndjson";
  // Widened on purpose: handleLine changes it, which control-flow narrowing cannot see.
  let mode = "undecided" as Mode;
  /** The text so far while undecided. */
  let raw: string[] = [];
  /** Pieces of the current, unfinished line. */
  let pending: string[] = [];
  let lineNumber = 0;
  let first: { parsed: Parsed; number: number } | undefined;
  /** Characters in `raw` and in `pending`. */
  let rawChars = 0;
  let pendingChars = 0;
  let doc: StreamedDocument | undefined;
  const lineTooLarge = () =>
    new InputTooLargeError(
      `Line ${lineNumber + 1}`,
      MAX_DOCUMENT_CHARS,
      `line ${lineNumber + 1}`,
      "each NDJSON line is read whole; split the resource",
    );

  const handleLine = (text: string, number: number): void => {
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (mode === "undecided") {
      raw.push(`${text}\n`);
      rawChars += text.length + 1;
      if (first === undefined) {
        if (line.trim() === "") return;
        try {
          first = { parsed: parseJson(line), number };
        } catch {
          mode = "document";
        }
        return;
      }
      if (line.trim() === "") return;
      mode = "ndjson";
      raw = [];
      rawChars = 0;
      runAll(mapParsed(first.parsed, `line ${first.number} $`, first.number, run));
    }
    if (line.trim() === "") return;
    runAll(mapParsed(parseText(line, number, run, false), `line ${number} $`, number, run));
  };

  /** Starts the document with the text kept while undecided. */
  const startDocument = (): StreamedDocument => {
    const started = new StreamedDocument(run, lookahead);
    doc = started;
    return started;
  };

  try {
    for await (const chunk of decodeText(source)) {
      let pos = 0;
      while (mode !== "document") {
        const nl = chunk.indexOf("\n", pos);
        if (nl === -1) break;
        pending.push(chunk.slice(pos, nl));
        pendingChars += nl - pos;
        pos = nl + 1;
        if (pendingChars > MAX_DOCUMENT_CHARS) break;
        const text = pending.join("");
        pending = [];
        pendingChars = 0;
        handleLine(text, ++lineNumber);
      }
      const rest = pos === 0 ? chunk : chunk.slice(pos);
      // A first line longer than the window is a (minified) document's, not an NDJSON record.
      if (mode === "undecided" && rawChars + pendingChars + rest.length > lookahead) mode = "document";
      if (mode === "document") {
        const document = doc ?? startDocument();
        const kept = raw.join("") + pending.join("");
        raw = [];
        pending = [];
        rawChars = 0;
        pendingChars = 0;
        if (kept !== "") for (const _ of document.write(kept)) yield* run.drain();
        for (const _ of document.write(rest)) yield* run.drain();
      } else if (rest.length > 0) {
        pending.push(rest);
        pendingChars += rest.length;
        // One NDJSON line longer than the limit.
        if (mode === "ndjson" && pendingChars > MAX_DOCUMENT_CHARS) throw lineTooLarge();
      }
      yield* run.drain();
    }
    if (mode !== "document" && pending.length > 0) {
      handleLine(pending.join(""), ++lineNumber);
      pending = [];
      yield* run.drain();
    }
    if (mode === "ndjson") return;
    const document = doc ?? startDocument();
    if (raw.length > 0) {
      const kept = raw.join("");
      raw = [];
      for (const _ of document.write(kept)) yield* run.drain();
    }
    const steps = document.end();
    let next = steps.next();
    while (next.done !== true) {
      yield* run.drain();
      next = steps.next();
    }
    options.onStats?.(document.stats);
    if (!next.value) run.issue(null, "empty_file", "error", "The file is empty");
    yield* run.drain();
  } catch (error) {
    if (!(error instanceof DocumentSyntaxError)) throw error;
    // Nothing of the document was mapped: one issue, as for a document read whole.
    run.drain();
    run.issue(`line ${error.line}`, "invalid_json", "error", error.message);
    yield* run.drain();
  }
}

function map(source: AsyncIterable<Uint8Array>, context: MapContext): AsyncIterable<MapEvent> {
  return mapFhirStream(source, context);
}

/**
 * The FHIR R4 JSON / NDJSON mapper.
 *
 * @example
 * for await (const event of fhirMapper.map(fromBytes(bytes), { lookup: seedCatalog() })) console.log(event);
 */
export const fhirMapper: Mapper = {
  id: "fhir-r4",
  version: "1.0.0",
  description:
    "FHIR R4 JSON (a resource or a Bundle of any type) and NDJSON (Bulk Data): Observation (all value[x] types, components), DiagnosticReport results, Condition, Immunization, MedicationRequest/Statement/Administration.",
  detect,
  map,
};
