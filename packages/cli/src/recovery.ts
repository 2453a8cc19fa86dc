/**
 * `dfda user recover`: the operator's recovery path for an account whose owner lost control of it
 * (issue 12; docs/identity.md, "Recovery"). A password reset proves only the mailbox, so it leaves the
 * second factor enrolled; a person who lost both the authenticator and the recovery codes needs an
 * operator who has verified them by other means (the platform cannot). The command then, in one
 * transaction: revokes every session, refresh-token family, unredeemed code and access token (as a
 * password reset does), lifts the sign-in locks, removes the second factor when asked (the person
 * enrols a new one at their next sign-in where the tenant requires it), writes `account.recovered` to
 * the tenant's audit log, and queues a notice to the account's address, so that a recovery an
 * attacker talked an operator into does not go unseen (NIST SP 800-63B §6.1.2.3: notify the subscriber
 * of an authenticator change).
 */

import { uuidv7 } from "@dfda/core";
import { outbox } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import {
  clearSignInLocks,
  findTenantBySlug,
  findUserByEmail,
  removeSecondFactor,
  revokeEverything,
} from "@dfda/db/repositories/identity";
import { CommandError, type Env, type Io, parseCommandArgs, printJson, required, UsageError } from "./cli-support";
import { withDatabase } from "./database";
import { emailProblem, slugProblem } from "./validate";

export const USER_RECOVER_HELP = `Usage: dfda user recover --tenant SLUG --email EMAIL --reason TEXT [--remove-second-factor]

Recovers an account for its owner, after you have verified who they are by other means. Revokes every
session, refresh token, unredeemed authorization code and access token of the account, lifts its sign-in
locks, records account.recovered in the tenant's audit log and e-mails the account's address that it
happened. The password is not changed: the owner sets a new one with "Forgot password".
Prints {"user_id", "revoked_at", "second_factor_removed"} as JSON.

Options:
  --tenant SLUG             The tenant's slug.
  --email EMAIL             The account's e-mail address.
  --reason TEXT             Why (a ticket number, how the owner was verified); kept in the audit log.
  --remove-second-factor    Also remove the TOTP authenticator and recovery codes (the owner lost them).
  -h, --help                Show this help.

Needs DATABASE_URL.
`;

export async function userRecover(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "user recover";
  const values = parseCommandArgs(command, args, {
    tenant: { type: "string" },
    email: { type: "string" },
    reason: { type: "string" },
    "remove-second-factor": { type: "boolean" },
  });
  const slug = required(command, "tenant", values.tenant);
  const email = required(command, "email", values.email);
  const reason = required(command, "reason", values.reason).trim();
  const problem = slugProblem(slug) ?? emailProblem(email);
  if (problem !== null) throw new UsageError(problem, command);
  if (reason === "" || reason.length > 500) throw new UsageError("--reason must have 1 to 500 characters.", command);
  const removeFactor = values["remove-second-factor"] === true;

  const result = await withDatabase(env, command, async (db) => {
    const tenant = await findTenantBySlug(db, slug);
    if (!tenant) throw new CommandError(`no tenant with slug "${slug}"`);
    const user = await findUserByEmail(db, tenant.id, email);
    if (!user) throw new CommandError(`no user with e-mail ${email} in tenant "${slug}"`);
    if (user.status !== "active") throw new CommandError(`the account of ${email} is ${user.status}, not active`);
    const at = new Date();
    await db.transaction(async (tx) => {
      await revokeEverything(tx, tenant.id, user.id, at);
      await clearSignInLocks(tx, tenant.id, user.id);
      if (removeFactor) await removeSecondFactor(tx, tenant.id, user.id);
      await recordAudit(tx, {
        tenantId: tenant.id,
        action: "account.recovered",
        outcome: "success",
        subjectUserId: user.id,
        details: { by: "operator", reason, second_factor_removed: removeFactor },
      });
      await tx.insert(outbox).values({
        id: uuidv7(),
        tenantId: tenant.id,
        kind: "account_recovered",
        recipient: user.email,
        subject: "Your account was recovered by an operator",
        bodyText:
          "An operator of this platform recovered your account: every device and app was signed out" +
          (removeFactor ? " and two-step verification was turned off" : "") +
          ". If you did not ask for this, reset your password now and contact your organisation.",
        payload: { second_factor_removed: removeFactor },
      });
    });
    return { user_id: user.id, revoked_at: at.toISOString(), second_factor_removed: removeFactor };
  });
  printJson(io.stdout, result);
}
