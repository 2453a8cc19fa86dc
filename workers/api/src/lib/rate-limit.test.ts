/**
 * The API's rate limits through the real app and the runtime's own Rate Limiting binding: each limiter
 * in turn is swapped for RATE_LIMIT_TEST_LIMITER (limit 3 a minute, vitest.config.ts), and 2 × 3 + 1
 * requests are sent. The binding counts in fixed windows; however the window boundary falls, one of at
 * most two windows holds four of the seven, so at least one is refused (RFC 6585 §4: 429 with
 * `Retry-After`, RFC 9110 §10.2.3) as an RFC 9457 problem. Another token, client, address or owner is
 * counted apart and is not refused.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { uuidv7 } from "@dfda/core";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, expectProblem } from "../../test/helpers";
import { clientToken, makeClient, makeTenant, makeUser, type TestClient, type TestUser } from "../../test/identity";
import { newApp } from "../app";
import { RATE_LIMIT_PERIOD_SECONDS } from "./rate-limit";

/** RATE_LIMIT_TEST_LIMITER's limit in vitest.config.ts. */
const LIMIT = 3;
const SENT = 2 * LIMIT + 1;
const testLimiter = (env as Env & { RATE_LIMIT_TEST_LIMITER: RateLimit }).RATE_LIMIT_TEST_LIMITER;
const app = newApp();

type Limiter = "API_TOKEN_LIMITER" | "API_CLIENT_LIMITER" | "API_IP_LIMITER" | "API_GRANTEE_LIMITER";

/** One request through the real app, with `limiter` replaced by the low test limiter. */
async function call(limiter: Limiter, path: string, headers: Record<string, string>): Promise<Response> {
  const ctx = createExecutionContext();
  // Defined, not assigned: an assignment would reach the shared `env` through its prototype chain.
  const bindings = Object.create(env, { [limiter]: { value: testLimiter, enumerable: true } }) as Env;
  const response = await app.fetch(new Request(new URL(path, BASE), { headers }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Sends SENT requests one after another; the statuses, and the first refusal's response. */
async function burst(
  send: (i: number) => Promise<Response>,
): Promise<{ statuses: number[]; refused: Response | undefined }> {
  const statuses: number[] = [];
  let refused: Response | undefined;
  for (let i = 0; i < SENT; i++) {
    const response = await send(i);
    statuses.push(response.status);
    if (response.status === 429 && refused === undefined) refused = response;
    else await response.body?.cancel();
  }
  return { statuses, refused };
}

async function expectRefused(result: { statuses: number[]; refused: Response | undefined }, passed: number) {
  // Every answer is either the route's own or the refusal; at least one is the refusal.
  expect(result.statuses.every((s) => s === passed || s === 429)).toBe(true);
  expect(result.refused).toBeDefined();
  const refused = result.refused as Response;
  expect(refused.headers.get("retry-after")).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
  await expectProblem(refused, 429, "rate_limited");
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

let client: TestClient;
let otherClient: TestClient;
let owner: TestUser;
let otherOwner: TestUser;

beforeAll(async () => {
  const tenant = await makeTenant();
  client = await makeClient(tenant);
  otherClient = await makeClient(tenant);
  owner = await makeUser(tenant);
  otherOwner = await makeUser(tenant);
});

describe("API rate limits", () => {
  it("limits each access token; another token of the same client is counted apart", async () => {
    const token = await clientToken(client);
    await expectRefused(await burst(() => call("API_TOKEN_LIMITER", "/v1/variables", bearer(token))), 200);
    const fresh = await call("API_TOKEN_LIMITER", "/v1/variables", bearer(await clientToken(client)));
    expect(fresh.status).toBe(200);
  });

  it("limits all of a client's tokens together; another client is counted apart", async () => {
    const tokens = [await clientToken(client), await clientToken(client)];
    const result = await burst((i) => call("API_CLIENT_LIMITER", "/v1/variables", bearer(tokens[i % 2] ?? "")));
    await expectRefused(result, 200);
    const other = await call("API_CLIENT_LIMITER", "/v1/variables", bearer(await clientToken(otherClient)));
    expect(other.status).toBe(200);
  });

  it("limits calls without a valid token per IP; another address is counted apart", async () => {
    const ip = `198.51.100.${(Number.parseInt(uuidv7().slice(-2), 16) % 250) + 1}`;
    // Missing and invalid tokens alike: each costs a token check, and neither has a token to count.
    const result = await burst((i) =>
      call("API_IP_LIMITER", "/v1/variables", {
        "CF-Connecting-IP": ip,
        ...(i % 2 === 1 && { Authorization: "Bearer not-a-token" }),
      }),
    );
    await expectRefused(result, 401);
    const other = await call("API_IP_LIMITER", "/v1/variables", {
      "CF-Connecting-IP": `2001:db8::${uuidv7().slice(-4)}`,
    });
    await expectProblem(other, 401, "unauthorized");
  });

  it("limits one grantee's access to one owner's data whatever tokens it holds; another owner is counted apart", async () => {
    // A new token for every request: the per-token limit alone would never stop this loop.
    const tokens = await Promise.all(Array.from({ length: SENT + 1 }, () => clientToken(client)));
    const read = (ownerId: string, token: string) =>
      call("API_GRANTEE_LIMITER", `/v1/observations?user_id=${ownerId}`, bearer(token));
    // No grant: the owner's writer answers 403 (and logs it) until the limit answers first.
    await expectRefused(await burst((i) => read(owner.id, tokens[i] ?? "")), 403);
    const other = await read(otherOwner.id, tokens[SENT] ?? "");
    await expectProblem(other, 403, "forbidden");
  });
});
