import { allScopes, redirectUriProblem } from "@dfda/core";
import { describe, expect, it } from "vitest";
import {
  clientIdProblem,
  emailProblem,
  grantTypesProblem,
  parseBaseUrl,
  parseRoles,
  parseScopeList,
  passwordProblem,
  slugProblem,
} from "./validate";

describe("redirect URIs (RFC 8252 §7, RFC 6749 §3.1.2)", () => {
  it.each([
    "https://app.example.org/callback",
    "https://app.example.org/cb?tenant=acme",
    "http://127.0.0.1:8976/callback",
    "http://127.0.0.1/callback",
    "http://[::1]:8976/callback",
    "http://localhost:3000/callback",
    "com.example.app:/callback",
    "org.dfda.mobile:/oauth2redirect",
    "a.b:/cb",
    "a.-:/cb",
  ])("accepts %s", (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ["/callback", "not an absolute URI"],
    ["http://app.example.org/callback", "loopback"],
    ["http://127.0.0.2.example.org/cb", "loopback"],
    ["https://app.example.org/cb#frag", "fragment"],
    ["https://app.example.org/cb#", "fragment"],
    ["https://user:pw@app.example.org/cb", "credentials"],
    ["myapp:/callback", "reversed domain"],
    ["javascript:alert(1)", "reversed domain"],
    ["data:text/html,hi", "reversed domain"],
    // The dot must follow the first letter and have a character after it.
    ["a.:/cb", "reversed domain"],
  ])("rejects %s", (uri, reason) => {
    expect(redirectUriProblem(uri)).toContain(reason);
  });

  it("checks a scheme of 50,000 dots", () => {
    const dots = ".".repeat(50_000);
    expect(redirectUriProblem(`a${dots}:/cb`)).toBeNull();
    expect(redirectUriProblem(`a${dots}-:/cb`)).toBeNull();
    expect(redirectUriProblem(`a${dots}!:/cb`)).toContain("not an absolute URI");
  }, 5_000);
});

describe("operator input", () => {
  it("checks slugs, e-mail addresses, passwords and client ids", () => {
    expect(slugProblem("acme-health")).toBeNull();
    expect(slugProblem("a")).toBeNull();
    for (const bad of ["Acme", "-acme", "acme-", "ac me", "", "a".repeat(64)]) expect(slugProblem(bad)).not.toBeNull();
    expect(emailProblem("ada@example.org")).toBeNull();
    expect(emailProblem("ada@localhost")).not.toBeNull();
    expect(passwordProblem("correct horse battery")).toBeNull();
    expect(passwordProblem("short")).toContain("12");
    expect(clientIdProblem("dfda_cli")).toBeNull();
    expect(clientIdProblem("has space")).not.toBeNull();
  });

  it("checks roles and scopes, removing duplicates", () => {
    expect(parseRoles(["admin", "data_owner", "admin"])).toEqual({ roles: ["admin", "data_owner"] });
    expect(parseRoles(["owner"])).toEqual({ problem: expect.stringContaining("Unknown role: owner") });
    expect(parseScopeList(["openid profile", "observations:read", "openid"])).toEqual({
      scopes: ["openid", "profile", "observations:read"],
    });
    expect(parseScopeList(["observations:delete"])).toEqual({ problem: "Unknown scope: observations:delete." });
    expect(parseScopeList(allScopes())).toEqual({ scopes: allScopes() });
  });

  it("allows client_credentials only to confidential clients", () => {
    expect(grantTypesProblem(["authorization_code", "refresh_token"], "public")).toBeNull();
    expect(grantTypesProblem(["client_credentials"], "confidential")).toBeNull();
    expect(grantTypesProblem(["client_credentials"], "public")).toContain("public client");
    expect(grantTypesProblem(["implicit"], "public")).toContain("Unknown grant type: implicit");
  });

  it("normalises the base URL", () => {
    expect(parseBaseUrl("http://127.0.0.1:8787/")).toEqual({ url: "http://127.0.0.1:8787" });
    expect(parseBaseUrl("https://api.example.org/auth/")).toEqual({ url: "https://api.example.org/auth" });
    expect(parseBaseUrl("ftp://x")).toHaveProperty("problem");
    expect(parseBaseUrl("127.0.0.1:8787")).toHaveProperty("problem");
  });
});
