import { timingSafeEqual } from "@dfda/auth";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { EXAMPLE_CSRF } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { consumeEmailToken, resetPassword } from "../email-flows";
import { formCsrfCookie, formOrPage, htmlResponse } from "../http";
import { csrfField, formBody, htmlPage, internalErrorResponse, mount } from "../openapi";
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
      {
        token: "q8Xz4nR2vB7kT1mW9pL3sD6fG0hJ5cY8",
        password: "a new long passphrase",
        csrf_token: EXAMPLE_CSRF,
      },
    ),
  },
  responses: {
    200: htmlPage("The password is changed.", "Password changed", "<p>Your password is changed. Sign in with it.</p>"),
    400: htmlPage(
      "The form expired, the password is too short, or the link is used or expired.",
      "Cannot continue",
      "<p>This link was used or has expired. Ask for a new one.</p>",
    ),
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
