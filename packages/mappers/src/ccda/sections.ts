/**
 * The C-CDA R2.1 sections this mapper reads, recognised by their template ids (HL7 C-CDA R2.1 Vol. 2,
 * §4 "Section-level templates"), or by their LOINC section code when a document omits the template id.
 */

export type SectionKind = "vital_signs" | "results" | "medications" | "problems";

/** Section names as C-CDA titles them, for messages. */
export const SECTION_LABEL: Record<SectionKind, string> = {
  vital_signs: "Vital Signs",
  results: "Results",
  medications: "Medications",
  problems: "Problem",
};

/** Section templateId roots (both the "entries optional" and the "entries required" variant). */
const SECTION_TEMPLATES: Record<string, SectionKind> = {
  // Vital Signs Section (entries optional / required).
  "2.16.840.1.113883.10.20.22.2.4": "vital_signs",
  "2.16.840.1.113883.10.20.22.2.4.1": "vital_signs",
  // Results Section (entries optional / required).
  "2.16.840.1.113883.10.20.22.2.3": "results",
  "2.16.840.1.113883.10.20.22.2.3.1": "results",
  // Medications Section (entries optional / required).
  "2.16.840.1.113883.10.20.22.2.1": "medications",
  "2.16.840.1.113883.10.20.22.2.1.1": "medications",
  // Problem Section (entries optional / required).
  "2.16.840.1.113883.10.20.22.2.5": "problems",
  "2.16.840.1.113883.10.20.22.2.5.1": "problems",
};

/** The LOINC section codes C-CDA binds these sections to (`section/code`), used only without a known template id. */
const SECTION_CODES: Record<string, SectionKind> = {
  "8716-3": "vital_signs",
  "30954-2": "results",
  "10160-0": "medications",
  "11450-4": "problems",
};

const LOINC_OID = "2.16.840.1.113883.6.1";

/** The kind of a section from its template ids, else its LOINC code; null when it is not one this mapper reads. */
export function sectionKind(templateIds: readonly string[], code?: string, codeSystem?: string): SectionKind | null {
  for (const id of templateIds) {
    const kind = SECTION_TEMPLATES[id];
    if (kind) return kind;
  }
  if (code !== undefined && (codeSystem === undefined || codeSystem === LOINC_OID)) return SECTION_CODES[code] ?? null;
  return null;
}

/** Entry template ids (C-CDA R2.1 Vol. 2 §5). */
export const TEMPLATES = {
  resultOrganizer: "2.16.840.1.113883.10.20.22.4.1",
  resultObservation: "2.16.840.1.113883.10.20.22.4.2",
  vitalSignsOrganizer: "2.16.840.1.113883.10.20.22.4.26",
  vitalSignObservation: "2.16.840.1.113883.10.20.22.4.27",
  medicationActivity: "2.16.840.1.113883.10.20.22.4.16",
  problemConcernAct: "2.16.840.1.113883.10.20.22.4.3",
  problemObservation: "2.16.840.1.113883.10.20.22.4.4",
  problemStatus: "2.16.840.1.113883.10.20.22.4.6",
} as const;
