/**
 * Failed-attempt counters with exponential backoff, for passwords and second factors (OWASP
 * Authentication Cheat Sheet, "Account lockout"; OWASP ASVS 4.0 V2.2.1: anti-automation that works
 * against brute force without letting an attacker lock the owner out). One row per (account, kind,
 * scope) in `auth_throttles`.
 *
 * An attempt is counted *before* the secret is checked (`reserveAttempt`), in one atomic upsert that
 * refuses while the counter is locked, so concurrent guesses cannot slip past the threshold between a
 * check and a write: at most `threshold` secrets are ever checked per lock period. The attempt that
 * reaches the threshold sets the lock; if it turns out correct, `clearAttempts` lifts it again. Every
 * lock lasts `baseSeconds · 2^(previous locks)`, capped at `capSeconds`; counters untouched for
 * `forgetAfterSeconds` start afresh. Times are the database's `now()`, one clock for every isolate,
 * which tests move by editing `locked_until`.
 */
import type { Database, Executor } from "@dfda/db";
import { type SQL, sql } from "drizzle-orm";

export interface BackoffPolicy {
  /** Attempts allowed before a lock (at least 2); the attempt that reaches it locks if it fails. */
  threshold: number;
  /** The first lock's length; each further lock doubles it. */
  baseSeconds: number;
  capSeconds: number;
  /** A counter without attempts for this long is forgotten (failures and lock history). */
  forgetAfterSeconds: number;
}

const DAY = 24 * 60 * 60;

/**
 * Password failures from one address against one account: the owner at another address is not
 * affected by them (lockout is not a denial-of-service weapon).
 */
export const PASSWORD_PER_ADDRESS: BackoffPolicy = {
  threshold: 5,
  baseSeconds: 60,
  capSeconds: 60 * 60,
  forgetAfterSeconds: DAY,
};

/**
 * The ceiling over every address, against guessing distributed over many addresses: high enough that
 * one address (held to 5 per lock, with doubling locks) needs many hours to reach it.
 */
export const PASSWORD_PER_ACCOUNT: BackoffPolicy = {
  threshold: 100,
  baseSeconds: 60,
  capSeconds: 60 * 60,
  forgetAfterSeconds: DAY,
};

/** Second-factor failures per account (TOTP and recovery codes together), wherever they are tried. */
export const SECOND_FACTOR: BackoffPolicy = {
  threshold: 5,
  baseSeconds: 60,
  capSeconds: 60 * 60,
  forgetAfterSeconds: DAY,
};

export interface ThrottleKey {
  tenantId: string;
  userId: string;
  kind: "password" | "second_factor";
  /** `account`, or `ip:<address>`. */
  scope: string;
}

/**
 * The scope of one address's counter; requests without a client address share one. An IPv6 address
 * counts by its /64 prefix, since one subscriber is usually given a whole /64 (RFC 6177) and could
 * otherwise rotate through fresh addresses for free.
 */
export function addressScope(ip: string | null): string {
  if (ip === null || ip === "") return "ip:unknown";
  // IPv4, or IPv4 written as IPv6 (`::ffff:198.51.100.7`, RFC 4291 §2.5.5.2): the IPv4 address.
  if (ip.includes(".")) return `ip:${ip.slice(ip.lastIndexOf(":") + 1)}`;
  const [head = "", tail] = ip.toLowerCase().split("::", 2);
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  const prefix = groups.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  return `ip:${prefix.join(":")}::/64`;
}

export const ACCOUNT_SCOPE = "account";

export type Attempt =
  /** The secret may be checked; `locksOnFailure` when this attempt set the lock (it stands if the secret is wrong). */
  | { allowed: true; locksOnFailure: boolean }
  /** Locked: nothing may be checked for `retryAfter` seconds. */
  | { allowed: false; retryAfter: number };

/** Counts an attempt, or refuses it while the counter is locked. */
export async function reserveAttempt(db: Database, key: ThrottleKey, policy: BackoffPolicy): Promise<Attempt> {
  const stale = sql`t.last_attempt_at < now() - make_interval(secs => ${policy.forgetAfterSeconds})`;
  const failures = sql`(case when ${stale} then 0 else t.failures end)`;
  const lockouts = sql`(case when ${stale} then 0 else t.lockouts end)`;
  const locking = sql`(${failures} + 1 >= ${policy.threshold})`;
  const lockFor = (previous: SQL) =>
    sql`make_interval(secs => least(${policy.baseSeconds}::float8 * power(2, ${previous}), ${policy.capSeconds}))`;
  const result = await db.execute<{ locked_until: Date | string | null }>(sql`
    insert into auth_throttles as t (tenant_id, user_id, kind, scope, failures, lockouts, locked_until, last_attempt_at)
    values (${key.tenantId}, ${key.userId}, ${key.kind}, ${key.scope}, 1, 0, null, now())
    on conflict (tenant_id, user_id, kind, scope) do update set
      failures = case when ${locking} then 0 else ${failures} + 1 end,
      lockouts = case when ${locking} then ${lockouts} + 1 else ${lockouts} end,
      locked_until = case when ${locking} then now() + ${lockFor(lockouts)} else null end,
      last_attempt_at = now()
    where t.locked_until is null or t.locked_until <= now()
    returning t.locked_until`);
  const row = result.rows[0];
  if (row) return { allowed: true, locksOnFailure: row.locked_until !== null };
  return { allowed: false, retryAfter: await retryAfter(db, key) };
}

/** Seconds until the counter unlocks (at least 1), read from the database's clock. */
async function retryAfter(db: Database, key: ThrottleKey): Promise<number> {
  const result = await db.execute<{ seconds: number | string | null }>(sql`
    select ceil(extract(epoch from locked_until - now())) as seconds from auth_throttles
    where tenant_id = ${key.tenantId} and user_id = ${key.userId} and kind = ${key.kind} and scope = ${key.scope}`);
  return Math.max(1, Number(result.rows[0]?.seconds ?? 1));
}

/** Whether any of the counters is locked now, and for how long; read-only. */
export async function lockedFor(db: Database, keys: readonly ThrottleKey[]): Promise<number | null> {
  let longest: number | null = null;
  for (const key of keys) {
    const result = await db.execute<{ seconds: number | string | null }>(sql`
      select ceil(extract(epoch from locked_until - now())) as seconds from auth_throttles
      where tenant_id = ${key.tenantId} and user_id = ${key.userId} and kind = ${key.kind} and scope = ${key.scope}
        and locked_until > now()`);
    const seconds = result.rows[0]?.seconds;
    if (seconds !== undefined && seconds !== null) longest = Math.max(longest ?? 0, Math.max(1, Number(seconds)));
  }
  return longest;
}

/** A success: the counters start again from nothing (and any lock this attempt set is lifted). */
export async function clearAttempts(db: Database, keys: readonly ThrottleKey[]): Promise<void> {
  for (const key of keys) {
    await db.execute(sql`
      delete from auth_throttles
      where tenant_id = ${key.tenantId} and user_id = ${key.userId} and kind = ${key.kind} and scope = ${key.scope}`);
  }
}

/** Forgets every counter of a kind for an account (a password reset proves the owner). */
export async function clearAllAttempts(db: Executor, tenantId: string, userId: string, kind: ThrottleKey["kind"]) {
  await db.execute(
    sql`delete from auth_throttles where tenant_id = ${tenantId} and user_id = ${userId} and kind = ${kind}`,
  );
}

/**
 * Deletes counters that are forgotten anyway (no attempt for a day, no lock in force): the addresses
 * that once failed against an account would otherwise pile up. Run by the API's weekly Cron Trigger.
 */
export async function forgetStaleAttempts(db: Database): Promise<number> {
  const forget = Math.max(
    PASSWORD_PER_ADDRESS.forgetAfterSeconds,
    PASSWORD_PER_ACCOUNT.forgetAfterSeconds,
    SECOND_FACTOR.forgetAfterSeconds,
  );
  const result = await db.execute(sql`
    delete from auth_throttles
    where last_attempt_at < now() - make_interval(secs => ${forget}) and (locked_until is null or locked_until <= now())`);
  return result.rowCount ?? 0;
}
