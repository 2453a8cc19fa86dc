/**
 * The pieces of `dfda login` and `dfda token` that need no server: the callback checks, headless
 * detection, the Basic credentials and argument errors. The flows themselves are tested end to end
 * against the running platform (test/platform/cli-login.test.ts).
 */
import { describe, expect, it } from "vitest";
import { CommandError } from "./cli-support";
import { basicAuthorization, callbackCode, isHeadless } from "./login";
import { run } from "./main";

describe("authorization response", () => {
  const issuer = "http://127.0.0.1:8787";

  it("returns the code when state and issuer match", () => {
    const location = new URL(`http://127.0.0.1:8976/callback?code=abc&state=s1&iss=${encodeURIComponent(issuer)}`);
    expect(callbackCode(location, "s1", issuer)).toBe("abc");
  });

  it("rejects another state, another issuer, and reports errors", () => {
    const at = (query: string) => new URL(`http://127.0.0.1:8976/callback?${query}`);
    expect(() => callbackCode(at("code=abc&state=other"), "s1", issuer)).toThrow("state mismatch");
    expect(() => callbackCode(at("code=abc&state=s1&iss=https%3A%2F%2Fevil.example"), "s1", issuer)).toThrow(
      "issuer mismatch",
    );
    expect(() =>
      callbackCode(at("error=access_denied&error_description=The+user+denied+the+request.&state=s1"), "s1", issuer),
    ).toThrow(new CommandError("authorization failed: access_denied: The user denied the request."));
    expect(() => callbackCode(at("state=s1"), "s1", issuer)).toThrow("has no code");
  });
});

describe("headless detection (dfda login picks the device grant)", () => {
  it("is headless on Linux without DISPLAY or WAYLAND_DISPLAY, unless BROWSER names one", () => {
    expect(isHeadless({}, "linux")).toBe(true);
    expect(isHeadless({ DISPLAY: ":0" }, "linux")).toBe(false);
    expect(isHeadless({ WAYLAND_DISPLAY: "wayland-0" }, "linux")).toBe(false);
    expect(isHeadless({ BROWSER: "firefox" }, "linux")).toBe(false);
    expect(isHeadless({}, "darwin")).toBe(false);
    expect(isHeadless({}, "win32")).toBe(false);
  });
});

describe("client authentication", () => {
  it("form-urlencodes id and secret before Basic encoding (RFC 6749 §2.3.1)", () => {
    const header = basicAuthorization("my client", "s3cr:t/+é");
    const decoded = Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8");
    expect(decoded).toBe("my+client:s3cr%3At%2F%2B%C3%A9");
  });
});

describe("usage errors come before any request", () => {
  const noNetwork = () => Promise.reject(new Error("no request expected"));

  async function dfda(args: string[], env: Record<string, string> = {}) {
    let stderr = "";
    const code = await run(args, env, {
      stdout: { write: () => undefined },
      stderr: { write: (t: string) => (stderr += t) },
      fetch: noNetwork,
    });
    return { code, stderr };
  }

  it("asks for the base URL (or DFDA_BASE_URL), one way to sign in, and the client secret of dfda token", async () => {
    expect(await dfda(["login"])).toEqual({ code: 2, stderr: expect.stringContaining("--base-url is required") });
    expect(await dfda(["login", "--base-url", "localhost:8787"])).toEqual({
      code: 2,
      stderr: expect.stringContaining("not an http or https URL"),
    });
    expect(await dfda(["login", "--device", "--browser"], { DFDA_BASE_URL: "http://127.0.0.1:8787" })).toEqual({
      code: 2,
      stderr: expect.stringContaining("choose --device or --browser"),
    });
    expect(await dfda(["login", "--email", "a@example.org"], { DFDA_BASE_URL: "http://127.0.0.1:8787" })).toEqual({
      code: 2,
      stderr: expect.stringContaining("--email"),
    });
    expect(await dfda(["token", "--base-url", "http://127.0.0.1:8787", "--client-id", "c"])).toEqual({
      code: 2,
      stderr: expect.stringContaining("--client-secret is required"),
    });
  });

  it("fails with exit code 1 and a plain message when the server cannot be reached", async () => {
    const result = await dfda([
      "token",
      "--base-url",
      "http://127.0.0.1:8787",
      "--client-id",
      "c",
      "--client-secret",
      "s",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "cannot reach the server at http://127.0.0.1:8787/.well-known/oauth-authorization-server",
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
