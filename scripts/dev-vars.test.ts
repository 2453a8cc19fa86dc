/**
 * `ensureDevVars` (scripts/start.ts): the local secrets of `npm start`, and the demo connector's client
 * id, offered locally only (docs/connectors.md), without touching a value a developer set themselves.
 * Runs in a temporary folder: no port, no Worker.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_IDS_LINE, ensureDevVars } from "./start";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "dfda-dev-vars-"));
  dirs.push(dir);
  return dir;
}

describe("ensureDevVars", () => {
  it("creates the master key and offers the demo connector", () => {
    const root = folder();
    expect(ensureDevVars(root)).toBe(true);
    const text = readFileSync(join(root, ".dev.vars"), "utf8");
    expect(text).toMatch(/^AUTH_MASTER_KEYS='\{"k1":"[A-Za-z0-9_-]{43}"\}'$/m);
    expect(text).toContain(`${DEMO_CLIENT_IDS_LINE}\n`);
    expect(DEMO_CLIENT_IDS_LINE).toBe(`CONNECTOR_CLIENT_IDS='{"demo":"dfda-demo"}'`);
    // Again: nothing is added twice.
    expect(ensureDevVars(root)).toBe(false);
    expect(readFileSync(join(root, ".dev.vars"), "utf8")).toBe(text);
  });

  it("adds the demo to an existing file without one, and keeps a developer's own client ids", () => {
    const older = folder();
    writeFileSync(join(older, ".dev.vars"), "AUTH_MASTER_KEYS='{}'");
    ensureDevVars(older);
    expect(readFileSync(join(older, ".dev.vars"), "utf8")).toBe(`AUTH_MASTER_KEYS='{}'\n${DEMO_CLIENT_IDS_LINE}\n`);
    const own = folder();
    const mine = `AUTH_MASTER_KEYS='{}'\nCONNECTOR_CLIENT_IDS='{"oura":"mine"}'\n`;
    writeFileSync(join(own, ".dev.vars"), mine);
    ensureDevVars(own);
    expect(readFileSync(join(own, ".dev.vars"), "utf8")).toBe(mine);
  });
});
