import { totp } from "@dfda/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm } from "../../test/browser";
import { api, expectProblem, json } from "../../test/helpers";
import {
  CHALLENGE,
  clientToken,
  exchangeCode,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  userToken,
  userTokenWithSecondFactor,
} from "../../test/identity";

let tenant: TestTenant;
let client: TestClient;

beforeAll(async () => {
  tenant = await makeTenant();
  // First-party: second-factor changes need the person themselves in one of the platform's own apps.
  client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "profile:write", "observations:read"],
    firstParty: true,
  });
});

function call(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return api(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A token of a sign-in with the second factor (`code`: a current TOTP or a recovery code). */
describe("/v1/me/mfa/totp", () => {
  it("turns two-step verification on with a code, then off with a recovery code", async () => {
    const user = await makeUser(tenant);
    const token = await userToken(client, user, "openid profile:write");
    const start = await call(token, "POST", "/v1/me/mfa/totp");
    expect(start.status).toBe(201);
    const { secret, otpauth_uri } = await json<{ secret: string; otpauth_uri: string }>(start);
    expect(otpauth_uri).toMatch(/^otpauth:\/\/totp\/dFDA:.+secret=[A-Z2-7]+/);

    await expectProblem(
      await call(token, "POST", "/v1/me/mfa/totp/confirm", { code: "000000" }),
      400,
      "validation_failed",
    );
    const confirm = await call(token, "POST", "/v1/me/mfa/totp/confirm", { code: await totp(secret, Date.now()) });
    expect(confirm.status).toBe(200);
    const { recovery_codes } = await json<{ recovery_codes: string[] }>(confirm);
    expect(new Set(recovery_codes).size).toBe(10);

    // From now on the person has a second factor: a token of a password-only sign-in no longer
    // qualifies (amr lacks otp, RFC 8176), so they sign in again with it (a recovery code here).
    await expectProblem(await call(token, "POST", "/v1/me/mfa/totp"), 401, "reauthentication_required");
    const stepped = await userTokenWithSecondFactor(client, user, "openid profile:write", recovery_codes[1] ?? "");
    await expectProblem(await call(stepped, "POST", "/v1/me/mfa/totp"), 409, "conflict");
    const wrong = await expectProblem(
      await call(stepped, "DELETE", "/v1/me/mfa/totp", { code: "123456" }),
      400,
      "validation_failed",
    );
    expect(wrong.errors?.[0]?.path).toBe("code");
    const off = await call(stepped, "DELETE", "/v1/me/mfa/totp", { code: recovery_codes[0] });
    expect(off.status).toBe(204);
    // Off means a new enrolment can start.
    expect((await call(stepped, "POST", "/v1/me/mfa/totp")).status).toBe(201);
  });

  it("refuses a malformed code with the field named", async () => {
    const token = await userToken(client, await makeUser(tenant), "openid profile:write");
    const problem = await expectProblem(
      await call(token, "POST", "/v1/me/mfa/totp/confirm", { code: "abc" }),
      400,
      "validation_failed",
    );
    expect(problem.errors?.[0]).toMatchObject({ location: "body", path: "code" });
  });

  it("does not let an administrator turn it off", async () => {
    const admin = await makeUser(tenant, ["admin"]);
    // Administrators enrol at their first sign-in; then they sign in with a code and get a token.
    const q = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: "openid profile:write",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    });
    const browser = new Browser(client.redirectUri);
    const enrol = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), admin.email, admin.password, null);
    const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(enrol.html)?.[1] ?? "";
    const codes = await browser.submit(findForm(enrol.html, "/oauth/mfa/enrol"), {
      code: await totp(secret, Date.now()),
    });
    const recovery = /<li><code>([^<]+)<\/code><\/li>/.exec(codes.html)?.[1] ?? "";
    const consent = await browser.open(`/oauth/authorize?${q}`);
    const end = await browser.submit(findForm(consent.html, "/oauth/consent"), { decision: "approve" });
    const accessToken = await exchangeCode(client, new URL(end.location ?? "").searchParams.get("code") ?? "");
    await expectProblem(await call(accessToken, "DELETE", "/v1/me/mfa/totp", { code: recovery }), 403, "forbidden");
  });

  it("is for people: a client acting for itself is refused", async () => {
    const token = await clientToken(await makeClient(tenant, { scopes: ["profile:write"] }), "profile:write");
    // No person is present behind a client-credentials token: refused before anything else is looked at.
    await expectProblem(await call(token, "POST", "/v1/me/mfa/totp"), 403, "first_party_only");
  });

  it("needs the profile:write scope", async () => {
    const token = await userToken(client, await makeUser(tenant), "openid observations:read");
    const res = await call(token, "POST", "/v1/me/mfa/totp");
    await expectProblem(res, 403, "forbidden");
    expect(res.headers.get("www-authenticate")).toContain('scope="profile:write"');
  });
});
