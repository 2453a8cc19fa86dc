/**
 * `GET /v1/admin/audit/verify`: recomputes the caller's tenant's audit hash chain from its first entry
 * (or from the signed checkpoint of its latest archive, docs/retention.md) to its head and checks every
 * signed checkpoint, naming the first broken link. Administrators with `audit:read`; the check itself
 * is audited (an administrative action).
 */
import { type AuditBreak, recordAudit, verifyAuditChain } from "@dfda/db/repositories/audit";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { checkpointSignatureChecker } from "../lib/audit";
import { administrator, protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { authConfig } from "../oauth/config";

const Hash = z.string().openapi({ description: "Hex SHA-256.", example: "9f2c…" });

const BrokenLink = z
  .object({
    id: z.number().int().openapi({ description: "The audit entry where the chain first fails." }),
    seq: z.number().int().nullable().openapi({ description: "Its position in the tenant's chain (1, 2, …)." }),
    reason: z
      .enum([
        "hash_mismatch",
        "prev_hash_mismatch",
        "entries_missing",
        "checkpoint_mismatch",
        "checkpoint_signature_invalid",
        "checkpoint_entry_missing",
        "head_mismatch",
      ])
      .openapi({
        description:
          "`hash_mismatch`: the entry was changed after it was written. `prev_hash_mismatch`: its link to the entry " +
          "before it was changed. `entries_missing`: entries before it (or at the end of the chain) were removed. " +
          "`head_mismatch`: the last entries were rewritten. `checkpoint_mismatch`: a signed checkpoint pins another " +
          "hash here (the chain up to here was rewritten and re-hashed). `checkpoint_signature_invalid`: a " +
          "checkpoint's signature does not verify. `checkpoint_entry_missing`: a checkpoint names an entry that is gone.",
      }),
    expected_prev_hash: Hash.nullable().openapi({
      description: "The recomputed hash of the entry before it (or 64 zeros for the first).",
    }),
    actual_prev_hash: Hash.nullable().openapi({ description: "The prev_hash stored in the entry." }),
    expected_hash: Hash.nullable().openapi({ description: "What the entry's hash should be (recomputed, or signed)." }),
    actual_hash: Hash.nullable().openapi({
      description: "The hash found (stored, or recomputed against a checkpoint).",
    }),
    checkpoint_id: z.number().int().nullable(),
  })
  .openapi("AuditBrokenLink");

const Verification = z
  .object({
    tenant_id: z.uuid(),
    valid: z.boolean(),
    entries_checked: z.number().int(),
    first_broken: BrokenLink.nullable(),
    checkpoints_verified: z.number().int().openapi({
      description: "Checkpoints whose JWS verified and whose hash matched the recomputed chain.",
    }),
    checkpoints_total: z.number().int(),
    head: z
      .object({ last_id: z.number().int(), seq: z.number().int(), hash: Hash, updated_at: z.string() })
      .nullable()
      .openapi({ description: "The chain head checked up to; entries written during the check wait for the next." }),
    archived_through: z
      .object({
        seq: z.number().int(),
        last_id: z.number().int(),
        hash: Hash,
        checkpoint_id: z.number().int(),
        archived_at: z.string(),
      })
      .nullable()
      .openapi({
        description:
          "Where retention archived and deleted the oldest entries (docs/retention.md): the check started after " +
          "this entry, from the hash its signed checkpoint pins. Null: the chain is whole from its first entry.",
      }),
    verified_at: z.string(),
  })
  .openapi("AuditVerification");
export type AuditVerificationResponse = z.infer<typeof Verification>;

export const route = createRoute({
  method: "get",
  path: "/v1/admin/audit/verify",
  operationId: "verifyAuditChain",
  tags: ["Administration"],
  summary: "Verify the tenant's audit log",
  description:
    "Recomputes the tenant's audit hash chain (each entry's hash covers the previous hash and the entry's " +
    "canonical form) from the first entry to the head, in pages, and checks every signed checkpoint (JWS, " +
    "ES256). Where retention archived the oldest entries, it starts from the archive's signed checkpoint " +
    "(`archived_through`). Answers 200 either way: `valid` says whether the log is intact, `first_broken` names " +
    "the first broken link.",
  ...protectedRoute({ scopes: ["audit:read"], anyRole: ["admin"] }),
  responses: {
    200: {
      description: "The result of the check.",
      content: {
        "application/json": {
          schema: Verification,
          example: {
            tenant_id: EXAMPLE_IDS.tenant,
            valid: true,
            entries_checked: 18234,
            first_broken: null,
            checkpoints_verified: 12,
            checkpoints_total: 12,
            head: {
              last_id: 18311,
              seq: 18234,
              hash: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
              updated_at: "2026-12-06T08:30:00.000Z",
            },
            archived_through: null,
            verified_at: "2026-12-06T08:30:04.000Z",
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

function brokenLink(b: AuditBreak): z.infer<typeof BrokenLink> {
  return {
    id: b.id,
    seq: b.seq,
    reason: b.reason,
    expected_prev_hash: b.expectedPrevHash,
    actual_prev_hash: b.actualPrevHash,
    expected_hash: b.expectedHash,
    actual_hash: b.actualHash,
    checkpoint_id: b.checkpointId,
  };
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = administrator(c.var.principal);
    const db = await c.var.db();
    const master = authConfig(c.env, c.req.url).master;
    const result = await verifyAuditChain(db, principal.tenantId, {
      checkSignature: checkpointSignatureChecker(db, master),
    });
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "admin.audit.verify",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      resourceType: "audit_log",
      requestId: c.var.requestId,
      details: {
        valid: result.valid,
        entries_checked: result.entriesChecked,
        first_broken:
          result.firstBroken === null ? null : { id: result.firstBroken.id, reason: result.firstBroken.reason },
      },
    });
    const body: AuditVerificationResponse = {
      tenant_id: principal.tenantId,
      valid: result.valid,
      entries_checked: result.entriesChecked,
      first_broken: result.firstBroken === null ? null : brokenLink(result.firstBroken),
      checkpoints_verified: result.checkpointsVerified,
      checkpoints_total: result.checkpointsTotal,
      head:
        result.head === null
          ? null
          : {
              last_id: result.head.lastId,
              seq: result.head.lastSeq,
              hash: result.head.lastHash,
              updated_at: result.head.updatedAt.toISOString(),
            },
      archived_through:
        result.archivedThrough === null
          ? null
          : {
              seq: result.archivedThrough.uptoSeq,
              last_id: result.archivedThrough.uptoId,
              hash: result.archivedThrough.uptoHash,
              checkpoint_id: result.archivedThrough.checkpointId,
              archived_at: result.archivedThrough.createdAt.toISOString(),
            },
      verified_at: new Date().toISOString(),
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
