import { randomToken } from "@dfda/auth";
import { findUser } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import { EXAMPLE_RETURN_TO } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { safeReturnTo } from "../authorize";
import { findEmailToken } from "../email-flows";
import { configOf, cookieName, cookieOptions, htmlResponse, LOGIN_CSRF_COOKIE } from "../http";
import { htmlPage, internalErrorResponse, mount, pageError } from "../openapi";
import { simplePage, verifyEmailPage } from "../pages";

export const route = createRoute({
  method: "get",
  path: "/oauth/verify-email",
  operationId: "verifyEmail",
  tags: ["Sign-in pages"],
  security: [],
  summary: "The page an e-mail confirmation link opens",
  description:
    "Asks for the account's password before the address is confirmed (`POST /oauth/verify-email`): opening the " +
    "link uses nothing up, so a mail scanner that fetches it changes nothing, and only the person who chose the " +
    "password and holds the mailbox can confirm. The link's token is single-use and lives two days; only its " +
    "hash is stored.",
  request: {
    query: z.object({
      token: z
        .string()
        .optional()
        .openapi({ description: "The token from the e-mail.", example: "Zp4Lw8Qe2Rt6Yu0Io3Pa7Sd1Fg5Hj9Kl" }),
      return_to: z
        .string()
        .optional()
        .openapi({ description: "The authorization request the person signed up from.", example: EXAMPLE_RETURN_TO }),
    }),
  },
  responses: {
    200: htmlPage(
      "The page asking for the password.",
      "Confirm your e-mail address",
      '<form method="post" action="/oauth/verify-email"><input type="hidden" name="token" value="Zp4Lw8Qe2Rt6Yu0Io3Pa7Sd1Fg5Hj9Kl"><input type="password" name="password"><button>Confirm and sign in</button></form>',
    ),
    400: pageError,
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const cfg = configOf(c);
    const db = await c.var.db();
    const token = c.req.query("token") ?? "";
    const row = await findEmailToken(db, token, "verify_email");
    const user = row ? await findUser(db, row.tenantId, row.userId) : null;
    if (!row || !user)
      return htmlResponse(
        c,
        simplePage("Link expired", "This link is not valid any more. Sign in to get a new one."),
        400,
      );
    const csrfToken = randomToken();
    setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
    return htmlResponse(
      c,
      verifyEmailPage({ csrfToken, token, returnTo: safeReturnTo(c.req.query("return_to")), email: user.email }),
    );
  });
}
