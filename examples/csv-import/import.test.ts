/**
 * The CSV import example run as a developer runs it (`tsx examples/csv-import/import.ts`), against the
 * running platform with a person's token: progress on stderr, counts on stdout, every row stored.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DfdaClient } from "@dfda/sdk";
import { describe, expect, it } from "vitest";
import { baseUrl, newPerson, ROOT } from "../../test/platform/fixtures";

describe("examples/csv-import", () => {
  it("imports 2,500 rows in batches with progress, and they read back", async () => {
    const person = await newPerson({ scope: "observations:read observations:write" });
    const dir = mkdtempSync(join(tmpdir(), "dfda-csv-"));
    try {
      const file = join(dir, "pulse.csv");
      const start = Date.UTC(2026, 4, 1);
      const lines = Array.from(
        { length: 2500 },
        (_, i) => `${new Date(start + i * 60_000).toISOString()},${55 + (i % 30)}`,
      );
      writeFileSync(file, `start_at,value\n${lines.join("\n")}\n`);
      const run = await promisify(execFile)(
        join(ROOT, "node_modules/.bin/tsx"),
        [
          join(ROOT, "examples/csv-import/import.ts"),
          file,
          "--variable",
          "http://loinc.org|8867-4",
          "--unit",
          "/min",
          "--batch-size",
          "1000",
        ],
        {
          cwd: ROOT,
          env: { ...process.env, DFDA_BASE_URL: baseUrl, DFDA_ACCESS_TOKEN: person.accessToken },
          timeout: 300_000,
        },
      );
      expect(run.stderr).toContain("sent 1000 rows");
      expect(run.stderr).toContain("sent 2500 rows");
      expect(run.stderr).toMatch(/: completed \d+\/\d+/);
      const result = JSON.parse(run.stdout) as { jobs: { status: string }[]; stored: number; rejected: number };
      expect(result.jobs).toHaveLength(3);
      expect(result).toMatchObject({ stored: 2500, rejected: 0 });
      const client = new DfdaClient({ baseUrl, accessToken: person.accessToken });
      let count = 0;
      for await (const _ of client.observations.list({ variable: "http://loinc.org|8867-4", limit: 200 })) count++;
      expect(count).toBe(2500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
