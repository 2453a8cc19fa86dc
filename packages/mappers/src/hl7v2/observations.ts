/**
 * One HL7 v2 message → map events: OBX observation results (HL7 v2.5.1 §7.4.2) in any message that
 * carries them (ORU^R01, OUL^R22, VXU^V04, RSP^K11, ADT …) and RXA vaccine administrations (§4A.4.7)
 * as immunizations. Demographics (PID) are not measurements and are not emitted (see `readPatient`).
 */
import type {
  Comparator,
  MapEvent,
  MappedObservation,
  MappingIssue,
  MappingSeverity,
  SourceCoding,
  VariableLookup,
} from "@dfda/core";
import { CODE_SYSTEMS, localCodeSystem } from "@dfda/core";
import { isLoincCode } from "../util/loinc";
import { parseHl7Timestamp } from "../util/time";
import {
  type CodedElement,
  codingsOf,
  isKnownSystemName,
  isLocalSystemName,
  parseComparedNumber,
  parseDate,
  parseNumber,
  parseStructuredNumeric,
  readCoded,
  systemUri,
} from "./datatypes";
import { decodeEscapes } from "./encoding";
import { components, type Hl7Message, type Segment, type SegmentProblem } from "./message";

/** What lasts across the messages of one file. */
export interface FileState {
  lookup: VariableLookup;
  /** The zone for times without an offset (`MapContext.timezone`, checked), or undefined for UTC. */
  zone: string | undefined;
  /** The one `assumed_timezone` warning per file was given. */
  assumedWarned: boolean;
  /** The file's hash (`MapContext.fileSha256`): the sender of messages without MSH-3 and MSH-4. */
  fileSha256?: string;
}

/**
 * OBX-11 result statuses (HL7 table 0085) that carry no usable result: the value is absent, was never
 * obtained, or was withdrawn. F final, C corrected, P preliminary, R, S, U are kept (status in metadata).
 */
const WITHOUT_RESULT: Record<string, { code: string; why: string }> = {
  X: { code: "no_result", why: "X (results cannot be obtained)" },
  I: { code: "no_result", why: "I (specimen in lab, results pending)" },
  O: { code: "no_result", why: "O (order detail only, no result)" },
  N: { code: "no_result", why: "N (not asked)" },
  D: { code: "retracted_result", why: "D (deletes the result sent earlier)" },
  W: { code: "retracted_result", why: "W (the result sent earlier was wrong)" },
};

/** OBX-2 value types read as observations. */
const NUMERIC = new Set(["NM", "SN"]);
const TEXT = new Set(["ST", "TX", "FT", "TM"]);
const CODED = new Set(["CE", "CWE", "CNE", "ID", "IS"]);
const DATES = new Set(["DT", "TS", "DTM"]);
/** Other HL7 v2.5.1 data types OBX-2 may name (table 0125): valid, but not a measurement value. */
const NOT_MAPPED = new Set([
  "AD",
  "CF",
  "CK",
  "CN",
  "CP",
  "CX",
  "DR",
  "ED",
  "MA",
  "MO",
  "NA",
  "PN",
  "RP",
  "TN",
  "XAD",
  "XCN",
  "XON",
  "XPN",
  "XTN",
]);

/** HL7 table 0353 (CWS: `NA`, `UNK` …) as OBX-6 means "no unit". */
const NO_UNIT_SYSTEM = "HL70353";

interface ReadTime {
  instant: string;
  precision: string;
}

/** A value read from OBX-5, before it becomes an observation. */
interface ReadValue {
  value: number | string | boolean;
  unit?: string;
  /** A censored number's comparator (SN.1, or an NM written `<5`). */
  comparator?: Comparator;
  extra: Record<string, unknown>;
  /** 1-based repetition of OBX-5 when the field repeats. */
  repetition: number | null;
}

type ValueResult = { ok: true; values: ReadValue[] } | { ok: false; issue: Omit<MappingIssue, "location"> };

/** Maps the segments of one message. */
export class MessageMapper {
  private readonly events: MapEvent[] = [];
  private observations = 0;
  private readonly base: string;
  private readonly type: string;
  private readonly controlId: string;
  /** MSH-3 sending application ^ MSH-4 sending facility: whose local codes these are. */
  private readonly sender: string;

  constructor(
    private readonly message: Hl7Message,
    private readonly file: FileState,
  ) {
    this.base = `MSH[${message.index}]`;
    const msh = message.msh;
    this.type = [msh.get(9, 1), msh.get(9, 2)].filter((part) => part !== "").join("^");
    this.controlId = msh.get(10);
    // HD (§2.A.33): the namespace id, else the universal id, names the application or facility.
    const hd = (n: number) => (msh.get(n, 1).trim() || msh.get(n, 2).trim()).trim();
    this.sender = [hd(3), hd(4)].filter((part) => part !== "").join("^");
  }

  /** Every event of the message, in segment order. */
  run(problems: readonly SegmentProblem[]): MapEvent[] {
    // Lines that are not segments are reported where they stand, so events stay in file order.
    const pending = [...problems].sort((a, b) => a.line - b.line);
    const reportUpTo = (line: number) => {
      while (pending[0] && pending[0].line < line) {
        const problem = pending.shift();
        if (problem) {
          this.issue(
            `line ${problem.line}`,
            "malformed_segment",
            "warning",
            `Line ${problem.line} is skipped: ${problem.reason}.`,
          );
        }
      }
    };
    const counts = new Map<string, number>();
    let obr: Segment | null = null;
    let group: SkippedGroup | null = null;
    const closeGroup = () => {
      if (group) this.closeSkipped(group);
      group = null;
    };
    const segments = this.message.segments;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      if (!segment) continue;
      reportUpTo(segment.line);
      const n = (counts.get(segment.id) ?? 0) + 1;
      counts.set(segment.id, n);
      const location = `${this.base}/${segment.id}[${n}]`;
      switch (segment.id) {
        case "PID":
        case "ORC":
          // A new patient or a new order: earlier OBR times and RXA groups no longer apply.
          closeGroup();
          obr = null;
          break;
        case "OBR":
          closeGroup();
          obr = segment;
          break;
        case "RXA":
          closeGroup();
          group = this.rxa(segment, location);
          break;
        case "OBX":
          if (group) group.obx += 1;
          else this.obx(segment, location, obr, notesAfter(segments, i));
          break;
      }
    }
    closeGroup();
    reportUpTo(Number.POSITIVE_INFINITY);
    this.summary();
    return this.events;
  }

  private issue(location: string | null, code: string, severity: MappingSeverity, message: string) {
    this.events.push({ kind: "issue", issue: { location, code, severity, message } });
  }

  private emit(observation: MappedObservation) {
    this.observations += 1;
    this.events.push({ kind: "observation", observation });
  }

  /** An issue for the whole message when it yielded nothing: an acknowledgment, or a message without results. */
  private summary() {
    const line = this.message.msh.line;
    if (this.message.msh.get(9, 1).toUpperCase() === "ACK") {
      // MSA-1 acknowledgment code (table 0008), MSA-3 text (HL7 v2.5.1 §2.14.8).
      const msa = this.message.segments.find((segment) => segment.id === "MSA");
      const code = msa?.get(1).trim().toUpperCase() ?? "";
      const text = msa?.text(3).trim() ?? "";
      const meaning = ACK_CODES[code];
      const rejected = code !== "" && code !== "AA" && code !== "CA";
      const detail =
        code === "" ? "no MSA" : `MSA-1 ${code}${meaning ? ` (${meaning})` : ""}${text ? `: ${text}` : ""}`;
      this.issue(
        this.base,
        "acknowledgment",
        rejected ? "warning" : "info",
        `Message ${this.message.index} (line ${line}) is an acknowledgment (${this.type}, ${detail}), not clinical data; nothing to map.`,
      );
      return;
    }
    if (this.observations === 0) {
      this.issue(
        this.base,
        "no_observations",
        "info",
        `Message ${this.message.index} (${this.type || "unknown type"}, line ${line}) yields no observations (results are read from OBX and immunizations from RXA).`,
      );
    }
  }

  /** Reads a timestamp field: the instant with its offset, or the zone assumed for it. */
  private time(text: string): ReadTime | null {
    const parsed = parseHl7Timestamp(text.trim(), this.file.zone);
    if (!parsed) return null;
    if (parsed.assumedZone && this.file.zone === undefined && !this.file.assumedWarned) {
      this.file.assumedWarned = true;
      this.issue(
        null,
        "assumed_timezone",
        "warning",
        "Some HL7 v2 times have no UTC offset and no timezone was given for this file; they are read as UTC.",
      );
    }
    return { instant: parsed.instant, precision: parsed.precision };
  }

  private common(): Record<string, unknown> {
    const out: Record<string, unknown> = { message_type: this.type };
    if (this.controlId !== "") out.message_control_id = this.controlId;
    return out;
  }

  /** OBX → zero or more observations (one per repetition of a coded OBX-5). */
  private obx(segment: Segment, location: string, obr: Segment | null, notes: string[]) {
    const d = segment.delimiters;
    const status = segment.get(11).trim().toUpperCase();
    const withoutResult = WITHOUT_RESULT[status];
    if (withoutResult) {
      this.issue(location, withoutResult.code, "info", `OBX-11 result status ${withoutResult.why}: no value to map.`);
      return;
    }
    const repetitions = segment
      .repetitions(5)
      .filter((rep) => decodeEscapes(rep, d).replaceAll(d.component, "").trim() !== "");
    const type = segment.get(2).trim().toUpperCase();
    const known = NUMERIC.has(type) || TEXT.has(type) || CODED.has(type) || DATES.has(type);
    // A garbled OBX-2 explains an empty OBX-5 (fields shifted), so it is reported first.
    if (type !== "" && !known && !NOT_MAPPED.has(type)) {
      this.issue(
        location,
        "invalid_value_type",
        "error",
        `OBX-2 "${segment.text(2)}" is not an HL7 v2 value type (table 0125).`,
      );
      return;
    }
    if (repetitions.length === 0) {
      this.issue(location, "missing_value", "warning", "OBX-5 (observation value) is empty: nothing to map.");
      return;
    }
    if (type === "") {
      this.issue(location, "missing_value_type", "error", "OBX-2 (value type) is empty, so OBX-5 cannot be read.");
      return;
    }
    if (NOT_MAPPED.has(type)) {
      this.issue(
        location,
        "unsupported_value_type",
        "info",
        `OBX-2 value type ${type} is not a measurement value; not mapped.`,
      );
      return;
    }
    const code = readCoded(segment.repetitions(3)[0] ?? "", d);
    const { codings, standard, recognized } = this.identify(code);
    // A code only the sender knows may still be named by its text in the variable catalog.
    const variable = standard ? null : this.byLabel(code);
    if (codings.length === 0 && !variable) {
      const written = segment.text(3).trim();
      this.issue(
        location,
        "missing_code",
        "error",
        written === ""
          ? "OBX-3 (observation identifier) is empty: the measurement is not named."
          : `OBX-3 "${written}" has no identifier and its text matches no variable.`,
      );
      return;
    }
    const read = this.value(type, segment, repetitions);
    if (read.ok && read.values.length > 0) {
      for (const loinc of recognized) {
        this.issue(
          location,
          "loinc_code_recognized",
          "warning",
          `OBX-3 names "${loinc.code}" with the coding system "${loinc.written}", not LN; it is a well-formed LOINC code (mod-10 check digit, LOINC Users' Guide) and is read as LOINC ${loinc.code}.`,
        );
      }
    }
    if (!read.ok) {
      this.issue(location, read.issue.code, read.issue.severity, read.issue.message);
      return;
    }
    if (read.values.length === 0) {
      this.issue(
        location,
        "missing_value",
        "warning",
        "OBX-5 (observation value) holds no code or text: nothing to map.",
      );
      return;
    }
    const fromObx = segment.get(14).trim();
    const fromObr = obr?.get(7).trim() ?? "";
    const source = fromObx !== "" ? "OBX-14" : fromObr !== "" ? "OBR-7" : null;
    if (source === null) {
      this.issue(
        location,
        "missing_time",
        "error",
        "No observation time: OBX-14 is empty and there is no OBR-7 (MSH-7 is when the message was sent, not when the result was observed).",
      );
      return;
    }
    const written = source === "OBX-14" ? fromObx : fromObr;
    const time = this.time(written);
    if (!time) {
      this.issue(
        location,
        "invalid_time",
        "error",
        `${source} "${written}" is not an HL7 v2 timestamp (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ]).`,
      );
      return;
    }
    const metadata = this.common();
    metadata.value_type = type;
    if (status !== "") metadata.result_status = status;
    const flags = segment
      .repetitions(8)
      .map((_, i) => segment.components(8, i)[0]?.trim() ?? "")
      .filter((flag) => flag !== "");
    if (flags.length > 0) metadata.abnormal_flags = flags;
    const range = segment.text(7).trim();
    if (range !== "") metadata.reference_range = range;
    const subId = segment.text(4).trim();
    if (subId !== "") metadata.observation_sub_id = subId;
    metadata.time_source = source;
    metadata.time_precision = time.precision;
    for (const value of read.values) {
      const observation: MappedObservation = {
        codings,
        value: value.value,
        start_at: time.instant,
        metadata: { ...metadata, ...value.extra },
        location: value.repetition === null ? location : `${location}/OBX-5[${value.repetition}]`,
      };
      if (variable) observation.variable_id = variable;
      if (value.unit !== undefined) observation.unit = value.unit;
      if (value.comparator !== undefined) observation.comparator = value.comparator;
      if (notes.length > 0) observation.note = notes.join("\n");
      this.emit(observation);
    }
  }

  /**
   * OBX-3's codings (CE/CWE: identifier ^ text ^ coding system, then the alternate triplet; HL7 v2.5.1
   * §2.A.13). A triplet in a system the platform knows (table 0396 `LN`, `SCT` …) keeps it. A local
   * one (no system, `L`, `99zzz`, or a third component that is no table 0396 name at all, such as a
   * long name written there) gets the sender's local system (`localCodeSystem("hl7v2", MSH-3^MSH-4)`),
   * so the same code from two labs stays two codes; a message without MSH-3 and MSH-4 takes the file's
   * (its hash, `MapContext.fileSha256`), so two files without a sender never share a code either. A local identifier that is a well-formed LOINC
   * code (check digit) in a triplet not explicitly local is also read as LOINC, first (issue class 5).
   */
  private identify(code: CodedElement): {
    codings: SourceCoding[];
    standard: boolean;
    recognized: Array<{ code: string; written: string }>;
  } {
    const standard: SourceCoding[] = [];
    const local: SourceCoding[] = [];
    const recognized: Array<{ code: string; written: string }> = [];
    const triplets: Array<[string, string, string]> = [
      [code.identifier, code.text, code.system],
      [code.altIdentifier, code.altText, code.altSystem],
    ];
    for (const [identifier, text, system] of triplets) {
      if (identifier === "") continue;
      if (isKnownSystemName(system)) {
        standard.push(...codingsOf({ ...EMPTY_CODED, identifier, text, system }));
        continue;
      }
      // CWE-3 is an ID of at most 20 characters (§2.A.13.3): anything else is not a system name.
      const named = /^[A-Za-z0-9._-]{1,20}$/.test(system) && !isLocalSystemName(system);
      if (isLoincCode(identifier) && !/^(?:L|LOCAL|99[A-Za-z0-9]{1,3})$/i.test(system)) {
        const loinc: SourceCoding = { system: CODE_SYSTEMS.loinc, code: identifier };
        if (text !== "") loinc.display = text;
        standard.push(loinc);
        recognized.push({ code: identifier, written: system });
      }
      const coding: SourceCoding = {
        system: named ? systemUri(system) : localCodeSystem("hl7v2", this.sender, this.file),
        code: identifier,
      };
      if (text !== "") coding.display = text;
      local.push(coding);
    }
    const codings: SourceCoding[] = [];
    for (const c of [...standard, ...local]) {
      if (!codings.some((o) => o.system === c.system && o.code === c.code)) codings.push(c);
    }
    return { codings, standard: standard.length > 0, recognized };
  }

  /**
   * An OBX-3 without a standard coding system, matched by its text against the variable catalog. Not by
   * its identifier: a local code means something only with its sender (two labs' `ABC` are two tests),
   * and it resolves through the tenant's mapping of the sender's local system instead.
   */
  private byLabel(code: CodedElement): string | null {
    for (const label of [code.text, code.originalText]) {
      if (label === "") continue;
      const match = this.file.lookup.byLabel(label);
      if (match) return match.id;
    }
    return null;
  }

  /** OBX-5 read as its OBX-2 value type says. */
  private value(type: string, segment: Segment, repetitions: string[]): ValueResult {
    const d = segment.delimiters;
    const single = (what: string): ValueResult => ({
      ok: false,
      issue: {
        code: "ambiguous_value",
        severity: "error",
        message: `OBX-5 repeats ${repetitions.length} ${what} values (${repetitions.map((rep) => decodeEscapes(rep, d)).join(", ")}) for one observation; a ${type} result has one value (HL7 v2.5.1 §7.4.2.5), so none is mapped.`,
      },
    });
    const invalid = (text: string, expected: string): ValueResult => ({
      ok: false,
      issue: {
        code: "invalid_value",
        severity: "error",
        message: `OBX-5 "${text}" is not ${expected} (OBX-2 ${type}).`,
      },
    });
    const first = repetitions[0] ?? "";
    if (NUMERIC.has(type)) {
      if (repetitions.length > 1) return single("numeric");
      const unit = this.unit(segment);
      const withUnit = (value: number, comparator: Comparator | null, extra: Record<string, unknown>): ReadValue => {
        const read: ReadValue = { value, extra, repetition: null };
        if (unit !== undefined) read.unit = unit;
        if (comparator !== null) read.comparator = comparator;
        return read;
      };
      if (type === "NM") {
        const text = decodeEscapes(first, d).trim();
        const value = parseNumber(text);
        if (value !== null) return { ok: true, values: [withUnit(value, null, {})] };
        // NM has no comparator (§2.A.47), yet labs write censored results into it ("<0.5"): read as SN
        // would carry them, with the text as written kept, rather than lose the measurement.
        const compared = parseComparedNumber(text);
        if (compared?.kind === "number" && compared.comparator !== null) {
          return { ok: true, values: [withUnit(compared.value, compared.comparator, { value_written: text })] };
        }
        return invalid(text, "a number");
      }
      const sn = parseStructuredNumeric(first, d);
      if (sn.kind === "number") return { ok: true, values: [withUnit(sn.value, sn.comparator, {})] };
      if (sn.kind === "not_equal") {
        return {
          ok: false,
          issue: {
            code: "unsupported_value",
            severity: "error",
            message: `OBX-5 "${sn.text}" says "not equal to" (SN comparator <>, HL7 v2.5.1 §2.A.70): no value or bound of a measurement; not mapped.`,
          },
        };
      }
      if (sn.kind === "invalid") return invalid(sn.text, "a structured numeric (comparator^number^separator^number)");
      const what = sn.kind === "range" ? "a range" : sn.kind === "ratio" ? "a ratio" : "a number with a suffix";
      return {
        ok: false,
        issue: {
          code: "unsupported_value",
          severity: "error",
          message: `OBX-5 "${sn.text}" is ${what}, not a single number (SN, HL7 v2.5.1 §2.A.70); not mapped.`,
        },
      };
    }
    if (TEXT.has(type)) {
      // A repeating TX/FT is one text written as several lines.
      const text = repetitions
        .map((rep) => decodeEscapes(rep, d))
        .join("\n")
        .trim();
      return { ok: true, values: [{ value: text, extra: {}, repetition: null }] };
    }
    if (DATES.has(type)) {
      if (repetitions.length > 1) return single("date");
      // TS is `DTM^degree of precision` (§2.A.77); DT and DTM are the bare value.
      const text = (type === "TS" ? (components(first, d)[0] ?? "") : decodeEscapes(first, d)).trim();
      const date = parseDate(text);
      if (date !== null) return { ok: true, values: [{ value: date, extra: {}, repetition: null }] };
      if (type === "DT") return invalid(text, "a date (YYYY[MM[DD]])");
      const time = this.time(text);
      return time === null
        ? invalid(text, "a date/time (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ])")
        : { ok: true, values: [{ value: time.instant, extra: {}, repetition: null }] };
    }
    // Coded: each repetition is one answer (e.g. several organisms identified, §7.4.2.5).
    const values: ReadValue[] = [];
    repetitions.forEach((rep, i) => {
      const element = readCoded(rep, d);
      const value = element.identifier || element.text || element.originalText;
      if (value === "") return;
      const valueCodings = element.identifier === "" ? [] : codingsOf(element);
      values.push({
        value,
        extra: valueCodings.length > 0 ? { value_coding: valueCodings } : {},
        repetition: repetitions.length > 1 ? i + 1 : null,
      });
    });
    return { ok: true, values };
  }

  /** OBX-6 units (CE/CWE): the identifier (UCUM when the system is UCUM), else the text; as the source writes it. */
  private unit(segment: Segment): string | undefined {
    const unit = readCoded(segment.repetitions(6)[0] ?? "", segment.delimiters);
    if (unit.system.toUpperCase() === NO_UNIT_SYSTEM) return undefined;
    const text = unit.identifier || unit.text;
    return text === "" ? undefined : text;
  }

  /** RXA → an immunization (value true), or a skipped group when no dose was given. */
  private rxa(segment: Segment, location: string): SkippedGroup | null {
    const d = segment.delimiters;
    const vaccine = readCoded(segment.repetitions(5)[0] ?? "", d);
    const cvx = vaccine.system === "" || vaccine.system.toUpperCase() === "CVX";
    const completion = segment.get(20).trim().toUpperCase();
    const action = segment.get(21).trim().toUpperCase();
    // RXA-21 D deletes a record sent earlier; RXA-20 NA/RE and CVX 998 record that no dose was given
    // (HL7 v2.5.1 §4A.4.7.20-21; CDC HL7 v2.5.1 IG for Immunization Messaging R1.5, CVX 998).
    const reasons: string[] = [];
    if (vaccine.identifier === "998" && cvx) reasons.push("RXA-5 CVX 998 (no vaccine administered)");
    if (completion === "NA") reasons.push("RXA-20 NA (not administered)");
    if (completion === "RE") reasons.push("RXA-20 RE (refused)");
    if (action === "D") reasons.push("RXA-21 D (deletes an earlier record)");
    if (reasons.length > 0) return { location, reasons, deleted: action === "D", obx: 0 };

    const codings = codingsOf(vaccine).sort(
      (a, b) => Number(b.system === CODE_SYSTEMS.cvx) - Number(a.system === CODE_SYSTEMS.cvx),
    );
    if (codings.length === 0) {
      this.issue(
        location,
        "missing_code",
        "error",
        `RXA-5 "${segment.text(5).trim()}" names no vaccine with a coding system.`,
      );
      return null;
    }
    const written = segment.get(3).trim();
    if (written === "") {
      this.issue(
        location,
        "missing_time",
        "error",
        "RXA-3 (start of administration) is empty: the immunization has no time.",
      );
      return null;
    }
    const time = this.time(written);
    if (!time) {
      this.issue(location, "invalid_time", "error", `RXA-3 "${written}" is not an HL7 v2 timestamp.`);
      return null;
    }
    const metadata = this.common();
    // RXA-6 999 means "amount unknown" (CDC IG for Immunization Messaging R1.5, RXA-6).
    const amount = parseNumber(segment.get(6));
    if (amount !== null && amount !== 999) {
      metadata.dose_quantity = amount;
      const unit = readCoded(segment.repetitions(7)[0] ?? "", d);
      if (unit.identifier || unit.text) metadata.dose_unit = unit.identifier || unit.text;
    }
    const lot = segment.text(15).trim();
    if (lot !== "") metadata.lot_number = lot;
    const manufacturer = codingsOf(readCoded(segment.repetitions(17)[0] ?? "", d));
    if (manufacturer.length > 0) metadata.manufacturer = manufacturer[0];
    if (completion !== "") metadata.completion_status = completion;
    if (action !== "") metadata.action_code = action;
    metadata.time_source = "RXA-3";
    metadata.time_precision = time.precision;
    this.emit({ codings, value: true, start_at: time.instant, metadata, location });
    return null;
  }

  private closeSkipped(group: SkippedGroup) {
    const obx =
      group.obx === 0
        ? ""
        : ` The ${group.obx} OBX segment${group.obx === 1 ? "" : "s"} of this group describe the missing dose or the registry's evaluation and forecast (CDC IG for Immunization Messaging, Z42), not measurements, and are not mapped.`;
    this.issue(
      group.location,
      group.deleted ? "deleted_record" : "not_administered",
      "info",
      `${group.reasons.join(", ")}: no immunization.${obx}`,
    );
  }
}

const EMPTY_CODED: CodedElement = {
  identifier: "",
  text: "",
  system: "",
  altIdentifier: "",
  altText: "",
  altSystem: "",
  originalText: "",
};

/** An RXA that records no dose, with the OBX segments that belong to it. */
interface SkippedGroup {
  location: string;
  reasons: string[];
  deleted: boolean;
  obx: number;
}

/** MSA-1 acknowledgment codes (HL7 table 0008). */
const ACK_CODES: Record<string, string> = {
  AA: "application accept",
  AE: "application error",
  AR: "application reject",
  CA: "commit accept",
  CE: "commit error",
  CR: "commit reject",
};

/** NTE-3 comments that follow an OBX (its OBSERVATION group: OBX, PRT*, NTE*; HL7 v2.8 §7.3.1). */
function notesAfter(segments: readonly Segment[], index: number): string[] {
  const notes: string[] = [];
  for (let i = index + 1; i < segments.length; i++) {
    const segment = segments[i];
    if (!segment || (segment.id !== "NTE" && segment.id !== "PRT")) break;
    if (segment.id === "NTE") {
      const text = segment
        .repetitions(3)
        .map((rep) => decodeEscapes(rep, segment.delimiters))
        .join("\n")
        .trim();
      if (text !== "") notes.push(text);
    }
  }
  return notes;
}
