/**
 * HL7 v2 (ER7 encoding) mapper: messages and batch files → observations (OBX) and immunizations (RXA).
 *
 * Reads line by line and holds one message at a time. Each message is read with the delimiters its
 * own MSH declares; a message that cannot be read yields a `malformed_message` issue and the next one
 * is mapped as usual.
 */
import type { DetectInput, MapContext, MapEvent, Mapper } from "@dfda/core";
import { lines } from "../util/stream";
import { parseHl7Timestamp } from "../util/time";
import { readDelimiters } from "./encoding";
import { messageUnits, preview, readMessage } from "./message";
import { type FileState, MessageMapper } from "./observations";

export type { Delimiters } from "./encoding";
export { type Hl7Message, Hl7ParseError, parseMessage, Segment } from "./message";
export { type PatientDemographics, readPatient } from "./patient";

/** A header segment with its delimiters right after the id: MSH, or a batch file's FHS/BHS. */
const HEADER = /^(?:MSH|FHS|BHS)/;
/** Media types senders use for ER7 HL7 v2 (none is registered with IANA). */
const MEDIA_TYPES = /hl7-v2|x-hl7|edi-hl7|hl7v2/i;

function detect(input: DetectInput): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: MLLP start block (0x0B).
  const text = input.headText.replace(/^[\uFEFF\u000b\s]+/, "");
  if (HEADER.test(text)) {
    const delimiters = readDelimiters(text.slice(0, text.search(/[\r\n]|$/)));
    if (delimiters.ok) {
      const d = delimiters.delimiters;
      const standard = d.field === "|" && d.component === "^" && d.repetition === "~";
      return standard ? 0.98 : 0.9;
    }
  }
  if (input.contentType && MEDIA_TYPES.test(input.contentType)) return 0.5;
  if (input.name && /\.(hl7|er7)$/i.test(input.name)) return 0.4;
  return 0;
}

async function* map(source: AsyncIterable<Uint8Array>, context: MapContext): AsyncIterable<MapEvent> {
  const file: FileState = {
    lookup: context.lookup,
    zone: context.timezone,
    assumedWarned: false,
    ...(context.fileSha256 === undefined ? {} : { fileSha256: context.fileSha256 }),
  };
  if (context.timezone !== undefined && parseHl7Timestamp("2000", context.timezone) === null) {
    file.zone = undefined;
    yield {
      kind: "issue",
      issue: {
        location: null,
        code: "invalid_timezone",
        severity: "warning",
        message: `The timezone "${context.timezone}" is neither an IANA zone nor ±hh:mm; times without an offset are read as UTC.`,
      },
    };
  }
  let units = 0;
  for await (const unit of messageUnits(lines(source))) {
    units += 1;
    if (unit.kind === "outside") {
      const more = unit.count > 1 ? ` and ${unit.count - 1} more line${unit.count > 2 ? "s" : ""}` : "";
      yield {
        kind: "issue",
        issue: {
          location: `line ${unit.first.number}`,
          code: "missing_msh",
          severity: "error",
          message: `Line ${unit.first.number} ("${preview(unit.first.text)}")${more} belong to no message: an HL7 v2 message begins with an MSH segment (HL7 v2.5.1 §2.6). Not mapped.`,
        },
      };
      continue;
    }
    if (unit.kind === "oversized") {
      yield {
        kind: "issue",
        issue: {
          location: `MSH[${unit.index}]`,
          code: "message_too_large",
          severity: "error",
          message: `Message ${unit.index} (line ${unit.first.number}) is longer than ${unit.limit.toLocaleString("en")} characters, the most one message is read in; its ${unit.count} segments are not mapped.`,
        },
      };
      continue;
    }
    const result = readMessage(unit.index, unit.lines);
    if (!result.ok) {
      yield {
        kind: "issue",
        issue: {
          location: `MSH[${unit.index}]`,
          code: "malformed_message",
          severity: "error",
          message: `Message ${unit.index} (line ${result.line}) cannot be read: ${result.reason}. Its ${unit.lines.length} segment${unit.lines.length === 1 ? " is" : "s are"} not mapped.`,
        },
      };
      continue;
    }
    yield* new MessageMapper(result.message, file).run(result.problems);
  }
  if (units === 0) {
    yield {
      kind: "issue",
      issue: { location: null, code: "empty_file", severity: "error", message: "The file holds no HL7 v2 segments." },
    };
  }
}

/**
 * The HL7 v2 mapper (`hl7v2`): ORU/OUL/VXU/RSP/ADT and other ER7 messages, single or in FHS/BHS batches.
 *
 * @example
 * for await (const event of hl7v2Mapper.map(fromBytes(bytes), { lookup: seedCatalog() })) {
 *   if (event.kind === "observation") console.log(event.observation.codings[0]?.code, event.observation.value);
 * }
 */
export const hl7v2Mapper: Mapper = {
  id: "hl7v2",
  version: "1.0.0",
  description:
    'HL7 v2 messages (ER7 "pipe and hat", single messages or FHS/BHS batches): OBX results (NM, SN, coded, text, dates) with LOINC/SNOMED codings, units and times, and RXA immunizations.',
  detect,
  map,
};
