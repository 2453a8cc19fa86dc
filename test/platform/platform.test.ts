/**
 * The shared platform of this project is the real one: a person made by the operator command signs in
 * through the authorization server and reads their own record; no token, no record.
 */
import { describe, expect, it } from "vitest";
import { baseUrl, newPerson } from "./fixtures";

describe("the platform the SDK, CLI and example tests run against", () => {
  it("serves the API to a person signed in through its own OAuth server, and refuses it without a token", async () => {
    const person = await newPerson();
    const me = await fetch(`${baseUrl}/v1/me/stats`, { headers: { Authorization: `Bearer ${person.accessToken}` } });
    expect(me.status).toBe(200);
    const anonymous = await fetch(`${baseUrl}/v1/me/stats`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
  });
});
