/**
 * The live facts of one access question, read from Postgres at every question: nothing about grants
 * is cached anywhere, so a revocation holds from the next request on. The decision itself is
 * `evaluateAccess` in @dfda/core, made by the owner's Durable Object (durable-objects/user-writer)
 * from these facts. docs/consent.md describes the model.
 */
import { type AccessFacts, type Principal, SYSTEM_TENANT_ID } from "@dfda/core";
import { and, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  consents,
  custodianLinks,
  ingestStagedRows,
  studyMembers,
  userGroupMembers,
  users,
  variableCategories,
  variables,
} from "../schema";
import { toGrant } from "./consents";

export interface FactsQuestion {
  tenantId: string;
  ownerId: string;
  principal: Extract<Principal, { kind: "user" | "client" }>;
  studyId?: string;
}

/**
 * Everything `evaluateAccess` needs, read now: the owner's status, the principal's custodian link,
 * groups and studies, and the owner's grants that could name the principal (in any state, so a
 * denial can say "revoked" or "expired").
 */
export async function loadAccessFacts(db: Executor, q: FactsQuestion): Promise<AccessFacts> {
  const now = new Date();
  const userId = q.principal.kind === "user" ? q.principal.userId : null;
  const result = await db.execute<{
    owner_active: boolean;
    custodian: boolean;
    group_ids: string[] | null;
    study_ids: string[] | null;
  }>(sql`
    select
      exists (select 1 from ${users} where ${users.tenantId} = ${q.tenantId} and ${users.id} = ${q.ownerId}
              and ${users.status} = 'active') as owner_active,
      exists (select 1 from ${custodianLinks} where ${custodianLinks.tenantId} = ${q.tenantId}
              and ${custodianLinks.custodianId} = ${userId} and ${custodianLinks.dependentId} = ${q.ownerId}
              and ${custodianLinks.revokedAt} is null) as custodian,
      (select array_agg(${userGroupMembers.groupId}::text) from ${userGroupMembers}
        where ${userGroupMembers.tenantId} = ${q.tenantId} and ${userGroupMembers.userId} = ${userId}) as group_ids,
      (select array_agg(${studyMembers.studyId}::text) from ${studyMembers}
        where ${studyMembers.tenantId} = ${q.tenantId} and ${studyMembers.userId} = ${userId}) as study_ids`);
  const row = result.rows[0];
  const groupIds = row?.group_ids ?? [];
  const studyIds = row?.study_ids ?? [];
  const grantee: SQL[] = [];
  if (q.studyId !== undefined) {
    grantee.push(and(eq(consents.granteeType, "study"), eq(consents.granteeId, q.studyId)) as SQL);
  } else if (q.principal.kind === "user") {
    grantee.push(and(eq(consents.granteeType, "user"), eq(consents.granteeId, q.principal.userId)) as SQL);
    if (groupIds.length > 0) {
      grantee.push(and(eq(consents.granteeType, "group"), inArray(consents.granteeId, groupIds)) as SQL);
    }
  } else {
    grantee.push(and(eq(consents.granteeType, "client"), eq(consents.granteeId, q.principal.clientId)) as SQL);
  }
  const grants = await db
    .select()
    .from(consents)
    .where(and(eq(consents.tenantId, q.tenantId), eq(consents.userId, q.ownerId), or(...grantee)));
  return {
    ownerActive: row?.owner_active === true,
    custodian: row?.custodian === true,
    groupIds,
    studyIds,
    grants: grants.map(toGrant),
    now,
  };
}

/** The category slug of each variable (as stored: id and version), for the write-side check. */
export async function variableCategoriesOf(
  db: Executor,
  tenantId: string,
  variableIds: readonly string[],
): Promise<Map<string, string>> {
  if (variableIds.length === 0) return new Map();
  const rows = await db
    .selectDistinct({ id: variables.id, category: variableCategories.slug })
    .from(variables)
    .innerJoin(variableCategories, eq(variableCategories.id, variables.categoryId))
    .where(
      and(
        inArray(variables.id, [...variableIds]),
        inArray(variables.tenantId, [SYSTEM_TENANT_ID, tenantId]),
        isNull(variables.validTo),
      ),
    );
  return new Map(rows.map((r) => [r.id, r.category]));
}

/** The distinct (variable, time) of a file job's staged rows: what a file commit would write. */
export async function stagedRowKeys(
  db: Executor,
  tenantId: string,
  jobId: string,
): Promise<Array<{ variableId: string; startAt: Date }>> {
  return db
    .selectDistinct({ variableId: ingestStagedRows.variableId, startAt: ingestStagedRows.startAt })
    .from(ingestStagedRows)
    .where(and(eq(ingestStagedRows.tenantId, tenantId), eq(ingestStagedRows.jobId, jobId)));
}
