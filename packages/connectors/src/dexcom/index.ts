/**
 * Dexcom (API v3), from Dexcom's published reference (https://developer.dexcom.com/docs/dexcom/authentication,
 * https://developer.dexcom.com/docs/dexcomv3/endpoint-overview and
 * https://developer.dexcom.com/docs/dexcomv3/operation/getEstimatedGlucoseValuesV3):
 *
 * - One host serves both OAuth and data, and which host is configuration: the sandbox
 *   `https://sandbox-api.dexcom.com` (sandbox users, no real person's data) or production in the person's
 *   region, `https://api.dexcom.com` (US), `https://api.dexcom.eu` (EU and outside the US),
 *   `https://api.dexcom.jp` (Japan). `DEXCOM_HOSTS` names them; a deployment picks one with
 *   `CONNECTOR_BASE_URLS` (docs/connectors.md).
 * - OAuth 2.0 authorization code (RFC 6749 §4.1): the person logs in at `/v2/oauth2/login` with
 *   `scope=offline_access` (the only scope Dexcom documents; it is what yields a refresh token); the code
 *   and, later, refresh tokens are exchanged at `/v2/oauth2/token` with `client_id` and `client_secret` in
 *   the form body (§2.3.1). Access tokens last 2 hours (`expires_in: 7200`); each refresh returns a new
 *   refresh token and the old one stops working, so the new one is always kept. Dexcom documents no PKCE
 *   and no revocation endpoint (a person revokes an app in their Dexcom account), so `revoke` has nothing
 *   to call.
 * - `GET /v3/users/self/egvs?startDate=…&endDate=…`: `startDate` and `endDate` are required, in
 *   `YYYY-MM-DDThh:mm:ss` (system time, UTC), and one request may span at most 30 days (the v3 endpoint
 *   overview's time-window limit; v2 allowed 90, and a smaller window is within either); there is no
 *   paging token, so a longer range is asked for as consecutive windows. The answer is `{ recordType:
 *   "egv", recordVersion: "3.0", userId, records: [...] }`, each record `{ recordId, systemTime,
 *   displayTime, value (int or null), status, trend, trendRate, unit ("mg/dL" | "mmol/L" | "unknown"),
 *   rateUnit, displayDevice, transmitterGeneration, … }`. `systemTime` is UTC; records from a receiver
 *   carry no offset, records from the phone apps do.
 * - Rate limit: 60,000 requests per app per hour; beyond it a 429 (Dexcom documents no `Retry-After`).
 *
 * Mapped to LOINC (the `blood-glucose` variable of packages/reference; a CGM reports interstitial
 * glucose calibrated to blood glucose): `mg/dL` → 2339-0 "Glucose [Mass/volume] in Blood", `mmol/L` →
 * 15074-8 "Glucose [Moles/volume] in Blood", at the record's `systemTime`. The value is passed in the
 * unit Dexcom names; the platform converts it to the variable's unit (mmol/L). There is no Dexcom file
 * mapper in packages/mappers to reuse (Dexcom Clarity's CSV export is not the API's shape).
 */
import { CODE_SYSTEMS, type ObservationInput } from "@dfda/core";
import { z } from "zod";
import {
  type Connector,
  ConnectorDefinition,
  mayRequest,
  type SyncContext,
  type SyncCursor,
  type SyncOutcome,
  VendorError,
} from "../contract";
import { standardOAuth, VENDOR_TIMEOUT_MS, vendorRequest } from "../oauth";

/** Dexcom's hosts (endpoint overview): OAuth and data share a host. Pick one with `CONNECTOR_BASE_URLS`. */
export const DEXCOM_HOSTS = {
  sandbox: "https://sandbox-api.dexcom.com",
  us: "https://api.dexcom.com",
  eu: "https://api.dexcom.eu",
  jp: "https://api.dexcom.jp",
} as const;

export const DEXCOM = ConnectorDefinition.parse({
  id: "dexcom",
  name: "Dexcom CGM",
  data_types: ["glucose"],
  auth: {
    kind: "oauth2",
    authorize_path: "/v2/oauth2/login",
    token_path: "/v2/oauth2/token",
    revoke_path: null,
    scopes: ["offline_access"],
    pkce: false,
  },
  base_urls: { auth: DEXCOM_HOSTS.us, api: DEXCOM_HOSTS.us },
  // Dexcom's published limit is per app (60,000 an hour across every person); a per-connection share is
  // not published, so the whole limit is the most a single connection's run may make.
  rate_limit: { requests: 60_000, per_seconds: 3600 },
  // The same limit across every connection of the app; Dexcom documents no reset time, so no hour may hold more.
  app_rate_limit: [{ requests: 60_000, per_seconds: 3600, resets: "sliding" }],
  backfill_days: 90,
});

/**
 * The longest window one `/egvs` request may ask for (30 days), and how far before the cursor a later
 * sync starts again: Dexcom makes readings available with a delay (the phone uploads late, receivers
 * upload when plugged in), so 3 hours of overlap catch readings that arrived after the last sync.
 */
export const DEXCOM_WINDOW_MS = 30 * 86_400_000;
export const DEXCOM_OVERLAP_MS = 3 * 3600_000;

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });

/** ISO 8601 date-time with an optional offset (receivers send none; it is then UTC system time). */
const SystemTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/)
  .transform((s, ctx) => {
    const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(s) ? s : `${s}Z`;
    const at = Date.parse(withZone);
    if (Number.isNaN(at)) {
      ctx.addIssue({ code: "custom", message: "not a date-time" });
      return z.NEVER;
    }
    return new Date(at).toISOString();
  });

const EgvsPage = z.object({
  recordType: z.literal("egv"),
  recordVersion: z.string(),
  records: z.array(z.unknown()),
});
const Egv = z.object({
  recordId: z.string().min(1),
  systemTime: SystemTime,
  value: z.number().finite().positive().nullable(),
  unit: z.string(),
  status: z.string().nullable().optional(),
  trend: z.string().nullable().optional(),
  displayDevice: z.string().optional(),
  transmitterGeneration: z.string().optional(),
});

/** The LOINC code of each unit Dexcom reports EGVs in (anything else, `unknown`, cannot be imported). */
const CODE_OF_UNIT: Readonly<Record<string, string>> = { "mg/dL": "2339-0", "mmol/L": "15074-8" };

/** A record's observation and time, or why it is skipped (in words, never its value). */
export function mapEgv(item: unknown): { at: string; observations: ObservationInput[] } | { skip: string } {
  const egv = Egv.safeParse(item);
  if (!egv.success) return { skip: "a glucose record without a valid id, system time and value" };
  const { recordId, systemTime, value, unit } = egv.data;
  // No value: the sensor gave no estimate (warm-up, a signal loss). Nothing to import; the time still counts.
  if (value === null) return { at: systemTime, observations: [] };
  const code = CODE_OF_UNIT[unit];
  if (code === undefined) return { skip: "a glucose record in a unit Dexcom did not name" };
  const metadata: Record<string, string> = { vendor: "dexcom", dexcom_record_id: recordId };
  if (egv.data.trend != null) metadata.dexcom_trend = egv.data.trend;
  if (egv.data.status != null) metadata.dexcom_status = egv.data.status;
  if (egv.data.displayDevice !== undefined) metadata.dexcom_display_device = egv.data.displayDevice;
  if (egv.data.transmitterGeneration !== undefined) {
    metadata.dexcom_transmitter_generation = egv.data.transmitterGeneration;
  }
  return {
    at: systemTime,
    observations: [{ variable: loinc(code), value, unit, start_at: systemTime, metadata }],
  };
}

/** Dexcom's query date-time: `YYYY-MM-DDThh:mm:ss`, UTC, no offset (the reference's examples). */
export const dexcomDateTime = (d: Date) => d.toISOString().slice(0, 19);

/** The windows (at most 30 days each, in time order) from the cursor minus the overlap, or the backfill start, to now. */
export function egvWindows(
  cursor: string | undefined,
  now: Date,
  backfillDays: number,
): Array<{ start: Date; end: Date }> {
  const from =
    cursor === undefined ? now.getTime() - backfillDays * 86_400_000 : Date.parse(cursor) - DEXCOM_OVERLAP_MS;
  // Whole seconds: the query format has no fractions, and a rounded-down start never skips a reading.
  let start = Math.floor(from / 1000) * 1000;
  const end = Math.floor(now.getTime() / 1000) * 1000;
  const windows: Array<{ start: Date; end: Date }> = [];
  while (start < end) {
    const stop = Math.min(start + DEXCOM_WINDOW_MS, end);
    windows.push({ start: new Date(start), end: new Date(stop) });
    start = stop;
  }
  return windows;
}

/**
 * Asks `/egvs` for each window from the cursor (minus the overlap) to now, hands each answer to
 * `onPage` with the cursor that resumes after it: the latest `systemTime` seen, or the window's end
 * when the window was over before the overlap began. Stops, with `more: true`, at the quota.
 */
async function sync(definition: ConnectorDefinition, context: SyncContext): Promise<SyncOutcome> {
  const cursor: SyncCursor = { ...context.cursor };
  let requests = 0;
  for (const window of egvWindows(cursor.egvs, context.now, definition.backfill_days)) {
    if (!(await mayRequest(context, definition, requests))) return { cursor, requests, more: true };
    const url = new URL("/v3/users/self/egvs", context.settings.baseUrls.api);
    url.searchParams.set("startDate", dexcomDateTime(window.start));
    url.searchParams.set("endDate", dexcomDateTime(window.end));
    const request = new Request(url, {
      headers: { Authorization: `Bearer ${context.accessToken}`, Accept: "application/json" },
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
    requests++;
    const response = await vendorRequest(context.http, request, "Dexcom egvs", context.now);
    const body = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const page = EgvsPage.safeParse(json);
    if (!page.success) throw new VendorError("malformed", "Dexcom egvs: an answer that is not Dexcom's EGV JSON");
    const observations: ObservationInput[] = [];
    const skipped: string[] = [];
    let latest = cursor.egvs;
    for (const item of page.data.records) {
      const mapped = mapEgv(item);
      if ("skip" in mapped) {
        skipped.push(mapped.skip);
        continue;
      }
      observations.push(...mapped.observations);
      if (latest === undefined || mapped.at > latest) latest = mapped.at;
    }
    // A window over before the overlap began is done even where it held no reading (no sensor worn):
    // a later run starts after it, not at it again (an empty backfill window is asked for once).
    const over =
      window.end.getTime() <= context.now.getTime() - DEXCOM_OVERLAP_MS ? window.end.toISOString() : undefined;
    for (const at of [latest, over])
      if (at !== undefined && (cursor.egvs === undefined || at > cursor.egvs)) cursor.egvs = at;
    // Once this window is stored, a later run starts from its latest reading (minus the overlap).
    await context.onPage({
      endpoint: "egvs",
      request: `${url.pathname}${url.search}`,
      body,
      observations,
      skipped,
      resume: { ...cursor },
    });
  }
  return { cursor, requests, more: false };
}

/**
 * A connector speaking Dexcom's API v3 under `definition` (Dexcom itself; a test may narrow the quota).
 */
export function dexcomApiConnector(definition: ConnectorDefinition): Connector {
  return {
    definition,
    ...standardOAuth(definition, "Dexcom"),
    // Dexcom publishes no revocation endpoint (the person removes the app in their Dexcom account): the
    // tokens are deleted here, and the access token lapses within its 2 hours.
    revoke: async () => {},
    sync: (context) => sync(definition, context),
  };
}

export const dexcom: Connector = dexcomApiConnector(DEXCOM);
