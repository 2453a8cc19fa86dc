/**
 * The built-in connectors, and a deployment's settings for them: client credentials from the
 * `CONNECTOR_CREDENTIALS` secret and, where the vendor is not to be reached at its own hosts (its local
 * fake in tests and in `npm start`), base URLs from the `CONNECTOR_BASE_URLS` var. A connector without
 * credentials is listed as unavailable and cannot be connected.
 */
import { z } from "zod";
import { type Connector, ConnectorDefinition, type ConnectorSettings } from "./contract";
import { oura } from "./oura";

/** Every built-in connector, by id. Each definition is parsed again here: a bad one fails at load. */
export const CONNECTORS: ReadonlyMap<string, Connector> = new Map(
  [oura].map((c) => [ConnectorDefinition.parse(c.definition).id, c]),
);

/** The connector of an id, or undefined. */
export function connectorOf(id: string): Connector | undefined {
  return CONNECTORS.get(id);
}

const Credentials = z.record(
  z.string(),
  z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) }).strict(),
);
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

/** The connector settings of a Worker's env (parse with `parseConfig`, like every other setting). */
export const ConnectorsEnv = z.object({
  /** Secret: `{"oura":{"client_id":"…","client_secret":"…"}}`. */
  CONNECTOR_CREDENTIALS: jsonVar(Credentials),
  /** Var: `{"oura":{"auth":"http://127.0.0.1:8790","api":"http://127.0.0.1:8790"}}` (a fake), else the vendor's. */
  CONNECTOR_BASE_URLS: jsonVar(BaseUrls),
});

/** The settings of each connector that has credentials. */
export function connectorSettingsOf(env: z.output<typeof ConnectorsEnv>): ReadonlyMap<string, ConnectorSettings> {
  const settings = new Map<string, ConnectorSettings>();
  for (const [id, connector] of CONNECTORS) {
    const credentials = env.CONNECTOR_CREDENTIALS[id];
    if (credentials === undefined) continue;
    settings.set(id, {
      clientId: credentials.client_id,
      clientSecret: credentials.client_secret,
      baseUrls: env.CONNECTOR_BASE_URLS[id] ?? connector.definition.base_urls,
    });
  }
  return settings;
}
