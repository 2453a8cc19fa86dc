/**
 * Big files, fast and within memory (issue 15): three phases of `npm run bench`, also runnable alone
 * (`npx tsx bench/big.ts`, which starts its own platform exactly as bench/run.ts does).
 *
 * - big-apple-health: an Apple Health `export.xml` of BENCH_BIG_MB (100) MB, generated as a stream in
 *   the structure of the HealthKit Export Version 3 DTD (the corpus sample's internal subset): quantity
 *   Records of several kinds with their units (some with MetadataEntry children), sleep analysis
 *   categories, Workouts and ActivitySummary days.
 * - big-fhir-ndjson: FHIR R4 Observations as NDJSON (FHIR Bulk Data), BENCH_BIG_MB MB: vital signs,
 *   a blood-pressure panel with components, a laboratory glucose.
 *   Each is sent as one raw `POST /v1/ingest/files` body and timed from the first byte sent until every
 *   observation is readable: the job `completed` (the person's writer commits a file's rows at once, so
 *   then all are readable) and `GET /v1/observations` answering with the file's newest row. Baseline:
 *   the plain upload of the same bytes, which is the same request's 202 (it answers once the body is
 *   hashed, encrypted and stored; mapping starts after): end to end ÷ upload says what mapping and
 *   storing the rows cost beyond moving the bytes. Rows are not compared with COPY here: the main phase
 *   already measures ingest against COPY.
 * - resumable-1gib: a tus 1.0 upload of BENCH_RESUMABLE_MB (1024) MiB of pseudo-random bytes, its PATCH
 *   cut twice mid-body (the client drops the connection), each time resumed from the offset HEAD
 *   reports; the stored object is read back (`GET /v1/files/{id}/content`) and its SHA-256 compared with
 *   the bytes sent. Baseline: the same bytes as one uninterrupted PATCH by another person (de-duplication
 *   is per person, so it is stored again), same run.
 *
 * The checks are exact (rows stored per phase, every job count, the object's hash); the times are only
 * reported. Memory: see bench/memory.ts.
 */
import { createCipheriv, createHash } from "node:crypto";
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { type MemoryReport, sampleWorkerdMemory } from "./memory";

const MIB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Generators

/** What a generated file holds: its size and hash, and how many observations the platform must store. */
export interface Generated {
  path: string;
  bytes: number;
  sha256: string;
  /** Observations the mappers make of it (each counted by the rule of its element), all valid. */
  observations: number;
  /** The same, per kind of element, for the report. */
  kinds: Record<string, number>;
}

/** Writes `chunks` to `path` through a stream (never the whole file in memory), hashing as it goes. */
async function writeChunks(path: string, chunks: Iterable<string>): Promise<{ bytes: number; sha256: string }> {
  const out = createWriteStream(path);
  const hash = createHash("sha256");
  let bytes = 0;
  let buffer = "";
  const flush = async () => {
    const data = Buffer.from(buffer, "utf8");
    buffer = "";
    hash.update(data);
    bytes += data.length;
    if (!out.write(data)) await new Promise<void>((r) => out.once("drain", () => r()));
  };
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= MIB) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { bytes, sha256: hash.digest("hex") };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `2025-03-01 07:05:00 +0100`: how export.xml writes times (local time and its offset). */
function appleTime(epochMs: number): string {
  // The exports carry the device's offset; +01:00 here, written as the local wall time.
  const d = new Date(epochMs + 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0100`;
}

/** A deterministic value in [lo, hi) from a sample number, with `decimals` digits. */
function vary(i: number, lo: number, hi: number, decimals = 0): string {
  const x = ((i * 2654435761) >>> 0) / 2 ** 32;
  return (lo + x * (hi - lo)).toFixed(decimals);
}

const DAY = 86_400_000;
const MINUTE = 60_000;
/** The first day of generated data (local midnight, +01:00). */
const FIRST_DAY = Date.UTC(2025, 0, 1) - 3_600_000;

const WATCH =
  'sourceName="Bench Watch" sourceVersion="11.2" device="&lt;&lt;HKDevice: 0x283e5c2d0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:11.2&gt;"';
const PHONE = 'sourceName="Bench iPhone" sourceVersion="18.1"';

interface RecordKind {
  type: string;
  unit: string;
  /** Minutes after local midnight of each sample of a day, and each sample's length in minutes. */
  times: number[];
  length: number;
  value: (i: number) => string;
  source: string;
  /** Observations per Record (sleep stages are a sleep duration and their stage's duration). */
  observations: number;
  metadata?: string;
}

const range = (from: number, to: number, step: number) => {
  const out: number[] = [];
  for (let m = from; m < to; m += step) out.push(m);
  return out;
};

/**
 * A day of an Apple Watch wearer: the quantity types every export has, with Apple's own units
 * (HKUnit strings: count/min, count, kcal, km, %, ms, kg, degC), and a night's sleep stages.
 */
const APPLE_KINDS: readonly RecordKind[] = [
  {
    type: "HKQuantityTypeIdentifierHeartRate",
    unit: "count/min",
    times: range(0, 1440, 5),
    length: 0,
    value: (i) => vary(i, 52, 120),
    source: WATCH,
    observations: 1,
    metadata: '<MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>',
  },
  {
    type: "HKQuantityTypeIdentifierStepCount",
    unit: "count",
    times: range(7 * 60, 22 * 60, 10),
    length: 5,
    value: (i) => vary(i, 10, 900),
    source: PHONE,
    observations: 1,
  },
  {
    type: "HKQuantityTypeIdentifierDistanceWalkingRunning",
    unit: "km",
    times: range(7 * 60 + 1, 22 * 60, 10),
    length: 5,
    value: (i) => vary(i, 0.01, 0.7, 5),
    source: PHONE,
    observations: 1,
  },
  {
    type: "HKQuantityTypeIdentifierActiveEnergyBurned",
    unit: "kcal",
    times: range(7 * 60 + 2, 22 * 60, 15),
    length: 15,
    value: (i) => vary(i, 1, 40, 3),
    source: WATCH,
    observations: 1,
  },
  {
    type: "HKQuantityTypeIdentifierRespiratoryRate",
    unit: "count/min",
    times: range(60, 6 * 60, 60),
    length: 0,
    value: (i) => vary(i, 12, 18, 1),
    source: WATCH,
    observations: 1,
  },
  {
    type: "HKQuantityTypeIdentifierOxygenSaturation",
    unit: "%",
    times: range(90, 6 * 60, 60),
    length: 0,
    value: (i) => vary(i, 0.94, 0.99, 2),
    source: WATCH,
    observations: 1,
  },
  {
    type: "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
    unit: "ms",
    times: [200, 560, 900, 1260],
    length: 1,
    value: (i) => vary(i, 20, 90, 3),
    source: WATCH,
    observations: 1,
  },
  {
    type: "HKQuantityTypeIdentifierRestingHeartRate",
    unit: "count/min",
    times: [1439],
    length: 0,
    value: (i) => vary(i, 52, 64),
    source: WATCH,
    observations: 1,
  },
  {
    type: "HKQuantityTypeIdentifierBodyMass",
    unit: "kg",
    times: [7 * 60 + 30],
    length: 0,
    value: (i) => vary(i, 74, 78, 1),
    source: 'sourceName="Bench Scale" sourceVersion="2"',
    observations: 1,
  },
];

/** The night before each day: in bed, then stages (minutes after the day's local midnight, from 23:00 the evening before). */
const SLEEP: ReadonlyArray<{ value: string; from: number; to: number; observations: number }> = [
  { value: "HKCategoryValueSleepAnalysisInBed", from: -60, to: 7 * 60, observations: 1 },
  { value: "HKCategoryValueSleepAnalysisAsleepCore", from: -45, to: 60, observations: 2 },
  { value: "HKCategoryValueSleepAnalysisAsleepDeep", from: 60, to: 150, observations: 2 },
  { value: "HKCategoryValueSleepAnalysisAsleepCore", from: 150, to: 240, observations: 2 },
  { value: "HKCategoryValueSleepAnalysisAwake", from: 240, to: 250, observations: 1 },
  { value: "HKCategoryValueSleepAnalysisAsleepREM", from: 250, to: 330, observations: 2 },
  { value: "HKCategoryValueSleepAnalysisAsleepCore", from: 330, to: 410, observations: 2 },
];

const APPLE_HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 3 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
>
<!ELEMENT Record (MetadataEntry*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutEvent EMPTY>
<!ATTLIST WorkoutEvent
  type CDATA #REQUIRED
  date CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  activeEnergyBurnedGoal   CDATA #IMPLIED
  activeEnergyBurnedUnit   CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleExerciseTimeGoal    CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-12-06 08:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1980-05-17" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet"/>
`;

function appleRecord(kind: RecordKind, day: number, minute: number, i: number): string {
  const start = FIRST_DAY + day * DAY + minute * MINUTE;
  const created = appleTime(start + (kind.length + 2) * MINUTE);
  const attrs = `type="${kind.type}" ${kind.source} unit="${kind.unit}" creationDate="${created}" startDate="${appleTime(start)}" endDate="${appleTime(start + kind.length * MINUTE)}" value="${kind.value(i)}"`;
  return kind.metadata === undefined ? ` <Record ${attrs}/>\n` : ` <Record ${attrs}>\n  ${kind.metadata}\n </Record>\n`;
}

function sleepRecord(day: number, s: (typeof SLEEP)[number]): string {
  const start = FIRST_DAY + day * DAY + s.from * MINUTE;
  const end = FIRST_DAY + day * DAY + s.to * MINUTE;
  return ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${WATCH} creationDate="${appleTime(end + MINUTE)}" startDate="${appleTime(start)}" endDate="${appleTime(end)}" value="${s.value}">\n  <MetadataEntry key="HKTimeZone" value="Europe/Paris"/>\n </Record>\n`;
}

function workout(day: number): string {
  // 18:07 local: no quantity Record of the same variables starts then.
  const start = FIRST_DAY + day * DAY + (18 * 60 + 7) * MINUTE;
  const minutes = 25 + (day % 20);
  const end = start + minutes * MINUTE;
  return `  <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="${minutes}" durationUnit="min" totalDistance="${vary(day, 3, 9, 3)}" totalDistanceUnit="km" totalEnergyBurned="${vary(day, 250, 600, 3)}" totalEnergyBurnedUnit="kcal" ${WATCH} creationDate="${appleTime(end + MINUTE)}" startDate="${appleTime(start)}" endDate="${appleTime(end)}">\n   <MetadataEntry key="HKIndoorWorkout" value="0"/>\n   <WorkoutEvent type="HKWorkoutEventTypeSegment" date="${appleTime(start + 10 * MINUTE)}"/>\n  </Workout>\n`;
}

function activitySummary(day: number): string {
  const d = new Date(FIRST_DAY + day * DAY + 3_600_000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return ` <ActivitySummary dateComponents="${date}" activeEnergyBurned="${vary(day, 300, 900, 3)}" activeEnergyBurnedGoal="600" activeEnergyBurnedUnit="kcal" appleExerciseTime="${vary(day, 5, 90)}" appleExerciseTimeGoal="30" appleStandHours="${vary(day, 6, 16)}" appleStandHoursGoal="12"/>\n`;
}

/** Observations of one day: each quantity Record one, sleep as above, a Workout three, an ActivitySummary three. */
const WORKOUT_OBSERVATIONS = 3;
const SUMMARY_OBSERVATIONS = 3;

/**
 * An Apple Health export.xml of about `targetBytes`: as many whole days as fit, each element kind in
 * its own run over all days (exports list Records by type, then Workouts, then ActivitySummary days).
 */
export async function generateAppleHealth(dir: string, targetBytes: number): Promise<Generated> {
  let oneDay = 0;
  for (const kind of APPLE_KINDS) {
    for (const [i, m] of kind.times.entries()) oneDay += appleRecord(kind, 0, m, i).length;
  }
  for (const s of SLEEP) oneDay += sleepRecord(0, s).length;
  oneDay += workout(0).length + activitySummary(0).length;
  const days = Math.max(1, Math.round((targetBytes - APPLE_HEAD.length) / oneDay));
  const kinds: Record<string, number> = {};
  const add = (name: string, n: number) => (kinds[name] = (kinds[name] ?? 0) + n);
  function* chunks() {
    yield APPLE_HEAD;
    for (const kind of APPLE_KINDS) {
      let i = 0;
      for (let day = 0; day < days; day++) {
        let text = "";
        for (const minute of kind.times) text += appleRecord(kind, day, minute, i++);
        yield text;
      }
      add(kind.type, i * kind.observations);
    }
    for (let day = 0; day < days; day++) {
      let text = "";
      for (const s of SLEEP) {
        text += sleepRecord(day, s);
        add(
          `HKCategoryTypeIdentifierSleepAnalysis (${s.value.replace("HKCategoryValueSleepAnalysis", "")})`,
          s.observations,
        );
      }
      yield text;
    }
    for (let day = 0; day < days; day++) yield workout(day);
    add("Workout (duration, distance, energy)", days * WORKOUT_OBSERVATIONS);
    for (let day = 0; day < days; day++) yield activitySummary(day);
    add("ActivitySummary (energy, exercise, stand)", days * SUMMARY_OBSERVATIONS);
    yield "</HealthData>\n";
  }
  const path = join(dir, "export.xml");
  const { bytes, sha256 } = await writeChunks(path, chunks());
  return { path, bytes, sha256, observations: Object.values(kinds).reduce((a, b) => a + b, 0), kinds };
}

interface FhirKind {
  name: string;
  code: string;
  display: string;
  category: "vital-signs" | "laboratory";
  unit?: string;
  value?: (i: number) => number;
  /** A panel: its components, each its own measurement. */
  components?: ReadonlyArray<{ code: string; display: string; unit: string; value: (i: number) => number }>;
  everyMinutes: number;
}

const FHIR_KINDS: readonly FhirKind[] = [
  {
    name: "heart rate",
    code: "8867-4",
    display: "Heart rate",
    category: "vital-signs",
    unit: "/min",
    value: (i) => Number(vary(i, 52, 120)),
    everyMinutes: 5,
  },
  {
    name: "respiratory rate",
    code: "9279-1",
    display: "Respiratory rate",
    category: "vital-signs",
    unit: "/min",
    value: (i) => Number(vary(i, 12, 18, 1)),
    everyMinutes: 30,
  },
  {
    name: "oxygen saturation",
    code: "59408-5",
    display: "Oxygen saturation in Arterial blood by Pulse oximetry",
    category: "vital-signs",
    unit: "%",
    value: (i) => Number(vary(i, 94, 99)),
    everyMinutes: 30,
  },
  {
    name: "body temperature",
    code: "8310-5",
    display: "Body temperature",
    category: "vital-signs",
    unit: "Cel",
    value: (i) => Number(vary(i, 36.2, 37.4, 1)),
    everyMinutes: 240,
  },
  {
    name: "body weight",
    code: "29463-7",
    display: "Body weight",
    category: "vital-signs",
    unit: "kg",
    value: (i) => Number(vary(i, 74, 78, 1)),
    everyMinutes: 1440,
  },
  {
    name: "blood pressure panel (2 components)",
    code: "85354-9",
    display: "Blood pressure panel with all children optional",
    category: "vital-signs",
    components: [
      { code: "8480-6", display: "Systolic blood pressure", unit: "mm[Hg]", value: (i) => Number(vary(i, 105, 135)) },
      { code: "8462-4", display: "Diastolic blood pressure", unit: "mm[Hg]", value: (i) => Number(vary(i, 65, 85)) },
    ],
    everyMinutes: 240,
  },
  {
    name: "glucose",
    code: "2339-0",
    display: "Glucose [Mass/volume] in Blood",
    category: "laboratory",
    unit: "mg/dL",
    value: (i) => Number(vary(i, 75, 140)),
    everyMinutes: 720,
  },
];

const quantity = (value: number, unit: string) => ({
  value,
  unit,
  system: "http://unitsofmeasure.org",
  code: unit,
});

function fhirObservation(kind: FhirKind, at: number, i: number): string {
  const coding = (code: string, display: string) => ({ coding: [{ system: "http://loinc.org", code, display }] });
  const resource: Record<string, unknown> = {
    resourceType: "Observation",
    id: `bench-${kind.code}-${i}`,
    meta: { lastUpdated: new Date(at + MINUTE).toISOString() },
    status: "final",
    category: [
      {
        coding: [
          {
            system: "http://terminology.hl7.org/CodeSystem/observation-category",
            code: kind.category,
            display: kind.category === "laboratory" ? "Laboratory" : "Vital Signs",
          },
        ],
      },
    ],
    code: coding(kind.code, kind.display),
    subject: { reference: "Patient/bench-patient" },
    effectiveDateTime: new Date(at).toISOString(),
  };
  if (kind.value !== undefined && kind.unit !== undefined) resource.valueQuantity = quantity(kind.value(i), kind.unit);
  if (kind.components !== undefined) {
    resource.component = kind.components.map((c) => ({
      code: coding(c.code, c.display),
      valueQuantity: quantity(c.value(i), c.unit),
    }));
  }
  return `${JSON.stringify(resource)}\n`;
}

/** FHIR NDJSON of about `targetBytes`: each kind's Observations over as many days as fit, one per line. */
export async function generateFhirNdjson(dir: string, targetBytes: number): Promise<Generated> {
  let oneDay = 0;
  for (const kind of FHIR_KINDS) oneDay += (1440 / kind.everyMinutes) * fhirObservation(kind, FIRST_DAY, 0).length;
  const days = Math.max(1, Math.round(targetBytes / oneDay));
  const kinds: Record<string, number> = {};
  function* chunks() {
    // A Bulk Data export writes one file per resource type; within it, in the order the server had them.
    for (const kind of FHIR_KINDS) {
      let i = 0;
      for (let day = 0; day < days; day++) {
        let text = "";
        for (let m = 0; m < 1440; m += kind.everyMinutes)
          text += fhirObservation(kind, FIRST_DAY + day * DAY + m * MINUTE, i++);
        yield text;
      }
      kinds[kind.name] = i * (kind.components?.length ?? 1);
    }
  }
  const path = join(dir, "observations.ndjson");
  const { bytes, sha256 } = await writeChunks(path, chunks());
  return { path, bytes, sha256, observations: Object.values(kinds).reduce((a, b) => a + b, 0), kinds };
}

/**
 * `length` bytes of AES-256-CTR keystream from byte `from` on: pseudo-random (incompressible, like
 * sequencer output), reproducible from any offset (the counter is the block number), so a resumed
 * upload sends exactly the bytes it would have sent.
 */
export function* pseudoRandomBytes(from: number, length: number, chunk = MIB): Generator<Buffer> {
  const key = Buffer.alloc(32, 7);
  let at = from;
  const end = from + length;
  while (at < end) {
    const block = Math.floor(at / 16);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(block), 8);
    const cipher = createCipheriv("aes-256-ctr", key, iv);
    const skip = at - block * 16;
    const n = Math.min(chunk, end - at);
    const out = cipher.update(Buffer.alloc(skip + n)).subarray(skip);
    at += n;
    yield out;
  }
}

// ---------------------------------------------------------------------------------------------------
// HTTP: node:http, so that a body can be streamed with backpressure and its connection cut mid-way.

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends `body` (chunks, `length` bytes in all, declared as Content-Length) and returns the answer.
 * With `cutAfter`, the connection is destroyed once that many bytes are written: the answer is then
 * null. An answer that arrives before the body is sent (a refusal) stops the sending.
 */
export function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: { chunks: Iterable<Buffer>; length: number } | null,
  cutAfter: number | null = null,
): Promise<Answer | null> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let cut = false;
    let onAnswer = () => {};
    const answer = new Promise<void>((r) => {
      onAnswer = r;
    });
    let onEnd = () => {};
    const ended = new Promise<void>((r) => {
      onEnd = r;
    });
    let got: { status: number; headers: IncomingHttpHeaders } | null = null;
    const parts: Buffer[] = [];
    const answerNow = () => (got === null ? null : { ...got, body: Buffer.concat(parts).toString("utf8") });
    const req = httpRequest(
      url,
      // A connection of its own per request (agent: false), as a client opens after a drop: no socket
      // left in doubt by a cut or a refusal is reused.
      { method, agent: false, headers: { ...headers, ...(body && { "Content-Length": String(body.length) }) } },
      (res) => {
        answered = true;
        got = { status: res.statusCode ?? 0, headers: res.headers };
        onAnswer();
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () => {
          resolve(answerNow());
          onEnd();
        });
        // A refusal sent before the body was read may be followed by a reset: its status still stands.
        res.on("error", () => {
          resolve(answerNow());
          onEnd();
        });
      },
    );
    req.on("error", (error) => {
      if (got !== null) resolve(answerNow());
      else if (cut) resolve(null);
      else reject(error);
      onEnd();
    });
    void (async () => {
      let sent = 0;
      if (body !== null) {
        for (const chunk of body.chunks) {
          if (answered) break;
          const piece =
            cutAfter !== null && sent + chunk.length > cutAfter ? chunk.subarray(0, cutAfter - sent) : chunk;
          // A server that answers early stops reading: then no drain comes.
          if (!req.write(piece)) await Promise.race([new Promise((r) => req.once("drain", r)), answer]);
          sent += piece.length;
          if (cutAfter !== null && sent >= cutAfter && !answered) {
            cut = true;
            // Give the bytes written a moment to reach the server, then drop the connection as a lost
            // network does (what arrived is kept; HEAD then says where to resume).
            await new Promise((r) => setTimeout(r, 250));
            req.destroy();
            resolve(null);
            return;
          }
        }
      }
      if (answered) {
        // Refused before the body was sent: read the answer whole, then drop the rest of the body
        // (Content-Length cannot be met any more).
        await ended;
        req.destroy();
      } else req.end();
    })().catch(reject);
  });
}

function json<T>(answer: Answer | null, expected: number, what: string): T {
  if (answer === null || answer.status !== expected) {
    throw new Error(`${what} answered ${answer?.status ?? "nothing"}: ${answer?.body.slice(0, 500) ?? ""}`);
  }
  return JSON.parse(answer.body) as T;
}

function* fileChunks(path: string): Generator<Buffer> {
  // Synchronous reads of 1 MiB: the generator feeds `send`, which waits for drain between chunks.
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const buffer = Buffer.alloc(MIB);
      const n = readSync(fd, buffer, 0, MIB, null);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------
// Phases

export interface BigContext {
  base: string;
  /** A new person of the platform's tenant with BIG_SCOPES (a job is read with observations:write). */
  person(label: string): Promise<{ id: string; token: string }>;
  /** A direct database connection, for the exact row counts. */
  client: pg.Client;
  /** The platform's root process (workerd is below it), or null when it is not ours to sample. */
  rootPid: number | null;
  log(line: string): void;
}

export const BIG_SCOPES = "files:write files:read observations:read observations:write";

interface Job {
  id: string;
  status: string;
  counts: {
    received: number;
    stored: number;
    flagged: number;
    outliers: number;
    duplicates: number;
    rejected: number;
    pending: number;
  };
  issues: Array<{ code: string; severity: string; message: string }>;
  error: string | null;
}

export interface BigFileResult {
  phase: string;
  bytes: number;
  megabytes: number;
  observations: number;
  kinds: Record<string, number>;
  /** First byte sent → 202 (hashed, encrypted, stored): the plain upload of the same bytes. */
  upload_seconds: number;
  /** First byte sent → every observation readable. */
  end_to_end_seconds: number;
  /** 202 → job completed (mapping, validation, the writer's commit). */
  mapping_seconds: number;
  end_to_end_megabytes_per_second: number;
  end_to_end_observations_per_second: number;
  /** end to end ÷ upload. */
  ratio_to_upload: number;
  job: Job["counts"] & { status: string };
  stored_rows: number;
  memory: MemoryReport | null;
  target_under_2_minutes: boolean;
}

async function waitForJob(base: string, token: string, jobId: string): Promise<Job> {
  for (;;) {
    const res = await fetch(`${base}/v1/ingest/jobs/${jobId}`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET job answered ${res.status}: ${await res.text()}`);
    const job = (await res.json()) as Job;
    if (job.status !== "queued" && job.status !== "processing") return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Uploads a generated file as one raw body and times it until every observation is readable. */
export async function runBigFilePhase(
  ctx: BigContext,
  phase: string,
  file: Generated,
  name: string,
  /** Warnings the file is expected to earn (export.xml's ActivitySummary days carry no offset). */
  expectedWarnings: readonly string[] = [],
): Promise<BigFileResult> {
  const person = await ctx.person(phase);
  const auth = { Authorization: `Bearer ${person.token}` };
  const memory = sampleWorkerdMemory(ctx.rootPid);
  const t0 = performance.now();
  const accepted = json<{ job_id: string | null; existing: boolean }>(
    await send(
      "POST",
      `${ctx.base}/v1/ingest/files?name=${encodeURIComponent(name)}`,
      { ...auth, "Content-Type": "application/octet-stream" },
      { chunks: fileChunks(file.path), length: file.bytes },
    ),
    202,
    `POST /v1/ingest/files (${phase})`,
  );
  const tStored = performance.now();
  // The peak up to the 202 is the upload's (the API streaming the body into R2); after it, the mapper's.
  memory.mark("upload");
  if (accepted.job_id === null) throw new Error(`${phase}: no job for the file`);
  const job = await waitForJob(ctx.base, person.token, accepted.job_id);
  const tDone = performance.now();
  // Readable: the person's newest observation is this file's (they have no other data).
  const page = await fetch(`${ctx.base}/v1/observations?limit=1`, { headers: auth });
  const newest = json<{ data: Array<{ job_id: string | null }> }>(
    { status: page.status, headers: {}, body: await page.text() },
    200,
    "GET /v1/observations",
  );
  const tReadable = performance.now();
  const mem = memory.stop();
  if (newest.data[0]?.job_id !== accepted.job_id) throw new Error(`${phase}: the newest observation is not the file's`);
  const stored = await ctx.client.query<{ n: number }>(
    "select count(*)::int as n from observations where user_id = $1",
    [person.id],
  );
  const rows = stored.rows[0]?.n ?? 0;
  const problems = job.issues.filter((i) => i.severity !== "info" && !expectedWarnings.includes(i.code));
  if (
    (job.status !== "completed" && job.status !== "completed_with_issues") ||
    problems.length > 0 ||
    job.counts.stored !== file.observations ||
    rows !== file.observations ||
    job.counts.rejected !== 0 ||
    job.counts.pending !== 0 ||
    job.counts.duplicates !== 0
  ) {
    throw new Error(
      `${phase}: expected ${file.observations} observations stored, the job says ${JSON.stringify({ status: job.status, ...job.counts, error: job.error })} and ${rows} rows are stored; issues: ${JSON.stringify(problems.slice(0, 5))}`,
    );
  }
  const seconds = (tReadable - t0) / 1000;
  const upload = (tStored - t0) / 1000;
  const result: BigFileResult = {
    phase,
    bytes: file.bytes,
    megabytes: file.bytes / 1e6,
    observations: file.observations,
    kinds: file.kinds,
    upload_seconds: upload,
    end_to_end_seconds: seconds,
    mapping_seconds: (tDone - tStored) / 1000,
    end_to_end_megabytes_per_second: file.bytes / 1e6 / seconds,
    end_to_end_observations_per_second: file.observations / seconds,
    ratio_to_upload: seconds / upload,
    job: { status: job.status, ...job.counts },
    stored_rows: rows,
    memory: mem,
    target_under_2_minutes: seconds < 120,
  };
  ctx.log(
    `${phase}: ${(file.bytes / 1e6).toFixed(1)} MB, ${file.observations} observations readable ${seconds.toFixed(1)} s after the first byte (upload ${upload.toFixed(1)} s)${mem ? `; workerd RSS ${mem.before_mib} → peak ${mem.peak_mib} MiB` : ""}`,
  );
  return result;
}

export interface ResumableResult {
  phase: "resumable-1gib";
  bytes: number;
  sha256: string;
  /** Where the connection was cut and where HEAD said to resume, per interruption. */
  interruptions: Array<{ cut_at: number; resumed_from: number }>;
  patches: number;
  /** Requests reset before any answer (not the cuts), retried from HEAD as a tus client does. */
  resets: number;
  seconds: number;
  megabytes_per_second: number;
  /** The same bytes as one uninterrupted PATCH (another person), same run. */
  uninterrupted: { seconds: number; megabytes_per_second: number };
  /** interrupted throughput ÷ uninterrupted throughput. */
  throughput_ratio: number;
  /** The object read back through GET /v1/files/{id}/content, hashed. */
  stored_sha256: string;
  file_sha256: string;
  memory: MemoryReport | null;
}

const TUS = { "Tus-Resumable": "1.0.0" };

async function createUpload(base: string, token: string, length: number, filename: string): Promise<string> {
  const meta = `filename ${Buffer.from(filename).toString("base64")},filetype ${Buffer.from("application/octet-stream").toString("base64")}`;
  const answer = await send(
    "POST",
    `${base}/v1/uploads`,
    { ...TUS, Authorization: `Bearer ${token}`, "Upload-Length": String(length), "Upload-Metadata": meta },
    null,
  );
  if (answer?.status !== 201 || typeof answer.headers.location !== "string") {
    throw new Error(`POST /v1/uploads answered ${answer?.status}: ${answer?.body}`);
  }
  return answer.headers.location;
}

/** PATCHes from `offset` to the end (or cuts the connection at byte `cutAt`); the answer, or null when cut. */
function patch(location: string, token: string, offset: number, length: number, cutAt: number | null) {
  return send(
    "PATCH",
    location,
    {
      ...TUS,
      Authorization: `Bearer ${token}`,
      "Upload-Offset": String(offset),
      "Content-Type": "application/offset+octet-stream",
    },
    { chunks: pseudoRandomBytes(offset, length - offset), length: length - offset },
    cutAt === null ? null : cutAt - offset,
  );
}

async function headOffset(location: string, token: string): Promise<number> {
  const answer = await send("HEAD", location, { ...TUS, Authorization: `Bearer ${token}` }, null);
  const offset = answer?.headers["upload-offset"];
  if (answer?.status !== 200 || typeof offset !== "string") throw new Error(`HEAD answered ${answer?.status}`);
  return Number(offset);
}

/**
 * Sends the rest after a drop, as a tus client does: HEAD for the offset, PATCH from it. While the cut
 * request is still being wound up on the server (it saves every byte it received, then releases the
 * upload), the PATCH is refused 423 `upload_locked` or 409 (the offset moved meanwhile); then ask again.
 */
/** A connection the server (or wrangler's local proxy) reset before answering: a tus client retries it. */
function isReset(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "ECONNREFUSED";
}

async function resume(
  location: string,
  token: string,
  length: number,
  cutAt: number | null,
): Promise<{ from: number; answer: Answer | null; patches: number; resets: number }> {
  let patches = 0;
  let resets = 0;
  for (let attempt = 0; attempt < 600; attempt++) {
    let from: number;
    let answer: Answer | null;
    try {
      from = await headOffset(location, token);
      answer = await patch(location, token, from, length, cutAt !== null && cutAt > from ? cutAt : null);
    } catch (error) {
      if (!isReset(error)) throw error;
      resets += 1;
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    patches += 1;
    if (answer === null || answer.status === 204) return { from, answer, patches, resets };
    if (answer.status !== 423 && answer.status !== 409) {
      throw new Error(`PATCH from ${from} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the upload stayed locked");
}

async function sha256OfContent(base: string, token: string, fileId: string): Promise<string> {
  const res = await fetch(`${base}/v1/files/${fileId}/content`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200 || res.body === null) throw new Error(`GET content answered ${res.status}`);
  const hash = createHash("sha256");
  for await (const chunk of res.body) hash.update(chunk);
  return hash.digest("hex");
}

async function completedFile(location: string, token: string): Promise<{ file_id: string }> {
  const res = await fetch(location, { headers: { Authorization: `Bearer ${token}` } });
  const upload = json<{ status: string; file_id: string | null; offset: number }>(
    { status: res.status, headers: {}, body: await res.text() },
    200,
    "GET upload",
  );
  if (upload.status !== "completed" || upload.file_id === null) {
    throw new Error(`the upload is ${upload.status} at ${upload.offset}`);
  }
  return { file_id: upload.file_id };
}

/** A tus upload of `bytes` cut twice (at a third and at two thirds), then the same bytes uninterrupted. */
export async function runResumablePhase(ctx: BigContext, bytes: number): Promise<ResumableResult> {
  const hash = createHash("sha256");
  for (const chunk of pseudoRandomBytes(0, bytes)) hash.update(chunk);
  const sha256 = hash.digest("hex");

  const person = await ctx.person("resumable");
  const memory = sampleWorkerdMemory(ctx.rootPid);
  const cuts = [Math.floor(bytes / 3), Math.floor((2 * bytes) / 3)];
  const t0 = performance.now();
  const location = await createUpload(ctx.base, person.token, bytes, "raw-data.bin");
  const froms: number[] = [];
  let patches = 0;
  let resets = 0;
  for (const cut of cuts) {
    const sent = await resume(location, person.token, bytes, cut);
    patches += sent.patches;
    resets += sent.resets;
    froms.push(sent.from);
    if (sent.answer !== null) throw new Error(`the PATCH meant to be cut at ${cut} was answered ${sent.answer.status}`);
  }
  const last = await resume(location, person.token, bytes, null);
  patches += last.patches;
  resets += last.resets;
  froms.push(last.from);
  // After the cut at cuts[i], the next PATCH began where HEAD said the server held bytes up to.
  const interruptions = cuts.map((cut_at, i) => ({ cut_at, resumed_from: froms[i + 1] ?? -1 }));
  const seconds = (performance.now() - t0) / 1000;
  const mem = memory.stop();
  const { file_id } = await completedFile(location, person.token);
  const stored = await sha256OfContent(ctx.base, person.token, file_id);
  const fileRow = await fetch(`${ctx.base}/v1/files/${file_id}`, {
    headers: { Authorization: `Bearer ${person.token}` },
  });
  const fileSha = (await fileRow.json()) as { sha256: string };
  if (stored !== sha256 || fileSha.sha256 !== sha256) {
    throw new Error(
      `resumable: the stored object's SHA-256 ${stored} (file row ${fileSha.sha256}) is not the sent bytes' ${sha256}`,
    );
  }

  const other = await ctx.person("uninterrupted");
  const u0 = performance.now();
  const single = await createUpload(ctx.base, other.token, bytes, "raw-data.bin");
  const answer = await patch(single, other.token, 0, bytes, null);
  if (answer?.status !== 204) throw new Error(`the uninterrupted PATCH answered ${answer?.status}: ${answer?.body}`);
  const singleSeconds = (performance.now() - u0) / 1000;
  const singleFile = await completedFile(single, other.token);
  const singleRow = (await (
    await fetch(`${ctx.base}/v1/files/${singleFile.file_id}`, { headers: { Authorization: `Bearer ${other.token}` } })
  ).json()) as { sha256: string };
  if (singleRow.sha256 !== sha256) throw new Error("the uninterrupted upload's SHA-256 differs");

  const mbps = bytes / 1e6 / seconds;
  const singleMbps = bytes / 1e6 / singleSeconds;
  ctx.log(
    `resumable: ${(bytes / MIB).toFixed(0)} MiB cut twice, ${patches} PATCHes, ${seconds.toFixed(1)} s (${mbps.toFixed(1)} MB/s); uninterrupted ${singleSeconds.toFixed(1)} s (${singleMbps.toFixed(1)} MB/s); SHA-256 checked`,
  );
  return {
    phase: "resumable-1gib",
    bytes,
    sha256,
    interruptions,
    patches,
    resets,
    seconds,
    megabytes_per_second: mbps,
    uninterrupted: { seconds: singleSeconds, megabytes_per_second: singleMbps },
    throughput_ratio: mbps / singleMbps,
    stored_sha256: stored,
    file_sha256: fileSha.sha256,
    memory: mem,
  };
}

// ---------------------------------------------------------------------------------------------------
// The three phases together, as `npm run bench` and `npx tsx bench/big.ts` run them.

export interface BigOptions {
  /** Size of each generated file (BENCH_BIG_MB, 100): megabytes of 10^6 bytes. */
  bigMegabytes: number;
  /** Size of the resumable upload (BENCH_RESUMABLE_MB, 1024): MiB. */
  resumableMebibytes: number;
  /** Which phases (BENCH_BIG_PHASES, comma-separated; all by default). */
  phases: readonly string[];
}

export const BIG_PHASES = ["big-apple-health", "big-fhir-ndjson", "resumable-1gib"] as const;

export function bigOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): BigOptions {
  const size = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!(value > 0)) throw new Error(`${name} must be a positive number of megabytes`);
    return value;
  };
  const phases = (env.BENCH_BIG_PHASES ?? BIG_PHASES.join(",")).split(",").map((p) => p.trim());
  for (const phase of phases) {
    if (!(BIG_PHASES as readonly string[]).includes(phase)) {
      throw new Error(`BENCH_BIG_PHASES: unknown phase ${phase} (${BIG_PHASES.join(", ")})`);
    }
  }
  return { bigMegabytes: size("BENCH_BIG_MB", 100), resumableMebibytes: size("BENCH_RESUMABLE_MB", 1024), phases };
}

export interface BigResults {
  apple_health: BigFileResult | null;
  fhir_ndjson: BigFileResult | null;
  resumable: ResumableResult | null;
}

export async function runBigPhases(ctx: BigContext, options: BigOptions): Promise<BigResults> {
  const dir = mkdtempSync(join(tmpdir(), "dfda-bench-big-"));
  try {
    const results: BigResults = { apple_health: null, fhir_ndjson: null, resumable: null };
    if (options.phases.includes("big-apple-health")) {
      const file = await generateAppleHealth(dir, options.bigMegabytes * 1e6);
      ctx.log(`generated export.xml: ${(file.bytes / 1e6).toFixed(1)} MB, ${file.observations} observations`);
      // ActivitySummary's dateComponents is a date without an offset: read as UTC, with a warning.
      results.apple_health = await runBigFilePhase(ctx, "big-apple-health", file, "export.xml", ["assumed_timezone"]);
      rmSync(file.path);
    }
    if (options.phases.includes("big-fhir-ndjson")) {
      const file = await generateFhirNdjson(dir, options.bigMegabytes * 1e6);
      ctx.log(`generated observations.ndjson: ${(file.bytes / 1e6).toFixed(1)} MB, ${file.observations} observations`);
      results.fhir_ndjson = await runBigFilePhase(ctx, "big-fhir-ndjson", file, "observations.ndjson");
      rmSync(file.path);
    }
    if (options.phases.includes("resumable-1gib")) {
      results.resumable = await runResumablePhase(ctx, Math.round(options.resumableMebibytes * MIB));
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The phases' rows of the results table. */
export function bigRows(r: BigResults): string {
  const f = (n: number) => n.toLocaleString("en", { maximumFractionDigits: 1 });
  const mem = (m: MemoryReport | null) =>
    m === null
      ? "not sampled"
      : `${f(m.before_mib)} → peak ${f(m.peak_mib)} MiB (+${f(m.growth_mib)}${m.marks.upload === undefined ? "" : `; ${f(m.marks.upload)} at the 202`})${m.kernel_peak_mib === null ? "" : `, VmHWM ${f(m.kernel_peak_mib)} MiB`}`;
  const rows: string[] = [];
  for (const x of [r.apple_health, r.fhir_ndjson]) {
    if (x === null) continue;
    rows.push(
      `| ${x.phase}: ${f(x.megabytes)} MB, ${f(x.observations)} obs, first byte → all readable | ${f(x.end_to_end_seconds)} s (${f(x.end_to_end_observations_per_second)} obs/s, ${f(x.end_to_end_megabytes_per_second)} MB/s; target < 120 s ${x.target_under_2_minutes ? "✓" : "✗"}) |`,
      `| ${x.phase}: plain upload of the same bytes (the 202) / mapping after it | ${f(x.upload_seconds)} s / ${f(x.mapping_seconds)} s (end to end = ${f(x.ratio_to_upload)} × upload) |`,
      `| ${x.phase}: workerd RSS during the phase | ${mem(x.memory)} |`,
    );
  }
  if (r.resumable !== null) {
    const x = r.resumable;
    rows.push(
      `| resumable: ${f(x.bytes / MIB)} MiB tus upload cut twice (${x.patches} PATCHes${x.resets > 0 ? `, ${x.resets} resets retried` : ""}), SHA-256 checked | ${f(x.seconds)} s (${f(x.megabytes_per_second)} MB/s) |`,
      `| resumable: the same bytes in one uninterrupted PATCH | ${f(x.uninterrupted.seconds)} s (${f(x.uninterrupted.megabytes_per_second)} MB/s; interrupted / uninterrupted ${(x.throughput_ratio * 100).toFixed(1)} %) |`,
      `| resumable: workerd RSS during the interrupted upload | ${mem(x.memory)} |`,
    );
  }
  return rows.join("\n");
}

async function main() {
  const env = process.env;
  const log = (line: string) => console.error(`[bench] ${line}`);
  const options = bigOptionsFromEnv(env);
  const { startBenchPlatform } = await import("./platform");
  const { machine } = await import("./machine");
  const platform = await startBenchPlatform({
    server: env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres",
    port: 8899,
    pooler: env.BENCH_POOLER ?? "auto",
    poolSize: Number(env.BENCH_POOL_SIZE ?? 16),
    log,
  });
  try {
    let n = 0;
    const results = await runBigPhases(
      {
        base: platform.base,
        person: (label) => platform.person(`${label}-${n++}@bench.example`, BIG_SCOPES),
        client: platform.handle.client,
        rootPid: platform.child.pid ?? null,
        log,
      },
      options,
    );
    const about = await machine(platform.handle.client);
    const at = new Date().toISOString();
    const result = { at, machine: about, database_path: platform.databasePath, parameters: options, ...results };
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const root = fileURLToPath(new URL("..", import.meta.url));
    mkdirSync(join(root, "bench", "results"), { recursive: true });
    const file = join(root, "bench", "results", `${at.replace(/[:.]/g, "-")}-big.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`
Machine: ${about.cpu}, ${about.cores} cores, ${about.memory_gib} GiB, Node ${about.node}, PostgreSQL ${about.postgres}
Workers to PostgreSQL: ${platform.databasePath}
| measure | value |
| --- | --- |
${bigRows(results)}
Written to ${file}`);
  } finally {
    await platform.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
