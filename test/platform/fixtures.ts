/**
 * What tests of the `platform` project share: where the running platform is, the `dfda` command run as
 * an operator runs it (DATABASE_URL of the platform's database), and new people with tokens.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { inject } from "vitest";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const baseUrl: string = inject("platformBaseUrl");
export const databaseUrl: string = inject("platformDatabaseUrl");
/** The tenant and public first-party client `npm start` makes (scripts/start.ts). */
export const LOCAL_TENANT = "local";
export const LOCAL_CLIENT_ID = "dfda-cli";

/** Runs `dfda` with the given arguments as an operator would, against the platform's database. */
export async function dfda(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(join(ROOT, "node_modules/.bin/dfda"), [...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`dfda ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
  }
}

/** A confidential client that signs in as itself (client credentials), made as an operator would. */
export async function serviceClient(name: string): Promise<{ client_id: string; client_secret: string }> {
  const created = await dfda([
    "client",
    "create",
    "--tenant",
    LOCAL_TENANT,
    "--name",
    name,
    "--confidential",
    "--grant-type",
    "client_credentials",
  ]);
  return JSON.parse(created) as { client_id: string; client_secret: string };
}

/** A public client (PKCE) with its one redirect URI, made as the README tells a developer. */
export async function publicClient(options: {
  name: string;
  clientId: string;
  redirectUri: string;
  scope?: string;
}): Promise<void> {
  const scope = options.scope === undefined ? [] : ["--scope", options.scope];
  await dfda([
    "client",
    "create",
    "--tenant",
    LOCAL_TENANT,
    "--name",
    options.name,
    "--public",
    "--redirect-uri",
    options.redirectUri,
    "--client-id",
    options.clientId,
    ...scope,
  ]);
}

export interface Person {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string | undefined;
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** A new person in the local tenant, with a token the platform's own authorization server issued. */
export async function newPerson(options: { scope?: string; clientId?: string } = {}): Promise<Person> {
  const email = `person-${randomUUID()}@example.org`;
  const password = `correct horse ${randomUUID()}`;
  await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", email, "--password", password]);
  const tokens = await tokenFor(email, options);
  return { email, password, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

/**
 * A token for an existing person of the local tenant, from the operator command `dfda token issue`
 * (issue 16): an ordinary token of the server, audited, with no sign-in pages scraped.
 */
export async function tokenFor(
  email: string,
  options: { scope?: string; clientId?: string } = {},
): Promise<TokenResponse> {
  const args = [
    "token",
    "issue",
    "--tenant",
    LOCAL_TENANT,
    "--base-url",
    baseUrl,
    "--client-id",
    options.clientId ?? LOCAL_CLIENT_ID,
    "--email",
    email,
  ];
  if (options.scope !== undefined) args.push("--scope", options.scope);
  return JSON.parse(await dfda(args)) as TokenResponse;
}
