/**
 * Writing to the append-only audit log. Every authentication event (success, failure, lockout, token
 * issue and revoke, MFA change, client registration) and, later, every authorization decision and
 * access to another person's data goes through `recordAudit`. The hash chain over these rows is added
 * with the audit issue; callers do not change.
 */
import type { Executor } from "../client";
import { auditLog } from "../schema";

export interface AuditEvent {
  tenantId: string;
  action: string;
  outcome: "success" | "failure" | "denied";
  actorUserId?: string | null;
  actorClientId?: string | null;
  subjectUserId?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  /** Never health data and never secrets: reasons, scopes, client names. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Executor, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: event.tenantId,
    action: event.action,
    outcome: event.outcome,
    actorUserId: event.actorUserId ?? null,
    actorClientId: event.actorClientId ?? null,
    subjectUserId: event.subjectUserId ?? null,
    resourceType: event.resourceType ?? null,
    resourceId: event.resourceId ?? null,
    ip: event.ip ?? null,
    requestId: event.requestId ?? null,
    details: event.details ?? null,
  });
}
