/**
 * @dfda/ingest: the pure validation and normalization core of the ingestion pipeline. Given items that
 * passed the shape check and were resolved to a variable version, it decides what is stored and how
 * (UCUM unit conversion to the canonical unit, value types, valid ranges, timestamps, in-batch
 * duplicates, outliers against the user's history) and reports issues. No I/O: it runs unchanged in
 * Workers and in Node.
 */
export * from "./normalize";
export * from "./outliers";
export * from "./types";
export {
  type ConversionResult,
  conversionCacheStats,
  convertToCanonical,
  isDimensionlessDefault,
  resetConversionCache,
} from "./units";
