/**
 * The file key hierarchy against the real database and R2: a file encrypted under a person's key
 * stays readable across a master key rotation (re-wrap, then the old master key removed), and no key
 * opens it once the person's keys are shredded.
 */
import { env } from "cloudflare:workers";
import { base64UrlEncode, uuidv7 } from "@dfda/core";
import { generateUserKey, getDecrypted, type MasterKeyring, putEncrypted, VaultError } from "@dfda/vault";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type DbHandle } from "../client";
import { DataKeyError, fileDataKey, newFileKey, rewrapUserKeys } from "./file-keys";
import { getFile, insertFile, shredUserKeys, userKeyVersion } from "./files";
import { createTenant, createUser } from "./identity";

let handle: DbHandle;
let tenantId: string;
let userId: string;
const k1 = base64UrlEncode(generateUserKey());
const k2 = base64UrlEncode(generateUserKey());
const before: MasterKeyring = { keys: { k1 }, currentKeyId: "k1" };
const during: MasterKeyring = { keys: { k1, k2 }, currentKeyId: "k2" };
const after: MasterKeyring = { keys: { k2 }, currentKeyId: "k2" };

beforeAll(async () => {
  handle = await connect(env.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `fk-${uuidv7().slice(-8)}`, name: "Keys" })).id;
  userId = (
    await createUser(handle.db, {
      tenantId,
      email: `k-${uuidv7()}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
    })
  ).id;
});
afterAll(async () => handle.close());

async function storeFile(keyring: MasterKeyring, text: string) {
  const fileId = uuidv7();
  const key = await newFileKey(handle.db, keyring, { tenantId, userId, fileId });
  const bytes = new TextEncoder().encode(text);
  const r2Key = `test-keys/${fileId}`;
  await putEncrypted(env.FILES, r2Key, new Blob([bytes]).stream(), key.dataKey, fileId);
  await insertFile(handle.db, {
    id: fileId,
    tenantId,
    userId,
    sourceId: null,
    originalName: "t.txt",
    contentType: "text/plain",
    format: "unknown",
    sizeBytes: bytes.byteLength,
    sha256: fileId,
    r2Key,
    keyVersion: key.keyVersion,
    wrappedKey: key.wrappedKey,
    status: "stored",
    mapping: null,
  });
  const file = await getFile(handle.db, tenantId, userId, fileId);
  if (!file) throw new Error("file not stored");
  return file;
}

async function read(keyring: MasterKeyring, fileId: string): Promise<string> {
  const file = await getFile(handle.db, tenantId, userId, fileId);
  if (!file) throw new Error("no file");
  const dataKey = await fileDataKey(handle.db, keyring, file);
  return new Response(await getDecrypted(env.FILES, file.r2Key, dataKey, file.id, file.sizeBytes ?? undefined)).text();
}

describe("file keys", () => {
  it("survive a master key rotation: re-wrapped under the new key, readable once the old key is gone", async () => {
    const file = await storeFile(before, "glucose 5.4 mmol/L");
    expect((await userKeyVersion(handle.db, tenantId, userId, 1))?.masterKeyId).toBe("k1");
    // Scoped to this test's tenant: other test files' people keep their keys under the suite's master key.
    expect(await rewrapUserKeys(handle.db, during, { tenantId })).toEqual({ rewrapped: 1, failed: 0 });
    expect((await userKeyVersion(handle.db, tenantId, userId, 1))?.masterKeyId).toBe("k2");
    expect(await rewrapUserKeys(handle.db, during, { tenantId })).toEqual({ rewrapped: 0, failed: 0 });
    expect(await read(after, file.id)).toBe("glucose 5.4 mmol/L");
    await expect(read(before, file.id)).rejects.toBeInstanceOf(VaultError);
  });

  it("are shredded with the person's keys: nothing opens the file afterwards", async () => {
    const file = await storeFile(after, "weight 80 kg");
    expect(await read(after, file.id)).toBe("weight 80 kg");
    expect(await shredUserKeys(handle.db, tenantId, userId)).toBe(1);
    await expect(read(after, file.id)).rejects.toBeInstanceOf(DataKeyError);
    // A new key for the same person (a later upload) does not open the old file either.
    await storeFile(after, "new file");
    await expect(read(after, file.id)).rejects.toBeInstanceOf(VaultError);
  });
});
