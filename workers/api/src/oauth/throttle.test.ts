/** The address a password counter is kept per (docs/identity.md, "Lockout"). */
import { describe, expect, it } from "vitest";
import { addressScope } from "./throttle";

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
