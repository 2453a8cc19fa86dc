/**
 * GET /v1/me/sessions: where the person is signed in. Browser sessions at the authorization server (its
 * sign-in cookie) and the refresh-token families of the apps they signed in to (RFC 9700 §4.14.2: one
 * family per sign-in, rotated on each refresh). The session whose cookie came with this request is
 * marked `current`; the cookie only marks, it never authorizes (the bearer token does).
 */
import { sha256Hex } from "@dfda/auth";
import { listSessions } from "@dfda/db/repositories/security";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { protectedRoute, selfUser } from "../lib/auth";
import { EXAMPLE_LATER, EXAMPLE_TIME } from "../lib/examples";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { authConfig } from "../oauth/config";
import { cookieName, SESSION_COOKIE } from "../oauth/http";

const Session = z
  .object({
    id: z.string().openapi({
      description: "End it with DELETE /v1/me/sessions/{id}. `b_…` a browser session, `a_…` an app's sign-in.",
      example: "b_3f9a0c1e7d2b4a6f8e0c1d2b3a4f5e6d",
    }),
    kind: z.enum(["browser", "app"]).openapi({
      description:
        "`browser`: signed in on the platform's sign-in page in a browser (its cookie). `app`: an app holding a " +
        "refresh token from a sign-in (the portal, the command line, a connected app).",
    }),
    current: z.boolean().openapi({ description: "The browser session this request came from." }),
    client_id: z.string().nullable().openapi({ description: "The app (kind `app`)." }),
    client_name: z.string().nullable(),
    scopes: z.array(z.string()).openapi({ description: "What the app may do (kind `app`); empty for a browser." }),
    created_at: z.iso.datetime({ offset: true }),
    signed_in_at: z.iso
      .datetime({ offset: true })
      .openapi({ description: "The sign-in behind it (OIDC `auth_time`)." }),
    methods: z
      .array(z.string())
      .openapi({ description: "How that sign-in was made (RFC 8176 `amr`: `pwd`, `otp`).", example: ["pwd", "otp"] }),
    last_used_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .openapi({ description: "An app's last refresh; null for a browser session (not recorded)." }),
    expires_at: z.iso.datetime({ offset: true }),
  })
  .openapi("SignInSession");
export type SessionResponse = z.infer<typeof Session>;

export const route = createRoute({
  method: "get",
  path: "/v1/me/sessions",
  operationId: "listMySessions",
  tags: ["Account"],
  summary: "Where you are signed in",
  description:
    "Your live browser sessions at the sign-in page and the apps holding a refresh token from one of your " +
    "sign-ins, newest first. Neither the user agent nor the address is recorded. Only the person themselves " +
    "in one of the platform's own apps (403 `first_party_only` for a third-party app, whatever its scopes).",
  ...protectedRoute({ scopes: ["profile:write"], firstPartyOnly: true }),
  responses: {
    200: {
      description: "The sessions.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(Session) }),
          example: {
            data: [
              {
                id: "b_3f9a0c1e7d2b4a6f8e0c1d2b3a4f5e6d",
                kind: "browser",
                current: true,
                client_id: null,
                client_name: null,
                scopes: [],
                created_at: EXAMPLE_TIME,
                signed_in_at: EXAMPLE_TIME,
                methods: ["pwd", "otp"],
                last_used_at: null,
                expires_at: "2026-12-13T08:30:00.000Z",
              },
              {
                id: "a_0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
                kind: "app",
                current: false,
                client_id: "dfda-portal",
                client_name: "dFDA portal",
                scopes: ["openid", "observations:read", "profile:write"],
                created_at: EXAMPLE_TIME,
                signed_in_at: EXAMPLE_TIME,
                methods: ["pwd", "otp"],
                last_used_at: EXAMPLE_LATER,
                expires_at: "2027-01-05T08:30:00.000Z",
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

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const me = selfUser(c);
    const db = await c.var.db();
    const cookie = getCookie(c, cookieName(authConfig(c.env, c.req.url), SESSION_COOKIE));
    const currentHash = cookie ? await sha256Hex(cookie) : null;
    const { browser, apps } = await listSessions(db, me.tenantId, me.userId);
    const data: SessionResponse[] = [
      ...browser.map((s) => ({
        id: s.id,
        kind: "browser" as const,
        current: s.idHash === currentHash,
        client_id: null,
        client_name: null,
        scopes: [],
        created_at: s.createdAt.toISOString(),
        signed_in_at: s.signedInAt.toISOString(),
        methods: s.amr,
        last_used_at: null,
        expires_at: s.expiresAt.toISOString(),
      })),
      ...apps.map((s) => ({
        id: s.id,
        kind: "app" as const,
        current: false,
        client_id: s.clientId,
        client_name: s.clientName,
        scopes: s.scopes,
        created_at: s.createdAt.toISOString(),
        signed_in_at: s.signedInAt.toISOString(),
        methods: s.amr,
        last_used_at: s.lastUsedAt.toISOString(),
        expires_at: s.expiresAt.toISOString(),
      })),
    ];
    return c.json({ data }, 200, { "Cache-Control": "no-store" });
  });
}
