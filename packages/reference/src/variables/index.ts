/**
 * The reference variables every database is seeded with, one file per category, and where their codes
 * come from. ../../SOURCES.md says the same for people.
 */
import { CODE_SYSTEMS } from "@dfda/core";
import type { VariableSeed } from "../types";
import { activitiesVariables } from "./activities";
import { bodyCompositionVariables } from "./body-composition";
import { cardiovascularVariables } from "./cardiovascular";
import { cognitiveVariables } from "./cognitive";
import { conditionsVariables } from "./conditions";
import { environmentVariables } from "./environment";
import { immunizationsVariables } from "./immunizations";
import { laboratoryVariables } from "./laboratory";
import { moodVariables } from "./mood";
import { nutritionVariables } from "./nutrition";
import { physicalActivityVariables } from "./physical-activity";
import { reproductiveHealthVariables } from "./reproductive-health";
import { respiratoryVariables } from "./respiratory";
import { sleepVariables } from "./sleep";
import { supplementsVariables } from "./supplements";
import { symptomsVariables } from "./symptoms";
import { treatmentsVariables } from "./treatments";
import { vitalSignsVariables } from "./vital-signs";

/** All seeded variables, in category display order. */
export const VARIABLE_SEEDS: readonly VariableSeed[] = [
  ...vitalSignsVariables,
  ...laboratoryVariables,
  ...physicalActivityVariables,
  ...sleepVariables,
  ...bodyCompositionVariables,
  ...nutritionVariables,
  ...symptomsVariables,
  ...moodVariables,
  ...treatmentsVariables,
  ...supplementsVariables,
  ...conditionsVariables,
  ...environmentVariables,
  ...cardiovascularVariables,
  ...respiratoryVariables,
  ...reproductiveHealthVariables,
  ...cognitiveVariables,
  ...activitiesVariables,
  ...immunizationsVariables,
];

/** Where each code system's codes in these files were taken from. */
export const CODE_SOURCES: readonly { system: string; source: string; note: string }[] = [
  {
    system: CODE_SYSTEMS.loinc,
    source:
      "LOINC (Regenstrief Institute, https://loinc.org): the FHIR R4 vital-signs value set (hl7.fhir.r4.examples@4.0.1 ValueSet-observation-vitalsignresult.json, in ../shared/corpus/07-loinc-terminology/), the LOINC codes used by the FHIR R4, US Core, HL7 v2 (Microsoft FHIR-Converter samples) and C-CDA examples in the shared corpus, and LOINC's published common laboratory panels and terms (CBC, CMP, lipid, thyroid, urinalysis, spirometry, sleep, PHQ/GAD, MoCA/MMSE).",
    note: "LOINC is copyright © Regenstrief Institute, Inc. and the LOINC Committee, used under the LOINC licence (https://loinc.org/license/), which permits use of LOINC codes and names free of charge. Displays are LOINC long common names as we know them; panel codes of the vital-signs value set (85353-1, 85354-9) map to text variables, not numeric ones.",
  },
  {
    system: CODE_SYSTEMS.snomed,
    source:
      "SNOMED CT International Edition (SNOMED International): observable entities for vital signs, clinical findings for symptoms, disorders for conditions, as used in the FHIR R4 and US Core examples and HL7 value sets.",
    note: "SNOMED CT is © SNOMED International. Using SNOMED CT codes in production requires an affiliate licence (free in member countries such as the US via the NLM UMLS licence). Only codes we are confident of are attached.",
  },
  {
    system: CODE_SYSTEMS.rxnorm,
    source:
      "RxNorm (U.S. National Library of Medicine, https://www.nlm.nih.gov/research/umls/rxnorm): ingredient-level RxCUIs (term type IN) as RxNav returns them.",
    note: "RxNorm's own content is public domain (NLM); RxCUIs are included only where we could confirm the number. The commonly quoted 19831 is budesonide, not cholecalciferol (cholecalciferol is 2418). Supplements without a confirmed RxCUI (zinc, vitamin B12, creatine …) carry no RxNorm code.",
  },
  {
    system: CODE_SYSTEMS.icd10cm,
    source: "ICD-10-CM (CDC National Center for Health Statistics / CMS public code files).",
    note: "ICD-10-CM is published by the U.S. government and is free to use. Where ICD-10-CM recently split a category into subcodes (e.g. Parkinson's disease, multiple sclerosis, endometriosis, fibromyalgia) no ICD-10-CM code is given; T20.21 (burn of ear) is kept as the US Core example uses it.",
  },
  {
    system: CODE_SYSTEMS.mdc,
    source:
      "ISO/IEEE 11073-10101 nomenclature (MDC) as 32-bit partition:term codes, as used by the HL7 FHIR Personal Health Device IG and the FHIR examples in the shared corpus (obs-vital-signs-mdc.json: 149530; Observation-satO2.json: 150456).",
    note: "IEEE 11073-10101 is © IEEE; the codes are reproduced as HL7 publishes them in FHIR (code system urn:iso:std:iso:11073:10101).",
  },
  {
    system: CODE_SYSTEMS.cvx,
    source:
      "CDC CVX vaccine code set (https://www2.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx), including every CVX code in the shared corpus's HL7 v2 VXU/RSP examples.",
    note: "CVX is published by the CDC and is public domain.",
  },
  {
    system: CODE_SYSTEMS.appleHealth,
    source:
      "Apple HealthKit type identifiers (HKQuantityTypeIdentifier…, HKCategoryTypeIdentifier…, HKCorrelationTypeIdentifier…) from Apple's HealthKit developer documentation and Apple Health export.xml files.",
    note: "Identifiers are names of Apple's public API, used so mappers can resolve Apple Health exports; no Apple content is copied.",
  },
  {
    system: CODE_SYSTEMS.openmhealth,
    source:
      "Open mHealth schema names (schema id `name`, without version) from github:openmhealth/schemas (Apache-2.0), the schemas kept in ../shared/corpus/04-wearables/openmhealth-schemas.",
    note: "Only schemas that carry a single measure map to a variable; container schemas (data-point, sleep-episode, physical-activity's sub-fields) do not.",
  },
];
