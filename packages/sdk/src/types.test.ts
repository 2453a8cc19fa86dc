/**
 * The SDK's types are what openapi/openapi.json generates (scripts/generate-types.ts): a route added to
 * the API and its document without regenerating fails here, naming the command.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SDK_TYPES_PATH, sdkTypes } from "../scripts/generate-types";

describe("generated types", () => {
  it("match the committed OpenAPI document (else: npm run openapi)", async () => {
    const committed = readFileSync(SDK_TYPES_PATH, "utf8");
    // Compared as a boolean: a failure must not print ten thousand lines.
    expect(
      committed === (await sdkTypes()),
      "packages/sdk/src/openapi.generated.ts is stale: run `npm run openapi`",
    ).toBe(true);
  }, 120_000);
});
