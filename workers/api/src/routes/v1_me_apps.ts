/** The apps holding the person's grants (GET /v1/me/apps) and revoking one (DELETE /v1/me/apps/{client_id}). */
import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { liveClientGrants, revokeClientConsents } from "@dfda/db/repositories/consents";
import { connectedApps, revokeApp } from "@dfda/db/repositories/me";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const App = z
  .object({
    client_id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    granted_at: z.iso.datetime({ offset: true }),
    last_used_at: z.iso.datetime({ offset: true }).nullable().openapi({ description: "When it last got a token." }),
    background_access: z
      .array(
        z.object({
          consent_id: z.uuid().openapi({ description: "Revoke this one alone with DELETE /v1/consents/{id}." }),
          actions: z.array(z.enum(["read", "write"])),
          categories: z.array(z.string()),
          variable_ids: z.array(z.uuid()),
          expires_at: z.iso.datetime({ offset: true }).nullable().openapi({ description: "When it ends by itself." }),
        }),
      )
      .openapi({
        description:
          "What the app's own servers may do with your data without you signed in (client credentials): the " +
          "live consent grants naming the app. Empty: the app acts only with your own sign-in.",
      }),
  })
  .openapi("ConnectedApp");
export type ConnectedAppResponse = z.infer<typeof App>;

const owner = protectedRoute({ scopes: ["consents:manage"] }, (c) =>
  c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
);

export const listRoute = createRoute({
  method: "get",
  path: "/v1/me/apps",
  operationId: "listMyApps",
  tags: ["Your data"],
  summary: "Apps you have connected",
  description:
    "The OAuth clients holding a grant from you: their scopes, when you granted them, their last use, and any " +
    "background access (what their servers may do without you signed in) with its expiry.",
  ...protectedRoute({ scopes: ["consents:read"] }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  responses: {
    200: {
      description: "The apps.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(App) }),
          example: {
            data: [
              {
                client_id: "dfda-cli",
                name: "dfda command line",
                scopes: ["openid", "observations:read"],
                granted_at: "2026-12-06T08:30:00.000Z",
                last_used_at: "2026-12-06T08:30:04.000Z",
                background_access: [],
              },
            ],
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const revokeRoute = createRoute({
  method: "delete",
  path: "/v1/me/apps/{client_id}",
  operationId: "revokeMyApp",
  tags: ["Your data"],
  summary: "Disconnect an app",
  description:
    "Revokes the app's grant and, at once, every token it holds for you and any background access its servers " +
    "held (the consent grants naming it).",
  ...owner,
  request: {
    params: z.object({
      client_id: z
        .string()
        .min(1)
        .max(128)
        .openapi({ param: { name: "client_id", in: "path" }, example: "dfda-cli" }),
    }),
  },
  responses: { 204: { description: "Revoked." }, ...errorResponses, ...authErrorResponses },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Apps are connected by a person." });
    const db = await c.var.db();
    const apps = await connectedApps(db, principal.tenantId, principal.userId);
    const background = await liveClientGrants(db, principal.tenantId, principal.userId);
    const data: ConnectedAppResponse[] = apps.map((a) => ({
      client_id: a.clientId,
      name: a.name,
      scopes: a.scopes,
      granted_at: a.grantedAt.toISOString(),
      last_used_at: a.lastUsedAt === null ? null : a.lastUsedAt.toISOString(),
      background_access: (background.get(a.clientId) ?? []).map((g) => ({
        consent_id: g.id,
        actions: g.actions.filter((x): x is "read" | "write" => x === "read" || x === "write"),
        categories: g.categories,
        variable_ids: g.variableIds,
        expires_at: g.expiresAt === null ? null : g.expiresAt.toISOString(),
      })),
    }));
    return c.json({ data }, 200, { "Cache-Control": "no-store" });
  });

  app.openapi(revokeRoute, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Apps are connected by a person." });
    const { client_id } = c.req.valid("param");
    const db = await c.var.db();
    if (!(await revokeApp(db, principal.tenantId, principal.userId, client_id))) {
      throw new ApiError("not_found", { detail: `No app ${client_id} holds a grant from you.` });
    }
    // The consent grants the app's OAuth approval created go with it (same code as DELETE /v1/consents).
    await revokeClientConsents(db, {
      tenantId: principal.tenantId,
      ownerId: principal.userId,
      clientId: client_id,
      actorUserId: principal.userId,
      requestId: c.var.requestId,
    });
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "oauth.grant_revoked",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      subjectUserId: principal.userId,
      resourceType: "oauth_client",
      resourceId: client_id,
    });
    return c.body(null, 204);
  });
}
