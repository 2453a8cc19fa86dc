import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { eraseUser } from "@dfda/db/repositories/erasure";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Erased = z
  .object({
    erased: z.literal(true),
    counts: z.record(z.string(), z.number().int()).openapi({ description: "What was deleted, by kind." }),
  })
  .openapi("AccountErased");

export const route = createRoute({
  method: "delete",
  path: "/v1/me",
  operationId: "deleteMe",
  tags: ["Your data"],
  summary: "Delete your account and all your data",
  description:
    "Erases everything that is yours, at once and for good: observations, files (your keys are destroyed, so " +
    "no copy of them can ever be decrypted; the encrypted objects are deleted too), exports, jobs, tokens, " +
    "sessions, app grants, consents you gave or hold, connections, and the account itself. The audit log, " +
    "which holds no health data, keeps its entries and records a tombstone. Send `confirm=delete-everything`." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["profile:write"], action: "write", personPresent: true }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: {
    query: z.object({
      confirm: z
        .literal("delete-everything")
        .openapi({ description: "Guards against an accidental call.", example: "delete-everything" }),
    }),
  },
  responses: {
    200: {
      description: "Erased.",
      content: {
        "application/json": {
          schema: Erased,
          example: { erased: true, counts: { observations: 1440, files: 3, exports: 1 } },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user")
      throw new ApiError("forbidden", { detail: "Only a person can close their account." });
    const db = await c.var.db();
    const result = await eraseUser(db, principal.tenantId, principal.userId);
    // After the commit: the rows (and the keys) are gone, so these objects are unreadable already.
    const buckets = { FILES: c.env.FILES, INGEST_STAGING: c.env.INGEST_STAGING } as const;
    for (const [name, bucket] of Object.entries(buckets)) {
      const keys = result.objects[name as keyof typeof buckets];
      for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
    }
    const exportsBucket = (c.env as unknown as { EXPORTS?: R2Bucket }).EXPORTS;
    if (exportsBucket && result.objects.EXPORTS.length > 0) await exportsBucket.delete(result.objects.EXPORTS);
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "user.erased",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      subjectUserId: principal.userId,
      resourceType: "user",
      resourceId: principal.userId,
      details: { counts: result.counts },
    });
    return c.json({ erased: true as const, counts: result.counts }, 200);
  });
}
