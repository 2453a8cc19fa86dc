import { describe, expect, it } from "vitest";
import { CookieJar, splitSetCookie } from "./cookies";

const origin = new URL("http://127.0.0.1:8787/oauth/authorize?x=1");

function headers(...cookies: string[]): Headers {
  const h = new Headers();
  for (const c of cookies) h.append("Set-Cookie", c);
  return h;
}

describe("CookieJar", () => {
  it("sends cookies back to the same origin only, by path", () => {
    const jar = new CookieJar();
    jar.store(
      origin,
      headers("dfda_login_csrf=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600", "scoped=1; Path=/oauth/mfa"),
    );
    expect(jar.header(new URL("http://127.0.0.1:8787/oauth/login"))).toBe("dfda_login_csrf=abc");
    expect(jar.header(new URL("http://127.0.0.1:8787/oauth/mfa?return_to=x"))).toBe("scoped=1; dfda_login_csrf=abc");
    expect(jar.header(new URL("http://127.0.0.1:8787/oauth/mfaX"))).toBe("dfda_login_csrf=abc");
    expect(jar.header(new URL("http://localhost:8787/oauth/login"))).toBeNull();
    expect(jar.header(new URL("http://127.0.0.1:9999/oauth/login"))).toBeNull();
  });

  it("replaces, expires and deletes cookies", () => {
    let now = 1_000_000;
    const jar = new CookieJar(() => now);
    jar.store(origin, headers("a=1; Path=/; Max-Age=10", "b=2; Path=/"));
    jar.store(origin, headers("a=3; Path=/; Max-Age=10"));
    expect(jar.header(origin)).toBe("a=3; b=2");
    jar.store(origin, headers("b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
    expect(jar.header(origin)).toBe("a=3");
    now += 11_000;
    expect(jar.header(origin)).toBeNull();
  });

  it("keeps Secure cookies to https (and loopback)", () => {
    const jar = new CookieJar();
    const https = new URL("https://auth.example.org/oauth/login");
    jar.store(https, headers("__Host-dfda_session=s; Path=/; Secure; HttpOnly"));
    expect(jar.header(new URL("https://auth.example.org/oauth/authorize"))).toBe("__Host-dfda_session=s");
    const plain = new URL("http://auth.example.org/oauth/login");
    jar.store(plain, headers("x=1; Secure"));
    expect(jar.header(plain)).toBeNull();
  });

  it("splits a combined Set-Cookie header without breaking Expires dates", () => {
    expect(splitSetCookie("a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/, b=2")).toEqual([
      "a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/",
      "b=2",
    ]);
  });
});
