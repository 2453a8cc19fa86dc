/**
 * The per-user writer: one Durable Object per person (named `tenant:user`), through which every write
 * of that person's observations passes. It serializes them, so two jobs of one user never race on the
 * same rows, and it is where the write-side consent check runs: a write by anyone other than the
 * owner needs a grant (the consent issue adds grants; until then only the owner writes).
 *
 * RPC (`WorkerEntrypoint`-style method on a `DurableObject`), argument parsed with the shared schema.
 */

import { DurableObject } from "cloudflare:workers";
import { decide, FileCommitMessage, type Principal, WriteRequest, type WriteResult } from "@dfda/core";
import { connect, type Database, safeErrorMessage } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { commitFileJob } from "@dfda/db/repositories/files";
import { markJobFailed } from "@dfda/db/repositories/ingest";
import { storeJobResult } from "@dfda/db/repositories/observations";

export interface UserWriterEnv {
  HYPERDRIVE: Hyperdrive;
}

/** The Durable Object name of a user's writer. */
export function userWriterName(tenantId: string, userId: string): string {
  return `${tenantId}:${userId}`;
}

/** Whose record, which job, and who is writing: what the consent check needs. */
type WriteTarget = Pick<WriteRequest, "job_id" | "tenant_id" | "user_id" | "actor">;

export class UserWriter extends DurableObject<UserWriterEnv> {
  /** The tail of the chain of writes: each waits for the previous one (in-memory mutex). */
  private tail: Promise<unknown> = Promise.resolve();

  async write(input: unknown): Promise<WriteResult> {
    const request = WriteRequest.parse(input);
    return this.serialized(request, (db) => storeJobResult(db, request));
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
      const actor: Principal =
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
            };
      const decision = decide(actor, {
        scopes: ["observations:write"],
        tenantId: request.tenant_id,
        ownerId: request.user_id,
        action: "write",
        allowClients: true,
      });
      if (!decision.allow) {
        await recordAudit(handle.db, {
          tenantId: request.tenant_id,
          action: "observations.write",
          outcome: "denied",
          actorUserId: request.actor.user_id,
          actorClientId: request.actor.client_id,
          subjectUserId: request.user_id,
          resourceType: "ingest_job",
          resourceId: request.job_id,
          details: { reason: decision.reason },
        });
        await markJobFailed(handle.db, request.tenant_id, request.job_id, "not allowed to write to this record");
        return { status: "denied", stored: 0, duplicates: 0 };
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
}
