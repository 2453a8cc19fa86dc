/**
 * C-CDA R2.1 mapper: vital signs, results, medications and problems of a CDA document (or of a lone
 * C-CDA section) as observations, read as a stream (saxes) one entry at a time.
 */
import type { MapContext, MapEvent, Mapper } from "@dfda/core";
import { MAX_XML_RUN_CHARS } from "../util/limits";
import { boundedRuns, decodeText } from "../util/stream";
import { detectCcda } from "./detect";
import { CcdaReader } from "./reader";

export const ccdaMapper: Mapper = {
  id: "ccda",
  version: "1.0.0",
  description:
    "HL7 C-CDA R2.1 documents (CCD and other ClinicalDocuments, or single C-CDA sections): Vital Signs, Results, Medications (EVN medication activities with a dose) and Problems, with LOINC/SNOMED CT/RxNorm/ICD-10-CM codes.",
  detect: detectCcda,
  async *map(source: AsyncIterable<Uint8Array>, context: MapContext): AsyncIterable<MapEvent> {
    const reader = new CcdaReader(context);
    // A text node or tag past the limit stops the reading (InputTooLargeError): saxes would hold it whole.
    for await (const text of boundedRuns(decodeText(source), "<", MAX_XML_RUN_CHARS, "A text node or tag")) {
      reader.write(text);
      yield* reader.drain();
      // Not CDA, or not well-formed: stop reading the rest of the file.
      if (reader.done) break;
    }
    reader.end();
    yield* reader.drain();
  },
};
