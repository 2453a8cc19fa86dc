/**
 * The one error class of this package. Every failure to wrap, unwrap, encrypt or decrypt is a
 * `VaultError` with a stable `code`; messages are internal diagnostics (log them, do not return them
 * to clients: a caller answers any of these with a generic "file unavailable").
 */

/**
 * - Keys: `invalid_key` (not 32 bytes, bad key id, unparsable keyring), `unknown_key` (a wrapped key
 *   names a master key id the keyring does not hold), `malformed` (not a wrapped key of this format),
 *   `unwrap_failed` (AES-GCM rejected a wrapped key: wrong key, wrong tenant/user/file context, or a
 *   changed byte; GCM cannot tell these apart), `wrong_key` (a data key wrapped under another user-key
 *   version than the one given).
 * - Streams: `bad_header` (not this format, unsupported version, impossible chunk size), `wrong_key`
 *   (the header's key commitment does not match the data key), `wrong_aad` (the key is right but the
 *   header tag does not match: the associated data, e.g. the file id, differs from encryption, or a
 *   header field was changed), `tampered` (a chunk failed authentication: changed, removed, reordered or
 *   duplicated chunks), `truncated` (the object ends before its final chunk), `trailing_data` (bytes
 *   after a valid final chunk), `malformed` (an impossible length or a non-canonical chunk layout).
 * - Arguments: `invalid_argument` (bad chunk size, part size, length), `too_large` (more than 2^32
 *   chunks, or a part count R2 cannot take).
 */
export type VaultErrorCode =
  | "invalid_key"
  | "unknown_key"
  | "malformed"
  | "unwrap_failed"
  | "wrong_key"
  | "wrong_aad"
  | "bad_header"
  | "tampered"
  | "truncated"
  | "trailing_data"
  | "invalid_argument"
  | "too_large";

/**
 * A key, wrapped key or encrypted object that cannot be used, with a stable `code` and, for stream
 * errors about one chunk, its zero-based index in `chunk`.
 *
 * @example
 * try {
 *   await object.body.pipeThrough(decryptStream(dek, fileId)).pipeTo(sink);
 * } catch (error) {
 *   if (error instanceof VaultError) log.warn("vault", { code: error.code, chunk: error.chunk });
 *   throw error;
 * }
 */
export class VaultError extends Error {
  override readonly name = "VaultError";
  readonly code: VaultErrorCode;
  /** Zero-based index of the chunk at fault, when the error is about one chunk. */
  readonly chunk?: number;
  constructor(code: VaultErrorCode, message: string, options: { chunk?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.chunk !== undefined) this.chunk = options.chunk;
  }
}
