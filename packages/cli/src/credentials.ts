/**
 * Where `dfda login` keeps the signed-in person's tokens: `$XDG_CONFIG_HOME/dfda/credentials.json`
 * (default `~/.config/dfda`, XDG Base Directory Specification), the folder 0700 and the file 0600,
 * written atomically (a temporary file renamed over the old one) so a crash never leaves half a file.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CommandError, type Env } from "./cli-support";

export interface Credentials {
  base_url: string;
  client_id: string;
  access_token: string;
  token_type: string;
  /** When the access token expires, in milliseconds since the epoch (from `expires_in`). */
  expires_at: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export function credentialsPath(env: Env): string {
  const config = env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), ".config");
  return join(config, "dfda", "credentials.json");
}

export async function saveCredentials(env: Env, credentials: Credentials): Promise<string> {
  const path = credentialsPath(env);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (error) {
    throw new CommandError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return path;
}

/** The stored credentials, or null when nobody is signed in. */
export async function loadCredentials(env: Env): Promise<Credentials | null> {
  const path = credentialsPath(env);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return null;
    throw new CommandError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const value = JSON.parse(text) as Partial<Credentials>;
    if (typeof value.access_token !== "string" || typeof value.base_url !== "string") throw new Error("incomplete");
    return value as Credentials;
  } catch {
    throw new CommandError(`${path} is not a dfda credentials file; run dfda logout and dfda login again`);
  }
}

export async function deleteCredentials(env: Env): Promise<boolean> {
  const path = credentialsPath(env);
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return false;
    throw new CommandError(`cannot delete ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Credentials from a token response (RFC 6749 §5.1). */
export function credentialsFrom(baseUrl: string, clientId: string, tokens: Record<string, unknown>): Credentials {
  const expiresIn = typeof tokens.expires_in === "number" ? tokens.expires_in : 0;
  return {
    base_url: baseUrl,
    client_id: clientId,
    access_token: String(tokens.access_token),
    token_type: typeof tokens.token_type === "string" ? tokens.token_type : "Bearer",
    expires_at: Date.now() + expiresIn * 1000,
    scope: typeof tokens.scope === "string" ? tokens.scope : "",
    ...(typeof tokens.refresh_token === "string" ? { refresh_token: tokens.refresh_token } : {}),
    ...(typeof tokens.id_token === "string" ? { id_token: tokens.id_token } : {}),
  };
}
