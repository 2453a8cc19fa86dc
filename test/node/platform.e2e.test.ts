/**
 * The platform as a newcomer meets it: `npm start` with no DATABASE_URL (the embedded PostgreSQL server,
 * every Worker under one `wrangler dev`), then the README's requests, and the /docs page rendered in a
 * real browser. Runs on its own ports and data folder so it does not touch a developer's `.data/`.
 *
 * The browser part needs Chromium (Debian: `apt-get install chromium`; CHROMIUM_PATH overrides the
 * path). CI installs it and sets REQUIRE_BROWSER=1, which makes a missing browser a failure.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusBytes } from "../../packages/mappers/test/corpus";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PORT = 18_000 + (process.pid % 1000);
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const dataDir = mkdtempSync(join(tmpdir(), "dfda-e2e-"));
// As root the database server runs as another account, which must reach its folder inside.
chmodSync(dataDir, 0o755);
let child: ChildProcess;
let output = "";
let token = "";

/** Runs the `dfda` command as a user would, against the embedded database. */
async function dfda(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(join(ROOT, "node_modules/.bin/dfda"), args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${PORT + 1}/postgres` },
  });
  return stdout;
}

/** fetch with the signed-in user's token; a failed connection reports what the platform printed last. */
async function get(path: string): Promise<Response> {
  try {
    return await fetch(`${BASE}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new Error(`GET ${path} failed (${String(error)}); the platform's last output:\n${output.slice(-4000)}`);
  }
}

async function waitForHealth(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${BASE}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the platform did not become healthy in time:\n${output}`);
}

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    DFDA_DB_PORT: String(PORT + 1),
    DFDA_DATA_DIR: dataDir,
  };
  delete env.DATABASE_URL;
  child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/start.ts")], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  await waitForHealth(Date.now() + 120_000);
  // The README's first steps: an account in the local tenant, then a token (the operator command, as
  // scripts get one; a person signs in with dfda login in a browser).
  await dfda(
    "user",
    "create",
    "--tenant",
    "local",
    "--email",
    "ada@example.org",
    "--password",
    "correct horse battery staple",
  );
  const tokens = JSON.parse(
    await dfda("token", "issue", "--tenant", "local", "--base-url", BASE, "--email", "ada@example.org"),
  ) as { access_token: string };
  token = tokens.access_token;
}, 180_000);

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    // The start script stops wrangler and the embedded database on SIGTERM; the group kill is a backstop.
    process.kill(-child.pid, "SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  // The server was stopped, not left running: it removes its pid file on a clean shutdown.
  const stoppedCleanly = !existsSync(join(dataDir, "postgres", "postmaster.pid"));
  rmSync(dataDir, { recursive: true, force: true });
  expect(stoppedCleanly).toBe(true);
});

describe("npm start, tried as a newcomer would", () => {
  it("used the embedded PostgreSQL server, started every Worker config, and made the local tenant", () => {
    expect(output).toMatch(
      /database: embedded PostgreSQL \(17\.\d+\) in .*postgres on 127\.0\.0\.1:\d+, initialised now/,
    );
    expect(output).toMatch(/workers: wrangler\.toml/);
    expect(output).toContain('created public OAuth client "dfda-cli" in tenant "local"');
    expect(token.split(".")).toHaveLength(3);
  });

  it("refuses the API without a token", async () => {
    const res = await fetch(`${BASE}/v1/variables?limit=1`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("finds heart rate by LOINC code", async () => {
    const res = await get("/v1/variables?system=http://loinc.org&code=8867-4");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ slug: string; canonical_unit: string }> };
    expect(body.data.map((v) => [v.slug, v.canonical_unit])).toEqual([["heart-rate", "/min"]]);
  });

  it("finds mmol/L for q=mmol", async () => {
    const body = (await (await get("/v1/units?q=mmol")).json()) as { data: Array<{ code: string }> };
    expect(body.data.map((u) => u.code)).toContain("mmol/L");
  });

  it("answers a bad query with a problem naming the field", async () => {
    const res = await get("/v1/variables?limit=0");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as { code: string; errors: Array<{ path: string }> };
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e) => e.path)).toEqual(["limit"]);
  });

  it("ingests through the queue, the ingest Worker and the user's writer, then reports the job", async () => {
    const res = await fetch(`${BASE}/v1/ingest/observations`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        observations: [
          {
            variable: { system: "http://loinc.org", code: "2339-0" },
            value: 100,
            unit: "mg/dL",
            start_at: "2026-11-20T08:00:00Z",
          },
          {
            variable: { system: "http://loinc.org", code: "29463-7" },
            value: 185,
            unit: "[lb_av]",
            start_at: "2026-11-20T08:00:00+01:00",
          },
          {
            variable: { system: "http://loinc.org", code: "8867-4" },
            value: 72,
            unit: "kg",
            start_at: "2026-11-20T08:01:00Z",
          },
        ],
      }),
    });
    expect(res.status).toBe(202);
    const { status_url } = (await res.json()) as { status_url: string };
    type Job = { status: string; counts: Record<string, number>; issues: Array<{ index: number; code: string }> };
    let job: Job | undefined;
    for (let i = 0; i < 60; i++) {
      const current = (await (
        await fetch(status_url, { headers: { Authorization: `Bearer ${token}` } })
      ).json()) as Job;
      job = current;
      if (current.status !== "queued" && current.status !== "processing") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(job).toMatchObject({ status: "completed_with_issues", counts: { received: 3, stored: 2, rejected: 1 } });
    expect(job?.issues).toEqual([expect.objectContaining({ index: 2, code: "unit_incommensurable" })]);

    // Read back as the README shows: canonical units, with what was sent kept beside.
    const read = await get(`/v1/observations?variable=${encodeURIComponent("http://loinc.org|2339-0")}`);
    expect(read.status).toBe(200);
    const { data } = (await read.json()) as {
      data: Array<{ value: number; unit: string; original: { value: number; unit: string } }>;
    };
    expect(data).toHaveLength(1);
    expect(data[0]?.value).toBeCloseTo(5.5508, 3);
    expect(data[0]).toMatchObject({ unit: "mmol/L", original: { value: 100, unit: "mg/dL" } });
  });

  it("takes a FHIR file, maps it in the mapper Worker, stores its observations, and gives the original back byte for byte", async () => {
    const original = corpusBytes("01-fhir-r4/fhir-test-cases/obs-temp.json");
    const form = new FormData();
    form.append("file", new Blob([original], { type: "application/fhir+json" }), "obs-temp.json");
    const res = await fetch(`${BASE}/v1/ingest/files`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const upload = (await res.json()) as { file_id: string; status_url: string; file: { format: string } };
    expect(upload.file.format).toBe("fhir-r4");
    type Job = { status: string; kind: string; counts: Record<string, number> };
    let job: Job | undefined;
    for (let i = 0; i < 120; i++) {
      job = (await (await get(new URL(upload.status_url).pathname)).json()) as Job;
      if (job.status !== "queued" && job.status !== "processing") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(job).toMatchObject({ kind: "file", status: "completed", counts: { received: 1, stored: 1 } });
    const read = await get(`/v1/observations?variable=${encodeURIComponent("http://loinc.org|8310-5")}`);
    const { data } = (await read.json()) as { data: Array<{ value: number; unit: string; file_id: string | null }> };
    expect(data).toEqual([expect.objectContaining({ value: 36, unit: "Cel", file_id: upload.file_id })]);
    const file = (await (await get(`/v1/files/${upload.file_id}`)).json()) as {
      status: string;
      mapper: { id: string };
    };
    expect(file).toMatchObject({ status: "mapped", mapper: { id: "fhir-r4" } });
    const content = await get(`/v1/files/${upload.file_id}/content`);
    expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(original))).toBe(true);
  });

  it("serves the Swagger UI assets through the assets layer", async () => {
    const res = await fetch(`${BASE}/docs/assets/vendor/swagger-ui-bundle.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    await res.arrayBuffer();
  });

  const browserAvailable = existsSync(CHROMIUM);
  if (!browserAvailable && process.env.REQUIRE_BROWSER === "1") {
    it("has a browser", () => {
      expect.fail(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
    });
  }
  it.runIf(browserAvailable)(
    "renders the interactive reference at /docs in a browser",
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(`${BASE}/docs`);
        await page.getByText("List and search variables").waitFor({ timeout: 30_000 });
        expect(await page.locator(".opblock").count()).toBeGreaterThanOrEqual(6);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
