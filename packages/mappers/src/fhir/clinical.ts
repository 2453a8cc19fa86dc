/**
 * Condition, Immunization and medication use (MedicationRequest, MedicationStatement,
 * MedicationAdministration) → observations. Their codes local to the sender (a coding without a system,
 * or only a text naming no known variable) are kept like an Observation's (issue 15): under the
 * sender's local system, resolved through the tenant's code mappings, else held as pending.
 */
import type { MappedObservation } from "@dfda/core";
import { CODE_SYSTEMS } from "@dfda/core";
import type { Located, Scope } from "./document";
import {
  type LocalCodes,
  type Naming,
  nameOf,
  type QuantityValue,
  readChoiceTime,
  readQuantity,
  type TimeSpan,
  timeFields,
} from "./elements";
import { type JsonObject, obj, objs, str, toPlain } from "./json";
import { codingsOf } from "./run";
import { lazySender, senderOf } from "./sender";

/**
 * Local codes of a resource (elements.ts `LocalCodes`, text kept as a code too): its sender is its
 * `meta.source`, the Bundle's, else the Organization among `organizations` (sender.ts).
 */
function localCodesOf(located: Located, scope: Scope, organizations: readonly JsonObject[] = []): LocalCodes {
  return { sender: lazySender(() => senderOf(located, located, scope, organizations)), text: true };
}

function baseMetadata(resource: JsonObject, type: string): Record<string, unknown> {
  const out: Record<string, unknown> = { resource_type: type };
  const id = str(resource, "id");
  if (id !== undefined) out.fhir_id = id;
  const status = str(resource, "status");
  if (status !== undefined) out.status = status;
  return out;
}

function build(
  naming: Naming,
  value: number | string | boolean,
  unit: string | undefined,
  span: TimeSpan,
  location: string,
  metadata: Record<string, unknown>,
): MappedObservation {
  const times = timeFields(span);
  const out: MappedObservation = {
    codings: naming.codings,
    value,
    start_at: times.start_at,
    location,
    metadata: { ...metadata, ...times.metadata },
  };
  if (naming.variable_id !== undefined) out.variable_id = naming.variable_id;
  if (naming.text !== undefined && out.metadata) out.metadata.code_text = naming.text;
  if (unit !== undefined) out.unit = unit;
  if (times.end_at !== undefined) out.end_at = times.end_at;
  return out;
}

function firstCode(resource: JsonObject, key: string): string | undefined {
  return codingsOf(obj(resource, key))[0]?.code;
}

// ---- Condition ---------------------------------------------------------------------------------

/** R4 condition-clinical codes that say the condition is no longer present. */
const NOT_PRESENT = new Set(["inactive", "remission", "resolved"]);

/**
 * Condition (R4 condition.html). The value says whether the condition was present, over the
 * half-open interval [start_at, end_at) (as the C-CDA mapper reads Problem observations):
 * - verificationStatus `entered-in-error` → nothing; `refuted` → false at recordedDate (else onset);
 * - an onset time → true from onset (onset[x]'s start) to abatement (abatement[x]'s start) when that is a
 *   time, whatever the status; with no abatement time (none, abatementAge, abatementString, abatement
 *   only implied by clinicalStatus inactive/remission/resolved) → true from onset with an unknown end:
 *   the condition was present from its onset, and a status saying it no longer is only ends the interval
 *   somewhere before recordedDate (`metadata.abatement_unknown`, `metadata.not_present_as_of`). Reading
 *   it as "false at recordedDate" would lose the known presence (con-4: an abated condition has one of
 *   those statuses, so the status alone says nothing about when);
 * - no onset: inactive/remission/resolved with an abatement time → false at abatement, else false as of
 *   recordedDate; otherwise true from recordedDate (`onset_unknown`).
 */
export function mapCondition(located: Located, scope: Scope): void {
  const { run } = scope;
  const c = located.resource;
  const path = located.path;
  const clinical = firstCode(c, "clinicalStatus");
  const verification = firstCode(c, "verificationStatus");
  if (verification === "entered-in-error") {
    run.issue(path, "excluded_status", "info", 'Condition verificationStatus is "entered-in-error": not mapped');
    return;
  }
  // R4 Condition.recorder and .asserter name people, never an Organization: the sender is meta.source's.
  const naming = nameOf(obj(c, "code"), [], `${path}.code`, "Condition code", run, localCodesOf(located, scope));
  const onset = readChoiceTime(c, "onset", path, run);
  const abatement = readChoiceTime(c, "abatement", path, run);
  const recorded = run.time(str(c, "recordedDate"), `${path}.recordedDate`);
  const recordedSpan: TimeSpan | null = recorded ? { start: recorded, element: "recordedDate" } : null;
  const onsetStart: TimeSpan | null =
    onset.kind === "time" ? { start: onset.span.start, element: onset.span.element } : null;
  const abatementSpan: TimeSpan | null =
    abatement.kind === "time" ? { start: abatement.span.start, element: abatement.span.element } : null;
  const notPresent = clinical !== undefined && NOT_PRESENT.has(clinical);
  const metadata = baseMetadata(c, "Condition");

  let value = true;
  let span: TimeSpan | null;
  if (verification === "refuted") {
    value = false;
    span = recordedSpan ?? onsetStart;
  } else if (onsetStart) {
    span = abatementSpan ? { ...onsetStart, end: abatementSpan.start } : onsetStart;
    if (!abatementSpan && (notPresent || abatement.kind === "unusable")) {
      metadata.abatement_unknown = true;
      if (notPresent && recordedSpan) metadata.not_present_as_of = recordedSpan.start.instant;
    }
  } else if (notPresent && abatementSpan) {
    value = false;
    span = abatementSpan;
  } else if (notPresent && recordedSpan) {
    value = false;
    span = recordedSpan;
  } else {
    span = recordedSpan;
    if (span) metadata.onset_unknown = true;
  }
  if (!span) {
    run.issue(path, "missing_time", "error", "The Condition has no usable onset[x], abatement[x] or recordedDate");
  }
  if (!naming || !span) return;

  if (clinical !== undefined) metadata.clinical_status = clinical;
  if (verification !== undefined) metadata.verification_status = verification;
  const categories = objs(c, "category").flatMap(([, x]) => codingsOf(x).map((k) => k.code));
  if (categories.length > 0) metadata.category = categories;
  const severity = codingsOf(obj(c, "severity"));
  if (severity.length > 0) metadata.severity = severity;
  if (onset.kind === "unusable") metadata.onset = toPlain(c[onset.element]);
  if (abatement.kind === "unusable") metadata.abatement = toPlain(c[abatement.element]);
  if (span.element !== "onsetDateTime" && span.element !== "onsetPeriod") metadata.time_source = span.element;
  run.observation(build(naming, value, undefined, span, path, metadata));
}

// ---- Immunization ------------------------------------------------------------------------------

/**
 * Immunization (R4 immunization.html): value true (a dose was given), named by vaccineCode (CVX first),
 * at occurrenceDateTime. Status `not-done` and `entered-in-error` yield nothing.
 */
export function mapImmunization(located: Located, scope: Scope): void {
  const { run } = scope;
  const im = located.resource;
  const path = located.path;
  const status = str(im, "status");
  if (status === "not-done" || status === "entered-in-error") {
    run.issue(path, "excluded_status", "info", `Immunization status is "${status}": no dose to map`);
    return;
  }
  // R4 Immunization.performer.actor may be the Organization that gave (and sent) it.
  const performers = objs(im, "performer").flatMap(([, p]) => {
    const actor = obj(p, "actor");
    return actor === undefined ? [] : [actor];
  });
  const naming = nameOf(
    obj(im, "vaccineCode"),
    [CODE_SYSTEMS.cvx],
    `${path}.vaccineCode`,
    "vaccineCode",
    run,
    localCodesOf(located, scope, performers),
  );
  const occurrence = readChoiceTime(im, "occurrence", path, run);
  if (occurrence.kind !== "time") {
    run.issue(
      path,
      "missing_time",
      "error",
      occurrence.kind === "unusable"
        ? `The Immunization's ${occurrence.element} ${occurrence.reason}`
        : "The Immunization has no occurrence[x]",
    );
  }
  if (!naming || occurrence.kind !== "time") return;
  const metadata = baseMetadata(im, "Immunization");
  const lot = str(im, "lotNumber");
  if (lot !== undefined) metadata.lot_number = lot;
  if (im.doseQuantity !== undefined) metadata.dose_quantity = toPlain(im.doseQuantity);
  const site = codingsOf(obj(im, "site"));
  if (site.length > 0) metadata.site = site;
  const route = codingsOf(obj(im, "route"));
  if (route.length > 0) metadata.route = route;
  if (typeof im.primarySource === "boolean") metadata.primary_source = im.primarySource;
  if (typeof im.isSubpotent === "boolean") metadata.is_subpotent = im.isSubpotent;
  run.observation(build(naming, true, undefined, occurrence.span, path, metadata));
}

// ---- Medication use ----------------------------------------------------------------------------

type MedicationUseType = "MedicationRequest" | "MedicationStatement" | "MedicationAdministration";

/** Statuses that mean the drug was not (or will not be) taken, or the record is void (R4 value sets). */
const MEDICATION_EXCLUDED: Record<MedicationUseType, ReadonlySet<string>> = {
  MedicationRequest: new Set(["cancelled", "entered-in-error", "draft"]),
  MedicationStatement: new Set(["entered-in-error", "not-taken", "intended"]),
  MedicationAdministration: new Set(["not-done", "entered-in-error"]),
};

/**
 * The References (each 0..1) of each use that R4 lets be an Organization: MedicationRequest.requester
 * and .performer, MedicationStatement.informationSource (MedicationAdministration.performer.actor is
 * never one).
 */
const ORGANIZATION_REFERENCES: Record<MedicationUseType, readonly string[]> = {
  MedicationRequest: ["requester", "performer"],
  MedicationStatement: ["informationSource"],
  MedicationAdministration: [],
};

/** The drug: medicationCodeableConcept, or the Medication that medicationReference points at. */
function drugOf(located: Located, scope: Scope): { naming: Naming; medication?: JsonObject } | null {
  const { run } = scope;
  const r = located.resource;
  const path = located.path;
  // The Organizations R4 lets stand for who asked for or reported the use: the sender of its codes.
  const organizations = ORGANIZATION_REFERENCES[str(r, "resourceType") as MedicationUseType].flatMap((key) => {
    const reference = obj(r, key);
    return reference === undefined ? [] : [reference];
  });
  const concept = obj(r, "medicationCodeableConcept");
  if (concept) {
    const local = localCodesOf(located, scope, organizations);
    const naming = nameOf(
      concept,
      [CODE_SYSTEMS.rxnorm],
      `${path}.medicationCodeableConcept`,
      "medication",
      run,
      local,
    );
    return naming ? { naming } : null;
  }
  const reference = obj(r, "medicationReference");
  if (!reference) {
    run.issue(path, "unknown_code", "error", "No medicationCodeableConcept or medicationReference");
    return null;
  }
  const target = scope.index.resolve(str(reference, "reference"), located, located);
  if (!target || str(target.resource, "resourceType") !== "Medication") {
    const display = str(reference, "display");
    if (display !== undefined) {
      const match = run.context.lookup.byLabel(display);
      if (match) return { naming: { codings: [], variable_id: match.id, text: display } };
    }
    run.issue(
      `${path}.medicationReference`,
      "unresolved_medication",
      "error",
      `The Medication ${str(reference, "reference") ?? ""} is not in this file${display === undefined ? "" : ` and "${display}" matches no known variable`}`,
    );
    return null;
  }
  // The Medication's own meta.source names the sender of its code first; else the use's sender.
  const useSender = localCodesOf(located, scope, organizations).sender;
  const local: LocalCodes = {
    sender: lazySender(() => str(obj(target.resource, "meta"), "source")?.trim() || useSender()),
    text: true,
  };
  const naming = nameOf(
    obj(target.resource, "code"),
    [CODE_SYSTEMS.rxnorm],
    `${target.path}.code`,
    "Medication code",
    run,
    local,
  );
  return naming ? { naming, medication: target.resource } : null;
}

interface Dose {
  quantity: QuantityValue;
  dosage: JsonObject;
}

/**
 * The dose: the first `dosage[].doseAndRate[].doseQuantity` (R4 Dosage) of a request or statement, or
 * `dosage.dose` of an administration. Later dosage lines (a taper, a second time of day) are not added
 * up into one intake; an info issue says they exist.
 */
function doseOf(located: Located, type: MedicationUseType, scope: Scope): Dose | null {
  const { run } = scope;
  const r = located.resource;
  const path = located.path;
  if (type === "MedicationAdministration") {
    const dosage = obj(r, "dosage");
    const dose = obj(dosage, "dose");
    if (!dosage || !dose) {
      run.issue(
        path,
        "missing_dose",
        "error",
        "MedicationAdministration.dosage.dose is missing; the amount taken is unknown",
      );
      return null;
    }
    const quantity = readQuantity(dose, `${path}.dosage.dose`, run);
    return quantity ? { quantity, dosage } : null;
  }
  const key = type === "MedicationRequest" ? "dosageInstruction" : "dosage";
  const dosages = objs(r, key);
  let found: { i: number; j: number; dosage: JsonObject; q: JsonObject } | undefined;
  let more = 0;
  let range = false;
  for (const [i, dosage] of dosages) {
    for (const [j, doseAndRate] of objs(dosage, "doseAndRate")) {
      const q = obj(doseAndRate, "doseQuantity");
      if (obj(doseAndRate, "doseRange")) range = true;
      if (!q) continue;
      if (!found) found = { i, j, dosage, q };
      else if (found.i !== i) more++;
      break;
    }
  }
  if (!found) {
    const text = dosages.map(([, d]) => str(d, "text")).find((t) => t !== undefined);
    run.issue(
      path,
      "missing_dose",
      "error",
      `No ${key}[].doseAndRate[].doseQuantity${range ? " (a doseRange is not a single dose)" : ""}${text === undefined ? "" : `; dosage text: "${text}"`}`,
    );
    return null;
  }
  if (more > 0) {
    run.issue(
      `${path}.${key}`,
      "additional_dosage",
      "info",
      `${more} further ${key} line${more === 1 ? "" : "s"} with a dose; the first (${key}[${found.i}]) is mapped`,
    );
  }
  const quantity = readQuantity(found.q, `${path}.${key}[${found.i}].doseAndRate[${found.j}].doseQuantity`, run);
  return quantity ? { quantity, dosage: found.dosage } : null;
}

/** When: authoredOn (request), effective[x] else dateAsserted (statement), effective[x] (administration). */
function medicationTime(located: Located, type: MedicationUseType, scope: Scope): TimeSpan | null {
  const { run } = scope;
  const r = located.resource;
  const path = located.path;
  if (type === "MedicationRequest") {
    const authored = run.time(str(r, "authoredOn"), `${path}.authoredOn`);
    if (authored) return { start: authored, element: "authoredOn" };
    run.issue(path, "missing_time", "error", "The MedicationRequest has no usable authoredOn");
    return null;
  }
  const effective = readChoiceTime(r, "effective", path, run);
  if (effective.kind === "time") return effective.span;
  if (type === "MedicationStatement") {
    const asserted = run.time(str(r, "dateAsserted"), `${path}.dateAsserted`);
    if (asserted) {
      run.issue(
        path,
        "fallback_time",
        "warning",
        "The MedicationStatement has no effective[x]; dateAsserted (when it was recorded) is used",
      );
      return { start: asserted, element: "dateAsserted" };
    }
  }
  run.issue(
    path,
    "missing_time",
    "error",
    effective.kind === "unusable"
      ? `The ${type}'s ${effective.element} ${effective.reason}`
      : `The ${type} has no effective[x]${type === "MedicationStatement" ? " or dateAsserted" : ""}`,
  );
  return null;
}

/**
 * MedicationRequest / MedicationStatement / MedicationAdministration: named by the drug's codings
 * (RxNorm first), value = dose quantity, unit = dose unit. Without a dose quantity nothing is mapped
 * (`missing_dose`): "taken: true" would not fit a numeric drug variable.
 */
export function mapMedicationUse(located: Located, scope: Scope): void {
  const { run } = scope;
  const r = located.resource;
  const path = located.path;
  const type = str(r, "resourceType") as MedicationUseType;
  const status = str(r, "status");
  if (status !== undefined && MEDICATION_EXCLUDED[type].has(status)) {
    run.issue(path, "excluded_status", "info", `${type} status is "${status}": no intake to map`);
    return;
  }
  const drug = drugOf(located, scope);
  const dose = doseOf(located, type, scope);
  const span = medicationTime(located, type, scope);
  if (!drug || !dose || !span) return;

  const metadata = baseMetadata(r, type);
  const intent = str(r, "intent");
  if (intent !== undefined) metadata.intent = intent;
  if (drug.medication) {
    const ingredients = drug.medication.ingredient;
    if (ingredients !== undefined) metadata.ingredients = toPlain(ingredients);
    const form = codingsOf(obj(drug.medication, "form"));
    if (form.length > 0) metadata.form = form;
  }
  const text = str(dose.dosage, "text");
  if (text !== undefined) metadata.dosage_text = text;
  if (dose.dosage.timing !== undefined) metadata.timing = toPlain(dose.dosage.timing);
  const route = codingsOf(obj(dose.dosage, "route"));
  if (route.length > 0) metadata.route = route;
  if (span.element !== "effectiveDateTime" && span.element !== "effectivePeriod") metadata.time_source = span.element;
  Object.assign(metadata, dose.quantity.metadata);
  const observation = build(drug.naming, dose.quantity.value, dose.quantity.unit, span, path, metadata);
  if (dose.quantity.comparator !== undefined) observation.comparator = dose.quantity.comparator;
  run.observation(observation);
}
