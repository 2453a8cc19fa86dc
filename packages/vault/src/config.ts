/**
 * The master keys as every Worker's config reads them: the `AUTH_MASTER_KEYS` secret (a JSON object
 * of key id → base64url of 32 bytes) and the `AUTH_MASTER_KEY_ID` var (the key that seals new data),
 * parsed by the one parser, `parseMasterKeyring`, so the authorization server, the vault and the ingest
 * staging all accept and refuse the same secrets.
 */
import { z } from "zod";
import { type MasterKeyring, parseMasterKeyring } from "./keys";

/** The master-key settings of a Worker's environment; extend it with the Worker's own. */
export const MasterKeysEnv = z.object({
  AUTH_MASTER_KEYS: z.string({ error: "Required: the master keys secret (wrangler secret put; locally .dev.vars)" }),
  AUTH_MASTER_KEY_ID: z.string({ error: "Required: the id of the current master key" }),
});

/**
 * The keyring of parsed master-key settings, for a config schema's `transform`: an unusable secret is
 * reported as an issue of `AUTH_MASTER_KEYS` (with the parser's reason, never the value).
 *
 * @example
 * MasterKeysEnv.extend({ … }).transform((env, ctx) => ({ masterKeys: masterKeysOf(env, ctx), … }))
 */
export function masterKeysOf(env: z.infer<typeof MasterKeysEnv>, ctx: z.RefinementCtx): MasterKeyring {
  try {
    return parseMasterKeyring(env.AUTH_MASTER_KEYS, env.AUTH_MASTER_KEY_ID);
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      path: ["AUTH_MASTER_KEYS"],
      message: error instanceof Error ? error.message : "Not a master keyring",
    });
    return z.NEVER;
  }
}
