/** Failure counters: the address they are kept per, and their cleanup (docs/identity.md, "Lockout"). */
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/helpers";
import { makeTenant, makeUser } from "../../test/identity";
import { addressScope, forgetStaleAttempts } from "./throttle";

describe("addressScope", () => {
  it("keeps an IPv4 address whole, and names a missing one", () => {
    expect(addressScope("198.51.100.7")).toBe("ip:198.51.100.7");
    expect(addressScope("::ffff:198.51.100.7")).toBe("ip:198.51.100.7");
    expect(addressScope(null)).toBe("ip:unknown");
    expect(addressScope("")).toBe("ip:unknown");
  });

  it("counts an IPv6 address by its /64, however it is written (RFC 5952 forms)", () => {
    const scope = "ip:2001:db8:0:1::/64";
    expect(addressScope("2001:db8:0:1::7")).toBe(scope);
    expect(addressScope("2001:0DB8:0000:0001:ffff:1:2:3")).toBe(scope);
    expect(addressScope("2001:db8::1:0:0:0:9")).toBe(scope);
    expect(addressScope("2001:db8:0:2::7")).not.toBe(scope);
    expect(addressScope("::1")).toBe("ip:0:0:0:0::/64");
  });
});

describe("forgetStaleAttempts", () => {
  it("deletes counters untouched for a day, and keeps recent ones and locks still in force", async () => {
    const tenant = await makeTenant();
    const user = await makeUser(tenant);
    const handle = await testDb();
    try {
      const insert = (scope: string, lastAttempt: string, lockedUntil: string | null) =>
        handle.client.query(
          `insert into auth_throttles (tenant_id, user_id, kind, scope, failures, last_attempt_at, locked_until)
           values ($1, $2, 'password', $3, 1, now() - $4::interval, now() + $5::interval)`,
          [tenant.id, user.id, scope, lastAttempt, lockedUntil],
        );
      await insert("ip:192.0.2.1", "2 days", null);
      await insert("ip:192.0.2.2", "1 hour", null);
      await insert("ip:192.0.2.3", "2 days", "1 hour");
      expect(await forgetStaleAttempts(handle.db)).toBeGreaterThanOrEqual(1);
      const { rows } = await handle.client.query<{ scope: string }>(
        "select scope from auth_throttles where user_id = $1 order by scope",
        [user.id],
      );
      expect(rows.map((r) => r.scope)).toEqual(["ip:192.0.2.2", "ip:192.0.2.3"]);
    } finally {
      await handle.close();
    }
  });
});
