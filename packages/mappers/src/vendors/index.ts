/**
 * Wearable vendor web API responses (JSON) → observations: Fitbit, Oura, Garmin, Withings, Google Fit,
 * iHealth, Misfit and Jawbone, recognized by the structure each documented endpoint's response has
 * (docs/mappers.md, "Vendor API responses", lists them). One
 * response is one JSON document, read whole, up to MAX_DOCUMENT_CHARS (util/limits.ts). Codings name the measure in LOINC where it has a code, then
 * in the vendor's own terms (`{system: "https://dev.fitbit.com/build/reference/web-api", code:
 * "activities-steps"}`); measures without a LOINC code carry a seed label for `MapContext.lookup`.
 */
import type { MapEvent, Mapper } from "@dfda/core";
import { MAX_DOCUMENT_CHARS } from "../util/limits";
import { readText } from "../util/stream";
import { isArray, isObject, type JsonObject, VendorRun } from "./common";
import { isFitbit, mapFitbit } from "./fitbit";
import { isFitbitHealth, isFitbitSpo2Range, mapFitbitHealth, mapFitbitSpo2Range } from "./fitbit-health";
import { isGarmin, isGarminPull, mapGarmin, mapGarminPull } from "./garmin";
import { isGoogleFit, mapGoogleFit } from "./googlefit";
import { isIHealth, mapIHealth } from "./ihealth";
import { isJawbone, isMisfit, mapJawbone, mapMisfit } from "./misfit-jawbone";
import { isOura, mapOura } from "./oura";
import { isWithingsIntraday, isWithingsMeasures, mapWithingsIntraday, mapWithingsMeasures } from "./withings";
import { isWithingsActivity, isWithingsSeriesList, mapWithingsActivity, mapWithingsSeriesList } from "./withings-v2";

interface Shape {
  vendor: string;
  /** The endpoint responses this shape reads (named in the error for a document no shape reads). */
  endpoints: string;
  test(doc: JsonObject): boolean;
  map(doc: JsonObject, run: VendorRun): Generator<MapEvent>;
}

/** Shapes in the order they are tried (each test looks for structure only that vendor has). */
const SHAPES: readonly Shape[] = [
  { vendor: "withings", endpoints: "Withings getmeas", test: isWithingsMeasures, map: mapWithingsMeasures },
  {
    vendor: "withings",
    endpoints: "Withings getintradayactivity",
    test: isWithingsIntraday,
    map: mapWithingsIntraday,
  },
  { vendor: "withings", endpoints: "Withings getactivity", test: isWithingsActivity, map: mapWithingsActivity },
  {
    vendor: "withings",
    endpoints: "Withings sleep getsummary, sleep get, heart list",
    test: isWithingsSeriesList,
    map: mapWithingsSeriesList,
  },
  {
    vendor: "oura",
    endpoints: "Oura v2 heartrate, daily_activity, daily_spo2, sleep, daily_sleep, daily_readiness, vO2_max, workout",
    test: isOura,
    map: mapOura,
  },
  {
    vendor: "garmin",
    endpoints:
      "Garmin Health API dailies, epochs, sleeps, bodyComps, stressDetails, userMetrics, pulseox, allDayRespiration, bloodPressures, hrv, activities",
    test: isGarmin,
    map: mapGarmin,
  },
  { vendor: "googlefit", endpoints: "Google Fit datasets and aggregates", test: isGoogleFit, map: mapGoogleFit },
  { vendor: "ihealth", endpoints: "iHealth weight and blood glucose", test: isIHealth, map: mapIHealth },
  { vendor: "misfit", endpoints: "Misfit sleeps and summaries", test: isMisfit, map: mapMisfit },
  { vendor: "jawbone", endpoints: "Jawbone UP moves, sleeps, heart rates", test: isJawbone, map: mapJawbone },
  {
    vendor: "fitbit",
    endpoints:
      "Fitbit body weight and fat logs, heart rate (and intraday), SpO2 (and intraday), HRV, breathing rate, core temperature, cardio score",
    test: isFitbitHealth,
    map: mapFitbitHealth,
  },
  {
    vendor: "fitbit",
    endpoints: "Fitbit activity and body time series (and intraday), daily activity summary, sleep logs",
    test: isFitbit,
    map: mapFitbit,
  },
];

const ENDPOINTS = SHAPES.map((s) => s.endpoints).join("; ");

/** Structural signatures in the first bytes, with the confidence each gives. */
const SIGNATURES: readonly { score: number; all: readonly RegExp[] }[] = [
  {
    score: 0.95,
    all: [/"activities-(?:steps|distance|calories|floors|minutes\w+|activityCalories|caloriesBMR)"\s*:\s*\[/],
  },
  { score: 0.95, all: [/"body-(?:weight|bmi|fat)"\s*:\s*\[/, /"dateTime"\s*:/] },
  { score: 0.95, all: [/"sleep"\s*:\s*\[/, /"dateOfSleep"\s*:/] },
  { score: 0.9, all: [/"activities"\s*:\s*\[/, /"(?:activityParentName|caloriesOut|activeScore|logId)"\s*:/] },
  { score: 0.95, all: [/"dataSourceId"\s*:/, /"point"\s*:\s*\[/] },
  { score: 0.9, all: [/"minStartTimeNs"\s*:/, /"point"\s*:\s*\[/] },
  { score: 0.95, all: [/"measuregrps"\s*:\s*\[/] },
  { score: 0.9, all: [/"body"\s*:\s*\{/, /"series"\s*:\s*\{/, /"status"\s*:\s*\d/] },
  { score: 0.95, all: [/"(?:WeightDataList|BGDataList)"\s*:\s*\[/] },
  { score: 0.95, all: [/"sleeps"\s*:\s*\[/, /"sleepDetails"\s*:/] },
  { score: 0.9, all: [/"resting_heartrate"\s*:/] },
  // Fitbit health endpoints (fitbit-health.ts).
  { score: 0.95, all: [/"(?:weight|fat)"\s*:\s*\[/, /"logId"\s*:/, /"date"\s*:/] },
  { score: 0.95, all: [/"activities-heart"\s*:\s*\[/] },
  { score: 0.95, all: [/"(?:hrv|br|tempCore|tempSkin|cardioScore)"\s*:\s*\[/, /"dateTime"\s*:/] },
  { score: 0.9, all: [/^\s*\{\s*"dateTime"\s*:/, /"(?:value|minutes)"\s*:\s*[[{]/] },
  // Withings v2 services (withings-v2.ts).
  { score: 0.95, all: [/"body"\s*:\s*\{/, /"activities"\s*:\s*\[/, /"(?:totalcalories|soft|intense)"\s*:/] },
  {
    score: 0.95,
    all: [/"body"\s*:\s*\{/, /"series"\s*:\s*\[/, /"(?:startdate|timestamp)"\s*:/, /"status"\s*:\s*\d/],
  },
  // Oura v2: the `{data, next_token}` envelope with a document field only Oura's models have.
  {
    score: 0.95,
    all: [
      /"data"\s*:\s*\[/,
      /"(?:bpm|bedtime_start|spo2_percentage|equivalent_walking_distance|vo2_max|contributors|start_datetime)"\s*:/,
    ],
  },
  // Garmin Health API Push notifications: summary lists with Garmin's UTC-seconds fields.
  {
    score: 0.95,
    all: [
      /"(?:dailies|epochs|sleeps|bodyComps|stressDetails|userMetrics|pulseox|allDayRespiration|bloodPressures|hrv|activities)"\s*:\s*\[/,
      /"(?:startTimeInSeconds|measurementTimeInSeconds)"\s*:/,
    ],
  },
];

/** Signatures of a top-level JSON array: Fitbit's SpO2 summary over a date range, a Garmin pull response. */
const ARRAY_SIGNATURES: readonly (readonly RegExp[])[] = [
  [/^\s*\[\s*\{\s*"dateTime"\s*:/, /"value"\s*:\s*\{\s*"avg"\s*:/],
  [/^\s*\[\s*\{/, /"summaryId"\s*:/, /"(?:startTimeInSeconds|measurementTimeInSeconds)"\s*:/],
];

export const vendorJsonMapper: Mapper = {
  id: "vendor-json",
  version: "1.0.0",
  description: "Wearable vendor web API JSON (Fitbit, Oura, Garmin, Withings, Google Fit, iHealth, Misfit, Jawbone)",

  detect(input) {
    const text = input.headText;
    if (/^\s*\[/.test(text)) return ARRAY_SIGNATURES.some((all) => all.every((r) => r.test(text))) ? 0.9 : 0;
    if (!/^\s*\{/.test(text)) return 0;
    let best = 0;
    for (const s of SIGNATURES) if (s.score > best && s.all.every((r) => r.test(text))) best = s.score;
    return best;
  },

  async *map(source, context) {
    const text = await readText(
      source,
      MAX_DOCUMENT_CHARS,
      "The vendor API response",
      "send it in smaller date ranges",
    );
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      yield {
        kind: "issue",
        issue: { location: null, code: "invalid_json", severity: "error", message: `the file is not JSON: ${message}` },
      };
      return;
    }
    if (isArray(doc) && (isFitbitSpo2Range(doc) || isGarminPull(doc))) {
      const garmin = isGarminPull(doc);
      const run = new VendorRun(context, garmin ? "garmin" : "fitbit");
      yield* garmin ? mapGarminPull(doc, run) : mapFitbitSpo2Range(doc, run);
      yield* run.flush();
      return;
    }
    const shape = isObject(doc) ? SHAPES.find((s) => s.test(doc)) : undefined;
    if (!shape || !isObject(doc)) {
      yield {
        kind: "issue",
        issue: {
          location: "$",
          code: "unrecognized_format",
          severity: "error",
          message: `not a vendor API response this mapper reads; it reads: ${ENDPOINTS}`,
        },
      };
      return;
    }
    const run = new VendorRun(context, shape.vendor);
    yield* shape.map(doc, run);
    yield* run.flush();
  },
};
