/**
 * The built-in connectors, and a deployment's settings for them: client ids from the
 * `CONNECTOR_CLIENT_IDS` var, client secrets from the `CONNECTOR_CLIENT_SECRETS` secret (the connectors
 * Worker's only), and, where the vendor is not to be reached at its own hosts (its local fake in tests
 * and in `npm start`), base URLs from the `CONNECTOR_BASE_URLS` var. A connector without a client id is
 * listed as unavailable and cannot be connected.
 */
import { z } from "zod";
import { type Connector, ConnectorDefinition, type ConnectorSettings, type WebhookKeys } from "./contract";
import { DEMO_CLIENT, demo } from "./demo";
import { dexcom } from "./dexcom";
import { fitbit } from "./fitbit";
import { garmin } from "./garmin";
import { oura } from "./oura";
import { strava } from "./strava";
import { withings } from "./withings";

/** Every built-in connector, by id. Each definition is parsed again here: a bad one fails at load. */
export const CONNECTORS: ReadonlyMap<string, Connector> = new Map(
  [oura, dexcom, fitbit, strava, withings, garmin, demo].map((c) => [ConnectorDefinition.parse(c.definition).id, c]),
);

/** The connector of an id, or undefined. */
export function connectorOf(id: string): Connector | undefined {
  return CONNECTORS.get(id);
}

const ClientIds = z.record(z.string(), z.string().min(1).max(256));
const ClientSecrets = z.record(z.string(), z.string().min(1).max(1_024));
const BaseUrls = z.record(z.string(), z.object({ auth: z.url(), api: z.url() }).strict());

/** JSON in a Worker var or secret; empty or absent is `{}`. */
const jsonVar = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return {};
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * What both the API (which sends people to the vendor) and the connectors Worker read: each vendor's
 * OAuth client id (public: it is in every authorization URL) and, where the vendor is not reached at
 * its own hosts (a fake, a regional host), its base URLs.
 */
export const ConnectorsPublicEnv = z.object({
  /** `development` offers the demo connector (its vendor is a local fake); staging and production never do. */
  ENVIRONMENT: z.string().optional(),
  /** Var: `{"oura":"<client id>"}`. A connector without a client id is unavailable. */
  CONNECTOR_CLIENT_IDS: jsonVar(ClientIds),
  /** Var: `{"oura":{"auth":"http://127.0.0.1:8790","api":"http://127.0.0.1:8790"}}`, else the vendor's own. */
  CONNECTOR_BASE_URLS: jsonVar(BaseUrls),
});

/**
 * The API Worker's webhook secrets (secret `CONNECTOR_WEBHOOK_SECRETS`, `{"oura":"<key>"}`): the key each
 * vendor signs its notifications with. They are kept apart from the client secrets so the API can answer
 * a forged notification with 401 at once (vendors want an immediate answer) without ever holding a
 * client secret; a connector without one refuses every notification. The demo's is a public value.
 */
export const ConnectorWebhookEnv = z.object({
  ENVIRONMENT: z.string().optional(),
  CONNECTOR_WEBHOOK_SECRETS: jsonVar(ClientSecrets),
  /**
   * Optional: `{"fitbit":"<code>"}`, a verification code a vendor shows the operator and then asks the
   * notification URL to recognise (Fitbit's subscriber verification, `GET …/webhook?verify=<code>`).
   */
  CONNECTOR_WEBHOOK_VERIFICATION_CODES: jsonVar(ClientSecrets),
});

/** The webhook secret of a connector, or undefined (the demo's is public, and only in development). */
export function webhookSecretOf(env: z.output<typeof ConnectorWebhookEnv>, id: string): string | undefined {
  return (
    env.CONNECTOR_WEBHOOK_SECRETS[id] ??
    (id === "demo" && env.ENVIRONMENT === "development" ? DEMO_CLIENT.webhookSecret : undefined)
  );
}

/** What the API answers a vendor's check of the notification URL with (`ConnectorWebhook.check`). */
export function webhookKeysOf(env: z.output<typeof ConnectorWebhookEnv>, id: string): WebhookKeys {
  return { secret: webhookSecretOf(env, id), verificationCode: env.CONNECTOR_WEBHOOK_VERIFICATION_CODES[id] };
}

/** The connectors Worker's: the public settings and the vendors' client secrets, which only it holds. */
export const ConnectorsEnv = ConnectorsPublicEnv.extend({
  /** Secret: `{"oura":"<client secret>"}`. */
  CONNECTOR_CLIENT_SECRETS: jsonVar(ClientSecrets),
  /**
   * Var: the API's public origin (`https://api.example.org`). Set, a connector whose vendor subscribes
   * each person (Fitbit, Withings) is subscribed after connecting, with the notification URL
   * `<origin>/v1/connectors/<id>/webhook`; empty, nothing is subscribed and the Cron alone syncs.
   */
  CONNECTOR_WEBHOOK_ORIGIN: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
    .pipe(z.url().optional()),
  /** Secret (as on the API): the webhook secrets, for a vendor whose callback URL carries a token (Withings). */
  CONNECTOR_WEBHOOK_SECRETS: jsonVar(ClientSecrets),
  /** Var: `{"fitbit":"<subscriber id>"}`, where the vendor app has more than its default subscriber. */
  CONNECTOR_WEBHOOK_SUBSCRIBER_IDS: jsonVar(ClientIds),
});

/** A connector's public settings: its client id and base URLs. */
export type PublicConnectorSettings = Omit<ConnectorSettings, "clientSecret">;

/** The public settings of each connector that has a client id (the API's view). */
export function publicConnectorSettingsOf(
  env: z.output<typeof ConnectorsPublicEnv>,
): ReadonlyMap<string, PublicConnectorSettings> {
  const settings = new Map<string, PublicConnectorSettings>();
  for (const [id, connector] of CONNECTORS) {
    const clientId =
      env.CONNECTOR_CLIENT_IDS[id] ??
      (id === "demo" && env.ENVIRONMENT === "development" ? DEMO_CLIENT.clientId : undefined);
    if (clientId === undefined) continue;
    settings.set(id, { clientId, baseUrls: env.CONNECTOR_BASE_URLS[id] ?? connector.definition.base_urls });
  }
  return settings;
}

/** The settings of each connector that has a client id and a client secret (the connectors Worker's view). */
export function connectorSettingsOf(env: z.output<typeof ConnectorsEnv>): ReadonlyMap<string, ConnectorSettings> {
  const settings = new Map<string, ConnectorSettings>();
  for (const [id, open] of publicConnectorSettingsOf(env)) {
    // The demo's vendor is a local fake: its client secret is a public value, not a deployment's secret.
    const clientSecret = env.CONNECTOR_CLIENT_SECRETS[id] ?? (id === "demo" ? DEMO_CLIENT.clientSecret : undefined);
    if (clientSecret === undefined) continue;
    const origin = env.CONNECTOR_WEBHOOK_ORIGIN;
    const subscribes = CONNECTORS.get(id)?.webhook?.subscribe !== undefined;
    if (origin === undefined || !subscribes) {
      settings.set(id, { ...open, clientSecret });
      continue;
    }
    const subscriberId = env.CONNECTOR_WEBHOOK_SUBSCRIBER_IDS[id];
    const secret = env.CONNECTOR_WEBHOOK_SECRETS[id];
    settings.set(id, {
      ...open,
      clientSecret,
      webhook: {
        callbackUrl: new URL(`/v1/connectors/${id}/webhook`, origin).toString(),
        ...(subscriberId === undefined ? {} : { subscriberId }),
        ...(secret === undefined ? {} : { secret }),
      },
    });
  }
  return settings;
}
