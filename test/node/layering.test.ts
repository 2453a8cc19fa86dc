/**
 * The API Worker's layering (issue 11, "clear doors"): a route file (workers/api/src/routes/*.ts)
 * holds one operation and imports packages and the Worker's shared modules (lib/, and the
 * authorization server's oauth/), never another route file: what two routes share lives in lib/.
 * Only a route's own test files may import route files (for their response types). Imports are read
 * with the TypeScript scanner, so `import type`, `export … from` and dynamic `import()` all count.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const apiSrc = resolve(dirname(fileURLToPath(import.meta.url)), "../../workers/api/src");
const routesDir = join(apiSrc, "routes");
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
    .filter((specifier) => !ALLOWED_DIRS.some((dir) => target(file, specifier).startsWith(`${dir}/`)))
    .map((specifier) => `${relative(apiSrc, file)} → ${specifier}`);
}

describe("API route files", () => {
  const routeFiles = readdirSync(routesDir)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
    .map((name) => join(routesDir, name));

  it("exist (the check reads the right folder)", () => {
    expect(routeFiles.length).toBeGreaterThan(40);
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
    ].join("\n");
    expect(violations(file, source)).toEqual([
      "routes/v1_example.ts → ./v1_other",
      "routes/v1_example.ts → ../routes/v1_other",
      "routes/v1_example.ts → ./v1_third",
      "routes/v1_example.ts → ./v1_fourth",
      "routes/v1_example.ts → ../app",
    ]);
  });
});
