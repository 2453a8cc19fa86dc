import { randomToken } from "@dfda/auth";
import { findTenant, findUser, userRoles } from "@dfda/db/repositories/identity";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import { EXAMPLE_CSRF } from "../../lib/examples";
import type { AppEnv } from "../../lib/types";
import { displayUserCode, findPendingDeviceCode, normaliseUserCode, verificationPath } from "../device";
import { configOf, cookieName, cookieOptions, htmlResponse, LOGIN_CSRF_COOKIE, sessionOf } from "../http";
import { secondFactorDue } from "../mfa";
import { htmlPage, internalErrorResponse, mount, rateLimitedResponse, redirect } from "../openapi";
import { deviceCodePage, deviceConsentPage, loginPage } from "../pages";
import { rateLimited } from "../rate-limit";
import { daysAfter, tenantLifetimes } from "../tenant-settings";

export const route = createRoute({
  method: "get",
  path: "/oauth/device",
  operationId: "deviceVerification",
  tags: ["Sign-in pages"],
  security: [],
  summary: "Device verification page (RFC 8628 §3.3)",
  description:
    "Without `user_code`: a form to enter the code a device shows. With it (the form's answer, or the device's " +
    "`verification_uri_complete`): the sign-in page (and second factor) when the person is not signed in to the " +
    "code's organisation, then a page naming the application and its scopes, with the code to compare, to allow " +
    "or deny. Code lookups are rate-limited per client address (RFC 8628 §5.1).",
  request: {
    query: z.object({
      user_code: z
        .string()
        .optional()
        .openapi({ description: "The code the device shows (case and dashes ignored).", example: "BDWP-HQPK" }),
    }),
  },
  responses: {
    200: htmlPage(
      "The code form, the sign-in page or the approval page.",
      "Connect a device",
      `<p>dfda CLI asks to read your observations.</p><form method="post" action="/oauth/device/decision"><input type="hidden" name="user_code" value="BDWP-HQPK"><input type="hidden" name="csrf_token" value="${EXAMPLE_CSRF}"><button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></form>`,
    ),
    303: redirect(
      "To the second-factor step of a signed-in session.",
      `/oauth/mfa?return_to=${encodeURIComponent("/oauth/device?user_code=BDWP-HQPK")}`,
    ),
    400: htmlPage(
      "The code is unknown, expired or already used: the form again.",
      "Connect a device",
      '<p role="alert">That code is not valid or has expired.</p><form method="get" action="/oauth/device"><input name="user_code" autocomplete="off"><button>Continue</button></form>',
    ),
    429: rateLimitedResponse("device"),
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const typed = c.req.query("user_code");
    if (typed === undefined || typed.trim() === "") return htmlResponse(c, deviceCodePage({}));
    // Every lookup counts, so user codes cannot be guessed at speed (RFC 8628 §5.1).
    const limited = await rateLimited(c, "device", null);
    if (limited) return limited;
    const cfg = configOf(c);
    const db = await c.var.db();
    const code = normaliseUserCode(typed) === null ? null : await findPendingDeviceCode(db, typed);
    if (!code) {
      return htmlResponse(
        c,
        deviceCodePage({
          userCode: typed.slice(0, 64),
          error: "That code is not valid. It may have expired or been used: check your device.",
        }),
        400,
      );
    }
    const returnTo = verificationPath(code.userCode);
    const session = await sessionOf(c, db, cfg);
    if (!session || session.tenantId !== code.tenantId) {
      const csrfToken = randomToken();
      setCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), csrfToken, cookieOptions(cfg, 3600));
      return htmlResponse(c, loginPage({ csrfToken, returnTo, tenantName: code.tenantName }));
    }
    if (session.mfaPending) {
      const due = await secondFactorDue(
        db,
        { id: session.tenantId, settings: (await findTenant(db, session.tenantId))?.settings ?? {} },
        session.userId,
        await userRoles(db, session.tenantId, session.userId),
      );
      return c.redirect(`/oauth/mfa${due === "enrol" ? "/enrol" : ""}?return_to=${encodeURIComponent(returnTo)}`, 303);
    }
    const user = await findUser(db, session.tenantId, session.userId);
    const lifetimes = tenantLifetimes((await findTenant(db, session.tenantId))?.settings);
    return htmlResponse(
      c,
      deviceConsentPage({
        csrfToken: session.csrfToken,
        returnTo,
        userCode: displayUserCode(code.userCode),
        clientName: code.client.name,
        logoUri: code.client.logoUri,
        scopes: code.scopes,
        userEmail: user?.email ?? "",
        offlineUntil: daysAfter(new Date(), lifetimes.refreshTokenAbsoluteDays),
      }),
    );
  });
}
