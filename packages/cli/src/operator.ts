/**
 * Operator commands: create tenants, users (and administrators) and OAuth clients straight in the
 * database, with the same repository functions the authorization server uses. Secrets are hashed
 * here (passwords with `hashPassword`, client secrets with SHA-256) and a client secret is printed
 * once, never stored in the clear.
 */
import { hashPassword, randomToken, sha256Hex } from "@dfda/auth";
import { allScopes, type RoleName, redirectUriProblem } from "@dfda/core";
import type { Database } from "@dfda/db";
import {
  createClient,
  createTenant,
  createUser,
  findClient,
  findTenantBySlug,
  findUserByEmail,
} from "@dfda/db/repositories/identity";
import { CommandError, type Env, type Io, parseCommandArgs, printJson, required, UsageError } from "./cli-support";
import { isUniqueViolation, withDatabase } from "./database";
import {
  clientIdProblem,
  emailProblem,
  type GrantType,
  grantTypesProblem,
  parseRoles,
  parseScopeList,
  passwordProblem,
  slugProblem,
} from "./validate";

function check(command: string, problem: string | null): void {
  if (problem !== null) throw new UsageError(problem, command);
}

async function tenantBySlug(db: Database, slug: string) {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant)
    throw new CommandError(
      `no tenant with slug "${slug}" (create it with: dfda tenant create --slug ${slug} --name …)`,
    );
  return tenant;
}

// ---------------------------------------------------------------------------------------------------
// dfda tenant create

export const TENANT_CREATE_HELP = `Usage: dfda tenant create --slug SLUG --name NAME [--mfa-required]

Creates a tenant (an organisation). Prints {"id", "slug"} as JSON.

Options:
  --slug SLUG        Unique short name: lower-case letters, digits and inner hyphens (1-63).
  --name NAME        Display name, shown on the sign-in page.
  --mfa-required     Require a second factor (TOTP) of every user: settings {"mfa_required": true}.
  -h, --help         Show this help.

Needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres.
`;

export async function tenantCreate(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "tenant create";
  const values = parseCommandArgs(command, args, {
    slug: { type: "string" },
    name: { type: "string" },
    "mfa-required": { type: "boolean" },
  });
  const slug = required(command, "slug", values.slug);
  const name = required(command, "name", values.name);
  check(command, slugProblem(slug));
  check(command, name.length > 200 ? "--name must have at most 200 characters." : null);
  const settings: Record<string, unknown> = values["mfa-required"] ? { mfa_required: true } : {};

  const tenant = await withDatabase(env, command, async (db) => {
    if (await findTenantBySlug(db, slug)) throw new CommandError(`a tenant with slug "${slug}" already exists`);
    try {
      return await createTenant(db, { slug, name, settings });
    } catch (error) {
      if (isUniqueViolation(error)) throw new CommandError(`a tenant with slug "${slug}" already exists`);
      throw error;
    }
  });
  printJson(io.stdout, { id: tenant.id, slug: tenant.slug });
}

// ---------------------------------------------------------------------------------------------------
// dfda user create / dfda admin create

export const USER_CREATE_HELP = `Usage: dfda user create --tenant SLUG --email EMAIL --password PASSWORD [--name NAME] [--role ROLE]...

Creates a user with a password (hashed before it is stored) and roles. The e-mail address counts as
verified, since an operator created the account. Prints {"id", "email", "roles"} as JSON.

Options:
  --tenant SLUG        The tenant's slug.
  --email EMAIL        Sign-in e-mail address (unique within the tenant, ignoring case).
  --password PASSWORD  At least 12 characters. Note: it is visible in your shell history and to ps.
  --name NAME          Display name.
  --role ROLE          Repeatable; default data_owner. One of: data_owner, data_custodian, researcher,
                       clinician_delegate, app_developer, admin.
  -h, --help           Show this help.

Needs DATABASE_URL.
`;

export const ADMIN_CREATE_HELP = `Usage: dfda admin create --tenant SLUG --email EMAIL --password PASSWORD [--name NAME]

Creates an administrator: a user with the roles admin and data_owner (see dfda user create --help).
Prints {"id", "email", "roles"} as JSON.

Needs DATABASE_URL.
`;

async function createUserCommand(
  command: string,
  args: readonly string[],
  env: Env,
  io: Io,
  fixedRoles: readonly RoleName[] | null,
): Promise<void> {
  const values = parseCommandArgs(command, args, {
    tenant: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    role: { type: "string", multiple: true },
  });
  const slug = required(command, "tenant", values.tenant);
  const email = required(command, "email", values.email);
  // Passwords are taken as given: spaces at either end are part of them.
  const password = values.password ?? "";
  if (password === "") throw new UsageError("--password is required.", command);
  check(command, slugProblem(slug));
  check(command, emailProblem(email));
  check(command, passwordProblem(password));
  let roles: RoleName[];
  if (fixedRoles !== null) {
    if (values.role !== undefined)
      throw new UsageError(`dfda ${command} takes no --role: it grants ${fixedRoles.join(" and ")}.`, command);
    roles = [...fixedRoles];
  } else {
    const parsed = parseRoles(values.role ?? ["data_owner"]);
    if ("problem" in parsed) throw new UsageError(parsed.problem, command);
    roles = parsed.roles;
  }
  const displayName = values.name?.trim() || null;

  const user = await withDatabase(env, command, async (db) => {
    const tenant = await tenantBySlug(db, slug);
    const duplicate = () => new CommandError(`a user with e-mail ${email} already exists in tenant "${slug}"`);
    if (await findUserByEmail(db, tenant.id, email)) throw duplicate();
    const passwordHash = await hashPassword(password);
    try {
      return await createUser(db, {
        tenantId: tenant.id,
        email,
        passwordHash,
        displayName,
        roles,
        emailVerified: true,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
  });
  printJson(io.stdout, { id: user.id, email, roles });
}

export function userCreate(args: readonly string[], env: Env, io: Io): Promise<void> {
  return createUserCommand("user create", args, env, io, null);
}

export function adminCreate(args: readonly string[], env: Env, io: Io): Promise<void> {
  return createUserCommand("admin create", args, env, io, ["admin", "data_owner"]);
}

// ---------------------------------------------------------------------------------------------------
// dfda client create

export const CLIENT_CREATE_HELP = `Usage: dfda client create --tenant SLUG --name NAME (--public | --confidential)
                          [--redirect-uri URI]... [--scope SCOPE]... [--grant-type TYPE]... [--client-id ID]
                          [--first-party]

Registers an OAuth 2.0 client (RFC 6749 §2). A confidential client gets a secret, printed once: only
its SHA-256 hash is stored. Prints the client as JSON.

Options:
  --tenant SLUG         The tenant's slug.
  --name NAME           The application's name, shown on the consent page.
  --public              A client that cannot keep a secret (native, browser or CLI app; uses PKCE).
  --confidential        A client with a secret (server-side app, or a service using client_credentials).
  --redirect-uri URI    Repeatable. Exact URI the authorization server may redirect to: https, http on a
                        loopback host (127.0.0.1, [::1], localhost; RFC 8252 §7.3), or a private-use
                        scheme such as com.example.app:/callback (RFC 8252 §7.1). No fragment.
                        For dfda login, register http://127.0.0.1:8976/callback.
  --scope SCOPE         Repeatable (or space-separated). Scopes the client may ask for; default: all.
  --grant-type TYPE     Repeatable: authorization_code, refresh_token, client_credentials (confidential
                        only), urn:ietf:params:oauth:grant-type:device_code (dfda login --device). Default: authorization_code and refresh_token, plus client_credentials for
                        a confidential client.
  --client-id ID        Choose the client_id (3-128 of A-Z a-z 0-9 . _ ~ -); default dfda_<random>.
  --first-party         One of the platform's own apps (this CLI's client, your own web app): only such
                        clients may erase an account, change the second factor or bulk-delete, and only
                        for a recent sign-in (docs/identity.md). Never give it to a third party's app.
  -h, --help            Show this help.

Needs DATABASE_URL.
`;

export async function clientCreate(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "client create";
  const values = parseCommandArgs(command, args, {
    tenant: { type: "string" },
    name: { type: "string" },
    public: { type: "boolean" },
    confidential: { type: "boolean" },
    "redirect-uri": { type: "string", multiple: true },
    scope: { type: "string", multiple: true },
    "grant-type": { type: "string", multiple: true },
    "client-id": { type: "string" },
    "first-party": { type: "boolean" },
  });
  const slug = required(command, "tenant", values.tenant);
  const name = required(command, "name", values.name);
  check(command, slugProblem(slug));
  check(command, name.length > 100 ? "--name must have at most 100 characters." : null);
  if (values.public && values.confidential)
    throw new UsageError("Give either --public or --confidential, not both.", command);
  if (!values.public && !values.confidential) throw new UsageError("Give --public or --confidential.", command);
  const clientType = values.public ? "public" : "confidential";

  const redirectUris = [...new Set((values["redirect-uri"] ?? []).map((u) => u.trim()))];
  for (const uri of redirectUris) check(command, redirectUriProblem(uri));

  const grantTypes: string[] = values["grant-type"]
    ? [...new Set(values["grant-type"].map((g) => g.trim()))]
    : ([
        "authorization_code",
        "refresh_token",
        ...(clientType === "confidential" ? (["client_credentials"] as const) : []),
      ] satisfies GrantType[]);
  check(command, grantTypesProblem(grantTypes, clientType));
  if (grantTypes.includes("authorization_code") && redirectUris.length === 0) {
    // RFC 6749 §3.1.2.2 and the server's exact-match rule: without one, the code flow cannot work.
    throw new UsageError(
      "A client using authorization_code needs at least one --redirect-uri (for dfda login: http://127.0.0.1:8976/callback). A service that only uses client_credentials: --confidential --grant-type client_credentials.",
      command,
    );
  }

  let scopes: string[];
  if (values.scope) {
    const parsed = parseScopeList(values.scope);
    if ("problem" in parsed) throw new UsageError(parsed.problem, command);
    scopes = parsed.scopes;
  } else {
    scopes = allScopes();
  }
  if (scopes.length === 0) throw new UsageError("--scope must name at least one scope.", command);

  const chosenId = values["client-id"]?.trim();
  if (chosenId !== undefined) check(command, clientIdProblem(chosenId));
  const clientId = chosenId ?? `dfda_${randomToken(12)}`;
  const secret = clientType === "confidential" ? randomToken(32) : null;
  const secretHash = secret === null ? null : await sha256Hex(secret);

  const created = await withDatabase(env, command, async (db) => {
    const tenant = await tenantBySlug(db, slug);
    const taken = () => new CommandError(`client id "${clientId}" is already taken`);
    if (await findClient(db, clientId)) throw taken();
    try {
      return await createClient(db, {
        tenantId: tenant.id,
        clientId,
        name,
        clientType,
        secretHash,
        redirectUris,
        allowedScopes: scopes,
        grantTypes,
        firstParty: values["first-party"] === true,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
  });
  printJson(io.stdout, {
    id: created.id,
    tenant: slug,
    client_id: clientId,
    ...(secret === null ? {} : { client_secret: secret }),
    client_name: name,
    client_type: clientType,
    token_endpoint_auth_method: clientType === "public" ? "none" : "client_secret_basic",
    redirect_uris: redirectUris,
    grant_types: grantTypes,
    scope: scopes.join(" "),
    first_party: values["first-party"] === true,
  });
  if (secret !== null) io.stderr.write("Store the client_secret now: it is shown only this once.\n");
}
