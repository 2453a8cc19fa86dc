/**
 * Global setup of the `platform` project: the whole platform started once, as `npm start` starts it
 * (scripts/start.ts: every Worker under one `wrangler dev`, local R2, Queues, Durable Objects and Cron),
 * against a fresh database of this test run (test/global-setup.ts makes it), on a free port and its own
 * data folder. The SDK, CLI, example and Python tests run against it over real HTTP: real OAuth, real
 * queues, real mapping, nothing mocked.
 *
 * Provides `platformBaseUrl` (http://127.0.0.1:<port>) and `platformDatabaseUrl` (for operator commands).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import databaseSetup, { freePort } from "../global-setup";

declare module "vitest" {
  export interface ProvidedContext {
    platformBaseUrl: string;
    platformDatabaseUrl: string;
  }
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The tests run `dfda` as people run it, the bundle (packages/cli/dist/dfda.mjs); build it from this
  // checkout's sources first, so they never run one an earlier `npm install` left behind.
  await promisify(execFile)(process.execPath, [join(ROOT, "packages/cli/scripts/build.mjs")], { cwd: ROOT });
  const dropDatabase = await databaseSetup(project);
  const databaseUrl = project.getProvidedContext().databaseUrl;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), "dfda-platform-"));
  chmodSync(dataDir, 0o755);
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/start.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        DFDA_DATA_DIR: dataDir,
        // The demo vendor's fixed port may be taken by a developer's own `npm start`; these tests do not need it.
        DFDA_DEMO_VENDOR: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      // scripts/start.ts stops wrangler on SIGTERM; the group kill reaches workerd if it lingers.
      process.kill(-child.pid, "SIGTERM");
      const exited = new Promise((r) => child.once("exit", r));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise((r) => {
          timer = setTimeout(r, 15_000, true);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    }
    // The pipes would keep vitest's main process alive after the run.
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
    rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase();
  };

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the platform exited with ${child.exitCode} while starting:\n${output}`);
    }
    const healthy = await fetch(`${base}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the platform did not become healthy within 3 minutes:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  project.provide("platformBaseUrl", base);
  project.provide("platformDatabaseUrl", databaseUrl);
  return stop;
}
