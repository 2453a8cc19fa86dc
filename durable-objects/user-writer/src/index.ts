/**
 * The per-user writer: one Durable Object per person (named `tenant:user`), hosted by the ingest
 * Worker and bound by the API Worker too (`script_name = "dfda-ingest"`), so there is exactly one
 * class and one instance per person whoever calls. It is the one place where access to that person's
 * data by anyone else is decided (docs/consent.md):
 *
 * - `authorize`: every non-owner read, export or plugin query asks it first. It reads the live grants
 *   from Postgres (nothing is cached, so a revocation holds from the next request), decides with
 *   `evaluateAccess` from @dfda/core, and writes the answer, allowed or denied, to the audit log with
 *   the owner as subject (the owner's access log). Identical decisions in a row are coalesced: the
 *   first is written at once, the rest counted in this object's storage and written as one entry with
 *   their count (`details.coalesced`), so a grantee reading in a loop cannot flood the log or hold the
 *   tenant's audit chain, and nothing is lost (docs/consent.md, "The access log").
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
  PendingWriteRequest,
  type Principal,
  toWireScope,
  userWriterName,
  WriteRequest,
  type WriteResult,
} from "@dfda/core";
import { connect, type Database, safeErrorMessage } from "@dfda/db";
import { loadAccessFacts, stagedRowKeys, variableCategoriesOf } from "@dfda/db/repositories/access";
import { type AuditEvent, recordAudit } from "@dfda/db/repositories/audit";
import { commitBatchJob, commitFileJob, markJobFailed } from "@dfda/db/repositories/jobs";
import { commitPendingJob } from "@dfda/db/repositories/pending";

export interface UserWriterEnv {
  HYPERDRIVE: Hyperdrive;
  /** Seconds identical access decisions are coalesced over (default 60; "0" writes every one). */
  AUDIT_COALESCE_SECONDS?: string;
}

/** How long identical access decisions are coalesced over, unless AUDIT_COALESCE_SECONDS says otherwise. */
export const AUDIT_COALESCE_DEFAULT_SECONDS = 60;

/** A coalescing window of one decision key, as stored in the object's SQLite storage. */
type PendingWindow = {
  /** When the window closes (ms since the epoch). Until then identical decisions are counted. */
  window_end: number;
  /** Identical decisions since the written one, not yet written. */
  count: number;
  first_at: number | null;
  last_at: number | null;
  last_request_id: string | null;
  last_ip: string | null;
  /** The decision's audit entry (JSON of `AuditEvent` without request id and IP), for the count's entry. */
  event: string;
};

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

  /** The coalescing window in ms (0: off), parsed once from the environment. */
  private readonly coalesceMs: number;

  /**
   * The time coalescing windows are measured in. Tests set it to control the windows (the runtime's
   * `Date.now()` is the wall clock); alarms are scheduled in real time whatever it says.
   */
  clock: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: UserWriterEnv) {
    super(ctx, env);
    const seconds = Number(env.AUDIT_COALESCE_SECONDS ?? AUDIT_COALESCE_DEFAULT_SECONDS);
    // A bad setting fails the object loudly rather than silently writing every decision or none.
    if (!Number.isInteger(seconds) || seconds < 0) throw new Error("AUDIT_COALESCE_SECONDS must be a whole number ≥ 0");
    this.coalesceMs = seconds * 1000;
    // Pending counts live in storage, not memory: an evicted or restarted object still writes them.
    // SQL on this storage is synchronous, so a read-modify-write of a window cannot interleave with
    // another request's (no await between them).
    ctx.storage.sql.exec(
      `create table if not exists audit_coalesce (
         key text primary key, window_end integer not null, count integer not null,
         first_at integer, last_at integer, last_request_id text, last_ip text, event text not null)`,
    );
  }

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
      await this.logDecision(handle.db, {
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

  /**
   * Writes an access decision to the owner's access log, coalescing identical ones: same actor, client,
   * subject, action, outcome, reason, grants, route and data asked (everything but the request id, the
   * IP and the time). The first of a window is written at once, so every kind of attempt, denied ones
   * included, is visible immediately; the rest are counted here and written as one entry carrying
   * `details.coalesced` (how many, with `coalesced_first_at` and `coalesced_last_at`): on the next
   * identical decision's own entry after the window, or by the alarm at the window's end in an entry
   * marked `count_only` (it stands for no decision of its own), whichever comes first. So an entry
   * accounts for `(count_only ? 0 : 1) + (coalesced ?? 0)` decisions.
   * Chained entries are only ever appended, never updated (the chain stays verifiable).
   */
  private async logDecision(db: Database, event: AuditEvent): Promise<void> {
    if (this.coalesceMs === 0) return recordAudit(db, event);
    const { requestId, ip, ...template } = event;
    const json = JSON.stringify(template);
    const key = await sha256Hex(json);
    const now = this.clock();
    // From here to the insert's await, nothing awaits: the window is claimed atomically.
    const open = this.pendingWindow(key);
    if (open !== null && now < open.window_end) {
      this.ctx.storage.sql.exec(
        `update audit_coalesce set count = count + 1, first_at = coalesce(first_at, ?), last_at = ?,
           last_request_id = ?, last_ip = ? where key = ?`,
        now,
        now,
        requestId ?? null,
        ip ?? null,
        key,
      );
      // The answer leaves only once this count is durable (the object's output gate), so no access is
      // allowed that the log would not account for.
      return;
    }
    const carried = open !== null && open.count > 0 ? open : null;
    this.ctx.storage.sql.exec(
      `insert or replace into audit_coalesce (key, window_end, count, event) values (?, ?, 0, ?)`,
      key,
      now + this.coalesceMs,
      json,
    );
    try {
      await this.scheduleFlush(now + this.coalesceMs);
      await recordAudit(db, carried === null ? event : { ...event, details: withCount(event.details, carried) });
    } catch (error) {
      // Not written: no window may stand on an entry that does not exist, and no count may be lost.
      // What was counted (the carried window's and any counted since) waits for the next entry or alarm.
      this.requeue(key, carried);
      throw error;
    }
  }

  /** Writes the counts of every window that has closed, then sleeps until the next one closes. */
  override async alarm(): Promise<void> {
    const now = this.clock();
    const due = this.ctx.storage.sql
      .exec<PendingWindow & { key: string }>("select * from audit_coalesce where window_end <= ?", now)
      .toArray();
    // Claimed before any await; a failed write puts its count back and the runtime retries the alarm.
    this.ctx.storage.sql.exec("delete from audit_coalesce where window_end <= ?", now);
    const counted = due.filter((w) => w.count > 0);
    let written = 0;
    try {
      if (counted.length > 0) {
        const handle = await connect(this.env.HYPERDRIVE.connectionString, { applicationName: "dfda-user-writer" });
        try {
          for (const window of counted) {
            const template = JSON.parse(window.event) as AuditEvent;
            await recordAudit(handle.db, {
              ...template,
              requestId: window.last_request_id,
              ip: window.last_ip,
              // Not a decision of its own: only the count of those the window coalesced.
              details: { ...withCount(template.details, window), count_only: true },
            });
            written++;
          }
        } finally {
          await handle.close();
        }
      }
    } catch (error) {
      // Unreachable database or a failed insert: every count not yet written goes back.
      for (const unwritten of counted.slice(written)) this.requeue(unwritten.key, unwritten);
      throw error;
    }
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>("select min(window_end) as at from audit_coalesce")
      .one();
    if (next.at !== null) await this.scheduleFlush(next.at);
  }

  private pendingWindow(key: string): PendingWindow | null {
    const rows = this.ctx.storage.sql
      .exec<PendingWindow>(
        "select window_end, count, first_at, last_at, last_request_id, last_ip, event from audit_coalesce where key = ?",
        key,
      )
      .toArray();
    return rows[0] ?? null;
  }

  /**
   * Puts an unwritten count back (merged with whatever was counted under the key since), due at once:
   * the next identical decision or the next alarm writes it.
   */
  private requeue(key: string, unwritten: PendingWindow | null): void {
    const current = this.pendingWindow(key);
    const count = (unwritten?.count ?? 0) + (current?.count ?? 0);
    if (count === 0) {
      this.ctx.storage.sql.exec("delete from audit_coalesce where key = ?", key);
      return;
    }
    const times = [unwritten, current].flatMap((w) => [w?.first_at, w?.last_at]).filter((t) => typeof t === "number");
    const last = current !== null && current.count > 0 ? current : unwritten;
    this.ctx.storage.sql.exec(
      `insert or replace into audit_coalesce (key, window_end, count, first_at, last_at, last_request_id, last_ip, event)
       values (?, 0, ?, ?, ?, ?, ?, ?)`,
      key,
      count,
      Math.min(...times),
      Math.max(...times),
      last?.last_request_id ?? null,
      last?.last_ip ?? null,
      current?.event ?? unwritten?.event ?? "{}",
    );
    this.ctx.waitUntil(this.scheduleFlush(0));
  }

  /**
   * Makes sure an alarm runs by `at` (at least a second from now in real time, so a window measured
   * on a test's clock can never make the alarm fire in a loop).
   */
  private async scheduleFlush(at: number): Promise<void> {
    const when = Math.max(at, Date.now() + 1000);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > when) await this.ctx.storage.setAlarm(when);
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

  /**
   * Stores re-mapped pending values of local codes (issue 15) after the same write-side consent check
   * as `write`: each value is removed from pending and its row inserted in one transaction, so it is
   * stored once whatever is redelivered (repositories/pending.ts `commitPendingJob`).
   */
  async writePending(input: unknown): Promise<WriteResult> {
    const request = PendingWriteRequest.parse(input);
    return this.serialized(
      { ...request, rows: request.rows.map((r) => ({ variableId: r.variable_id, startAt: new Date(r.start_at) })) },
      async (db) => {
        const { claimed: _claimed, ...result } = await commitPendingJob(db, {
          tenantId: request.tenant_id,
          userId: request.user_id,
          jobId: request.job_id,
          fileId: request.file_id,
          received: request.received,
          rows: request.rows,
          issues: request.issues,
          counts: request.counts,
          pendingIds: request.pending_ids,
          rejectedIndexes: request.rejected_indexes,
        });
        return result;
      },
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

/** A decision's details with the count of identical decisions a window coalesced. */
function withCount(details: Record<string, unknown> | undefined, window: PendingWindow): Record<string, unknown> {
  return {
    ...details,
    coalesced: window.count,
    ...(window.first_at !== null && { coalesced_first_at: new Date(window.first_at).toISOString() }),
    ...(window.last_at !== null && { coalesced_last_at: new Date(window.last_at).toISOString() }),
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the access log keeps of a decision: the answer and the grants behind it, never data. */
function auditDetails(decision: AccessDecision): Record<string, unknown> {
  return decision.allow
    ? { via: decision.via, grant_ids: decision.grantIds }
    : { reason: decision.reason, grant_ids: decision.grantIds };
}
