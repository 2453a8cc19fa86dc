/**
 * A tenant's own codes (a hospital's local lab codes, an app's measurement names) mapped to variables,
 * so files and batches that use them resolve like LOINC-coded data: GET, PUT and DELETE on
 * /v1/admin/code-mappings. Administrators of the tenant only; every change is audited.
 */
import { ApiError } from "@dfda/core";
import type { Database } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { markJobFailed } from "@dfda/db/repositories/jobs";
import { planRemaps } from "@dfda/db/repositories/pending";
import {
  deleteCodeMapping,
  listCodeMappings,
  putCodeMapping,
  ReferenceRepository,
} from "@dfda/db/repositories/reference";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const CodeMappingSchema = z
  .object({
    system: z.string().min(1).max(256).openapi({ example: "urn:oid:1.2.3.4.5.lab" }),
    code: z.string().min(1).max(128).openapi({ example: "20005" }),
    variable_id: z.uuid(),
    display: z.string().max(256).nullable(),
  })
  .openapi("CodeMapping");
type CodeMappingResponse = z.infer<typeof CodeMappingSchema>;

const admin = protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"] });

export const listRoute = createRoute({
  method: "get",
  path: "/v1/admin/code-mappings",
  operationId: "listCodeMappings",
  tags: ["Administration"],
  summary: "The tenant's local code mappings",
  ...admin,
  responses: {
    200: {
      description: "Every mapping of the tenant.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(CodeMappingSchema) }),
          example: {
            data: [
              {
                system: "urn:oid:1.2.3.4.5.lab",
                code: "20005",
                variable_id: "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                display: "Pulse (ward monitor)",
              },
            ],
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const putRoute = createRoute({
  method: "put",
  path: "/v1/admin/code-mappings",
  operationId: "putCodeMapping",
  tags: ["Administration"],
  summary: "Map a local code to a variable",
  description:
    "Observations and files that name `{system, code}` then resolve to the variable (for this tenant only). " +
    "Codes the platform already maps (LOINC, SNOMED CT …) cannot be remapped: 409. When the re-map of the " +
    "pending values cannot be queued, the mapping is still saved, the unqueued re-map jobs fail (`enqueue_failed`) " +
    "and the answer is a 503 with `Retry-After`: the same PUT again queues what is still pending.",
  ...admin,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: CodeMappingSchema.omit({ display: true })
            .extend({ display: z.string().max(256).optional() })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: {
      description:
        "Saved. Values held as pending under this code (`GET /v1/admin/unmapped-codes`) are queued to be stored, one job per person and file (`remap_jobs`, followed at `/v1/ingest/jobs/{id}` by their owners).",
      content: {
        "application/json": {
          schema: CodeMappingSchema.extend({
            remap_jobs: z.array(z.uuid()).openapi({ example: ["01939d5e-8c1a-7d3e-9f4b-2a6c8e0b1d3f"] }),
          }).openapi({
            example: {
              system: "urn:dfda:local:hl7v2:acme-lab%5Ehosp",
              code: "ABC",
              variable_id: "01939d5e-0000-7000-8000-000000000001",
              display: "Creatinine (ACME lab)",
              remap_jobs: ["01939d5e-8c1a-7d3e-9f4b-2a6c8e0b1d3f"],
            },
          }),
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/admin/code-mappings",
  operationId: "deleteCodeMapping",
  tags: ["Administration"],
  summary: "Remove a local code mapping",
  ...admin,
  request: {
    query: z.object({
      system: z.string().min(1).max(256).openapi({ example: "urn:oid:1.2.3.4.5.lab" }),
      code: z.string().min(1).max(128).openapi({ example: "20005" }),
    }),
  },
  responses: { 204: { description: "Removed." }, ...errorResponses, ...authErrorResponses },
});

function tenantOf(c: { var: AppEnv["Variables"] }): { tenantId: string; userId: string | null; clientId: string } {
  const p = c.var.principal;
  if (p.kind === "anonymous") throw new ApiError("unauthorized");
  return { tenantId: p.tenantId, userId: p.kind === "user" ? p.userId : null, clientId: p.clientId };
}

/** Messages per `sendBatch` (the Queues limit is 100). */
const SEND_BATCH = 100;

/** The error of a job whose message could not be queued (the same word the ingest routes use). */
const ENQUEUE_FAILED = "enqueue_failed";

/**
 * Queues the pending values of `{system, code}` to be stored now that the code maps (issue 15): one
 * `remap` job per person, file job and source (`planRemaps`), each a message to the ingest Worker.
 * Putting the same mapping again queues what is still pending, which is how a failed re-map is retried.
 *
 * A job whose message never reached the queue would stay `queued` for ever (nothing else ever sends
 * it), so when a send fails, the jobs of that batch and of every batch after it are marked failed
 * (`enqueue_failed`, as a file or a batch whose message could not be queued) and the request is a 503:
 * the mapping is saved, the values are still pending (a re-map holds none of them until it runs), and
 * the same PUT again queues them. Batches sent before the failure run as usual.
 */
async function queueRemaps(
  db: Database,
  queue: Queue,
  tenantId: string,
  system: string,
  code: string,
): Promise<string[]> {
  const messages = await planRemaps(db, tenantId, system, code);
  for (let i = 0; i < messages.length; i += SEND_BATCH) {
    try {
      await queue.sendBatch(messages.slice(i, i + SEND_BATCH).map((body) => ({ body, contentType: "json" as const })));
    } catch (cause) {
      const unsent = messages.slice(i);
      for (const m of unsent) await markJobFailed(db, tenantId, m.job_id, ENQUEUE_FAILED);
      throw new ApiError("service_unavailable", {
        detail: `The mapping is saved, but ${unsent.length} of ${messages.length} re-map job(s) could not be queued; their values are still pending. Put the same mapping again to queue them.`,
        headers: { "Retry-After": "5" },
        cause,
      });
    }
  }
  return messages.map((m) => m.job_id);
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const { tenantId } = tenantOf(c);
    const rows = await listCodeMappings(await c.var.db(), tenantId);
    const data: CodeMappingResponse[] = rows.map((r) => ({
      system: r.system,
      code: r.code,
      variable_id: r.variableId,
      display: r.display,
    }));
    return c.json({ data }, 200, { "Cache-Control": "no-store" });
  });

  app.openapi(putRoute, async (c) => {
    const { tenantId, userId, clientId } = tenantOf(c);
    const body = c.req.valid("json");
    const db = await c.var.db();
    const { byId } = await new ReferenceRepository(db, { tenantId }).resolveVariables([body.variable_id], []);
    if (!byId.has(body.variable_id)) {
      throw new ApiError("validation_failed", {
        detail: "No such variable.",
        errors: [{ location: "body", path: "variable_id", pointer: "/variable_id", message: "No such variable." }],
      });
    }
    const display = body.display ?? null;
    const outcome = await putCodeMapping(db, tenantId, {
      system: body.system,
      code: body.code,
      variableId: body.variable_id,
      display,
    });
    if (outcome === "platform_code") {
      throw new ApiError("conflict", {
        detail: `${body.system}|${body.code} is a platform code; it cannot be remapped per tenant.`,
      });
    }
    await recordAudit(db, {
      tenantId,
      action: "admin.code_mapping.put",
      outcome: "success",
      actorUserId: userId,
      actorClientId: clientId,
      resourceType: "variable_code",
      resourceId: `${body.system}|${body.code}`,
      details: { variable_id: body.variable_id },
    });
    const remapJobs = await queueRemaps(db, c.env.INGEST_QUEUE, tenantId, body.system, body.code);
    return c.json(
      { system: body.system, code: body.code, variable_id: body.variable_id, display, remap_jobs: remapJobs },
      200,
    );
  });

  app.openapi(deleteRoute, async (c) => {
    const { tenantId, userId, clientId } = tenantOf(c);
    const { system, code } = c.req.valid("query");
    const db = await c.var.db();
    if (!(await deleteCodeMapping(db, tenantId, system, code))) {
      throw new ApiError("not_found", { detail: `No mapping of ${system}|${code}.` });
    }
    await recordAudit(db, {
      tenantId,
      action: "admin.code_mapping.delete",
      outcome: "success",
      actorUserId: userId,
      actorClientId: clientId,
      resourceType: "variable_code",
      resourceId: `${system}|${code}`,
    });
    return c.body(null, 204);
  });
}
