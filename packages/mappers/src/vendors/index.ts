/**
 * Wearable vendor web API responses (JSON) → observations: Fitbit, Oura, Garmin, Withings, Google Fit,
 * iHealth, Misfit and Jawbone, recognized by the structure each documented endpoint's response has
 * (docs/mappers.md, "Vendor API responses", lists them). One
 * response is one JSON document, parsed as a stream (./stream.ts): the items of the arrays that hold
 * its readings (`isItemArray`) are handed over one by one, so a response of any size is read holding
 * one look-ahead window (a response no larger maps exactly as if read whole, and its shape is known
 * from all of it) and each item at most MAX_DOCUMENT_CHARS (util/limits.ts). Codings name the measure in LOINC where it has a code, then
 * in the vendor's own terms (`{system: "https://dev.fitbit.com/build/reference/web-api", code:
 * "activities-steps"}`); measures without a LOINC code carry a seed label for `MapContext.lookup`.
 */
import type { MapContext, MapEvent, Mapper } from "@dfda/core";
import type { JsonPath } from "../util/json-stream";
import { JsonSyntaxError } from "../util/json-value";
import { InputTooLargeError, MAX_DOCUMENT_CHARS, UnreadableFileError } from "../util/limits";
import { decodeText } from "../util/stream";
import { isArray, isObject, type Json, type JsonObject, path, VendorRun } from "./common";
import { isFitbit, mapFitbit } from "./fitbit";
import { isFitbitHealth, isFitbitSpo2Range, mapFitbitHealth, mapFitbitSpo2Range } from "./fitbit-health";
import { GARMIN_SUMMARIES, isGarmin, isGarminPull, mapGarmin, mapGarminPull } from "./garmin";
import { isGoogleFit, mapGoogleFit } from "./googlefit";
import { isIHealth, mapIHealth } from "./ihealth";
import { isJawbone, isMisfit, mapJawbone, mapMisfit } from "./misfit-jawbone";
import { isOura, isOuraOpen, mapOura } from "./oura";
import { Batch, StreamedJson, WINDOW_CHARS } from "./stream";
import { isWithingsIntraday, isWithingsMeasures, mapWithingsIntraday, mapWithingsMeasures } from "./withings";
import { isWithingsActivity, isWithingsSeriesList, mapWithingsActivity, mapWithingsSeriesList } from "./withings-v2";

interface Shape {
  vendor: string;
  /** The endpoint responses this shape reads (named in the error for a document no shape reads). */
  endpoints: string;
  test(doc: JsonObject): boolean;
  /** The test of a response still being read (past the look-ahead window), when `test` needs what comes later. */
  testOpen?(doc: JsonObject): boolean;
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
    testOpen: isOuraOpen,
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
    yield* mapVendorResponse(source, context);
  },
};

/**
 * The arrays whose items are the readings (each a unit mapped on its own): a top-level array (a Garmin
 * pull response, Fitbit SpO2 over a date range), Withings `body.measuregrps` / `body.activities` /
 * `body.series`, Oura `data`, Jawbone `data.items`, the Garmin Push summary lists, Google Fit `point`,
 * Fitbit `<resource>-intraday.dataset`, `activities`, `sleep`, `weight`, `fat` and SpO2 `minutes`,
 * iHealth `WeightDataList` / `BGDataList`, Misfit `sleeps`. The daily Fitbit series (`activities-steps`,
 * `activities-heart`) are not: an intraday dataset takes its date from them (one entry per day).
 */
const TOP_LEVEL_ITEMS = new Set([
  "data",
  "point",
  "activities",
  "sleep",
  "weight",
  "fat",
  "minutes",
  "WeightDataList",
  "BGDataList",
  "sleeps",
  ...Object.keys(GARMIN_SUMMARIES),
]);

export function isItemArray(at: JsonPath): boolean {
  const [first, second] = at;
  if (at.length === 0) return true;
  if (at.length === 1) return typeof first === "string" && TOP_LEVEL_ITEMS.has(first);
  if (at.length !== 2 || typeof first !== "string") return false;
  if (first === "body") return second === "measuregrps" || second === "activities" || second === "series";
  if (first === "data") return second === "items";
  return first.endsWith("-intraday") && second === "dataset";
}

/** The reader of a response: its vendor and the function that maps it. */
interface Reader {
  vendor: string;
  map(doc: Json, run: VendorRun): Generator<MapEvent>;
}

/** The shape of a response (whole, or as read so far when `open`); null when no shape reads it. */
function readerOf(doc: Json, open: boolean): Reader | null {
  if (isArray(doc)) {
    if (isGarminPull(doc)) return { vendor: "garmin", map: (d, run) => mapGarminPull(isArray(d) ? d : [], run) };
    if (isFitbitSpo2Range(doc)) {
      return { vendor: "fitbit", map: (d, run) => mapFitbitSpo2Range(isArray(d) ? d : [], run) };
    }
    return null;
  }
  if (!isObject(doc)) return null;
  const shape = SHAPES.find((s) => s.test(doc) || (open && s.testOpen?.(doc) === true));
  return shape ? { vendor: shape.vendor, map: (d, run) => shape.map(isObject(d) ? d : {}, run) } : null;
}

function fileIssue(code: string, message: string, location: string | null = null): MapEvent {
  return { kind: "issue", issue: { location, code, severity: "error", message } };
}

/** Statistics of the last response mapped, for tests (no timing). */
export interface VendorStreamStats {
  /** The most source characters the parser held, and that waited in the look-ahead window. */
  maxHeldChars: number;
  maxWindowChars: number;
  /** Items handed over, and mapping passes (1: the response was mapped as if read whole). */
  items: number;
  batches: number;
}

/**
 * Maps one response as it streams. A syntax error before anything was passed on is the one
 * `invalid_json` issue a response read whole gave; after, it refuses the file (UnreadableFileError:
 * the mapper Worker drops the rows it staged), as the FHIR and Open mHealth streams do.
 */
export async function* mapVendorResponse(
  source: AsyncIterable<Uint8Array>,
  context: MapContext,
  options: { windowChars?: number; onStats?: (stats: VendorStreamStats) => void } = {},
): AsyncIterable<MapEvent> {
  const window = options.windowChars ?? WINDOW_CHARS;
  const doc = new StreamedJson({
    streamArray: isItemArray,
    tooLarge: (at) => {
      // The item of a streamed array being read, else the response around the items (held whole).
      for (let k = at.length - 1; k >= 0; k--) {
        if (typeof at[k] !== "number" || !isItemArray(at.slice(0, k))) continue;
        const where = path("$", ...at.slice(0, k + 1));
        return new InputTooLargeError(
          `The vendor API response's item at ${where}`,
          MAX_DOCUMENT_CHARS,
          where,
          "each item of a response is read whole",
        );
      }
      return new InputTooLargeError(
        "The vendor API response",
        MAX_DOCUMENT_CHARS,
        null,
        "send it in smaller date ranges",
      );
    },
  });
  let reader: Reader | null | undefined;
  let run: VendorRun | undefined;
  let batches = 0;
  let emitted = false;
  const refuse = (error: unknown): MapEvent => {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const message = `the file is not JSON: ${error.message}`;
    if (emitted) throw new UnreadableFileError("invalid_json", message, `line ${error.line}`);
    return fileIssue("invalid_json", message);
  };
  /** Maps what waits in the window; false once the response is known not to be one this mapper reads. */
  function* pass(open: boolean): Generator<MapEvent, boolean> {
    const batch = new Batch(doc.take().items);
    batch.fill();
    const value = doc.snapshot();
    if (reader === undefined) {
      reader = readerOf(value, open);
      if (reader === null) {
        yield fileIssue(
          "unrecognized_format",
          `not a vendor API response this mapper reads; it reads: ${ENDPOINTS}`,
          "$",
        );
        return false;
      }
      run = new VendorRun(context, reader.vendor);
    }
    if (reader === null || run === undefined) return false;
    const first = batches === 0;
    batches++;
    for (const event of reader.map(value, run)) {
      const location = event.kind === "observation" ? event.observation.location : event.issue.location;
      // The header's own events came with the first pass; later passes add their items' only.
      if (first || location === null || location === undefined || batch.contains(location)) yield event;
    }
    batch.clear();
    return true;
  }
  for await (const text of decodeText(source)) {
    try {
      doc.write(text);
    } catch (error) {
      yield refuse(error);
      return;
    }
    if (doc.windowChars > window) {
      for (const event of pass(true)) {
        emitted = true;
        yield event;
      }
      if (reader === null) return;
    }
  }
  let value: unknown;
  try {
    value = doc.end();
  } catch (error) {
    yield refuse(error);
    return;
  }
  if (value === undefined) {
    yield fileIssue("invalid_json", "the file is not JSON: it holds no value");
    return;
  }
  const mapped = yield* pass(false);
  if (mapped && run !== undefined) yield* run.flush();
  options.onStats?.({
    maxHeldChars: doc.maxHeldChars,
    maxWindowChars: doc.maxWindowChars,
    items: doc.units,
    batches,
  });
}
