/**
 * "Runs in Workers" (issue 16), shown rather than claimed:
 *
 * - The SDK's main entry (`@dfda/sdk`, src/index.ts) bundled for a neutral platform reaches no Node
 *   built-in module, with or without the `node:` prefix; the Node entry (`@dfda/sdk/node`) does, which
 *   shows the check sees them.
 * - A Worker made of nothing but the SDK (test/workerd/worker.ts) is bundled by wrangler as for a
 *   deploy and run in workerd without `nodejs_compat` (wrangler only warns about a Node built-in in a
 *   bundle, hence the check above). Against the running platform (test/platform/global-setup.ts) it signs in with client
 *   credentials, writes a person's readings through the grant that person gave the app, waits for the
 *   jobs and reads them back through the cursor; without the grant, the SDK's typed problem surfaces.
 */
import { randomUUID } from "node:crypto";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { baseUrl, newPerson, serviceClient } from "../../../test/platform/fixtures";
import type { Outcome, Task } from "./workerd/worker";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** The modules a bundle of `entry` leaves external because they are Node built-ins. */
async function nodeImports(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    // What a Worker or browser bundler resolves with (wrangler: "workerd", "worker", "browser").
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: [...NODE_BUILTINS],
    metafile: true,
    outdir: "/",
    logLevel: "silent",
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  return [...new Set(imports.filter((i) => i.external && NODE_BUILTINS.has(i.path)).map((i) => i.path))].sort();
}

describe("the SDK's main entry", () => {
  it("reaches no Node built-in; the Node entry does, so the check sees them", async () => {
    expect(await nodeImports(here("../src/index.ts"))).toEqual([]);
    expect(await nodeImports(here("../src/node.ts"))).toEqual(expect.arrayContaining(["node:fs"]));
  });
});

describe("the SDK in workerd", () => {
  let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;
  let service: { client_id: string; client_secret: string };

  beforeAll(async () => {
    worker = await unstable_startWorker({
      config: here("./workerd/wrangler.toml"),
      name: `dfda-sdk-in-workerd-${randomUUID().slice(0, 8)}`,
      dev: {
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        persist: false,
        watch: false,
        logLevel: "warn",
      },
    });
    await worker.ready;
    // A server-side app: a confidential client that signs in as itself.
    service = await serviceClient("SDK in workerd");
  }, 180_000);

  afterAll(async () => {
    await worker?.dispose();
  });

  async function run(task: Task): Promise<{ status: number; outcome: Outcome }> {
    if (!worker) throw new Error("the Worker did not start");
    const url = await worker.url;
    const response = await fetch(new URL("/", url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(task),
    });
    const text = await response.text();
    try {
      return { status: response.status, outcome: JSON.parse(text) as Outcome };
    } catch {
      throw new Error(`the Worker answered ${response.status}: ${text.slice(0, 2000)}`);
    }
  }

  /** A person with a token that may share their data, and their user id (the token's subject). */
  async function owner() {
    const person = await newPerson({ scope: "observations:read observations:write consents:manage" });
    const payload = JSON.parse(Buffer.from(person.accessToken.split(".")[1] ?? "", "base64url").toString()) as {
      sub: string;
    };
    return { ...person, userId: payload.sub };
  }

  const readings = [
    { value: 61, start_at: "2026-11-02T07:00:00Z" },
    { value: 66, start_at: "2026-11-02T07:05:00Z" },
    { value: 71, start_at: "2026-11-02T07:10:00Z" },
  ];

  it("signs in with client credentials, sends a person's readings through their grant, and lists them", async () => {
    const person = await owner();
    const grant = await fetch(`${baseUrl}/v1/consents`, {
      method: "POST",
      headers: { Authorization: `Bearer ${person.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        grantee: { type: "client", id: service.client_id },
        actions: ["read", "write"],
        scope: { variables: ["http://loinc.org|8867-4"] },
        purpose: "SDK in workerd test",
      }),
    });
    expect(grant.status, await grant.clone().text()).toBe(201);
    await grant.body?.cancel();

    const { status, outcome } = await run({
      baseUrl,
      clientId: service.client_id,
      clientSecret: service.client_secret,
      userId: person.userId,
      readings,
    });
    expect(status, JSON.stringify(outcome)).toBe(200);
    expect(outcome.runtime).toBe("Cloudflare-Workers");
    expect(outcome.jobs).toEqual([{ status: "completed", stored: 3 }]);
    // Newest first, across two pages of two.
    expect(outcome.read?.map((o) => [o.value, Date.parse(o.start_at)])).toEqual(
      readings.map((r) => [r.value, Date.parse(r.start_at)]).reverse(),
    );
    expect(outcome.pages).toBe(2);
  });

  it("surfaces a refusal as the SDK's typed problem: no grant, no write", async () => {
    const stranger = await owner();
    const { status, outcome } = await run({
      baseUrl,
      clientId: service.client_id,
      clientSecret: service.client_secret,
      userId: stranger.userId,
      readings,
    });
    expect(status).toBe(422);
    expect(outcome.runtime).toBe("Cloudflare-Workers");
    expect(outcome.problem?.status).toBe(403);
    expect(outcome.problem?.code).toBeTruthy();
    expect(outcome.jobs).toBeUndefined();
  });
});
