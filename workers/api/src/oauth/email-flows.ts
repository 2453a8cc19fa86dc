/**
 * E-mail address verification and password reset. Messages go to the `outbox` table (a mail plugin
 * delivers them); no e-mail leaves the platform from a request. Links carry single-use tokens of
 * which only a hash is stored; reset links live one hour, verification links two days. Asking for a
 * reset answers the same whether or not the address exists (OWASP Forgot Password Cheat Sheet).
 */

import { hashPassword, randomToken, sha256Hex, timingSafeEqual } from "@dfda/auth";
import { uuidv7 } from "@dfda/core";
import { type Database, emailTokens, outbox, users } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findUserByEmail } from "@dfda/db/repositories/identity";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { and, eq, gt, isNull } from "drizzle-orm";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../lib/types";
import { requestFromReturnTo, safeReturnTo } from "./authorize";
import type { AuthConfig } from "./config";
import { emailFormPage, newPasswordPage, simplePage } from "./pages";
import type { PageHelpers } from "./routes";

const RESET_TTL_S = 60 * 60;
const VERIFY_TTL_S = 2 * 24 * 60 * 60;
const CSRF_COOKIE = "dfda_form_csrf";

async function issueEmailToken(
  db: Database,
  tenantId: string,
  userId: string,
  purpose: "verify_email" | "reset_password",
  ttl: number,
) {
  const token = randomToken();
  await db.insert(emailTokens).values({
    tokenHash: await sha256Hex(token),
    tenantId,
    userId,
    purpose,
    expiresAt: new Date(Date.now() + ttl * 1000),
  });
  return token;
}

/** Marks a token used and returns its user, atomically; null when unknown, used or expired. */
async function consumeEmailToken(db: Database, token: string, purpose: "verify_email" | "reset_password") {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(emailTokens.tokenHash, await sha256Hex(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, new Date()),
      ),
    )
    .returning({ tenantId: emailTokens.tenantId, userId: emailTokens.userId });
  return row ?? null;
}

async function enqueue(
  db: Database,
  message: {
    tenantId: string;
    kind: string;
    recipient: string;
    subject: string;
    bodyText: string;
    payload: Record<string, unknown>;
  },
) {
  await db.insert(outbox).values({ id: uuidv7(), ...message });
}

export const emailFlows = {
  async sendVerification(db: Database, config: AuthConfig, user: { tenantId: string; userId: string; email: string }) {
    const token = await issueEmailToken(db, user.tenantId, user.userId, "verify_email", VERIFY_TTL_S);
    const link = `${config.issuer}/oauth/verify-email?token=${encodeURIComponent(token)}`;
    await enqueue(db, {
      tenantId: user.tenantId,
      kind: "verify_email",
      recipient: user.email,
      subject: "Confirm your e-mail address",
      bodyText: `Confirm your e-mail address by opening this link within two days:\n\n${link}\n`,
      payload: { user_id: user.userId, link },
    });
  },

  register(app: OpenAPIHono<AppEnv>, helpers: PageHelpers) {
    const { config, htmlResponse, formOrPage, rateLimited } = helpers;

    app.get("/oauth/verify-email", async (c) => {
      const db = await c.var.db();
      const row = await consumeEmailToken(db, c.req.query("token") ?? "", "verify_email");
      if (!row)
        return htmlResponse(
          c,
          simplePage("Link expired", "This link is not valid any more. Sign in to get a new one."),
          400,
        );
      await db
        .update(users)
        .set({ emailVerifiedAt: new Date() })
        .where(and(eq(users.tenantId, row.tenantId), eq(users.id, row.userId)));
      await recordAudit(db, {
        tenantId: row.tenantId,
        action: "auth.email_verified",
        outcome: "success",
        actorUserId: row.userId,
        subjectUserId: row.userId,
        requestId: c.var.requestId,
      });
      return htmlResponse(c, simplePage("E-mail confirmed", "Thank you: your e-mail address is confirmed."));
    });

    app.get("/oauth/forgot-password", async (c) => {
      const returnTo = safeReturnTo(c.req.query("return_to"));
      if (!returnTo)
        return htmlResponse(
          c,
          simplePage("Cannot continue", "Open this page from an application's sign-in page."),
          400,
        );
      const csrfToken = randomToken();
      const cfg = config(c);
      setCookie(c, CSRF_COOKIE, csrfToken, {
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
        secure: cfg.issuer.startsWith("https://"),
        maxAge: 3600,
      });
      return htmlResponse(
        c,
        emailFormPage({
          action: "/oauth/forgot-password",
          csrfToken,
          returnTo,
          title: "Reset your password",
          text: "We will e-mail you a link to choose a new password.",
        }),
      );
    });

    app.post("/oauth/forgot-password", async (c) => {
      const cfg = config(c);
      const db = await c.var.db();
      const body = await formOrPage(c);
      if (body instanceof Response) return body;
      const resolved = await requestFromReturnTo(db, cfg, body.get("return_to"));
      if (!resolved) return htmlResponse(c, simplePage("Cannot continue", "The request is not valid."), 400);
      const cookie = getCookie(c, CSRF_COOKIE) ?? "";
      if (cookie === "" || !timingSafeEqual(cookie, body.get("csrf_token") ?? "")) {
        return htmlResponse(c, simplePage("Form expired", "Go back and try again."), 400);
      }
      const limited = await rateLimited(c, "login", resolved.request.client.clientId);
      if (limited) return limited;
      const tenantId = resolved.request.client.tenantId;
      const user = await findUserByEmail(db, tenantId, body.get("email") ?? "");
      if (user && user.status === "active") {
        const token = await issueEmailToken(db, tenantId, user.id, "reset_password", RESET_TTL_S);
        const link = `${cfg.issuer}/oauth/reset-password?token=${encodeURIComponent(token)}`;
        await enqueue(db, {
          tenantId,
          kind: "reset_password",
          recipient: user.email,
          subject: "Reset your password",
          bodyText: `Someone asked to reset the password of this account. If it was you, open this link within one hour:\n\n${link}\n\nIf it was not you, ignore this message.`,
          payload: { user_id: user.id, link },
        });
        await recordAudit(db, {
          tenantId,
          action: "auth.password_reset_requested",
          outcome: "success",
          subjectUserId: user.id,
          requestId: c.var.requestId,
        });
      }
      return htmlResponse(
        c,
        simplePage("Check your e-mail", "If an account uses that address, we sent it a link to reset the password."),
      );
    });

    app.get("/oauth/reset-password", (c) => {
      const cfg = config(c);
      const csrfToken = randomToken();
      setCookie(c, CSRF_COOKIE, csrfToken, {
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
        secure: cfg.issuer.startsWith("https://"),
        maxAge: 3600,
      });
      return htmlResponse(c, newPasswordPage({ csrfToken, token: c.req.query("token") ?? "" }));
    });

    app.post("/oauth/reset-password", async (c) => {
      const db = await c.var.db();
      const body = await formOrPage(c);
      if (body instanceof Response) return body;
      const cookie = getCookie(c, CSRF_COOKIE) ?? "";
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
      await db
        .update(users)
        .set({
          passwordHash: await hashPassword(password),
          failedLoginCount: 0,
          lockedUntil: null,
          updatedAt: new Date(),
        })
        .where(and(eq(users.tenantId, row.tenantId), eq(users.id, row.userId)));
      await recordAudit(db, {
        tenantId: row.tenantId,
        action: "auth.password_reset",
        outcome: "success",
        actorUserId: row.userId,
        subjectUserId: row.userId,
        requestId: c.var.requestId,
      });
      return htmlResponse(
        c,
        simplePage("Password changed", "Your password is changed. Return to the application and sign in."),
      );
    });
  },
};
