/**
 * The connectors Worker's webhook settings (registry.ts): with `CONNECTOR_WEBHOOK_ORIGIN`, a connector
 * whose vendor subscribes each person (Fitbit, Withings) gets its notification URL, subscriber id and
 * secret; one that does not (Oura: the application subscribes) gets none; without the origin, none do.
 * And the API's keys for a vendor's URL check.
 */
import { describe, expect, it } from "vitest";
import { ConnectorsEnv, ConnectorWebhookEnv, connectorSettingsOf, webhookKeysOf } from "./registry";

const base = {
  CONNECTOR_CLIENT_IDS: JSON.stringify({ fitbit: "f", withings: "w", oura: "o" }),
  CONNECTOR_CLIENT_SECRETS: JSON.stringify({ fitbit: "fs", withings: "ws", oura: "os" }),
};

describe("webhook settings", () => {
  it("gives Fitbit and Withings their notification URL where the origin is set", () => {
    const settings = connectorSettingsOf(
      ConnectorsEnv.parse({
        ...base,
        CONNECTOR_WEBHOOK_ORIGIN: "https://api.example.org",
        CONNECTOR_WEBHOOK_SECRETS: JSON.stringify({ withings: "w-secret" }),
        CONNECTOR_WEBHOOK_SUBSCRIBER_IDS: JSON.stringify({ fitbit: "1" }),
      }),
    );
    expect(settings.get("fitbit")?.webhook).toEqual({
      callbackUrl: "https://api.example.org/v1/connectors/fitbit/webhook",
      subscriberId: "1",
    });
    expect(settings.get("withings")?.webhook).toEqual({
      callbackUrl: "https://api.example.org/v1/connectors/withings/webhook",
      secret: "w-secret",
    });
    expect(settings.get("oura")?.webhook).toBeUndefined();
  });

  it("subscribes no one without the origin; a malformed origin is a config error", () => {
    const settings = connectorSettingsOf(ConnectorsEnv.parse({ ...base, CONNECTOR_WEBHOOK_ORIGIN: "" }));
    expect(settings.get("fitbit")?.webhook).toBeUndefined();
    expect(settings.get("withings")?.webhook).toBeUndefined();
    expect(ConnectorsEnv.safeParse({ ...base, CONNECTOR_WEBHOOK_ORIGIN: "not a url" }).success).toBe(false);
  });

  it("hands the API's URL check the webhook secret and the vendor's verification code", () => {
    const env = ConnectorWebhookEnv.parse({
      CONNECTOR_WEBHOOK_SECRETS: JSON.stringify({ fitbit: "f-secret" }),
      CONNECTOR_WEBHOOK_VERIFICATION_CODES: JSON.stringify({ fitbit: "code-1" }),
    });
    expect(webhookKeysOf(env, "fitbit")).toEqual({ secret: "f-secret", verificationCode: "code-1" });
    expect(webhookKeysOf(env, "withings")).toEqual({ secret: undefined, verificationCode: undefined });
  });
});
