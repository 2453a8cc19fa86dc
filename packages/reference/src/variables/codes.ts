/**
 * Small constructors for the codings the variable seed files attach, one per code system, so each
 * entry reads `loinc("8867-4", "Heart rate")` instead of repeating the system URI.
 *
 * Where every code list came from is recorded in `CODE_SOURCES` (./index.ts) and ../../SOURCES.md.
 */
import { CODE_SYSTEMS } from "@dfda/core";
import type { CodingSeed } from "../types";

function coding(system: string): (code: string, display?: string) => CodingSeed {
  return (code, display) => (display === undefined ? { system, code } : { system, code, display });
}

/** LOINC (http://loinc.org). */
export const loinc = coding(CODE_SYSTEMS.loinc);
/** SNOMED CT (http://snomed.info/sct). */
export const snomed = coding(CODE_SYSTEMS.snomed);
/** RxNorm concept unique identifiers (RxCUI) of ingredients (term type IN). */
export const rxnorm = coding(CODE_SYSTEMS.rxnorm);
/** ICD-10-CM (http://hl7.org/fhir/sid/icd-10-cm). */
export const icd10cm = coding(CODE_SYSTEMS.icd10cm);
/** ISO/IEEE 11073-10101 nomenclature (MDC) codes, as the 32-bit partition:term numbers FHIR uses. */
export const mdc = coding(CODE_SYSTEMS.mdc);
/** CDC vaccine codes (CVX). */
export const cvx = coding(CODE_SYSTEMS.cvx);
/** Open mHealth schema names (the schema id's `name`, without version). */
export const omh = coding(CODE_SYSTEMS.openmhealth);
/** Apple HealthKit type identifiers (`HKQuantityTypeIdentifier…`, `HKCategoryTypeIdentifier…`). */
export const hk = coding(CODE_SYSTEMS.appleHealth);
