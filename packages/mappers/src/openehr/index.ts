/**
 * openEHR compositions → observations: canonical JSON (./canonical.ts) and FLAT / simSDT JSON
 * (./flat.ts), mapping the common observation archetypes (blood pressure, pulse/heart rate, body weight,
 * height, body temperature, pulse oximetry, laboratory test result analytes) by archetype node id
 * (./archetypes.ts). A composition is one JSON document (RFC 8259 has no record boundary), read whole up
 * to MAX_DOCUMENT_CHARS (util/limits.ts); compositions are small (a few hundred KiB at most in practice).
 */
import type { Mapper } from "@dfda/core";
import { MAX_DOCUMENT_CHARS } from "../util/limits";
import { readText } from "../util/stream";
import { isArray, isObject, type Json } from "../vendors/common";
import { mapCanonical } from "./canonical";
import { OpenEhrRun } from "./common";
import { mapFlat } from "./flat";

/** Canonical JSON: the RM type of a composition or observation, or an openEHR archetype id. */
const CANONICAL = [
  /"_type"\s*:\s*"(?:COMPOSITION|OBSERVATION)"/,
  /"archetype_node_id"\s*:\s*"openEHR-EHR-(?:COMPOSITION|OBSERVATION)\./,
];
/**
 * FLAT: the first key is a path, `ctx/…` or `<template id>/<simSDT composition attribute>` (language,
 * territory, composer, category, context are mandatory attributes of every FLAT composition).
 */
const FLAT_KEY =
  /^\s*\{\s*"(?:ctx\/[a-z_]+|[A-Za-z0-9_.-]+\/(?:language|territory|composer|category|context)\b)[^"]*"\s*:/;

export const openehrMapper: Mapper = {
  id: "openehr",
  version: "1.0.0",
  description: "openEHR compositions (canonical JSON and FLAT): vital signs and laboratory analytes",

  detect(input) {
    const text = input.headText;
    if (!/^\s*[[{]/.test(text)) return 0;
    if (FLAT_KEY.test(text)) return 0.9;
    if (CANONICAL[0]?.test(text) && CANONICAL[1]?.test(text)) return 0.95;
    if (CANONICAL.some((r) => r.test(text))) return 0.8;
    return 0;
  },

  async *map(source, context) {
    const text = await readText(source, MAX_DOCUMENT_CHARS, "The openEHR composition", "send one composition per file");
    let doc: Json;
    try {
      doc = JSON.parse(text) as Json;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      yield {
        kind: "issue",
        issue: { location: null, code: "invalid_json", severity: "error", message: `the file is not JSON: ${message}` },
      };
      return;
    }
    const run = new OpenEhrRun(context);
    const flat = isObject(doc) && Object.keys(doc).some((k) => k.includes("/")) && !("_type" in doc);
    if (flat && isObject(doc)) yield* mapFlat(doc, run);
    else if (isObject(doc) || isArray(doc)) yield* mapCanonical(doc, run);
    else {
      yield {
        kind: "issue",
        issue: { location: "$", code: "unrecognized_format", severity: "error", message: "not an openEHR composition" },
      };
      return;
    }
    yield* run.finish();
  },
};
