/**
 * `dfda upload FILE [--wait]`: sends a file to the platform as a resumable upload (tus 1.0.0 on
 * /v1/uploads, through `@dfda/sdk/node`'s `uploadPathResumable`: streamed from disk, never held whole;
 * after a dropped connection it goes on from the offset the server holds) with a progress line for the
 * bytes, then with `--wait` follows the mapping job (jobs.ts).
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { type IngestJob, type Upload, uploadPathResumable } from "@dfda/sdk/node";
import { type Env, type Io, parseCommandArgsWithPositionals, printJson, UsageError } from "./cli-support";
import { failIfFailed, watchJob } from "./jobs";
import { formatBytes, Progress } from "./progress";
import { openSession } from "./session";

export const UPLOAD_HELP = `Usage: dfda upload FILE [--wait] [--content-type TYPE] [--name NAME] [--json] [--base-url URL]

Uploads FILE (FHIR R4 JSON or NDJSON, Open mHealth, openEHR, HL7 v2, C-CDA, Apple Health export.xml,
CSV, FIT, a vendor's JSON: the platform detects the format from the content, the name and the type),
streamed from disk as a resumable upload (tus 1.0.0: a dropped connection goes on where the server
stopped), with its progress on stderr. The platform stores it encrypted and maps it in the background;
the same bytes uploaded again return the first file. Signed in with dfda login.

Options:
  --wait               Follow the mapping job to its end (progress, then counts and issues in words).
  --content-type TYPE  The declared media type (default application/octet-stream); a hint for detection,
                       e.g. application/fhir+json.
  --name NAME          The file name to store (default: FILE's own name); it helps detect the format.
  --json               Print the finished upload (file_id, job_id; with --wait the finished job as "job")
                       as JSON on stdout.
  --base-url URL       The server the saved sign-in is for (default DFDA_BASE_URL); checked, not changed.
  -h, --help           Show this help.

Exit codes: 0 uploaded (and with --wait: mapped, with or without issues); 1 the upload or the mapping
failed, or the format is not supported; 2 usage error (no such FILE, unknown option).
`;

export async function upload(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "upload";
  const { values, positionals } = parseCommandArgsWithPositionals(
    command,
    args,
    {
      wait: { type: "boolean" },
      json: { type: "boolean" },
      "content-type": { type: "string" },
      name: { type: "string" },
      "base-url": { type: "string" },
    },
    1,
  );
  const file = positionals[0];
  if (file === undefined || file === "") throw new UsageError("FILE is required.", command);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file.`, command);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as { code?: string }).code ?? String(error)}`, command);
  }
  const name = values.name?.trim() || basename(file);
  const contentType = values["content-type"]?.trim();

  const client = await openSession(command, values["base-url"], env);
  const progress = new Progress(io.stderr, `Uploading ${name}`, formatBytes);
  progress.update(0, size);
  let accepted: Upload;
  try {
    accepted = await uploadPathResumable(client, file, {
      name,
      ...(contentType ? { contentType } : {}),
      onProgress: (sent, total) => progress.update(sent, total),
    });
  } catch (error) {
    progress.abandon();
    throw error;
  }
  progress.update(size, size);
  // The same bytes again complete as the earlier file, with no new job (docs/api.md "Resumable uploads").
  const what = accepted.job_id
    ? `Uploaded ${name} (${formatBytes(size)}) as file ${accepted.file_id}; mapping job ${accepted.job_id}.`
    : `${name} was uploaded before: file ${accepted.file_id}; nothing new to map.`;
  progress.done(what);

  let job: IngestJob | undefined;
  if (values.wait && accepted.job_id) job = await watchJob(client, accepted.job_id, io, values.json !== true);
  if (values.json) printJson(io.stdout, job ? { ...accepted, job } : accepted);
  else if (!job) io.stdout.write(`${accepted.job_id ?? accepted.file_id ?? accepted.id}\n`);
  if (job) failIfFailed(job);
}
