import { timingSafeEqual } from "@dfda/auth";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { consumeEmailToken, resetPassword } from "../email-flows";
import { formCsrfCookie, formOrPage, htmlResponse } from "../http";
import { csrfField, formBody, htmlContent, internalErrorResponse, mount } from "../openapi";
import { newPasswordPage, simplePage } from "../pages";

export const route = createRoute({
  method: "post",
  path: "/oauth/reset-password",
  operationId: "resetPassword",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Set a new password (the reset page's form)",
  description:
    "Uses up the e-mailed token, sets a password of at least 12 characters (NIST SP 800-63B §5.1.1.2) and " +
    "unlocks the account.",
  request: {
    body: formBody(
      {
        token: { type: "string", description: "The token from the e-mail." },
        password: { type: "string" },
        csrf_token: csrfField,
      },
      ["token", "password", "csrf_token"],
    ),
  },
  responses: {
    200: { description: "The password is changed.", content: htmlContent },
    400: {
      description: "The form expired, the password is too short, or the link is used or expired.",
      content: htmlContent,
    },
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const db = await c.var.db();
    const body = await formOrPage(c);
    if (body instanceof Response) return body;
    const cookie = formCsrfCookie(c);
    if (cookie === "" || !timingSafeEqual(cookie, body.get("csrf_token") ?? "")) {
      return htmlResponse(c, simplePage("Form expired", "Open the link from the e-mail again."), 400);
    }
    const password = body.get("password") ?? "";
    const token = body.get("token") ?? "";
    if (password.length < 12 || password.length > 1024) {
      return htmlResponse(
        c,
        newPasswordPage({ csrfToken: cookie, token, error: "Choose a password of at least 12 characters." }),
        400,
      );
    }
    const row = await consumeEmailToken(db, token, "reset_password");
    if (!row)
      return htmlResponse(c, simplePage("Link expired", "This link is not valid any more. Ask for a new one."), 400);
    await resetPassword(db, row, password, c.var.requestId);
    return htmlResponse(
      c,
      simplePage("Password changed", "Your password is changed. Return to the application and sign in."),
    );
  });
}
