/**
 * The per-user writer: one Durable Object per person (named `tenant:user`), hosted by the ingest
 * Worker and bound by the API Worker too (`script_name = "dfda-ingest"`), so there is exactly one
 * class and one instance per person whoever calls. It is the one place where access to that person's
 * data by anyone else is decided (docs/consent.md):
 *
 * - `authorize`: every non-owner read, export or plugin query asks it first. It reads the live grants
 *   from Postgres (nothing is cached, so a revocation holds from the next request), decides with
 *   `evaluateAccess` from @dfda/core, and writes the answer, allowed or denied, to the audit log with
 *   the owner as subject (the owner's access log).
 * - `write` and `commitFile`: every write of that person's observations passes here, serialized (two
 *   jobs of one user never race on the same rows), after the same consent check for writes by anyone
 *   other than the owner: every row must lie inside a write grant (no partial writes).
 *
 * RPC methods on a `DurableObject`; every argument is parsed with the shared zod schema.
 */

import { DurableObject } from "cloudflare:workers";
import {
  type AccessData,
  type AccessDecision,
  AuthorizeRequest,
  type AuthorizeResult,
  evaluateAccess,
  FileCommitMessage,
  fromWirePrincipal,
  type Principal,
  toWireScope,
  userWriterName,
  WriteRequest,
  type WriteResult,
} from "@dfda/core";
import { connect, type Database, safeErrorMessage } from "@dfda/db";
import { loadAccessFacts, stagedRowKeys, variableCategoriesOf } from "@dfda/db/repositories/access";
import { recordAudit } from "@dfda/db/repositories/audit";
import { commitBatchJob, commitFileJob, markJobFailed } from "@dfda/db/repositories/jobs";

export interface UserWriterEnv {
  HYPERDRIVE: Hyperdrive;
}

/** The Durable Object name of a user's writer (`tenant:user`), shared with the API Worker via @dfda/core. */
export { userWriterName };

/**
 * Whose record, which job, who is writing, and what (each row's variable and time): what the consent
 * check needs. Without `rows` (a file commit) the staged rows of the job are read.
 */
type WriteTarget = Pick<WriteRequest, "job_id" | "tenant_id" | "user_id" | "actor"> & {
  rows?: ReadonlyArray<{ variableId: string; startAt: Date }>;
};

export class UserWriter extends DurableObject<UserWriterEnv> {
  /** The tail of the chain of writes: each waits for the previous one (in-memory mutex). */
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * May this principal do this to this person's data? Decided from the live grants, and recorded in
   * the audit log whatever the answer. Not serialized behind writes: a decision only reads.
   *
   * @example
   * const answer = await env.USER_WRITER.get(env.USER_WRITER.idFromName(userWriterName(t, owner))).authorize({
   *   v: 1, tenant_id: t, owner_id: owner, principal: toWirePrincipal(p), action: "read", audit_action: "observations.read",
   * });
   */
  async authorize(input: unknown): Promise<AuthorizeResult> {
    const parsed = AuthorizeRequest.safeParse(input);
    // A malformed question is answered no (fail closed), not guessed at; callers parse before sending.
    if (!parsed.success) return { allow: false, reason: "invalid_request", grant_ids: [] };
    const request = parsed.data;
    const principal = fromWirePrincipal(request.principal);
    const handle = await connect(this.env.HYPERDRIVE.connectionString, { applicationName: "dfda-user-writer" });
    try {
      const facts = await loadAccessFacts(handle.db, {
        tenantId: request.tenant_id,
        ownerId: request.owner_id,
        principal,
        ...(request.study_id !== undefined && { studyId: request.study_id }),
      });
      const data: AccessData = {
        ...(request.data?.variable !== undefined && { variable: request.data.variable }),
        ...(request.data?.from !== undefined && { from: new Date(request.data.from) }),
        ...(request.data?.to !== undefined && { to: new Date(request.data.to) }),
      };
      const decision = evaluateAccess(
        {
          principal,
          tenantId: request.tenant_id,
          ownerId: request.owner_id,
          action: request.action,
          ...(request.study_id !== undefined && { studyId: request.study_id }),
          data,
        },
        facts,
      );
      await recordAudit(handle.db, {
        // The tenant of the data: a principal of another tenant is recorded where the owner can see it.
        tenantId: request.tenant_id,
        action: request.audit_action,
        outcome: decision.allow ? "success" : "denied",
        actorUserId: principal.kind === "user" ? principal.userId : null,
        actorClientId: principal.clientId,
        subjectUserId: request.owner_id,
        resourceType: "observations",
        requestId: request.request_id ?? null,
        ip: request.ip ?? null,
        details: {
          ...auditDetails(decision),
          action: request.action,
          ...(request.route !== undefined && { route: request.route }),
          ...(request.study_id !== undefined && { study_id: request.study_id }),
          ...(request.data !== undefined && { asked: request.data }),
          ...(principal.tenantId !== request.tenant_id && { actor_tenant_id: principal.tenantId }),
        },
      });
      return decision.allow
        ? {
            allow: true,
            via: decision.via,
            scope: decision.scope === "all" ? "all" : decision.scope.map(toWireScope),
            grant_ids: decision.grantIds,
          }
        : { allow: false, reason: decision.reason, grant_ids: decision.grantIds };
    } finally {
      await handle.close();
    }
  }

  async write(input: unknown): Promise<WriteResult> {
    const request = WriteRequest.parse(input);
    return this.serialized(
      { ...request, rows: request.rows.map((r) => ({ variableId: r.variable_id, startAt: new Date(r.start_at) })) },
      (db) => commitBatchJob(db, request),
    );
  }

  /**
   * Commits a file job the mapper staged: the file's earlier observations are replaced by the staged
   * ones in one transaction, after the same write-side consent check as `write`.
   */
  async commitFile(input: unknown): Promise<WriteResult> {
    const message = FileCommitMessage.parse(input);
    return this.serialized(
      {
        job_id: message.job_id,
        tenant_id: message.tenant_id,
        user_id: message.user_id,
        actor: { user_id: message.actor_user_id, client_id: message.client_id },
      },
      (db) =>
        commitFileJob(db, {
          tenantId: message.tenant_id,
          userId: message.user_id,
          jobId: message.job_id,
          fileId: message.file_id,
          mapperId: message.mapper_id,
          mapperVersion: message.mapper_version,
          received: message.received,
          counts: message.counts,
          hasIssues: message.has_issues,
        }),
    );
  }

  /** Runs `store` after every earlier write of this person has finished (in-memory mutex chain). */
  private serialized(request: WriteTarget, store: (db: Database) => Promise<WriteResult>): Promise<WriteResult> {
    const run = this.tail.then(() => this.writeNow(request, store));
    // The chain continues whether this write succeeds or fails; the caller sees its own outcome.
    this.tail = run.catch(() => {});
    return run;
  }

  private async writeNow(request: WriteTarget, store: (db: Database) => Promise<WriteResult>): Promise<WriteResult> {
    const handle = await connect(this.env.HYPERDRIVE.connectionString, { applicationName: "dfda-user-writer" });
    try {
      if (request.actor.user_id !== request.user_id) {
        const decision = await this.writeDecision(handle.db, request);
        await recordAudit(handle.db, {
          tenantId: request.tenant_id,
          action: "observations.write",
          outcome: decision.allow ? "success" : "denied",
          actorUserId: request.actor.user_id,
          actorClientId: request.actor.client_id,
          subjectUserId: request.user_id,
          resourceType: "ingest_job",
          resourceId: request.job_id,
          details: { ...auditDetails(decision), action: "write" },
        });
        if (!decision.allow) {
          await markJobFailed(handle.db, request.tenant_id, request.job_id, "not allowed to write to this record");
          return { status: "denied", stored: 0, duplicates: 0 };
        }
      }
      try {
        return await store(handle.db);
      } catch (error) {
        // Errors cross the RPC boundary as messages; send the database's reason, never the values.
        throw new Error(safeErrorMessage(error));
      }
    } finally {
      await handle.close();
    }
  }

  /**
   * The consent decision for a write by someone other than the owner (an app with a client grant, a
   * delegate with a write grant): every row, by its variable's category and its time, must be covered.
   */
  private async writeDecision(db: Database, request: WriteTarget): Promise<AccessDecision> {
    const principal: Extract<Principal, { kind: "user" | "client" }> =
      request.actor.user_id === null
        ? {
            kind: "client",
            tenantId: request.tenant_id,
            clientId: request.actor.client_id ?? "",
            scopes: new Set(["observations:write"]),
            tokenId: "",
          }
        : {
            kind: "user",
            tenantId: request.tenant_id,
            userId: request.actor.user_id,
            clientId: request.actor.client_id ?? "",
            scopes: new Set(["observations:write"]),
            roles: new Set(),
            tokenId: "",
            // A write decision never needs the person present: no sign-in facts here (fail closed).
            authTime: null,
            amr: new Set(),
            firstParty: false,
          };
    const keys = request.rows ?? (await stagedRowKeys(db, request.tenant_id, request.job_id));
    const categories = await variableCategoriesOf(db, request.tenant_id, [...new Set(keys.map((k) => k.variableId))]);
    const facts = await loadAccessFacts(db, { tenantId: request.tenant_id, ownerId: request.user_id, principal });
    return evaluateAccess(
      {
        principal,
        tenantId: request.tenant_id,
        ownerId: request.user_id,
        action: "write",
        data: {
          items: keys.map((k) => ({
            variableId: k.variableId,
            // A variable without a visible definition is covered by no category.
            category: categories.get(k.variableId) ?? "",
            at: k.startAt,
          })),
        },
      },
      facts,
    );
  }
}

/** What the access log keeps of a decision: the answer and the grants behind it, never data. */
function auditDetails(decision: AccessDecision): Record<string, unknown> {
  return decision.allow
    ? { via: decision.via, grant_ids: decision.grantIds }
    : { reason: decision.reason, grant_ids: decision.grantIds };
}
