/**
 * FHIR R4 JSON → canonical observations: a single resource, a Bundle of any type (nested Bundles
 * included), or NDJSON with one resource per line (FHIR Bulk Data export files, streamed line by line).
 *
 * What each resource type yields is described in ./README.md.
 */
import type { DetectInput, MapContext, MapEvent, Mapper } from "@dfda/core";
import { InputTooLargeError, MAX_DOCUMENT_CHARS } from "../util/limits";
import { decodeText } from "../util/stream";
import { mapFhirValue } from "./document";
import { JsonSyntaxError, parseJson } from "./json";
import { MappingRun } from "./run";

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

function syntaxIssue(run: MappingRun, error: unknown, lineOffset: number, wholeFile: boolean): void {
  if (error instanceof JsonSyntaxError) {
    const line = error.line + lineOffset;
    run.issue(
      `line ${line}`,
      "invalid_json",
      "error",
      `${wholeFile ? "The file" : `Line ${line}`} is not valid JSON: ${error.reason} at line ${line}, column ${error.column}; nothing ${wholeFile ? "in it" : "on it"} is mapped`,
    );
    return;
  }
  throw error;
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

/**
 * Streams the file: if its first non-empty line is a complete JSON value and another line follows, it
 * is NDJSON (FHIR Bulk Data, `application/fhir+ndjson`) and each line is mapped as it arrives
 * (locations `line N $…`); otherwise it is one JSON document, read whole (locations `$…`).
 *
 * Lines are split here rather than with util/stream `lines()`: that re-splits its whole buffer on every
 * chunk, which is quadratic on the one long line of a minified JSON document (22 s for 33 MB measured);
 * here each chunk is scanned once and a document's text is only collected.
 *
 * Memory is bounded whatever the file (issue 12): a document, and each NDJSON line, is held whole only
 * up to MAX_DOCUMENT_CHARS (a Bundle's references resolve across its entries, R4 Bundle §2.36.4.1, so
 * a Bundle is mapped whole); past that the mapping stops with an InputTooLargeError, having read no
 * more than the limit, and NDJSON of any length streams.
 */
async function* map(source: AsyncIterable<Uint8Array>, context: MapContext): AsyncIterable<MapEvent> {
  const run = new MappingRun(context);
  type Mode = "undecided" | "document" | "ndjson";
  // Widened on purpose: handleLine changes it, which control-flow narrowing cannot see.
  let mode = "undecided" as Mode;
  /** The text so far while undecided, then the document's text. */
  let raw: string[] = [];
  /** Pieces of the current, unfinished line. */
  let pending: string[] = [];
  let lineNumber = 0;
  let first: { parsed: Parsed; number: number } | undefined;
  /** Characters in `raw` and in `pending`. */
  let rawChars = 0;
  let pendingChars = 0;
  const tooLarge = (what: string, location: string | null) =>
    new InputTooLargeError(
      what,
      MAX_DOCUMENT_CHARS,
      location,
      "split it into smaller Bundles, or send NDJSON (FHIR Bulk Data), which is read line by line",
    );
  const keepRaw = (text: string) => {
    rawChars += text.length;
    if (rawChars > MAX_DOCUMENT_CHARS) throw tooLarge("The JSON document", null);
    raw.push(text);
  };

  const handleLine = (text: string, number: number): void => {
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (mode === "undecided") {
      keepRaw(`${text}\n`);
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
    if (mode === "document") keepRaw(chunk.slice(pos));
    else if (pos < chunk.length) {
      pending.push(chunk.slice(pos));
      pendingChars += chunk.length - pos;
    }
    if (mode !== "document" && pendingChars > MAX_DOCUMENT_CHARS) {
      // One line longer than the limit: an NDJSON record, or a minified document on one line.
      throw mode === "ndjson"
        ? tooLarge(`Line ${lineNumber + 1}`, `line ${lineNumber + 1}`)
        : tooLarge("The JSON document", null);
    }
    yield* run.drain();
  }
  if (mode !== "document" && pending.length > 0) {
    handleLine(pending.join(""), ++lineNumber);
    pending = [];
    yield* run.drain();
  }
  if (mode === "ndjson") return;

  let parsed: Parsed | null;
  let firstLine = 1;
  if (first !== undefined) {
    // One value on one line: a (minified) JSON document.
    parsed = first.parsed;
    firstLine = first.number;
    raw = [];
  } else if (raw.some((t) => t.trim() !== "")) {
    const text = raw.join("");
    raw = [];
    parsed = parseText(text, 1, run, true);
  } else {
    run.issue(null, "empty_file", "error", "The file is empty");
    yield* run.drain();
    return;
  }
  for (const _ of mapParsed(parsed, "$", firstLine, run)) yield* run.drain();
  yield* run.drain();
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
