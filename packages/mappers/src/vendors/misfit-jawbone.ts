/**
 * Two retired vendor APIs whose recorded responses still circulate (openmhealth/shimmer test data):
 * - Misfit Cloud API sleep sessions (`GET /move/resource/v1/user/me/activity/sleeps`): `sleeps[]` with
 *   `startTime` (with offset), `duration` (seconds, the whole session) and `sleepDetails[]` state changes
 *   (`value` 1 awake, 2 sleep, 3 deep sleep), each state lasting until the next change;
 * - Jawbone UP API heart rates (`GET /nudge/api/v.1.1/users/@me/heartrates`): `data.items[]` with the
 *   day's `resting_heartrate`, its `date` (`YYYYMMDD`) and the zone `details.tz`.
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { shiftInstant } from "../openmhealth/time-frame";
import { fromEpoch, localToInstant } from "../util/time";
import { isArray, isNumber, isObject, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const MISFIT_SYSTEM = "https://build.misfit.com/docs/cloudapi/api_references";
export const JAWBONE_SYSTEM = "https://jawbone.com/up/developer/endpoints/heartrates";

export const isMisfit = (doc: JsonObject) => isArray(doc.sleeps);
export const isJawbone = (doc: JsonObject) =>
  isObject(doc.data) && isArray(doc.data.items) && doc.data.items.some((i) => isObject(i) && "resting_heartrate" in i);

/** Misfit sleep states and the sleep variable each one's total time goes to. */
const MISFIT_STATES: readonly { value: number; name: string; codings: SourceCoding[]; label?: string }[] = [
  { value: 1, name: "awake", codings: [], label: "Awake" },
  { value: 3, name: "deep", codings: [loinc("93831-6", "Deep sleep duration")] },
  { value: 2, name: "light", codings: [loinc("93830-8", "Light sleep duration")] },
];

export function* mapMisfit(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const sleeps = isArray(doc.sleeps) ? doc.sleeps : [];
  for (const [index, sleep] of indexed(sleeps)) {
    const at = path("$.sleeps", index);
    if (!isObject(sleep) || typeof sleep.startTime !== "string" || !isNumber(sleep.duration)) {
      yield* run.issue(at, "missing_time", "error", "sleep without startTime and duration");
      continue;
    }
    const start = run.local(sleep.startTime);
    const end = start === null ? null : shiftInstant(start, sleep.duration * 1000);
    if (!start || !end) {
      yield* run.issue(at, "missing_time", "error", `startTime ${sleep.startTime} is not a date-time`);
      continue;
    }
    const startMs = Date.parse(start);
    const endMs = Date.parse(end);
    // Seconds in each state: the state changes form a step function, cut to the session. A change
    // before the session start sets the state the session starts in.
    const changes = (isArray(sleep.sleepDetails) ? sleep.sleepDetails : [])
      .filter(isObject)
      .map((d) => ({ at: typeof d.datetime === "string" ? Date.parse(d.datetime) : Number.NaN, value: d.value }))
      .filter((d) => Number.isFinite(d.at) && isNumber(d.value))
      .sort((a, b) => a.at - b.at);
    if (changes.some((c) => c.at < startMs || c.at >= endMs)) {
      yield* run.issue(
        path(at, "sleepDetails"),
        "inconsistent_sleep_details",
        "warning",
        "state changes outside the sleep session were cut to it",
      );
    }
    const seconds = new Map<number, number>();
    for (const [i, change] of changes.entries()) {
      const from = Math.max(change.at, startMs);
      const to = Math.min(changes[i + 1]?.at ?? endMs, endMs);
      if (to > from && isNumber(change.value))
        seconds.set(change.value, (seconds.get(change.value) ?? 0) + (to - from) / 1000);
    }
    const metadata = { sleep_id: sleep.id, auto_detected: sleep.autoDetected };
    const span = { start_at: start, end_at: end };
    if (changes.length === 0) {
      yield* run.issue(at, "missing_sleep_details", "warning", "no sleep state changes: time asleep is unknown");
      continue;
    }
    // Time asleep is the session without its awake time (states 2 and 3).
    yield* run.observation({
      codings: [loinc("93832-4", "Sleep duration"), { system: MISFIT_SYSTEM, code: "sleeps.asleep" }],
      value: (seconds.get(2) ?? 0) + (seconds.get(3) ?? 0),
      unit: "s",
      ...span,
      metadata,
      location: path(at, "sleepDetails"),
    });
    for (const state of MISFIT_STATES) {
      const value = seconds.get(state.value);
      if (value === undefined) continue;
      yield* run.observation({
        codings: [...state.codings, { system: MISFIT_SYSTEM, code: `sleeps.${state.name}` }],
        ...(state.label === undefined ? {} : { label: state.label }),
        value,
        unit: "s",
        ...span,
        metadata,
        location: path(at, "sleepDetails"),
      });
    }
  }
}

export function* mapJawbone(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const items = isObject(doc.data) && isArray(doc.data.items) ? doc.data.items : [];
  for (const [index, item] of indexed(items)) {
    const at = path("$.data.items", index);
    if (!isObject(item) || !isNumber(item.resting_heartrate)) continue;
    // The resting heart rate is the day's (`date`, YYYYMMDD) in the user's zone `details.tz`.
    const date = isNumber(item.date) ? /^(\d{4})(\d{2})(\d{2})$/.exec(String(item.date)) : null;
    const tz = isObject(item.details) && typeof item.details.tz === "string" ? item.details.tz : undefined;
    if (!date) {
      yield* run.issue(at, "missing_time", "error", "heart rate without a date");
      continue;
    }
    const day = `${date[1]}-${date[2]}-${date[3]}`;
    const start = tz
      ? localToInstant(
          {
            year: Number(date[1]),
            month: Number(date[2]),
            day: Number(date[3]),
            hour: 0,
            minute: 0,
            second: 0,
            millisecond: 0,
          },
          tz,
        )
      : run.local(day);
    const end = run.dayAfter(day, tz ?? run.context.timezone);
    if (!start || !end) {
      yield* run.issue(at, "missing_time", "error", `date ${String(item.date)} is not a date in ${tz ?? "UTC"}`);
      continue;
    }
    yield* run.observation({
      codings: [loinc("40443-4", "Heart rate --resting"), { system: JAWBONE_SYSTEM, code: "resting_heartrate" }],
      value: item.resting_heartrate,
      unit: "/min",
      start_at: start,
      end_at: end,
      metadata: {
        xid: item.xid,
        title: item.title,
        ...(isNumber(item.time_created) ? { time_created: fromEpoch(item.time_created, "s") } : {}),
        ...(tz ? { timezone: tz } : {}),
      },
      location: path(at, "resting_heartrate"),
    });
  }
}
