/**
 * The `dfda` command. `run` is the whole program as a function (arguments, environment and I/O in,
 * exit code out) so tests drive it in-process; `main` binds it to the real process.
 *
 * Exit codes: 0 success, 1 failure (database, server, credentials), 2 usage error.
 */

import { DfdaError } from "@dfda/sdk";
import packageJson from "../package.json" with { type: "json" };
import {
  CommandError,
  type Env,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  type Fetch,
  type Io,
  type Output,
  UsageError,
} from "./cli-support";
import { CONNECTIONS_HELP, connectionsDisconnect, connectionsList, connectionsSync } from "./connections";
import { CONSENTS_HELP, consentsGrant, consentsList, consentsRevoke } from "./consents";
import { databaseErrorMessage } from "./database";
import { EXPORT_HELP, exportCommand } from "./export";
import { JOBS_WATCH_HELP, jobsWatch } from "./jobs";
import { LOGIN_HELP, LOGOUT_HELP, login, logout, TOKEN_HELP, token } from "./login";
import { MAP_HELP, map } from "./map";
import { OBSERVATIONS_HELP, observations } from "./observations";
import {
  ADMIN_CREATE_HELP,
  adminCreate,
  CLIENT_CREATE_HELP,
  clientCreate,
  TENANT_CREATE_HELP,
  tenantCreate,
  USER_CREATE_HELP,
  userCreate,
} from "./operator";
import { USER_RECOVER_HELP, userRecover } from "./recovery";
import { sdkErrorMessage } from "./session";
import { TOKEN_ISSUE_HELP, tokenIssue } from "./token-issue";
import { UPLOAD_HELP, upload } from "./upload";

export type { Env, Fetch, Io, Output };

export const HELP = `Usage: dfda <command> [options]

Operator commands (connect straight to PostgreSQL with DATABASE_URL, like npm run db:migrate):
  tenant create   Create a tenant (organisation).
  user create     Create a user with a password and roles.
  user recover    Recover an account for its verified owner: sign out everywhere, unlock, optionally
                  remove the second factor; audited, and the owner is e-mailed.
  admin create    Create an administrator (roles admin and data_owner).
  client create   Register an OAuth client; a confidential one gets a secret, shown once.
  token issue     Issue a person's token for a script, test or benchmark (audited); needs the server too.

Developer commands (talk to a running server):
  login           Sign in: the system browser (PKCE, loopback redirect) or, headless, the device grant;
                  saves the tokens (0600) and prints them.
  logout          Revoke the saved tokens and delete them.
  token           Get a token for a confidential client (client credentials grant).

Data commands (talk to a running server as the person dfda login signed in; tokens refreshed and
saved as they rotate):
  upload          Upload a file with a progress bar; --wait follows its mapping to the counts and issues.
  jobs watch      Follow an ingest job to its end.
  observations    Print your observations as a table, CSV or NDJSON, every page.
  export          Export your data (json, csv, fhir-ndjson; --originals) and --download it.
  connections     List your vendor connections; connections sync ID, connections disconnect ID.
  consents        List the grants you gave; consents grant ..., consents revoke ID.

Local commands (no server, no database):
  map             Run the platform's mappers on a file and print the observations and issues they find.

Run dfda <command> --help for a command's options.

Exit codes: 0 success, 1 failure, 2 usage error.
Environment: DATABASE_URL (operator commands), DFDA_BASE_URL, DFDA_CLIENT_ID, DFDA_CLIENT_SECRET,
XDG_CONFIG_HOME (where login saves the tokens), BROWSER,
DFDA_DEBUG=1 (print stack traces of unexpected errors).
`;

type Handler = (args: readonly string[], env: Env, io: Io) => Promise<void>;

const COMMANDS: Record<string, { help: string; handler: Handler }> = {
  "tenant create": { help: TENANT_CREATE_HELP, handler: tenantCreate },
  "user create": { help: USER_CREATE_HELP, handler: userCreate },
  "admin create": { help: ADMIN_CREATE_HELP, handler: adminCreate },
  "client create": { help: CLIENT_CREATE_HELP, handler: clientCreate },
  "user recover": { help: USER_RECOVER_HELP, handler: userRecover },
  "token issue": { help: TOKEN_ISSUE_HELP, handler: tokenIssue },
  login: { help: LOGIN_HELP, handler: login },
  logout: { help: LOGOUT_HELP, handler: logout },
  token: { help: TOKEN_HELP, handler: token },
  map: { help: MAP_HELP, handler: map },
  upload: { help: UPLOAD_HELP, handler: upload },
  "jobs watch": { help: JOBS_WATCH_HELP, handler: jobsWatch },
  observations: { help: OBSERVATIONS_HELP, handler: observations },
  export: { help: EXPORT_HELP, handler: exportCommand },
  connections: { help: CONNECTIONS_HELP, handler: connectionsList },
  "connections list": { help: CONNECTIONS_HELP, handler: connectionsList },
  "connections sync": { help: CONNECTIONS_HELP, handler: connectionsSync },
  "connections disconnect": { help: CONNECTIONS_HELP, handler: connectionsDisconnect },
  consents: { help: CONSENTS_HELP, handler: consentsList },
  "consents list": { help: CONSENTS_HELP, handler: consentsList },
  "consents grant": { help: CONSENTS_HELP, handler: consentsGrant },
  "consents revoke": { help: CONSENTS_HELP, handler: consentsRevoke },
};

/** Words that only name a group of commands: `dfda user` alone is not a command. */
const GROUPS = ["tenant", "user", "admin", "client", "jobs"];

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** Finds the command named by the first one or two arguments. */
function resolveCommand(argv: readonly string[]): { name: string; rest: readonly string[] } | null {
  const [first = "", second = ""] = argv;
  // `dfda token issue` (operator) beside `dfda token` (client credentials): the longer name first.
  if (!GROUPS.includes(first) && Object.hasOwn(COMMANDS, `${first} ${second}`)) {
    return { name: `${first} ${second}`, rest: argv.slice(2) };
  }
  if (GROUPS.includes(first)) {
    const name = `${first} ${second}`;
    return Object.hasOwn(COMMANDS, name) ? { name, rest: argv.slice(2) } : null;
  }
  return Object.hasOwn(COMMANDS, first) ? { name: first, rest: argv.slice(1) } : null;
}

/**
 * Runs one `dfda` invocation and returns its exit code. Never throws and never prints a stack trace
 * (unless DFDA_DEBUG is set): failures become one line on stderr.
 *
 * @example
 * const code = await run(["tenant", "create", "--slug", "acme", "--name", "Acme"], { DATABASE_URL }, io);
 */
export async function run(argv: readonly string[], env: Env, io: Io): Promise<number> {
  const [first] = argv;
  if (first === undefined) {
    io.stderr.write(HELP);
    return EXIT_USAGE;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    const topic = argv.slice(1);
    const command = topic.length > 0 ? resolveCommand(topic) : null;
    if (topic.length > 0 && !command) {
      io.stderr.write(`dfda: unknown command: ${topic.join(" ")}\n\n${HELP}`);
      return EXIT_USAGE;
    }
    io.stdout.write(command ? (COMMANDS[command.name]?.help ?? HELP) : HELP);
    return EXIT_OK;
  }
  if (first === "--version") {
    io.stdout.write(`dfda ${packageJson.version}\n`);
    return EXIT_OK;
  }

  const command = resolveCommand(argv);
  if (!command) {
    if (GROUPS.includes(first)) {
      const actions = Object.keys(COMMANDS).filter((name) => name.startsWith(`${first} `));
      if (argv.length === 1 || wantsHelp(argv.slice(1))) {
        io.stdout.write(
          `Commands: ${actions.map((a) => `dfda ${a}`).join(", ")}. Run dfda ${actions[0] ?? first} --help.\n`,
        );
        return argv.length === 1 ? EXIT_USAGE : EXIT_OK;
      }
      io.stderr.write(
        `dfda: unknown command: ${first} ${argv[1] ?? ""}. Commands: ${actions.map((a) => `dfda ${a}`).join(", ")}.\n`,
      );
      return EXIT_USAGE;
    }
    io.stderr.write(`dfda: unknown command: ${first}\n\n${HELP}`);
    return EXIT_USAGE;
  }

  const spec = COMMANDS[command.name];
  if (!spec) return EXIT_USAGE;
  if (wantsHelp(command.rest)) {
    io.stdout.write(spec.help);
    return EXIT_OK;
  }
  try {
    await spec.handler(command.rest, env, io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `dfda ${error.command ?? command.name}: ${error.message}\nRun dfda ${error.command ?? command.name} --help for usage.\n`,
      );
      return EXIT_USAGE;
    }
    if (error instanceof CommandError) {
      io.stderr.write(`dfda ${command.name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    // The SDK's failures (a problem answer, a refused refresh, no connection): one line, no stack.
    if (error instanceof DfdaError) {
      io.stderr.write(`dfda ${command.name}: ${sdkErrorMessage(error, env)}\n`);
      if (env.DFDA_DEBUG && error.stack) io.stderr.write(`${error.stack}\n`);
      return EXIT_FAILURE;
    }
    // Unexpected: say what it was without a stack trace (or the query parameters drizzle puts in its messages).
    io.stderr.write(`dfda ${command.name}: unexpected error: ${databaseErrorMessage(error)}\n`);
    if (env.DFDA_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
}

/** Runs `dfda` for the current process (the `bin/dfda.mjs` launcher calls this). */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
