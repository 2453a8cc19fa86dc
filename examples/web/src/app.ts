/**
 * A minimal web app on `@dfda/sdk` and nothing else: sign in with the authorization code grant and
 * PKCE as a public client (RFC 7636; RFC 9700 §2.1.1: the code flow with PKCE, never the implicit
 * grant, for browser apps), send a reading, list and chart the readings, sign out by revoking the
 * tokens (RFC 7009).
 *
 * The redirect URI is this page itself (`<origin>/`, registered exactly with `dfda client create`).
 * What must survive the trip to the sign-in page (state, code verifier) and the tokens are kept in
 * sessionStorage: per tab, gone when the tab closes, and out of reach of other origins. Any script on
 * this origin could read them, which is why the page is served with a Content-Security-Policy that
 * allows no inline script and loads nothing from elsewhere (examples/web/site.ts).
 */
import {
  DfdaAuthError,
  DfdaClient,
  DfdaError,
  DfdaProblem,
  finishAuthorization,
  type IngestJob,
  type Observation,
  type PendingAuthorization,
  startAuthorization,
  WebStorageTokenStore,
} from "@dfda/sdk";
import { renderChart } from "./chart";
import { chartModel } from "./chart-model";

/** What the server hands the page at /config.json (examples/web/site.ts). */
interface Config {
  baseUrl: string;
  clientId: string;
}

/** The readings offered, by LOINC code, with the UCUM unit they are entered in. */
const MEASUREMENTS = {
  "heart-rate": {
    name: "Heart rate",
    system: "http://loinc.org",
    code: "8867-4",
    unit: "/min",
    unitLabel: "beats per minute",
  },
  "body-weight": {
    name: "Body weight",
    system: "http://loinc.org",
    code: "29463-7",
    unit: "kg",
    unitLabel: "kilograms",
  },
} as const;
type MeasurementId = keyof typeof MEASUREMENTS;

const SCOPE = "openid offline_access observations:read observations:write";
const PENDING_KEY = "dfda.example.pending-authorization";
/** The newest readings shown (one page of the list). */
const SHOWN = 50;

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no #${id}`);
  return node;
}

const ui = {
  status: byId("status", HTMLParagraphElement),
  error: byId("error", HTMLParagraphElement),
  signedOut: byId("signed-out", HTMLElement),
  signedIn: byId("signed-in", HTMLElement),
  signIn: byId("sign-in", HTMLButtonElement),
  signOut: byId("sign-out", HTMLButtonElement),
  form: byId("reading-form", HTMLFormElement),
  measurement: byId("measurement", HTMLSelectElement),
  value: byId("value", HTMLInputElement),
  valueLabel: byId("value-label", HTMLLabelElement),
  valueHint: byId("value-hint", HTMLSpanElement),
  measuredAt: byId("measured-at", HTMLInputElement),
  save: byId("save", HTMLButtonElement),
  readingsHeading: byId("readings-heading", HTMLHeadingElement),
  rows: byId("readings", HTMLTableElement).tBodies[0] ?? document.createElement("tbody"),
  empty: byId("empty", HTMLParagraphElement),
};
const chart = (() => {
  const node = document.getElementById("chart");
  if (!(node instanceof SVGSVGElement)) throw new Error("the page has no #chart");
  return node;
})();

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

function say(message: string): void {
  ui.error.textContent = "";
  ui.status.textContent = message;
}

/** A failure in words a person can act on; the request id is what support asks for. */
function complain(error: unknown): void {
  let message: string;
  if (error instanceof DfdaProblem) {
    message = `${error.title ?? "The platform refused"}: ${error.detail ?? error.code}`;
    const fields = error.fieldErrors.map((f) => f.message).filter((m): m is string => typeof m === "string");
    if (fields.length > 0) message += ` (${fields.join("; ")})`;
    if (error.requestId) message += ` Request ${error.requestId}.`;
  } else if (error instanceof DfdaAuthError) {
    message = `Signing in did not work: ${error.description ?? error.error}.`;
  } else if (error instanceof DfdaError) {
    message = error.message;
  } else {
    message = `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
  }
  ui.status.textContent = "";
  ui.error.textContent = message;
}

/**
 * Whether the tokens are dead: the API refused the access token (401) and the refresh the SDK then
 * tried was refused too (`invalid_grant`: revoked, e.g. the person disconnected the app, or expired).
 */
function sessionEnded(error: unknown): boolean {
  return (
    (error instanceof DfdaAuthError && error.error === "invalid_grant") ||
    (error instanceof DfdaProblem && error.status === 401)
  );
}

/** A failure while signed in: dead tokens sign the page out; anything else is reported. */
function failedWith(client: DfdaClient): (error: unknown) => Promise<void> {
  return async (error) => {
    if (!sessionEnded(error)) return complain(error);
    await client.store.save(null);
    showSignedOut();
    complain(new DfdaError("Your session has ended (it expired, or the app was disconnected). Sign in again."));
  };
}

function selected(): (typeof MEASUREMENTS)[MeasurementId] {
  const id = ui.measurement.value;
  return id in MEASUREMENTS ? MEASUREMENTS[id as MeasurementId] : MEASUREMENTS["heart-rate"];
}

/** `YYYY-MM-DDTHH:MM` in the browser's time zone: what a datetime-local input holds (HTML §2.3.5.5). */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function describeMeasurement(): void {
  const m = selected();
  ui.valueLabel.textContent = `${m.name} (${m.unit})`;
  ui.valueHint.textContent = `In ${m.unitLabel}.`;
  ui.readingsHeading.textContent = `${m.name} readings`;
}

async function showReadings(client: DfdaClient): Promise<void> {
  const m = selected();
  const readings: Observation[] = [];
  // Newest first (GET /v1/observations); the iterator follows the cursor, so stop at what is shown.
  for await (const o of client.observations.list({ variable: `${m.system}|${m.code}`, limit: SHOWN })) {
    readings.push(o);
    if (readings.length >= SHOWN) break;
  }
  const rows = readings.map((o) => {
    const row = document.createElement("tr");
    const when = document.createElement("td");
    const time = document.createElement("time");
    time.dateTime = o.start_at;
    time.textContent = timeFormat.format(new Date(o.start_at));
    when.append(time);
    const value = document.createElement("td");
    value.className = "number";
    value.textContent = o.value === null ? "—" : `${numberFormat.format(o.value)} ${o.unit ?? ""}`.trim();
    row.append(when, value);
    return row;
  });
  ui.rows.replaceChildren(...rows);
  ui.empty.hidden = readings.length > 0;
  const points = readings.flatMap((o) => (o.value === null ? [] : [{ time: Date.parse(o.start_at), value: o.value }]));
  const unit = readings.find((o) => o.unit)?.unit ?? m.unit;
  const model = chartModel(points);
  const first = model.points[0];
  const last = model.points.at(-1);
  renderChart(chart, model, {
    title: `${m.name} over time`,
    description:
      first && last
        ? `${points.length} readings from ${timeFormat.format(first.time)} to ${timeFormat.format(last.time)}, ` +
          `between ${numberFormat.format(Math.min(...points.map((p) => p.value)))} and ` +
          `${numberFormat.format(Math.max(...points.map((p) => p.value)))} ${unit}. The table below lists them.`
        : "No readings yet.",
    formatValue: (v) => numberFormat.format(v),
    formatTime: (t) => timeFormat.format(t),
  });
}

/** What became of one sent reading, from its finished ingest job (docs/api.md: counts and issues). */
function outcome(job: IngestJob | undefined): string {
  if (!job) return "The reading was sent.";
  const { counts } = job;
  if (counts.stored > 0 && counts.flagged > 0)
    return "Saved, and flagged: the value is outside the plausible range for this measurement.";
  if (counts.stored > 0) return "Saved.";
  if (counts.duplicates > 0) return "This reading was already recorded.";
  const issue = job.issues[0];
  return `Not saved: ${issue?.message ?? job.status}.`;
}

function showSignedIn(client: DfdaClient): void {
  ui.signedOut.hidden = true;
  ui.signedIn.hidden = false;
  ui.signOut.hidden = false;
  if (ui.measuredAt.value === "") ui.measuredAt.value = localInputValue(new Date());
  describeMeasurement();
  showReadings(client).catch(failedWith(client));
}

function showSignedOut(): void {
  ui.signIn.disabled = false;
  ui.signedIn.hidden = true;
  ui.signOut.hidden = true;
  ui.signedOut.hidden = false;
}

async function main(): Promise<void> {
  for (const [id, m] of Object.entries(MEASUREMENTS)) ui.measurement.add(new Option(m.name, id));
  const response = await fetch("/config.json", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new DfdaError(`/config.json answered ${response.status}`);
  const config = (await response.json()) as Config;
  const redirectUri = `${location.origin}/`;
  const client = new DfdaClient({
    baseUrl: config.baseUrl,
    clientId: config.clientId,
    store: new WebStorageTokenStore(sessionStorage),
  });

  ui.signIn.addEventListener("click", async () => {
    ui.signIn.disabled = true;
    try {
      const pending = await startAuthorization({
        baseUrl: config.baseUrl,
        clientId: config.clientId,
        redirectUri,
        scope: SCOPE,
      });
      sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
      location.assign(pending.url);
    } catch (error) {
      ui.signIn.disabled = false;
      complain(error);
    }
  });

  ui.signOut.addEventListener("click", async () => {
    ui.signOut.disabled = true;
    try {
      // Revokes the refresh token (its whole family) and the access token, then forgets both.
      await client.signOut();
      showSignedOut();
      say("You are signed out.");
    } catch (error) {
      complain(error);
    } finally {
      ui.signOut.disabled = false;
    }
  });

  ui.measurement.addEventListener("change", () => {
    describeMeasurement();
    showReadings(client).catch(failedWith(client));
  });

  ui.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const m = selected();
    const value = ui.value.valueAsNumber;
    const at = new Date(ui.measuredAt.value);
    if (!Number.isFinite(value) || ui.value.value.trim() === "") {
      complain(new DfdaError(`Enter the ${m.name.toLowerCase()} as a number of ${m.unitLabel}.`));
      ui.value.focus();
      return;
    }
    if (Number.isNaN(at.getTime())) {
      complain(new DfdaError("Enter when it was measured."));
      ui.measuredAt.focus();
      return;
    }
    ui.save.disabled = true;
    say("Saving…");
    try {
      // One observation as the API takes it: the variable by its LOINC coding, the UCUM unit as
      // measured, an RFC 3339 time (toISOString: UTC, from the local time the person entered).
      const [job] = (await client.observations.send(
        [{ variable: { system: m.system, code: m.code }, value, unit: m.unit, start_at: at.toISOString() }],
        { wait: true },
      )) as IngestJob[];
      await showReadings(client);
      say(outcome(job));
      ui.value.value = "";
      ui.value.focus();
    } catch (error) {
      await failedWith(client)(error);
    } finally {
      ui.save.disabled = false;
    }
  });

  // Back from the sign-in page: the redirect carries `code` (or `error`), `state` and `iss`.
  const params = new URLSearchParams(location.search);
  const stored = sessionStorage.getItem(PENDING_KEY);
  if ((params.has("code") || params.has("error")) && stored !== null) {
    sessionStorage.removeItem(PENDING_KEY);
    // The code is single-use and must not stay in the address bar or the history.
    history.replaceState(null, "", "/");
    try {
      await client.store.save(await finishAuthorization(JSON.parse(stored) as PendingAuthorization, params));
      say("You are signed in.");
    } catch (error) {
      complain(error);
    }
  } else if (params.size > 0) {
    history.replaceState(null, "", "/");
  }

  if (await client.store.load()) showSignedIn(client);
  else showSignedOut();
}

main().catch(complain);
