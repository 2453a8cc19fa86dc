/**
 * The vault in Node 20+ (the CLI and scripts use it there): the shared conformance suite.
 */
import { describe } from "vitest";
import { vaultConformance } from "./conformance";

describe("@dfda/vault in Node", () => {
  vaultConformance();
});
