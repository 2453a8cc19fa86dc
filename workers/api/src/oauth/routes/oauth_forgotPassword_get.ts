import { randomToken } from "@dfda/auth";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { safeReturnTo } from "../authorize";
import { configOf, htmlResponse, setFormCsrfCookie } from "../http";
import { htmlPage, internalErrorResponse, mount, pageError, returnToQuery } from "../openapi";
import { emailFormPage, simplePage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/forgot-password",
  operationId: "showForgotPasswordPage",
  tags: ["Sign-in pages"],
  security: [],
  summary: "The page that asks for a password-reset link",
  description: "Opened from an application's sign-in page.",
  request: { query: returnToQuery },
  responses: {
    200: htmlPage(
      "The form asking for the e-mail address.",
      "Reset your password",
      '<form method="post" action="/oauth/forgot-password"><input type="email" name="email"><button>Send a link</button></form>',
    ),
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const returnTo = safeReturnTo(c.req.query("return_to"));
    if (!returnTo)
      return htmlResponse(c, simplePage("Cannot continue", "Open this page from an application's sign-in page."), 400);
    const csrfToken = randomToken();
    setFormCsrfCookie(c, configOf(c), csrfToken);
    return htmlResponse(
      c,
      emailFormPage({
        action: "/oauth/forgot-password",
        csrfToken,
        returnTo,
        title: "Reset your password",
        text: "We will e-mail you a link to choose a new password.",
      }),
    );
  });
}
