/**
 * Withings' Notify against the local fake (./fake.ts): subscribing each category after connecting (the
 * fake first sends a HEAD to the callback URL, answered here by the connector's own `check`, as the API
 * answers it), the unsigned form-encoded notifications authenticated by the token in the callback URL,
 * and revoking the subscriptions before disconnecting.
 */
import { describe, expect, it } from "vitest";
import { type ConnectorSettings, VendorError, webhookToken } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings } from "../test-support";
import { FAKE_WITHINGS_USERID, FakeWithings } from "./fake";
import { WITHINGS_NOTIFY_APPLIS, withings, withingsWebhook } from "./index";

const NOW = new Date("2026-11-20T12:00:00Z");
const SECRET = "withings-webhook-secret";
const CALLBACK = "https://api.example/v1/connectors/withings/webhook";
const settings: ConnectorSettings = {
  ...fakeVendorSettings("withings"),
  webhook: { callbackUrl: CALLBACK, secret: SECRET },
};

/** The API's answer to a check of the URL: the connector's `check` with the API's keys. */
async function api(request: Request): Promise<Response> {
  const check = withingsWebhook.check;
  if (check === undefined) throw new Error("Withings checks its callback URL");
  const answer = await check(new URL(request.url), { secret: SECRET, verificationCode: undefined });
  return new Response(null, { status: answer.ok ? 204 : 404 });
}

function fake(callbacks: ((request: Request) => Promise<Response>) | undefined = api) {
  return new FakeWithings({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    now: NOW,
    days: 3,
    pageSize: 5,
    ...(callbacks === undefined ? {} : { callbacks }),
  });
}

const connect = (vendor: FakeWithings) =>
  connectThrough(withings, vendor.fetch, settings, { redirectUri: callbackUri("withings"), now: NOW });

describe("Withings notifications", () => {
  it("subscribes each category with a callback URL carrying the token, after Withings' HEAD check", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(tokens.vendor_user_id).toBe(String(FAKE_WITHINGS_USERID));
    await withingsWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    const token = await webhookToken(SECRET, "withings");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(vendor.subscriptions).toEqual(
      WITHINGS_NOTIFY_APPLIS.map((appli) => ({ callbackurl: `${CALLBACK}?token=${token}`, appli, comment: "dfda" })),
    );
    // Subscribing again holds each category once.
    await withingsWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    expect(vendor.subscriptions).toHaveLength(WITHINGS_NOTIFY_APPLIS.length);
  });

  it("fails to subscribe when the callback URL does not answer the check, or no secret is configured", async () => {
    const unreachable = fake(async () => new Response(null, { status: 404 }));
    const tokens = await connect(unreachable);
    await expect(withingsWebhook.subscribe?.(unreachable.fetch, settings, tokens, NOW)).rejects.toMatchObject({
      kind: "malformed",
    });
    expect(unreachable.subscriptions).toEqual([]);
    const noSecret: ConnectorSettings = { ...settings, webhook: { callbackUrl: CALLBACK } };
    await expect(withingsWebhook.subscribe?.(unreachable.fetch, noSecret, tokens, NOW)).rejects.toBeInstanceOf(
      VendorError,
    );
  });

  it("takes a notification only at the URL with the token; names the Withings user", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    await withingsWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    const [notification] = vendor.notifications(1, NOW.getTime() / 1000 - 3600, NOW.getTime() / 1000);
    if (notification === undefined) throw new Error("a weight notification");
    const body = await notification.text();
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
      userid: "4242",
      appli: "1",
      startdate: String(NOW.getTime() / 1000 - 3600),
      enddate: String(NOW.getTime() / 1000),
    });
    const url = new URL(notification.url);
    expect(await withingsWebhook.verify(notification.headers, body, SECRET, { url: url, clientId: undefined })).toBe(
      true,
    );
    expect(
      await withingsWebhook.verify(notification.headers, body, "another-secret", { url: url, clientId: undefined }),
    ).toBe(false);
    const forged = new URL(url);
    forged.searchParams.set("token", "0".repeat(64));
    expect(await withingsWebhook.verify(notification.headers, body, SECRET, { url: forged, clientId: undefined })).toBe(
      false,
    );
    expect(
      await withingsWebhook.verify(notification.headers, body, SECRET, { url: new URL(CALLBACK), clientId: undefined }),
    ).toBe(false);
    expect(await withingsWebhook.verify(notification.headers, body, SECRET)).toBe(false);
    expect(withingsWebhook.vendorUserIds(body)).toEqual(["4242"]);
    expect(withingsWebhook.vendorUserIds("appli=1")).toBeNull();
    expect(withingsWebhook.vendorUserIds("userid=abc&appli=1")).toBeNull();
    // No subscription for a category: nothing is sent.
    expect(vendor.notifications(54, 0, 1)).toEqual([]);
  });

  it("answers the URL check only for the right token", async () => {
    const check = withingsWebhook.check;
    if (check === undefined) throw new Error("Withings checks its callback URL");
    const token = await webhookToken(SECRET, "withings");
    const keys = { secret: SECRET, verificationCode: undefined };
    expect(await check(new URL(`${CALLBACK}?token=${token}`), keys)).toEqual({ ok: true });
    expect(await check(new URL(`${CALLBACK}?token=${token.slice(1)}x`), keys)).toEqual({ ok: false });
    expect(await check(new URL(CALLBACK), keys)).toEqual({ ok: false });
    expect(
      await check(new URL(`${CALLBACK}?token=${token}`), { secret: undefined, verificationCode: undefined }),
    ).toEqual({ ok: false });
  });

  it("revokes every category's subscription; revoking again finds none and resolves", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    await withingsWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    await withingsWebhook.unsubscribe?.(vendor.fetch, settings, tokens, NOW);
    expect(vendor.subscriptions).toEqual([]);
    await withingsWebhook.unsubscribe?.(vendor.fetch, settings, tokens, NOW);
    // An expired token is Withings' 401: the caller refreshes and tries again.
    vendor.expireAccessTokens();
    await expect(withingsWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({
      kind: "unauthorized",
    });
  });
});
