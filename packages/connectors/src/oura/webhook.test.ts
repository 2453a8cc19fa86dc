/**
 * Oura's webhooks against the local fake (./fake.ts): the user id read from `personal_info` (Oura's
 * token response names none), the verification GET of a new subscription (`verification_token` and
 * `challenge`, answered here by the connector's own `check`, as the API answers it), the application's
 * subscriptions created, kept and renewed by `ensureOuraSubscriptions`, and the events it then signs.
 */
import { describe, expect, it } from "vitest";
import { webhookToken } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings } from "../test-support";
import { FAKE_OURA_USER_ID, FakeOura } from "./fake";
import { oura, ouraWebhook } from "./index";
import { ensureOuraSubscriptions, OURA_WEBHOOK_DATA_TYPES } from "./subscriptions";

const NOW = new Date("2026-11-20T12:00:00Z");
const settings = fakeVendorSettings("oura");
const CALLBACK = "https://api.example/v1/connectors/oura/webhook";
/** Oura signs with the client secret: the API's webhook secret for `oura` is that value. */
const SECRET = settings.clientSecret;

/** The API's answer to Oura's verification GET: the connector's `check` with the API's keys. */
async function api(request: Request): Promise<Response> {
  const check = ouraWebhook.check;
  if (check === undefined) throw new Error("Oura verifies its callback URL");
  const answer = await check(new URL(request.url), { secret: SECRET, verificationCode: undefined });
  if (!answer.ok) return new Response(null, { status: 404 });
  return Response.json(answer.json);
}

function fake(callbacks: ((request: Request) => Promise<Response>) | undefined = api) {
  return new FakeOura({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    now: NOW,
    days: 2,
    heartRateEveryMinutes: 60,
    pageSize: 50,
    ...(callbacks === undefined ? {} : { callbacks }),
  });
}

const target = async (vendor: FakeOura, verificationToken?: string) => ({
  apiBase: settings.baseUrls.api,
  clientId: settings.clientId,
  clientSecret: settings.clientSecret,
  callbackUrl: CALLBACK,
  verificationToken: verificationToken ?? (await webhookToken(SECRET, "oura")),
  now: vendor.now,
});

describe("Oura webhooks", () => {
  it("asks for the personal scope and reads the user id from personal_info", async () => {
    expect(new URL(oura.authorizeUrl(settings, { state: "s", redirectUri: CALLBACK })).searchParams.get("scope")).toBe(
      "daily heartrate spo2 personal",
    );
    const vendor = fake();
    const tokens = await connectThrough(oura, vendor.fetch, settings, { redirectUri: callbackUri("oura"), now: NOW });
    expect(tokens.vendor_user_id).toBeUndefined();
    expect(await oura.identify?.(vendor.fetch, settings, tokens.access_token, NOW)).toBe(FAKE_OURA_USER_ID);
    await expect(oura.identify?.(vendor.fetch, settings, "not-a-token", NOW)).rejects.toMatchObject({
      kind: "unauthorized",
    });
    vendor.fault({ path: "personal_info", kind: "malformed" });
    await expect(oura.identify?.(vendor.fetch, settings, tokens.access_token, NOW)).rejects.toMatchObject({
      kind: "malformed",
    });
  });

  it("answers the verification GET with the challenge only for the derived verification token", async () => {
    const check = ouraWebhook.check;
    if (check === undefined) throw new Error("Oura verifies its callback URL");
    const token = await webhookToken(SECRET, "oura");
    const keys = { secret: SECRET, verificationCode: undefined };
    const at = (query: string) => new URL(`${CALLBACK}?${query}`);
    expect(await check(at(`verification_token=${token}&challenge=c-1`), keys)).toEqual({
      ok: true,
      json: { challenge: "c-1" },
    });
    expect(await check(at("verification_token=guess&challenge=c-1"), keys)).toEqual({ ok: false });
    expect(await check(at(`verification_token=${token}`), keys)).toEqual({ ok: false });
    expect(
      await check(at(`verification_token=${token}&challenge=c`), { secret: undefined, verificationCode: undefined }),
    ).toEqual({
      ok: false,
    });
  });

  it("creates the application's subscriptions once, keeps them, renews them before they expire", async () => {
    const vendor = fake();
    const first = await ensureOuraSubscriptions(vendor.fetch, await target(vendor));
    expect(first.created).toEqual(OURA_WEBHOOK_DATA_TYPES.flatMap((d) => [`${d}:create`, `${d}:update`]));
    expect(vendor.subscriptions.size).toBe(6);
    expect([...vendor.subscriptions.values()].every((s) => s.callback_url === CALLBACK)).toBe(true);
    const again = await ensureOuraSubscriptions(vendor.fetch, await target(vendor));
    expect(again).toEqual({ created: [], renewed: [], kept: first.created });
    vendor.now = new Date(NOW.getTime() + 80 * 86_400_000);
    const later = await ensureOuraSubscriptions(vendor.fetch, await target(vendor));
    expect(later.renewed).toEqual(first.created);
    expect(
      [...vendor.subscriptions.values()].every(
        (s) => s.expiration_time === new Date(vendor.now.getTime() + 90 * 86_400_000).toISOString(),
      ),
    ).toBe(true);
  });

  it("creates nothing when the callback URL does not answer the challenge, or the client is wrong", async () => {
    const vendor = fake();
    await expect(ensureOuraSubscriptions(vendor.fetch, await target(vendor, "wrong-token"))).rejects.toMatchObject({
      kind: "malformed",
    });
    expect(vendor.subscriptions.size).toBe(0);
    await expect(
      ensureOuraSubscriptions(vendor.fetch, { ...(await target(vendor)), clientSecret: "wrong" }),
    ).rejects.toMatchObject({ kind: "malformed" });
  });

  it("signs each event for the subscribed callback; the connector verifies it and names the user", async () => {
    const vendor = fake();
    await ensureOuraSubscriptions(vendor.fetch, await target(vendor));
    const [event] = await vendor.notifications("daily_activity");
    if (event === undefined) throw new Error("an event");
    expect(event.url).toBe(CALLBACK);
    const body = await event.text();
    expect(await ouraWebhook.verify(event.headers, body, SECRET)).toBe(true);
    expect(await ouraWebhook.verify(event.headers, body, "another")).toBe(false);
    expect(ouraWebhook.vendorUserIds(body)).toEqual([FAKE_OURA_USER_ID]);
    expect(await vendor.notifications("sleep")).toEqual([]);
  });
});
