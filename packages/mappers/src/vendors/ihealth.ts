/**
 * iHealth Open API responses (https://developer.ihealthlabs.com, OpenApiV2): body weight
 * (`WeightDataList`, `WeightUnit` 0 kg / 1 lbs / 2 stone) and blood glucose (`BGDataList`, `BGUnit`
 * 0 mg/dL / 1 mmol/L). `MDate` is the measurement's local wall-clock time written as Unix seconds (the
 * seconds of that wall-clock time read as UTC); `TimeZone` (`-0800`) is its offset. Optional scale
 * values (`FatValue`, `WaterValue`, `BoneValue`, `MuscaleValue`, `BMI`) are 0 when not measured.
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { localToInstant } from "../util/time";
import { isArray, isNumber, isObject, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const IHEALTH_SYSTEM = "https://developer.ihealthlabs.com";
const ihealth = (code: string): SourceCoding => ({ system: IHEALTH_SYSTEM, code });

const WEIGHT_UNITS: Readonly<Record<number, string>> = { 0: "kg", 1: "[lb_av]", 2: "[stone_av]" };
const GLUCOSE_UNITS: Readonly<Record<number, string>> = { 0: "mg/dL", 1: "mmol/L" };

export const isIHealth = (doc: JsonObject) => isArray(doc.WeightDataList) || isArray(doc.BGDataList);

/** `MDate` + `TimeZone` → RFC 3339: the UTC rendering of MDate is the local time, at the given offset. */
export function iHealthTime(mdate: number, timeZone: string): string | null {
  const wall = new Date(mdate * 1000);
  if (Number.isNaN(wall.getTime())) return null;
  return localToInstant(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
      millisecond: 0,
    },
    timeZone,
  );
}

function* timeOf(entry: JsonObject, at: string, run: VendorRun): Generator<MapEvent, string | null> {
  if (!isNumber(entry.MDate)) {
    yield* run.issue(at, "missing_time", "error", "entry without MDate");
    return null;
  }
  if (typeof entry.TimeZone === "string") {
    const time = iHealthTime(entry.MDate, entry.TimeZone);
    if (time) return time;
  }
  // Without a usable TimeZone, MDate's wall-clock time takes the context zone (or UTC, with a warning).
  const wall = new Date(entry.MDate * 1000).toISOString().slice(0, 19);
  const time = run.local(wall);
  if (!time) yield* run.issue(at, "missing_time", "error", `MDate ${entry.MDate} is not a time`);
  return time;
}

function common(entry: JsonObject) {
  return {
    note: typeof entry.Note === "string" && entry.Note !== "" ? { note: entry.Note } : {},
    metadata: { data_id: entry.DataID, data_source: entry.DataSource },
  };
}

export function* mapIHealth(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  if (isArray(doc.WeightDataList)) {
    const unit = isNumber(doc.WeightUnit) ? WEIGHT_UNITS[doc.WeightUnit] : undefined;
    for (const [index, entry] of indexed(doc.WeightDataList)) {
      const at = path("$.WeightDataList", index);
      if (!isObject(entry)) continue;
      const time = yield* timeOf(entry, at, run);
      if (!time) continue;
      const { note, metadata } = common(entry);
      const fields: { field: string; codings: SourceCoding[]; label?: string; unit: string | undefined }[] = [
        { field: "WeightValue", codings: [loinc("29463-7", "Body weight")], unit },
        { field: "BMI", codings: [loinc("39156-5", "Body mass index (BMI) [Ratio]")], unit: "kg/m2" },
        { field: "FatValue", codings: [loinc("41982-0", "Percentage of body fat Measured")], unit: "%" },
        { field: "WaterValue", codings: [], label: "Body Water", unit: "%" },
        { field: "BoneValue", codings: [], label: "Bone Mass", unit },
        { field: "MuscaleValue", codings: [], label: "Muscle Mass", unit },
      ];
      for (const f of fields) {
        const value = entry[f.field];
        if (!isNumber(value) || value === 0) continue;
        if (f.unit === undefined) {
          yield* run.issue(
            path(at, f.field),
            "unknown_unit",
            "error",
            `WeightUnit ${String(doc.WeightUnit)} is not 0, 1 or 2`,
          );
          continue;
        }
        yield* run.observation({
          codings: [...f.codings, ihealth(f.field)],
          ...(f.label === undefined ? {} : { label: f.label }),
          value,
          unit: f.unit,
          start_at: time,
          ...note,
          metadata,
          location: path(at, f.field),
        });
      }
    }
  }
  if (isArray(doc.BGDataList)) {
    const unit = isNumber(doc.BGUnit) ? GLUCOSE_UNITS[doc.BGUnit] : undefined;
    // A glucometer reading: LOINC names the capillary mass concentration; the molar one is 15074-8.
    const coding =
      unit === "mmol/L"
        ? loinc("15074-8", "Glucose [Moles/volume] in Blood")
        : loinc("41653-7", "Glucose [Mass/volume] in Capillary blood by Glucometer");
    for (const [index, entry] of indexed(doc.BGDataList)) {
      const at = path("$.BGDataList", index);
      if (!isObject(entry) || !isNumber(entry.BG)) continue;
      if (unit === undefined) {
        yield* run.issue(path(at, "BG"), "unknown_unit", "error", `BGUnit ${String(doc.BGUnit)} is not 0 or 1`);
        continue;
      }
      const time = yield* timeOf(entry, at, run);
      if (!time) continue;
      const { note, metadata } = common(entry);
      yield* run.observation({
        codings: [coding, ihealth("BG")],
        value: entry.BG,
        unit,
        start_at: time,
        ...note,
        metadata: { ...metadata, dinner_situation: entry.DinnerSituation, drug_situation: entry.DrugSituation },
        location: path(at, "BG"),
      });
    }
  }
}
