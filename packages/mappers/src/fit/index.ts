/**
 * Garmin FIT activity and monitoring files → observations, decoded as a stream (./decoder.ts): memory
 * holds one record plus a little per-file state (local definitions, the last cumulative step count per
 * activity type, the open sleep level), whatever the file size.
 *
 * Messages and fields follow the FIT profile (FIT SDK `Profile.xlsx`, 21.x): field numbers, scales and
 * units as the profile gives them, FIT `date_time` as seconds since 1989-12-31T00:00:00Z (UTC).
 * - `record` (20): `heart_rate` (3, bpm).
 * - `monitoring` (55): `heart_rate` (27, bpm); `cycles` (3), which the profile reads as `steps` (scale 1)
 *   when `activity_type` (5) is walking (6) or running (1), an accumulated count, so steps are the
 *   difference from the previous record of the same activity type; `timestamp_16` (26) as the low 16
 *   bits of the time.
 * - `hrv` (78): `time` (0, s, scale 1000), the beat-to-beat intervals following the last timestamp.
 * - `stress_level` (227): `stress_level_value` (0, 0-100; negative values mean not measured) at
 *   `stress_level_time` (1). Garmin's 0-100 scale is not the platform's 0-10 stress rating, so it keeps
 *   a local coding (`urn:dfda:local:fit:<manufacturer>` / `stress_level`) the tenant can map.
 * - `sleep_level` (275): `sleep_level` (0: 1 awake, 2 light, 3 deep, 4 rem) from each message's
 *   timestamp until the next one's, as minutes of that stage (a stage without a LOINC code, awake, is
 *   matched by its variable name through `MapContext.lookup`). The last level's end is not recorded, so
 *   it is reported, not guessed.
 * - `spo2_data` (269): `reading_spo2` (0, percent).
 * A `weight_scale` (30) reading is not mapped: a scale file holds several people's readings
 * (`user_profile_index`), and which one is the uploader's cannot be told; a warning counts them.
 */
import {
  CODE_SYSTEMS,
  localCodeSystem,
  type MapContext,
  type MapEvent,
  type Mapper,
  type SourceCoding,
} from "@dfda/core";
import { decodeFit, FIT_EPOCH_S, FIT_MIN_DATE_TIME, type FitMessage, type FitValue } from "./decoder";

const loinc = (code: string, display: string): SourceCoding => ({ system: CODE_SYSTEMS.loinc, code, display });

const HEART_RATE = loinc("8867-4", "Heart rate");
const STEPS = loinc("55423-8", "Number of steps in unspecified time Pedometer");
const SPO2 = loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry");
const RR_INTERVAL: SourceCoding = { system: CODE_SYSTEMS.openmhealth, code: "rr-interval", display: "RR interval" };

/** FIT `sleep_level` enum → the stage's LOINC code (LOINC 93829-0 … 93831-6) or seed label. */
const SLEEP_STAGES: Record<number, { coding?: SourceCoding; label: string; name: string }> = {
  1: { label: "Awake time during sleep", name: "awake" },
  2: { coding: loinc("93830-8", "Light sleep duration"), label: "Light sleep duration", name: "light" },
  3: { coding: loinc("93831-6", "Deep sleep duration"), label: "Deep sleep duration", name: "deep" },
  4: { coding: loinc("93829-0", "REM sleep duration"), label: "REM sleep duration", name: "rem" },
};

/** FIT `manufacturer` enum values that name the device's maker in metadata (profile `manufacturer`). */
const MANUFACTURERS: Record<number, string> = {
  1: "garmin",
  15: "dynastream",
  23: "suunto",
  32: "wahoo_fitness",
  255: "development",
  260: "zwift",
  265: "strava",
  294: "coros",
};

/** FIT `file` enum (file_id.type) names for metadata. */
const FILE_TYPES: Record<number, string> = {
  4: "activity",
  9: "weight",
  15: "monitoring_a",
  28: "monitoring_daily",
  32: "monitoring_b",
  49: "sleep",
};

const num = (v: FitValue | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** FIT seconds → RFC 3339 UTC; null for a time relative to power-up (below 0x10000000). */
export function fitTime(seconds: number): string | null {
  if (seconds < FIT_MIN_DATE_TIME) return null;
  return new Date((seconds + FIT_EPOCH_S) * 1000).toISOString().replace(".000Z", "Z");
}

class FitRun {
  constructor(private readonly context: MapContext) {}

  manufacturer = "unknown";
  fileType: string | null = null;
  /** Accumulated steps per activity type, and when that count was read. */
  private readonly steps = new Map<number, { count: number; at: number }>();
  /** The sleep level in effect and when it began. */
  private sleep: { level: number; at: number; location: string } | null = null;
  private lastTime: number | null = null;
  private readonly skipped = new Map<string, number>();
  private relativeTimes = 0;

  *message(m: FitMessage): Generator<MapEvent> {
    const location = `byte ${m.offset}`;
    if (m.timestamp !== null && (this.lastTime === null || m.timestamp > this.lastTime)) this.lastTime = m.timestamp;
    switch (m.global) {
      case 0: {
        const maker = num(m.fields.get(1));
        if (maker !== null) this.manufacturer = MANUFACTURERS[maker] ?? `manufacturer-${maker}`;
        const type = num(m.fields.get(0));
        if (type !== null) this.fileType = FILE_TYPES[type] ?? `type-${type}`;
        return;
      }
      case 20: {
        const hr = num(m.fields.get(3));
        if (hr !== null && hr > 0) yield* this.point(m.timestamp, HEART_RATE, hr, "/min", location, "record");
        return;
      }
      case 55:
        yield* this.monitoring(m, location);
        return;
      case 78:
        yield* this.hrv(m, location);
        return;
      case 227: {
        const value = num(m.fields.get(0));
        const at = num(m.fields.get(1)) ?? m.timestamp;
        if (value === null || value < 0) return;
        yield* this.point(
          at,
          { system: localCodeSystem("fit", this.manufacturer), code: "stress_level", display: "Stress level (0-100)" },
          value,
          "{score}",
          location,
          "stress_level",
        );
        return;
      }
      case 269: {
        const spo2 = num(m.fields.get(0));
        if (spo2 !== null && spo2 > 0) yield* this.point(m.timestamp, SPO2, spo2, "%", location, "spo2_data");
        return;
      }
      case 275: {
        const level = num(m.fields.get(0));
        if (m.timestamp === null) return;
        yield* this.closeSleep(m.timestamp);
        if (level !== null) this.sleep = { level, at: m.timestamp, location };
        return;
      }
      case 30:
        this.skipped.set("weight_scale", (this.skipped.get("weight_scale") ?? 0) + 1);
        return;
      default:
        return;
    }
  }

  private *point(
    at: number | null,
    coding: SourceCoding,
    value: number,
    unit: string,
    location: string,
    message: string,
    end?: number,
    variableId?: string,
  ): Generator<MapEvent> {
    const start = at === null ? null : fitTime(at);
    if (start === null) {
      this.relativeTimes += 1;
      return;
    }
    const endAt = end === undefined ? undefined : fitTime(end);
    yield {
      kind: "observation",
      observation: {
        codings: [coding],
        ...(variableId === undefined ? {} : { variable_id: variableId }),
        value,
        unit,
        start_at: start,
        ...(endAt ? { end_at: endAt } : {}),
        metadata: {
          format: "fit",
          fit_message: message,
          manufacturer: this.manufacturer,
          ...(this.fileType ? { fit_file_type: this.fileType } : {}),
        },
        location,
      },
    };
  }

  private *monitoring(m: FitMessage, location: string): Generator<MapEvent> {
    let at = m.timestamp;
    const ts16 = num(m.fields.get(26));
    if (at === null && ts16 !== null && m.reference !== null) {
      // timestamp_16: the low 16 bits of the time, after the last full timestamp (profile `monitoring`).
      at = m.reference + ((ts16 - (m.reference & 0xffff)) & 0xffff);
      if (this.lastTime === null || at > this.lastTime) this.lastTime = at;
    }
    const hr = num(m.fields.get(27));
    if (hr !== null && hr > 0) yield* this.point(at, HEART_RATE, hr, "/min", location, "monitoring");
    const activity = num(m.fields.get(5));
    const cycles = num(m.fields.get(3));
    if (cycles === null || at === null || (activity !== 6 && activity !== 1)) return;
    const previous = this.steps.get(activity);
    this.steps.set(activity, { count: cycles, at });
    if (previous === undefined || at <= previous.at) return;
    // A count lower than the last one was reset (a new day): all of it falls after the last reading.
    const delta = cycles >= previous.count ? cycles - previous.count : cycles;
    if (delta > 0) yield* this.point(previous.at, STEPS, delta, "{steps}", location, "monitoring", at);
  }

  private *hrv(m: FitMessage, location: string): Generator<MapEvent> {
    const times = m.fields.get(0);
    const values = Array.isArray(times) ? times : [times ?? null];
    // Intervals follow the last timestamp in file order; each beat's time is the running sum.
    let at = this.lastTime === null ? null : this.lastTime * 1000;
    for (const [i, ms] of values.entries()) {
      // `time` is seconds with scale 1000, so the stored integer is milliseconds.
      if (typeof ms !== "number") continue;
      if (at === null) {
        this.relativeTimes += 1;
        continue;
      }
      at += ms;
      if (fitTime(Math.floor(at / 1000)) === null) continue;
      yield {
        kind: "observation",
        observation: {
          codings: [RR_INTERVAL],
          value: ms,
          unit: "ms",
          start_at: new Date(FIT_EPOCH_S * 1000 + at).toISOString(),
          metadata: { format: "fit", fit_message: "hrv", manufacturer: this.manufacturer },
          location: `${location}[${i}]`,
        },
      };
    }
  }

  private *closeSleep(until: number): Generator<MapEvent> {
    const open = this.sleep;
    this.sleep = null;
    if (open === null || until <= open.at) return;
    const stage = SLEEP_STAGES[open.level];
    if (!stage) return;
    const minutes = (until - open.at) / 60;
    const coding = stage.coding ?? {
      system: localCodeSystem("fit", this.manufacturer),
      code: `sleep_level_${stage.name}`,
      display: stage.label,
    };
    const variable = stage.coding ? null : this.context.lookup.byLabel(stage.label);
    yield* this.point(
      open.at,
      coding,
      Math.round(minutes * 100) / 100,
      "min",
      open.location,
      "sleep_level",
      until,
      variable?.id,
    );
  }

  /** At the end of a file: the issues that count what was not mapped. */
  *finish(): Generator<MapEvent> {
    if (this.sleep !== null && SLEEP_STAGES[this.sleep.level]) {
      yield {
        kind: "issue",
        issue: {
          location: this.sleep.location,
          code: "fit_sleep_level_open",
          severity: "info",
          message: `the last sleep level (${SLEEP_STAGES[this.sleep.level]?.name}) has no end in the file, so its duration is unknown and it is not mapped`,
        },
      };
    }
    for (const [message, count] of this.skipped) {
      yield {
        kind: "issue",
        issue: {
          location: null,
          code: "fit_not_mapped",
          severity: "warning",
          message: `${count} ${message} message(s) not mapped: a scale file can hold several people's readings, and which are the uploader's cannot be told`,
        },
      };
    }
    if (this.relativeTimes > 0) {
      yield {
        kind: "issue",
        issue: {
          location: null,
          code: "fit_relative_time",
          severity: "warning",
          message: `${this.relativeTimes} value(s) skipped: their time is relative to the device's power-up (FIT date_time below 0x10000000), not a date`,
        },
      };
    }
  }
}

export const fitMapper: Mapper = {
  id: "fit",
  version: "1.0.0",
  description: "Garmin FIT activity and monitoring files (heart rate, steps, SpO2, stress, sleep, HRV)",

  /** The FIT header (Protocol §"File Header"): a size of 12 or more and `.FIT` at bytes 8-11. */
  detect(input) {
    const h = input.head;
    if (h.length < 12 || (h[0] ?? 0) < 12) return 0;
    return h[8] === 0x2e && h[9] === 0x46 && h[10] === 0x49 && h[11] === 0x54 ? 0.99 : 0;
  },

  async *map(source, context) {
    let run = new FitRun(context);
    let files = 0;
    for await (const event of decodeFit(source)) {
      if (event.kind === "header") {
        // A chained FIT file starts afresh (its own file_id and timestamps).
        if (files > 0) yield* run.finish();
        files += 1;
        run = new FitRun(context);
        continue;
      }
      yield* run.message(event.message);
    }
    yield* run.finish();
  },
};
