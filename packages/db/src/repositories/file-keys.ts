/**
 * The key hierarchy of raw files and exports, as the API, the mapper and the exporter Workers use it: a
 * master key (Worker secret) wraps each person's key (`user_keys`), which wraps each object's data key
 * (`files.wrapped_key`, `exports.wrapped_key`); see packages/vault. Deleting a person's `user_keys`
 * rows crypto-shreds every file and export of theirs.
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

export interface NewDataKey {
  /** The object's data key (kept in memory only while encrypting). */
  dataKey: Uint8Array;
  /** Stored beside the object (`files.wrapped_key`, `exports.wrapped_key`). */
  wrappedKey: string;
  keyVersion: number;
}

/** Whose object a data key seals, and the id its wrapping is bound to (a file id, or `exportAad(id)`). */
export interface KeyScope {
  tenantId: string;
  userId: string;
  boundTo: string;
}

/**
 * A new data key for an object (a raw file, an export), wrapped by the person's current key (created
 * on their first object). The unwrapped user key is zeroed once the data key is wrapped.
 */
export async function newDataKey(db: Executor, keyring: MasterKeyring, scope: KeyScope): Promise<NewDataKey> {
  const ids = { tenantId: scope.tenantId, userId: scope.userId };
  const record = await currentUserKey(db, scope.tenantId, scope.userId, async () => {
    const made = await wrapUserKey(keyring, generateUserKey(), ids);
    return { wrappedKey: made.wrapped, masterKeyId: made.masterKeyId };
  });
  const userKey = await unwrapUserKey(keyring, record.wrappedKey, ids);
  try {
    const dataKey = generateDataKey();
    const wrappedKey = await wrapDataKey(userKey, dataKey, {
      ...ids,
      fileId: scope.boundTo,
      userKeyVersion: record.version,
    });
    return { dataKey, wrappedKey, keyVersion: record.version };
  } finally {
    userKey.fill(0);
  }
}

/** A new data key for a raw file. */
export function newFileKey(
  db: Executor,
  keyring: MasterKeyring,
  scope: { tenantId: string; userId: string; fileId: string },
): Promise<NewDataKey> {
  return newDataKey(db, keyring, { tenantId: scope.tenantId, userId: scope.userId, boundTo: scope.fileId });
}

/** Why a stored object (a file, an export) cannot be opened. */
export class DataKeyError extends Error {
  override readonly name = "DataKeyError";
  constructor(readonly code: "shredded" | "missing_key") {
    super(code === "shredded" ? "the owner's key was deleted (crypto-shredded)" : "it has no wrapped data key");
  }
}

/** An object's sealed data key as stored beside it, with whose it is and what its wrapping is bound to. */
export interface KeyEnvelope extends KeyScope {
  wrappedKey: string | null;
  keyVersion: number | null;
}

/**
 * Opens an object's data key from its envelope (packages/vault: the master keyring opens the person's
 * key of the envelope's version, which opens the data key). DataKeyError when the envelope has no
 * key or the person's key is gone (crypto-shredded). The user key is zeroed once it has served, so
 * only the data key the caller asked for stays in memory.
 */
export async function openDataKey(db: Executor, keyring: MasterKeyring, envelope: KeyEnvelope): Promise<Uint8Array> {
  if (envelope.wrappedKey === null || envelope.keyVersion === null) throw new DataKeyError("missing_key");
  const record = await userKeyVersion(db, envelope.tenantId, envelope.userId, envelope.keyVersion);
  if (record === null) throw new DataKeyError("shredded");
  const ids = { tenantId: envelope.tenantId, userId: envelope.userId };
  const userKey = await unwrapUserKey(keyring, record.wrappedKey, ids);
  try {
    return await unwrapDataKey(userKey, envelope.wrappedKey, {
      ...ids,
      fileId: envelope.boundTo,
      userKeyVersion: envelope.keyVersion,
    });
  } finally {
    userKey.fill(0);
  }
}

/** The data key of a stored file; DataKeyError when its owner's key is gone. */
export function fileDataKey(db: Executor, keyring: MasterKeyring, file: FileRecord): Promise<Uint8Array> {
  return openDataKey(db, keyring, { ...file, boundTo: file.id });
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
