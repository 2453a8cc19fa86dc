/**
 * Studies: researchers (members) and the participants who granted the study access, known to it only
 * by a per-study pseudonym; the research read returns pseudonymous rows narrowed to each participant's
 * grants. Whether a participant's data may be read is still decided by their Durable Object.
 * docs/consent.md describes the model.
 */
import { type GrantScope, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  consents,
  observations,
  roles,
  studies,
  studyMembers,
  studySubjects,
  users,
  variableCategories,
  variables,
} from "../schema";

export type StudyRow = typeof studies.$inferSelect;

export async function createStudy(
  db: Executor,
  study: { tenantId: string; slug: string; name: string; description?: string | null },
): Promise<StudyRow | null> {
  const [row] = await db
    .insert(studies)
    .values({
      id: uuidv7(),
      tenantId: study.tenantId,
      slug: study.slug,
      name: study.name,
      description: study.description ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export async function findStudy(db: Executor, tenantId: string, id: string): Promise<StudyRow | null> {
  const [row] = await db
    .select()
    .from(studies)
    .where(and(eq(studies.tenantId, tenantId), eq(studies.id, id)))
    .limit(1);
  return row ?? null;
}

/**
 * Adds a researcher to a study. "added" (or "already"), or why not: the user is not an active user
 * of the tenant, or does not hold the `researcher` role.
 */
export async function addStudyMember(
  db: Executor,
  q: { tenantId: string; studyId: string; userId: string },
): Promise<"added" | "already" | "unknown_user" | "not_researcher"> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, q.tenantId), eq(users.id, q.userId), eq(users.status, "active")))
    .limit(1);
  if (!user) return "unknown_user";
  const [role] = await db
    .select({ role: roles.role })
    .from(roles)
    .where(and(eq(roles.tenantId, q.tenantId), eq(roles.userId, q.userId), eq(roles.role, "researcher")))
    .limit(1);
  if (!role) return "not_researcher";
  const inserted = await db
    .insert(studyMembers)
    .values({ tenantId: q.tenantId, studyId: q.studyId, userId: q.userId })
    .onConflictDoNothing()
    .returning({ userId: studyMembers.userId });
  return inserted.length > 0 ? "added" : "already";
}

export async function isStudyMember(db: Executor, tenantId: string, studyId: string, userId: string) {
  const [row] = await db
    .select({ userId: studyMembers.userId })
    .from(studyMembers)
    .where(and(eq(studyMembers.tenantId, tenantId), eq(studyMembers.studyId, studyId), eq(studyMembers.userId, userId)))
    .limit(1);
  return row !== undefined;
}

export interface StudyParticipant {
  userId: string;
  subjectId: string;
}

/** The study subject's own study grant is live (unrevoked, unexpired). */
function liveStudyGrant(): SQL {
  return sql`exists (select 1 from ${consents} where ${consents.tenantId} = ${studySubjects.tenantId}
      and ${consents.userId} = ${studySubjects.userId} and ${consents.granteeType} = 'study'
      and ${consents.granteeId} = ${studySubjects.studyId}::text and ${consents.revokedAt} is null
      and (${consents.expiresAt} is null or ${consents.expiresAt} > now()))`;
}

/** A participant of one of a researcher's studies. */
export interface MemberStudySubject extends StudyParticipant {
  studyId: string;
}

/**
 * The participants of the studies `memberId` works on (FHIR Patient for researchers, under pseudonyms),
 * in pseudonym order, each with a live study grant (one pseudonym: `subjectId`). Whether a participant
 * may be read is still their Durable Object's decision.
 */
export async function memberStudySubjects(
  db: Executor,
  q: {
    tenantId: string;
    memberId: string;
    subjectId?: string;
    afterSubject?: string;
    limit: number;
  },
): Promise<MemberStudySubject[]> {
  const conditions: Array<SQL | undefined> = [eq(studySubjects.tenantId, q.tenantId), liveStudyGrant()];
  if (q.subjectId !== undefined) conditions.push(eq(studySubjects.subjectId, q.subjectId));
  if (q.afterSubject !== undefined) conditions.push(sql`${studySubjects.subjectId} > ${q.afterSubject}::uuid`);
  return db
    .select({ studyId: studySubjects.studyId, userId: studySubjects.userId, subjectId: studySubjects.subjectId })
    .from(studySubjects)
    .innerJoin(
      studyMembers,
      and(
        eq(studyMembers.tenantId, studySubjects.tenantId),
        eq(studyMembers.studyId, studySubjects.studyId),
        eq(studyMembers.userId, q.memberId),
      ),
    )
    .where(and(...conditions))
    .orderBy(studySubjects.subjectId)
    .limit(q.limit);
}

/**
 * Participants who may have consented: a pseudonym in the study and a live (unrevoked, unexpired)
 * study grant, in pseudonym order. The decision for each is still the
 * owner's Durable Object's; this only finds whom to ask.
 */
export async function studyParticipants(
  db: Executor,
  q: {
    tenantId: string;
    studyId: string;
    /** Start at this pseudonym (inclusive), or after it (`afterSubject`, exclusive). */
    fromSubject?: string;
    afterSubject?: string;
    limit: number;
  },
): Promise<StudyParticipant[]> {
  const conditions: Array<SQL | undefined> = [
    eq(studySubjects.tenantId, q.tenantId),
    eq(studySubjects.studyId, q.studyId),
    liveStudyGrant(),
  ];
  if (q.fromSubject !== undefined) conditions.push(sql`${studySubjects.subjectId} >= ${q.fromSubject}::uuid`);
  if (q.afterSubject !== undefined) conditions.push(sql`${studySubjects.subjectId} > ${q.afterSubject}::uuid`);
  return db
    .select({ userId: studySubjects.userId, subjectId: studySubjects.subjectId })
    .from(studySubjects)
    .where(and(...conditions))
    .orderBy(studySubjects.subjectId)
    .limit(q.limit);
}

/** One participant whose owner's Durable Object allowed the read, with what it opened. */
export interface AllowedParticipant extends StudyParticipant {
  scope: readonly GrantScope[];
}

/** A research row: a pseudonym and the measurement, nothing that identifies the person or the record. */
export interface StudyObservationRow {
  subjectId: string;
  variableId: string;
  variableSlug: string;
  variableName: string;
  category: string;
  startAt: Date;
  endAt: Date | null;
  value: number | null;
  valueCode: string | null;
  valueBoolean: boolean | null;
  unit: string | null;
  isValid: boolean;
  isOutlier: boolean;
}

/** The research sort key: pseudonym, exact start (microseconds), and a per-study row key. */
export interface StudyRowKey {
  subjectId: string;
  /** Null: continue with the next subject. */
  startAt: string | null;
  rowKey: string | null;
}

/**
 * The observations of the allowed participants, each narrowed to its grants' scopes (variables and
 * data windows), under their study pseudonyms. Only the columns of `StudyObservationRow` leave: no
 * user id, observation id, file or job id, source, note, free text or metadata. The page key's row
 * part is md5(study id ‖ observation id): stable within the study, meaningless outside it.
 */
export async function studyObservations(
  db: Executor,
  q: {
    tenantId: string;
    studyId: string;
    participants: readonly AllowedParticipant[];
    variableId?: string;
    categories?: readonly string[];
    from?: Date;
    to?: Date;
    after?: StudyRowKey;
    limit: number;
  },
): Promise<{ rows: StudyObservationRow[]; nextKey: StudyRowKey | null }> {
  const pieces = q.participants.flatMap((p) =>
    p.scope.map(
      (s) =>
        // sql.param: one array parameter each (a bare JS array would expand to a list of parameters).
        sql`(${p.userId}::uuid, ${p.subjectId}::uuid, ${sql.param([...s.categories])}::text[],
             ${sql.param([...s.variableIds])}::uuid[],
             ${s.from?.toISOString() ?? null}::timestamptz, ${s.to?.toISOString() ?? null}::timestamptz)`,
    ),
  );
  if (pieces.length === 0) return { rows: [], nextKey: null };
  const rowKey = sql`md5(${q.studyId}::text || ${observations.id}::text)`;
  const filters: SQL[] = [];
  if (q.variableId !== undefined) filters.push(sql`and ${observations.variableId} = ${q.variableId}::uuid`);
  if (q.categories !== undefined) {
    filters.push(
      q.categories.length === 0
        ? sql`and false`
        : sql`and ${variableCategories.slug} = any(${sql.param([...q.categories])}::text[])`,
    );
  }
  if (q.from !== undefined) filters.push(sql`and ${observations.startAt} >= ${q.from.toISOString()}::timestamptz`);
  if (q.to !== undefined) filters.push(sql`and ${observations.startAt} < ${q.to.toISOString()}::timestamptz`);
  if (q.after !== undefined) {
    const { subjectId, startAt, rowKey: key } = q.after;
    filters.push(
      startAt === null || key === null
        ? sql`and s.subject_id > ${subjectId}::uuid`
        : sql`and (s.subject_id, ${observations.startAt}, ${rowKey}) > (${subjectId}::uuid, ${startAt}::timestamptz, ${key})`,
    );
  }
  const result = await db.execute<{
    subject_id: string;
    variable_id: string;
    variable_slug: string;
    variable_name: string;
    category: string;
    start_at: string;
    start_key: string;
    end_at: string | null;
    value: number | null;
    value_code: string | null;
    value_boolean: boolean | null;
    unit: string | null;
    is_valid: boolean;
    is_outlier: boolean;
    row_key: string;
  }>(sql`
    with pieces (user_id, subject_id, categories, variable_ids, data_from, data_to) as (values ${sql.join(pieces, sql`, `)}),
         s as (select distinct user_id, subject_id from pieces)
    select s.subject_id::text as subject_id, ${variables.id} as variable_id, ${variables.slug} as variable_slug,
           ${variables.name} as variable_name, ${variableCategories.slug} as category,
           ${observations.startAt} as start_at,
           to_char(${observations.startAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as start_key,
           ${observations.endAt} as end_at, ${observations.value} as value, ${observations.valueCode} as value_code,
           ${observations.valueBoolean} as value_boolean, ${observations.unit} as unit,
           ${observations.isValid} as is_valid, ${observations.isOutlier} as is_outlier, ${rowKey} as row_key
    from s
    join ${observations} on ${observations.tenantId} = ${q.tenantId} and ${observations.userId} = s.user_id
    join ${variables} on ${variables.id} = ${observations.variableId} and ${variables.version} = ${observations.variableVersion}
    join ${variableCategories} on ${variableCategories.id} = ${variables.categoryId}
      and ${variableCategories.tenantId} in (${SYSTEM_TENANT_ID}, ${q.tenantId})
    where exists (
      select 1 from pieces p where p.user_id = s.user_id
        and (${variableCategories.slug} = any(p.categories) or ${observations.variableId} = any(p.variable_ids))
        and (p.data_from is null or ${observations.startAt} >= p.data_from)
        and (p.data_to is null or ${observations.startAt} < p.data_to))
    ${sql.join(filters, sql` `)}
    order by s.subject_id, ${observations.startAt}, ${rowKey}
    limit ${q.limit + 1}`);
  const rows = result.rows.slice(0, q.limit);
  const last = result.rows.length > q.limit ? rows[rows.length - 1] : undefined;
  return {
    rows: rows.map((r) => ({
      subjectId: r.subject_id,
      variableId: r.variable_id,
      variableSlug: r.variable_slug,
      variableName: r.variable_name,
      category: r.category,
      startAt: new Date(r.start_at),
      endAt: r.end_at === null ? null : new Date(r.end_at),
      value: r.value === null ? null : Number(r.value),
      valueCode: r.value_code,
      valueBoolean: r.value_boolean,
      unit: r.unit,
      isValid: r.is_valid,
      isOutlier: r.is_outlier,
    })),
    nextKey: last === undefined ? null : { subjectId: last.subject_id, startAt: last.start_key, rowKey: last.row_key },
  };
}
