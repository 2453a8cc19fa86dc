import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { deleteCookie } from "hono/cookie";
import type { AppEnv } from "../../lib/types";
import { configOf, cookieName, htmlResponse, SESSION_COOKIE, sessionOf } from "../http";
import { htmlPage, internalErrorResponse, mount } from "../openapi";
import { simplePage } from "../pages";
import { revokeSession } from "../store";

export const route = createRoute({
  method: "post",
  path: "/oauth/logout",
  operationId: "signOut",
  tags: ["Sign-in pages"],
  security: [],
  summary: "End the browser session",
  description:
    "Revokes the sign-in session and removes its cookie. Tokens already issued stay valid until they expire or " +
    "are revoked (`/oauth/revoke`).",
  responses: {
    200: htmlPage("A page saying the person is signed out.", "Signed out", "<p>You are signed out.</p>"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const session = await sessionOf(c, db, cfg);
    if (session) await revokeSession(db, session.idHash);
    deleteCookie(c, cookieName(cfg, SESSION_COOKIE), { path: "/", secure: cfg.issuer.startsWith("https://") });
    return htmlResponse(c, simplePage("Signed out", "You are signed out."));
  });
}
