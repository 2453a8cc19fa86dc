/**
 * @dfda/connectors: the connector contract (`Connector`, `ConnectorDefinition`), the OAuth 2.0 client
 * side every connector shares, and the built-in connectors (`CONNECTORS`). No I/O but the `VendorHttp`
 * a caller hands in; the Workers that store tokens, raw responses and observations are
 * workers/connectors (sync) and workers/api (connecting). Local fakes of the vendors are the subpath
 * `@dfda/connectors/fakes` (tests and the `npm start` demo only). docs/connectors.md describes it.
 */
export * from "./contract";
export { DEMO, DEMO_CLIENT, DEMO_VENDOR_ORIGIN, demo } from "./demo";
export { DEXCOM, DEXCOM_HOSTS, DEXCOM_OVERLAP_MS, DEXCOM_WINDOW_MS, dexcom, dexcomApiConnector } from "./dexcom";
export { FITBIT, FITBIT_OVERLAP_DAYS, fitbit, fitbitApiConnector } from "./fitbit";
export {
  backfillCursorKey,
  GARMIN,
  GARMIN_SUMMARIES,
  GARMIN_WEBHOOK_KEY_PARAM,
  garmin,
  garminApiConnector,
  garminPush,
  garminWebhook,
  mapGarminSummaries,
} from "./garmin";
export * from "./http";
export * from "./messages";
export * from "./oauth";
export { OURA, OURA_OVERLAP, oura, ouraApiConnector, ouraWebhook } from "./oura";
export {
  ensureOuraSubscriptions,
  OURA_WEBHOOK_DATA_TYPES,
  OURA_WEBHOOK_EVENT_TYPES,
  type OuraSubscriptionReport,
  type OuraSubscriptionTarget,
} from "./oura/subscriptions";
export * from "./quota";
export * from "./registry";
export { STRAVA, STRAVA_OVERLAP_MS, STRAVA_PAGE_SIZE, strava } from "./strava";
export { WITHINGS, WITHINGS_OVERLAP, withings, withingsApiConnector } from "./withings";
