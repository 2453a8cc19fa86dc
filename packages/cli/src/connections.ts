/**
 * `dfda connections` (GET /v1/me/connections), `dfda connections sync ID` and `dfda connections
 * disconnect ID`: the vendor accounts (wearables, apps) the person connected. Connecting one needs
 * the vendor's sign-in page, so it is done in the web portal, not here.
 */
import type { components } from "@dfda/sdk";
import { type Env, type Io, parseCommandArgsWithPositionals, printJson } from "./cli-support";
import { requireUuid } from "./jobs";
import { formatCount } from "./progress";
import { openSession } from "./session";

type Connection = components["schemas"]["Connection"];

export const CONNECTIONS_HELP = `Usage: dfda connections [list] [--json] [--base-url URL]
       dfda connections sync ID [--json] [--base-url URL]
       dfda connections disconnect ID [--delete-data] [--json] [--base-url URL]

list (the default): your connected vendor accounts: status, last and next sync, what went wrong last,
  and how many observations came through each.
sync ID: queues a sync of the connection from where the last one ended.
disconnect ID: disconnects it and revokes the platform's access at the vendor; with --delete-data the
  observations that came through it are deleted too.

Signed in with dfda login. --json prints the API's answer on stdout; --base-url names the server the
saved sign-in is for (default DFDA_BASE_URL), checked, not changed.
`;

export function connectionLine(c: Connection): string {
  const last = c.last_sync_at ? `last sync ${c.last_sync_at}` : "never synced";
  const next = c.next_sync_at ? `, next ${c.next_sync_at}` : "";
  const error = c.error ? `; ${c.error}` : "";
  return `${c.id}  ${c.connector}  ${c.status}  ${last}${next}  ${formatCount(c.imported)} imported${error}`;
}

const OPTIONS = {
  json: { type: "boolean" },
  "base-url": { type: "string" },
  "delete-data": { type: "boolean" },
} as const;

export async function connectionsList(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "connections";
  const { values } = parseCommandArgsWithPositionals(command, args, OPTIONS, 0);
  const client = await openSession(command, values["base-url"], env);
  const { data } = await client.unwrap(client.api.GET("/v1/me/connections"));
  if (values.json) {
    printJson(io.stdout, data);
    return;
  }
  for (const c of data) io.stdout.write(`${connectionLine(c)}\n`);
  io.stderr.write(`${data.length} connection${data.length === 1 ? "" : "s"}\n`);
}

export async function connectionsSync(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "connections sync";
  const { values, positionals } = parseCommandArgsWithPositionals(command, args, OPTIONS, 1);
  const id = requireUuid(command, "the connection ID", positionals[0]);
  const client = await openSession(command, values["base-url"], env);
  const { connection } = await client.unwrap(
    client.api.POST("/v1/me/connections/{id}/sync", { params: { path: { id } } }),
  );
  if (values.json) printJson(io.stdout, connection);
  else io.stdout.write(`Sync of ${connection.connector} queued (${connection.id}).\n`);
}

export async function connectionsDisconnect(args: readonly string[], env: Env, io: Io): Promise<void> {
  const command = "connections disconnect";
  const { values, positionals } = parseCommandArgsWithPositionals(command, args, OPTIONS, 1);
  const id = requireUuid(command, "the connection ID", positionals[0]);
  const client = await openSession(command, values["base-url"], env);
  const deleted = await client.unwrap(
    client.api.DELETE("/v1/me/connections/{id}", {
      params: { path: { id }, query: { delete_data: values["delete-data"] ? "true" : "false" } },
    }),
  );
  if (values.json) printJson(io.stdout, deleted);
  else
    io.stdout.write(
      `Disconnected ${id}${values["delete-data"] ? `; ${formatCount(deleted.deleted_observations)} observations deleted` : ""}.\n`,
    );
}
