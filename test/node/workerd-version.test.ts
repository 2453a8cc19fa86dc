/**
 * One Workers runtime for tests, `npm start` and deploy builds (docs/testing.md, "One runtime"). The
 * test plugin (@cloudflare/vitest-plugin, on miniflare 5) and the wrangler CLI (4.86, the newest that
 * runs on Node 20, on miniflare 4) would each bring their own workerd, and the plugin its own wrangler;
 * the root package.json `overrides` pins `workerd` and hands the plugin the root wrangler, so that npm
 * installs one of each. These checks read the installed packages and fail when a second workerd or
 * wrangler comes back, or when the pin falls behind a tool.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Installed {
  path: string;
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

interface Manifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  workspaces?: string[];
  overrides?: Record<string, string>;
}

function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, "utf8")) as Manifest;
}

/** Every package installed under `nodeModules`, nested `node_modules` included (workspace symlinks are skipped). */
function installedUnder(nodeModules: string, found: Installed[] = []): Installed[] {
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith(".")) continue;
    const dirs = entry.startsWith("@")
      ? readdirSync(join(nodeModules, entry)).map((scoped) => join(nodeModules, entry, scoped))
      : [join(nodeModules, entry)];
    for (const dir of dirs) {
      if (!lstatSync(dir).isDirectory()) continue;
      const manifest = join(dir, "package.json");
      if (existsSync(manifest)) {
        const { name, version, dependencies } = readManifest(manifest);
        if (name && version) found.push({ path: dir, name, version, dependencies: dependencies ?? {} });
      }
      installedUnder(join(dir, "node_modules"), found);
    }
  }
  return found;
}

/** The root's and every workspace package's installed dependencies. */
function installedPackages(): Installed[] {
  const roots = [ROOT];
  for (const pattern of readManifest(join(ROOT, "package.json")).workspaces ?? []) {
    const parent = join(ROOT, pattern.replace(/\/\*$/, ""));
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent)) roots.push(join(parent, entry));
  }
  return roots.flatMap((root) => installedUnder(join(root, "node_modules")));
}

/** Compares dotted numeric versions such as workerd's `1.20261103.1`. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The `workerd` launcher and its platform binaries (`@cloudflare/workerd-linux-64`, ...). */
const isWorkerd = (name: string) => name === "workerd" || name.startsWith("@cloudflare/workerd-");

describe("the Workers runtime", () => {
  const packages = installedPackages();
  const workerd = packages.filter((p) => isWorkerd(p.name));
  const pinned = readManifest(join(ROOT, "package.json")).overrides?.workerd;

  it("is installed in exactly one version", () => {
    expect(workerd.map((p) => p.name)).toContain("workerd");
    const versions = new Set(workerd.map((p) => p.version));
    expect([...versions], workerd.map((p) => `${p.path}: ${p.version}`).join("\n")).toHaveLength(1);
  });

  it("is driven by one wrangler, for tests, npm start and deploy alike", () => {
    const wrangler = packages.filter((p) => p.name === "wrangler");
    expect(
      new Set(wrangler.map((p) => p.version)).size,
      wrangler.map((p) => `${p.path}: ${p.version}`).join("\n"),
    ).toBe(1);
  });

  it("is the version the root package.json pins in overrides", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    for (const p of workerd) expect(p.version, p.path).toBe(pinned);
  });

  // A newer workerd reads the configuration an older miniflare writes; an older one may not understand a
  // newer miniflare's. So the pin is never older than any workerd a miniflare or wrangler was built for:
  // upgrading the test plugin must move the pin with it.
  it("is no older than the workerd any installed miniflare or wrangler was built for", () => {
    const tools = packages.filter((p) => (p.name === "miniflare" || p.name === "wrangler") && p.dependencies.workerd);
    expect(tools.map((p) => p.name)).toEqual(expect.arrayContaining(["miniflare", "wrangler"]));
    for (const tool of tools) {
      const wanted = tool.dependencies.workerd?.replace(/^[\^~=]/, "") ?? "";
      expect(
        compareVersions(pinned ?? "", wanted),
        `${tool.name}@${tool.version} wants workerd ${wanted}`,
      ).toBeGreaterThanOrEqual(0);
    }
  });
});
