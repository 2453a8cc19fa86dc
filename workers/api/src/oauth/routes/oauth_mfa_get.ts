import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { safeReturnTo } from "../authorize";
import { configOf, htmlResponse, sessionOf } from "../http";
import { htmlPage, internalErrorResponse, mount, pageError, returnToQuery } from "../openapi";
import { mfaPage, simplePage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/mfa",
  operationId: "showSecondFactorPage",
  tags: ["Sign-in pages"],
  security: [],
  summary: "The second-factor page (TOTP RFC 6238, or a recovery code)",
  description: "Asked of a signed-in session whose second factor is due, before the authorization request continues.",
  request: { query: returnToQuery },
  responses: {
    200: htmlPage(
      "The page asking for a code.",
      "Two-step verification",
      '<form method="post" action="/oauth/mfa"><label>Code from your authenticator app <input name="code" inputmode="numeric" autocomplete="one-time-code"></label><button>Verify</button></form>',
    ),
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const session = await sessionOf(c, await c.var.db(), cfg);
    const returnTo = safeReturnTo(c.req.query("return_to"));
    if (!session || !returnTo) return htmlResponse(c, simplePage("Session expired", "Sign in again."), 400);
    return htmlResponse(c, mfaPage({ csrfToken: session.csrfToken, returnTo }));
  });
}
