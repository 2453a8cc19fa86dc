/**
 * Progress after a failure in the middle of a sync (issue 13: a mid-sync 429 must not make the next run
 * fetch, and pay quota for, the pages already imported). For every built-in connector, against its
 * local fake: the vendor answers 429 after N pages of an endpoint; the `resume` cursor of the last page
 * handed over starts the next run after those pages (counted in the fake's request log), and the
 * pages of both runs together hold every observation a run without the failure brings in.
 */
import type { ObservationInput } from "@dfda/core";
import { describe, expect, it } from "vitest";
import type { Connector, ConnectorSettings, SyncCursor, VendorHttp, VendorPage } from "./contract";
import { dexcom } from "./dexcom";
import { FakeDexcom } from "./dexcom/fake";
import { fitbit } from "./fitbit";
import { FakeFitbit } from "./fitbit/fake";
import { oura } from "./oura";
import { FakeOura } from "./oura/fake";
import { strava } from "./strava";
import { FakeStrava } from "./strava/fake";
import { callbackUri, connectThrough, fakeVendorSettings } from "./test-support";
import { withings } from "./withings";
import { FakeWithings } from "./withings/fake";

const NOW = new Date("2026-11-20T12:00:00Z");
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** A vendor's fake as these tests drive it: its HTTP handler, its request log, and "429 after N pages". */
interface Fake {
  fetch: VendorHttp;
  log: string[];
  failAfter(): void;
}

interface Case {
  connector: Connector;
  make(settings: ConnectorSettings): Fake;
  /** The endpoint whose request after `after` of them fails, and how its requests are logged. */
  path: string;
  logged: RegExp;
  after: number;
  pkce?: boolean;
  /** Requests of that endpoint the next run makes again although they were imported (the overlap). */
  overlap: number;
}

const CASES: Record<string, Case> = {
  oura: {
    connector: oura,
    make: (s) => {
      const f = new FakeOura({ ...s, now: NOW, days: 3, heartRateEveryMinutes: 60, pageSize: 10 });
      return { fetch: f.fetch, log: f.log, failAfter: () => f.fault({ path: "heartrate", kind: 429, after: 5 }) };
    },
    path: "heartrate",
    logged: /\/heartrate/,
    after: 5,
    // The 6 hours of overlap before the cursor: 6 samples, within one page of 10.
    overlap: 1,
  },
  strava: {
    connector: strava,
    make: (s) => {
      const f = new FakeStrava({ clientId: s.clientId, clientSecret: s.clientSecret, now: NOW, days: 400 });
      return { fetch: f.fetch, log: f.log, failAfter: () => f.fault({ path: "activities", kind: 429, after: 1 }) };
    },
    path: "activities",
    logged: /\/athlete\/activities/,
    after: 1,
    // Resumed at the next page of the same range: nothing again.
    overlap: 0,
  },
  dexcom: {
    connector: dexcom,
    make: (s) => {
      const f = new FakeDexcom({ clientId: s.clientId, clientSecret: s.clientSecret, now: NOW, days: 80 });
      return { fetch: f.fetch, log: f.log, failAfter: () => f.fault({ path: "egvs", kind: 429, after: 2 }) };
    },
    path: "egvs",
    logged: /\/egvs/,
    after: 2,
    // The cursor is the latest reading; 3 hours before it to now is 30 days and 3 hours: one window more.
    overlap: 1,
  },
  fitbit: {
    connector: fitbit,
    make: (s) => {
      const f = new FakeFitbit({
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        now: NOW,
        offsetMs: 3_600_000,
        timezone: "Europe/Berlin",
        days: 10,
        heartRateEveryMinutes: 60,
        pageSize: 2,
      });
      return { fetch: f.fetch, log: f.log, failAfter: () => f.fault({ path: "heart", kind: 429, after: 20 }) };
    },
    path: "heart",
    logged: /\/activities\/heart\//,
    after: 20,
    pkce: true,
    // The cursor is the last day imported; the next run asks its last 2 days again (the overlap), a day a request.
    overlap: 2,
  },
  withings: {
    connector: withings,
    make: (s) => {
      const f = new FakeWithings({
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        now: NOW,
        days: 20,
        pageSize: 5,
      });
      // Withings says "too many requests" as HTTP 200 with status 601.
      const failAfter = () => f.fault({ path: "measure", kind: "withings", status: 601, after: 3 });
      return { fetch: f.fetch, log: f.log, failAfter };
    },
    path: "measure",
    logged: /\/measure .*action=getmeas/,
    after: 3,
    // Resumed at the next offset of the same range: nothing again.
    overlap: 0,
  },
};

const key = (o: ObservationInput) =>
  JSON.stringify([typeof o.variable === "string" ? o.variable : o.variable.code, o.start_at, o.value]);

async function run(c: Case, vendor: Fake, settings: ConnectorSettings, accessToken: string, cursor: SyncCursor) {
  const pages: VendorPage[] = [];
  let error: unknown = null;
  try {
    await c.connector.sync({
      http: vendor.fetch,
      settings,
      accessToken,
      cursor,
      now: NOW,
      onPage: async (p) => {
        pages.push(p);
      },
    });
  } catch (e) {
    error = e;
  }
  return { pages, error };
}

describe("a failure after some pages: the next run starts after them", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: 429 after ${c.after} ${c.path} pages, then the rest (and only the rest) of them`, async () => {
      const settings = fakeVendorSettings(name);
      const connect = async (vendor: Fake) =>
        (
          await connectThrough(c.connector, vendor.fetch, settings, {
            redirectUri: callbackUri(name),
            now: NOW,
            ...(c.pkce === true && { codeChallenge: CHALLENGE, codeVerifier: VERIFIER }),
          })
        ).access_token;
      const count = (vendor: Fake, from: number) => vendor.log.slice(from).filter((l) => c.logged.test(l)).length;

      // Without a failure: every observation, and how many requests of the endpoint that takes.
      const clean = c.make(settings);
      const cleanToken = await connect(clean);
      const mark = clean.log.length;
      const whole = await run(c, clean, settings, cleanToken, {});
      expect(whole.error).toBeNull();
      const all = count(clean, mark);
      expect(all).toBeGreaterThan(c.after);

      const vendor = c.make(settings);
      const token = await connect(vendor);
      vendor.failAfter();
      const first = await run(c, vendor, settings, token, {});
      expect(first.error).toMatchObject({ kind: "rate_limited" });
      const resumed = first.pages.filter((p) => p.resume !== undefined).at(-1)?.resume;
      expect(resumed).toBeDefined();
      const from = vendor.log.length;
      const second = await run(c, vendor, settings, token, resumed ?? {});
      expect(second.error).toBeNull();
      // Only the pages after the failure, and the overlap the connector asks again by design.
      expect(count(vendor, from)).toBe(all - c.after + c.overlap);
      // Nothing lost: both runs together hold every observation of the run without a failure.
      const got = new Set([...first.pages, ...second.pages].flatMap((p) => p.observations.map(key)));
      const expected = whole.pages.flatMap((p) => p.observations.map(key));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.filter((k) => !got.has(k))).toEqual([]);
    });
  }
});
