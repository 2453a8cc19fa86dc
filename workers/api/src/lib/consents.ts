/**
 * What the consent routes share: the response shape of a grant, and whose grants the caller manages
 * (the owner, or their custodian). docs/consent.md.
 */
import { ApiError, type ConsentGrant, GRANTEE_TYPES, type Principal } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { type ConsentRow, consentStatus } from "@dfda/db/repositories/consents";
import { actsForOwner } from "@dfda/db/repositories/custodians";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "./types";

export const ConsentSchema = z
  .object({
    id: z.uuid(),
    owner_id: z.uuid().openapi({ description: "The data owner who granted." }),
    grantee: z.object({
      type: z.enum(GRANTEE_TYPES),
      id: z.string().openapi({ description: "A user id, a `client_id`, a group id, a study id or a plugin id." }),
    }),
    actions: z.array(z.enum(["read", "write"])),
    scope: z.object({
      categories: z.array(z.string()).openapi({ example: ["vital_signs"] }),
      variable_ids: z.array(z.uuid()),
    }),
    data_window: z
      .object({ from: z.iso.datetime({ offset: true }).nullable(), to: z.iso.datetime({ offset: true }).nullable() })
      .openapi({ description: "Only data whose start_at lies in [from, to); null: unbounded." }),
    expires_at: z.iso.datetime({ offset: true }).nullable(),
    purpose: z.string().nullable(),
    document_hash: z.string().nullable().openapi({ description: "SHA-256 (hex) of the consent document accepted." }),
    status: z.enum(["active", "expired", "revoked"]),
    granted_by: z.uuid().nullable().openapi({ description: "The owner, or their custodian." }),
    via: z.enum(["api", "oauth"]).openapi({ description: "`oauth`: approved on the OAuth consent screen." }),
    created_at: z.iso.datetime({ offset: true }),
    revoked_at: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi("Consent");
export type ConsentResponse = z.infer<typeof ConsentSchema>;

export function toConsentResponse(row: ConsentRow): ConsentResponse {
  return {
    id: row.id,
    owner_id: row.userId,
    grantee: { type: row.granteeType as ConsentGrant["granteeType"], id: row.granteeId },
    actions: row.actions as ConsentResponse["actions"],
    scope: { categories: row.categories, variable_ids: row.variableIds },
    data_window: { from: row.dataFrom?.toISOString() ?? null, to: row.dataTo?.toISOString() ?? null },
    expires_at: row.expiresAt?.toISOString() ?? null,
    purpose: row.purpose,
    document_hash: row.documentHash,
    status: consentStatus(row),
    granted_by: row.grantedBy,
    via: row.via === "oauth" ? "oauth" : "api",
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}

/** Whose grants: the caller's own, or (`user_id`) a dependent's, for their custodian. */
export const OwnerQuery = z.object({
  user_id: z
    .uuid()
    .optional()
    .openapi({ description: "Whose data (default: the signed-in user); a custodian names their dependent." }),
});

/**
 * The owner the caller acts for, or a 403 (recorded in the audit log with the would-be owner as
 * subject). Only the owner and a linked custodian manage an owner's grants: a grant to read or write
 * is not a right to share further.
 */
export async function ownerActedFor(
  c: Context<AppEnv>,
  userId: string | undefined,
  action: string,
): Promise<{ principal: Extract<Principal, { kind: "user" }>; ownerId: string; as: "owner" | "custodian" }> {
  const principal = c.var.principal;
  if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Consent is given by a person." });
  const ownerId = userId ?? principal.userId;
  const db = await c.var.db();
  const as = await actsForOwner(db, principal, ownerId);
  if (as === null) {
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action,
      outcome: "denied",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      subjectUserId: ownerId,
      requestId: c.var.requestId,
      details: { reason: "not_owner_or_custodian" },
    });
    throw new ApiError("forbidden", {
      detail: "Only the owner, or their custodian, manages the owner's consent grants.",
      extensions: { reason: "not_owner" },
    });
  }
  return { principal, ownerId, as };
}
