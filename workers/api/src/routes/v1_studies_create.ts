/**
 * Research studies, set up by the tenant's administrators: POST /v1/studies creates one, and
 * POST /v1/studies/{id}/members adds a researcher (a user with the `researcher` role). Participants
 * join by granting the study consent (POST /v1/consents with a study grantee). Every change is audited.
 */
import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { addStudyMember, createStudy, findStudy } from "@dfda/db/repositories/studies";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, EXAMPLE_TIME, exampleProblem } from "../lib/examples";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const StudySchema = z
  .object({
    id: z.uuid(),
    slug: z.string().openapi({ example: "sleep-and-mood-2026" }),
    name: z.string().openapi({ example: "Sleep and mood 2026" }),
    description: z.string().nullable(),
    created_at: z.iso.datetime({ offset: true }),
  })
  .openapi("Study");

const exampleStudyBody = {
  slug: "sleep-and-mood-2026",
  name: "Sleep and mood 2026",
  description: "Does a night under six hours lower next-day mood? Participants share sleep and mood for 12 weeks.",
};

const admin = protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"] });

export const route = createRoute({
  method: "post",
  path: "/v1/studies",
  operationId: "createStudy",
  tags: ["Research"],
  summary: "Create a research study (administrators)",
  ...admin,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              slug: z
                .string()
                .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "Lowercase letters, digits and hyphens, at most 63")
                .openapi({ example: "sleep-and-mood-2026" }),
              name: z.string().min(1).max(200),
              description: z.string().max(2000).optional(),
            })
            .strict(),
          example: exampleStudyBody,
        },
      },
    },
  },
  responses: {
    201: {
      description: "Created.",
      content: {
        "application/json": {
          schema: StudySchema,
          example: { id: EXAMPLE_IDS.study, ...exampleStudyBody, created_at: EXAMPLE_TIME },
        },
      },
    },
    409: problemResponse(
      "A study of the tenant already has this slug.",
      exampleProblem("conflict", { detail: "A study with slug sleep-and-mood-2026 exists." }),
    ),
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const membersRoute = createRoute({
  method: "post",
  path: "/v1/studies/{id}/members",
  operationId: "addStudyMember",
  tags: ["Research"],
  summary: "Add a researcher to a study (administrators)",
  description:
    "The user must hold the `researcher` role. Members query the study's data " +
    "(`GET /v1/studies/{id}/observations`), only under pseudonyms and only what participants granted.",
  ...admin,
  request: {
    params: z.object({ id: z.uuid().openapi({ example: EXAMPLE_IDS.study }) }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ user_id: z.uuid() }).strict(),
          example: { user_id: EXAMPLE_IDS.otherUser },
        },
      },
    },
  },
  responses: { 204: { description: "A member (now or already)." }, ...errorResponses, ...authErrorResponses },
});

function adminOf(c: { var: AppEnv["Variables"] }) {
  const p = c.var.principal;
  if (p.kind !== "user") throw new ApiError("forbidden", { detail: "Studies are managed by administrators." });
  return p;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = adminOf(c);
    const body = c.req.valid("json");
    const db = await c.var.db();
    const study = await createStudy(db, {
      tenantId: principal.tenantId,
      slug: body.slug,
      name: body.name,
      description: body.description ?? null,
    });
    if (study === null) throw new ApiError("conflict", { detail: `A study with slug ${body.slug} exists.` });
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "admin.study.create",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      resourceType: "study",
      resourceId: study.id,
      requestId: c.var.requestId,
      details: { slug: study.slug },
    });
    return c.json(
      {
        id: study.id,
        slug: study.slug,
        name: study.name,
        description: study.description,
        created_at: study.createdAt.toISOString(),
      },
      201,
      { Location: new URL(`/v1/studies/${study.id}`, c.req.url).toString() },
    );
  });

  app.openapi(membersRoute, async (c) => {
    const principal = adminOf(c);
    const { id } = c.req.valid("param");
    const { user_id } = c.req.valid("json");
    const db = await c.var.db();
    if ((await findStudy(db, principal.tenantId, id)) === null) {
      throw new ApiError("not_found", { detail: "No such study." });
    }
    const outcome = await addStudyMember(db, { tenantId: principal.tenantId, studyId: id, userId: user_id });
    if (outcome === "unknown_user" || outcome === "not_researcher") {
      throw new ApiError("validation_failed", {
        detail:
          outcome === "unknown_user"
            ? "No active user with this id in the organisation."
            : "The user does not hold the researcher role.",
        errors: [{ location: "body", path: "user_id", pointer: "/user_id", message: outcome }],
      });
    }
    if (outcome === "added") {
      await recordAudit(db, {
        tenantId: principal.tenantId,
        action: "admin.study.member.add",
        outcome: "success",
        actorUserId: principal.userId,
        actorClientId: principal.clientId,
        subjectUserId: user_id,
        resourceType: "study",
        resourceId: id,
        requestId: c.var.requestId,
      });
    }
    return c.body(null, 204);
  });
}
