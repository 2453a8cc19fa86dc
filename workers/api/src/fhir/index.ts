/**
 * The FHIR R4 API (`/fhir/R4`, docs/fhir.md). Its routes are not in the OpenAPI document: a FHIR
 * server describes itself with its CapabilityStatement (`/fhir/R4/metadata`), and answers FHIR
 * resources and OperationOutcomes, not the problem+json every OpenAPI operation of this API documents.
 * Their contract and authorization checks live beside them (fhir.test.ts) and in the platform tests,
 * which validate every answer against the R4 definitions.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../lib/types";
import { registerBulk } from "./bulk";
import { registerMetadata } from "./metadata";
import { registerObservation } from "./observation";
import { registerPatient } from "./patient";
import { registerWrite } from "./write";

export { fhirErrors } from "./outcome";

/** The path prefix of every FHIR route. */
export const FHIR_PREFIX = "/fhir/R4";

export function registerFhir(app: Hono<AppEnv>): void {
  registerMetadata(app);
  // Before the Patient routes: `Patient/$export` would otherwise be read as the Patient with id `$export`.
  registerBulk(app);
  registerPatient(app);
  registerObservation(app);
  registerWrite(app);
}
