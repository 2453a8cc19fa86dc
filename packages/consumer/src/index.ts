/**
 * @dfda/consumer: what every queue consumer shares. `consume` parses, handles and settles a batch
 * (ack, retry with backoff, dead-letter, unreadable messages) by a `FailurePolicy`; `databaseOf` gives
 * a Worker its `withDb`; `jobFailurePolicy` settles the failures of ingestion jobs on the job and its
 * file. The ingestion pipeline's I/O (`prepareWrite`) is the subpath `@dfda/consumer/prepare`, so a
 * consumer that validates no observations does not bundle it.
 */
export * from "./consume";
export * from "./db";
export * from "./jobs";
