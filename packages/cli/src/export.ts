/**
 * `dfda export`: asks for an export of the person's data (POST /v1/me/exports), follows it with a
 * progress line until it is built, and downloads it from its signed link (the link is the capability:
 * no bearer token goes with it) into a folder, streamed to a temporary file that is renamed when whole.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import type { Export, ExportRequest } from "@dfda/sdk";
import { CommandError, type Env, type Io, parseCommandArgs, printJson, UsageError } from "./cli-support";
import { formatBytes, formatCount, Progress } from "./progress";
import { openSession } from "./session";

export const EXPORT_HELP = `Usage: dfda export --format json|csv|fhir-ndjson [--originals] [--download DIR]
                   [--variable V]... [--category SLUG]... [--source SLUG]... [--from TIME] [--to TIME]
                   [--json] [--base-url URL]

Exports your observations (all, or those matching the filters) in your choice of format, follows the
export with its progress on stderr until it is built, and with --download saves it in DIR. Signed in
with dfda login.

Options:
  --format FORMAT   json (one document), csv (RFC 4180) or fhir-ndjson (FHIR R4 Observations, one per
                    line, as a FHIR Bulk Data export).
  --originals       Also include your original uploaded files: the download is then a ZIP archive with
                    the observations, files/<id>-<name> and manifest.json (needs the files:read scope).
  --download DIR    Save the export in DIR (made if missing) as dfda-export-<id>.<json|csv|ndjson|zip>;
                    without it the signed download link is printed (valid 24 hours; treat it as a secret).
  --variable V      Only this variable (an id or system|code); repeat for more.
  --category SLUG   Only this category (vital_signs, laboratory, ...); repeat for more.
  --source SLUG     Only this source; repeat for more.
  --from TIME       Earliest start (inclusive), RFC 3339 with an offset.
  --to TIME         Latest start (exclusive).
  --json            Print the finished export as JSON on stdout (with "path" when downloaded).
  --base-url URL    The server the saved sign-in is for (default DFDA_BASE_URL); checked, not changed.
  -h, --help        Show this help.

Exit codes: 0 exported; 1 the export failed or expired, or the server could not be asked; 2 usage error.
`;

const FORMATS = ["json", "csv", "fhir-ndjson"] as const;

/** The file extension of a download, from its media type (the ZIP when originals are included). */
export function exportExtension(exported: Pick<Export, "format" | "content_type" | "include_files">): string {
  if (exported.include_files || exported.content_type.includes("zip")) return "zip";
  return exported.format === "fhir-ndjson" ? "ndjson" : exported.format;
}

export async function exportCommand(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "export";
  const values = parseCommandArgs(command, args, {
    format: { type: "string" },
    originals: { type: "boolean" },
    download: { type: "string" },
    variable: { type: "string", multiple: true },
    category: { type: "string", multiple: true },
    source: { type: "string", multiple: true },
    from: { type: "string" },
    to: { type: "string" },
    json: { type: "boolean" },
    "base-url": { type: "string" },
  });
  const format = values.format?.trim();
  if (format === undefined || format === "") throw new UsageError("--format is required.", command);
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`unknown --format ${format}; use ${FORMATS.join(", ")}.`, command);
  if (values.download !== undefined && values.download.trim() === "")
    throw new UsageError("--download needs a folder.", command);

  // The server validates the filters and answers a problem naming the bad one.
  const filters: NonNullable<ExportRequest["filters"]> = {};
  if (values.variable) filters.variables = values.variable.map((v) => v.trim());
  if (values.category) filters.categories = values.category.map((v) => v.trim());
  if (values.source) filters.sources = values.source.map((v) => v.trim());
  if (values.from !== undefined) filters.from = values.from.trim();
  if (values.to !== undefined) filters.to = values.to.trim();

  const client = await openSession(command, values["base-url"], env);
  const accepted = await client.exports.create({
    format: format as ExportRequest["format"],
    include_files: values.originals === true,
    filters,
  });
  io.stderr.write(`Export ${accepted.export_id} queued.\n`);
  const building = new Progress(io.stderr, "Exporting", formatCount);
  let exported: Export;
  try {
    exported = await client.exports.wait(accepted.export_id, {
      onProgress: (e) => building.update(e.progress.rows_written, e.progress.total_rows ?? undefined, e.status),
    });
  } catch (error) {
    building.abandon();
    throw error;
  }
  building.done(
    `Export ${exported.id} built: ${formatCount(exported.progress.rows_written)} observations` +
      (exported.include_files ? `, ${formatCount(exported.progress.files_written)} files` : "") +
      (exported.size_bytes === null ? "." : `, ${formatBytes(exported.size_bytes)}.`),
  );

  if (values.download === undefined) {
    if (values.json) printJson(io.stdout, exported);
    else io.stdout.write(`${exported.download_url}\n`);
    io.stderr.write(`The link works until ${exported.expires_at}; anyone holding it can download the export.\n`);
    return;
  }
  const dir = resolve(values.download);
  const path = join(dir, `dfda-export-${exported.id}.${exportExtension(exported)}`);
  const written = await download(client, exported, dir, path, io);
  if (values.json) printJson(io.stdout, { ...exported, path, bytes: written });
  else io.stdout.write(`${path}\n`);
}

/** Streams the export to `path` through a temporary file in the same folder, with a progress line. */
async function download(
  client: Awaited<ReturnType<typeof openSession>>,
  exported: Export,
  dir: string,
  path: string,
  io: Io,
): Promise<number> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new CommandError(`cannot make ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const response = await client.exports.download(exported);
  const total = exported.size_bytes ?? (Number(response.headers.get("content-length")) || undefined);
  const progress = new Progress(io.stderr, "Downloading", formatBytes);
  const tmp = `${path}.${randomBytes(4).toString("hex")}.part`;
  let written = 0;
  try {
    const body = response.body;
    if (body === null) throw new CommandError("the download answered without a body");
    await body
      .pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            written += chunk.byteLength;
            progress.update(written, total);
            controller.enqueue(chunk);
          },
        }),
      )
      .pipeTo(Writable.toWeb(createWriteStream(tmp, { flags: "wx", mode: 0o600 })) as WritableStream<Uint8Array>);
    if (total !== undefined && written !== total)
      throw new CommandError(`the download ended after ${written} of ${total} bytes; run dfda export again`);
    await rename(tmp, path);
  } catch (error) {
    progress.abandon();
    await rm(tmp, { force: true });
    throw error;
  }
  progress.done(`Saved ${formatBytes(written)} to ${path}.`);
  return written;
}
