/**
 * Test helpers for the API Worker, used inside the Workers runtime: requests go through the real
 * Worker entry (`exports.default.fetch`), with the real Hyperdrive binding to the test database.
 */

import { env, exports } from "cloudflare:workers";
import type { ProblemDetails } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { expect } from "vitest";

export const BASE = "http://127.0.0.1:8787";

export function api(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, BASE), init));
}

export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Asserts an RFC 9457 problem response with the given status and code, and returns its body. */
export async function expectProblem(response: Response, status: number, code: string): Promise<ProblemDetails> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await json<ProblemDetails>(response);
  expect(body).toMatchObject({ status, code });
  expect(body.type).toBe(`${BASE}/problems/${code}`);
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  expect(body.request_id).toBe(response.headers.get("x-request-id"));
  return body;
}

/** A direct connection to the test database, for arranging rows a test needs. */
export function testDb(): Promise<DbHandle> {
  return connect(env.HYPERDRIVE.connectionString);
}
