/**
 * GET /v1/studies/{id}/observations: what the participants of a study shared with it, for its
 * researchers, under per-study pseudonyms.
 *
 * Each participant's own Durable Object decides, at every page, whether the study may read their data
 * now and what (their grant's categories or variables and data window) — and writes that to their
 * access log — exactly as for any other non-owner access. Only then are their rows read, narrowed to
 * that scope. What leaves is the pseudonym (`subject_id`, random per study and person) and the
 * measurement: no user id, e-mail or name, no observation, file or job id, no source, note, free text
 * or metadata (docs/consent.md, "Research").
 */
import { ApiError, type AuthorizeResult, fromWireScope, VARIABLE_CATEGORY_SLUGS } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import {
  type AllowedParticipant,
  findStudy,
  isStudyMember,
  type StudyRowKey,
  studyObservations,
  studyParticipants,
} from "@dfda/db/repositories/studies";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { askOwner } from "../lib/access";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { InstantParam, readableCategories, requireVariable, toAfterFrom, VariableParam } from "../lib/observations";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import { openCursor, sealCursor } from "../lib/sealed-cursor";
import type { AppEnv } from "../lib/types";

/** Participants asked per page: each is one Durable Object decision (and one access-log entry). */
export const PARTICIPANTS_PER_PAGE = 25;
/** Decisions asked at once. */
const CONCURRENCY = 8;
const CURSOR_LIST = "study-observations";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const START_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const ROW_KEY = /^[0-9a-f]{32}$/;

export const StudyObservationSchema = z
  .object({
    subject_id: z.uuid().openapi({ description: "The participant's pseudonym in this study (random, per study)." }),
    variable: z.object({
      id: z.uuid(),
      slug: z.string().openapi({ example: "heart-rate" }),
      name: z.string().openapi({ example: "Heart rate" }),
      category: z.string().openapi({ example: "vital_signs" }),
    }),
    start_at: z.iso.datetime({ offset: true }),
    end_at: z.iso.datetime({ offset: true }).nullable(),
    value: z.number().nullable().openapi({ description: "In the canonical `unit`." }),
    value_code: z.string().nullable(),
    value_boolean: z.boolean().nullable(),
    unit: z.string().nullable(),
    flags: z.object({ valid: z.boolean(), outlier: z.boolean() }),
  })
  .openapi("StudyObservation");
type StudyObservationResponse = z.infer<typeof StudyObservationSchema>;

export const route = createRoute({
  method: "get",
  path: "/v1/studies/{id}/observations",
  operationId: "listStudyObservations",
  tags: ["Research"],
  summary: "Query a study's consented data, pseudonymized (researchers)",
  description:
    "For researchers who are members of the study: the observations of every participant whose study grant " +
    "is live, only the granted categories or variables and only from the granted data window, ordered by " +
    "pseudonym and time. Filter by `variable`, `category` and a window (`from` inclusive, `to` exclusive). " +
    "Each participant's decision is recorded in their access log. No direct identifiers are returned.",
  // The researcher role and the study membership are checked by the handler, after the study is found
  // (and again by every participant's Durable Object).
  ...protectedRoute({ scopes: ["observations:read"] }),
  request: {
    params: z.object({ id: z.uuid().openapi({ example: EXAMPLE_IDS.study }) }),
    query: z
      .object({
        variable: VariableParam.optional(),
        category: z.enum(VARIABLE_CATEGORY_SLUGS).optional(),
        from: InstantParam.optional().openapi({ description: "Earliest start_at (inclusive)." }),
        to: InstantParam.optional().openapi({ description: "Latest start_at (exclusive); after `from`." }),
        cursor: CursorParam,
        limit: LimitParam,
      })
      .refine(toAfterFrom, { message: "Must be later than from", path: ["to"] }),
  },
  responses: {
    200: {
      description: "A page of pseudonymized observations.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(StudyObservationSchema), next_cursor: NextCursor }),
          example: {
            data: [
              {
                // A pseudonym: random per participant and study, never the person's id.
                subject_id: "5c1e9a7b-3d2f-4b8e-9a6c-0f1e2d3c4b5a",
                variable: { id: EXAMPLE_IDS.variable, slug: "heart-rate", name: "Heart rate", category: "vital_signs" },
                start_at: "2026-12-06T07:00:00.000Z",
                end_at: null,
                value: 62,
                value_code: null,
                value_boolean: null,
                unit: "/min",
                flags: { valid: true, outlier: false },
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

/**
 * The cursor's position is the pseudonym and a per-row hash, which must not reach the researcher in a
 * form they could link (issue 12): it is sealed (lib/sealed-cursor.ts) and bound to the tenant, the
 * study and the researcher, so it is opaque, differs per researcher and per request, and is refused
 * (400 invalid_cursor) when altered or presented by anyone else.
 */
function cursorContext(tenantId: string, studyId: string, researcherId: string): string[] {
  return [tenantId, studyId, researcherId];
}

async function decodeStudyCursor(c: Context<AppEnv>, context: readonly string[], cursor: string): Promise<StudyRowKey> {
  const [subjectId, startAt, rowKey] = await openCursor(c.var.config.masterKeys, CURSOR_LIST, context, cursor, 3);
  const valid =
    typeof subjectId === "string" &&
    UUID.test(subjectId) &&
    ((startAt === null && rowKey === null) ||
      (typeof startAt === "string" && START_KEY.test(startAt) && typeof rowKey === "string" && ROW_KEY.test(rowKey)));
  if (!valid) {
    throw new ApiError("invalid_cursor", {
      detail: "The cursor is not one this list produced. Request the first page without a cursor.",
      errors: [{ location: "query", path: "cursor", pointer: "/cursor", message: "Invalid cursor" }],
    });
  }
  return { subjectId, startAt: startAt as string | null, rowKey: rowKey as string | null };
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Researchers are people." });
    const { id: rawId } = c.req.valid("param");
    const studyId = rawId.toLowerCase();
    const query = c.req.valid("query");
    const db = await c.var.db();
    if ((await findStudy(db, principal.tenantId, studyId)) === null) {
      throw new ApiError("not_found", { detail: "No such study." });
    }
    const researcher = principal.roles.has("researcher");
    if (!researcher || !(await isStudyMember(db, principal.tenantId, studyId, principal.userId))) {
      const reason = researcher ? "not_study_member" : "missing_role";
      await recordAudit(db, {
        tenantId: principal.tenantId,
        action: "study.observations.read",
        outcome: "denied",
        actorUserId: principal.userId,
        actorClientId: principal.clientId,
        resourceType: "study",
        resourceId: studyId,
        requestId: c.var.requestId,
        details: { reason },
      });
      throw new ApiError("forbidden", {
        detail: "Only the study's researchers query its data.",
        extensions: { reason },
      });
    }
    const variable = query.variable === undefined ? null : await requireVariable(c, query.variable);
    const context = cursorContext(principal.tenantId, studyId, principal.userId);
    const after = query.cursor === undefined ? undefined : await decodeStudyCursor(c, context, query.cursor);
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);

    let participants = await studyParticipants(db, {
      tenantId: principal.tenantId,
      studyId,
      limit: PARTICIPANTS_PER_PAGE + 1,
      // A cursor inside a subject's rows resumes at that subject; one without a row position after it.
      ...(after !== undefined &&
        (after.startAt === null ? { afterSubject: after.subjectId } : { fromSubject: after.subjectId })),
    });
    const more = participants.length > PARTICIPANTS_PER_PAGE;
    participants = participants.slice(0, PARTICIPANTS_PER_PAGE);

    const answers = await mapLimited(participants, CONCURRENCY, (p) =>
      askOwner(c, principal, {
        ownerId: p.userId,
        action: "read",
        audit: "study.observations.read",
        studyId,
        data: {
          ...(variable !== null && { variable: { id: variable.id, category: variable.category } }),
          ...(from !== undefined && { from }),
          ...(to !== undefined && { to }),
        },
      }),
    );
    const allowed: AllowedParticipant[] = [];
    participants.forEach((p, i) => {
      const answer = answers[i] as AuthorizeResult;
      // On the research path the decision is always through the study grant's scopes.
      if (answer.allow && answer.scope !== "all") allowed.push({ ...p, scope: answer.scope.map(fromWireScope) });
    });

    // The `category` filter, within what the token may read at all (category scopes).
    const readable = readableCategories(principal);
    const asked = query.category === undefined ? undefined : [query.category];
    const narrowed = readable === undefined ? asked : (asked ?? readable).filter((cat) => readable.includes(cat));
    const page = await studyObservations(db, {
      tenantId: principal.tenantId,
      studyId,
      participants: allowed,
      limit: query.limit,
      ...(variable !== null && { variableId: variable.id }),
      ...(narrowed !== undefined && { categories: narrowed }),
      ...(from !== undefined && { from }),
      ...(to !== undefined && { to }),
      ...(after !== undefined && after.startAt !== null && { after }),
    });
    const data: StudyObservationResponse[] = page.rows.map((r) => ({
      subject_id: r.subjectId,
      variable: { id: r.variableId, slug: r.variableSlug, name: r.variableName, category: r.category },
      start_at: r.startAt.toISOString(),
      end_at: r.endAt === null ? null : r.endAt.toISOString(),
      value: r.value,
      value_code: r.valueCode,
      value_boolean: r.valueBoolean,
      unit: r.unit,
      flags: { valid: r.isValid, outlier: r.isOutlier },
    }));
    const keyring = c.var.config.masterKeys;
    let next: string | null = null;
    if (page.nextKey !== null) {
      const { subjectId, startAt, rowKey } = page.nextKey;
      next = await sealCursor(keyring, CURSOR_LIST, context, [subjectId, startAt, rowKey]);
    } else if (more) {
      const last = participants[participants.length - 1];
      if (last !== undefined) next = await sealCursor(keyring, CURSOR_LIST, context, [last.subjectId, null, null]);
    }
    return c.json({ data, next_cursor: next }, 200, { "Cache-Control": "no-store" });
  });
}
