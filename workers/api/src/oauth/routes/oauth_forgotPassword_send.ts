import { timingSafeEqual } from "@dfda/auth";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { EXAMPLE_CSRF, EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { sendPasswordReset } from "../email-flows";
import { configOf, formCsrfCookie, htmlResponse, requestForm } from "../http";
import {
  csrfField,
  formBody,
  htmlPage,
  internalErrorResponse,
  mount,
  pageError,
  rateLimitedResponse,
  returnToField,
} from "../openapi";
import { simplePage } from "../pages";
import { rateLimited } from "../rate-limit";

export const route = createRoute({
  method: "post",
  path: "/oauth/forgot-password",
  operationId: "sendPasswordResetLink",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Send a password-reset link (the forgot-password page's form)",
  description:
    "Queues an e-mail with a single-use link valid for one hour when an active account uses the address. The " +
    "answer is the same whether or not it does (OWASP Forgot Password Cheat Sheet).",
  request: {
    body: formBody(
      { email: { type: "string" }, return_to: returnToField, csrf_token: csrfField },
      ["email", "return_to", "csrf_token"],
      { email: "ada@example.org", return_to: EXAMPLE_RETURN_TO, csrf_token: EXAMPLE_CSRF },
    ),
  },
  responses: {
    200: htmlPage(
      "A page saying a link was sent if the account exists.",
      "Check your e-mail",
      "<p>If an account uses ada@example.org, a link to reset its password is on its way.</p>",
    ),
    400: pageError,
    429: rateLimitedResponse("login"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const resolved = await requestForm(c, db, cfg, "The request is not valid.");
    if (resolved instanceof Response) return resolved;
    const { body } = resolved;
    const cookie = formCsrfCookie(c);
    if (cookie === "" || !timingSafeEqual(cookie, body.get("csrf_token") ?? "")) {
      return htmlResponse(c, simplePage("Form expired", "Go back and try again."), 400);
    }
    const limited = await rateLimited(c, "login", resolved.request.client.clientId);
    if (limited) return limited;
    await sendPasswordReset(db, cfg, resolved.request.client.tenantId, body.get("email") ?? "", c.var.requestId);
    return htmlResponse(
      c,
      simplePage("Check your e-mail", "If an account uses that address, we sent it a link to reset the password."),
    );
  });
}
