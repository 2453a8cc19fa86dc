/**
 * The token and consent lifetimes a tenant sets in `tenants.settings` (JSON). Operators set them with
 * SQL (docs/identity.md, "Token and access lifetimes"); there is no API route for tenant settings.
 *
 * - `refresh_token_absolute_days` (default 90): a refresh-token family ends this long after the sign-in
 *   that started it, however often it is used (RFC 9700 §4.14.2: refresh tokens should expire).
 * - `refresh_token_idle_days` (default 30): a family ends when it has not been used for this long.
 * - `background_access_days` (default 90): how long background access (an app's own servers reading
 *   through client credentials, RFC 6749 §4.4) lasts once a person ticks it on the consent screen.
 *
 * Each value is a whole number of days from 1 to 3650. A value that is not is ignored (the default
 * applies) and logged, so a typo in one setting neither locks a tenant out nor lets tokens live forever.
 */
import { z } from "zod";

export interface TenantLifetimes {
  refreshTokenAbsoluteDays: number;
  refreshTokenIdleDays: number;
  backgroundAccessDays: number;
}

export const DEFAULT_LIFETIMES: TenantLifetimes = {
  refreshTokenAbsoluteDays: 90,
  refreshTokenIdleDays: 30,
  backgroundAccessDays: 90,
};

const Days = z.number().int().min(1).max(3650);

const KEYS = {
  refreshTokenAbsoluteDays: "refresh_token_absolute_days",
  refreshTokenIdleDays: "refresh_token_idle_days",
  backgroundAccessDays: "background_access_days",
} as const satisfies Record<keyof TenantLifetimes, string>;

/**
 * The lifetimes of a tenant's `settings` object.
 *
 * @example
 * tenantLifetimes({ refresh_token_absolute_days: 30 }) // { refreshTokenAbsoluteDays: 30, refreshTokenIdleDays: 30, backgroundAccessDays: 90 }
 */
export function tenantLifetimes(settings: Record<string, unknown> | null | undefined): TenantLifetimes {
  const out = { ...DEFAULT_LIFETIMES };
  for (const [field, key] of Object.entries(KEYS) as Array<[keyof TenantLifetimes, string]>) {
    const raw = settings?.[key];
    if (raw === undefined) continue;
    const parsed = Days.safeParse(raw);
    if (parsed.success) out[field] = parsed.data;
    else console.warn(JSON.stringify({ level: "warn", event: "tenant_setting_invalid", setting: key }));
  }
  return out;
}

const DAY_MS = 86_400_000;

/** `days` after `from`. */
export function daysAfter(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

/** A date as the consent screen shows it: "5 March 2027" (UTC, the platform's clock). */
export function longDate(at: Date): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    at,
  );
}
