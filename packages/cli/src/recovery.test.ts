/**
 * `dfda user recover` end to end against the test run's PostgreSQL: the rows it changes are read back
 * with SQL. The account is given a live session, a second factor and a sign-in lock first, as an
 * owner who lost control of it would have.
 */
import { randomUUID } from "node:crypto";
import { connect, type DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { run } from "./main";

const databaseUrl = inject("databaseUrl");
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const slug = `rec-${suffix}`;
const email = `owner-${suffix}@example.org`;

let handle: DbHandle;
let tenantId: string;
let userId: string;

async function dfda(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(
    args,
    { DATABASE_URL: databaseUrl },
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      fetch: () => Promise.reject(new Error("operator commands must not use the network")),
    },
  );
  return { code, stdout, stderr };
}

const rows = <T extends Record<string, unknown>>(sql: string, params: unknown[]) =>
  handle.client.query<T>(sql, params).then((r) => r.rows);

/** What the owner's account holds before the recovery: a live session, a TOTP factor, a lock. */
async function compromise(): Promise<string> {
  const session = randomUUID();
  await handle.client.query(
    `insert into auth_sessions (id_hash, tenant_id, user_id, auth_time, amr, csrf_token, expires_at)
     values ($1, $2, $3, now(), '{pwd}', 'c', now() + interval '1 day')`,
    [session, tenantId, userId],
  );
  await handle.client.query(
    `insert into mfa_totp (tenant_id, user_id, secret_sealed, confirmed_at) values ($1, $2, 'sealed', now())
     on conflict do nothing`,
    [tenantId, userId],
  );
  await handle.client.query(`insert into mfa_recovery_codes (code_hash, tenant_id, user_id) values ($1, $2, $3)`, [
    randomUUID(),
    tenantId,
    userId,
  ]);
  await handle.client.query(
    `insert into auth_throttles (tenant_id, user_id, kind, scope, failures, lockouts, locked_until)
     values ($1, $2, 'password', 'account', 100, 1, now() + interval '1 hour')
     on conflict do nothing`,
    [tenantId, userId],
  );
  return session;
}

beforeAll(async () => {
  handle = await connect(databaseUrl);
  const tenant = await dfda(["tenant", "create", "--slug", slug, "--name", "Recovery"]);
  expect(tenant.code, tenant.stderr).toBe(0);
  tenantId = (JSON.parse(tenant.stdout) as { id: string }).id;
  const user = await dfda([
    "user",
    "create",
    "--tenant",
    slug,
    "--email",
    email,
    "--password",
    "correct horse battery",
  ]);
  expect(user.code, user.stderr).toBe(0);
  userId = (JSON.parse(user.stdout) as { id: string }).id;
});

afterAll(async () => handle?.close());

describe("dfda user recover", () => {
  it("signs the account out everywhere and unlocks it, keeping the second factor unless told", async () => {
    const session = await compromise();
    const result = await dfda(["user", "recover", "--tenant", slug, "--email", email, "--reason", "ticket 41"]);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { user_id: string; revoked_at: string; second_factor_removed: boolean };
    expect(out).toMatchObject({ user_id: userId, second_factor_removed: false });

    const [user] = await rows<{ cut: Date | null }>("select tokens_valid_after as cut from users where id = $1", [
      userId,
    ]);
    expect(user?.cut?.toISOString()).toBe(out.revoked_at);
    const [s] = await rows<{ revoked: boolean }>(
      "select revoked_at is not null as revoked from auth_sessions where id_hash = $1",
      [session],
    );
    expect(s?.revoked).toBe(true);
    expect(await rows("select 1 from auth_throttles where user_id = $1", [userId])).toEqual([]);
    expect(await rows("select 1 from mfa_totp where user_id = $1", [userId])).toHaveLength(1);
    const audit = await rows<{ details: Record<string, unknown> }>(
      "select details from audit_log where tenant_id = $1 and subject_user_id = $2 and action = 'account.recovered'",
      [tenantId, userId],
    );
    expect(audit.map((a) => a.details)).toEqual([
      { by: "operator", reason: "ticket 41", second_factor_removed: false },
    ]);
    const mail = await rows<{ recipient: string }>(
      "select recipient from outbox where tenant_id = $1 and kind = 'account_recovered'",
      [tenantId],
    );
    expect(mail).toEqual([{ recipient: email }]);
  });

  it("removes the TOTP factor and every recovery code with --remove-second-factor", async () => {
    await compromise();
    const result = await dfda([
      "user",
      "recover",
      "--tenant",
      slug,
      "--email",
      email,
      "--reason",
      "lost phone, identity checked in person",
      "--remove-second-factor",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ second_factor_removed: true });
    expect(await rows("select 1 from mfa_totp where user_id = $1", [userId])).toEqual([]);
    expect(await rows("select 1 from mfa_recovery_codes where user_id = $1", [userId])).toEqual([]);
  });

  it("refuses without a reason, and an unknown account, with one clear line", async () => {
    const noReason = await dfda(["user", "recover", "--tenant", slug, "--email", email]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason/);
    const unknown = await dfda(["user", "recover", "--tenant", slug, "--email", `x-${email}`, "--reason", "r"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user with e-mail/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
