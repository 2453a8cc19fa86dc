/**
 * The API Worker: the platform's public HTTP edge and its OAuth 2.0 / OpenID Connect authorization
 * server. A weekly Cron Trigger rotates the token-signing keys.
 */
import { connect } from "@dfda/db";
import { newApp } from "./app";
import { authConfig } from "./oauth/config";
import { rotateSigningKeys } from "./oauth/keys";

const app = newApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    if (controller.cron !== env.KEY_ROTATION_CRON) return;
    const handle = await connect(env.HYPERDRIVE.connectionString, { applicationName: "dfda-key-rotation" });
    try {
      const kid = await rotateSigningKeys(handle.db, authConfig(env, env.ISSUER || "http://localhost").master);
      console.log(JSON.stringify({ level: "info", event: "signing_key_rotated", kid }));
    } finally {
      await handle.close();
    }
  },
} satisfies ExportedHandler<Env>;
