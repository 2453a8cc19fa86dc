/**
 * `dfda observations`: the signed-in person's observations (GET /v1/observations), newest first, every
 * page of the cursor (docs/api.md "Paging") read as it is printed, as a table, CSV or NDJSON.
 */
import type { Observation, ObservationQuery } from "@dfda/sdk";
import { type Env, type Io, parseCommandArgs, UsageError } from "./cli-support";
import { LineWriter } from "./map";
import { openSession } from "./session";

export const OBSERVATIONS_HELP = `Usage: dfda observations [--variable V] [--from TIME] [--to TIME] [--source SLUG]
                         [--limit N] [--format table|csv|ndjson] [--base-url URL]

Prints your observations, newest first, in the variable's canonical unit (with the value and unit as
they were sent), paging through all of them. Signed in with dfda login.

Options:
  --variable V      A variable id, or a coding as system|code (e.g. http://loinc.org|8867-4).
  --from TIME       Earliest start (inclusive), RFC 3339 with an offset (2026-11-01T00:00:00Z).
  --to TIME         Latest start (exclusive).
  --source SLUG     Only from this source.
  --limit N         Stop after N observations (default: all).
  --format FORMAT   table (default; aligned columns for people), csv (RFC 4180, a header row, CRLF) or
                    ndjson (one observation per line, the API's JSON).
  --base-url URL    The server the saved sign-in is for (default DFDA_BASE_URL); checked, not changed.
  -h, --help        Show this help.
`;

const FORMATS = ["table", "csv", "ndjson"] as const;
type Format = (typeof FORMATS)[number];

/** The API's largest page (GET /v1/observations `limit`, 1–200). */
const PAGE = 200;

export const CSV_COLUMNS = [
  "id",
  "start_at",
  "end_at",
  "variable_id",
  "variable_slug",
  "variable_name",
  "value",
  "comparator",
  "value_code",
  "value_text",
  "value_boolean",
  "unit",
  "original_value",
  "original_unit",
  "source",
  "valid",
  "outlier",
  "note",
  "file_id",
  "job_id",
] as const;

/** RFC 4180 §2: a field with a comma, a quote or a line break is quoted, quotes doubled. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(o: Observation): string {
  const fields: Array<string | number | boolean | null> = [
    o.id,
    o.start_at,
    o.end_at,
    o.variable.id,
    o.variable.slug,
    o.variable.name,
    o.value,
    o.comparator,
    o.value_code,
    o.value_text,
    o.value_boolean,
    o.unit,
    o.original.value,
    o.original.unit,
    o.source,
    o.flags.valid,
    o.flags.outlier,
    o.note,
    o.file_id,
    o.job_id,
  ];
  return fields.map(csvField).join(",");
}

/** The value as a person reads it: the number with its comparator, or the code, text or boolean. */
function shownValue(o: Observation): string {
  if (o.value !== null) return `${o.comparator ?? ""}${o.value}`;
  if (o.value_code !== null) return o.value_code;
  if (o.value_text !== null) return o.value_text;
  if (o.value_boolean !== null) return String(o.value_boolean);
  return "";
}

/** Column widths fixed up front, so rows print as they arrive (a long value widens only its row). */
const TABLE = [
  ["START", 25],
  ["VARIABLE", 28],
  ["VALUE", 12],
  ["UNIT", 10],
  ["SOURCE", 20],
  ["FLAGS", 0],
] as const;

function tableLine(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const width = TABLE[i]?.[1] ?? 0;
      // A cell as long as its column keeps one space before the next.
      return width === 0 ? cell : cell.length >= width ? `${cell} ` : cell.padEnd(width);
    })
    .join("")
    .trimEnd();
}

export function tableRow(o: Observation): string {
  const flags = [o.flags.valid ? null : "out-of-range", o.flags.outlier ? "outlier" : null].filter((f) => f !== null);
  const original =
    o.original.value !== null && (o.original.value !== o.value || o.original.unit !== o.unit)
      ? ` (sent ${o.original.value}${o.original.unit ? ` ${o.original.unit}` : ""})`
      : "";
  return tableLine([
    o.start_at,
    o.variable.slug,
    shownValue(o),
    o.unit ?? "",
    o.source,
    `${flags.join(",")}${original}`,
  ]);
}

export async function observations(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "observations";
  const values = parseCommandArgs(command, args, {
    variable: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    source: { type: "string" },
    limit: { type: "string" },
    format: { type: "string" },
    "base-url": { type: "string" },
  });
  const format = (values.format ?? "table").trim() as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`unknown --format ${values.format}; use ${FORMATS.join(", ")}.`, command);
  let max = Number.POSITIVE_INFINITY;
  if (values.limit !== undefined) {
    max = Number(values.limit);
    if (!/^\d+$/.test(values.limit.trim()) || !Number.isSafeInteger(max) || max < 1)
      throw new UsageError(`--limit ${values.limit} is not a positive whole number.`, command);
  }
  // The server validates the filters (times, variable) and answers a problem naming the bad one.
  const query: ObservationQuery = { limit: Math.min(PAGE, max) };
  if (values.variable !== undefined) query.variable = values.variable.trim();
  if (values.from !== undefined) query.from = values.from.trim();
  if (values.to !== undefined) query.to = values.to.trim();
  if (values.source !== undefined) query.source = values.source.trim();

  const client = await openSession(command, values["base-url"], env);
  const out = new LineWriter(io);
  let count = 0;
  if (format === "csv") out.stdout(`${CSV_COLUMNS.join(",")}\r`);
  if (format === "table") out.stdout(tableLine(TABLE.map(([title]) => title)));
  for await (const o of client.observations.list(query)) {
    if (out.closed) break;
    out.stdout(format === "ndjson" ? JSON.stringify(o) : format === "csv" ? `${csvRow(o)}\r` : tableRow(o));
    count++;
    if (count >= max) break;
    const waiting = out.wait();
    if (waiting) await waiting;
  }
  out.flush();
  if (format === "table") io.stderr.write(`${count.toLocaleString("en-US")} observation${count === 1 ? "" : "s"}\n`);
  if (out.failure) throw out.failure;
}
