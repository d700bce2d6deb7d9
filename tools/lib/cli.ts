// What every CLI shares: flag parsing and the rule that user errors print one message, no trace.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../../infra/errors";

export { UserError };

/** A user error prints its message alone and exits 2; anything else is a bug and keeps its stack, exit 1. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const known = isUserError(error);
    process.stderr.write(`${known ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`);
    process.exitCode = known ? 2 : 1;
  }
}

/**
 * A UserError, or the RunError @pulumi/pulumi raises for a program error it reports without a stack
 * (infra/program.ts turns invalid config into one). Recognised by its marker, as RunError.isInstance does
 * (pulumi/pulumi sdk/nodejs/errors.ts), so that a command need not load @pulumi/pulumi to classify it.
 */
export function isUserError(error: unknown): error is Error {
  return error instanceof UserError || (error as { __pulumiRunError?: unknown } | null)?.__pulumiRunError === true;
}

export function flags<T extends NonNullable<ParseArgsConfig["options"]>>(usage: string, options: T) {
  try {
    return parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nusage: ${usage}`);
  }
}

export function required(value: string | boolean | undefined, name: string, usage: string): string {
  if (typeof value !== "string" || value === "") throw new UserError(`--${name} is required\nusage: ${usage}`);
  return value;
}
