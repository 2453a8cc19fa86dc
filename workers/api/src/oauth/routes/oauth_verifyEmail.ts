import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { confirmEmail, consumeEmailToken } from "../email-flows";
import { htmlResponse } from "../http";
import { htmlContent, internalErrorResponse, mount, pageError } from "../openapi";
import { simplePage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/verify-email",
  operationId: "verifyEmail",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Confirm an e-mail address (the link in the sign-up e-mail)",
  description: "The link's token is single-use and lives two days; only its hash is stored.",
  request: { query: z.object({ token: z.string().optional().openapi({ description: "The token from the e-mail." }) }) },
  responses: {
    200: { description: "The address is confirmed.", content: htmlContent },
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const db = await c.var.db();
    const row = await consumeEmailToken(db, c.req.query("token") ?? "", "verify_email");
    if (!row)
      return htmlResponse(
        c,
        simplePage("Link expired", "This link is not valid any more. Sign in to get a new one."),
        400,
      );
    await confirmEmail(db, row, c.var.requestId);
    return htmlResponse(c, simplePage("E-mail confirmed", "Thank you: your e-mail address is confirmed."));
  });
}
