/**
 * What the connector tests (./<vendor>/<vendor>.test.ts) share: the settings that point a connector at
 * its local fake, the connect flow through the fake's authorization and token endpoints (RFC 6749
 * §4.1), and a sync that collects every page. For tests only: never imported by production code.
 */
import { expect } from "vitest";
import type {
  Connector,
  ConnectorSettings,
  SyncContext,
  SyncCursor,
  SyncOutcome,
  VendorHttp,
  VendorPage,
  VendorTokens,
} from "./contract";

/** A connector's settings pointing both base URLs at `https://fake-<vendor>.test`. */
export function fakeVendorSettings(vendor: string, clientId = "client-1"): ConnectorSettings {
  const host = `https://fake-${vendor}.test`;
  return { clientId, clientSecret: "secret-1", baseUrls: { auth: host, api: host } };
}

/** The API's callback for a connector: the redirect URI the tests register. */
export const callbackUri = (vendor: string) => `https://api.example/v1/connectors/${vendor}/callback`;

/**
 * Connects through the fake's authorization endpoint (which redirects back with a code and the state)
 * and its token endpoint; checks the state came back and returns the tokens.
 */
export async function connectThrough(
  connector: Pick<Connector, "authorizeUrl" | "exchangeCode">,
  http: VendorHttp,
  settings: ConnectorSettings,
  flow: { redirectUri: string; now: Date; codeChallenge?: string; codeVerifier?: string },
): Promise<VendorTokens> {
  const pkce = flow.codeChallenge === undefined ? {} : { codeChallenge: flow.codeChallenge };
  const authorize = connector.authorizeUrl(settings, { state: "s-1", redirectUri: flow.redirectUri, ...pkce });
  const redirect = await http(new Request(authorize));
  const back = new URL(redirect.headers.get("Location") ?? "");
  expect(back.searchParams.get("state")).toBe("s-1");
  const verifier = flow.codeVerifier === undefined ? {} : { codeVerifier: flow.codeVerifier };
  return connector.exchangeCode(http, settings, {
    code: back.searchParams.get("code") ?? "",
    redirectUri: flow.redirectUri,
    ...verifier,
    now: flow.now,
  });
}

/** Every page a sync handed over, its outcome, and the observations of all its pages. */
export interface SyncedPages {
  pages: VendorPage[];
  outcome: SyncOutcome;
  observations: VendorPage["observations"];
}

/** Runs one sync, collecting each page it hands over. */
export async function syncAll(
  sync: (context: SyncContext) => Promise<SyncOutcome>,
  context: { http: VendorHttp; settings: ConnectorSettings; accessToken: string; cursor: SyncCursor; now: Date },
): Promise<SyncedPages> {
  const pages: VendorPage[] = [];
  const outcome = await sync({
    ...context,
    onPage: async (p) => {
      pages.push(p);
    },
  });
  return { pages, outcome, observations: pages.flatMap((p) => p.observations) };
}
