/**
 * The layering the code keeps (issue 11, "clear doors"), checked so it cannot drift back:
 * - A route file (workers/api/src/routes/*.ts, and each OAuth endpoint in oauth/routes/) holds one
 *   operation and imports packages and the Worker's shared modules (lib/, and the authorization
 *   server's oauth/), never another route file: what two routes share lives in lib/. Only a route's
 *   own test files may import route files (for their response types); oauth/routes/index.ts lists them.
 * - Workspace packages: every package a member imports is declared in its package.json; the
 *   `@dfda/*` dependency graph has no cycle; the pure layers (core, auth, ingest, reference,
 *   mappers) never reach the data layer (`@dfda/db`) or a Worker.
 * Imports are read with the TypeScript scanner, so `import type`, `export … from` and dynamic
 * `import()` all count.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const apiSrc = join(root, "workers/api/src");
const routesDir = join(apiSrc, "routes");
const oauthRoutesDir = join(apiSrc, "oauth/routes");
/** Where a route file may reach inside the Worker, besides packages. */
const ALLOWED_DIRS = ["lib", "oauth"];

/** Every module specifier a TypeScript source imports or re-exports. */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Where a relative specifier leads, relative to the API Worker's src/ (e.g. `lib/auth`). */
function target(fromFile: string, specifier: string): string {
  return relative(apiSrc, resolve(dirname(fromFile), specifier)).replace(/\.(ts|js)$/, "");
}

/** The imports of a route file that break the rule, as `file → specifier`. */
function violations(file: string, source: string): string[] {
  return importsOf(source)
    .filter((specifier) => specifier.startsWith("."))
    .filter((specifier) => {
      const to = target(file, specifier);
      return !ALLOWED_DIRS.some((dir) => to.startsWith(`${dir}/`)) || to.startsWith("oauth/routes/");
    })
    .map((specifier) => `${relative(apiSrc, file)} → ${specifier}`);
}

/** The operation files of a routes folder (not their tests, not the OAuth registry). */
function operationFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts") && name !== "index.ts")
    .map((name) => join(dir, name));
}

describe("API route files", () => {
  const routeFiles = operationFiles(routesDir);
  const oauthRouteFiles = operationFiles(oauthRoutesDir);

  it("exist (the check reads the right folders)", () => {
    expect(routeFiles.length).toBeGreaterThan(40);
    expect(oauthRouteFiles.length).toBeGreaterThan(15);
  });

  it("of the authorization server import only packages, lib/ and oauth/ modules: never another endpoint", () => {
    const found = oauthRouteFiles.flatMap((file) => violations(file, readFileSync(file, "utf8")));
    expect(found).toEqual([]);
  });

  it("import only packages, lib/ and oauth/: never another route file", () => {
    const found = routeFiles.flatMap((file) => violations(file, readFileSync(file, "utf8")));
    expect(found).toEqual([]);
  });

  it("the check catches a route file importing another, however it is written", () => {
    const file = join(routesDir, "v1_example.ts");
    const source = [
      'import { a } from "./v1_other";',
      'import type { B } from "../routes/v1_other";',
      'export { c } from "./v1_third";',
      'const d = await import("./v1_fourth");',
      'import { e } from "../lib/schemas";',
      'import { f } from "../oauth/config";',
      'import { g } from "@dfda/core";',
      'import { h } from "../app";',
      'import { i } from "../oauth/routes/oauth_token";',
    ].join("\n");
    expect(violations(file, source)).toEqual([
      "routes/v1_example.ts → ./v1_other",
      "routes/v1_example.ts → ../routes/v1_other",
      "routes/v1_example.ts → ./v1_third",
      "routes/v1_example.ts → ./v1_fourth",
      "routes/v1_example.ts → ../app",
      "routes/v1_example.ts → ../oauth/routes/oauth_token",
    ]);
  });
});

interface Member {
  dir: string;
  name: string;
  /** Runtime dependencies (`dependencies`, `peerDependencies`). */
  runtime: Set<string>;
  /** Everything declared, development dependencies included. */
  declared: Set<string>;
}

/** The workspace members the root package.json names (`packages/*`, `workers/*`, …). */
function members(): Member[] {
  const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces: string[] };
  return rootPackage.workspaces.flatMap((pattern) => {
    const parent = join(root, pattern.replace(/\/\*$/, ""));
    return readdirSync(parent)
      .map((name) => join(parent, name))
      .filter((dir) => existsSync(join(dir, "package.json")))
      .map((dir) => {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
          name: string;
          dependencies?: Record<string, string>;
          devDependencies?: Record<string, string>;
          peerDependencies?: Record<string, string>;
        };
        const runtime = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
        return {
          dir,
          name: pkg.name,
          runtime,
          declared: new Set([...runtime, ...Object.keys(pkg.devDependencies ?? {})]),
        };
      });
  });
}

/** A member's TypeScript and JavaScript sources, test files included (they run too). */
function sourcesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name.startsWith(".")) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesOf(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Aliases resolved by vitest.config.ts (the shared corpus), not packages. */
const ALIASES = ["@corpus"];

/**
 * The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative paths,
 * builtins and aliases.
 */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return null;
  if (ALIASES.some((alias) => specifier === alias || specifier.startsWith(`${alias}/`))) return null;
  if (specifier.startsWith("node:") || specifier.startsWith("cloudflare:")) return null;
  const bare = specifier.split("?")[0] ?? specifier;
  const parts = bare.split("/");
  const name = bare.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? bare);
  return builtinModules.includes(name) ? null : name;
}

/** Every `@dfda/*` package reachable from `name` through runtime dependencies. */
function closure(byName: Map<string, Member>, name: string, seen = new Set<string>()): Set<string> {
  for (const dep of byName.get(name)?.runtime ?? []) {
    if (!dep.startsWith("@dfda/") || seen.has(dep)) continue;
    seen.add(dep);
    closure(byName, dep, seen);
  }
  return seen;
}

describe("workspace packages", () => {
  const all = members();
  const byName = new Map(all.map((m) => [m.name, m]));

  it("are all read (the check reads the right folders)", () => {
    for (const name of ["@dfda/core", "@dfda/db", "@dfda/reference", "@dfda/consumer", "@dfda/api"]) {
      expect(byName.has(name), name).toBe(true);
    }
  });

  it("declare every package they import, in their own package.json", () => {
    const undeclared = all.flatMap((member) =>
      sourcesOf(member.dir).flatMap((file) =>
        importsOf(readFileSync(file, "utf8"))
          .map(packageOf)
          .filter((name): name is string => name !== null && name !== member.name)
          .filter((name) => !member.declared.has(name))
          .map((name) => `${relative(root, file)} imports ${name}, which ${member.name} does not declare`),
      ),
    );
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it("depend on each other without a cycle", () => {
    const cycles = all.filter((member) => closure(byName, member.name).has(member.name)).map((m) => m.name);
    expect(cycles).toEqual([]);
  });

  it("keep the pure layers (errors, crypto, validation, reference data, format mappers) away from I/O", () => {
    const pure = ["@dfda/core", "@dfda/auth", "@dfda/ingest", "@dfda/reference", "@dfda/mappers", "@dfda/connectors"];
    const io = ["@dfda/db", "@dfda/consumer", "@dfda/user-writer"];
    const reached = pure.flatMap((name) =>
      [...closure(byName, name)].filter((dep) => io.includes(dep)).map((dep) => `${name} → ${dep}`),
    );
    expect(reached).toEqual([]);
    expect([...closure(byName, "@dfda/core")]).toEqual([]);
  });

  it("the import reader names packages, not paths", () => {
    expect(packageOf("@dfda/db/repositories/jobs")).toBe("@dfda/db");
    expect(packageOf("zod")).toBe("zod");
    expect(packageOf("hono/http-exception")).toBe("hono");
    expect(packageOf("@corpus/fhir/a.json?raw")).toBeNull();
    expect(packageOf("node:crypto")).toBeNull();
    expect(packageOf("crypto")).toBeNull();
    expect(packageOf("cloudflare:workers")).toBeNull();
    expect(packageOf("./lib/auth")).toBeNull();
  });
});
