import { randomToken } from "@dfda/auth";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { configOf, htmlResponse, setFormCsrfCookie } from "../http";
import { htmlPage, internalErrorResponse, mount } from "../openapi";
import { newPasswordPage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/reset-password",
  operationId: "showResetPasswordPage",
  tags: ["Sign-in pages"],
  security: [],
  summary: "The page that sets a new password (the link in the reset e-mail)",
  description: "The token is checked when the form is sent, so opening the link does not use it up.",
  request: {
    query: z.object({
      token: z
        .string()
        .optional()
        .openapi({ description: "The token from the e-mail.", example: "q8Xz4nR2vB7kT1mW9pL3sD6fG0hJ5cY8" }),
    }),
  },
  responses: {
    200: htmlPage(
      "The new-password form.",
      "Choose a new password",
      '<form method="post" action="/oauth/reset-password"><input type="hidden" name="token" value="q8Xz4nR2vB7kT1mW9pL3sD6fG0hJ5cY8"><input type="password" name="password" autocomplete="new-password"><button>Save</button></form>',
    ),
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
