/**
 * Bulk-imports a CSV of readings with progress, using only the SDK (`@dfda/sdk/node`).
 *
 *   DFDA_BASE_URL=http://127.0.0.1:8787 DFDA_ACCESS_TOKEN=… \
 *     npx tsx examples/csv-import/import.ts readings.csv --variable 'http://loinc.org|8867-4' --unit /min
 *
 * The CSV has a header row and two columns: an RFC 3339 time and a number (`start_at,value`). Rows are
 * read as a stream and sent in batches (`--batch-size`, default the server's maximum); each batch is a
 * job, followed until it is done. Progress goes to stderr, the result (jobs and counts) to stdout as JSON.
 * The token comes from `dfda login` or, for scripts, `dfda token issue`.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { DfdaClient, DfdaProblem, type IngestJob, type ObservationInput } from "@dfda/sdk/node";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    variable: { type: "string" },
    unit: { type: "string" },
    source: { type: "string" },
    "batch-size": { type: "string" },
  },
});
const path = positionals[0];
const baseUrl = process.env.DFDA_BASE_URL;
const accessToken = process.env.DFDA_ACCESS_TOKEN;
if (!path || !values.variable || !baseUrl || !accessToken) {
  console.error(
    "usage: DFDA_BASE_URL=… DFDA_ACCESS_TOKEN=… import.ts FILE.csv --variable SYSTEM|CODE [--unit UCUM] [--batch-size N]",
  );
  process.exit(2);
}
const [system, code] = values.variable.includes("|") ? values.variable.split("|", 2) : [undefined, values.variable];
const variable = system && code ? { system, code } : values.variable;

/** The rows as observations, read line by line (the file is never held whole). */
async function* rows(file: string): AsyncGenerator<ObservationInput> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (line === 1 || text.trim() === "") continue; // the header
    const [startAt, value] = text.split(",");
    const number = Number(value);
    if (!startAt || value === undefined || value.trim() === "" || !Number.isFinite(number))
      throw new Error(`${file}:${line}: expected "time,number", got ${JSON.stringify(text)}`);
    yield {
      variable,
      value: number,
      start_at: startAt.trim(),
      ...(values.unit ? { unit: values.unit } : {}),
      ...(values.source ? { source: values.source } : {}),
    };
  }
}

const client = new DfdaClient({ baseUrl, accessToken });
try {
  const accepted = await client.observations.send(rows(path), {
    ...(values["batch-size"] ? { batchSize: Number(values["batch-size"]) } : {}),
    onBatch: (job, sent) => console.error(`sent ${sent} rows (job ${job.job_id})`),
  });
  const jobs: IngestJob[] = [];
  for (const job of accepted as { job_id: string }[]) {
    jobs.push(
      await client.jobs.wait(job.job_id, {
        onProgress: (j) =>
          console.error(`job ${j.id}: ${j.status} ${j.progress?.processed ?? 0}/${j.progress?.total ?? "?"}`),
      }),
    );
  }
  const total = (k: keyof IngestJob["counts"]) => jobs.reduce((n, j) => n + j.counts[k], 0);
  console.log(
    JSON.stringify({
      jobs: jobs.map((j) => ({ id: j.id, status: j.status })),
      stored: total("stored"),
      duplicates: total("duplicates"),
      rejected: total("rejected"),
    }),
  );
} catch (error) {
  if (error instanceof DfdaProblem) {
    console.error(`${error.message}${error.fieldErrors.length ? `\n${JSON.stringify(error.fieldErrors)}` : ""}`);
    process.exit(1);
  }
  throw error;
}
