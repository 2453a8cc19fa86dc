/**
 * The data commands' own rules, in-process and without a server: usage errors (exit 2) before any
 * request, "not signed in", the one-line messages of the SDK's failures, and the token store that
 * writes rotated tokens back. Against the running platform: test/platform/cli-data.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DfdaAuthError, DfdaError, DfdaNetworkError, DfdaProblem } from "@dfda/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { saveCredentials } from "./credentials";
import { run } from "./main";
import { csvField } from "./observations";
import { CredentialsTokenStore, sdkErrorMessage } from "./session";

const home = mkdtempSync(join(tmpdir(), "dfda-data-test-"));
const env = { XDG_CONFIG_HOME: home };
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function dfda(args: string[], environment: Record<string, string> = env) {
  let stdout = "";
  let stderr = "";
  const code = await run(args, environment, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

describe("usage errors, before any request", () => {
  it.each([
    [["upload"], "FILE is required."],
    [["upload", "a.csv", "b.csv"], "unexpected argument: b.csv"],
    [["upload", "/no/such/file.csv"], "cannot read /no/such/file.csv: ENOENT"],
    [["jobs", "watch"], "the job ID is required."],
    [["jobs", "watch", "not-an-id"], "the job ID not-an-id is not an id"],
    [["observations", "--format", "xml"], "unknown --format xml; use table, csv, ndjson."],
    [["observations", "--limit", "0"], "--limit 0 is not a positive whole number."],
    [["observations", "--limit", "1e3"], "--limit 1e3 is not a positive whole number."],
    [["export"], "--format is required."],
    [["export", "--format", "pdf"], "unknown --format pdf; use json, csv, fhir-ndjson."],
    [["export", "--format", "csv", "--download", ""], "--download needs a folder."],
    [["connections", "sync", "x"], "the connection ID x is not an id"],
    [["connections", "extra"], "unexpected argument: extra"],
    [["consents", "revoke"], "the grant ID is required."],
    [["consents", "grant", "--grantee", "doctor"], "--grantee must be TYPE:ID"],
    [["consents", "grant", "--grantee", "user:"], "--grantee must be TYPE:ID"],
    [["consents", "grant", "--grantee", "user:u1"], "--action is required"],
    [["consents", "grant", "--grantee", "user:u1", "--action", "delete"], "unknown --action delete"],
    [["consents", "grant", "--grantee", "user:u1", "--action", "read"], "name what the grant covers"],
    [["observations", "--base-url", "ftp://x"], "is not an http or https URL"],
  ])("dfda %j", async (args, message) => {
    const result = await dfda(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("--help for usage.");
  });

  it("lists the jobs commands for dfda jobs alone", async () => {
    const result = await dfda(["jobs"]);
    expect(result).toMatchObject({ code: 2, stdout: "Commands: dfda jobs watch. Run dfda jobs watch --help.\n" });
  });

  it("says to sign in when no credentials are saved (exit 1)", async () => {
    for (const args of [["observations"], ["connections"], ["consents"], ["export", "--format", "csv"]]) {
      const result = await dfda(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^dfda [a-z]+: not signed in: run dfda login first\n$/);
    }
  });
});

describe("sdkErrorMessage", () => {
  it("puts a problem in one line: status, code, detail, each field and the request id", () => {
    const problem = new DfdaProblem(
      400,
      {
        code: "validation_failed",
        detail: "Invalid query from.",
        request_id: "req-1",
        errors: [{ location: "query", pointer: "/from", message: "Invalid ISO datetime" }],
      },
      null,
    );
    expect(sdkErrorMessage(problem, env)).toBe(
      "400 validation_failed: Invalid query from. [query /from: Invalid ISO datetime] (request req-1)",
    );
    const unauthorized = new DfdaProblem(401, { code: "unauthorized", title: "Unauthorized" }, "req-2");
    expect(sdkErrorMessage(unauthorized, env)).toBe("401 unauthorized: Unauthorized (request req-2); run dfda login");
  });

  it("says to sign in again when the refresh is refused or impossible", () => {
    const refused = sdkErrorMessage(new DfdaAuthError("invalid_grant", "the refresh token was used"), env);
    expect(refused).toBe(
      `the saved sign-in could not be renewed (invalid_grant: the refresh token was used); run dfda login (credentials: ${join(home, "dfda", "credentials.json")})`,
    );
    expect(
      sdkErrorMessage(
        new DfdaError("the access token expired and there is no refresh token to renew it: sign in again"),
        env,
      ),
    ).toContain("(run dfda login)");
    expect(sdkErrorMessage(new DfdaNetworkError("GET http://127.0.0.1:9/v1/x: fetch failed"), env)).toBe(
      "cannot reach the server: GET http://127.0.0.1:9/v1/x: fetch failed",
    );
  });
});

describe("CredentialsTokenStore", () => {
  it("writes rotated tokens back whole and 0600, keeping the server and client they belong to", async () => {
    const own = mkdtempSync(join(tmpdir(), "dfda-store-test-"));
    try {
      const ownEnv = { XDG_CONFIG_HOME: own };
      const initial = {
        base_url: "http://127.0.0.1:8787",
        client_id: "dfda-cli",
        access_token: "a1",
        token_type: "Bearer",
        expires_at: 1,
        scope: "openid offline_access",
        refresh_token: "r1",
        id_token: "i1",
      };
      await saveCredentials(ownEnv, initial);
      const store = new CredentialsTokenStore(ownEnv, initial);
      expect(store.load()).toEqual({
        access_token: "a1",
        token_type: "Bearer",
        expires_at: 1,
        scope: "openid offline_access",
        refresh_token: "r1",
        id_token: "i1",
      });
      await store.save({ access_token: "a2", token_type: "Bearer", refresh_token: "r2", expires_at: 99 });
      const file = join(own, "dfda", "credentials.json");
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
        ...initial,
        access_token: "a2",
        refresh_token: "r2",
        expires_at: 99,
      });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(join(own, "dfda"))).toEqual(["credentials.json"]);
      expect(store.load().refresh_token).toBe("r2");
      await store.save(null);
      expect(readdirSync(join(own, "dfda"))).toEqual([]);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe("csvField (RFC 4180 §2)", () => {
  it("quotes fields with commas, quotes or line breaks, doubling quotes", () => {
    expect([null, 1.5, true, "plain", "a,b", 'say "hi"', "two\nlines", "cr\r"].map(csvField)).toEqual([
      "",
      "1.5",
      "true",
      "plain",
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r"',
    ]);
  });
});
