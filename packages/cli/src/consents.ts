/**
 * `dfda consents` (GET /v1/consents, every page), `dfda consents grant` (POST /v1/consents) and
 * `dfda consents revoke ID` (DELETE /v1/consents/{id}): who may read or write which of the person's
 * data (docs/consent.md). The server checks every field of a grant and names a bad one in its problem.
 */
import type { components } from "@dfda/sdk";
import { type Env, type Io, parseCommandArgsWithPositionals, printJson, UsageError } from "./cli-support";
import { requireUuid } from "./jobs";
import { openSession } from "./session";

type Consent = components["schemas"]["Consent"];
type GrantRequest = components["schemas"]["ConsentGrantRequest"];

const GRANTEE_TYPES = ["user", "client", "group", "study", "plugin"] as const;
const ACTIONS = ["read", "write"] as const;

export const CONSENTS_HELP = `Usage: dfda consents [list] [--active] [--as-grantee] [--json] [--base-url URL]
       dfda consents grant --grantee TYPE:ID --action read|write [--action ...] [--category SLUG]...
                           [--variable V]... [--from TIME] [--to TIME] [--expires-at TIME]
                           [--purpose TEXT] [--document-hash HEX] [--json] [--base-url URL]
       dfda consents revoke ID [--base-url URL]

list (the default): the grants you gave, newest first, with their status (active, expired, revoked);
  --active keeps the live ones; --as-grantee lists the live grants naming you instead.
grant: lets a grantee read and/or write the named categories and/or variables of your data, only for
  data whose start lies in [--from, --to), until --expires-at. TYPE is user, client (an app acting for
  itself, by client_id), group, study (needs --document-hash of the consent document) or plugin (an
  analysis plugin of your organisation, read only), e.g. --grantee user:0193a0b4-... or
  --grantee plugin:n-of-1. Prints the grant.
revoke ID: ends the grant at once.

Signed in with dfda login. --json prints the API's answer on stdout; --base-url names the server the
saved sign-in is for (default DFDA_BASE_URL), checked, not changed.
`;

export function consentLine(c: Consent): string {
  const scope = [...c.scope.categories, ...c.scope.variable_ids];
  const until = c.expires_at ? ` until ${c.expires_at}` : "";
  const purpose = c.purpose ? ` "${c.purpose}"` : "";
  return `${c.id}  ${c.status}  ${c.grantee.type}:${c.grantee.id}  ${c.actions.join("+")}  ${scope.join(",") || "-"}${until}${purpose}`;
}

export async function consentsList(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "consents";
  const { values } = parseCommandArgsWithPositionals(
    command,
    args,
    {
      active: { type: "boolean" },
      "as-grantee": { type: "boolean" },
      json: { type: "boolean" },
      "base-url": { type: "string" },
    },
    0,
  );
  const client = await openSession(command, values["base-url"], env);
  const query = {
    as: values["as-grantee"] ? ("grantee" as const) : ("owner" as const),
    status: values.active ? ("active" as const) : ("all" as const),
    limit: 200,
  };
  const grants = client.paginate((cursor) =>
    client.unwrap(
      client.api.GET("/v1/consents", { params: { query: cursor === undefined ? query : { ...query, cursor } } }),
    ),
  );
  const all: Consent[] = [];
  for await (const grant of grants) {
    if (values.json) all.push(grant);
    else io.stdout.write(`${consentLine(grant)}\n`);
  }
  if (values.json) printJson(io.stdout, all);
}

export async function consentsGrant(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "consents grant";
  const { values } = parseCommandArgsWithPositionals(
    command,
    args,
    {
      grantee: { type: "string" },
      action: { type: "string", multiple: true },
      category: { type: "string", multiple: true },
      variable: { type: "string", multiple: true },
      from: { type: "string" },
      to: { type: "string" },
      "expires-at": { type: "string" },
      purpose: { type: "string" },
      "document-hash": { type: "string" },
      json: { type: "boolean" },
      "base-url": { type: "string" },
    },
    0,
  );
  const grantee = values.grantee?.trim() ?? "";
  const colon = grantee.indexOf(":");
  const type = colon === -1 ? "" : grantee.slice(0, colon);
  const id = colon === -1 ? "" : grantee.slice(colon + 1);
  if (!(GRANTEE_TYPES as readonly string[]).includes(type) || id === "")
    throw new UsageError(
      `--grantee must be TYPE:ID with TYPE one of ${GRANTEE_TYPES.join(", ")} (e.g. plugin:n-of-1).`,
      command,
    );
  const actions = values.action ?? [];
  if (actions.length === 0) throw new UsageError("--action is required (read, write, or both).", command);
  const unknown = actions.filter((a) => !(ACTIONS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new UsageError(`unknown --action ${unknown.join(", ")}; use read or write.`, command);
  if (!values.category && !values.variable)
    throw new UsageError("name what the grant covers: --category and/or --variable.", command);

  const body: GrantRequest = {
    grantee: { type: type as GrantRequest["grantee"]["type"], id },
    actions: [...new Set(actions)] as GrantRequest["actions"],
    scope: {
      ...(values.category
        ? { categories: values.category.map((c) => c.trim()) as NonNullable<GrantRequest["scope"]["categories"]> }
        : {}),
      ...(values.variable ? { variables: values.variable.map((v) => v.trim()) } : {}),
    },
  };
  if (values.from !== undefined || values.to !== undefined)
    body.data_window = {
      ...(values.from === undefined ? {} : { from: values.from.trim() }),
      ...(values.to === undefined ? {} : { to: values.to.trim() }),
    };
  if (values["expires-at"] !== undefined) body.expires_at = values["expires-at"].trim();
  if (values.purpose !== undefined) body.purpose = values.purpose;
  if (values["document-hash"] !== undefined) body.document_hash = values["document-hash"].trim();

  const client = await openSession(command, values["base-url"], env);
  const grant = await client.unwrap(client.api.POST("/v1/consents", { body }));
  if (values.json) printJson(io.stdout, grant);
  else io.stdout.write(`${consentLine(grant)}\n`);
}

export async function consentsRevoke(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "consents revoke";
  const { values, positionals } = parseCommandArgsWithPositionals(command, args, { "base-url": { type: "string" } }, 1);
  const id = requireUuid(command, "the grant ID", positionals[0]);
  const client = await openSession(command, values["base-url"], env);
  await client.unwrap(client.api.DELETE("/v1/consents/{id}", { params: { path: { id } } }));
  io.stdout.write(`Revoked ${id}.\n`);
}
