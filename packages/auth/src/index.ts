/**
 * @dfda/auth: the cryptographic primitives of the OAuth 2.0 / OpenID Connect authorization server,
 * on WebCrypto (and `node:crypto` scrypt), so they run unchanged in Workers and in the Node CLI.
 */
// The byte encodings live in @dfda/core (list cursors use them too); they stay part of this API.
export * from "@dfda/core/encoding";
export * from "./password";
export * from "./pkce";
export * from "./recovery-codes";
export * from "./secretbox";
export * from "./tokens";
export * from "./totp";
