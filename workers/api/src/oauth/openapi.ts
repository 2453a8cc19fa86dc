/**
 * How the authorization server's endpoints appear in the API's OpenAPI document, with the content
 * types their standards prescribe: form-encoded requests (RFC 6749 §4.1.3, RFC 7009 §2.1, RFC 7662
 * §2.1), OAuth's JSON errors (RFC 6749 §5.2, RFC 6750 §3, RFC 7591 §3.2.2), HTML pages and redirects.
 * The route contract test (workers/api/test/routes.contract.test.ts) reads these descriptions.
 */
import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { Handler } from "hono";
import { EXAMPLE_CSRF, EXAMPLE_RETURN_TO, exampleHtml, exampleProblem, exampleProblemOf } from "../lib/examples";
import { rateLimitedError } from "../lib/rate-limit";
import { problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

/**
 * Registers an endpoint: described in the OpenAPI document, and mounted without zod-openapi's request
 * validators, because these endpoints must answer a malformed request in their own standard's format
 * (a page or a redirect to the client, RFC 6749 §4.1.2.1; `invalid_request`, §5.2), never with a
 * problem+json 400. The request schemas are therefore documentation, and each handler checks its input.
 */
export function mount(app: OpenAPIHono<AppEnv>, route: RouteConfig, handler: Handler<AppEnv>): void {
  app.openAPIRegistry.registerPath(route);
  app.on(route.method, route.path, handler);
}

/** RFC 6749 §5.2 error response, also used by RFC 6750 §3, RFC 7009 §2.2.1 and RFC 7591 §3.2.2. */
export const OAuthErrorSchema = z
  .object({
    error: z.string().openapi({
      description:
        "Error code of the OAuth specification that applies (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2).",
      example: "invalid_grant",
    }),
    error_description: z.string().optional().openapi({ example: "The authorization code is not valid." }),
  })
  .openapi("OAuthError");

/**
 * An OAuth error response (RFC 6749 §5.2) with the example a client would receive.
 *
 * @example
 * oauthError("`invalid_client`.", "invalid_client", "Client authentication failed.")
 */
export function oauthError(description: string, error: string, errorDescription: string) {
  return {
    description,
    content: {
      "application/json": { schema: OAuthErrorSchema, example: { error, error_description: errorDescription } },
    },
  };
}

/**
 * A page response with a short example of it (its title and the heart of its form).
 *
 * @example
 * htmlPage("The sign-up form.", "Create an account", '<form method="post" action="/oauth/signup">…</form>')
 */
export function htmlPage(description: string, title: string, body: string) {
  return {
    description,
    content: { "text/html": { schema: { type: "string" as const }, example: exampleHtml(title, body) } },
  };
}

/** A form post (RFC 6749 Appendix B encoding); the handler reads and checks the fields itself. */
export function formBody(
  properties: Record<string, { type: "string"; description?: string }>,
  required: string[],
  example: Record<string, string>,
) {
  return {
    required: true,
    content: {
      "application/x-www-form-urlencoded": { schema: { type: "object" as const, properties, required }, example },
    },
  };
}

/** A redirect response (RFC 9110 §15.4), where it goes, and an example of that. */
export function redirect(description: string, location: string) {
  return {
    description,
    headers: {
      Location: { description: "Where the browser goes next.", schema: { type: "string" as const }, example: location },
    },
  };
}

/** A page that says why it cannot continue (an invalid request, an expired form or session). */
export const pageError = htmlPage("A page saying why it cannot continue.", "Session expired", "<p>Sign in again.</p>");

/** Throttled (RFC 6585 §4): a `rate_limited` problem with `Retry-After`. */
export function rateLimitedResponse(kind: "login" | "token" | "registration" | "device") {
  return problemResponse(
    "Too many attempts (`rate_limited`, with `Retry-After`).",
    exampleProblemOf(rateLimitedError(kind)),
  );
}

/** An unexpected failure, answered as a problem like every other route's. */
export const internalErrorResponse = problemResponse(
  "Unexpected error (`internal_error`); nothing internal is revealed.",
  exampleProblem("internal_error", { detail: "An unexpected error occurred. Quote the request id when reporting it." }),
);

/** Common form fields of the sign-in pages. */
export const returnToField = {
  type: "string",
  description: "The authorization request to return to, as a same-origin path.",
} as const;
export const csrfField = { type: "string", description: "The form's CSRF token." } as const;

/** How a client authenticates in the body (RFC 6749 §2.3.1), the alternative to HTTP Basic. */
export const clientCredentialFields = {
  client_id: { type: "string" },
  client_secret: { type: "string" },
} as const;

/** A form of the second-factor pages: a code, with the session's CSRF token. */
export const codeFormBody = formBody(
  { code: { type: "string" }, return_to: returnToField, csrf_token: csrfField },
  ["code", "return_to", "csrf_token"],
  { code: "492039", return_to: EXAMPLE_RETURN_TO, csrf_token: EXAMPLE_CSRF },
);

/** The `return_to` query of a page opened on the way through an authorization request. */
export const returnToQuery = z.object({
  return_to: z.string().optional().openapi({ description: returnToField.description, example: EXAMPLE_RETURN_TO }),
});
