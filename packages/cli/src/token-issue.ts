/**
 * `dfda token issue`: an operator gives a script, test or benchmark a person's token without the
 * person's password (issue 16). The operator's approval stands in for the person's on the device
 * grant (RFC 8628): the command writes an already-approved device code for the person and the client
 * straight into the database (DATABASE_URL, like every operator command), audited as
 * `oauth.token_issued_by_operator`, and redeems it at the server's token endpoint once (a minute's
 * life). So the token is an ordinary one, signed and audited by the server like any other, and nothing
 * here needs the server's keys.
 */
import { randomToken, sha256Hex } from "@dfda/auth";
import { splitScopes, unknownScopes } from "@dfda/core";
import { oauthDeviceCodes } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findClient, findTenantBySlug, findUserByEmail } from "@dfda/db/repositories/identity";
import {
  CommandError,
  type Env,
  type Fetch,
  type Io,
  parseCommandArgs,
  printJson,
  required,
  UsageError,
} from "./cli-support";
import { withDatabase } from "./database";
import { basicAuthorization, DEFAULT_CLIENT_ID, DEFAULT_SCOPE, discover } from "./login";
import { parseBaseUrl } from "./validate";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export const TOKEN_ISSUE_HELP = `Usage: dfda token issue --tenant SLUG --email EMAIL [--scope SCOPE] [--client-id ID] [--base-url URL]

Operator command: issues a token for an existing, active person, as if they had signed in with the
client and approved the scopes, and prints the token response (access_token, refresh_token with
offline_access, id_token with openid) as JSON. For scripts, tests and benchmarks; a person signs in
with dfda login. The issuance is audited (oauth.token_issued_by_operator) and the token is an ordinary
access token of the server.

Options:
  --tenant SLUG     The person's tenant.
  --email EMAIL     The person's e-mail address.
  --scope SCOPE     Space-separated scopes, each allowed for the client. Default: the dfda login default
                    scopes the client may have.
  --client-id ID    The client the token is for; it must have the device grant
                    (urn:ietf:params:oauth:grant-type:device_code). Default: DFDA_CLIENT_ID, else ${DEFAULT_CLIENT_ID}.
                    A confidential client's secret comes from DFDA_CLIENT_SECRET.
  --base-url URL    The server that signs the token; default: DFDA_BASE_URL.
  -h, --help        Show this help.

Needs DATABASE_URL.
`;

export async function tokenIssue(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "token issue";
  const values = parseCommandArgs(command, args, {
    tenant: { type: "string" },
    email: { type: "string" },
    scope: { type: "string" },
    "client-id": { type: "string" },
    "base-url": { type: "string" },
  });
  const slug = required(command, "tenant", values.tenant);
  const email = required(command, "email", values.email).trim();
  const parsedBase = parseBaseUrl(required(command, "base-url", values["base-url"] ?? env.DFDA_BASE_URL));
  if ("problem" in parsedBase) throw new UsageError(parsedBase.problem, command);
  const clientId = values["client-id"]?.trim() || env.DFDA_CLIENT_ID?.trim() || DEFAULT_CLIENT_ID;
  const asked = values.scope === undefined ? null : splitScopes(values.scope);
  if (asked !== null && asked.length === 0) throw new UsageError("--scope must not be empty.", command);
  if (asked !== null && unknownScopes(asked).length > 0) {
    throw new UsageError(`Unknown scope: ${unknownScopes(asked).join(", ")}.`, command);
  }

  const deviceCode = randomToken();
  const scopes = await withDatabase(env, command, async (db) => {
    const tenant = await findTenantBySlug(db, slug);
    if (!tenant) throw new CommandError(`no tenant with slug "${slug}"`);
    const user = await findUserByEmail(db, tenant.id, email);
    if (user?.status !== "active") throw new CommandError(`no active user with e-mail ${email} in tenant "${slug}"`);
    const client = await findClient(db, clientId);
    if (!client || client.tenantId !== tenant.id || client.disabledAt !== null) {
      throw new CommandError(`no enabled client ${clientId} in tenant "${slug}"`);
    }
    if (!client.grantTypes.includes(DEVICE_GRANT)) {
      throw new CommandError(`client ${clientId} does not have the grant type ${DEVICE_GRANT}`);
    }
    const granted = asked ?? splitScopes(DEFAULT_SCOPE).filter((s) => client.allowedScopes.includes(s));
    const notAllowed = granted.filter((s) => !client.allowedScopes.includes(s));
    if (notAllowed.length > 0) throw new CommandError(`client ${clientId} may not ask for ${notAllowed.join(", ")}`);
    const now = new Date();
    await db.transaction(async (tx) => {
      await tx.insert(oauthDeviceCodes).values({
        deviceCodeHash: await sha256Hex(deviceCode),
        // Never a user code anyone can type (those are 8 letters): this code is approved already.
        userCode: `operator-${randomToken(12)}`,
        tenantId: tenant.id,
        clientId,
        scopes: granted,
        status: "approved",
        userId: user.id,
        authTime: now,
        // No authentication method of the person's (RFC 8176): an operator issued it.
        amr: [],
        expiresAt: new Date(now.getTime() + 60_000),
      });
      await recordAudit(tx, {
        tenantId: tenant.id,
        action: "oauth.token_issued_by_operator",
        outcome: "success",
        actorClientId: clientId,
        subjectUserId: user.id,
        details: { scope: granted.join(" "), via: "dfda token issue" },
      });
    });
    return granted;
  });

  const fetchImpl: Fetch = io.fetch ?? ((input, init) => fetch(input, init));
  const metadata = await discover(fetchImpl, parsedBase.url);
  const body = new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode });
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  const secret = env.DFDA_CLIENT_SECRET;
  if (secret) headers.Authorization = basicAuthorization(clientId, secret);
  else body.set("client_id", clientId);
  let response: Response;
  try {
    response = await fetchImpl(metadata.tokenEndpoint, { method: "POST", headers, body: body.toString() });
  } catch (error) {
    throw new CommandError(`cannot reach the token endpoint at ${metadata.tokenEndpoint}: ${String(error)}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new CommandError(
      `the token endpoint refused the operator's code (${response.status}): ${text.slice(0, 300)}`,
    );
  }
  const tokens = JSON.parse(text) as Record<string, unknown>;
  if (typeof tokens.access_token !== "string") throw new CommandError("the token endpoint answered without a token");
  if (tokens.scope !== scopes.join(" ")) io.stderr.write(`note: the server granted ${String(tokens.scope)}\n`);
  printJson(io.stdout, tokens);
}
