/**
 * The bundle check of CI (scripts/check-bundles.ts): the verdict on numbers at and around each budget
 * and limit, the budget file against the Worker configs, and one real build of the smallest Worker,
 * whose measured size must be the size wrangler itself reports for the upload.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildAndMeasure, checkBundle, formatTable, loadBudgets, WORKER_SIZE_LIMITS } from "./check-bundles";
import { workerConfigs } from "./start";

const KIB = 1024;
const budget = { raw: 2048 * KIB, gzip: 400 * KIB };

describe("checkBundle", () => {
  it("passes a bundle under or at its budget", () => {
    expect(checkBundle({ raw: 1500 * KIB, gzip: 300 * KIB }, budget)).toEqual([]);
    expect(checkBundle({ raw: 2048 * KIB, gzip: 400 * KIB }, budget)).toEqual([]);
  });

  it("fails a bundle one byte over its raw or its gzip budget, naming which", () => {
    expect(checkBundle({ raw: 2048 * KIB + 1, gzip: 300 * KIB }, budget)).toEqual([
      "raw size 2048.0 KiB exceeds its budget of 2048.0 KiB",
    ]);
    expect(checkBundle({ raw: 1500 * KIB, gzip: 400 * KIB + 1 }, budget)).toEqual([
      "gzip size 400.0 KiB exceeds its budget of 400.0 KiB",
    ]);
  });

  it("fails a bundle over the Workers limit, and a budget set above it", () => {
    const huge = { raw: 70 * 1024 * KIB, gzip: 4 * 1024 * KIB };
    const failures = checkBundle(huge, { raw: 80 * 1024 * KIB, gzip: 5 * 1024 * KIB });
    expect(failures).toEqual([
      "raw budget 81920.0 KiB is above the Workers limit of 65536.0 KiB",
      "raw size 71680.0 KiB exceeds the Workers limit of 65536.0 KiB",
      "gzip budget 5120.0 KiB is above the Workers limit of 3072.0 KiB",
      "gzip size 4096.0 KiB exceeds the Workers limit of 3072.0 KiB",
    ]);
  });
});

describe("the budget file", () => {
  it("budgets every Worker config, below the limits", async () => {
    const configs = workerConfigs();
    const budgets = await loadBudgets(configs);
    expect([...budgets.keys()]).toEqual(configs);
    for (const b of budgets.values()) {
      expect(b.raw).toBeLessThan(WORKER_SIZE_LIMITS.raw);
      expect(b.gzip).toBeLessThan(WORKER_SIZE_LIMITS.gzip);
    }
  });

  it("is refused when a Worker config has no budget", async () => {
    await expect(loadBudgets([...workerConfigs(), "workers/new/wrangler.toml"])).rejects.toThrow(
      /no budget for workers\/new\/wrangler\.toml/,
    );
  });
});

describe("a real build", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("measures what wrangler uploads, and passes or fails against budgets around that size", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "dfda-bundle-test-"));
    dirs.push(outdir);
    const { size, wranglerReport } = await buildAndMeasure(
      "plugins/example-mapper/wrangler.toml",
      "production",
      outdir,
    );

    // wrangler's own report of the same upload, to two decimals of a KiB.
    expect(wranglerReport).toBe(
      `Total Upload: ${(size.raw / KIB).toFixed(2)} KiB / gzip: ${(size.gzip / KIB).toFixed(2)} KiB`,
    );
    expect(size.gzip).toBeGreaterThan(0);
    expect(size.gzip).toBeLessThan(size.raw);

    expect(checkBundle(size, size)).toEqual([]);
    expect(checkBundle(size, { raw: size.raw - 1, gzip: size.gzip })).toHaveLength(1);
    expect(checkBundle(size, { raw: size.raw, gzip: size.gzip - 1 })).toHaveLength(1);

    const table = formatTable([{ config: "plugins/example-mapper/wrangler.toml", size, budget: size, failures: [] }]);
    expect(table.split("\n")[1]).toMatch(
      /^plugins\/example-mapper\/wrangler\.toml\s+\d+\.\d\s+\d+\s+100 %\s+\d+\.\d\s+\d+\s+100 %\s+ok$/,
    );
  }, 120_000);
});
