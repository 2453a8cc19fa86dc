/**
 * Every regular expression in the source tree is checked for super-linear backtracking (ReDoS,
 * CWE-1333; issue 12, "Input handling"): a regex whose matching time grows polynomially or
 * exponentially with its input lets one crafted header, cookie or parameter stall a Worker isolate.
 * Regex literals and `new RegExp("…")` / `RegExp("…")` with a static pattern are found with the
 * TypeScript scanner (a regex literal cannot be told from a division by a grep) and checked with
 * recheck (https://makenowjust-labs.github.io/recheck/) on its pure-JavaScript backend, so the test
 * runs offline and never starts the bundled native binary or a JVM.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostics } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The trees whose code runs (or builds what runs). */
const TREES = ["packages", "workers", "durable-objects", "plugins", "scripts"];
/**
 * Built output, dependencies and vendored assets (`public/`: the Swagger UI bundle) are not our code;
 * test code (`test/`, `*.test.ts`) only ever reads our own fixtures and responses.
 */
const SKIP_DIRS = new Set(["node_modules", "dist", ".wrangler", "coverage", "public", "test"]);

/**
 * Regexes recheck reports vulnerable that only ever see input of bounded length, keyed by
 * `file|source`, each with its bound (quadratic time on a bounded input is bounded time).
 */
const BOUNDED: Readonly<Record<string, string>> = {
  // Runs after `[^a-z0-9]+` → `_`, so every run of `_` is one long: each `_+` matches one character.
  "packages/mappers/src/csv/columns.ts|^_+|_+$": "runs of 1",
  // The fraction of microseconds, padded to exactly 6 digits.
  "packages/mappers/src/fhir/elements.ts|0+$": "6 characters",
  // Postgres's ISO text of a timestamptz: at most 6 fraction digits.
  "packages/core/src/fhir.ts|\\.(\\d*?)0+Z$": "the 6 fraction digits of a timestamp",
  // The length is refused first (254, RFC 5321 §4.5.3.1.3).
  "workers/api/src/oauth/routes/oauth_signup_create.ts|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$": "254 characters",
  "packages/cli/src/validate.ts|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$": "254 characters",
  // A Node file-system error message: its code, text and one path (PATH_MAX, 4,096 bytes on Linux).
  "packages/cli/src/map.ts|, \\w+(?: '.*')?$": "a file-system error message",
  // Node's parseArgs messages, which quote one argument of the user's own command line (no other party's input).
  "packages/cli/src/cli-support.ts|\\. To specify an option argument starting with a dash use --[^.]*\\.?$":
    "one command-line argument",
  "packages/cli/src/cli-support.ts|\\s*\\(?Did you forget to .*$": "one command-line argument",
  "packages/cli/src/map.ts|\\. To specify a positional argument .*$": "one command-line argument",
  // pageSummary reads at most the first 16 KiB of a page (PAGE_SUMMARY_CHARS).
  "packages/cli/src/html-forms.ts|<h1\\b[^>]*>([\\s\\S]*?)<\\/h1\\s*>": "16 KiB",
  "packages/cli/src/html-forms.ts|<title\\b[^>]*>([\\s\\S]*?)<\\/title\\s*>": "16 KiB",
  "packages/cli/src/html-forms.ts|<p\\b[^>]*>([\\s\\S]*?)<\\/p\\s*>": "16 KiB",
};

/**
 * recheck's budget per regex. A check that runs out is `unknown` (undecided), not a failure: long
 * literal-heavy patterns (error messages, XML markers) take the pure-JS checker longer than this on
 * a busy machine, and they are not what makes a regex super-linear.
 */
const CHECK_MS = 1_000;

interface FoundRegex {
  /** `path:line`, relative to the repository root. */
  where: string;
  file: string;
  source: string;
  flags: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP_DIRS.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.m?ts$/.test(name) && !/\.(d|test)\.m?ts$/.test(name) ? [path] : [];
  });
}

/** The regex literals and static `RegExp` constructions of one file. */
function regexesOf(path: string): FoundRegex[] {
  const file = relative(root, path);
  const text = readFileSync(path, "utf8");
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: FoundRegex[] = [];
  const at = (node: ts.Node): string =>
    `${file}:${sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const end = literal.lastIndexOf("/");
      found.push({ where: at(node), file, source: literal.slice(1, end), flags: literal.slice(end + 1) });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "RegExp"
    ) {
      const [pattern, flags] = node.arguments ?? [];
      if (pattern !== undefined && ts.isStringLiteralLike(pattern)) {
        const staticFlags = flags !== undefined && ts.isStringLiteralLike(flags) ? flags.text : "";
        found.push({ where: at(node), file, source: pattern.text, flags: staticFlags });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const regexes = TREES.flatMap((tree) => sourceFiles(join(root, tree))).flatMap(regexesOf);

describe("regular expressions (ReDoS)", () => {
  it("finds the regexes of the tree, literals and static RegExp constructions", () => {
    // A scanner that silently found nothing would pass everything.
    expect(regexes.length).toBeGreaterThan(100);
    expect(regexes).toContainEqual(expect.objectContaining({ file: "packages/mappers/src/csv/units.ts", flags: "" }));
    // An allowlisted regex that was rewritten or removed leaves no stale exception behind.
    const present = new Set(regexes.map((r) => `${r.file}|${r.source}`));
    expect(Object.keys(BOUNDED).filter((key) => !present.has(key))).toEqual([]);
  });

  it("has none with super-linear backtracking", async () => {
    // recheck reads it at each check: the pure backend runs in this thread; no binary or JVM starts.
    process.env.RECHECK_BACKEND = "pure";
    const { check } = await import("recheck");
    const unique = new Map<string, FoundRegex[]>();
    for (const regex of regexes) {
      const key = `${regex.flags}/${regex.source}`;
      unique.set(key, [...(unique.get(key) ?? []), regex]);
    }
    const failures: string[] = [];
    for (const sites of unique.values()) {
      const first = sites[0];
      if (first === undefined) continue;
      const result: Diagnostics = await check(first.source, first.flags, { timeout: CHECK_MS });
      for (const site of sites) {
        const key = `${site.file}|${site.source}`;
        if (BOUNDED[key] !== undefined) continue;
        if (result.status === "vulnerable") {
          failures.push(
            `${site.where} /${site.source}/${site.flags}: ${result.complexity.summary}, attack ${JSON.stringify(result.attack.string.slice(0, 80))}`,
          );
        } else if (result.status === "unknown" && result.error.kind === "invalid") {
          // `timeout` and `unsupported` (a feature recheck cannot model) are undecided, not failures.
          failures.push(`${site.where} /${site.source}/${site.flags}: ${result.error.message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
