/**
 * The Oura subscription step (scripts/oura-webhooks.ts) against Oura's local fake, whose verification
 * GET reaches the connector's own `check` with the key the API would hold (the client secret): the first
 * run creates the subscriptions, a second keeps them; a wrong client or missing options fail plainly.
 */
import { ouraWebhook } from "@dfda/connectors";
import { FakeOura } from "@dfda/connectors/fakes";
import { describe, expect, it } from "vitest";
import { ouraWebhooks } from "./oura-webhooks";

const CLIENT = { clientId: "oura-app", clientSecret: "oura-app-secret" };
const NOW = new Date("2026-11-20T12:00:00Z");

function setup() {
  const vendor = new FakeOura({
    ...CLIENT,
    now: NOW,
    days: 1,
    heartRateEveryMinutes: 60,
    pageSize: 10,
    callbacks: async (request) => {
      const answer = await ouraWebhook.check?.(new URL(request.url), {
        secret: CLIENT.clientSecret,
        verificationCode: undefined,
      });
      return answer?.ok ? Response.json(answer.json) : new Response(null, { status: 404 });
    },
  });
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const env = { OURA_CLIENT_ID: CLIENT.clientId, OURA_CLIENT_SECRET: CLIENT.clientSecret };
  const argv = ["--api-origin", "https://api.example.org", "--oura-api", "https://api.oura.fake.test"];
  return { vendor, out, err, io, env, argv };
}

describe("scripts/oura-webhooks", () => {
  it("creates the subscriptions at the API's webhook URL, then keeps them", async () => {
    const { vendor, out, io, env, argv } = setup();
    expect(await ouraWebhooks(argv, env, vendor.fetch, io, NOW)).toBe(0);
    expect(JSON.parse(out[0] ?? "")).toMatchObject({ renewed: [], kept: [] });
    expect(JSON.parse(out[0] ?? "").created).toHaveLength(6);
    expect(new Set([...vendor.subscriptions.values()].map((s) => s.callback_url))).toEqual(
      new Set(["https://api.example.org/v1/connectors/oura/webhook"]),
    );
    expect(await ouraWebhooks(argv, env, vendor.fetch, io, NOW)).toBe(0);
    expect(JSON.parse(out[1] ?? "").kept).toHaveLength(6);
  });

  it("fails with Oura's refusal for a wrong client, and with usage for missing options", async () => {
    const { vendor, err, io, env, argv } = setup();
    expect(await ouraWebhooks(argv, { ...env, OURA_CLIENT_SECRET: "wrong" }, vendor.fetch, io, NOW)).toBe(1);
    expect(err[0]).toMatch(/^oura-webhooks: Oura subscriptions: the vendor answered 403/);
    expect(vendor.subscriptions.size).toBe(0);
    expect(await ouraWebhooks([], env, vendor.fetch, io, NOW)).toBe(2);
    expect(await ouraWebhooks(argv, {}, vendor.fetch, io, NOW)).toBe(2);
  });
});
