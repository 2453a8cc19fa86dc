/**
 * Where the shared third-party corpus is (../shared/corpus next to the repository, kept byte for byte
 * and never copied in). `DFDA_CORPUS_DIR` overrides. A missing corpus fails the tests that need it:
 * a mapper test that silently skipped would assert nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

function findCorpus(): string {
  const candidates = [process.env.DFDA_CORPUS_DIR, resolve(repoRoot, "../shared/corpus"), "/work/shared/corpus"].filter(
    (c): c is string => typeof c === "string" && c !== "",
  );
  for (const candidate of candidates) if (existsSync(join(candidate, "README.md"))) return candidate;
  throw new Error(`The shared corpus was not found (looked in ${candidates.join(", ")}); set DFDA_CORPUS_DIR.`);
}

export const CORPUS_DIR = findCorpus();

/** Absolute path of a corpus file, e.g. `corpusPath("01-fhir-r4/hl7-r4-examples/Observation-f001.json")`. */
export function corpusPath(path: string): string {
  return join(CORPUS_DIR, path);
}

/** A corpus file's bytes. */
export function corpusBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(corpusPath(path)));
}

/** Every file under a corpus folder, as corpus-relative paths, sorted. */
export function corpusFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(CORPUS_DIR, full));
    }
  };
  walk(corpusPath(folder));
  return out.sort();
}
