/**
 * `dfda jobs watch ID`: follows an ingest job (a mapping run of an upload, or a batch of observations)
 * to its end with a progress line, then says what came of it in words. Shared with `dfda upload --wait`.
 */
import type { DfdaClient, IngestJob } from "@dfda/sdk";
import { CommandError, type Env, type Io, parseCommandArgsWithPositionals, printJson, UsageError } from "./cli-support";
import { Progress } from "./progress";
import { openSession } from "./session";

export const JOBS_WATCH_HELP = `Usage: dfda jobs watch ID [--json] [--base-url URL]

Follows the ingest job ID (the mapping of an uploaded file, or a batch of observations) until it ends,
with its progress on stderr, then prints its counts and issues. Signed in with dfda login.

Options:
  --json            Print the final job as JSON (GET /v1/ingest/jobs/{id}, every issue) on stdout.
  --base-url URL    The server the saved sign-in is for (default DFDA_BASE_URL); checked, not changed.
  -h, --help        Show this help.

Exit codes: 0 the job completed (with or without issues), 1 it failed or its format is not supported,
or the server could not be asked; 2 usage error.
`;

/** RFC 9562 §4 textual UUID (any version): what the API's path ids are. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(command: string, what: string, value: string | undefined): string {
  const id = value?.trim() ?? "";
  if (id === "") throw new UsageError(`${what} is required.`, command);
  if (!UUID.test(id)) throw new UsageError(`${what} ${id} is not an id (a UUID).`, command);
  return id;
}

const STATUS_WORDS: Record<string, string> = {
  queued: "queued",
  processing: "processing",
  completed: "completed",
  completed_with_issues: "completed with issues",
  failed: "failed",
  unsupported_format: "ended: the file's format is not one the platform reads",
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** What a finished job did, in a sentence. */
export function jobSummary(job: IngestJob): string {
  const c = job.counts;
  const parts = [
    `${plural(c.received, "observation")} received`,
    `${c.stored.toLocaleString("en-US")} stored (${c.flagged} flagged out of range, ${plural(c.outliers, "outlier")})`,
    plural(c.duplicates, "duplicate"),
    `${c.rejected.toLocaleString("en-US")} rejected`,
  ];
  if (c.pending > 0) parts.push(`${c.pending.toLocaleString("en-US")} held until their codes are mapped`);
  const status = STATUS_WORDS[job.status] ?? job.status;
  const error = job.error ? `: ${job.error}` : "";
  return `Job ${job.id} ${status}${error}. ${parts.join(", ")}.`;
}

/** Every issue of the job: the first page comes with it, the rest are paged with `cursor`. */
export async function allIssues(client: DfdaClient, job: IngestJob): Promise<IngestJob> {
  const issues = [...job.issues];
  let cursor = job.issues_next_cursor;
  while (cursor) {
    const page = await client.unwrap(
      client.api.GET("/v1/ingest/jobs/{id}", { params: { path: { id: job.id }, query: { cursor, limit: 200 } } }),
    );
    issues.push(...page.issues);
    cursor = page.issues_next_cursor;
  }
  return { ...job, issues, issues_next_cursor: null };
}

/** Issues shown in words; the rest are counted (all of them are in --json). */
const SHOWN_ISSUES = 20;

function issueLine(issue: IngestJob["issues"][number]): string {
  const where = [issue.location, issue.index === null ? null : `item ${issue.index}`].filter((p) => p !== null);
  return `  ${issue.severity} ${issue.code}${where.length > 0 ? ` at ${where.join(", ")}` : ""}: ${issue.message}`;
}

export const FAILED_JOB_STATES: ReadonlySet<string> = new Set(["failed", "unsupported_format"]);

/**
 * Follows a job to its end with a progress line on stderr and returns it with every issue. With
 * `words`, what came of it is written on stdout in sentences (the first issues listed).
 */
export async function watchJob(client: DfdaClient, id: string, io: Io, words: boolean): Promise<IngestJob> {
  const progress = new Progress(io.stderr, "Mapping");
  let finished: IngestJob;
  try {
    finished = await client.jobs.wait(id, {
      onProgress: (job) => progress.update(job.progress.processed, job.progress.total || undefined, job.status),
    });
  } catch (error) {
    progress.abandon();
    throw error;
  }
  const job = await allIssues(client, finished);
  progress.done(`Mapping ${STATUS_WORDS[job.status] ?? job.status}.`);
  if (words) {
    io.stdout.write(`${jobSummary(job)}\n`);
    if (job.issues.length > 0) {
      io.stdout.write(`${plural(job.issues.length, "issue")}:\n`);
      for (const issue of job.issues.slice(0, SHOWN_ISSUES)) io.stdout.write(`${issueLine(issue)}\n`);
      if (job.issues.length > SHOWN_ISSUES)
        io.stdout.write(
          `  … and ${job.issues.length - SHOWN_ISSUES} more (dfda jobs watch ${job.id} --json lists all)\n`,
        );
    }
  }
  return job;
}

/** A job that failed (or whose format is not supported) makes the command fail: exit code 1. */
export function failIfFailed(job: IngestJob): void {
  if (FAILED_JOB_STATES.has(job.status))
    throw new CommandError(
      `job ${job.id} ${STATUS_WORDS[job.status] ?? job.status}${job.error ? `: ${job.error}` : ""}`,
    );
}

export async function jobsWatch(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "jobs watch";
  const { values, positionals } = parseCommandArgsWithPositionals(
    command,
    args,
    { json: { type: "boolean" }, "base-url": { type: "string" } },
    1,
  );
  const id = requireUuid(command, "the job ID", positionals[0]);
  const client = await openSession(command, values["base-url"], env);
  const job = await watchJob(client, id, io, values.json !== true);
  if (values.json) printJson(io.stdout, job);
  failIfFailed(job);
}
