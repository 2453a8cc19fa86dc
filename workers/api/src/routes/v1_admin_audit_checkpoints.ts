/**
 * `GET /v1/admin/audit/checkpoints`: the tenant's signed audit checkpoints, newest first. Each is a
 * compact JWS (RFC 7515) an auditor can keep outside the platform: a copy held elsewhere still proves
 * what the chain's hash was at that entry if the database's own copy were removed. Administrators
 * with `audit:read`.
 */
import { ApiError, decodeCursor, encodeCursor } from "@dfda/core";
import { listAuditCheckpoints } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { CHECKPOINT_TYP } from "../lib/audit";
import { administrator, protectedRoute } from "../lib/auth";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Checkpoint = z
  .object({
    id: z.number().int(),
    last_id: z.number().int().openapi({ description: "The audit entry the checkpoint pins." }),
    hash: z.string().openapi({ description: "The chain's hash at that entry (hex SHA-256)." }),
    kid: z
      .string()
      .openapi({ description: "The signing key (`kid` in /.well-known/jwks.json while it is published)." }),
    signature: z.string().openapi({
      description: `Compact JWS (ES256, \`typ: ${CHECKPOINT_TYP}\`) over {tenant_id, last_id, seq, hash, iat}.`,
    }),
    created_at: z.string(),
  })
  .openapi("AuditCheckpoint");

const CheckpointList = z.object({ data: z.array(Checkpoint), next_cursor: NextCursor }).openapi("AuditCheckpointList");
export type AuditCheckpointListResponse = z.infer<typeof CheckpointList>;

export const route = createRoute({
  method: "get",
  path: "/v1/admin/audit/checkpoints",
  operationId: "listAuditCheckpoints",
  tags: ["Administration"],
  summary: "The tenant's signed audit checkpoints",
  description: "Newest first; a weekly job signs one for every tenant whose audit log grew.",
  ...protectedRoute({ scopes: ["audit:read"], anyRole: ["admin"] }),
  request: { query: z.object({ cursor: CursorParam, limit: LimitParam }) },
  responses: {
    200: {
      description: "A page of checkpoints.",
      content: {
        "application/json": {
          schema: CheckpointList,
          example: {
            data: [
              {
                id: 12,
                last_id: 18200,
                hash: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
                kid: "audit-2026-12",
                signature: "eyJhbGciOiJFUzI1NiIsImtpZCI6ImF1ZGl0LTIwMjYtMTIifQ..MEUCIQDx",
                created_at: "2026-12-06T08:30:00.000Z",
              },
            ],
            next_cursor: null,
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = administrator(c.var.principal);
    const { cursor, limit } = c.req.valid("query");
    const beforeId = cursor === undefined ? undefined : Number(decodeCursor("audit_checkpoints", cursor, 1)[0]);
    if (beforeId !== undefined && !Number.isSafeInteger(beforeId)) {
      throw new ApiError("invalid_cursor", { detail: "The cursor is not one this list produced." });
    }
    const rows = await listAuditCheckpoints(await c.var.db(), principal.tenantId, limit + 1, beforeId);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const body: AuditCheckpointListResponse = {
      data: page.map((r) => ({
        id: r.id,
        last_id: r.lastId,
        hash: r.hash,
        kid: r.kid,
        signature: r.signature,
        created_at: r.createdAt.toISOString(),
      })),
      next_cursor: rows.length > limit && last ? encodeCursor("audit_checkpoints", [last.id]) : null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
