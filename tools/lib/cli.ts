// What every command shares, so they behave alike: one flag parser (unknown flags and repeated single-value
// flags refused), `--help` generated from the same declaration, and `runCli`, which turns a user error into
// one message and exit code 2 and anything else into a stack trace and exit code 1. A command is a value
// (`defineCommand`) that tests run in process with `runCommand`; `runCli` is only the process entry point.
import { UserError } from "../../infra/errors";
import { suggestion } from "../../infra/nearest";

export { UserError };

export interface StringFlag {
  type: "string";
  description: string;
  /** The placeholder in help: "<name>". */
  value: string;
  required?: boolean;
  /** May be given more than once; the values arrive as a list. */
  multiple?: boolean;
}
export interface BooleanFlag {
  type: "boolean";
  description: string;
}
export type FlagSpec = StringFlag | BooleanFlag;
export type FlagSpecs = Record<string, FlagSpec>;

/** The parsed value of each flag, typed from its declaration. */
export type FlagValues<F extends FlagSpecs> = {
  [K in keyof F]: F[K] extends BooleanFlag
    ? boolean
    : F[K] extends { multiple: true }
      ? string[]
      : F[K] extends { required: true }
        ? string
        : string | undefined;
};

export interface CommandSpec<F extends FlagSpecs> {
  /** The npm script: "plan", "metadata:sync". */
  name: string;
  /** What it does, in a sentence or two. */
  summary: string;
  flags: F;
  /** Usage lines after `npm run <name> --`, for commands with modes; generated from the flags otherwise. */
  usage?: string[];
  /** Words before the flags, for commands with verbs: "config <id>". Positionals are refused otherwise. */
  positionals?: { usage: string[]; description: string };
  examples: string[];
  /** Exit codes beyond 0, 1 and 2, which every command shares. */
  exitCodes?: Record<number, string>;
}

/** Where a command reads and writes: the process's streams and directory, or a test's. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The directory the command runs in; the project is found from here as Pulumi finds it. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface ParsedArgs<F extends FlagSpecs> {
  flags: FlagValues<F>;
  positionals: string[];
}

export interface Command<F extends FlagSpecs = FlagSpecs> {
  spec: CommandSpec<F>;
  /** Returns the exit code (0 when it returns nothing). */
  run(args: ParsedArgs<F>, io: Io): Promise<number | undefined>;
}

export function defineCommand<F extends FlagSpecs>(
  spec: CommandSpec<F>,
  run: (args: ParsedArgs<F>, io: Io) => Promise<number | undefined>,
): Command<F> {
  return { spec, run };
}

const STANDARD_EXIT_CODES: Record<number, string> = {
  0: "done",
  1: "a bug: the error is printed with its stack trace",
  2: "a user error (a flag, a file, the stack's config, the environment): one message saying what to fix",
};

/** A flag's value as a number above zero (a whole one if `integer`); undefined when the flag is absent. */
export function positiveFlag(value: string | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    throw new UserError(`--${name} must be a positive ${integer ? "whole " : ""}number (got "${value}")`);
  }
  return number;
}

/** A flag a command's mode needs, refused with the usage line when absent. */
export function requireFlag(
  spec: Pick<CommandSpec<FlagSpecs>, "name" | "usage" | "flags">,
  value: string | undefined,
  name: string,
): string {
  if (value === undefined) throw new UserError(`--${name} is required\nusage: ${usageLine(spec)}`);
  return value;
}

/** Parses `argv` against the declared flags. Throws a UserError (with the usage line) for anything else. */
export function parseArgs<F extends FlagSpecs>(spec: CommandSpec<F>, argv: readonly string[]): ParsedArgs<F> {
  const values: Record<string, string | boolean | string[] | undefined> = {};
  const seen = new Set<string>();
  const positionals: string[] = [];
  const refuse = (message: string): never => {
    throw new UserError(`${message}\nusage: ${usageLine(spec)}\nSee npm run ${spec.name} -- --help`);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--")) {
      if (arg.startsWith("-") && arg !== "-") refuse(`unknown flag ${arg}`);
      if (!spec.positionals) refuse(`unexpected argument "${arg}"`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const flag = Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
    if (!flag) refuse(`unknown flag --${name}${suggestion(name, Object.keys(spec.flags), (k) => `--${k}`)}`);
    if (flag!.type === "boolean") {
      if (eq >= 0) refuse(`--${name} takes no value`);
      if (seen.has(name)) refuse(`--${name} is given twice`);
      values[name] = true;
    } else {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) value = argv[++i];
      if (value === undefined || value === "") refuse(`--${name} needs a value: --${name} ${flag!.value}`);
      if (flag!.multiple) (values[name] as string[] | undefined) ? (values[name] as string[]).push(value!) : (values[name] = [value!]);
      else if (seen.has(name)) refuse(`--${name} is given twice (it takes one value)`);
      else values[name] = value;
    }
    seen.add(name);
  }
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (flag.type === "boolean") values[name] ??= false;
    else if (flag.multiple) values[name] ??= [];
    else if (flag.required && values[name] === undefined) refuse(`--${name} is required`);
  }
  return { flags: values as FlagValues<F>, positionals };
}

/** The help a command prints for --help: what it does, every flag, examples, exit codes. */
export function helpText<F extends FlagSpecs>(spec: CommandSpec<F>): string {
  const flagRows: [string, string][] = Object.entries(spec.flags).map(([name, flag]) => [
    flag.type === "boolean" ? `--${name}` : `--${name} ${flag.value}`,
    `${flag.type === "string" && flag.required ? "required. " : ""}${flag.description}${flag.type === "string" && flag.multiple ? " (may be repeated)" : ""}`,
  ]);
  flagRows.push(["--help, -h", "Print this help."]);
  const width = Math.max(...flagRows.map(([left]) => left.length));
  const codes = { ...STANDARD_EXIT_CODES, ...spec.exitCodes };
  return [
    `usage: ${usageLine(spec)}`,
    "",
    spec.summary,
    ...(spec.positionals ? ["", spec.positionals.description] : []),
    "",
    "Flags:",
    ...flagRows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    "",
    spec.examples.length === 1 ? "Example:" : "Examples:",
    ...spec.examples.map((example) => `  ${example}`),
    "",
    "Exit codes:",
    ...Object.entries(codes).map(([code, meaning]) => `  ${code}  ${meaning}`),
    "",
  ].join("\n");
}

export function usageLine(spec: Pick<CommandSpec<FlagSpecs>, "name" | "usage" | "flags" | "positionals">): string {
  if (spec.usage) return spec.usage.map((line, i) => `${i === 0 ? "" : "       "}npm run ${spec.name} -- ${line}`).join("\n");
  const flags = Object.entries(spec.flags).map(([name, flag]) => {
    const text = flag.type === "boolean" ? `--${name}` : `--${name} ${flag.value}`;
    return flag.type === "string" && flag.required ? text : `[${text}]`;
  });
  const lines = spec.positionals?.usage ?? [""];
  return lines
    .map(
      (words, i) => `${i === 0 ? "" : "       "}npm run ${spec.name} --${words ? ` ${words}` : ""}${i === 0 ? ` ${flags.join(" ")}` : ""}`,
    )
    .join("\n");
}

/** Runs a command as its process would, with `io` in place of the process: returns the exit code. */
export async function runCommand(command: Command<FlagSpecs>, argv: readonly string[], io: Io): Promise<number> {
  try {
    if (argv.includes("--help") || argv.includes("-h")) {
      io.stdout(helpText(command.spec));
      return 0;
    }
    return (await command.run(parseArgs(command.spec, argv), io)) ?? 0;
  } catch (error) {
    if (isUserError(error)) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

/** The process's own Io. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}

/**
 * The entry point of a command's process: runs it on the process's arguments and sets the exit code.
 * `exitWhenDone` ends the process once stdout and stderr are flushed, for commands whose SDK leaves timers.
 */
export async function runCli<F extends FlagSpecs>(command: Command<F>, options: { exitWhenDone?: boolean } = {}): Promise<void> {
  process.exitCode = await runCommand(command as unknown as Command<FlagSpecs>, process.argv.slice(2), processIo());
  if (options.exitWhenDone) process.stdout.write("", () => process.stderr.write("", () => process.exit()));
}

/**
 * A UserError, or the RunError @pulumi/pulumi raises for a program error it reports without a stack
 * (infra/program.ts turns invalid config into one). Recognised by its marker, as RunError.isInstance does
 * (pulumi/pulumi sdk/nodejs/errors.ts), so that a command need not load @pulumi/pulumi to classify it.
 */
export function isUserError(error: unknown): error is Error {
  return error instanceof UserError || (error as { __pulumiRunError?: unknown } | null)?.__pulumiRunError === true;
}
