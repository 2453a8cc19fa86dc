/**
 * The demo connector of `npm start`: Oura's API v2 spoken by Oura's local fake (./oura/fake.ts), which
 * `npm start` serves on 127.0.0.1:8790, so a person who just cloned the repository can connect an
 * account, sync a month of data and read it back with no vendor credentials. It is labelled as a demo
 * everywhere it appears (`demo: true`, its name), talks to no real account, and is offered only where
 * `ENVIRONMENT` is `development` (the top level of the wrangler.toml files: npm start and the tests;
 * never staging or production).
 */
import { ConnectorDefinition } from "./contract";
import { OURA, ouraApiConnector } from "./oura";

/** Where `npm start` serves the fake vendor. */
export const DEMO_VENDOR_ORIGIN = "http://127.0.0.1:8790";

/** The demo's OAuth client: public values, since its vendor is a local fake (never a real secret). */
export const DEMO_CLIENT = {
  clientId: "dfda-demo",
  clientSecret: "dfda-demo-not-a-secret",
  webhookSecret: "dfda-demo-webhook-not-a-secret",
} as const;

export const DEMO = ConnectorDefinition.parse({
  ...OURA,
  id: "demo",
  name: "Demo ring (a fake vendor run by npm start, no real account)",
  demo: true,
  base_urls: { auth: DEMO_VENDOR_ORIGIN, api: DEMO_VENDOR_ORIGIN },
  // Its vendor is the local fake, which limits nothing: no application quota to share (Oura's is Oura's).
  app_rate_limit: undefined,
  // A year and a day: its fake holds only what it is given (a month under npm start), and `npm run bench`
  // gives it a year of whole days from midnight UTC, all inside the range (issue 13, "Speed, measured").
  backfill_days: 366,
});

export const demo = ouraApiConnector(DEMO);
