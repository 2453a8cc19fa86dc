/**
 * The key hierarchy of raw files, as the API and the mapper Worker use it: a master key (Worker secret)
 * wraps each person's key (`user_keys`), which wraps each file's data key (`files.wrapped_key`); see
 * packages/vault. Deleting a person's `user_keys` rows crypto-shreds every file of theirs.
 */
import {
  generateDataKey,
  generateUserKey,
  type MasterKeyring,
  unwrapDataKey,
  unwrapUserKey,
  wrapDataKey,
  wrapUserKey,
} from "@dfda/vault";
import type { Executor } from "../client";
import { currentUserKey, type FileRecord, userKeyVersion } from "./files";

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
