import { randomToken } from "@dfda/auth";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { configOf, htmlResponse, setFormCsrfCookie } from "../http";
import { htmlContent, internalErrorResponse, mount } from "../openapi";
import { newPasswordPage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/reset-password",
  operationId: "showResetPasswordPage",
  tags: ["Sign-in pages"],
  security: [],
  summary: "The page that sets a new password (the link in the reset e-mail)",
  description: "The token is checked when the form is sent, so opening the link does not use it up.",
  request: { query: z.object({ token: z.string().optional().openapi({ description: "The token from the e-mail." }) }) },
  responses: {
    200: { description: "The new-password form.", content: htmlContent },
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, (c) => {
    const csrfToken = randomToken();
    setFormCsrfCookie(c, configOf(c), csrfToken);
    return htmlResponse(c, newPasswordPage({ csrfToken, token: c.req.query("token") ?? "" }));
  });
}
