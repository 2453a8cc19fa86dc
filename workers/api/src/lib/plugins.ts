/**
 * The API Worker's side of calling plugins (docs/plugins.md, "Calling a plugin"): the endpoint of a
 * registered plugin (its service binding in this Worker's env, or its URL with requests signed by the
 * platform's token-signing key, published in /.well-known/jwks.json), and the problem a failed call
 * answers.
 */
import { ApiError, type FieldError } from "@dfda/core";
import type { Database } from "@dfda/db";
import type { PluginRow } from "@dfda/db/repositories/plugins";
import {
  connectPlugin,
  endpointOf,
  PluginCallError,
  type PluginClient,
  type PluginEndpoint,
  PluginManifest,
  type PluginMethod,
  signPlatformRequest,
} from "@dfda/plugins";
import { z } from "@hono/zod-openapi";
import type { AuthConfig } from "../oauth/config";
import { currentSigningKey } from "../oauth/keys";

/**
 * Service bindings an administrator may register as plugins: only names starting with `PLUGIN_`, so a
 * registration can never call the Worker's other bindings (its Durable Objects, the ingest Worker).
 */
export const PLUGIN_BINDING_PATTERN = /^PLUGIN_[A-Z0-9_]{1,60}$/;

/** Signs each request to an HTTPS plugin with the platform's current signing key (@dfda/plugins signing.ts). */
export function platformSigner(
  db: Database,
  config: AuthConfig,
): (url: string, method: PluginMethod, body: string) => Promise<Record<string, string>> {
  return async (url, method, body) => {
    const key = await currentSigningKey(db, config.master);
    return signPlatformRequest({
      key: key.privateKey,
      kid: key.kid,
      issuer: config.issuer,
      audience: url,
      method,
      body,
    });
  };
}

/** The endpoint of a registered plugin (or of one being registered). */
export function pluginEndpoint(
  row: { serviceBinding: string | null; url: string | null },
  env: object,
  db: Database,
  config: AuthConfig,
): PluginEndpoint {
  if (row.serviceBinding !== null && !PLUGIN_BINDING_PATTERN.test(row.serviceBinding)) {
    // Refused before env is read, whatever the row says: only PLUGIN_* bindings are plugins.
    return { kind: "binding", stub: undefined };
  }
  return endpointOf(row, env, platformSigner(db, config));
}

/**
 * A client for a registered plugin, checking calls against the manifest stored at registration.
 *
 * @example
 * const plugin = await findPlugin(db, tenantId, "n-of-1");
 * const client = registeredPluginClient(plugin, c.env, db, configOf(c));
 */
export function registeredPluginClient(row: PluginRow, env: object, db: Database, config: AuthConfig): PluginClient {
  return connectPlugin(pluginEndpoint(row, env, db, config), PluginManifest.parse(row.manifest));
}

/** The problem a failed plugin call answers, its schema errors as field errors (location `plugin`). */
export function pluginProblem(error: PluginCallError, location = "plugin"): ApiError {
  const errors: FieldError[] | undefined = error.errors?.map((e) => ({
    location,
    path: e.path.replace(/^\//, "").split("/").join("."),
    pointer: e.path,
    message: e.message,
  }));
  return new ApiError(error.code, {
    detail: error.message,
    ...(errors === undefined ? {} : { errors }),
    cause: error,
  });
}

/** Runs a plugin call, answering its failure as a problem. */
export async function callPlugin<T>(call: () => Promise<T>, location?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PluginCallError) throw pluginProblem(error, location);
    throw error;
  }
}

/** What a plugin may read (its manifest's `data`), as the registry's and the people's lists show it. */
export const PluginDataSchema = z
  .object({
    categories: z.array(z.string()).openapi({ example: ["vital_signs", "sleep"] }),
    resolutions: z.array(z.enum(["hour", "day"])).openapi({ example: ["day"] }),
  })
  .openapi("PluginData", { description: "What the plugin may read: the categories a person is asked to grant." });
