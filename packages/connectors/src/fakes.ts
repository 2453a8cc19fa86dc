/**
 * Local fakes of the vendors, for tests and the `npm start` demo only: never imported by a Worker's
 * production code (the Workers import `@dfda/connectors`, not this subpath).
 */
export * from "./dexcom/fake";
export * from "./fitbit/fake";
export * from "./garmin/fake";
export * from "./oura/fake";
export * from "./strava/fake";
export * from "./withings/fake";
