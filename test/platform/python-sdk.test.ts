/**
 * The Python SDK (sdks/python) tested by its own unittest suite against the running platform: this
 * test makes a person and a confidential client with the operator commands, then runs
 * `python3 -m unittest` with their credentials and the platform's URL, and fails with Python's output.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { baseUrl, dfda, LOCAL_CLIENT_ID, LOCAL_TENANT, ROOT, serviceClient } from "./fixtures";

describe("the Python SDK against the running platform", () => {
  it("signs in (PKCE with a loopback redirect, client credentials), sends, uploads, waits, reads and exports", async () => {
    const email = `python-${randomUUID()}@example.org`;
    const password = `correct horse ${randomUUID()}`;
    await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", email, "--password", password]);
    const service = await serviceClient("Python SDK tests");

    const run = await promisify(execFile)(
      "python3",
      ["-m", "unittest", "discover", "-v", "-s", "tests", "-t", "tests"],
      {
        cwd: join(ROOT, "sdks/python"),
        env: {
          ...process.env,
          DFDA_BASE_URL: baseUrl,
          DFDA_CLIENT_ID: LOCAL_CLIENT_ID,
          DFDA_EMAIL: email,
          DFDA_PASSWORD: password,
          DFDA_SERVICE_CLIENT_ID: service.client_id,
          DFDA_SERVICE_CLIENT_SECRET: service.client_secret,
          PYTHONDONTWRITEBYTECODE: "1",
        },
        timeout: 600_000,
      },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`python3 -m unittest failed:\n${error.stderr ?? ""}\n${error.stdout ?? error.message}`);
    });
    // unittest reports on stderr; every test ran (none skipped for a missing platform) and passed.
    expect(run.stderr).toMatch(/\nOK\s*$/);
    expect(run.stderr).not.toMatch(/skipped/);
    expect(run.stderr).toMatch(/Ran (\d+) tests/);
  }, 600_000);
});
