/**
 * The API's OpenAPI document, committed as `openapi/openapi.json`: the contract the SDKs are generated
 * from. `npm run openapi` writes it from the app's route schemas (the same document `GET /openapi.json`
 * serves, with the local server as its `servers` entry); `npm run openapi -- --check` fails when the
 * committed document differs from the app's, naming the command that brings it up to date, and when the
 * app's document breaks a client of the latest release (scripts/openapi-diff.ts) without a major version.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateMasterKey } from "@dfda/auth";
import { SDK_TYPES_PATH, sdkTypes, writeSdkTypes } from "../packages/sdk/scripts/generate-types";
import { newApp } from "../workers/api/src/app";
import { checkAgainstRelease, formatChanges, type OpenApiDocument } from "./openapi-diff";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const OPENAPI_PATH = join(root, "openapi/openapi.json");
/** The documents of released API versions (`<version>.json`), the baseline for breaking changes. */
export const RELEASES_DIR = join(root, "openapi/releases");

/** The document exactly as the API serves it at the local origin `npm start` uses. */
export async function openApiDocument(): Promise<string> {
  // The settings the API Worker's config requires (lib/config.ts); the document needs no bindings.
  const env = {
    ENVIRONMENT: "development",
    CORS_ORIGINS: "*",
    AUTH_MASTER_KEYS: JSON.stringify({ k1: generateMasterKey() }),
    AUTH_MASTER_KEY_ID: "k1",
  };
  const res = await newApp().request("http://127.0.0.1:8787/openapi.json", {}, env);
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  return `${JSON.stringify(await res.json(), null, 2)}\n`;
}

async function main(): Promise<void> {
  const doc = await openApiDocument();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(OPENAPI_PATH, "utf8");
    } catch {
      // Missing counts as different.
    }
    let failed = false;
    if (committed !== doc) {
      console.error("openapi/openapi.json differs from the app's document: run `npm run openapi` and commit it.");
      failed = true;
    } else {
      console.log("openapi/openapi.json is current");
    }
    if (readFileSync(SDK_TYPES_PATH, "utf8") !== (await sdkTypes(doc))) {
      console.error("packages/sdk/src/openapi.generated.ts is stale: run `npm run openapi` and commit it.");
      failed = true;
    }
    const release = checkAgainstRelease(JSON.parse(doc) as OpenApiDocument, RELEASES_DIR);
    if (release.changes.length === 0) {
      console.log(`no breaking changes since release ${release.released}`);
    } else if (release.ok) {
      console.log(`breaking changes since release ${release.released}, announced by version ${release.current}:`);
      console.log(formatChanges(release.changes));
    } else {
      console.error(
        `breaking changes since release ${release.released} need a new major API version (API_VERSION is ${release.current}):`,
      );
      console.error(formatChanges(release.changes));
      failed = true;
    }
    if (failed) process.exit(1);
    return;
  }
  writeFileSync(OPENAPI_PATH, doc);
  console.log(`wrote ${OPENAPI_PATH}`);
  // The TypeScript SDK's types follow the document (packages/sdk/scripts/generate-types.ts).
  await writeSdkTypes(doc);
  console.log(`wrote ${SDK_TYPES_PATH}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
