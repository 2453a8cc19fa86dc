/**
 * What every `dfda` command shares: the injected I/O, the two kinds of failure (a usage error exits
 * 2, any other failure 1), and argument parsing with `node:util`'s `parseArgs`.
 */
import { parseArgs } from "node:util";

/** A `fetch` the login and token commands use; tests and embedders may pass their own. */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface Output {
  write(text: string): unknown;
  /** True for a terminal (Node's `tty.WriteStream`): progress is then one redrawn line. */
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  /** Defaults to the global `fetch`. */
  fetch?: Fetch;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Wrong or missing arguments, or a missing setting: exit code 2, with a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    /** The command whose `--help` to suggest, e.g. "user create". */
    readonly command: string | null = null,
  ) {
    super(message);
  }
}

/** The command could not do its work (database, server, credentials): exit code 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

type OptionSpec = { type: "string" | "boolean"; multiple?: boolean; short?: string };
type OptionSpecs = Record<string, OptionSpec>;

/**
 * Parses a command's arguments strictly: unknown options, missing option values and stray positional
 * arguments are usage errors naming the command.
 */
export function parseCommandArgs<const O extends OptionSpecs>(command: string, args: readonly string[], options: O) {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    return parsed.values;
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), command);
  }
}

/**
 * Like {@link parseCommandArgs}, for commands that also take up to `max` positional arguments (an id,
 * a file); more than that is a usage error.
 */
export function parseCommandArgsWithPositionals<const O extends OptionSpecs>(
  command: string,
  args: readonly string[],
  options: O,
  max: number,
) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), command);
  }
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument: ${parsed.positionals[max]}`, command);
  return { values: parsed.values, positionals: parsed.positionals };
}

/** `parseArgs` errors, made shorter and without Node's internal codes. */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\. To specify an option argument starting with a dash use --[^.]*\.?$/, ".")
    .replace(/\s*\(?Did you forget to .*$/, "")
    .trim();
}

/** The value of a required option, trimmed; a usage error when missing or empty. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`--${name} is required.`, command);
  return value.trim();
}

/** Writes pretty JSON and a newline. */
export function printJson(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}
