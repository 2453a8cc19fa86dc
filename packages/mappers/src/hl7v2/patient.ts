/**
 * The person a message is about (PID, HL7 v2.5.1 §3.4.2), read for later use (matching an upload to a
 * profile). The mapper itself emits no demographics: they are not measurements.
 */
import { parseDate } from "./datatypes";
import { components, type Hl7Message, subcomponents } from "./message";

export interface PatientDemographics {
  /** XPN-1.1 surname of the chosen name. */
  family: string | null;
  /** XPN-2 given name, then XPN-3 further given names. */
  given: string[];
  /** PID-7 as an ISO date at the precision written (`1961`, `1961-06`, `1961-06-15`); null if absent or unreadable. */
  birthDate: string | null;
  /** PID-8 administrative sex (HL7 table 0001) as FHIR's administrative-gender code; null if absent. */
  sex: "male" | "female" | "other" | "unknown" | null;
  /** PID-8 as written. */
  sexCode: string | null;
}

/** HL7 table 0001 → FHIR AdministrativeGender (HL7 v2-to-FHIR IG, ConceptMap "table-0001"). */
const SEX: Record<string, PatientDemographics["sex"]> = {
  M: "male",
  F: "female",
  O: "other",
  A: "other",
  N: "other",
  X: "other",
  U: "unknown",
};

/**
 * Reads the first PID of a message: the legal name (XPN-7 name type `L`) or else the first one, the
 * birth date and the administrative sex. Returns null when the message has no PID.
 *
 * @example
 * readPatient(parseMessage("MSH|^~\\&|A||B||2024||ADT^A01|1|P|2.5\rPID|1||7||Jones^William^A||19610615|M"));
 * // { family: "Jones", given: ["William", "A"], birthDate: "1961-06-15", sex: "male", sexCode: "M" }
 */
export function readPatient(message: Hl7Message): PatientDemographics | null {
  const pid = message.segments.find((segment) => segment.id === "PID");
  if (!pid) return null;
  const d = message.delimiters;
  const names = pid.repetitions(5);
  const chosen = names.find((raw) => components(raw, d)[6] === "L") ?? names[0] ?? "";
  const name = components(chosen, d);
  // XPN-1 is FN: its first subcomponent is the surname (FN-1, §2.A.30).
  const family = subcomponents(chosen, 1, d)[0]?.trim() ?? "";
  const given = [name[1], name[2]].map((part) => (part ?? "").trim()).filter((part) => part !== "");
  const sexCode = pid.get(8).trim();
  return {
    family: family === "" ? null : family,
    given,
    birthDate: parseDate(pid.get(7).trim().slice(0, 8)),
    sex: sexCode === "" ? null : (SEX[sexCode.toUpperCase()] ?? null),
    sexCode: sexCode === "" ? null : sexCode,
  };
}
