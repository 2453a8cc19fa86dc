/**
 * `dfda map FILE`: runs the platform's own mappers on a local file (no server, no database) and prints
 * what they make of it, the way the mapper Worker would read it: the same format detection on the
 * first DETECT_HEAD_BYTES bytes and the file name, the same `Mapper.map` stream, and variables resolved
 * against the seeded catalog (the ids the database has for the system tenant).
 *
 * The file is streamed, never read whole: the head is read once for detection, then the file is read
 * again from its start for the mapper.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import {
  CODE_SYSTEMS,
  type ColumnMapping,
  type Comparator,
  DETECT_HEAD_BYTES,
  type MapContext,
  type MappedObservation,
  type Mapper,
  type MappingIssue,
} from "@dfda/core";
import {
  CORE_MAPPERS,
  DETECT_THRESHOLD,
  detectFormat,
  InputTooLargeError,
  mapperById,
  UnreadableFileError,
} from "@dfda/mappers";
import { type SeedCatalog, seedCatalog } from "@dfda/reference";
import { CommandError, type Env, type Io, type Output, UsageError } from "./cli-support";

const COMMAND = "map";
const MAPPER_IDS = CORE_MAPPERS.map((m) => m.id);
/** A `--mapping` file larger than this is not a column mapping. */
const MAX_MAPPING_BYTES = 1024 * 1024;
/** Output is written in pieces of about this size (one write per line is slow on big files). */
const FLUSH_CHARS = 64 * 1024;

export const MAP_HELP = `Usage: dfda map FILE [--format ID] [--timezone TZ] [--mapping JSON_FILE]

Runs the platform's own mappers on FILE locally (no server, no database) and prints what they make
of it. The format is detected from the first ${DETECT_HEAD_BYTES / 1024} KiB and the file name, as for an upload,
unless --format names a mapper. The command streams the file to the mapper and never reads it
whole. Variables are resolved against the seeded catalog (the same ids the database has).

Output:
  stdout  One JSON object per observation and line: source_coding (the first coding's {system, code},
          or null), codings (all, as the mapper read them), variable_id (the mapper's own match, else
          the first coding the seeded catalog knows, else null), value, comparator (<, <=, >=, >
          when the value is the bound of a censored result such as "<5", else null), unit (as in
          the file, or null), start_at, end_at (or null), location, and metadata when the mapper gives some.
  stderr  One line per issue, "<severity> <code> at <location>: <message>" (location "(file)" when
          the issue concerns the whole file), then a summary:
          "mapped N observations with <mapper> <version>: E errors, W warnings", and a line per local
          code no variable resolves (held as pending by the platform until an administrator maps it):
          "pending local code <code> (<display>) of <system>: N observations".
          When the reader of stdout goes away (| head), the mapping stops without a summary.

Options:
  --format ID          Use this mapper instead of detecting the format. One of:
                       ${MAPPER_IDS.join(", ")}.
  --timezone TZ        IANA zone (Europe/Berlin) or UTC offset (+01:00; a negative one as
                       --timezone=-05:00) for times the file gives without one. Without it such
                       times are read as UTC and a warning says so.
  --mapping JSON_FILE  Column mapping for tabular files, as the upload's mapping field: a JSON object
                       of column header -> {"variable_id": UUID or null, "unit": "kg"}; a null
                       variable_id ignores the column.
  -h, --help           Show this help.

Exit codes: 0 the file was understood (at least one observation, or no error issue); 1 it was not
(no mapper recognises it, or it gave error issues and no observation) or it could not be read to the
end; 2 usage error (no such FILE, unknown option or format, bad --timezone, unreadable --mapping).

Examples:
  dfda map Observation-f001.json
  dfda map export.csv --timezone Europe/Berlin --mapping columns.json | jq -r .variable_id
`;

/** One observation as `dfda map` prints it. */
export interface MapOutputLine {
  source_coding: { system: string; code: string } | null;
  codings: MappedObservation["codings"];
  variable_id: string | null;
  value: MappedObservation["value"];
  /** A censored value's comparator (the value is its bound), null for an exact value. */
  comparator: Comparator | null;
  unit: string | null;
  start_at: string;
  end_at: string | null;
  location: string;
  metadata?: Record<string, unknown>;
}

/**
 * The printed form of an observation: the mapper's `variable_id`, else the first coding `catalog`
 * resolves (as the ingestion pipeline takes the first coding the reference data knows).
 *
 * @example
 * outputLine({ codings: [{ system: "http://loinc.org", code: "8867-4" }], value: 72, unit: "/min",
 *   start_at: "2024-01-01T08:00:00Z", location: "$" }, seedCatalog()).variable_id; // the heart rate id
 */
export function outputLine(observation: MappedObservation, catalog: SeedCatalog): MapOutputLine {
  const first = observation.codings[0];
  let variableId = observation.variable_id ?? null;
  for (const coding of observation.codings) {
    if (variableId !== null) break;
    variableId = catalog.byCoding(coding.system, coding.code)?.id ?? null;
  }
  const line: MapOutputLine = {
    source_coding: first ? { system: first.system, code: first.code } : null,
    codings: observation.codings,
    variable_id: variableId,
    value: observation.value,
    comparator: observation.comparator ?? null,
    unit: observation.unit ?? null,
    start_at: observation.start_at,
    end_at: observation.end_at ?? null,
    location: observation.location,
  };
  // Assigned rather than spread: this runs once per observation, and a spread costs a copy.
  if (observation.metadata !== undefined) line.metadata = observation.metadata;
  return line;
}

const STANDARD_SYSTEMS: ReadonlySet<string> = new Set(Object.values(CODE_SYSTEMS));

/** The first coding outside the standard systems (a sender's local code), as the pipeline would hold it. */
function localCoding(observation: MappedObservation): MappedObservation["codings"][number] | undefined {
  return observation.codings.find((c) => !STANDARD_SYSTEMS.has(c.system));
}

/**
 * An issue as one stderr line (line breaks in the message become spaces).
 *
 * @example
 * issueLine({ severity: "error", code: "invalid_json", location: null, message: "Unexpected end" });
 * // "error invalid_json at (file): Unexpected end"
 */
export function issueLine(issue: MappingIssue): string {
  // Each white-space run holding a line break; not `\s*[\r\n]+\s*`, which rescans a long run of
  // spaces from each of its characters (quadratic, CWE-1333).
  const message = issue.message.replace(/\s+/g, (run) => (/[\r\n]/.test(run) ? " " : run));
  return `${issue.severity} ${issue.code} at ${issue.location ?? "(file)"}: ${message}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Whether `zone` is a `±hh:mm`/`±hhmm` offset, `Z`, or an IANA zone this runtime knows. */
function isTimezone(zone: string): boolean {
  if (/^(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(zone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A `--mapping` file's content, checked with the rules of the upload's `mapping` field
 * (workers/api/src/routes/v1_ingest_files_create.ts): header → {variable_id: UUID | null, unit?}.
 */
export function parseColumnMapping(text: string): Record<string, ColumnMapping> | string {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return `is not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return 'must be a JSON object of column header -> {"variable_id": ..., "unit": ...}';
  }
  const columns: Record<string, ColumnMapping> = {};
  for (const [header, entry] of Object.entries(value)) {
    const where = `column ${JSON.stringify(header)}`;
    if (header.length > 256) return `${where}: the header is longer than 256 characters`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      return `${where}: expected {"variable_id": ..., "unit": ...}`;
    }
    const fields = entry as Record<string, unknown>;
    const extra = Object.keys(fields).filter((k) => k !== "variable_id" && k !== "unit");
    if (extra.length > 0) return `${where}: unknown field ${extra.join(", ")}`;
    const variableId = fields.variable_id;
    if (variableId !== null && !(typeof variableId === "string" && UUID.test(variableId))) {
      return `${where}: variable_id must be a UUID or null`;
    }
    const unit = fields.unit;
    if (unit !== undefined && !(typeof unit === "string" && unit.length >= 1 && unit.length <= 64)) {
      return `${where}: unit must be a string of 1 to 64 characters`;
    }
    columns[header] = { variable_id: variableId, ...(unit !== undefined ? { unit } : {}) };
  }
  return columns;
}

async function readColumnMapping(path: string): Promise<Record<string, ColumnMapping>> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`--mapping ${path} is not a file.`, COMMAND);
    if (info.size > MAX_MAPPING_BYTES) {
      throw new UsageError(`--mapping ${path} is larger than ${MAX_MAPPING_BYTES} bytes.`, COMMAND);
    }
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read --mapping ${path}: ${fsReason(error)}`, COMMAND);
  }
  const parsed = parseColumnMapping(text);
  if (typeof parsed === "string") throw new UsageError(`--mapping ${path} ${parsed}`, COMMAND);
  return parsed;
}

/** A file system error as a short reason: `ENOENT: no such file or directory`, without the path. */
function fsReason(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && typeof message === "string") {
    const reason = message.replace(/^[A-Z]+: /, "").replace(/, \w+(?: '.*')?$/, "");
    return `${reason} (${code})`;
  }
  return error instanceof Error ? error.message : String(error);
}

function parseRaw(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      format: { type: "string" },
      timezone: { type: "string" },
      mapping: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
}

/** Parses `FILE [--format ID] [--timezone TZ] [--mapping JSON_FILE]`; every problem is a usage error. */
function parseMapArgs(args: readonly string[]) {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(args);
  } catch (error) {
    // One line, without the hint about positional arguments (cli-support's parseCommandArgs allows
    // none, and FILE is one); the hint to write `--timezone=-05:00` is kept.
    const message = (error instanceof Error ? error.message : String(error))
      .replace(/\s+/g, (run) => (run.includes("\n") ? " " : run))
      .replace(/\. To specify a positional argument .*$/, ".")
      .trim();
    throw new UsageError(message, COMMAND);
  }
  const { values, positionals } = parsed;
  const [file, ...more] = positionals;
  if (file === undefined || file === "") throw new UsageError("FILE is required.", COMMAND);
  if (more.length > 0) throw new UsageError(`one FILE at a time (got ${positionals.length}).`, COMMAND);

  let mapper: Mapper | null = null;
  if (values.format !== undefined) {
    mapper = mapperById(values.format.trim());
    if (!mapper) {
      throw new UsageError(`unknown --format ${values.format}; the formats are ${MAPPER_IDS.join(", ")}.`, COMMAND);
    }
  }
  const timezone = values.timezone?.trim();
  if (timezone !== undefined && !isTimezone(timezone)) {
    throw new UsageError(
      `--timezone ${values.timezone} is neither an IANA zone (Europe/Berlin) nor an offset (+01:00).`,
      COMMAND,
    );
  }
  if (values.mapping !== undefined && values.mapping.trim() === "") {
    throw new UsageError("--mapping needs a file name.", COMMAND);
  }
  return { file, mapper, timezone, mappingPath: values.mapping };
}

/** Reads the first `bytes` bytes of a file (fewer if it is shorter). */
async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(bytes);
    let filled = 0;
    while (filled < bytes) {
      const { bytesRead } = await handle.read(buffer, filled, bytes - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The file as plain `Uint8Array` chunks (not `Buffer`s, whose `slice` shares memory). */
/** The file's SHA-256 in lowercase hex, read as a stream (files.sha256 holds the same form). */
async function sha256Hex(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function* fileChunks(path: string): AsyncIterable<Uint8Array> {
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Marks a read failure of the mapped file, so it is told apart from a bug in a mapper. */
class ReadFailure extends Error {
  constructor(readonly reason: unknown) {
    super("read failure");
  }
}

async function* failingAsRead(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new ReadFailure(error);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/** What `LineWriter` uses of a Node stream, when stdout is one. */
type Emitter = Pick<NodeJS.EventEmitter, "on" | "once" | "removeListener">;

function asEmitter(out: Output): Emitter | null {
  const candidate = out as Partial<Emitter>;
  return typeof candidate.on === "function" &&
    typeof candidate.once === "function" &&
    typeof candidate.removeListener === "function"
    ? (candidate as Emitter)
    : null;
}

/**
 * Observation lines are written to stdout in pieces of about FLUSH_CHARS (one write per line is slow
 * on big files), issue lines to stderr at once; stdout is flushed first so a terminal shows both in
 * file order.
 *
 * When stdout is a Node stream:
 * - a write that fills its buffer (a pipe into a slower reader) makes `wait()` return a promise that
 *   settles on `drain`, so memory stays bounded however big the file;
 * - when its reader goes away (`dfda map big.csv | head`), Node reports EPIPE as an `error` event that
 *   would crash the process: it is caught, `closed` becomes true and the mapping stops. Any other write
 *   error stops it too and is kept in `failure`. The listener stays attached: an error of the last
 *   write may arrive after the command has returned.
 */
export class LineWriter {
  private pending = "";
  private waiting: Promise<void> | null = null;
  private readonly stream: Emitter | null;
  closed = false;
  failure: unknown = null;

  constructor(private readonly io: Io) {
    this.stream = asEmitter(io.stdout);
    this.stream?.on("error", (error: unknown) => {
      this.closed = true;
      if ((error as { code?: unknown }).code !== "EPIPE") this.failure ??= error;
    });
  }

  stdout(line: string): void {
    if (this.closed) return;
    this.pending += `${line}\n`;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  stderr(line: string): void {
    this.flush();
    this.io.stderr.write(`${line}\n`);
  }

  flush(): void {
    const text = this.pending;
    this.pending = "";
    if (text === "" || this.closed) return;
    const stream = this.stream;
    if (this.io.stdout.write(text) === false && stream !== null && this.waiting === null) {
      this.waiting = new Promise<void>((resolve) => {
        const done = () => {
          stream.removeListener("drain", done);
          stream.removeListener("close", done);
          this.waiting = null;
          resolve();
        };
        stream.once("drain", done);
        stream.once("close", done);
      });
    }
  }

  /** A promise to await before writing more, or null when stdout has room. */
  wait(): Promise<void> | null {
    return this.waiting;
  }
}

/**
 * `dfda map FILE [--format ID] [--timezone TZ] [--mapping JSON_FILE]`.
 *
 * @example
 * await run(["map", "Observation-f001.json"], process.env, { stdout: process.stdout, stderr: process.stderr });
 */
export async function map(args: readonly string[], _env: Env, io: Io): Promise<void> {
  const { file, mapper: forced, timezone, mappingPath } = parseMapArgs(args);
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file.`, COMMAND);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${fsReason(error)}`, COMMAND);
  }
  const columns = mappingPath !== undefined ? await readColumnMapping(mappingPath) : undefined;

  let mapper = forced;
  if (mapper === null) {
    let head: Uint8Array;
    try {
      head = await readHead(file, DETECT_HEAD_BYTES);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${fsReason(error)}`, COMMAND);
    }
    const detection = detectFormat(head, basename(file), null);
    if (detection.mapper === null) {
      throw new CommandError(
        `no mapper recognises ${file} (best score ${detection.score.toFixed(2)}, ${DETECT_THRESHOLD} needed). ` +
          `If you know its format, force it with --format (${MAPPER_IDS.join(", ")}).`,
      );
    }
    mapper = detection.mapper;
  }

  const catalog = seedCatalog();
  // The platform names the local codes of a file without a sender after the file's SHA-256 (localCodeSystem in
  // @dfda/core); hashing it here prints the same system the upload would hold its pending values under.
  let fileSha256: string;
  try {
    fileSha256 = await sha256Hex(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${fsReason(error)}`, COMMAND);
  }
  const context: MapContext = {
    lookup: catalog,
    fileSha256,
    ...(columns !== undefined ? { columns } : {}),
    ...(timezone !== undefined ? { timezone } : {}),
  };
  const writer = new LineWriter(io);
  let observations = 0;
  /** Local codes no variable resolves: the platform holds their values as pending (issue 15). */
  const pending = new Map<string, { system: string; code: string; display?: string; count: number }>();
  const counts = { error: 0, warning: 0, info: 0 };
  try {
    for await (const event of mapper.map(failingAsRead(fileChunks(file)), context)) {
      if (writer.closed) break;
      if (event.kind === "observation") {
        observations += 1;
        const line = outputLine(event.observation, catalog);
        const local = line.variable_id === null ? localCoding(event.observation) : undefined;
        if (local !== undefined) {
          const key = `${local.system}|${local.code}`;
          const entry = pending.get(key) ?? { ...local, count: 0 };
          entry.count += 1;
          pending.set(key, entry);
        }
        writer.stdout(JSON.stringify(line));
        const full = writer.wait();
        if (full !== null) await full;
      } else {
        counts[event.issue.severity] += 1;
        writer.stderr(issueLine(event.issue));
      }
    }
  } catch (error) {
    writer.flush();
    if (error instanceof ReadFailure) throw new CommandError(`cannot read ${file}: ${fsReason(error.reason)}`);
    // The mapper Worker refuses these files whole (a FIT file failing its CRC, a document past the limit).
    if (error instanceof UnreadableFileError || error instanceof InputTooLargeError) {
      throw new CommandError(`${file} is refused (${error.code}): ${error.message}`);
    }
    throw error;
  }
  writer.flush();
  if (writer.failure !== null) throw new CommandError(`cannot write the output: ${fsReason(writer.failure)}`);
  // The reader of stdout went away (`| head`): it has what it wanted, so stop quietly.
  if (writer.closed) return;
  writer.stderr(
    `mapped ${plural(observations, "observation")} with ${mapper.id} ${mapper.version}: ` +
      `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}`,
  );
  for (const p of pending.values()) {
    writer.stderr(
      `pending local code ${p.code}${p.display ? ` (${p.display})` : ""} of ${p.system}: ${plural(p.count, "observation")}`,
    );
  }
  writer.flush();
  if (observations === 0 && counts.error > 0) {
    throw new CommandError(
      `${mapper.id} could not understand ${file}: no observation, ${plural(counts.error, "error")}`,
    );
  }
}
