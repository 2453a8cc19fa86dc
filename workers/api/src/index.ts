/**
 * The API Worker: the platform's public HTTP edge and its OAuth 2.0 / OpenID Connect authorization
 * server. A weekly Cron Trigger signs an audit checkpoint for every tenant whose audit log grew,
 * deletes stale sign-in failure counters, rotates the token-signing keys and re-wraps people's file keys
 * still wrapped by an older master key.
 */
import { connect } from "@dfda/db";
import { rewrapUserKeys } from "@dfda/db/repositories/file-keys";
import { newApp } from "./app";
import { createAuditCheckpoints } from "./lib/audit";
import { apiConfig } from "./lib/config";
import { authConfig } from "./oauth/config";
import { rotateSigningKeys } from "./oauth/keys";
import { forgetStaleAttempts } from "./oauth/throttle";

const app = newApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    // Parsed first: a bad setting is logged by lib/config (by name) and the run ends before any work.
    const config = apiConfig(env);
    if (controller.cron !== config.keyRotationCron) return;
    const handle = await connect(env.HYPERDRIVE.connectionString, { applicationName: "dfda-key-rotation" });
    try {
      const master = authConfig(env, config.issuer ?? "http://localhost").master;
      // Audit: sign each advanced chain head (weekly checkpoints). Its own failure is logged and does
      // not hold back key rotation; the next run signs whatever is still unsigned.
      try {
        const checkpoints = await createAuditCheckpoints(handle.db, master);
        console.log(JSON.stringify({ level: "info", event: "audit_checkpoints_signed", checkpoints }));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.log(JSON.stringify({ level: "error", event: "audit_checkpoints_failed", message }));
      }
      // Sign-in: failure counters nobody has touched for a day (docs/identity.md, "Lockout").
      const forgotten = await forgetStaleAttempts(handle.db);
      console.log(JSON.stringify({ level: "info", event: "auth_throttles_forgotten", forgotten }));
      const kid = await rotateSigningKeys(handle.db, master);
      console.log(JSON.stringify({ level: "info", event: "signing_key_rotated", kid }));
      // Files: people's keys still wrapped by an older master key move to the current one.
      const { rewrapped, failed } = await rewrapUserKeys(handle.db, config.masterKeys);
      console.log(
        JSON.stringify({ level: failed > 0 ? "error" : "info", event: "user_keys_rewrapped", rewrapped, failed }),
      );
    } finally {
      await handle.close();
    }
  },
} satisfies ExportedHandler<Env>;
