/**
 * The SDK's types, generated from the committed OpenAPI document (openapi/openapi.json) by
 * openapi-typescript, so a route added to the API reaches the SDK by regeneration, not by hand.
 * `npm run openapi` calls {@link writeSdkTypes} after writing the document; test/types.test.ts fails
 * when the committed types differ from what the document generates.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
export const SDK_TYPES_PATH = join(here, "../src/openapi.generated.ts");
const DOCUMENT_PATH = join(here, "../../../openapi/openapi.json");

const HEADER = `/**
 * Generated from openapi/openapi.json by openapi-typescript (packages/sdk/scripts/generate-types.ts).
 * Do not edit: run \`npm run openapi\`.
 */

`;

/** The TypeScript source the document generates. */
export async function sdkTypes(documentText: string = readFileSync(DOCUMENT_PATH, "utf8")): Promise<string> {
  const ast = await openapiTS(JSON.parse(documentText) as OpenAPI3, { alphabetize: false });
  return HEADER + astToString(ast);
}

export async function writeSdkTypes(documentText?: string): Promise<void> {
  writeFileSync(SDK_TYPES_PATH, await sdkTypes(documentText));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeSdkTypes();
  console.log(`wrote ${SDK_TYPES_PATH}`);
}
