import { seal, sha256Hex } from "@dfda/auth";
import { ApiError, gzipText, IngestBatch, type IngestMessage, MAX_BATCH } from "@dfda/core";
import { createJob, markJobFailed, requeueJob } from "@dfda/db/repositories/jobs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, exampleJobUrl, exampleProblem } from "../lib/examples";
import { requestedOwner } from "../lib/observations";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import { sourceForClient } from "../lib/sources";
import type { AppEnv } from "../lib/types";
import { authConfig } from "../oauth/config";

/**
 * Queues take messages of at most 128 KB (Cloudflare Queues limits); larger batches travel gzipped,
 * and those still too large are staged in R2, sealed with the master key, and the message points to them.
 */
export const INLINE_LIMIT_BYTES = 100_000;
/** The `error` of a job whose message could not be enqueued; a retry with the same key re-enqueues it. */
export const ENQUEUE_FAILED = "enqueue_failed";

export const JobAccepted = z
  .object({
    job_id: z.uuid(),
    status_url: z.string().openapi({ example: "http://127.0.0.1:8787/v1/ingest/jobs/0193…" }),
    status: z.string().openapi({ example: "queued" }),
    received: z.number().int(),
  })
  .openapi("JobAccepted");

export const route = createRoute({
  method: "post",
  path: "/v1/ingest/observations",
  operationId: "ingestObservations",
  tags: ["Ingestion"],
  summary: "Send a batch of observations",
  description:
    `Accepts up to ${MAX_BATCH.toLocaleString("en")} observations in the canonical shape. Shape errors are ` +
    "answered at once (400, each bad item's index and field). A well-formed batch is answered 202 with a job " +
    "once it is durably queued; validation, unit conversion and storage happen asynchronously: follow " +
    "`status_url`. Send an `Idempotency-Key` header to make retries safe: the same key and body return the same " +
    "job, the same key with another body is a 409. A key belongs to its writer (the client and the user " +
    "acting through it) for that record: another writer's use of the same key is a different job. Writing to another person's record (`user_id`) needs their " +
    "consent grant with the write action (a delegate, or an app acting for itself with a client-credentials " +
    "token); every row must lie inside the grant's categories or variables and data window, or the job is " +
    "refused whole.",
  ...protectedRoute({ scopes: ["observations:write"], action: "write", allowClients: true }, (c) => {
    const owner = requestedOwner(c);
    // Grantees pass here; the writer checks each row against their write grants when it stores them.
    return owner === null ? {} : { ownerId: owner, audit: "observations.write", viaGrants: true };
  }),
  request: {
    query: z.object({
      user_id: z
        .uuid()
        .optional()
        .openapi({
          description:
            "Whose record (default: the signed-in user). Required for an app acting for itself; another person's " +
            "record needs their write grant.",
        }),
    }),
    headers: z.object({
      "idempotency-key": z
        .string()
        .min(1)
        .max(255)
        .optional()
        .openapi({ description: "Client-chosen key that makes the request safe to repeat." }),
    }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: IngestBatch,
          example: {
            observations: [
              {
                variable: { system: "http://loinc.org", code: "8867-4" },
                value: 62,
                unit: "/min",
                start_at: "2026-12-06T07:00:00Z",
                source: "manual",
              },
              {
                variable: EXAMPLE_IDS.variable,
                value: 71,
                unit: "/min",
                start_at: "2026-12-06T07:05:00+01:00",
                note: "after coffee",
              },
            ],
          },
        },
      },
    },
  },
  responses: {
    202: {
      description: "Accepted and queued.",
      content: {
        "application/json": {
          schema: JobAccepted,
          example: {
            job_id: EXAMPLE_IDS.job,
            status_url: exampleJobUrl,
            status: "queued",
            received: 2,
          },
        },
      },
    },
    409: problemResponse(
      "The Idempotency-Key was used with another body.",
      exampleProblem("conflict", {
        detail: "This Idempotency-Key was already used with a different body. Use a new key for new data.",
      }),
    ),
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind === "anonymous") throw new ApiError("unauthorized");
    const body = c.req.valid("json");
    const userId = c.req.valid("query").user_id ?? (principal.kind === "user" ? principal.userId : undefined);
    if (userId === undefined) {
      // An app acting for itself has no record of its own: it writes for a person who granted it.
      throw new ApiError("validation_failed", {
        detail: "An app acting for itself must name whose record it writes to (user_id).",
        errors: [{ location: "query", path: "user_id", pointer: "/user_id", message: "Required" }],
      });
    }
    const idempotencyKey = c.req.valid("header")["idempotency-key"] ?? null;
    const db = await c.var.db();
    const serialized = JSON.stringify(body.observations);
    const sourceId = await sourceForClient(db, principal.tenantId, principal.clientId);
    const { job, existing } = await createJob(db, {
      tenantId: principal.tenantId,
      userId,
      clientId: principal.clientId,
      actorUserId: principal.kind === "user" ? principal.userId : null,
      sourceId,
      kind: "observations",
      idempotencyKey,
      requestHash: await sha256Hex(serialized),
      received: body.observations.length,
    });
    const statusUrl = new URL(`/v1/ingest/jobs/${job.id}`, c.req.url).toString();
    const accepted = () =>
      c.json({ job_id: job.id, status_url: statusUrl, status: "queued", received: job.received }, 202, {
        Location: statusUrl,
      });
    if (existing) {
      if (job.requestHash !== (await sha256Hex(serialized))) {
        throw new ApiError("conflict", {
          detail: "This Idempotency-Key was already used with a different body. Use a new key for new data.",
        });
      }
      // A replay: the same job, unless its first attempt never reached the queue.
      if (!(job.status === "failed" && job.error === ENQUEUE_FAILED)) {
        return c.json({ job_id: job.id, status_url: statusUrl, status: job.status, received: job.received }, 202, {
          Location: statusUrl,
        });
      }
    }

    let payload: IngestMessage["payload"] | undefined;
    if (serialized.length <= INLINE_LIMIT_BYTES) {
      payload = { kind: "inline", observations: body.observations };
    } else {
      // Most batches fit a message once gzipped (about tenfold): no R2 write, read and delete.
      const compressed = await gzipText(serialized);
      if (compressed.byteLength <= INLINE_LIMIT_BYTES) payload = { kind: "gzip", data: compressed };
    }
    if (payload === undefined) {
      // Health data at rest is never plain: the staged batch is sealed, bound to its job.
      const master = authConfig(c.env, c.req.url).master;
      const key = `ingest/${principal.tenantId}/${job.id}.json`;
      const sealed = await seal(serialized, {
        key: master.currentKey,
        keyId: master.currentKeyId,
        aad: `ingest:${job.id}`,
      });
      await c.env.INGEST_STAGING.put(key, sealed);
      payload = { kind: "r2", key };
    }
    const message: IngestMessage = {
      v: 1,
      job_id: job.id,
      tenant_id: principal.tenantId,
      user_id: userId,
      // The writer checks this actor's grant again, row by row, when it stores the batch.
      actor_user_id: principal.kind === "user" ? principal.userId : null,
      client_id: principal.clientId,
      default_source_id: sourceId,
      payload,
    };
    try {
      await c.env.INGEST_QUEUE.send(message, { contentType: payload.kind === "gzip" ? "v8" : "json" });
    } catch (cause) {
      await markJobFailed(db, principal.tenantId, job.id, ENQUEUE_FAILED);
      throw new ApiError("service_unavailable", {
        detail: "The batch could not be queued. Retry with the same Idempotency-Key; nothing was stored.",
        headers: { "Retry-After": "5" },
        cause,
      });
    }
    // A job whose first attempt never reached the queue is live again now that it has.
    if (existing) await requeueJob(db, principal.tenantId, job.id);
    return accepted();
  });
}
