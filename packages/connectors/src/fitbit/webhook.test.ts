/**
 * Fitbit's Subscriptions API against the local fake (./fake.ts): the per-person subscription of each
 * collection after connecting (`POST /1/user/-/<collection>/apiSubscriptions/<id>.json`, with the
 * subscriber id), the notifications signed with `X-Fitbit-Signature` (base64 HMAC-SHA1, key `<client
 * secret>&`), the subscriber's `verify` code, and deleting the subscriptions before disconnecting.
 */
import { describe, expect, it } from "vitest";
import type { ConnectorSettings } from "../contract";
import { callbackUri, connectThrough, fakeVendorSettings } from "../test-support";
import { FAKE_FITBIT_USER_ID, FakeFitbit } from "./fake";
import { FITBIT_SUBSCRIBED_COLLECTIONS, fitbit, fitbitWebhook } from "./index";

const NOW = new Date("2026-11-20T12:00:00Z");
const SUBSCRIBER = "https://api.example/v1/connectors/fitbit/webhook";
const base = fakeVendorSettings("fitbit");
const settings: ConnectorSettings = { ...base, webhook: { callbackUrl: SUBSCRIBER, subscriberId: "1" } };

function fake() {
  return new FakeFitbit({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    now: NOW,
    offsetMs: 3_600_000,
    timezone: "Europe/Berlin",
    days: 3,
    heartRateEveryMinutes: 60,
    pageSize: 2,
  });
}

const connect = (vendor: FakeFitbit) =>
  connectThrough(fitbit, vendor.fetch, settings, { redirectUri: callbackUri("fitbit"), now: NOW });

describe("Fitbit subscriptions", () => {
  it("keeps Fitbit's user_id and subscribes each collection with the subscriber id; again is a no-op", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    expect(tokens.vendor_user_id).toBe(FAKE_FITBIT_USER_ID);
    await fitbitWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    expect(vendor.subscriptions).toEqual(
      FITBIT_SUBSCRIBED_COLLECTIONS.map((c) => ({
        collectionType: c,
        subscriptionId: `${FAKE_FITBIT_USER_ID}-${c}`,
        subscriberId: "1",
      })),
    );
    await fitbitWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    expect(vendor.subscriptions).toHaveLength(3);
    expect(vendor.log.filter((l) => l.startsWith("POST /1/user/-/"))).toEqual([
      "POST /1/user/-/activities/apiSubscriptions/FAKE01-activities.json",
      "POST /1/user/-/body/apiSubscriptions/FAKE01-body.json",
      "POST /1/user/-/sleep/apiSubscriptions/FAKE01-sleep.json",
      "POST /1/user/-/activities/apiSubscriptions/FAKE01-activities.json",
      "POST /1/user/-/body/apiSubscriptions/FAKE01-body.json",
      "POST /1/user/-/sleep/apiSubscriptions/FAKE01-sleep.json",
    ]);
  });

  it("refuses a collection another subscriber holds (409), and an expired token (401)", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    await fitbitWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    const other: ConnectorSettings = { ...settings, webhook: { callbackUrl: SUBSCRIBER, subscriberId: "2" } };
    await expect(fitbitWebhook.subscribe?.(vendor.fetch, other, tokens, NOW)).rejects.toMatchObject({
      kind: "malformed",
    });
    vendor.expireAccessTokens();
    await expect(fitbitWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW)).rejects.toMatchObject({
      kind: "unauthorized",
    });
  });

  it("verifies X-Fitbit-Signature over the raw body with the client secret and names the owner", async () => {
    const vendor = fake();
    await fitbitWebhook.subscribe?.(vendor.fetch, settings, await connect(vendor), NOW);
    const notification = await vendor.notification(SUBSCRIBER, ["activities", "sleep"], "2026-11-20");
    if (notification === null) throw new Error("a notification");
    const body = await notification.text();
    expect(JSON.parse(body)).toEqual([
      {
        collectionType: "activities",
        date: "2026-11-20",
        ownerId: FAKE_FITBIT_USER_ID,
        ownerType: "user",
        subscriptionId: "FAKE01-activities",
      },
      {
        collectionType: "sleep",
        date: "2026-11-20",
        ownerId: FAKE_FITBIT_USER_ID,
        ownerType: "user",
        subscriptionId: "FAKE01-sleep",
      },
    ]);
    const signature = notification.headers.get("X-Fitbit-Signature") ?? "";
    expect(signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const url = new URL(notification.url);
    expect(
      await fitbitWebhook.verify(notification.headers, body, settings.clientSecret, { url, clientId: undefined }),
    ).toBe(true);
    expect(await fitbitWebhook.verify(notification.headers, body, "not-the-secret", { url, clientId: undefined })).toBe(
      false,
    );
    expect(await fitbitWebhook.verify(notification.headers, body.replace("sleep", "body"), settings.clientSecret)).toBe(
      false,
    );
    // Fitbit may URL-encode the base64 value; decoded, it is the same signature.
    const encoded = new Headers({ "X-Fitbit-Signature": encodeURIComponent(signature) });
    expect(await fitbitWebhook.verify(encoded, body, settings.clientSecret)).toBe(true);
    expect(await fitbitWebhook.verify(new Headers(), body, settings.clientSecret)).toBe(false);
    expect(fitbitWebhook.vendorUserIds(body)).toEqual([FAKE_FITBIT_USER_ID]);
    expect(fitbitWebhook.vendorUserIds("[]")).toBeNull();
    expect(fitbitWebhook.vendorUserIds('{"ownerId":"x"}')).toBeNull();
    expect(fitbitWebhook.vendorUserIds("not json")).toBeNull();
  });

  it("answers the subscriber's verify code: ok for the configured one, not for another or none", async () => {
    const check = fitbitWebhook.check;
    if (check === undefined) throw new Error("Fitbit verifies its subscriber");
    const keys = { secret: "s", verificationCode: "a1b2c3" };
    expect(await check(new URL(`${SUBSCRIBER}?verify=a1b2c3`), keys)).toEqual({ ok: true });
    expect(await check(new URL(`${SUBSCRIBER}?verify=wrong`), keys)).toEqual({ ok: false });
    expect(await check(new URL(SUBSCRIBER), keys)).toEqual({ ok: false });
    expect(await check(new URL(`${SUBSCRIBER}?verify=a1b2c3`), { secret: "s", verificationCode: undefined })).toEqual({
      ok: false,
    });
  });

  it("deletes every subscription; deleting again (404 each) resolves", async () => {
    const vendor = fake();
    const tokens = await connect(vendor);
    await fitbitWebhook.subscribe?.(vendor.fetch, settings, tokens, NOW);
    await fitbitWebhook.unsubscribe?.(vendor.fetch, settings, tokens, NOW);
    expect(vendor.subscriptions).toEqual([]);
    await fitbitWebhook.unsubscribe?.(vendor.fetch, settings, tokens, NOW);
    expect(await vendor.notification(SUBSCRIBER, ["activities"], "2026-11-20")).toBeNull();
  });
});
