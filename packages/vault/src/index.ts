/**
 * @dfda/vault: envelope encryption of raw health files kept in R2. Master keys (a Worker secret) wrap
 * per-user keys, user keys wrap per-file data keys, and files are encrypted and decrypted as streams
 * (STREAM over AES-256-GCM) before anything reaches R2. Deleting a user's wrapped key crypto-shreds
 * every file of that user. WebCrypto only, so it runs unchanged in Workers and Node. See README.md.
 */
export * from "./config";
export * from "./errors";
export * from "./keys";
export * from "./multipart";
export * from "./r2";
export * from "./sha256";
export * from "./stream";
