import { timingSafeEqual } from "@dfda/auth";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { EXAMPLE_CSRF, EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { resendVerification } from "../email-flows";
import { configOf, cookieName, htmlResponse, LOGIN_CSRF_COOKIE, requestForm } from "../http";
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
  path: "/oauth/verify-email/resend",
  operationId: "resendEmailConfirmation",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Send the e-mail confirmation link again",
  description:
    "Queues a new confirmation link when the address belongs to an account not yet confirmed, and answers the " +
    "same page whether or not it does (no account enumeration, OWASP Authentication Cheat Sheet). Anyone may " +
    "ask, so the link carries no authorization request to continue: after confirming, the person signs in. " +
    "Throttled like sign-up.",
  request: {
    body: formBody(
      { email: { type: "string" }, return_to: returnToField, csrf_token: csrfField },
      ["email", "return_to", "csrf_token"],
      { email: "ada@example.org", return_to: EXAMPLE_RETURN_TO, csrf_token: EXAMPLE_CSRF },
    ),
  },
  responses: {
    200: htmlPage(
      "A page saying a link was sent if the account awaits confirmation.",
      "Check your e-mail",
      "<p>If ada@example.org awaits confirmation, a new link is on its way.</p>",
    ),
    400: pageError,
    429: rateLimitedResponse("registration"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const resolved = await requestForm(c, db, cfg, "The request is not valid.");
    if (resolved instanceof Response) return resolved;
    const { body, request } = resolved;
    const cookieCsrf = getCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE)) ?? "";
    if (cookieCsrf === "" || !timingSafeEqual(cookieCsrf, body.get("csrf_token") ?? ""))
      return htmlResponse(c, simplePage("Form expired", "Go back and try again."), 400);
    const limited = await rateLimited(c, "registration", request.client.clientId);
    if (limited) return limited;
    await resendVerification(db, cfg, request.client.tenantId, (body.get("email") ?? "").trim());
    return htmlResponse(
      c,
      simplePage(
        "Check your e-mail",
        "If an account with that address is waiting for confirmation, we sent it a new link. It works for two days.",
      ),
    );
  });
}
