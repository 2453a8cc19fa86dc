/**
 * `npm run check:bundles` (CI runs it before the tests): builds every Worker of the repository as
 * `wrangler deploy --dry-run --outdir … --env production` builds it (the very bundle a deploy uploads),
 * measures its raw and gzip size the way wrangler reports them ("Total Upload: … / gzip: …"), and fails
 * when a bundle exceeds the Workers size limit or the budget scripts/bundle-budgets.json sets below it.
 *
 * Limits (https://developers.cloudflare.com/workers/platform/limits/#worker-size): since 2026-09-04 the
 * platform checks only the uncompressed bundle, 64 MiB on every plan; before, it checked the gzip size,
 * 3 MiB on the Free plan and 10 MiB on the Paid plan. The wrangler this repository pins (4.86) still
 * colours its report against 3 MiB gzip, so that ceiling is kept as a second limit: it keeps every Worker
 * deployable on any plan and any wrangler, and the gzip size is what start-up time follows (the 1 s
 * start-up limit). The budgets sit below both, close enough above today's sizes that growth is a
 * decision made in review (raise the budget in the same commit) rather than found at deploy time.
 *
 * @example
 *   npm run check:bundles                 # every Worker, production environment
 *   npm run check:bundles -- --env staging
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { workerConfigs } from "./start";

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const KIB = 1024;
const MIB = 1024 * KIB;

/** The platform's limits, in bytes (see the header for where each comes from). */
export const WORKER_SIZE_LIMITS: BundleSize = { raw: 64 * MIB, gzip: 3 * MIB };

/** A bundle's size in bytes: all modules wrangler uploads, uncompressed and gzip-compressed together. */
export interface BundleSize {
  raw: number;
  gzip: number;
}

/** scripts/bundle-budgets.json: per Worker config (path from the repository root), budgets in KiB. */
export interface BudgetFile {
  /** Why the numbers are what they are (JSON has no comments). */
  about?: string;
  budgets: Record<string, { rawKiB: number; gzipKiB: number }>;
}

/** One build: its measured size, and wrangler's own report line ("Total Upload: … KiB / gzip: … KiB"). */
export interface Build {
  size: BundleSize;
  wranglerReport: string | null;
}

export interface BundleReport {
  config: string;
  size: BundleSize;
  budget: BundleSize;
  failures: string[];
}

/**
 * The verdict on one bundle: why it fails, or nothing. A budget above the platform limit is itself a
 * failure, since it would let through a bundle that cannot be deployed.
 *
 * @example
 *   checkBundle({ raw: 2_000_000, gzip: 400_000 }, { raw: 3 * 1024 * 1024, gzip: 600 * 1024 }) // []
 */
export function checkBundle(size: BundleSize, budget: BundleSize, limits: BundleSize = WORKER_SIZE_LIMITS): string[] {
  const failures: string[] = [];
  for (const kind of ["raw", "gzip"] as const) {
    if (budget[kind] > limits[kind]) {
      failures.push(`${kind} budget ${kib(budget[kind])} is above the Workers limit of ${kib(limits[kind])}`);
    }
    if (size[kind] > limits[kind]) {
      failures.push(`${kind} size ${kib(size[kind])} exceeds the Workers limit of ${kib(limits[kind])}`);
    } else if (size[kind] > budget[kind]) {
      failures.push(`${kind} size ${kib(size[kind])} exceeds its budget of ${kib(budget[kind])}`);
    }
  }
  return failures;
}

/** Reads the budget file; every Worker config must have a budget, and every budget a Worker config. */
export async function loadBudgets(configs: string[], file = join(ROOT, "scripts/bundle-budgets.json")) {
  const parsed = JSON.parse(await readFile(file, "utf8")) as BudgetFile;
  const budgets = new Map<string, BundleSize>();
  for (const config of configs) {
    const entry = parsed.budgets[config];
    if (!entry) throw new Error(`${file} has no budget for ${config}: add one (rawKiB, gzipKiB)`);
    budgets.set(config, { raw: entry.rawKiB * KIB, gzip: entry.gzipKiB * KIB });
  }
  const stale = Object.keys(parsed.budgets).filter((config) => !configs.includes(config));
  if (stale.length > 0) throw new Error(`${file} budgets configs that no longer exist: ${stale.join(", ")}`);
  return budgets;
}

/**
 * Bundles one Worker with `wrangler deploy --dry-run --outdir` and measures what a deploy uploads: every
 * module in the output directory (source maps and wrangler's README are not uploaded), gzip-compressed
 * as one stream, as wrangler's own size report does.
 */
export async function buildAndMeasure(config: string, env: string, outdir: string): Promise<Build> {
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  let stdout: string;
  try {
    ({ stdout } = await run(
      process.execPath,
      [wrangler, "deploy", "--dry-run", "--outdir", outdir, "-c", join(ROOT, config), "--env", env],
      { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" }, maxBuffer: 16 * MIB },
    ));
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`Building ${config} (--env ${env}) failed:\n${stdout}\n${stderr}`);
  }
  const files = (await readdir(outdir, { recursive: true })).filter(
    (path) => !path.endsWith(".map") && path !== "README.md",
  );
  const modules = (
    await Promise.all(files.map(async (path) => ((await stat(join(outdir, path))).isFile() ? path : null)))
  )
    .filter((path): path is string => path !== null)
    .sort();
  const contents = await Promise.all(modules.map((path) => readFile(join(outdir, path))));
  const all = Buffer.concat(contents);
  return {
    size: { raw: all.byteLength, gzip: gzipSync(all).byteLength },
    wranglerReport: /Total Upload: [^\n]*/.exec(stdout)?.[0] ?? null,
  };
}

/** Builds, measures and judges every Worker; one at a time, as CI machines are small. */
export async function checkBundles(env: string, configs: string[] = workerConfigs(ROOT)): Promise<BundleReport[]> {
  const budgets = await loadBudgets(configs);
  const work = await mkdtemp(join(tmpdir(), "dfda-bundles-"));
  try {
    const reports: BundleReport[] = [];
    for (const [index, config] of configs.entries()) {
      const { size } = await buildAndMeasure(config, env, join(work, String(index)));
      const budget = budgets.get(config) ?? WORKER_SIZE_LIMITS;
      reports.push({ config, size, budget, failures: checkBundle(size, budget) });
    }
    return reports;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function kib(bytes: number): string {
  return `${(bytes / KIB).toFixed(1)} KiB`;
}

/** The reports as a fixed-width table, sizes in KiB, with each size's share of its budget. */
export function formatTable(reports: BundleReport[]): string {
  const share = (size: number, budget: number) => `${Math.round((size / budget) * 100)} %`;
  const rows = [
    ["Worker config", "raw KiB", "budget", "used", "gzip KiB", "budget", "used", ""],
    ...reports.map((r) => [
      r.config,
      (r.size.raw / KIB).toFixed(1),
      (r.budget.raw / KIB).toFixed(0),
      share(r.size.raw, r.budget.raw),
      (r.size.gzip / KIB).toFixed(1),
      (r.budget.gzip / KIB).toFixed(0),
      share(r.size.gzip, r.budget.gzip),
      r.failures.length > 0 ? "FAIL" : "ok",
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join("  "),
    )
    .join("\n")
    .trimEnd();
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf("--env");
  const env = flag >= 0 ? (process.argv[flag + 1] ?? "") : "production";
  const reports = await checkBundles(env);
  console.log(
    `Worker bundles (wrangler deploy --dry-run --env ${env}); limits: ${WORKER_SIZE_LIMITS.raw / MIB} MiB raw, ${WORKER_SIZE_LIMITS.gzip / MIB} MiB gzip`,
  );
  console.log(formatTable(reports));
  const failed = reports.filter((r) => r.failures.length > 0);
  for (const r of failed) console.error(`${r.config}: ${r.failures.join("; ")}`);
  if (failed.length > 0) {
    console.error(
      "Shrink the bundle, or raise its budget in scripts/bundle-budgets.json (below the limit) and say why.",
    );
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
