/**
 * Wearable vendor web API responses (JSON) → observations: Fitbit, Google Fit, Withings, iHealth,
 * Misfit and Jawbone, recognized by their structure (the shapes openmhealth/shimmer reads). One
 * response is one JSON document, read whole, up to MAX_DOCUMENT_CHARS (util/limits.ts). Codings name the measure in LOINC where it has a code, then
 * in the vendor's own terms (`{system: "https://dev.fitbit.com/build/reference/web-api", code:
 * "activities-steps"}`); measures without a LOINC code carry a seed label for `MapContext.lookup`.
 */
import type { MapEvent, Mapper } from "@dfda/core";
import { MAX_DOCUMENT_CHARS } from "../util/limits";
import { readText } from "../util/stream";
import { isObject, type JsonObject, VendorRun } from "./common";
import { isFitbit, mapFitbit } from "./fitbit";
import { isGoogleFit, mapGoogleFit } from "./googlefit";
import { isIHealth, mapIHealth } from "./ihealth";
import { isJawbone, isMisfit, mapJawbone, mapMisfit } from "./misfit-jawbone";
import { isWithingsIntraday, isWithingsMeasures, mapWithingsIntraday, mapWithingsMeasures } from "./withings";

interface Shape {
  vendor: string;
  test(doc: JsonObject): boolean;
  map(doc: JsonObject, run: VendorRun): Generator<MapEvent>;
}

/** Shapes in the order they are tried (each test looks for structure only that vendor has). */
const SHAPES: readonly Shape[] = [
  { vendor: "withings", test: isWithingsMeasures, map: mapWithingsMeasures },
  { vendor: "withings", test: isWithingsIntraday, map: mapWithingsIntraday },
  { vendor: "googlefit", test: isGoogleFit, map: mapGoogleFit },
  { vendor: "ihealth", test: isIHealth, map: mapIHealth },
  { vendor: "misfit", test: isMisfit, map: mapMisfit },
  { vendor: "jawbone", test: isJawbone, map: mapJawbone },
  { vendor: "fitbit", test: isFitbit, map: mapFitbit },
];

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
];

export const vendorJsonMapper: Mapper = {
  id: "vendor-json",
  version: "1.0.0",
  description: "Wearable vendor web API JSON (Fitbit, Google Fit, Withings, iHealth, Misfit, Jawbone)",

  detect(input) {
    const text = input.headText;
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
    const shape = isObject(doc) ? SHAPES.find((s) => s.test(doc)) : undefined;
    if (!shape || !isObject(doc)) {
      yield {
        kind: "issue",
        issue: {
          location: "$",
          code: "unrecognized_format",
          severity: "error",
          message: "not a vendor API response this mapper reads",
        },
      };
      return;
    }
    const run = new VendorRun(context, shape.vendor);
    yield* shape.map(doc, run);
    yield* run.flush();
  },
};
