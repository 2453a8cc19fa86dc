import { randomToken } from "@dfda/auth";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import type { AppEnv } from "../../lib/types";
import { signInRequestFromReturnTo } from "../device";
import { configOf, cookieName, cookieOptions, htmlResponse, LOGIN_CSRF_COOKIE } from "../http";
import { htmlPage, internalErrorResponse, mount, pageError, returnToQuery } from "../openapi";
import { signupPage, simplePage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/signup",
  operationId: "showSignUpPage",
  tags: ["Sign-in pages"],
  security: [],
  summary: "The sign-up page",
  description: "Opened from an application's sign-in page; creates an account in that application's tenant.",
  request: { query: returnToQuery },
  responses: {
    200: htmlPage(
      "The sign-up form.",
      "Create an account",
      '<form method="post" action="/oauth/signup"><input type="email" name="email"><input name="name"><input type="password" name="password" autocomplete="new-password"><button>Create account</button></form>',
    ),
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const resolved = await signInRequestFromReturnTo(db, cfg, c.req.query("return_to"));
    if (!resolved) {
      return htmlResponse(c, simplePage("Cannot continue", "Open sign-up from an application's sign-in page."), 400);
    }
    const csrfToken = randomToken();
    setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
    return htmlResponse(
      c,
      signupPage({ csrfToken, returnTo: resolved.returnTo, tenantName: resolved.request.tenantName }),
    );
  });
}
