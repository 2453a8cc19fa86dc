/**
 * The key hierarchy of raw files, as the API and the mapper Worker use it: a master key (Worker secret)
 * wraps each person's key (`user_keys`), which wraps each file's data key (`files.wrapped_key`); see
 * packages/vault. Deleting a person's `user_keys` rows crypto-shreds every file of theirs.
 */
import {
  generateDataKey,
  generateUserKey,
  type MasterKeyring,
  rewrapUserKey,
  unwrapDataKey,
  unwrapUserKey,
  wrapDataKey,
  wrapUserKey,
} from "@dfda/vault";
import type { Executor } from "../client";
import { currentUserKey, type FileRecord, replaceWrappedUserKey, userKeysToRewrap, userKeyVersion } from "./files";

export interface NewFileKey {
  /** The file's data key (kept in memory only while encrypting). */
  dataKey: Uint8Array;
  /** Stored in `files.wrapped_key`. */
  wrappedKey: string;
  keyVersion: number;
}

/** A new data key for a file, wrapped by the person's current key (created on their first file). */
export async function newFileKey(
  db: Executor,
  keyring: MasterKeyring,
  scope: { tenantId: string; userId: string; fileId: string },
): Promise<NewFileKey> {
  const ids = { tenantId: scope.tenantId, userId: scope.userId };
  const record = await currentUserKey(db, scope.tenantId, scope.userId, async () => {
    const made = await wrapUserKey(keyring, generateUserKey(), ids);
    return { wrappedKey: made.wrapped, masterKeyId: made.masterKeyId };
  });
  const userKey = await unwrapUserKey(keyring, record.wrappedKey, ids);
  const dataKey = generateDataKey();
  const wrappedKey = await wrapDataKey(userKey, dataKey, { ...scope, userKeyVersion: record.version });
  return { dataKey, wrappedKey, keyVersion: record.version };
}

/** Why a file cannot be opened. */
export class FileKeyError extends Error {
  override readonly name = "FileKeyError";
  constructor(readonly code: "shredded" | "missing_key") {
    super(code === "shredded" ? "the owner's key was deleted (crypto-shredded)" : "the file has no wrapped data key");
  }
}

/** The data key of a stored file; FileKeyError when its owner's key is gone. */
export async function fileDataKey(db: Executor, keyring: MasterKeyring, file: FileRecord): Promise<Uint8Array> {
  if (file.wrappedKey === null) throw new FileKeyError("missing_key");
  const record = await userKeyVersion(db, file.tenantId, file.userId, file.keyVersion);
  if (record === null) throw new FileKeyError("shredded");
  const ids = { tenantId: file.tenantId, userId: file.userId };
  const userKey = await unwrapUserKey(keyring, record.wrappedKey, ids);
  return unwrapDataKey(userKey, file.wrappedKey, { ...ids, fileId: file.id, userKeyVersion: file.keyVersion });
}

/**
 * Master key rotation for files: re-wraps every person's key that is still wrapped by an older master
 * key under the current one (the files themselves, and their data keys, are untouched). Run it after
 * adding a new key to the master keys and making it current; once it reports nothing left, the old
 * master key can be removed. A key that cannot be opened (its master key is no longer configured) is
 * counted in `failed` and left as it is; the others still move.
 */
export async function rewrapUserKeys(
  db: Executor,
  keyring: MasterKeyring,
  options: { tenantId?: string; batch?: number } = {},
): Promise<{ rewrapped: number; failed: number }> {
  let rewrapped = 0;
  let failed = 0;
  let after: { tenantId: string; userId: string; version: number } | undefined;
  for (;;) {
    const stale = await userKeysToRewrap(db, keyring.currentKeyId, {
      limit: options.batch ?? 500,
      ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
      ...(after === undefined ? {} : { after }),
    });
    if (stale.length === 0) return { rewrapped, failed };
    for (const key of stale) {
      const ids = { tenantId: key.tenantId, userId: key.userId };
      after = { ...ids, version: key.version };
      try {
        const next = await rewrapUserKey(keyring, key.wrappedKey, ids);
        await replaceWrappedUserKey(db, { ...ids, version: key.version }, next.wrapped, next.masterKeyId);
        rewrapped += 1;
      } catch {
        failed += 1;
      }
    }
  }
}
